//! A member's answer to a question of the day: opened and added to by their messages in the
//! post's thread until it is submitted; after that, later messages are talk, not answers, and
//! a member replaces their answer only by asking to (the "Answer again" button), which drops the
//! earlier answer's scores and reviews from every board in the same statement.

use sqlx::PgExecutor;

use super::answers::limit_i32;
use super::{db_id, StoreError};
use crate::interview::AnswerLimit;

/// Records a member's message in a QOTD thread: opens their answer, or adds to it. `QotdClosed`
/// once the question was revealed or the answer submitted; `AnswerFull` when the message would
/// take the answer past `limit` (nothing is added).
pub async fn add_qotd_message(
    ex: impl PgExecutor<'_>,
    qotd_post_id: i64,
    user_id: u64,
    body: &str,
    message_id: u64,
    limit: AnswerLimit,
) -> Result<i64, StoreError> {
    let row = sqlx::query!(
        r#"WITH cur AS (
               SELECT answer_id, status FROM answers
               WHERE qotd_post_id = $1 AND user_id = $2
           ), a AS (
               INSERT INTO answers (guild_id, user_id, qotd_post_id, question_key, question_id,
                                    track, body, message_ids, parts)
               SELECT p.guild_id, $2, p.qotd_post_id, p.question_key, p.question_id, q.track,
                      $3, ARRAY[$4::bigint], ARRAY[$3]
               FROM qotd_posts p
               JOIN questions q ON q.question_key = p.question_key
               WHERE p.qotd_post_id = $1 AND NOT p.revealed AND char_length($3) <= $6
               ON CONFLICT (qotd_post_id, user_id) WHERE qotd_post_id IS NOT NULL DO UPDATE SET
                   (message_ids, parts, body) = (
                       SELECT n.ids, n.texts, n.joined
                       FROM answer_add_part(answers.message_ids, answers.parts, answers.body,
                                            excluded.message_ids[1], excluded.body) n)
               WHERE answers.status = 'open'
                 AND (excluded.message_ids[1] = ANY(answers.message_ids)
                      OR (cardinality(answers.message_ids) < $5
                          AND char_length(answers.body) + 1 + char_length(excluded.body) <= $6))
               RETURNING answer_id
           )
           SELECT (SELECT answer_id FROM a) AS answer_id,
                  (SELECT answer_id FROM cur WHERE status = 'open') AS open_answer"#,
        qotd_post_id,
        db_id(user_id),
        body,
        db_id(message_id),
        limit_i32(limit.messages),
        limit_i32(limit.chars),
    )
    .fetch_one(ex)
    .await?;
    match (row.answer_id, row.open_answer) {
        (Some(id), _) => Ok(id),
        (None, Some(answer_id)) => Err(StoreError::AnswerFull { answer_id }),
        (None, None) if body.chars().count() > limit.chars => {
            Err(StoreError::AnswerFull { answer_id: 0 })
        }
        (None, None) => Err(StoreError::QotdClosed),
    }
}

/// Replaces a member's submitted answer to a QOTD post with the message `message_id` (they
/// pressed "Answer again"): the answer is open again with that message alone, its scores leave
/// the leaderboards, its job is dropped, and its reviews are removed with the reviewers' counts
/// — reviews of the earlier text must not stick to the new one. Refused (`QotdClosed`) once the
/// post is revealed, while the answer is still open, or when the message is already part of it
/// (a second press).
pub async fn replace_qotd_answer(
    ex: impl PgExecutor<'_>,
    qotd_post_id: i64,
    user_id: u64,
    body: &str,
    message_id: u64,
) -> Result<i64, StoreError> {
    let replaced = sqlx::query_scalar!(
        r#"WITH old AS (
               SELECT a.answer_id, a.guild_id, a.user_id, a.track, a.day, a.status,
                      coalesce(a.points, 0) AS points
               FROM answers a JOIN qotd_posts p ON p.qotd_post_id = a.qotd_post_id
               WHERE a.qotd_post_id = $1 AND a.user_id = $2 AND NOT p.revealed
                 AND a.status <> 'open' AND NOT $4 = ANY(a.message_ids)
               FOR UPDATE OF a
           ), counted AS (
               SELECT o.guild_id, o.user_id, t.track, o.day, o.points
               FROM old o CROSS JOIN LATERAL (VALUES (''), (o.track)) AS t(track)
               WHERE o.status = 'scored'
           ), totals AS (
               UPDATE member_totals m SET answers = m.answers - 1, points = m.points - c.points
               FROM counted c
               WHERE m.guild_id = c.guild_id AND m.user_id = c.user_id AND m.track = c.track
           ), days AS (
               UPDATE member_days m SET answers = m.answers - 1, points = m.points - c.points
               FROM counted c
               WHERE m.guild_id = c.guild_id AND m.user_id = c.user_id AND m.track = c.track
                 AND m.day = c.day
           ), job AS (
               DELETE FROM scoring_jobs j USING old WHERE j.answer_id = old.answer_id
           ), dropped AS (
               DELETE FROM reviews r USING old WHERE r.answer_id = old.answer_id
               RETURNING r.guild_id, r.reviewer_id, r.day, old.track
           ), given AS (
               -- One review per reviewer per answer, so each reviewer's rows change once.
               SELECT d.guild_id, d.reviewer_id, d.day, t.track
               FROM dropped d CROSS JOIN LATERAL (VALUES (''), (d.track)) AS t(track)
           ), given_totals AS (
               UPDATE member_totals m SET reviews = m.reviews - 1
               FROM given g
               WHERE m.guild_id = g.guild_id AND m.user_id = g.reviewer_id AND m.track = g.track
           ), given_days AS (
               UPDATE member_days m SET reviews = m.reviews - 1
               FROM given g
               WHERE m.guild_id = g.guild_id AND m.user_id = g.reviewer_id AND m.track = g.track
                 AND m.day = g.day
           )
           UPDATE answers a SET status = 'open', body = $3, message_ids = ARRAY[$4::bigint],
                  parts = ARRAY[$3], again_offered = false,
                  submitted_at = NULL, scored_at = NULL, day = NULL, technical = NULL,
                  tradeoffs = NULL, communication = NULL, overall = NULL, points = NULL,
                  covered = NULL, partial = NULL, missed = NULL, pitfalls = NULL,
                  feedback = NULL, notes = NULL, flagged = false, follow_up = NULL,
                  scorer = NULL, model = NULL, prompt_version = NULL, tokens_in = NULL,
                  tokens_out = NULL, feedback_message_id = NULL, text_erased_at = NULL,
                  speaking = NULL
           FROM old WHERE a.answer_id = old.answer_id
           RETURNING a.answer_id"#,
        qotd_post_id,
        db_id(user_id),
        body,
        db_id(message_id)
    )
    .fetch_optional(ex)
    .await?;
    replaced.ok_or(StoreError::QotdClosed)
}

/// The member's answer to a QOTD post is in (submitted or scored) and they were not yet offered
/// to answer again: marks the offer made and returns the answer's id. `None` when there is no
/// such answer or the offer was made before, so a member is offered once per answer however
/// much they talk afterwards.
pub async fn offer_again(
    ex: impl PgExecutor<'_>,
    qotd_post_id: i64,
    user_id: u64,
) -> Result<Option<i64>, StoreError> {
    let offered = sqlx::query_scalar!(
        r#"UPDATE answers a SET again_offered = true
           FROM qotd_posts p
           WHERE a.qotd_post_id = $1 AND a.user_id = $2 AND p.qotd_post_id = a.qotd_post_id
             AND NOT p.revealed AND a.status <> 'open' AND NOT a.again_offered
           RETURNING a.answer_id"#,
        qotd_post_id,
        db_id(user_id)
    )
    .fetch_optional(ex)
    .await?;
    Ok(offered)
}
