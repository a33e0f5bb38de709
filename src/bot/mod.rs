//! The Discord adapter: poise commands, the gateway event handler (thread messages, buttons),
//! the scoring workers and the sweeps that keep interviews moving. Thin by design: it turns
//! Discord events into use-case calls (`crate::app`), and the effects they leave into Discord
//! messages (`render`, `dispatch`). Discord types stop here; the engine and the store never see them.

mod attachments;
pub mod commands;
pub mod config;
pub mod dispatch;
mod edits;
mod events;
pub mod http;
mod names;
mod pair;
pub mod qotd;
pub mod quiet;
mod read_aloud;
pub mod render;
pub mod reviews;
mod run;
pub mod session;
pub mod sweeps;
mod voice;
pub mod worker;

use std::sync::Arc;

use serenity::all::Http;

use crate::app::{App, AppError};
use crate::chart::ChartError;
use crate::store::StoreError;

pub use config::{BotConfig, ConfigError, Secret};
pub use run::{intents, run, StartError};

/// What every command, event and background task shares. Built once at start-up.
pub struct Bot {
    /// The use cases' shared state: the store, the bank, the grader.
    pub app: App,
    /// False once the process is stopping: no new interviews start.
    pub accepting: Arc<std::sync::atomic::AtomicBool>,
    /// REST, for the workers and sweeps that post outside any gateway event.
    pub http: Arc<Http>,
    /// Where a committed step hands the effects it may post at once.
    pub handoff: dispatch::Handoff,
    /// Submits answers once the candidate's thread has been quiet long enough.
    pub quiet: quiet::QuietTimers,
    /// Feedback messages waiting to show their new peer score.
    pub feedback_edits: reviews::FeedbackEdits,
    /// Speech-to-text for voice-message answers; `None` when STT_BASE_URL is unset.
    pub transcriber: Option<Arc<crate::speech::Transcriber>>,
    /// Reads questions aloud for members who ask (`/interview start spoken:`); `None` without
    /// `TTS_BASE_URL`.
    pub speaker: Option<Arc<crate::speech::Speaker>>,
}

/// What a user sees when something failed on our side.
pub const APOLOGY: &str =
    "Sorry, something went wrong on our side. It has been logged; please try again in a moment.";

pub use crate::errors::error_chain;

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
    #[error(transparent)]
    App(#[from] AppError),
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
