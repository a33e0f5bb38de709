//! Completing scoring jobs. One statement stores the scores, marks the jobs done and adds the
//! answers to the leaderboard roll-ups, fenced by each job's lease, so a result is stored exactly
//! once. A worker that scored several jobs completes them together: one commit (one disk flush)
//! for the batch rather than one per job, which is what lets the queue keep up with submissions
//! on a disk that flushes a few hundred times a second.
//!
//! Roll-up rows are locked in ascending key order ('' sorts first), as in every other statement
//! that touches them, so concurrent writers cannot deadlock.

use sqlx::PgExecutor;

use super::Lease;
use crate::scoring::Assessment;
use crate::store::StoreError;

/// An answer's points on the points boards: its overall score in tenths.
pub fn points_of(overall: f32) -> i32 {
    (f64::from(overall) * 10.0).round() as i32
}

/// Stores one job's assessment (scores, feedback, which scorer and model, prompt version,
/// tokens). Returns false, changing nothing, when the lease was lost.
pub async fn complete(
    ex: impl PgExecutor<'_>,
    lease: &Lease,
    assessment: &Assessment,
) -> Result<bool, StoreError> {
    let done = complete_many(ex, &[(lease, assessment)]).await?;
    Ok(!done.is_empty())
}

/// Stores the scores of several jobs in one statement. Returns the ids of the jobs completed;
/// a job missing from it had lost its lease and was left alone.
pub async fn complete_many(
    ex: impl PgExecutor<'_>,
    results: &[(&Lease, &Assessment)],
) -> Result<Vec<i64>, StoreError> {
    let mut c = Columns::default();
    for (lease, assessment) in results {
        c.push(lease, assessment)?;
    }
    let done = sqlx::query_scalar!(
        r#"WITH input AS (
               SELECT job_id, worker, attempt, technical, tradeoffs, communication, overall,
                      points, covered, partial, missed, pitfalls, feedback, notes, flagged,
                      follow_up, scorer, model, prompt_version, tokens_in, tokens_out, speaking
               FROM unnest($1::int8[], $2::text[], $3::int4[], $4::float4[], $5::float4[],
                           $6::float4[], $7::float4[], $8::int4[], $9::jsonb[], $10::jsonb[],
                           $11::jsonb[], $12::jsonb[], $13::jsonb[], $14::jsonb[], $15::bool[],
                           $16::jsonb[], $17::text[], $18::text[], $19::text[], $20::int4[],
                           $21::int4[], $22::jsonb[])
                    AS i(job_id, worker, attempt, technical, tradeoffs, communication, overall,
                         points, covered, partial, missed, pitfalls, feedback, notes, flagged,
                         follow_up, scorer, model, prompt_version, tokens_in, tokens_out,
                         speaking)
           ), job AS (
               UPDATE scoring_jobs j SET status = 'done', finished_at = now(), lease_until = NULL
               FROM input i
               WHERE j.job_id = i.job_id AND j.status = 'running' AND j.locked_by = i.worker
                 AND j.attempts = i.attempt
               RETURNING j.job_id, j.answer_id
           ), answer AS (
               UPDATE answers a SET status = 'scored', technical = i.technical,
                      tradeoffs = i.tradeoffs, communication = i.communication,
                      overall = i.overall, points = i.points, covered = i.covered,
                      partial = i.partial, missed = i.missed, pitfalls = i.pitfalls,
                      feedback = i.feedback, notes = i.notes, flagged = i.flagged,
                      follow_up = i.follow_up, scorer = i.scorer, model = i.model,
                      prompt_version = i.prompt_version, tokens_in = i.tokens_in,
                      tokens_out = i.tokens_out, speaking = i.speaking, scored_at = now()
               FROM job JOIN input i ON i.job_id = job.job_id
               WHERE a.answer_id = job.answer_id
               RETURNING a.guild_id, a.user_id, a.track, a.day, a.points
           ), counted AS (
               SELECT a.guild_id, a.user_id, t.track, a.day, count(*) AS answers,
                      sum(a.points) AS points
               FROM answer a CROSS JOIN LATERAL (VALUES (''), (a.track)) AS t(track)
               GROUP BY a.guild_id, a.user_id, t.track, a.day
           ), totals AS (
               INSERT INTO member_totals (guild_id, user_id, track, answers, points)
               SELECT guild_id, user_id, track, sum(answers), sum(points) FROM counted
               GROUP BY guild_id, track, user_id
               ORDER BY guild_id, track, user_id
               ON CONFLICT (guild_id, track, user_id) DO UPDATE SET
                   answers = member_totals.answers + excluded.answers,
                   points = member_totals.points + excluded.points
           ), days AS (
               INSERT INTO member_days (guild_id, user_id, track, day, answers, points)
               SELECT guild_id, user_id, track, day, answers, points FROM counted
               ORDER BY guild_id, track, day, user_id
               ON CONFLICT (guild_id, track, day, user_id) DO UPDATE SET
                   answers = member_days.answers + excluded.answers,
                   points = member_days.points + excluded.points
           )
           SELECT job_id AS "job_id!" FROM job ORDER BY job_id"#,
        &c.job_ids,
        &c.workers,
        &c.attempts,
        &c.technical,
        &c.tradeoffs,
        &c.communication,
        &c.overall,
        &c.points,
        &c.covered,
        &c.partial,
        &c.missed,
        &c.pitfalls,
        &c.feedback,
        &c.notes,
        &c.flagged,
        &c.follow_ups as &[Option<serde_json::Value>],
        &c.scorers,
        &c.models as &[Option<String>],
        &c.prompt_versions as &[Option<String>],
        &c.tokens_in as &[Option<i32>],
        &c.tokens_out as &[Option<i32>],
        &c.speaking as &[Option<serde_json::Value>],
    )
    .fetch_all(ex)
    .await?;
    Ok(done)
}

/// The results as parallel arrays, for one `unnest` round trip.
#[derive(Default)]
struct Columns {
    job_ids: Vec<i64>,
    workers: Vec<String>,
    attempts: Vec<i32>,
    technical: Vec<f32>,
    tradeoffs: Vec<f32>,
    communication: Vec<f32>,
    overall: Vec<f32>,
    points: Vec<i32>,
    covered: Vec<serde_json::Value>,
    partial: Vec<serde_json::Value>,
    missed: Vec<serde_json::Value>,
    pitfalls: Vec<serde_json::Value>,
    feedback: Vec<serde_json::Value>,
    notes: Vec<serde_json::Value>,
    flagged: Vec<bool>,
    follow_ups: Vec<Option<serde_json::Value>>,
    scorers: Vec<String>,
    models: Vec<Option<String>>,
    prompt_versions: Vec<Option<String>>,
    tokens_in: Vec<Option<i32>>,
    tokens_out: Vec<Option<i32>>,
    speaking: Vec<Option<serde_json::Value>>,
}

impl Columns {
    fn push(&mut self, lease: &Lease, a: &Assessment) -> Result<(), StoreError> {
        self.job_ids.push(lease.job_id);
        self.workers.push(lease.worker.clone());
        self.attempts.push(lease.attempt);
        self.technical.push(a.scores.technical);
        self.tradeoffs.push(a.scores.tradeoffs);
        self.communication.push(a.scores.communication);
        self.overall.push(a.scores.overall);
        self.points.push(points_of(a.scores.overall));
        self.covered.push(to_json(&a.covered)?);
        self.partial.push(to_json(&a.partial)?);
        self.missed.push(to_json(&a.missed)?);
        self.pitfalls.push(to_json(&a.pitfalls)?);
        self.feedback.push(to_json(&a.feedback)?);
        self.notes.push(to_json(&a.notes)?);
        self.flagged.push(a.flagged);
        self.follow_ups
            .push(a.follow_up.as_ref().map(to_json).transpose()?);
        self.scorers.push(a.scorer.as_str().to_owned());
        self.models.push(a.model.clone());
        self.prompt_versions.push(a.prompt_version.clone());
        let tokens = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        self.tokens_in
            .push(a.usage.map(|u| tokens(u.prompt_tokens)));
        self.tokens_out
            .push(a.usage.map(|u| tokens(u.completion_tokens)));
        self.speaking
            .push(a.speaking.as_ref().map(to_json).transpose()?);
        Ok(())
    }
}

/// Serialises one of the assessment's lists for its JSONB column.
fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Invalid(e.to_string()))
}
