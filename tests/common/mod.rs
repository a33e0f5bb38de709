//! Support shared by the store tests: a fresh database per test, and fixtures.
#![allow(dead_code)]

pub mod fixtures;
pub mod pg;
