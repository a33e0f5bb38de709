//! Peer reviews: a member's emoji reaction to someone else's answer. One review per (answer,
//! reviewer) — a second reaction replaces the first — and removing the reaction removes the
//! review. Reviews of one's own answer are ignored. The reviewers' boards are kept in the same
//! statement.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use super::{db_id, discord_id, StoreError};

/// What recording a review did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// A new review.
    Added,
    /// The reviewer's earlier review of this answer was replaced.
    Replaced,
    /// The reviewer wrote the answer: ignored.
    OwnAnswer,
}

/// The reviews of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewSummary {
    pub count: i64,
    pub total: i64,
}

/// A member's review of an answer, as a reaction gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewReview<'a> {
    pub guild_id: u64,
    pub reviewer_id: u64,
    /// The reviewer's display name, kept current on their member row.
    pub reviewer_name: &'a str,
    pub answer_id: i64,
    pub value: i16,
    pub emoji: &'a str,
    pub at: DateTime<Utc>,
}

/// Records a review together with its reviewer's member row, in one transaction: a review's
/// reviewer must be a member, and a failure between the two must not leave half of it.
pub async fn record_with_member(
    pool: &sqlx::PgPool,
    review: &NewReview<'_>,
) -> Result<ReviewOutcome, StoreError> {
    let mut tx = pool.begin().await?;
    let r = review;
    super::guilds::upsert_member(&mut *tx, r.guild_id, r.reviewer_id, r.reviewer_name).await?;
    let outcome = record(&mut *tx, r.answer_id, r.reviewer_id, r.value, r.emoji, r.at).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Records `reviewer_id`'s review of an answer, replacing their earlier one. The reviewer must
/// be a member of the answer's guild (`upsert_member`).
pub async fn record(
    ex: impl PgExecutor<'_>,
    answer_id: i64,
    reviewer_id: u64,
    value: i16,
    emoji: &str,
    at: DateTime<Utc>,
) -> Result<ReviewOutcome, StoreError> {
    let row = sqlx::query!(
        r#"WITH a AS (
               SELECT a.answer_id, a.guild_id, a.user_id, a.track,
                      ($5::timestamptz AT TIME ZONE g.timezone)::date AS day
               FROM answers a JOIN guilds g ON g.guild_id = a.guild_id
               WHERE a.answer_id = $1
           ), r AS (
               INSERT INTO reviews (answer_id, reviewer_id, guild_id, value, emoji, day,
                                    created_at, updated_at)
               SELECT answer_id, $2, guild_id, $3, $4, day, $5, $5 FROM a WHERE user_id <> $2
               ON CONFLICT (answer_id, reviewer_id) DO UPDATE SET
                   value = excluded.value, emoji = excluded.emoji, updated_at = excluded.updated_at
               RETURNING (xmax = 0) AS added
           ), counted AS (
               SELECT a.guild_id, t.track, a.day
               FROM a, r, LATERAL (VALUES (''), (a.track)) AS t(track)
               WHERE r.added
           ), totals AS (
               INSERT INTO member_totals (guild_id, user_id, track, reviews)
               SELECT guild_id, $2, track, 1 FROM counted ORDER BY track
               ON CONFLICT (guild_id, track, user_id)
               DO UPDATE SET reviews = member_totals.reviews + 1
           ), days AS (
               INSERT INTO member_days (guild_id, user_id, track, day, reviews)
               SELECT guild_id, $2, track, day, 1 FROM counted ORDER BY track
               ON CONFLICT (guild_id, track, day, user_id)
               DO UPDATE SET reviews = member_days.reviews + 1
           )
           SELECT (SELECT user_id FROM a) AS author, (SELECT added FROM r) AS added"#,
        answer_id,
        db_id(reviewer_id),
        value,
        emoji,
        at
    )
    .fetch_one(ex)
    .await?;
    match (row.author, row.added) {
        (None, _) => Err(StoreError::Missing("the answer")),
        (Some(_), Some(true)) => Ok(ReviewOutcome::Added),
        (Some(_), Some(false)) => Ok(ReviewOutcome::Replaced),
        (Some(_), None) => Ok(ReviewOutcome::OwnAnswer),
    }
}

/// Removes a review when its reaction is removed. A reaction that is not the reviewer's current
/// review (it was replaced since) changes nothing. Returns whether a review was removed.
pub async fn remove(
    ex: impl PgExecutor<'_>,
    answer_id: i64,
    reviewer_id: u64,
    emoji: &str,
) -> Result<bool, StoreError> {
    let removed = sqlx::query_scalar!(
        r#"WITH r AS (
               DELETE FROM reviews WHERE answer_id = $1 AND reviewer_id = $2 AND emoji = $3
               RETURNING guild_id, reviewer_id, day
           ), counted AS (
               SELECT r.guild_id, r.reviewer_id, r.day, t.track
               FROM r
               JOIN answers a ON a.answer_id = $1
               CROSS JOIN LATERAL (VALUES (''), (a.track)) AS t(track)
           ), totals AS (
               INSERT INTO member_totals (guild_id, user_id, track, reviews)
               SELECT guild_id, reviewer_id, track, 0 FROM counted ORDER BY track
               ON CONFLICT (guild_id, track, user_id)
               DO UPDATE SET reviews = member_totals.reviews - 1
           ), days AS (
               INSERT INTO member_days (guild_id, user_id, track, day, reviews)
               SELECT guild_id, reviewer_id, track, day, 0 FROM counted ORDER BY track
               ON CONFLICT (guild_id, track, day, user_id)
               DO UPDATE SET reviews = member_days.reviews - 1
           )
           SELECT count(*) AS "removed!" FROM r"#,
        answer_id,
        db_id(reviewer_id),
        emoji
    )
    .fetch_one(ex)
    .await?;
    Ok(removed > 0)
}

/// How many reviews an answer has and their total value.
pub async fn summary(ex: impl PgExecutor<'_>, answer_id: i64) -> Result<ReviewSummary, StoreError> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "count!", coalesce(sum(value), 0)::int8 AS "total!"
           FROM reviews WHERE answer_id = $1"#,
        answer_id
    )
    .fetch_one(ex)
    .await?;
    Ok(ReviewSummary {
        count: row.count,
        total: row.total,
    })
}

/// The answer a message belongs to, as a reaction handler needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerRef {
    pub answer_id: i64,
    /// Who wrote the answer.
    pub user_id: u64,
    pub interview_id: Option<i64>,
    pub qotd_post_id: Option<i64>,
}

/// The answer (interview or QOTD) that `message_id` is part of, in this guild; `None` for any
/// other message. One look-up in the GIN index on `message_ids`: most reactions a bot sees are
/// not on answers, so this must stay cheap.
pub async fn answer_for_message(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    message_id: u64,
) -> Result<Option<AnswerRef>, StoreError> {
    let row = sqlx::query!(
        r#"SELECT answer_id, user_id, interview_id, qotd_post_id
           FROM answers
           WHERE message_ids @> ARRAY[$2::bigint] AND guild_id = $1
           LIMIT 1"#,
        db_id(guild_id),
        db_id(message_id)
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| AnswerRef {
        answer_id: r.answer_id,
        user_id: discord_id(r.user_id),
        interview_id: r.interview_id,
        qotd_post_id: r.qotd_post_id,
    }))
}

/// The reviews of several answers (a page of history, an interview's report) in one query.
/// Answers nobody reviewed are absent from the map.
pub async fn summaries(
    ex: impl PgExecutor<'_>,
    answer_ids: &[i64],
) -> Result<HashMap<i64, ReviewSummary>, StoreError> {
    if answer_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = sqlx::query!(
        r#"SELECT answer_id, count(*) AS "count!", coalesce(sum(value), 0)::int8 AS "total!"
           FROM reviews WHERE answer_id = ANY($1)
           GROUP BY answer_id"#,
        answer_ids
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let summary = ReviewSummary {
                count: r.count,
                total: r.total,
            };
            (r.answer_id, summary)
        })
        .collect())
}
