//! Interviews: one row per interview, keyed by its thread. The partial unique index
//! `interviews_one_active` is what keeps a member to one running interview per guild, even when
//! two bot processes race; `start` turns its violation into `StoreError::InterviewActive`.
//! The engine's position is saved as JSON after every step, so a restart resumes every open
//! interview from here.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool};

use super::error::violated;
use super::{db_id, difficulty, discord_id, text_enum, StoreError};
use crate::bank::Difficulty;
use crate::interview::Ending;

text_enum! {
    /// Where an interview is in its life.
    InterviewStatus {
        Active => "active",
        Completed => "completed",
        Ended => "ended",
        Abandoned => "abandoned",
    }
}

impl From<Ending> for InterviewStatus {
    fn from(outcome: Ending) -> Self {
        match outcome {
            Ending::Completed => InterviewStatus::Completed,
            Ending::Ended => InterviewStatus::Ended,
            Ending::Abandoned => InterviewStatus::Abandoned,
        }
    }
}

/// What it takes to start an interview.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInterview<'a> {
    pub guild_id: u64,
    pub user_id: u64,
    pub channel_id: u64,
    pub thread_id: u64,
    pub track: &'a str,
    pub difficulty: Difficulty,
    /// Question ids, in the order they will be asked.
    pub plan: &'a [String],
    /// Held in a private thread: left out of what other members see of the candidate.
    pub private: bool,
    /// `Some(n)`: `plan` holds every level's candidates, and the interview asks `n` main
    /// questions whose level follows the answers. `None`: `plan` is asked in order.
    pub adaptive: Option<u8>,
    /// The interviewer style, as it is now (see [`InterviewRow::style`]).
    pub style: Option<&'a serde_json::Value>,
    /// A drill: the questions due for review, asked without follow-ups.
    pub drill: bool,
    /// A system-design round's time boxes: `plan` is its one question, asked in stages.
    pub design: Option<&'a serde_json::Value>,
}

/// An interview as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewRow {
    pub interview_id: i64,
    pub guild_id: u64,
    pub user_id: u64,
    pub channel_id: u64,
    pub thread_id: u64,
    pub track: String,
    pub difficulty: Difficulty,
    pub plan: Vec<String>,
    /// The version of each planned question, in plan order (see `questions::versions`); empty
    /// for interviews started before versions were kept.
    pub plan_versions: Vec<Vec<u8>>,
    /// Main questions an adaptive interview asks (see `NewInterview::adaptive`).
    pub adaptive_questions: Option<usize>,
    /// The interviewer style the interview runs in, as it was at its start.
    pub style: Option<serde_json::Value>,
    /// When the question awaiting an answer was asked.
    pub asked_at: Option<DateTime<Utc>>,
    /// A drill (see [`NewInterview::drill`]).
    pub drill: bool,
    /// A design round's time boxes (see [`NewInterview::design`]).
    pub design: Option<serde_json::Value>,
    /// The engine's saved position.
    pub state: serde_json::Value,
    pub status: InterviewStatus,
    pub started_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Starts an interview; refused with `InterviewActive` (naming its thread) when the member
/// already has one running in this guild.
pub async fn start(pool: &PgPool, new: &NewInterview<'_>) -> Result<i64, StoreError> {
    let inserted = sqlx::query_scalar!(
        // The versions are the questions as the guild sees them now (its own over the bundled
        // ones): what the interview asks and scores against, whatever changes later.
        "INSERT INTO interviews (guild_id, user_id, channel_id, thread_id, track, difficulty, plan,
                                 private, adaptive_questions, style, drill, design,
                                 plan_versions)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce((
             SELECT array_agg(q.content_hash ORDER BY e.n)
             FROM jsonb_array_elements_text($7) WITH ORDINALITY AS e(id, n)
             CROSS JOIN LATERAL (
                 SELECT content_hash FROM questions
                 WHERE coalesce(guild_id, 0) IN ($1, 0) AND id = e.id
                 ORDER BY guild_id NULLS LAST
                 LIMIT 1
             ) q
         ), '{}'))
         RETURNING interview_id",
        db_id(new.guild_id),
        db_id(new.user_id),
        db_id(new.channel_id),
        db_id(new.thread_id),
        new.track,
        new.difficulty.as_str(),
        Json(new.plan) as _,
        new.private,
        new.adaptive.map(i16::from),
        new.style,
        new.drill,
        new.design,
    )
    .fetch_one(pool)
    .await;
    match inserted {
        Ok(id) => Ok(id),
        Err(err) => match violated(&err) {
            Some("interviews_one_active") => {
                let active = active_for(pool, new.guild_id, new.user_id).await?;
                let thread_id = active.map_or(new.thread_id, |i| i.thread_id);
                Err(StoreError::InterviewActive { thread_id })
            }
            Some("interviews_thread_id_key") => Err(StoreError::ThreadTaken {
                thread_id: new.thread_id,
            }),
            _ => Err(err.into()),
        },
    }
}

/// `SELECT` of every column an [`InterviewRow`] is read from, `FROM interviews`, followed by
/// `$rest` (the `WHERE` and so on): one column list for every query that reads whole
/// interviews. sqlx still checks the joined query at compile time.
macro_rules! select_interviews {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Row,
            r#"SELECT interview_id, guild_id, user_id, channel_id, thread_id, track, difficulty,
                  plan AS "plan: Json<Vec<String>>", plan_versions,
                  adaptive_questions, style, asked_at, drill, design, state, status, started_at,
                  last_activity_at, finished_at
               FROM interviews "#
                + $rest,
            $($arg),*
        )
    };
}

/// The member's running interview in this guild, if any.
pub async fn active_for(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
) -> Result<Option<InterviewRow>, StoreError> {
    let row = select_interviews!(
        r#"WHERE guild_id = $1 AND user_id = $2 AND status = 'active'"#,
        db_id(guild_id),
        db_id(user_id)
    )
    .fetch_optional(ex)
    .await?;
    row.map(Row::into_interview).transpose()
}

/// The interview held by a thread (how a message or button finds its interview).
pub async fn by_thread(
    ex: impl PgExecutor<'_>,
    thread_id: u64,
) -> Result<Option<InterviewRow>, StoreError> {
    let row = select_interviews!(r#"WHERE thread_id = $1"#, db_id(thread_id))
        .fetch_optional(ex)
        .await?;
    row.map(Row::into_interview).transpose()
}

/// Locks a running interview for one step of the engine (until the transaction ends), so that
/// events on one interview apply one at a time, whichever process receives them. `None` when it
/// is not running.
pub async fn lock(
    ex: impl PgExecutor<'_>,
    interview_id: i64,
) -> Result<Option<InterviewRow>, StoreError> {
    let row = select_interviews!(
        r#"WHERE interview_id = $1 AND status = 'active'
           FOR UPDATE"#,
        interview_id
    )
    .fetch_optional(ex)
    .await?;
    row.map(Row::into_interview).transpose()
}

/// The candidate of the running interview in a thread, without a lock: enough to ignore the
/// other members talking there without waiting for (or holding a connection behind) a step
/// in flight.
pub async fn candidate_in_thread(
    ex: impl PgExecutor<'_>,
    thread_id: u64,
) -> Result<Option<u64>, StoreError> {
    let user = sqlx::query_scalar!(
        "SELECT user_id FROM interviews WHERE thread_id = $1 AND status = 'active'",
        db_id(thread_id)
    )
    .fetch_optional(ex)
    .await?;
    Ok(user.map(discord_id))
}

/// Locks the running interview of a thread, as [`lock`] does: a message filed under the turn
/// the interview waits for must not race a step that is moving it to the next turn.
pub async fn lock_thread(
    ex: impl PgExecutor<'_>,
    thread_id: u64,
) -> Result<Option<InterviewRow>, StoreError> {
    let row = select_interviews!(
        r#"WHERE thread_id = $1 AND status = 'active'
           FOR UPDATE"#,
        db_id(thread_id)
    )
    .fetch_optional(ex)
    .await?;
    row.map(Row::into_interview).transpose()
}

/// An answer whose scoring ended (scored, or failed for good) but whose running interview has
/// not taken that in yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UntoldOutcome {
    pub interview_id: i64,
    pub answer_id: i64,
    /// Scored; false: its scoring failed for good.
    pub scored: bool,
}

/// Answers of running interviews scored (or failed for good) at or before `before` whose
/// journal has no step for that: what a worker that died between scoring and handing the
/// outcome to its interview left behind. Oldest first.
pub async fn untold_outcomes(
    ex: impl PgExecutor<'_>,
    before: DateTime<Utc>,
) -> Result<Vec<UntoldOutcome>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT i.interview_id, a.answer_id, a.status = 'scored' AS "scored!"
           FROM interviews i
           JOIN answers a ON a.interview_id = i.interview_id
           LEFT JOIN scoring_jobs j ON j.answer_id = a.answer_id AND a.status = 'failed'
           WHERE i.status = 'active'
             AND ((a.status = 'scored' AND a.scored_at <= $1)
                  OR (a.status = 'failed' AND j.finished_at <= $1))
             AND NOT coalesce(i.state -> 'steps', '[]'::jsonb)
                     @> jsonb_build_array(jsonb_build_object(
                            'step', CASE WHEN a.status = 'scored' THEN 'scored'
                                         ELSE 'scoring_failed' END,
                            'answer', a.answer_id))
           ORDER BY coalesce(a.scored_at, j.finished_at)"#,
        before
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| UntoldOutcome {
            interview_id: r.interview_id,
            answer_id: r.answer_id,
            scored: r.scored,
        })
        .collect())
}

/// Every running interview, oldest first: what a restarting process resumes.
pub async fn all_active(ex: impl PgExecutor<'_>) -> Result<Vec<InterviewRow>, StoreError> {
    let rows = select_interviews!(
        r#"WHERE status = 'active'
           ORDER BY last_activity_at"#
    )
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(Row::into_interview).collect()
}

/// How many interviews a member started in a guild since `since`, and when the oldest of
/// them started (when the count next goes down).
pub async fn started_since(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "count!", min(started_at) AS oldest
           FROM interviews
           WHERE guild_id = $1 AND user_id = $2 AND started_at > $3"#,
        db_id(guild_id),
        db_id(user_id),
        since
    )
    .fetch_one(ex)
    .await?;
    Ok((row.count, row.oldest))
}

/// A guild's running interviews.
pub async fn active_in_guild(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
) -> Result<Vec<InterviewRow>, StoreError> {
    let rows = select_interviews!(
        r#"WHERE status = 'active' AND guild_id = $1"#,
        db_id(guild_id)
    )
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(Row::into_interview).collect()
}

/// Running interviews idle for longer than their guild's idle timeout, as of `now`.
pub async fn idle(
    ex: impl PgExecutor<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<InterviewRow>, StoreError> {
    let rows = sqlx::query_as!(
        Row,
        r#"SELECT i.interview_id, i.guild_id, i.user_id, i.channel_id, i.thread_id, i.track,
                  i.difficulty, i.plan AS "plan: Json<Vec<String>>", i.plan_versions,
                  i.adaptive_questions, i.style, i.asked_at, i.drill, i.design, i.state, i.status,
                  i.started_at, i.last_activity_at, i.finished_at
           FROM interviews i
           JOIN guilds g ON g.guild_id = i.guild_id
           WHERE i.status = 'active'
             AND i.last_activity_at < $1::timestamptz - make_interval(secs => g.idle_timeout_secs)
           ORDER BY i.last_activity_at"#,
        now
    )
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(Row::into_interview).collect()
}

/// Saves the engine's position after a step (and counts as activity); `asked`: the step put a
/// new question to the candidate, whose answer is timed from now.
pub async fn save_state(
    ex: impl PgExecutor<'_>,
    interview_id: i64,
    state: &serde_json::Value,
    asked: bool,
) -> Result<(), StoreError> {
    let saved = sqlx::query!(
        "UPDATE interviews SET state = $2, last_activity_at = now(),
                asked_at = CASE WHEN $3 THEN now() ELSE asked_at END
         WHERE interview_id = $1 AND status = 'active'",
        interview_id,
        state,
        asked
    )
    .execute(ex)
    .await?
    .rows_affected();
    if saved == 0 {
        return Err(StoreError::InterviewNotActive { interview_id });
    }
    Ok(())
}

/// Ends an interview, once: returns false when it was not active any more. A completed
/// interview counts on the interviews boards, in the same statement.
pub async fn finish(
    ex: impl PgExecutor<'_>,
    interview_id: i64,
    outcome: Ending,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let finished = sqlx::query_scalar!(
        r#"WITH done AS (
               UPDATE interviews SET status = $2, finished_at = $3, last_activity_at = $3
               WHERE interview_id = $1 AND status = 'active'
               RETURNING guild_id, user_id, track, finished_at
           ), counted AS (
               SELECT d.guild_id, d.user_id, t.track,
                      (d.finished_at AT TIME ZONE g.timezone)::date AS day
               FROM done d
               JOIN guilds g ON g.guild_id = d.guild_id
               CROSS JOIN LATERAL (VALUES (''), (d.track)) AS t(track)
               WHERE $2 = 'completed'
           ), totals AS (
               INSERT INTO member_totals (guild_id, user_id, track, interviews)
               SELECT guild_id, user_id, track, 1 FROM counted ORDER BY track
               ON CONFLICT (guild_id, track, user_id)
               DO UPDATE SET interviews = member_totals.interviews + 1
           ), days AS (
               INSERT INTO member_days (guild_id, user_id, track, day, interviews)
               SELECT guild_id, user_id, track, day, 1 FROM counted ORDER BY track
               ON CONFLICT (guild_id, track, day, user_id)
               DO UPDATE SET interviews = member_days.interviews + 1
           )
           SELECT count(*) AS "finished!" FROM done"#,
        interview_id,
        InterviewStatus::from(outcome).as_str(),
        at
    )
    .fetch_one(ex)
    .await?;
    Ok(finished > 0)
}

/// An `interviews` row as read.
struct Row {
    interview_id: i64,
    guild_id: i64,
    user_id: i64,
    channel_id: i64,
    thread_id: i64,
    track: String,
    difficulty: String,
    plan: Json<Vec<String>>,
    plan_versions: Vec<Vec<u8>>,
    adaptive_questions: Option<i16>,
    style: Option<serde_json::Value>,
    asked_at: Option<DateTime<Utc>>,
    drill: bool,
    design: Option<serde_json::Value>,
    state: serde_json::Value,
    status: String,
    started_at: DateTime<Utc>,
    last_activity_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl Row {
    fn into_interview(self) -> Result<InterviewRow, StoreError> {
        Ok(InterviewRow {
            interview_id: self.interview_id,
            guild_id: discord_id(self.guild_id),
            user_id: discord_id(self.user_id),
            channel_id: discord_id(self.channel_id),
            thread_id: discord_id(self.thread_id),
            track: self.track,
            difficulty: difficulty(&self.difficulty)?,
            plan: self.plan.0,
            plan_versions: self.plan_versions,
            adaptive_questions: self
                .adaptive_questions
                .and_then(|n| usize::try_from(n).ok()),
            style: self.style,
            asked_at: self.asked_at,
            drill: self.drill,
            design: self.design,
            state: self.state,
            status: InterviewStatus::parse(&self.status)?,
            started_at: self.started_at,
            last_activity_at: self.last_activity_at,
            finished_at: self.finished_at,
        })
    }
}

/// The candidate wants each question read aloud as well as written.
pub async fn speak_questions(ex: impl PgExecutor<'_>, interview_id: i64) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE interviews SET spoken_questions = true WHERE interview_id = $1",
        interview_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Whether the interview's questions are read aloud.
pub async fn speaks_questions(
    ex: impl PgExecutor<'_>,
    interview_id: i64,
) -> Result<bool, StoreError> {
    let spoken = sqlx::query_scalar!(
        "SELECT spoken_questions FROM interviews WHERE interview_id = $1",
        interview_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(spoken.unwrap_or(false))
}
