//! Quiet-period submission: the candidate's answer may span several messages, so it is submitted
//! once their thread has been quiet for the guild's quiet period (or with the Submit button).
//! One timer per interview, re-armed by each message. Timers live in memory; after a restart
//! every open answer gets a fresh timer, so the worst a crash costs is one more quiet period.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use tokio::task::JoinHandle;
use tracing::error;

use super::session;
use super::{qotd, Bot};
use crate::app::interview::Input;

/// What a timer submits when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Waiting {
    /// The open answer of this interview.
    Interview(i64),
    /// This QOTD answer.
    QotdAnswer(i64),
}

#[derive(Default)]
pub struct QuietTimers {
    /// What waits → (generation, the waiting task).
    timers: DashMap<Waiting, (u64, JoinHandle<()>)>,
    generation: AtomicU64,
}

impl QuietTimers {
    /// (Re)starts a timer: the answer is submitted after `quiet`, unless another message
    /// re-arms it first. For an interview, zero means only the Submit button submits.
    pub fn arm(&self, bot: &Arc<Bot>, waiting: Waiting, quiet: Duration) {
        if quiet.is_zero() && matches!(waiting, Waiting::Interview(_)) {
            return;
        }
        let generation = self.generation.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::clone(bot);
        let task = tokio::spawn(async move {
            tokio::time::sleep(quiet).await;
            let fired = shared
                .quiet
                .timers
                .remove_if(&waiting, |_, (g, _)| *g == generation)
                .is_some();
            if !fired {
                return;
            }
            // The step runs on a task of its own: re-arming aborts this one, and a step must
            // never be cut off halfway.
            let bot = Arc::clone(&shared);
            tokio::spawn(async move {
                let submitted = match waiting {
                    Waiting::Interview(id) => {
                        session::step(&bot, id, Input::Submit).await.map(|_| ())
                    }
                    Waiting::QotdAnswer(id) => qotd::submit_answer(&bot, id).await,
                };
                if let Err(e) = submitted {
                    error!(?waiting, error = %crate::bot::error_chain(&e), "submitting after the quiet period failed");
                }
            });
        });
        if let Some((_, previous)) = self.timers.insert(waiting, (generation, task)) {
            previous.abort();
        }
    }

    /// Stops a timer (the answer was submitted with the button, or the interview ended).
    pub fn cancel(&self, waiting: Waiting) {
        if let Some((_, (_, task))) = self.timers.remove(&waiting) {
            task.abort();
        }
    }

    /// Timers waiting now.
    pub fn len(&self) -> usize {
        self.timers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.timers.is_empty()
    }
}
