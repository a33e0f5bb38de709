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

use super::session::{self, Input};
use super::Bot;

#[derive(Default)]
pub struct QuietTimers {
    /// interview id → (generation, the waiting task).
    timers: DashMap<i64, (u64, JoinHandle<()>)>,
    generation: AtomicU64,
}

impl QuietTimers {
    /// (Re)starts the interview's timer: its open answer is submitted after `quiet`, unless
    /// another message re-arms it first. Zero means only the Submit button submits.
    pub fn arm(&self, bot: &Arc<Bot>, interview_id: i64, quiet: Duration) {
        if quiet.is_zero() {
            return;
        }
        let generation = self.generation.fetch_add(1, Ordering::Relaxed);
        let waiting = Arc::clone(bot);
        let task = tokio::spawn(async move {
            tokio::time::sleep(quiet).await;
            let fired = waiting
                .quiet
                .timers
                .remove_if(&interview_id, |_, (g, _)| *g == generation)
                .is_some();
            if !fired {
                return;
            }
            // The step runs on a task of its own: re-arming aborts this one, and a step must
            // never be cut off halfway.
            let bot = Arc::clone(&waiting);
            tokio::spawn(async move {
                if let Err(e) = session::step(&bot, interview_id, Input::Submit).await {
                    error!(interview_id, error = %e, "submitting after the quiet period failed");
                }
            });
        });
        if let Some((_, previous)) = self.timers.insert(interview_id, (generation, task)) {
            previous.abort();
        }
    }

    /// Stops the interview's timer (its answer was submitted with the button).
    pub fn cancel(&self, interview_id: i64) {
        if let Some((_, (_, task))) = self.timers.remove(&interview_id) {
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
