//! An answer's messages as parts: a member who edits a message of their open answer changes
//! that part, and one who deletes it removes the part; `body` stays the parts joined by
//! newlines. Once an answer is submitted its text is what was scored, and stays.

use sqlx::PgExecutor;

use super::answers::limit_i32;
use super::{db_id, StoreError};

/// What an edit or a deletion of a message did to the answer it is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartChange {
    /// The message is part of no answer.
    NotAnswer,
    /// The open answer changed.
    Changed(AnswerOf),
    /// Nothing to change: the text is the same (Discord also sends an edit when it unfurls a
    /// link), or the answer predates parts.
    Unchanged,
    /// The answer was submitted: what was scored stays as it was.
    Submitted(AnswerOf),
    /// The edit would take the answer past `limit`: it keeps its earlier text.
    TooLong(AnswerOf),
}

/// The answer a message is part of, and what it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerOf {
    pub answer_id: i64,
    pub interview_id: Option<i64>,
    pub qotd_post_id: Option<i64>,
}

/// The member edited message `message_id` in `guild_id` to read `body`.
pub async fn edit(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    message_id: u64,
    body: &str,
    limit_chars: usize,
) -> Result<PartChange, StoreError> {
    let row = sqlx::query!(
        r#"WITH a AS (
               SELECT answer_id, interview_id, qotd_post_id, status = 'open' AS open,
                      parts, cardinality(parts) IS NOT DISTINCT FROM cardinality(message_ids)
                          AS has_parts,
                      array_position(message_ids, $2::bigint) AS i
               FROM answers
               WHERE message_ids @> ARRAY[$2::bigint] AND guild_id = $1
               LIMIT 1
               FOR UPDATE
           ), p AS (
               SELECT answer_id, parts[:i - 1] || $3::text || parts[i + 1:] AS parts
               FROM a WHERE open AND has_parts AND parts[i] IS DISTINCT FROM $3
           ), u AS (
               UPDATE answers x SET parts = p.parts, body = array_to_string(p.parts, E'\n')
               FROM p
               WHERE x.answer_id = p.answer_id
                 AND char_length(array_to_string(p.parts, E'\n')) <= $4
               RETURNING x.answer_id
           )
           SELECT answer_id AS "answer_id!", interview_id, qotd_post_id, open AS "open!",
                  has_parts AS "has_parts!", parts[i] IS NOT DISTINCT FROM $3 AS "same!",
                  EXISTS (SELECT 1 FROM u) AS "changed!"
           FROM a"#,
        db_id(guild_id),
        db_id(message_id),
        body,
        limit_i32(limit_chars)
    )
    .fetch_optional(ex)
    .await?;
    let Some(r) = row else {
        return Ok(PartChange::NotAnswer);
    };
    let of = AnswerOf {
        answer_id: r.answer_id,
        interview_id: r.interview_id,
        qotd_post_id: r.qotd_post_id,
    };
    Ok(match (r.changed, r.same, r.open, r.has_parts) {
        (true, ..) => PartChange::Changed(of),
        (false, true, ..) => PartChange::Unchanged,
        (false, false, false, _) => PartChange::Submitted(of),
        (false, false, true, false) => PartChange::Unchanged,
        (false, false, true, true) => PartChange::TooLong(of),
    })
}

/// The member deleted message `message_id` in `guild_id`: an open answer loses that part (an
/// answer left with none has nothing to submit until the member writes again).
pub async fn remove(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    message_id: u64,
) -> Result<PartChange, StoreError> {
    let row = sqlx::query!(
        r#"WITH a AS (
               SELECT answer_id, interview_id, qotd_post_id, status = 'open' AS open,
                      parts, message_ids,
                      cardinality(parts) IS NOT DISTINCT FROM cardinality(message_ids)
                          AS has_parts,
                      array_position(message_ids, $2::bigint) AS i
               FROM answers
               WHERE message_ids @> ARRAY[$2::bigint] AND guild_id = $1
               LIMIT 1
               FOR UPDATE
           ), u AS (
               UPDATE answers x
               SET parts = a.parts[:a.i - 1] || a.parts[a.i + 1:],
                   message_ids = a.message_ids[:a.i - 1] || a.message_ids[a.i + 1:],
                   body = array_to_string(a.parts[:a.i - 1] || a.parts[a.i + 1:], E'\n')
               FROM a
               WHERE x.answer_id = a.answer_id AND a.open AND a.has_parts
               RETURNING x.answer_id
           )
           SELECT answer_id AS "answer_id!", interview_id, qotd_post_id, open AS "open!",
                  EXISTS (SELECT 1 FROM u) AS "changed!"
           FROM a"#,
        db_id(guild_id),
        db_id(message_id)
    )
    .fetch_optional(ex)
    .await?;
    let Some(r) = row else {
        return Ok(PartChange::NotAnswer);
    };
    let of = AnswerOf {
        answer_id: r.answer_id,
        interview_id: r.interview_id,
        qotd_post_id: r.qotd_post_id,
    };
    Ok(match (r.changed, r.open) {
        (true, _) => PartChange::Changed(of),
        (false, false) => PartChange::Submitted(of),
        (false, true) => PartChange::Unchanged,
    })
}
