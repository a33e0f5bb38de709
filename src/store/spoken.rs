//! How each voice-message part of an answer was spoken (`spoken_parts`), so that the feedback
//! on an answer, and the report, can say how the candidate spoke over all of it. Counts and
//! filler words only: neither the audio nor the transcript is kept here.

use sqlx::PgExecutor;

use super::{db_id, StoreError};
use crate::speech::Speaking;

/// Keeps how message `message_id` was spoken. Nothing is kept for someone who is not (yet) a
/// member the bot knows: such a message is part of no answer.
pub async fn record(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    message_id: u64,
    speaking: &Speaking,
) -> Result<(), StoreError> {
    let json = serde_json::to_value(speaking).map_err(|e| StoreError::Invalid(e.to_string()))?;
    sqlx::query!(
        "INSERT INTO spoken_parts (message_id, guild_id, user_id, speaking)
         SELECT $1, $2, $3, $4
         WHERE EXISTS (SELECT 1 FROM members WHERE guild_id = $2 AND user_id = $3)
         ON CONFLICT (message_id) DO UPDATE SET speaking = excluded.speaking",
        db_id(message_id),
        db_id(guild_id),
        db_id(user_id),
        json
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// How answer `answer_id` was spoken, over its messages that were voice messages; `None` when
/// none was (a typed answer).
pub async fn of_answer(
    ex: impl PgExecutor<'_>,
    answer_id: i64,
) -> Result<Option<Speaking>, StoreError> {
    let rows = sqlx::query_scalar!(
        "SELECT s.speaking
         FROM answers a
         JOIN spoken_parts s ON s.message_id = ANY (a.message_ids) AND s.guild_id = a.guild_id
         WHERE a.answer_id = $1
         ORDER BY array_position(a.message_ids, s.message_id)",
        answer_id
    )
    .fetch_all(ex)
    .await?;
    let parts = rows
        .into_iter()
        .map(|json| {
            serde_json::from_value::<Speaking>(json).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Speaking::combine(parts))
}
