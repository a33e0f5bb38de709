//! How often a member may start an interview: at most the guild's `interviews_per_hour` in any
//! hour. Without a bound, a member could farm the interviews-completed board (start, skip to
//! the end, again) and spend the guild's LLM budget alone.

use std::time::Duration;

use chrono::Utc;

use crate::app::{App, AppError};
use crate::store::interviews;

/// `None` when the member may start one now; else how long until they may.
pub async fn wait_before_start(
    app: &App,
    guild_id: u64,
    user_id: u64,
    per_hour: u8,
) -> Result<Option<Duration>, AppError> {
    let hour = chrono::Duration::hours(1);
    let now = Utc::now();
    let (started, oldest) =
        interviews::started_since(&app.pool, guild_id, user_id, now - hour).await?;
    if started < i64::from(per_hour) {
        return Ok(None);
    }
    // The count goes down when the oldest start of the hour leaves it.
    let frees_at = oldest.unwrap_or(now) + hour;
    let wait = (frees_at - now).to_std().unwrap_or(Duration::ZERO);
    Ok(Some(wait.max(Duration::from_secs(60))))
}
