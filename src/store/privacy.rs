//! A member's data rights and an operator's purge: everything the bot keeps about one member
//! in one guild, as one JSON document, and erasing it with the boards kept consistent.
//!
//! Every table that holds a member's data references `members (guild_id, user_id)` with
//! `ON DELETE CASCADE`, so erasing the member row erases their interviews, answers (interview
//! and QOTD), the reviews they gave, and their roll-ups in one statement; the reviews others
//! gave their answers go with the answers. What that changes in other members' roll-ups (the
//! reviews they gave are gone) is recomputed from the facts for the guild, in the same
//! transaction.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgExecutor, PgPool};

use super::{db_id, discord_id, rollups, StoreError};

/// The version of the export's layout; bumped when a key changes meaning or goes away.
pub const EXPORT_SCHEMA_VERSION: i32 = 1;

/// What erasing a member removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Erased {
    pub interviews: i64,
    pub answers: i64,
    pub qotd_answers: i64,
    pub reviews_given: i64,
}

impl Erased {
    pub fn is_empty(&self) -> bool {
        *self == Erased::default()
    }
}

/// Everything stored about `user_id` in `guild_id`, keyed by table (`answers` holds interview
/// answers, `qotd_answers` the question-of-the-day ones; `reviews_given` and
/// `reviews_received` split `reviews`, and a received review does not name its reviewer,
/// whose identity is their data, not this member's).
pub async fn export_member(
    pool: &PgPool,
    guild_id: u64,
    user_id: u64,
) -> Result<Value, StoreError> {
    let export = sqlx::query_scalar!(
        r#"SELECT json_build_object(
             'schema_version', $3::int4,
             'guild_id', $1::int8,
             'user_id', $2::int8,
             'exported_at', now(),
             'members', (SELECT coalesce(json_agg(m), '[]') FROM members m
                         WHERE m.guild_id = $1 AND m.user_id = $2),
             'interviews', (SELECT coalesce(json_agg(i ORDER BY i.interview_id), '[]')
                            FROM interviews i WHERE i.guild_id = $1 AND i.user_id = $2),
             'answers', (SELECT coalesce(json_agg(a ORDER BY a.answer_id), '[]') FROM answers a
                         WHERE a.guild_id = $1 AND a.user_id = $2
                           AND a.interview_id IS NOT NULL),
             'qotd_answers', (SELECT coalesce(json_agg(a ORDER BY a.answer_id), '[]')
                              FROM answers a
                              WHERE a.guild_id = $1 AND a.user_id = $2
                                AND a.qotd_post_id IS NOT NULL),
             'reviews_given', (SELECT coalesce(json_agg(r ORDER BY r.created_at), '[]')
                               FROM reviews r WHERE r.guild_id = $1 AND r.reviewer_id = $2),
             'reviews_received', (
                 SELECT coalesce(json_agg(json_build_object(
                            'answer_id', r.answer_id, 'value', r.value, 'emoji', r.emoji,
                            'day', r.day, 'created_at', r.created_at)
                        ORDER BY r.created_at), '[]')
                 FROM reviews r JOIN answers a ON a.answer_id = r.answer_id
                 WHERE a.guild_id = $1 AND a.user_id = $2),
             'member_totals', (SELECT coalesce(json_agg(t ORDER BY t.track), '[]')
                               FROM member_totals t WHERE t.guild_id = $1 AND t.user_id = $2),
             'member_days', (SELECT coalesce(json_agg(d ORDER BY d.day, d.track), '[]')
                             FROM member_days d WHERE d.guild_id = $1 AND d.user_id = $2),
             'qotd_streaks', (SELECT coalesce(json_agg(s), '[]') FROM qotd_streaks s
                              WHERE s.guild_id = $1 AND s.user_id = $2),
             'question_suggestions', (
                 SELECT coalesce(json_agg(s ORDER BY s.suggestion_id), '[]')
                 FROM question_suggestions s WHERE s.guild_id = $1 AND s.user_id = $2),
             'drill_reminders', (SELECT coalesce(json_agg(r), '[]') FROM drill_reminders r
                                 WHERE r.guild_id = $1 AND r.user_id = $2),
             'spoken_parts', (SELECT coalesce(json_agg(s ORDER BY s.message_id), '[]')
                              FROM spoken_parts s WHERE s.guild_id = $1 AND s.user_id = $2),
             'pairs', (SELECT coalesce(json_agg(p ORDER BY p.pair_id), '[]') FROM pairs p
                       WHERE p.guild_id = $1 AND $2 IN (p.host_id, p.guest_id)),
             'pair_answers', (SELECT coalesce(json_agg(a ORDER BY a.pair_id, a.round,
                                                       a.position), '[]')
                              FROM pair_answers a
                              WHERE a.guild_id = $1 AND $2 IN (a.user_id, a.interviewer_id))
           ) AS "export!""#,
        db_id(guild_id),
        db_id(user_id),
        EXPORT_SCHEMA_VERSION,
    )
    .fetch_one(pool)
    .await?;
    Ok(export)
}

/// Erases everything stored about `user_id` in `guild_id` and recomputes the guild's boards,
/// in one transaction: either all of it is gone and the boards agree with what is left, or
/// nothing changed. A deadlock with a writer the lock order does not foresee is tried again.
pub async fn erase_member(
    pool: &PgPool,
    guild_id: u64,
    user_id: u64,
) -> Result<Erased, StoreError> {
    const TRIES: u32 = 3;
    let mut tried = 1;
    loop {
        match erase_member_once(pool, guild_id, user_id).await {
            Err(e) if tried < TRIES && is_deadlock(&e) => tried += 1,
            done => return done,
        }
    }
}

fn is_deadlock(e: &StoreError) -> bool {
    let StoreError::Database(e) = e else {
        return false;
    };
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "40P01")
}

async fn erase_member_once(
    pool: &PgPool,
    guild_id: u64,
    user_id: u64,
) -> Result<Erased, StoreError> {
    let (guild, user) = (db_id(guild_id), db_id(user_id));
    let mut tx = pool.begin().await?;
    // The member's rows first, in the order the bot's writers take them (member, interview,
    // answer, then roll-ups): a reaction, an interview step or a score in flight finishes
    // before this goes on, rather than waiting for a roll-up lock held here.
    sqlx::query!(
        "SELECT 1 AS one FROM members WHERE guild_id = $1 AND user_id = $2 FOR UPDATE",
        guild,
        user
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "SELECT interview_id FROM interviews WHERE guild_id = $1 AND user_id = $2
         ORDER BY interview_id FOR UPDATE",
        guild,
        user
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "SELECT answer_id FROM answers WHERE guild_id = $1 AND user_id = $2
         ORDER BY answer_id FOR UPDATE",
        guild,
        user
    )
    .fetch_all(&mut *tx)
    .await?;
    // Roll-up writers wait for this transaction from here (see `rollups::lock`), so none
    // applies an increment between the erase and the recomputation.
    rollups::lock(&mut tx).await?;
    let erased = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM interviews WHERE guild_id = $1 AND user_id = $2) AS "interviews!",
             (SELECT count(*) FROM answers
              WHERE guild_id = $1 AND user_id = $2 AND interview_id IS NOT NULL) AS "answers!",
             (SELECT count(*) FROM answers
              WHERE guild_id = $1 AND user_id = $2 AND qotd_post_id IS NOT NULL) AS "qotd_answers!",
             (SELECT count(*) FROM reviews
              WHERE guild_id = $1 AND reviewer_id = $2) AS "reviews_given!""#,
        db_id(guild_id),
        db_id(user_id),
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM members WHERE guild_id = $1 AND user_id = $2",
        db_id(guild_id),
        db_id(user_id),
    )
    .execute(&mut *tx)
    .await?;
    rollups::rebuild_guild(&mut tx, guild_id).await?;
    tx.commit().await?;
    Ok(Erased {
        interviews: erased.interviews,
        answers: erased.answers,
        qotd_answers: erased.qotd_answers,
        reviews_given: erased.reviews_given,
    })
}

/// Deletes a guild and everything stored for it: settings, members, interviews, answers,
/// reviews, QOTD posts, its own questions, LLM usage and boards. Returns whether it was known.
pub async fn purge_guild(pool: &PgPool, guild_id: u64) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await?;
    let deleted = sqlx::query!("DELETE FROM guilds WHERE guild_id = $1", db_id(guild_id))
        .execute(&mut *tx)
        .await?;
    // The guild's own questions went with it; so do the versions only they used.
    super::questions::forget_unused_versions(&mut *tx).await?;
    tx.commit().await?;
    Ok(deleted.rows_affected() > 0)
}

/// The bot was removed from `guild_id` at `at`: its data waits out the grace period.
pub async fn mark_left(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE guilds SET left_at = $2 WHERE guild_id = $1 AND left_at IS NULL",
        db_id(guild_id),
        at
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The stored guilds of shard `shard` (of `shards`) that are not in `present`, the guilds
/// Discord lists at READY, are marked as left at `at`: the bot was removed from them while no
/// process was connected, so no GUILD_DELETE came. Returns how many were marked.
pub async fn mark_absent_left(
    ex: impl PgExecutor<'_>,
    present: &[u64],
    shard: u32,
    shards: u32,
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let present: Vec<i64> = present.iter().copied().map(db_id).collect();
    let marked = sqlx::query!(
        "UPDATE guilds SET left_at = $4
         WHERE left_at IS NULL AND (guild_id >> 22) % $3 = $2 AND guild_id <> ALL ($1)",
        &present,
        i64::from(shard),
        i64::from(shards.max(1)),
        at
    )
    .execute(ex)
    .await?;
    Ok(marked.rows_affected())
}

/// The bot is in `guild_id` (again): nothing of it is to be purged.
pub async fn mark_present(ex: impl PgExecutor<'_>, guild_id: u64) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE guilds SET left_at = NULL WHERE guild_id = $1 AND left_at IS NOT NULL",
        db_id(guild_id)
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Purges every guild the bot left before `cutoff`, as [`purge_guild`] does; returns their ids.
pub async fn purge_guilds_left_before(
    pool: &PgPool,
    cutoff: DateTime<Utc>,
) -> Result<Vec<u64>, StoreError> {
    let mut tx = pool.begin().await?;
    let ids = sqlx::query_scalar!(
        "DELETE FROM guilds WHERE left_at < $1 RETURNING guild_id",
        cutoff
    )
    .fetch_all(&mut *tx)
    .await?;
    if !ids.is_empty() {
        super::questions::forget_unused_versions(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(ids.into_iter().map(discord_id).collect())
}

/// Erases the text of answers older than their guild's retention (`answer_retention_days`), at
/// most `batch` of them: the body, the parts and the quotes of it in the points' evidence.
/// Scores, points and feedback stay, so boards and profiles are unchanged. An answer still
/// being written (its interview running, its QOTD post not revealed) or waiting for its score
/// is left for a later sweep: the scorer must read the text, and would write new quotes of it.
/// Returns how many were erased; a sweep calls it until fewer than `batch` are.
pub async fn erase_expired_answer_text(
    ex: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    batch: i64,
) -> Result<u64, StoreError> {
    let erased = sqlx::query!(
        "WITH due AS (
             SELECT a.answer_id
             FROM answers a JOIN guilds g ON g.guild_id = a.guild_id
             WHERE g.answer_retention_days IS NOT NULL
               AND a.text_erased_at IS NULL
               AND a.created_at < $1::timestamptz - make_interval(days => g.answer_retention_days)
               AND CASE a.status
                   WHEN 'open' THEN
                       NOT EXISTS (SELECT 1 FROM interviews i
                                   WHERE i.interview_id = a.interview_id
                                     AND i.status = 'active')
                       AND NOT EXISTS (SELECT 1 FROM qotd_posts p
                                       WHERE p.qotd_post_id = a.qotd_post_id AND NOT p.revealed)
                   WHEN 'submitted' THEN false
                   ELSE NOT EXISTS (SELECT 1 FROM scoring_jobs j
                                    WHERE j.answer_id = a.answer_id
                                      AND j.status IN ('queued', 'running'))
                   END
             LIMIT $2
             FOR UPDATE OF a SKIP LOCKED
         )
         UPDATE answers a
         SET body = '', parts = NULL, text_erased_at = $1,
             covered = coalesce((SELECT jsonb_agg(p - 'evidence')
                                 FROM jsonb_array_elements(a.covered) p), a.covered),
             partial = coalesce((SELECT jsonb_agg(p - 'evidence')
                                 FROM jsonb_array_elements(a.partial) p), a.partial)
         FROM due WHERE a.answer_id = due.answer_id",
        now,
        batch
    )
    .execute(ex)
    .await?;
    Ok(erased.rows_affected())
}
