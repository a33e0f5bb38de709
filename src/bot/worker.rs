//! Scoring workers. Each claims one due job at a time from the store's queue (any process may
//! take any job: `SKIP LOCKED`), scores it, stores the result under its lease, and hands the
//! score to its interview as a step. A worker sleeps until this process queues a job or a second
//! passes (jobs queued by other processes, retries coming due); errors are logged and the loop
//! goes on.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;
use tracing::{debug, error, warn};

use super::session::{self, Input};
use super::{qotd, Bot, BotError};
use crate::interview::Turn;
use crate::scoring::Rubric;
use crate::store::jobs::{self, ClaimedJob, RetryPolicy};
use crate::store::{answers, usage};

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
            _ = bot.jobs_ready.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Claims and scores one job; false when none was due.
pub async fn work_once(bot: &Bot, worker: &str) -> Result<bool, BotError> {
    let claimed = jobs::claim(&bot.pool, worker, 1, bot.scoring_lease).await?;
    let Some(job) = claimed.into_iter().next() else {
        return Ok(false);
    };
    // Another worker may be idle while this one scores: let it look for the next job.
    bot.jobs_ready.notify_one();
    score(bot, &job).await;
    Ok(true)
}

async fn score(bot: &Bot, job: &ClaimedJob) {
    let span = tracing::info_span!(
        "score",
        answer_id = job.answer_id,
        guild_id = job.guild_id,
        interview_id = job.interview_id
    );
    tracing::Instrument::instrument(score_in_span(bot, job), span).await;
}

async fn score_in_span(bot: &Bot, job: &ClaimedJob) {
    let started = std::time::Instant::now();
    let chosen = match &job.rubric {
        Some(rubric) => Ok(rubric.clone()),
        None => rubric_for(bot, job).await,
    };
    let rubric = match chosen {
        Ok(rubric) => rubric,
        Err(e) => {
            warn!(answer_id = job.answer_id, error = %crate::bot::error_chain(&e), "cannot build the rubric");
            give_up_for_now(bot, job, &e.to_string()).await;
            return;
        }
    };
    let today = Utc::now().date_naive();
    let budget = match usage::budget(&bot.pool, job.guild_id, today).await {
        Ok(b) => b.remaining().map(|r| u64::try_from(r).unwrap_or(0)),
        Err(e) => {
            give_up_for_now(bot, job, &e.to_string()).await;
            return;
        }
    };
    let Some(assessment) = assess_holding_lease(bot, job, &rubric, budget).await else {
        debug!(answer_id = job.answer_id, "lease lost while scoring");
        return;
    };
    if let Some(used) = assessment.usage {
        let (p, c) = (used.prompt_tokens.into(), used.completion_tokens.into());
        if let Err(e) = usage::add(&bot.pool, job.guild_id, today, p, c).await {
            warn!(guild_id = job.guild_id, error = %crate::bot::error_chain(&e), "recording LLM usage failed");
        }
    }
    match jobs::complete(&bot.pool, &job.lease, &assessment).await {
        Ok(true) => {
            let (p, c) = assessment.usage.map_or((0, 0), |u| {
                (u64::from(u.prompt_tokens), u64::from(u.completion_tokens))
            });
            let secs = started.elapsed().as_secs_f64();
            bot.metrics.scored(&assessment.scorer, p, c, secs);
        }
        Ok(false) => {
            debug!(
                answer_id = job.answer_id,
                "lease lost; another worker scored it"
            );
            return;
        }
        Err(e) => {
            give_up_for_now(bot, job, &e.to_string()).await;
            return;
        }
    }
    if job.qotd_post_id.is_some() {
        if let Err(e) = qotd::on_scored(bot, job, &assessment).await {
            warn!(answer_id = job.answer_id, error = %crate::bot::error_chain(&e), "posting a QOTD score failed");
        }
    }
    if let Some(interview_id) = job.interview_id {
        let input = Input::Scored {
            answer_id: job.answer_id,
        };
        // If posting fails the score is safe; the sweep hands it to the interview again.
        if let Err(e) = session::step(bot, interview_id, input).await {
            error!(interview_id, answer_id = job.answer_id, error = %crate::bot::error_chain(&e), "posting feedback failed");
        }
    }
}

/// Scores while renewing the lease every third of its length, so a slow LLM keeps its job and
/// a dead worker's job is due again within one lease. `None` when the lease was lost meanwhile.
async fn assess_holding_lease(
    bot: &Bot,
    job: &ClaimedJob,
    rubric: &Rubric,
    budget: Option<u64>,
) -> Option<crate::scoring::Assessment> {
    let assess = bot.grader.assess(rubric, &job.body, budget);
    tokio::pin!(assess);
    let every = bot.scoring_lease / 3;
    loop {
        tokio::select! {
            assessment = &mut assess => return Some(assessment),
            _ = tokio::time::sleep(every) => {
                match jobs::extend(&bot.pool, &job.lease, bot.scoring_lease).await {
                    Ok(true) => {}
                    Ok(false) => return None,
                    // A database hiccup: keep scoring; completing checks the lease anyway.
                    Err(e) => warn!(answer_id = job.answer_id, error = %crate::bot::error_chain(&e), "renewing the lease failed"),
                }
            }
        }
    }
}

/// Returns the job to the queue with a backoff (or fails it after its last attempt).
async fn give_up_for_now(bot: &Bot, job: &ClaimedJob, error: &str) {
    if let Err(e) = jobs::fail(&bot.pool, &job.lease, error, &RetryPolicy::default()).await {
        error!(answer_id = job.answer_id, error = %crate::bot::error_chain(&e), "could not return the job to the queue");
    }
}

/// The rubric of an answer whose job came without one (a question of the day's answer, or a job
/// queued before jobs carried their rubric): its question's, its bank follow-up's, or that of
/// the follow-up the scorer wrote from the answer to the main question.
async fn rubric_for(bot: &Bot, job: &ClaimedJob) -> Result<Rubric, BotError> {
    let question = bot.bank.get(&job.question_id).ok_or_else(|| {
        BotError::Internal(format!("question {:?} is not in the bank", job.question_id))
    })?;
    match job.turn {
        Turn::Main => Ok(Rubric::for_question(question)),
        Turn::FollowUp { index } => {
            let follow_up = question.follow_ups.get(index).ok_or_else(|| {
                BotError::Internal(format!(
                    "question {:?} has no follow-up {index}",
                    job.question_id
                ))
            })?;
            Ok(Rubric::for_follow_up(question, index, follow_up))
        }
        Turn::Written => {
            let interview_id = job.interview_id.ok_or_else(|| {
                BotError::Internal("a written follow-up outside an interview".into())
            })?;
            let stored = answers::for_interview(&bot.pool, interview_id).await?;
            let written = stored
                .iter()
                .find(|a| a.question_id == job.question_id && a.turn == Turn::Main)
                .and_then(|a| a.assessment())
                .and_then(|a| a.follow_up)
                .ok_or_else(|| {
                    BotError::Internal(format!(
                        "no written follow-up stored for {:?}",
                        job.question_id
                    ))
                })?;
            Ok(Rubric::for_written_follow_up(question, &written))
        }
    }
}
