//! The binary's subcommands, a file per family: `practice` (a mock interview or a drill in the
//! terminal, and the styles), `questions` (checking and listing the bank), `scoring` (one
//! answer, and the scorer against human grades) and `server` (the bot, migrations, purges).
//! `main.rs` parses the command line and hands each subcommand here.

pub mod practice;
pub mod questions;
pub mod scoring;
pub mod server;

use std::io;

use anyhow::Result;

/// Writes a line to standard output, as an error rather than a panic when the pipe is closed.
pub fn out(text: impl std::fmt::Display) -> Result<()> {
    use std::io::Write;
    writeln!(io::stdout().lock(), "{text}")?;
    Ok(())
}
