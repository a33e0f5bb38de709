//! Mockingbird runs mock technical interviews. The crate is laid out by job: `bank` holds the
//! questions, `style` the interviewer styles, `interview` is the pure interview engine,
//! `scoring` grades answers against a rubric, `store` keeps everything in PostgreSQL, `app`
//! holds the use cases over them with no Discord in them, and `bot` (Discord) and `practice`
//! (the terminal) are the adapters. The binary (`main.rs`) is the CLI that wires them together.

pub mod app;
pub mod bank;
pub mod bot;
pub mod chart;
pub mod config;
pub mod drill;
pub mod errors;
pub mod eval;
#[cfg(feature = "fake-discord")]
pub mod fake_discord;
#[cfg(feature = "fake-llm")]
pub mod fake_http;
pub mod interview;
pub mod metrics;
pub mod practice;
pub mod qotd;
pub mod scoring;
pub mod secret;
pub mod speech;
pub mod store;
pub mod style;
pub mod text;
