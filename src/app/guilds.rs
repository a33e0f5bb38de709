//! A guild as a whole: what happens when it removes the bot. Its scheduled work stops at once,
//! so that no process keeps posting (and retrying) into a server that answers only 403s, and its
//! data is purged once the operator's grace period has passed (a sweep does it). If the bot is
//! added back first, nothing is purged, and an organiser resumes the question of the day with
//! `/qotd resume`.

use chrono::Utc;
use tracing::info;

use super::interview::outcome_name;
use super::{App, AppError};
use crate::interview::Ending;
use crate::store::{guilds, interviews, outbox, privacy, StoreError};

/// What leaving a guild stopped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    pub qotd_paused: bool,
    /// Running interviews ended as abandoned.
    pub interviews_ended: usize,
}

/// The bot was removed from `guild_id`: pause its question of the day and end its running
/// interviews without posting anything (there is nowhere to post).
pub async fn left(app: &App, guild_id: u64) -> Result<Left, AppError> {
    let (qotd_paused, _) = guilds::update_settings(&app.pool, guild_id, |s| {
        let was_running = s.qotd.channel_id.is_some() && !s.qotd.paused;
        s.qotd.paused = true;
        Ok::<_, StoreError>(was_running)
    })
    .await?;
    let mut interviews_ended = 0;
    for row in interviews::active_in_guild(&app.pool, guild_id).await? {
        let ended =
            interviews::finish(&app.pool, row.interview_id, Ending::Abandoned, Utc::now()).await?;
        outbox::drop_thread(&app.pool, row.thread_id).await?;
        if ended {
            app.metrics.finished(outcome_name(Ending::Abandoned));
            interviews_ended += 1;
        }
    }
    // Last, so that a purge due at once finds the guild's work already stopped.
    privacy::mark_left(&app.pool, guild_id, Utc::now()).await?;
    info!(
        guild_id,
        qotd_paused, interviews_ended, "removed from a guild; its work stopped"
    );
    Ok(Left {
        qotd_paused,
        interviews_ended,
    })
}
