//! Mockingbird runs mock technical interviews. The crate is laid out by job: `bank` holds the
//! questions, `interview` is the pure interview engine, `scoring` grades answers against a
//! rubric, and `practice` is the terminal adapter. The binary (`main.rs`) is the CLI that wires
//! them together.

pub mod bank;
pub mod bot;
pub mod chart;
pub mod eval;
#[cfg(feature = "fake-discord")]
pub mod fake_discord;
pub mod interview;
pub mod practice;
pub mod qotd;
pub mod scoring;
pub mod secret;
pub mod store;
