//! Questions members suggest with `/questions suggest`, waiting for an organiser's decision. A
//! suggestion is decided once: approving saves its question into the guild's pack in the same
//! transaction, so a double click or two organisers at once never make two questions.

use sqlx::PgExecutor;

use super::{db_id, discord_id, StoreError};

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Approved,
    Rejected,
}

impl Status {
    fn parse(s: &str) -> Result<Status, StoreError> {
        match s {
            "open" => Ok(Status::Open),
            "approved" => Ok(Status::Approved),
            "rejected" => Ok(Status::Rejected),
            other => Err(StoreError::Corrupt(format!("suggestion status {other:?}"))),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
        }
    }
}

/// A suggestion as stored; `draft` is what the member wrote, as the app's `Draft` JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub suggestion_id: i64,
    pub guild_id: u64,
    pub user_id: u64,
    pub channel_id: u64,
    pub draft: serde_json::Value,
    pub status: Status,
    pub review_channel_id: Option<u64>,
    pub review_message_id: Option<u64>,
    /// The guild question an approved suggestion became.
    pub question_id: Option<String>,
}

/// Stores a new suggestion by a member (who must be recorded in the guild).
pub async fn create(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    channel_id: u64,
    draft: &serde_json::Value,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar!(
        "INSERT INTO question_suggestions (guild_id, user_id, channel_id, draft)
         VALUES ($1, $2, $3, $4) RETURNING suggestion_id",
        db_id(guild_id),
        db_id(user_id),
        db_id(channel_id),
        draft
    )
    .fetch_one(ex)
    .await?;
    Ok(id)
}

/// Records the message organisers review the suggestion on.
pub async fn set_review_message(
    ex: impl PgExecutor<'_>,
    suggestion_id: i64,
    channel_id: u64,
    message_id: u64,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE question_suggestions SET review_channel_id = $2, review_message_id = $3
         WHERE suggestion_id = $1",
        suggestion_id,
        db_id(channel_id),
        db_id(message_id)
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The suggestion, in the guild it was made in.
pub async fn get(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    suggestion_id: i64,
) -> Result<Option<Suggestion>, StoreError> {
    let row = sqlx::query_as!(
        Row,
        "SELECT suggestion_id, guild_id, user_id, channel_id, draft, status, review_channel_id,
                review_message_id, question_id
         FROM question_suggestions WHERE suggestion_id = $1 AND guild_id = $2",
        suggestion_id,
        db_id(guild_id)
    )
    .fetch_optional(ex)
    .await?;
    row.map(Row::into_suggestion).transpose()
}

/// Replaces an open suggestion's draft (an organiser's edit); false when it was decided.
pub async fn edit(
    ex: impl PgExecutor<'_>,
    suggestion_id: i64,
    draft: &serde_json::Value,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE question_suggestions SET draft = $2
         WHERE suggestion_id = $1 AND status = 'open'",
        suggestion_id,
        draft
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Decides an open suggestion; false when it was decided already. Run it in the transaction
/// that saves an approved suggestion's question.
pub async fn decide(
    ex: impl PgExecutor<'_>,
    suggestion_id: i64,
    status: Status,
    question_id: Option<&str>,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE question_suggestions SET status = $2, question_id = $3, decided_at = now()
         WHERE suggestion_id = $1 AND status = 'open'",
        suggestion_id,
        status.as_str(),
        question_id
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A `question_suggestions` row as read.
struct Row {
    suggestion_id: i64,
    guild_id: i64,
    user_id: i64,
    channel_id: i64,
    draft: serde_json::Value,
    status: String,
    review_channel_id: Option<i64>,
    review_message_id: Option<i64>,
    question_id: Option<String>,
}

impl Row {
    fn into_suggestion(self) -> Result<Suggestion, StoreError> {
        Ok(Suggestion {
            suggestion_id: self.suggestion_id,
            guild_id: discord_id(self.guild_id),
            user_id: discord_id(self.user_id),
            channel_id: discord_id(self.channel_id),
            draft: self.draft,
            status: Status::parse(&self.status)?,
            review_channel_id: self.review_channel_id.map(discord_id),
            review_message_id: self.review_message_id.map(discord_id),
            question_id: self.question_id,
        })
    }
}
