//! A member edits or deletes one of their messages. When the message is part of an answer still
//! open, the answer follows (the edit replaces that part, the deletion removes it) and its quiet
//! period starts again; once the answer was submitted, what was scored stays.

use std::time::Duration;

use super::{App, AppError};
use crate::interview::ANSWER_LIMIT;
use crate::store::answer_parts::{self, AnswerOf, PartChange};
use crate::store::guilds;

/// What an edit or a deletion came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// Not part of an answer, or nothing changed.
    Nothing,
    /// The open answer changed: submit it after `quiet` without another change.
    Changed { answer: AnswerOf, quiet: Duration },
    /// The answer was submitted before the edit: it was scored as it stood.
    AfterSubmit,
    /// The edit would take the answer past its limit: the answer keeps the earlier text.
    TooLong,
}

/// Message `message_id` in `guild_id` now reads `body`.
pub async fn message_edited(
    app: &App,
    guild_id: u64,
    message_id: u64,
    body: &str,
) -> Result<Edited, AppError> {
    let change = answer_parts::edit(&app.pool, guild_id, message_id, body, ANSWER_LIMIT.chars);
    edited(app, guild_id, change.await?).await
}

/// Message `message_id` in `guild_id` was deleted.
pub async fn message_deleted(
    app: &App,
    guild_id: u64,
    message_id: u64,
) -> Result<Edited, AppError> {
    let change = answer_parts::remove(&app.pool, guild_id, message_id).await?;
    // Deleting a message of a submitted answer is no news to its author.
    if matches!(change, PartChange::Submitted(_)) {
        return Ok(Edited::Nothing);
    }
    edited(app, guild_id, change).await
}

async fn edited(app: &App, guild_id: u64, change: PartChange) -> Result<Edited, AppError> {
    Ok(match change {
        PartChange::NotAnswer | PartChange::Unchanged => Edited::Nothing,
        PartChange::Submitted(_) => Edited::AfterSubmit,
        PartChange::TooLong(_) => Edited::TooLong,
        PartChange::Changed(answer) => {
            let quiet = guilds::settings(&app.pool, guild_id).await?.quiet_period;
            Edited::Changed { answer, quiet }
        }
    })
}
