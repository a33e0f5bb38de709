//! The Discord adapter: poise commands, the gateway event handler (thread messages, buttons),
//! the scoring workers and the sweeps that keep interviews moving. Thin by design: it turns
//! Discord events into engine events (`session`), and engine actions into Discord messages
//! (`render`). Discord types stop here; the engine and the store never see them.

pub mod commands;
pub mod config;
pub mod dispatch;
mod events;
mod grader;
pub mod http;
pub mod metrics;
pub mod qotd;
pub mod quiet;
pub mod render;
pub mod reviews;
mod run;
pub mod session;
pub mod sweeps;
pub mod worker;

use std::sync::Arc;

use serenity::all::Http;
use tokio::sync::Notify;

use crate::bank::Bank;
use crate::chart::ChartError;
use crate::store::{PgPool, StoreError};

pub use config::{BotConfig, ConfigError, Secret};
pub use grader::Grader;
pub use run::{intents, run, StartError};

/// What every command, event and background task shares. Built once at start-up.
pub struct Bot {
    pub pool: PgPool,
    pub bank: Arc<Bank>,
    pub grader: Arc<Grader>,
    pub metrics: Arc<metrics::Metrics>,
    /// False once the process is stopping: no new interviews start.
    pub accepting: Arc<std::sync::atomic::AtomicBool>,
    /// REST, for the workers and sweeps that post outside any gateway event.
    pub http: Arc<Http>,
    /// Wakes this process's scoring workers when it queued a job.
    pub jobs_ready: Arc<Notify>,
    /// Wakes this process's dispatcher lanes when effects may be due.
    pub effects_ready: Arc<Notify>,
    /// Where a committed step hands the effects it may post at once.
    pub handoff: dispatch::Handoff,
    /// Submits answers once the candidate's thread has been quiet long enough.
    pub quiet: quiet::QuietTimers,
    /// This process's name on the jobs it leases.
    pub worker_name: String,
    /// How long a scoring job's claim holds without renewal: a dead worker's job is due again
    /// after this.
    pub scoring_lease: std::time::Duration,
}

/// What a user sees when something failed on our side.
pub const APOLOGY: &str =
    "Sorry, something went wrong on our side. It has been logged; please try again in a moment.";

/// An error and its causes, one after another, for the log.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The poise context every command gets.
pub type Context<'a> = poise::Context<'a, Arc<Bot>, BotError>;

/// What can go wrong in a command or an event. `User` errors are the user's to fix and are
/// shown to them ephemerally; the rest are logged with context and the user gets an apology.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("{0}")]
    User(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Boxed: serenity's error is large, and errors travel through every `Result` here.
    #[error("Discord request failed")]
    Discord(#[source] Box<serenity::Error>),
    #[error("drawing a chart failed")]
    Chart(#[from] ChartError),
    #[error("{0}")]
    Internal(String),
}

impl From<serenity::Error> for BotError {
    fn from(error: serenity::Error) -> Self {
        BotError::Discord(Box::new(error))
    }
}

impl BotError {
    pub fn user(message: impl Into<String>) -> BotError {
        BotError::User(message.into())
    }
}
