//! The scheduler: every tick, each guild with a question of the day is asked "is today's post
//! due, is a reveal due?" at the time the tick is given — the real clock in production, any
//! time in tests. Posting is claimed per (guild, local day) in the store, so ticks in several
//! processes, or a tick after downtime, post once.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Days, Utc};
use tokio::sync::watch;
use tracing::{error, warn};

use super::{post, reveal};
use crate::bot::{dispatch, error_chain, Bot, BotError};
use crate::qotd::{local_day, post_due, reveal_due, time_zone};
use crate::store::guilds::{self, QotdSchedule};
use crate::store::qotd_posts;

/// What one tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    pub posted: usize,
    pub revealed: usize,
}

/// Ticks every `every` until `shutdown` turns true.
pub async fn run(bot: Arc<Bot>, every: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(e) = tick(&bot, Utc::now()).await {
            error!(error = %error_chain(&e), "QOTD tick failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Posts and reveals whatever is due at `now`, guild by guild; one guild's failure is logged
/// and does not stop the others.
pub async fn tick(bot: &Bot, now: DateTime<Utc>) -> Result<Tick, BotError> {
    let mut total = Tick::default();
    for schedule in guilds::qotd_schedules(&bot.app.pool).await? {
        match tick_guild(bot, &schedule, now).await {
            Ok(t) => {
                total.posted += t.posted;
                total.revealed += t.revealed;
                if t.posted > 0 {
                    guilds::record_qotd_posted(&bot.app.pool, schedule.guild_id).await?;
                }
            }
            Err(e) => {
                error!(
                    guild_id = schedule.guild_id,
                    error = %error_chain(&e),
                    "QOTD failed for a guild"
                );
                refused(bot, schedule.guild_id, &e).await?;
            }
        }
    }
    Ok(total)
}

/// Counts a refusal by Discord (403, 404) towards pausing the guild's schedule; other
/// failures (Discord's own errors, a timeout) are tried again on the next tick.
async fn refused(bot: &Bot, guild_id: u64, error: &BotError) -> Result<(), BotError> {
    let BotError::Discord(discord) = error else {
        return Ok(());
    };
    if !dispatch::is_gone(discord) {
        return Ok(());
    }
    let reason = refusal_reason(discord);
    if guilds::record_qotd_refusal(&bot.app.pool, guild_id, &reason).await? {
        warn!(guild_id, %reason, "Discord keeps refusing the question of the day; schedule paused");
    }
    Ok(())
}

/// Discord's own words for a refusal ("Missing Access", "Unknown Channel").
fn refusal_reason(error: &serenity::Error) -> String {
    match error {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(e)) => {
            e.error.message.clone()
        }
        other => other.to_string(),
    }
}

async fn tick_guild(bot: &Bot, s: &QotdSchedule, now: DateTime<Utc>) -> Result<Tick, BotError> {
    let mut done = Tick::default();
    let Some(tz) = time_zone(&s.timezone) else {
        warn!(guild_id = s.guild_id, zone = %s.timezone, "unknown time zone; QOTD skipped");
        return Ok(done);
    };
    if s.qotd.reveal_time.is_some() {
        let tomorrow = local_day(now, tz)
            .checked_add_days(Days::new(1))
            .unwrap_or_else(|| local_day(now, tz));
        for p in qotd_posts::unrevealed_before(&bot.app.pool, s.guild_id, tomorrow).await? {
            if reveal_due(now, tz, p.day, s.qotd.reveal_time) && reveal::reveal(bot, &p).await? {
                done.revealed += 1;
            }
        }
    }
    if let Some(day) = post_due(now, tz, s.qotd.time) {
        let posted = post::post_for_day(bot, s, day, now).await?;
        done.posted += usize::from(posted.posted);
        done.revealed += posted.revealed;
    }
    Ok(done)
}
