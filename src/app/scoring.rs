//! An answer's scoring job: claimed from the store's queue (any process may take any job:
//! `SKIP LOCKED`), scored against the rubric stored with it, and completed under its lease.
//! The LLM call runs with no transaction open; the lease, renewed meanwhile, is what keeps
//! the job this worker's.

use tracing::{debug, warn};

use super::{App, AppError};
use crate::errors::error_chain;
use crate::interview::Turn;
use crate::scoring::{Assessment, Rubric};
use crate::store::jobs::{self, ClaimedJob, Failure, JobRetry};
use crate::store::{answers, spoken, usage};

/// The tokens held for scoring one answer: a prompt with the longest answer allowed (about
/// 3,500 tokens), its reply, and one repair call if the reply is unusable.
const CALL_ALLOWANCE: i64 = 8_000;

/// A job this worker scored and completed.
#[derive(Debug)]
pub struct Scored {
    pub job: ClaimedJob,
    pub assessment: Assessment,
}

/// What one turn of a worker came to.
#[derive(Debug)]
pub enum Turned {
    /// No job was due.
    Idle,
    /// A job was claimed but not completed here: returned to the queue for a retry, or lost
    /// to another worker.
    NotCompleted,
    Scored(Box<Scored>),
    /// The job failed for good (its last try, or a rubric that cannot be built): its answer
    /// stays unscored, and whatever waits for it must be told.
    Failed(Box<ClaimedJob>),
}

/// Claims one due job and scores it. `on_claim` runs once a job is in hand, so that an idle
/// worker can look for the next one meanwhile.
pub async fn score_next(
    app: &App,
    worker: &str,
    on_claim: impl FnOnce(),
) -> Result<Turned, AppError> {
    let claimed = jobs::claim(&app.pool, worker, 1, app.scoring_lease).await?;
    let Some(job) = claimed.into_iter().next() else {
        return Ok(Turned::Idle);
    };
    on_claim();
    let span = tracing::info_span!(
        "score",
        answer_id = job.answer_id,
        guild_id = job.guild_id,
        interview_id = job.interview_id
    );
    let scored = tracing::Instrument::instrument(score(app, &job), span).await;
    Ok(match scored {
        Ok(assessment) => Turned::Scored(Box::new(Scored { job, assessment })),
        Err(Failure::Final) => Turned::Failed(Box::new(job)),
        Err(_) => Turned::NotCompleted,
    })
}

/// Scores and completes one claimed job; `Err` says what became of a job not completed here.
async fn score(app: &App, job: &ClaimedJob) -> Result<Assessment, Failure> {
    let started = std::time::Instant::now();
    let chosen = match &job.rubric {
        Some(rubric) => Ok(rubric.clone()),
        None => rubric_for(app, job).await,
    };
    let rubric = match chosen {
        Ok(rubric) => rubric,
        Err(e) => {
            // Trying again cannot bring a question back into the bank: fail now, so that the
            // candidate hears of it at once rather than after every retry.
            warn!(answer_id = job.answer_id, error = %error_chain(&e), "cannot build the rubric");
            let now = JobRetry {
                max_attempts: job.lease.attempt,
                ..JobRetry::default()
            };
            return Err(give_up(app, job, &e.to_string(), &now).await);
        }
    };
    // The call's allowance is held before the call and settled after, so that workers scoring
    // for the same guild at once cannot together spend past its daily budget.
    let held = if app.grader.calls_llm() {
        match usage::reserve(&app.pool, job.guild_id, CALL_ALLOWANCE).await {
            Ok(held) => Some(held),
            Err(e) => return Err(give_up(app, job, &e.to_string(), &JobRetry::default()).await),
        }
    } else {
        None
    };
    let budget = held
        .filter(|h| h.limited)
        .map(|h| u64::try_from(h.tokens).unwrap_or(0));
    let scored = assess_holding_lease(app, job, &rubric, budget).await;
    if let Some(held) = held {
        let (p, c) = scored.as_ref().and_then(|a| a.usage).map_or((0, 0), |u| {
            (u.prompt_tokens.into(), u.completion_tokens.into())
        });
        if let Err(e) = usage::settle(&app.pool, job.guild_id, &held, p, c).await {
            warn!(guild_id = job.guild_id, error = %error_chain(&e), "recording LLM usage failed");
        }
    }
    let Some(mut assessment) = scored else {
        debug!(answer_id = job.answer_id, "lease lost while scoring");
        return Err(Failure::LeaseLost);
    };
    // How a spoken answer was spoken goes with its assessment, so the feedback and the report
    // show it; without it the answer is still scored, so a failed look-up only loses the line.
    match spoken::of_answer(&app.pool, job.answer_id).await {
        Ok(speaking) => assessment.speaking = speaking,
        Err(e) => {
            warn!(answer_id = job.answer_id, error = %error_chain(&e), "reading how the answer was spoken failed")
        }
    }
    match jobs::complete(&app.pool, &job.lease, &assessment).await {
        Ok(true) => {
            let (p, c) = assessment.usage.map_or((0, 0), |u| {
                (u64::from(u.prompt_tokens), u64::from(u.completion_tokens))
            });
            let secs = started.elapsed().as_secs_f64();
            app.metrics.scored(assessment.scorer.as_str(), p, c, secs);
            Ok(assessment)
        }
        Ok(false) => {
            debug!(
                answer_id = job.answer_id,
                "lease lost; another worker scored it"
            );
            Err(Failure::LeaseLost)
        }
        Err(e) => Err(give_up(app, job, &e.to_string(), &JobRetry::default()).await),
    }
}

/// Scores while renewing the lease every third of its length, so a slow LLM keeps its job and
/// a dead worker's job is due again within one lease. `None` when the lease was lost meanwhile.
async fn assess_holding_lease(
    app: &App,
    job: &ClaimedJob,
    rubric: &Rubric,
    budget: Option<u64>,
) -> Option<Assessment> {
    let assess = app.grader.assess(rubric, &job.body, budget);
    tokio::pin!(assess);
    let every = app.scoring_lease / 3;
    loop {
        tokio::select! {
            assessment = &mut assess => return Some(assessment),
            _ = tokio::time::sleep(every) => {
                match jobs::extend(&app.pool, &job.lease, app.scoring_lease).await {
                    Ok(true) => {}
                    Ok(false) => return None,
                    // A database hiccup: keep scoring; completing checks the lease anyway.
                    Err(e) => warn!(answer_id = job.answer_id, error = %error_chain(&e), "renewing the lease failed"),
                }
            }
        }
    }
}

/// Returns the job to the queue with a backoff, or fails it after its last attempt.
async fn give_up(app: &App, job: &ClaimedJob, error: &str, policy: &JobRetry) -> Failure {
    match jobs::fail(&app.pool, &job.lease, error, policy).await {
        Ok(failure) => failure,
        Err(e) => {
            tracing::error!(answer_id = job.answer_id, error = %error_chain(&e), "could not return the job to the queue");
            // Its lease runs out and it is due again: as good as a retry.
            Failure::LeaseLost
        }
    }
}

/// The rubric of an answer whose job came without one (a question of the day's answer, or a job
/// queued before jobs carried their rubric): its question's as it was asked, its follow-up's,
/// or that of the follow-up the scorer wrote from the answer to the main question.
async fn rubric_for(app: &App, job: &ClaimedJob) -> Result<Rubric, AppError> {
    let missing = |why: String| AppError::Rubric {
        answer_id: job.answer_id,
        why,
    };
    // The question as its interview or post asked it; answers from before versions were kept
    // fall back to the bank's question of that id.
    let question =
        match super::questions::answered(app, job.answer_id).await? {
            Some(asked) => asked,
            None => app.bank.get(&job.question_id).cloned().ok_or_else(|| {
                missing(format!("question {:?} is not in the bank", job.question_id))
            })?,
        };
    let question = question.as_ref();
    match job.turn {
        Turn::Main => Ok(Rubric::for_question(question)),
        Turn::FollowUp { index } => {
            let follow_up = question.follow_ups.get(index).ok_or_else(|| {
                missing(format!(
                    "question {:?} has no follow-up {index}",
                    job.question_id
                ))
            })?;
            Ok(Rubric::for_follow_up(question, index, follow_up))
        }
        Turn::Written => {
            let interview_id = job
                .interview_id
                .ok_or_else(|| missing("a written follow-up outside an interview".into()))?;
            let stored = answers::for_interview(&app.pool, interview_id).await?;
            let written = stored
                .iter()
                .find(|a| a.question_id == job.question_id && a.turn == Turn::Main)
                .and_then(|a| a.assessment())
                .and_then(|a| a.follow_up)
                .ok_or_else(|| {
                    missing(format!(
                        "no written follow-up stored for {:?}",
                        job.question_id
                    ))
                })?;
            Ok(Rubric::for_written_follow_up(question, &written))
        }
        Turn::Stage { stage } => Ok(crate::interview::design::stage_rubric(question, stage)),
    }
}
