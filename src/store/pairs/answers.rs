//! One question of a peer interview's round: the candidate's answer as their messages add to
//! it, the interviewer's marks and note, the grade that closes it, and the bot's second
//! opinion, claimed under a short lease so that two processes never score it twice.

use sqlx::PgExecutor;

use super::{count, int, Pair};
use crate::interview::pair::{Mark, Marks};
use crate::store::{db_id, discord_id, StoreError};

/// One question of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct PairAnswer {
    pub pair_id: i64,
    pub round: u32,
    pub position: u32,
    pub interviewer_id: u64,
    pub user_id: u64,
    pub question_id: String,
    pub body: String,
    pub marks: Marks,
    pub note: Option<String>,
    pub peer_score: Option<f32>,
    pub graded: bool,
    pub assessment: Option<serde_json::Value>,
}

/// Which question of which round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerKey {
    pub pair_id: i64,
    pub round: u32,
    pub position: u32,
}

impl PairAnswer {
    pub fn key(&self) -> AnswerKey {
        AnswerKey {
            pair_id: self.pair_id,
            round: self.round,
            position: self.position,
        }
    }
}

/// Asks `question_id` as the next question of the pair's round; `None` when the round's last
/// question is still ungraded (a second click on the picker) or the pair is not active.
pub async fn ask(
    ex: impl PgExecutor<'_>,
    pair: &Pair,
    question_id: &str,
) -> Result<Option<AnswerKey>, StoreError> {
    let position = sqlx::query_scalar!(
        r#"INSERT INTO pair_answers (pair_id, round, position, guild_id, interviewer_id, user_id,
                                     question_id)
           SELECT p.pair_id, p.round,
                  coalesce((SELECT max(position) FROM pair_answers a
                            WHERE a.pair_id = p.pair_id AND a.round = p.round), 0) + 1,
                  p.guild_id, $2, $3, $4
           FROM pairs p
           WHERE p.pair_id = $1 AND p.status = 'active' AND p.round = $5 AND NOT p.reporting
             AND NOT EXISTS (SELECT 1 FROM pair_answers a
                             WHERE a.pair_id = p.pair_id AND a.round = p.round
                               AND a.graded_at IS NULL)
           ON CONFLICT DO NOTHING
           RETURNING position"#,
        pair.pair_id,
        db_id(pair.interviewer()),
        db_id(pair.candidate()),
        question_id,
        int(pair.round)
    )
    .fetch_optional(ex)
    .await?;
    Ok(position.map(|p| AnswerKey {
        pair_id: pair.pair_id,
        round: pair.round,
        position: count(p),
    }))
}

macro_rules! answer_from_row {
    ($r:expr) => {
        PairAnswer {
            pair_id: $r.pair_id,
            round: count($r.round),
            position: count($r.position),
            interviewer_id: discord_id($r.interviewer_id),
            user_id: discord_id($r.user_id),
            question_id: $r.question_id,
            body: $r.body,
            marks: serde_json::from_value($r.marks)
                .map_err(|e| StoreError::Corrupt(format!("pair marks: {e}")))?,
            note: $r.note,
            peer_score: $r.peer_score,
            graded: $r.graded,
            assessment: $r.assessment,
        }
    };
}

/// The questions of round `round`, in the order asked.
pub async fn answers(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
    round: u32,
) -> Result<Vec<PairAnswer>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT pair_id, round, position, interviewer_id, user_id, question_id, body, marks,
                  note, peer_score, graded_at IS NOT NULL AS "graded!", assessment
           FROM pair_answers WHERE pair_id = $1 AND round = $2 ORDER BY position"#,
        pair_id,
        int(round)
    )
    .fetch_all(ex)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(answer_from_row!(r));
    }
    Ok(out)
}

/// Every question ever asked in the pair, for not asking one twice.
pub async fn asked(ex: impl PgExecutor<'_>, pair_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar!(
        "SELECT question_id FROM pair_answers WHERE pair_id = $1",
        pair_id
    )
    .fetch_all(ex)
    .await?)
}

/// Adds the candidate's message to the round's open (ungraded) question; whether there was
/// one to add it to.
pub async fn append(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
    user_id: u64,
    message_id: u64,
    text: &str,
    limit_chars: usize,
) -> Result<bool, StoreError> {
    let added = sqlx::query!(
        "UPDATE pair_answers a
         SET body = CASE WHEN a.body = '' THEN $4 ELSE a.body || E'\n' || $4 END,
             message_ids = a.message_ids || $3::bigint
         FROM pairs p
         WHERE p.pair_id = $1 AND a.pair_id = p.pair_id AND a.round = p.round
           AND a.user_id = $2 AND a.graded_at IS NULL
           AND char_length(a.body) + char_length($4) + 1 <= $5",
        pair_id,
        db_id(user_id),
        db_id(message_id),
        text,
        i32::try_from(limit_chars).unwrap_or(i32::MAX)
    )
    .execute(ex)
    .await?;
    Ok(added.rows_affected() > 0)
}

/// Marks one point of an ungraded answer; whether it was still open to marking.
pub async fn mark(
    ex: impl PgExecutor<'_>,
    key: AnswerKey,
    point_id: &str,
    mark: Mark,
) -> Result<bool, StoreError> {
    let value = serde_json::to_value(mark).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let done = sqlx::query!(
        "UPDATE pair_answers SET marks = marks || jsonb_build_object($4::text, $5::jsonb)
         WHERE pair_id = $1 AND round = $2 AND position = $3 AND graded_at IS NULL",
        key.pair_id,
        int(key.round),
        int(key.position),
        point_id,
        value
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The interviewer's note on an answer (kept short by the form that takes it).
pub async fn set_note(
    ex: impl PgExecutor<'_>,
    key: AnswerKey,
    note: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE pair_answers SET note = NULLIF(btrim($4), '')
         WHERE pair_id = $1 AND round = $2 AND position = $3",
        key.pair_id,
        int(key.round),
        int(key.position),
        note
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Closes the answer with its peer score; whether this call graded it (an answer with no
/// text yet, or graded already, is not).
pub async fn grade(
    ex: impl PgExecutor<'_>,
    key: AnswerKey,
    peer_score: f32,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE pair_answers SET graded_at = now(), peer_score = $4
         WHERE pair_id = $1 AND round = $2 AND position = $3 AND graded_at IS NULL
           AND body <> ''",
        key.pair_id,
        int(key.round),
        int(key.position),
        peer_score
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A graded answer waiting for the bot's second opinion.
#[derive(Debug, Clone, PartialEq)]
pub struct ToScore {
    pub key: AnswerKey,
    pub guild_id: u64,
    pub question_id: String,
    pub body: String,
}

/// Takes graded answers without a second opinion (of one pair, or of all) that nobody took up
/// within `stale`: a process that died while scoring leaves them to the next sweep.
pub async fn claim_scoring(
    ex: impl PgExecutor<'_>,
    pair_id: Option<i64>,
    stale: std::time::Duration,
) -> Result<Vec<ToScore>, StoreError> {
    let rows = sqlx::query!(
        "UPDATE pair_answers SET scoring_since = now()
         WHERE graded_at IS NOT NULL AND assessment IS NULL
           AND ($1::bigint IS NULL OR pair_id = $1)
           AND (scoring_since IS NULL OR scoring_since < now() - make_interval(secs => $2))
         RETURNING pair_id, round, position, guild_id, question_id, body",
        pair_id,
        stale.as_secs_f64()
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ToScore {
            key: AnswerKey {
                pair_id: r.pair_id,
                round: count(r.round),
                position: count(r.position),
            },
            guild_id: discord_id(r.guild_id),
            question_id: r.question_id,
            body: r.body,
        })
        .collect())
}

/// Keeps the bot's second opinion.
pub async fn set_assessment(
    ex: impl PgExecutor<'_>,
    key: AnswerKey,
    assessment: &serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE pair_answers SET assessment = $4
         WHERE pair_id = $1 AND round = $2 AND position = $3",
        key.pair_id,
        int(key.round),
        int(key.position),
        assessment
    )
    .execute(ex)
    .await?;
    Ok(())
}
