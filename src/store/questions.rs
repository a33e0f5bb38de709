//! Questions as the database holds them. The bundled bank is synced at start-up: each question is
//! keyed by id and carries the sha256 of its JSON, so a restart rewrites only what changed and a
//! question that left the bank is retired (answers still point at it). Guild packs live beside
//! it with their `guild_id`, and a guild's question overrides a bundled one of the same id.
//! Every content a question ever had is kept as a version under its hash, for the interviews
//! and posts that asked it.

use std::collections::HashSet;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use sqlx::{PgExecutor, PgPool};

use super::{db_id, difficulty, discord_id, StoreError};
use crate::bank::{Difficulty, Question};

/// What a bank sync changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub retired: u64,
}

/// A question row. `content` is the question's JSON, as serialised by `bank::Question`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuestion {
    pub guild_id: Option<u64>,
    pub id: String,
    pub track: String,
    pub topic: String,
    pub difficulty: Difficulty,
    pub content: serde_json::Value,
    pub content_hash: Vec<u8>,
    pub retired: bool,
}

/// A question's JSON and the sha256 of it.
pub fn content_and_hash(q: &Question) -> Result<(serde_json::Value, Vec<u8>), StoreError> {
    let bytes = serde_json::to_vec(q).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let content = serde_json::from_slice(&bytes).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok((content, Sha256::digest(&bytes).to_vec()))
}

/// Syncs the bundled bank: inserts new questions, rewrites changed ones, retires the ones gone.
pub async fn sync_bank(pool: &PgPool, bank: &[Arc<Question>]) -> Result<SyncReport, StoreError> {
    let mut cols = Columns::default();
    for q in bank {
        cols.push(q)?;
    }
    let mut tx = pool.begin().await?;
    save_versions(&mut *tx, &cols.hashes, &cols.contents).await?;
    let changed = sqlx::query_scalar!(
        r#"INSERT INTO questions (guild_id, id, track, topic, difficulty, content, content_hash)
           SELECT NULL, id, track, topic, difficulty, content, content_hash
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::bytea[])
                AS q(id, track, topic, difficulty, content, content_hash)
           ON CONFLICT ((coalesce(guild_id, 0)), id) DO UPDATE SET
               track = excluded.track, topic = excluded.topic, difficulty = excluded.difficulty,
               content = excluded.content, content_hash = excluded.content_hash,
               retired = false, updated_at = now()
           WHERE questions.content_hash <> excluded.content_hash OR questions.retired
           RETURNING (xmax = 0) AS "inserted!""#,
        &cols.ids,
        &cols.tracks,
        &cols.topics,
        &cols.difficulties,
        &cols.contents,
        &cols.hashes,
    )
    .fetch_all(&mut *tx)
    .await?;
    let retired = sqlx::query!(
        "UPDATE questions SET retired = true, updated_at = now()
         WHERE guild_id IS NULL AND NOT retired AND id <> ALL($1)",
        &cols.ids
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    let inserted = changed.iter().filter(|&&i| i).count() as u64;
    let updated = changed.len() as u64 - inserted;
    Ok(SyncReport {
        inserted,
        updated,
        unchanged: bank.len() as u64 - inserted - updated,
        retired,
    })
}

/// The bank as parallel arrays, for one `unnest` round trip.
#[derive(Default)]
struct Columns {
    ids: Vec<String>,
    tracks: Vec<String>,
    topics: Vec<String>,
    difficulties: Vec<String>,
    contents: Vec<serde_json::Value>,
    hashes: Vec<Vec<u8>>,
}

impl Columns {
    fn push(&mut self, q: &Question) -> Result<(), StoreError> {
        let (content, hash) = content_and_hash(q)?;
        self.ids.push(q.id.clone());
        self.tracks.push(q.track.clone());
        self.topics.push(q.topic.clone());
        self.difficulties.push(q.difficulty.as_str().into());
        self.contents.push(content);
        self.hashes.push(hash);
        Ok(())
    }
}

/// What saving a question of a guild's pack did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Added,
    /// Its content changed; it keeps its id, so its history stays with it.
    Changed,
    Unchanged,
}

/// Adds or replaces a question of a guild's own pack: idempotent by id and content hash.
pub async fn upsert_guild_question(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    q: &Question,
) -> Result<Saved, StoreError> {
    let (content, hash) = content_and_hash(q)?;
    let inserted = sqlx::query_scalar!(
        r#"WITH g AS (
               INSERT INTO guilds (guild_id) VALUES ($1) ON CONFLICT (guild_id) DO NOTHING
           ), version AS (
               INSERT INTO question_versions (content_hash, content) VALUES ($7, $6)
               ON CONFLICT (content_hash) DO NOTHING
           )
           INSERT INTO questions (guild_id, id, track, topic, difficulty, content, content_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT ((coalesce(guild_id, 0)), id) DO UPDATE SET
               track = excluded.track, topic = excluded.topic, difficulty = excluded.difficulty,
               content = excluded.content, content_hash = excluded.content_hash,
               retired = false, updated_at = now()
           WHERE questions.content_hash <> excluded.content_hash OR questions.retired
           RETURNING (xmax = 0) AS "inserted!""#,
        db_id(guild_id),
        q.id,
        q.track,
        q.topic,
        q.difficulty.as_str(),
        content,
        hash
    )
    .fetch_optional(ex)
    .await?;
    Ok(match inserted {
        Some(true) => Saved::Added,
        Some(false) => Saved::Changed,
        None => Saved::Unchanged,
    })
}

/// Keeps these contents as versions (a version is never rewritten: same hash, same content).
async fn save_versions(
    ex: impl PgExecutor<'_>,
    hashes: &[Vec<u8>],
    contents: &[serde_json::Value],
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO question_versions (content_hash, content)
         SELECT * FROM unnest($1::bytea[], $2::jsonb[])
         ON CONFLICT (content_hash) DO NOTHING",
        hashes,
        contents
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The stored versions among `hashes`, as (hash, content); unknown hashes are left out.
pub async fn versions(
    ex: impl PgExecutor<'_>,
    hashes: &[Vec<u8>],
) -> Result<Vec<(Vec<u8>, serde_json::Value)>, StoreError> {
    let rows = sqlx::query!(
        "SELECT content_hash, content FROM question_versions WHERE content_hash = ANY ($1)",
        hashes
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.content_hash, r.content))
        .collect())
}

/// The version of the question an answer answers: the one its interview planned, or its post
/// asked. `None` for answers from before versions were kept.
pub async fn version_answered(
    ex: impl PgExecutor<'_>,
    answer_id: i64,
) -> Result<Option<Vec<u8>>, StoreError> {
    let version = sqlx::query_scalar!(
        r#"SELECT coalesce(
               p.question_version,
               i.plan_versions[(SELECT n::int FROM jsonb_array_elements_text(i.plan)
                                    WITH ORDINALITY AS e(id, n)
                                WHERE e.id = a.question_id LIMIT 1)]
           ) AS version
           FROM answers a
           LEFT JOIN interviews i ON i.interview_id = a.interview_id
           LEFT JOIN qotd_posts p ON p.qotd_post_id = a.qotd_post_id
           WHERE a.answer_id = $1"#,
        answer_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(version.flatten())
}

/// Deletes the versions nothing refers to any more: after a guild's purge, its own questions'.
pub async fn forget_unused_versions(ex: impl PgExecutor<'_>) -> Result<u64, StoreError> {
    let forgotten = sqlx::query!(
        "WITH used AS (
             SELECT content_hash FROM questions
             UNION SELECT question_version FROM qotd_posts WHERE question_version IS NOT NULL
             UNION SELECT unnest(plan_versions) FROM interviews
         )
         DELETE FROM question_versions v
         WHERE NOT EXISTS (SELECT 1 FROM used u WHERE u.content_hash = v.content_hash)"
    )
    .execute(ex)
    .await?;
    Ok(forgotten.rows_affected())
}

/// Removes a question from a guild's pack. Past answers keep pointing at it, so it is retired.
pub async fn retire_guild_question(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    id: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE questions SET retired = true, updated_at = now()
         WHERE coalesce(guild_id, 0) = $1 AND id = $2 AND NOT retired",
        db_id(guild_id),
        id
    )
    .execute(ex)
    .await?
    .rows_affected();
    Ok(done > 0)
}

/// A guild's own questions still in use, by track and id (for `/questions export`).
pub async fn guild_questions(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
) -> Result<Vec<StoredQuestion>, StoreError> {
    let rows = sqlx::query_as!(
        QuestionRow,
        "SELECT guild_id, id, track, topic, difficulty, content, content_hash, retired
         FROM questions
         WHERE guild_id = $1 AND NOT retired
         ORDER BY track, id",
        db_id(guild_id)
    )
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(QuestionRow::into_stored).collect()
}

/// The versions of a guild's own questions still in use, in track and id order: what its
/// pack is, for a reader that keeps versions (`app::questions`).
pub async fn guild_versions(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
) -> Result<Vec<Vec<u8>>, StoreError> {
    let hashes = sqlx::query_scalar!(
        "SELECT content_hash FROM questions
         WHERE guild_id = $1 AND NOT retired
         ORDER BY track, id",
        db_id(guild_id)
    )
    .fetch_all(ex)
    .await?;
    Ok(hashes)
}

/// The tracks of a guild's own questions still in use.
pub async fn guild_tracks(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
) -> Result<Vec<String>, StoreError> {
    let tracks = sqlx::query_scalar!(
        "SELECT DISTINCT track FROM questions
         WHERE guild_id = $1 AND NOT retired
         ORDER BY track",
        db_id(guild_id)
    )
    .fetch_all(ex)
    .await?;
    Ok(tracks)
}

/// Takes question `id` out of `guild_id`'s interviews and question of the day. Returns whether
/// it was in them until now.
pub async fn hide(ex: impl PgExecutor<'_>, guild_id: u64, id: &str) -> Result<bool, StoreError> {
    let hidden = sqlx::query!(
        "WITH g AS (
             INSERT INTO guilds (guild_id) VALUES ($1) ON CONFLICT (guild_id) DO NOTHING
         )
         INSERT INTO hidden_questions (guild_id, question_id) VALUES ($1, $2)
         ON CONFLICT (guild_id, question_id) DO NOTHING",
        db_id(guild_id),
        id
    )
    .execute(ex)
    .await?;
    Ok(hidden.rows_affected() > 0)
}

/// Puts question `id` back into `guild_id`'s interviews and question of the day. Returns
/// whether it was hidden.
pub async fn unhide(ex: impl PgExecutor<'_>, guild_id: u64, id: &str) -> Result<bool, StoreError> {
    let shown = sqlx::query!(
        "DELETE FROM hidden_questions WHERE guild_id = $1 AND question_id = $2",
        db_id(guild_id),
        id
    )
    .execute(ex)
    .await?;
    Ok(shown.rows_affected() > 0)
}

/// The ids of the questions `guild_id` hid.
pub async fn hidden(ex: impl PgExecutor<'_>, guild_id: u64) -> Result<HashSet<String>, StoreError> {
    let ids = sqlx::query_scalar!(
        "SELECT question_id FROM hidden_questions WHERE guild_id = $1",
        db_id(guild_id)
    )
    .fetch_all(ex)
    .await?;
    Ok(ids.into_iter().collect())
}

/// The question a guild sees under this id: its own, else the bundled one.
pub async fn find(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    id: &str,
) -> Result<Option<StoredQuestion>, StoreError> {
    let row = sqlx::query_as!(
        QuestionRow,
        "SELECT guild_id, id, track, topic, difficulty, content, content_hash, retired
         FROM questions
         WHERE coalesce(guild_id, 0) IN ($1, 0) AND id = $2
         ORDER BY guild_id NULLS LAST
         LIMIT 1",
        db_id(guild_id),
        id
    )
    .fetch_optional(ex)
    .await?;
    row.map(QuestionRow::into_stored).transpose()
}

/// A `questions` row as read.
struct QuestionRow {
    guild_id: Option<i64>,
    id: String,
    track: String,
    topic: String,
    difficulty: String,
    content: serde_json::Value,
    content_hash: Vec<u8>,
    retired: bool,
}

impl QuestionRow {
    fn into_stored(self) -> Result<StoredQuestion, StoreError> {
        Ok(StoredQuestion {
            guild_id: self.guild_id.map(discord_id),
            id: self.id,
            track: self.track,
            topic: self.topic,
            difficulty: difficulty(&self.difficulty)?,
            content: self.content,
            content_hash: self.content_hash,
            retired: self.retired,
        })
    }
}
