//! Question-of-the-day posts. Posting starts with a claim on (guild, day): the unique key makes
//! exactly one claimer win, so two processes (or a restart at 9:00:01) never post twice. The
//! winner posts, then records the message and thread; the reveal is claimed the same way.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use super::{db_id, discord_id, StoreError};
use crate::qotd::RevealEntry;

/// A QOTD post as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct QotdPost {
    pub qotd_post_id: i64,
    pub guild_id: u64,
    pub day: NaiveDate,
    pub question_id: String,
    /// The version of the question the post asked (see `questions::versions`); `None` for
    /// posts made before versions were kept.
    pub question_version: Option<Vec<u8>>,
    pub message_id: Option<u64>,
    pub thread_id: Option<u64>,
    pub revealed: bool,
    pub created_at: DateTime<Utc>,
}

/// A member's run of consecutive QOTD posts answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Streak {
    pub current: i32,
    pub best: i32,
    /// The day of the last post answered.
    pub last_day: NaiveDate,
}

/// Claims the post for (guild, local day). `Some(post id)` for the one caller that wins; `None`
/// when the day was claimed already.
pub async fn claim(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    day: NaiveDate,
    question_id: &str,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query!(
        r#"WITH q AS (
               SELECT question_key, id, content_hash FROM questions
               WHERE coalesce(guild_id, 0) IN ($1, 0) AND id = $3
               ORDER BY guild_id NULLS LAST
               LIMIT 1
           ), post AS (
               INSERT INTO qotd_posts (guild_id, day, question_key, question_id,
                                       question_version)
               SELECT $1, $2, question_key, id, content_hash FROM q
               ON CONFLICT (guild_id, day) DO NOTHING
               RETURNING qotd_post_id
           )
           SELECT (SELECT count(*) FROM q) AS "found!", (SELECT qotd_post_id FROM post) AS post_id"#,
        db_id(guild_id),
        day,
        question_id
    )
    .fetch_one(ex)
    .await?;
    if row.found == 0 {
        return Err(StoreError::UnknownQuestion {
            id: question_id.into(),
        });
    }
    Ok(row.post_id)
}

/// Records where the post went.
pub async fn set_message(
    ex: impl PgExecutor<'_>,
    qotd_post_id: i64,
    message_id: u64,
    thread_id: Option<u64>,
) -> Result<(), StoreError> {
    let updated = sqlx::query!(
        "UPDATE qotd_posts SET message_id = $2, thread_id = $3 WHERE qotd_post_id = $1",
        qotd_post_id,
        db_id(message_id),
        thread_id.map(db_id)
    )
    .execute(ex)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(StoreError::Missing("the QOTD post"));
    }
    Ok(())
}

/// Marks a post revealed. True for the one caller that revealed it.
pub async fn reveal(ex: impl PgExecutor<'_>, qotd_post_id: i64) -> Result<bool, StoreError> {
    let revealed = sqlx::query!(
        "UPDATE qotd_posts SET revealed = true, revealed_at = now()
         WHERE qotd_post_id = $1 AND NOT revealed",
        qotd_post_id
    )
    .execute(ex)
    .await?
    .rows_affected();
    Ok(revealed > 0)
}

/// `SELECT` of every column a [`QotdPost`] is read from, `FROM qotd_posts`, followed by `$rest`
/// (the `WHERE` and so on): one column list for every query that reads whole posts.
macro_rules! select_posts {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Row,
            "SELECT qotd_post_id, guild_id, day, question_id, question_version, message_id,
                    thread_id, revealed, created_at
             FROM qotd_posts "
                + $rest,
            $($arg),*
        )
    };
}

/// The guild's post for a day.
pub async fn for_day(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    day: NaiveDate,
) -> Result<Option<QotdPost>, StoreError> {
    let row = select_posts!("WHERE guild_id = $1 AND day = $2", db_id(guild_id), day)
        .fetch_optional(ex)
        .await?;
    Ok(row.map(Row::into_post))
}

/// The post a thread belongs to (how a message in a QOTD thread finds its question).
pub async fn by_thread(
    ex: impl PgExecutor<'_>,
    thread_id: u64,
) -> Result<Option<QotdPost>, StoreError> {
    let row = select_posts!("WHERE thread_id = $1", db_id(thread_id))
        .fetch_optional(ex)
        .await?;
    Ok(row.map(Row::into_post))
}

/// The guild's posts before `day` still waiting for their reveal, oldest first.
pub async fn unrevealed_before(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    day: NaiveDate,
) -> Result<Vec<QotdPost>, StoreError> {
    let rows = select_posts!(
        "WHERE guild_id = $1 AND day < $2 AND NOT revealed
         ORDER BY day",
        db_id(guild_id),
        day
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(Row::into_post).collect())
}

/// The questions of the guild's last `limit` posts, newest first (so the picker can avoid them).
pub async fn recent_question_ids(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    let ids = sqlx::query_scalar!(
        "SELECT question_id FROM qotd_posts WHERE guild_id = $1 ORDER BY day DESC LIMIT $2",
        db_id(guild_id),
        limit
    )
    .fetch_all(ex)
    .await?;
    Ok(ids)
}

/// A member's QOTD streak as last extended (it may have lapsed since: see the leaderboard).
pub async fn streak(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
) -> Result<Option<Streak>, StoreError> {
    let row = sqlx::query!(
        "SELECT current, best, last_day FROM qotd_streaks WHERE guild_id = $1 AND user_id = $2",
        db_id(guild_id),
        db_id(user_id)
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| Streak {
        current: r.current,
        best: r.best,
        last_day: r.last_day,
    }))
}

/// One member's answer to a post, as the reveal shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PostAnswer {
    pub answer_id: i64,
    pub user_id: u64,
    pub display_name: String,
    pub overall: Option<f32>,
    /// Sum and number of peer reviews.
    pub peer_total: i64,
    pub peer_count: i64,
    /// The member's current QOTD streak, if this post extended it.
    pub streak: Option<i32>,
}

impl PostAnswer {
    /// The answer as the reveal ranks it.
    pub fn entry(&self) -> RevealEntry {
        RevealEntry {
            answer_id: self.answer_id,
            user_id: self.user_id,
            overall: self.overall,
            peer_total: self.peer_total,
            peer_count: self.peer_count,
        }
    }
}

/// The submitted answers to a post, with their scores, peer reviews and the streaks they made.
pub async fn answers(
    ex: impl PgExecutor<'_>,
    qotd_post_id: i64,
) -> Result<Vec<PostAnswer>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT a.answer_id, a.user_id, m.display_name, a.overall,
                  coalesce(r.total, 0)::int8 AS "peer_total!", coalesce(r.n, 0) AS "peer_count!",
                  s.current AS "streak?"
           FROM answers a
           JOIN qotd_posts p ON p.qotd_post_id = a.qotd_post_id
           JOIN members m ON m.guild_id = a.guild_id AND m.user_id = a.user_id
           LEFT JOIN LATERAL (
               SELECT sum(value) AS total, count(*) AS n FROM reviews WHERE answer_id = a.answer_id
           ) r ON true
           LEFT JOIN qotd_streaks s
                  ON s.guild_id = a.guild_id AND s.user_id = a.user_id AND s.last_day = p.day
           WHERE a.qotd_post_id = $1 AND a.status <> 'open'
           ORDER BY a.answer_id"#,
        qotd_post_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PostAnswer {
            answer_id: r.answer_id,
            user_id: discord_id(r.user_id),
            display_name: r.display_name,
            overall: r.overall,
            peer_total: r.peer_total,
            peer_count: r.peer_count,
            streak: r.streak,
        })
        .collect())
}

/// A post by id.
pub async fn get(
    ex: impl PgExecutor<'_>,
    qotd_post_id: i64,
) -> Result<Option<QotdPost>, StoreError> {
    let row = select_posts!("WHERE qotd_post_id = $1", qotd_post_id)
        .fetch_optional(ex)
        .await?;
    Ok(row.map(Row::into_post))
}

/// A `qotd_posts` row as read.
struct Row {
    qotd_post_id: i64,
    guild_id: i64,
    day: NaiveDate,
    question_id: String,
    question_version: Option<Vec<u8>>,
    message_id: Option<i64>,
    thread_id: Option<i64>,
    revealed: bool,
    created_at: DateTime<Utc>,
}

impl Row {
    fn into_post(self) -> QotdPost {
        QotdPost {
            qotd_post_id: self.qotd_post_id,
            guild_id: discord_id(self.guild_id),
            day: self.day,
            question_id: self.question_id,
            question_version: self.question_version,
            message_id: self.message_id.map(discord_id),
            thread_id: self.thread_id.map(discord_id),
            revealed: self.revealed,
            created_at: self.created_at,
        }
    }
}
