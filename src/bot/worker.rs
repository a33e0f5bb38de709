//! Scoring workers. Each takes one due job at a time (`crate::app::scoring`), and hands the
//! score it completed to its interview as a step, or to its question of the day's thread. A
//! worker sleeps until this process queues a job or a second passes (jobs queued by other
//! processes, retries coming due); errors are logged and the loop goes on.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tracing::{error, warn};

use super::session;
use super::{qotd, Bot, BotError};
use crate::app::interview::Input;
use crate::app::scoring::{self, Scored, Turned};

/// How often an idle worker looks for jobs it was not told about.
const POLL: Duration = Duration::from_secs(1);

/// Runs one worker until `shutdown` turns true; a job in hand is finished first.
pub async fn run(bot: Arc<Bot>, name: String, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        match work_once(&bot, &name).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => {
                error!(worker = %name, error = %crate::bot::error_chain(&e), "scoring worker step failed")
            }
        }
        tokio::select! {
            _ = bot.app.jobs_ready.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Claims and scores one job; false when none was due.
pub async fn work_once(bot: &Bot, worker: &str) -> Result<bool, BotError> {
    // Another worker may be idle while this one scores: let it look for the next job.
    let turned = scoring::score_next(&bot.app, worker, || bot.app.jobs_ready.notify_one()).await?;
    match turned {
        Turned::Idle => Ok(false),
        Turned::NotCompleted => Ok(true),
        Turned::Scored(scored) => {
            show(bot, &scored).await;
            Ok(true)
        }
        Turned::Failed(job) => {
            if let Some(interview_id) = job.interview_id {
                let input = Input::ScoringFailed {
                    answer_id: job.answer_id,
                };
                // If the step fails, the sweep hands the failure to the interview again.
                session::step(bot, interview_id, input).await?;
            }
            Ok(true)
        }
    }
}

/// Hands a completed score on to what waits for it.
async fn show(bot: &Bot, scored: &Scored) {
    let Scored { job, assessment } = scored;
    if job.qotd_post_id.is_some() {
        if let Err(e) = qotd::on_scored(bot, job, assessment).await {
            warn!(answer_id = job.answer_id, error = %crate::bot::error_chain(&e), "posting a QOTD score failed");
        }
    }
    if let Some(interview_id) = job.interview_id {
        let input = Input::Scored {
            answer_id: job.answer_id,
        };
        // If the step fails the score is safe; the sweep hands it to the interview again.
        if let Err(e) = session::step(bot, interview_id, input).await {
            error!(interview_id, answer_id = job.answer_id, error = %crate::bot::error_chain(&e), "handing a score to its interview failed");
        }
    }
}
