//! Support shared by the store tests: a fresh database per test, and fixtures.
#![allow(dead_code)]

#[cfg(all(feature = "fake-discord", feature = "fake-llm"))]
pub mod bot;
pub mod fixtures;
pub mod pg;
