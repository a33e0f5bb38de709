//! The durable scoring queue. Workers claim due jobs with `FOR UPDATE SKIP LOCKED`, so any number
//! of processes share the queue without handing a job to two of them at once; a claim is a lease,
//! and a job whose lease ran out (its worker died) is due again. Completing and failing are
//! fenced by the lease (worker and attempt), so a worker that lost its lease cannot overwrite the
//! result of the one that took over: every job is scored exactly once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgExecutor;

use super::answers::turn_from_number;
use super::{discord_id, text_enum, StoreError};
use crate::interview::Turn;
use crate::scoring::Rubric;

mod complete;
pub use complete::{complete, complete_many, points_of};

text_enum! {
    /// Where a scoring job is.
    JobStatus {
        Queued => "queued",
        Running => "running",
        Done => "done",
        Failed => "failed",
    }
}

/// Proof that a worker holds a job: only the holder of the current lease can finish it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub job_id: i64,
    pub worker: String,
    /// 1 for the first try; doubles as the fencing token.
    pub attempt: i32,
}

/// A claimed job, with what scoring it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub lease: Lease,
    pub answer_id: i64,
    pub guild_id: u64,
    pub user_id: u64,
    pub interview_id: Option<i64>,
    pub qotd_post_id: Option<i64>,
    pub question_id: String,
    pub turn: Turn,
    pub body: String,
    pub hinted: bool,
    /// The rubric the interview chose for it, when it was stored with the job.
    pub rubric: Option<Rubric>,
}

/// How failed jobs are retried: exponential backoff from `base_delay`, capped at `max_delay`;
/// the job fails for good after `max_attempts`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JobRetry {
    pub max_attempts: i32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for JobRetry {
    fn default() -> Self {
        JobRetry {
            max_attempts: 5,
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(600),
        }
    }
}

impl JobRetry {
    /// The wait before the next try after `attempt` failed.
    pub fn delay_after(&self, attempt: i32) -> Duration {
        let doublings = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        self.base_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }
}

/// What became of a failed job.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure {
    /// Tried again at this time.
    Retry { at: DateTime<Utc> },
    /// Out of attempts: the job and its answer are marked failed.
    Final,
    /// The lease had passed to another worker; nothing was changed.
    LeaseLost,
}

/// Claims up to `limit` due jobs for `worker`, each leased for `lease`: fairly across guilds
/// (each guild's oldest job first, fewest jobs in flight first), then oldest first.
///
/// The claim commits without waiting for the disk flush (`synchronous_commit` off for this
/// statement's transaction): a claim lost in a database crash leaves the job due again, which
/// is harmless, and the worker saves one flush per batch. Called inside a caller's transaction,
/// that whole transaction commits this way.
pub async fn claim(
    ex: impl PgExecutor<'_>,
    worker: &str,
    limit: i64,
    lease: Duration,
) -> Result<Vec<ClaimedJob>, StoreError> {
    let rows = sqlx::query!(
        r#"WITH no_flush AS (
               SELECT set_config('synchronous_commit', 'off', true)
           ), ready AS (
               -- Each guild's due jobs in order: its 1st, 2nd, … job.
               SELECT j.job_id, j.due_at, a.guild_id,
                      row_number() OVER (PARTITION BY a.guild_id ORDER BY j.due_at, j.job_id)
                          AS nth
               FROM scoring_jobs j JOIN answers a ON a.answer_id = j.answer_id
               WHERE j.status IN ('queued', 'running') AND j.due_at <= now()
           ), busy AS (
               -- Jobs each guild has being scored right now (a live lease).
               SELECT a.guild_id, count(*) AS n
               FROM scoring_jobs j JOIN answers a ON a.answer_id = j.answer_id
               WHERE j.status = 'running' AND j.due_at > now()
               GROUP BY a.guild_id
           ), due AS (
               -- Round-robin across guilds: a guild's next job waits behind every other
               -- guild's job with fewer ahead of it (in flight or queued), so one guild's rush
               -- delays another guild's answer by at most the jobs already being scored.
               SELECT j.job_id
               FROM scoring_jobs j
               JOIN ready r ON r.job_id = j.job_id
               LEFT JOIN busy b ON b.guild_id = r.guild_id
               WHERE j.status IN ('queued', 'running') AND j.due_at <= now()
               ORDER BY r.nth + coalesce(b.n, 0), r.due_at
               LIMIT $2
               FOR UPDATE OF j SKIP LOCKED
           ), claimed AS (
               UPDATE scoring_jobs j SET status = 'running', attempts = j.attempts + 1,
                      locked_by = $1, lease_until = now() + $3::interval
               FROM due, no_flush WHERE j.job_id = due.job_id
               RETURNING j.job_id, j.answer_id, j.attempts, j.rubric
           )
           SELECT c.job_id, c.answer_id, c.attempts, a.guild_id, a.user_id, a.interview_id,
                  a.qotd_post_id, a.question_id, a.turn, a.body, a.hinted,
                  c.rubric AS "rubric?: Json<Rubric>"
           FROM claimed c JOIN answers a ON a.answer_id = c.answer_id
           ORDER BY c.job_id"#,
        worker,
        limit,
        lease as _,
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ClaimedJob {
            lease: Lease {
                job_id: r.job_id,
                worker: worker.to_owned(),
                attempt: r.attempts,
            },
            answer_id: r.answer_id,
            guild_id: discord_id(r.guild_id),
            user_id: discord_id(r.user_id),
            interview_id: r.interview_id,
            qotd_post_id: r.qotd_post_id,
            question_id: r.question_id,
            turn: turn_from_number(r.turn),
            body: r.body,
            hinted: r.hinted,
            rubric: r.rubric.map(|j| j.0),
        })
        .collect())
}

/// Stores the rubric an answer's queued job is to be scored against (in the transaction that
/// submitted it, so no worker sees the job without it).
pub async fn set_rubric(
    ex: impl PgExecutor<'_>,
    answer_id: i64,
    rubric: &Rubric,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE scoring_jobs SET rubric = $2 WHERE answer_id = $1 AND status = 'queued'",
        answer_id,
        Json(rubric) as _,
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Records a failed try: the job is retried after a backoff, or fails for good (with its
/// answer) once out of attempts. `error` must not hold secrets; it is cut to 2,000 characters.
pub async fn fail(
    ex: impl PgExecutor<'_>,
    lease: &Lease,
    error: &str,
    policy: &JobRetry,
) -> Result<Failure, StoreError> {
    let last = lease.attempt >= policy.max_attempts;
    let status = if last {
        JobStatus::Failed
    } else {
        JobStatus::Queued
    };
    let run_after = sqlx::query_scalar!(
        r#"WITH job AS (
               UPDATE scoring_jobs SET status = $4, run_after = now() + $5::interval,
                      lease_until = NULL, locked_by = NULL, last_error = left($6, 2000),
                      finished_at = CASE WHEN $4 = 'failed' THEN now() END
               WHERE job_id = $1 AND status = 'running' AND locked_by = $2 AND attempts = $3
               RETURNING answer_id, run_after
           ), answer AS (
               UPDATE answers a SET status = 'failed'
               FROM job WHERE a.answer_id = job.answer_id AND $4 = 'failed'
           )
           SELECT run_after FROM job"#,
        lease.job_id,
        lease.worker,
        lease.attempt,
        status.as_str(),
        policy.delay_after(lease.attempt) as _,
        error,
    )
    .fetch_optional(ex)
    .await?;
    Ok(match run_after {
        None => Failure::LeaseLost,
        Some(_) if last => Failure::Final,
        Some(at) => Failure::Retry { at },
    })
}

/// Extends a lease (a heartbeat for slow scorers). Returns false when it was lost.
pub async fn extend(
    ex: impl PgExecutor<'_>,
    lease: &Lease,
    by: Duration,
) -> Result<bool, StoreError> {
    let extended = sqlx::query!(
        "UPDATE scoring_jobs SET lease_until = now() + $4::interval
         WHERE job_id = $1 AND status = 'running' AND locked_by = $2 AND attempts = $3",
        lease.job_id,
        lease.worker,
        lease.attempt,
        by as _,
    )
    .execute(ex)
    .await?
    .rows_affected();
    Ok(extended > 0)
}

/// Jobs queued or running: the queue's depth, for health checks.
pub async fn pending(ex: impl PgExecutor<'_>) -> Result<i64, StoreError> {
    let n = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM scoring_jobs WHERE status IN ('queued', 'running')"#
    )
    .fetch_one(ex)
    .await?;
    Ok(n)
}
