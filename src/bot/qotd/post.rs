//! Posting a day's question: claim (guild, day), reveal what the next post reveals, post the
//! question in the channel with the role to ping, open its thread for answers, and record both.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serenity::all::{AutoArchiveDuration, ChannelId, CreateThread};
use tracing::{info, warn};

use super::reveal;
use crate::bank::Question;
use crate::bot::{render, Bot, BotError};
use crate::qotd::pick_question;
use crate::store::guilds::QotdSchedule;
use crate::store::qotd as posts;

/// A claim older than this whose message was never recorded belonged to a process that died
/// while posting; another may post in its place.
const STALE_CLAIM: chrono::Duration = chrono::Duration::minutes(2);

/// What posting a day did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Posted {
    /// This call posted the day's question (false: it was posted, or is being, already).
    pub posted: bool,
    pub revealed: usize,
    pub post_id: Option<i64>,
}

/// Posts the guild's question for `day`, once: a day already claimed is left alone, unless
/// its claim went stale without a message.
pub async fn post_for_day(
    bot: &Bot,
    s: &QotdSchedule,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Posted, BotError> {
    let Some(channel) = s.qotd.channel_id else {
        return Ok(Posted::default());
    };
    let (post_id, question) = match posts::for_day(&bot.pool, s.guild_id, day).await? {
        Some(p) if p.message_id.is_some() || now - p.created_at < STALE_CLAIM => {
            return Ok(Posted::default());
        }
        Some(p) => (p.qotd_post_id, question(bot, &p.question_id)?),
        None => {
            let Some(q) = next_question(bot, s, day).await? else {
                warn!(
                    guild_id = s.guild_id,
                    "no question fits this guild's QOTD filters"
                );
                return Ok(Posted::default());
            };
            match posts::claim(&bot.pool, s.guild_id, day, &q.id).await? {
                Some(id) => (id, q),
                None => return Ok(Posted::default()),
            }
        }
    };
    let mut revealed = 0;
    if s.qotd.reveal_time.is_none() {
        for earlier in posts::unrevealed_before(&bot.pool, s.guild_id, day).await? {
            revealed += usize::from(reveal::reveal(bot, &earlier).await?);
        }
    }
    let channel = ChannelId::new(channel);
    let message = render::qotd::post(&question, day, s.qotd.ping_role_id);
    let message = channel.send_message(&bot.http, message).await?;
    let thread = CreateThread::new(format!("Answers: {day}"))
        .auto_archive_duration(AutoArchiveDuration::OneDay);
    let thread = channel
        .create_thread_from_message(&bot.http, message.id, thread)
        .await?;
    posts::set_message(&bot.pool, post_id, message.id.get(), Some(thread.id.get())).await?;
    info!(guild_id = s.guild_id, %day, question = %question.id, "question of the day posted");
    Ok(Posted {
        posted: true,
        revealed,
        post_id: Some(post_id),
    })
}

/// The next question for the guild: from its track and difficulty, none again until the pool
/// is used up.
async fn next_question(
    bot: &Bot,
    s: &QotdSchedule,
    day: NaiveDate,
) -> Result<Option<std::sync::Arc<Question>>, BotError> {
    let pool: Vec<_> = bot
        .bank
        .questions()
        .iter()
        .filter(|q| s.qotd.track.as_deref().is_none_or(|t| q.track == t))
        .filter(|q| s.qotd.difficulty.is_none_or(|d| q.difficulty == d))
        .cloned()
        .collect();
    // The whole history (one id a day): cycles are counted from the first post.
    let posted = posts::recent_question_ids(&bot.pool, s.guild_id, 100_000).await?;
    let seed = s.guild_id ^ u64::from(day.num_days_from_ce().unsigned_abs());
    Ok(pick_question(&pool, &posted, seed).cloned())
}

fn question(bot: &Bot, id: &str) -> Result<std::sync::Arc<Question>, BotError> {
    bot.bank
        .get(id)
        .cloned()
        .ok_or_else(|| BotError::Internal(format!("QOTD question {id:?} is not in the bank")))
}
