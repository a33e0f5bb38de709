//! Answers, interview and QOTD alike. An answer is committed the moment its first message
//! arrives, grows as more messages come, and is submitted in one statement that also enqueues its
//! scoring job: after a crash an answer is either still open or queued, never lost between.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use super::{db_id, discord_id, text_enum, StoreError};
use crate::interview::design::Stage;
use crate::interview::{AnswerLimit, Turn};
use crate::scoring::{Assessment, ScorerKind, Scores};

text_enum! {
    /// Where an answer is between its first message and its scores.
    AnswerStatus {
        Open => "open",
        Submitted => "submitted",
        Scored => "scored",
        Failed => "failed",
    }
}

/// The stored form of a turn: 0 for the main question, n for the bank's n-th follow-up, -1 for
/// the follow-up the scorer wrote, -10 and below for a design round's stages (-10 - stage).
pub fn turn_number(turn: Turn) -> i16 {
    match turn {
        Turn::Main => 0,
        Turn::FollowUp { index } => i16::try_from(index + 1).unwrap_or(i16::MAX),
        Turn::Written => -1,
        Turn::Stage { stage } => STAGE_TURNS - stage as i16,
    }
}

/// The stored turn of a design round's first stage.
const STAGE_TURNS: i16 = -10;

/// The inverse of [`turn_number`].
pub fn turn_from_number(n: i16) -> Turn {
    match n {
        -1 => Turn::Written,
        n if n > 0 => Turn::FollowUp {
            index: usize::from(n.unsigned_abs()) - 1,
        },
        n if n <= STAGE_TURNS => Stage::ALL
            .get(usize::from((STAGE_TURNS - n).unsigned_abs()))
            .map_or(Turn::Main, |&stage| Turn::Stage { stage }),
        _ => Turn::Main,
    }
}

/// An answer as stored, with its scores once scored.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    pub answer_id: i64,
    pub guild_id: u64,
    pub user_id: u64,
    pub interview_id: Option<i64>,
    pub qotd_post_id: Option<i64>,
    pub question_id: String,
    pub track: String,
    pub turn: Turn,
    pub body: String,
    pub message_ids: Vec<u64>,
    pub hinted: bool,
    pub status: AnswerStatus,
    pub scores: Option<Scores>,
    /// The assessment's lists as JSON: covered, partial, missed, pitfalls, feedback, notes, and
    /// the follow-up the scorer wrote (or null).
    pub feedback: Option<serde_json::Value>,
    /// The guard capped the LLM's score and flagged the answer for review.
    pub flagged: bool,
    pub scorer: Option<ScorerKind>,
    pub model: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub scored_at: Option<DateTime<Utc>>,
    /// Seconds from the question being asked to this answer's submission (interviews only).
    pub answer_secs: Option<u32>,
}

/// Records the candidate's message as (part of) their answer to one turn of an interview: opens
/// the answer, or adds to it, and counts as activity. `AnswerNotOpen` (answer id 0) when the
/// answer to that turn was submitted already; `AnswerFull` when the message would take it past
/// `limit` (nothing is added); `InterviewNotActive` when the interview is over.
pub async fn add_interview_message(
    ex: impl PgExecutor<'_>,
    interview_id: i64,
    question_id: &str,
    turn: Turn,
    body: &str,
    message_id: u64,
    limit: AnswerLimit,
) -> Result<i64, StoreError> {
    let row = sqlx::query!(
        r#"WITH i AS (
               UPDATE interviews SET last_activity_at = now()
               WHERE interview_id = $1 AND status = 'active'
               RETURNING interview_id, guild_id, user_id
           ), q AS (
               SELECT q.question_key, q.id, q.track
               FROM i, questions q
               WHERE coalesce(q.guild_id, 0) IN (i.guild_id, 0) AND q.id = $2
               ORDER BY q.guild_id NULLS LAST
               LIMIT 1
           ), cur AS (
               SELECT answer_id, status FROM answers
               WHERE interview_id = $1 AND question_id = $2 AND turn = $3
           ), a AS (
               INSERT INTO answers (guild_id, user_id, interview_id, question_key, question_id,
                                    track, turn, body, message_ids, parts)
               SELECT i.guild_id, i.user_id, i.interview_id, q.question_key, q.id, q.track,
                      $3, $4, ARRAY[$5::bigint], ARRAY[$4]
               FROM i, q
               WHERE char_length($4) <= $7
               ON CONFLICT (interview_id, question_id, turn) WHERE interview_id IS NOT NULL
               DO UPDATE SET
                   (message_ids, parts, body) = (
                       SELECT n.ids, n.texts, n.joined
                       FROM answer_add_part(answers.message_ids, answers.parts, answers.body,
                                            excluded.message_ids[1], excluded.body) n)
               WHERE answers.status = 'open'
                 AND (excluded.message_ids[1] = ANY(answers.message_ids)
                      OR (cardinality(answers.message_ids) < $6
                          AND char_length(answers.body) + 1 + char_length(excluded.body) <= $7))
               RETURNING answer_id
           )
           SELECT (SELECT count(*) FROM i) AS "interviews!", (SELECT count(*) FROM q) AS "questions!",
                  (SELECT answer_id FROM a) AS answer_id,
                  (SELECT answer_id FROM cur WHERE status = 'open') AS open_answer"#,
        interview_id,
        question_id,
        turn_number(turn),
        body,
        db_id(message_id),
        limit_i32(limit.messages),
        limit_i32(limit.chars),
    )
    .fetch_one(ex)
    .await?;
    match row.answer_id {
        Some(id) => Ok(id),
        None if row.interviews == 0 => Err(StoreError::InterviewNotActive { interview_id }),
        None if row.questions == 0 => Err(StoreError::UnknownQuestion {
            id: question_id.into(),
        }),
        None => match row.open_answer {
            Some(answer_id) => Err(StoreError::AnswerFull { answer_id }),
            // A first message longer than the limit opens nothing.
            None if body.chars().count() > limit.chars => {
                Err(StoreError::AnswerFull { answer_id: 0 })
            }
            None => Err(StoreError::AnswerNotOpen { answer_id: 0 }),
        },
    }
}

/// A limit as PostgreSQL's `int`; limits are small, so saturating is never reached in practice.
pub(super) fn limit_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Running interviews with an open answer, and their guilds: after a restart, each answer is
/// submitted once its quiet period has passed again.
pub async fn open_in_running_interviews(
    ex: impl PgExecutor<'_>,
) -> Result<Vec<(i64, u64)>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT DISTINCT a.interview_id AS "interview_id!", a.guild_id
           FROM answers a
           JOIN interviews i ON i.interview_id = a.interview_id
           WHERE i.status = 'active' AND a.status = 'open'"#
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.interview_id, discord_id(r.guild_id)))
        .collect())
}

impl AnswerRow {
    /// The assessment stored with a scored answer (token counts and prompt version aside): what
    /// an interview's engine is given again when it is replayed.
    pub fn assessment(&self) -> Option<Assessment> {
        let scores = self.scores?;
        let stored = self.feedback.as_ref()?;
        Some(Assessment {
            scores,
            covered: field(stored, "covered"),
            partial: field(stored, "partial"),
            missed: field(stored, "missed"),
            pitfalls: field(stored, "pitfalls"),
            feedback: field(stored, "feedback"),
            notes: field(stored, "notes"),
            follow_up: field(stored, "follow_up"),
            speaking: field(stored, "speaking"),
            scorer: self.scorer.unwrap_or_default(),
            model: self.model.clone(),
            flagged: self.flagged,
            ..Assessment::default()
        })
    }
}

/// One list of a stored assessment; empty (or `None`) when absent or unreadable, which only an
/// older schema could produce.
fn field<T: serde::de::DeserializeOwned + Default>(stored: &serde_json::Value, key: &str) -> T {
    stored
        .get(key)
        .filter(|v| !v.is_null())
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// Open answers to QOTD posts not yet revealed, and their guilds: after a restart, each is
/// submitted once its quiet period has passed again.
pub async fn open_qotd_answers(ex: impl PgExecutor<'_>) -> Result<Vec<(i64, u64)>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT a.answer_id, a.guild_id
           FROM answers a
           JOIN qotd_posts p ON p.qotd_post_id = a.qotd_post_id
           WHERE a.status = 'open' AND NOT p.revealed"#
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.answer_id, discord_id(r.guild_id)))
        .collect())
}

/// Records the message that shows an answer's feedback.
pub async fn set_feedback_message(
    ex: impl PgExecutor<'_>,
    answer_id: i64,
    message_id: u64,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE answers SET feedback_message_id = $2 WHERE answer_id = $1",
        answer_id,
        db_id(message_id)
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The message that shows an answer's feedback, if one was posted.
pub async fn feedback_message(
    ex: impl PgExecutor<'_>,
    answer_id: i64,
) -> Result<Option<u64>, StoreError> {
    let id = sqlx::query_scalar!(
        "SELECT feedback_message_id FROM answers WHERE answer_id = $1",
        answer_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(id.flatten().map(discord_id))
}

/// Submits an answer and enqueues its scoring job, in one statement. A QOTD answer also extends
/// the member's streak: by one when they answered the guild's previous post, else it restarts.
/// Returns the job id; `AnswerNotOpen` when it was submitted already.
pub async fn submit(
    ex: impl PgExecutor<'_>,
    answer_id: i64,
    hinted: bool,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let job = sqlx::query_scalar!(
        r#"WITH a AS (
               UPDATE answers a SET status = 'submitted', hinted = a.hinted OR $2,
                      submitted_at = $3, day = ($3 AT TIME ZONE g.timezone)::date,
                      -- Until the answer's last message (which touched the interview's
                      -- activity), not the submission, which may wait out the quiet period.
                      answer_secs = (SELECT greatest(0, extract(epoch FROM
                                         least($3, i.last_activity_at) - i.asked_at))::int
                                     FROM interviews i WHERE i.interview_id = a.interview_id)
               FROM guilds g
               WHERE a.answer_id = $1 AND a.status = 'open' AND g.guild_id = a.guild_id
                 AND cardinality(a.message_ids) > 0
               RETURNING a.answer_id, a.guild_id, a.user_id, a.qotd_post_id
           ), job AS (
               INSERT INTO scoring_jobs (answer_id) SELECT answer_id FROM a
               RETURNING job_id
           ), post AS (
               SELECT a.guild_id, a.user_id, p.day,
                      (SELECT max(pp.day) FROM qotd_posts pp
                       WHERE pp.guild_id = p.guild_id AND pp.day < p.day) AS prev
               FROM a JOIN qotd_posts p ON p.qotd_post_id = a.qotd_post_id
           ), streak AS (
               INSERT INTO qotd_streaks (guild_id, user_id, current, best, last_day)
               SELECT guild_id, user_id, 1, 1, day FROM post
               ON CONFLICT (guild_id, user_id) DO UPDATE SET
                   current = CASE WHEN qotd_streaks.last_day = (SELECT prev FROM post)
                                  THEN qotd_streaks.current + 1 ELSE 1 END,
                   best = greatest(qotd_streaks.best,
                                   CASE WHEN qotd_streaks.last_day = (SELECT prev FROM post)
                                        THEN qotd_streaks.current + 1 ELSE 1 END),
                   last_day = excluded.last_day
               WHERE qotd_streaks.last_day < excluded.last_day
           )
           SELECT job_id AS "job_id!" FROM job"#,
        answer_id,
        hinted,
        at
    )
    .fetch_optional(ex)
    .await?;
    job.ok_or(StoreError::AnswerNotOpen { answer_id })
}

/// `SELECT` of every column an [`AnswerRow`] is read from (the assessment's lists gathered
/// into one JSON object), `FROM answers`, followed by `$rest` (the `WHERE` and so on).
macro_rules! select_answers {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Row,
            r#"SELECT answer_id, guild_id, user_id, interview_id, qotd_post_id, question_id, track,
                  turn, body, message_ids, hinted, status, technical, tradeoffs, communication,
                  overall, jsonb_build_object('covered', covered, 'partial', partial,
                      'missed', missed, 'pitfalls', pitfalls, 'feedback', feedback,
                      'notes', notes, 'follow_up', follow_up, 'speaking', speaking) AS feedback,
                  flagged, scorer, model, submitted_at, scored_at, answer_secs
               FROM answers "#
                + $rest,
            $($arg),*
        )
    };
}

/// One answer, with its scores once scored.
pub async fn get(ex: impl PgExecutor<'_>, answer_id: i64) -> Result<Option<AnswerRow>, StoreError> {
    let row = select_answers!(r#"WHERE answer_id = $1"#, answer_id)
        .fetch_optional(ex)
        .await?;
    row.map(Row::into_answer).transpose()
}

/// The answers of an interview, in the order given (for the report and for resuming).
pub async fn for_interview(
    ex: impl PgExecutor<'_>,
    interview_id: i64,
) -> Result<Vec<AnswerRow>, StoreError> {
    let rows = select_answers!(
        r#"WHERE interview_id = $1
           ORDER BY answer_id"#,
        interview_id
    )
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(Row::into_answer).collect()
}

/// An `answers` row as read.
struct Row {
    answer_id: i64,
    guild_id: i64,
    user_id: i64,
    interview_id: Option<i64>,
    qotd_post_id: Option<i64>,
    question_id: String,
    track: String,
    turn: i16,
    body: String,
    message_ids: Vec<i64>,
    hinted: bool,
    status: String,
    technical: Option<f32>,
    tradeoffs: Option<f32>,
    communication: Option<f32>,
    overall: Option<f32>,
    feedback: Option<serde_json::Value>,
    flagged: bool,
    scorer: Option<String>,
    model: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    scored_at: Option<DateTime<Utc>>,
    answer_secs: Option<i32>,
}

impl Row {
    fn into_answer(self) -> Result<AnswerRow, StoreError> {
        let status = AnswerStatus::parse(&self.status)?;
        let scores = match (
            self.technical,
            self.tradeoffs,
            self.communication,
            self.overall,
        ) {
            (Some(technical), Some(tradeoffs), Some(communication), Some(overall)) => {
                Some(Scores {
                    technical,
                    tradeoffs,
                    communication,
                    overall,
                })
            }
            _ => None,
        };
        Ok(AnswerRow {
            answer_id: self.answer_id,
            guild_id: discord_id(self.guild_id),
            user_id: discord_id(self.user_id),
            interview_id: self.interview_id,
            qotd_post_id: self.qotd_post_id,
            question_id: self.question_id,
            track: self.track,
            turn: turn_from_number(self.turn),
            body: self.body,
            message_ids: self.message_ids.into_iter().map(discord_id).collect(),
            hinted: self.hinted,
            status,
            scores,
            feedback: self.feedback.filter(|_| status == AnswerStatus::Scored),
            flagged: self.flagged,
            scorer: self.scorer.as_deref().map(scorer_kind).transpose()?,
            model: self.model,
            submitted_at: self.submitted_at,
            scored_at: self.scored_at,
            answer_secs: self.answer_secs.and_then(|s| u32::try_from(s).ok()),
        })
    }
}

/// The scorer a stored answer names; a name no scorer has means the row is not what this
/// code wrote, and is reported rather than shown as the offline scorer's.
fn scorer_kind(name: &str) -> Result<ScorerKind, StoreError> {
    ScorerKind::parse(name).ok_or_else(|| StoreError::Corrupt(format!("unknown scorer {name:?}")))
}
