//! The use cases, with no Discord in them: an interview's steps (start, an answer submitted,
//! hint, skip, end, the idle timeout, a score arriving), an answer's scoring job, the question
//! of the day's choice and answers, and a peer review. Each is a few short statements or one
//! short transaction over the store; an interview step leaves what should be shown as effects
//! in the outbox. Adapters (`bot`, the tests, the benchmarks) turn their input into these calls
//! and show the results. No network call happens inside a transaction here.

pub mod drills;
pub mod edits;
pub mod guilds;
pub mod interview;
pub mod packs;
pub mod pairs;
pub mod qotd;
pub mod questions;
pub mod reviews;
pub mod scoring;
pub mod suggestions;

use crate::interview::design::DesignRound;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::bank::Bank;
use crate::metrics::Metrics;
use crate::scoring::Grader;
use crate::store::{PgPool, StoreError};
use crate::style::Styles;

/// What the use cases share. Built once at start-up.
pub struct App {
    pub pool: PgPool,
    /// The bundled bank (and `--questions` folders): what every guild draws from.
    pub bank: Arc<Bank>,
    /// The bundled interviewer styles (and `--styles` folders).
    pub styles: Arc<Styles>,
    /// The question versions interviews and posts asked, as read so far.
    pub asked: questions::AskedQuestions,
    pub grader: Arc<Grader>,
    pub metrics: Arc<Metrics>,
    /// Wakes this process's scoring workers when it queued a job.
    pub jobs_ready: Arc<Notify>,
    /// Wakes this process's dispatcher lanes when effects may be due.
    pub effects_ready: Arc<Notify>,
    /// This process's name on the jobs it leases.
    pub worker_name: String,
    /// How long a scoring job's claim holds without renewal: a dead worker's job is due again
    /// after this.
    pub scoring_lease: Duration,
    /// The soft time boxes of a design round's stages.
    pub design_round: DesignRound,
}

/// What can go wrong in a use case. Refusals a person should read (nothing to submit yet, say)
/// are not errors: they come back as notices in the use case's result.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A saved interview that cannot be replayed, or a question that left the bank.
    #[error("interview {interview_id}: {why}")]
    Interview { interview_id: i64, why: String },
    /// An answer that cannot be scored: its question or follow-up is not in the bank.
    #[error("answer {answer_id}: {why}")]
    Rubric { answer_id: i64, why: String },
    /// A suggestion accepted when it was made that the bank's rules refuse now.
    #[error("suggestion {suggestion_id} is no longer a valid question: {why}")]
    Suggestion { suggestion_id: i64, why: String },
    /// One of our own values did not turn into JSON to be saved.
    #[error("{what} could not be written as JSON")]
    Json {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::Store(StoreError::from(error))
    }
}
