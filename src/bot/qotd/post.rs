//! Posting a day's question: claim (guild, day), reveal what the next post reveals, post the
//! question in the channel with the role to ping, record it, then open its thread for answers.
//! The post is recorded before anything after it can fail: a day is posted (and its role
//! pinged) once, even when its thread cannot be opened — the channel is then told why, once.

use chrono::{DateTime, NaiveDate, Utc};
use serenity::all::{
    AutoArchiveDuration, ChannelId, CreateAllowedMentions, CreateMessage, CreateThread, Nonce,
};
use tracing::{info, warn};

use super::reveal;
use crate::app::qotd;
use crate::bank::Question;
use crate::bot::{error_chain, render, Bot, BotError};
use crate::store::guilds::QotdSchedule;
use crate::store::qotd_posts::{self, QotdPost};

/// A claim older than this whose message was never recorded belonged to a process that died
/// while posting; another may post in its place.
const STALE_CLAIM: chrono::Duration = chrono::Duration::minutes(2);

/// Said in the channel when the day's thread cannot be opened.
const NO_THREAD: &str = "I posted today's question but could not open a thread for the \
    answers, so none can be collected today. An organiser can fix it by giving me the Create \
    Public Threads permission in this channel (or by choosing another with `/qotd setup`).";

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
    let (post_id, question) = match qotd_posts::for_day(&bot.app.pool, s.guild_id, day).await? {
        Some(p) if p.message_id.is_some() || now - p.created_at < STALE_CLAIM => {
            return Ok(Posted::default());
        }
        Some(p) => (p.qotd_post_id, question(bot, &p).await?),
        None => {
            let Some(q) = qotd::next_question(&bot.app, s, day).await? else {
                warn!(
                    guild_id = s.guild_id,
                    "no question fits this guild's QOTD filters"
                );
                return Ok(Posted::default());
            };
            match qotd_posts::claim(&bot.app.pool, s.guild_id, day, &q.id).await? {
                Some(id) => (id, q),
                None => return Ok(Posted::default()),
            }
        }
    };
    let mut revealed = 0;
    if s.qotd.reveal_time.is_none() {
        for earlier in qotd_posts::unrevealed_before(&bot.app.pool, s.guild_id, day).await? {
            // A reveal that cannot be posted must not hold up the day's question.
            match reveal::reveal(bot, &earlier).await {
                Ok(done) => revealed += usize::from(done),
                Err(e) => warn!(
                    guild_id = s.guild_id,
                    day = %earlier.day,
                    error = %error_chain(&e),
                    "revealing an earlier question failed; posting the day's question anyway"
                ),
            }
        }
    }
    let channel = ChannelId::new(channel);
    // A post retried after a stale claim (its process died before recording it) is answered
    // with the first message, not a second ping.
    let nonce = Nonce::String(format!("mb-qotd-post-{post_id}"));
    let message = render::qotd::post(&question, day, s.qotd.ping_role_id)
        .nonce(nonce)
        .enforce_nonce(true);
    let message = channel.send_message(&bot.http, message).await?;
    qotd_posts::set_message(&bot.app.pool, post_id, message.id.get(), None).await?;
    info!(guild_id = s.guild_id, %day, question = %question.id, "question of the day posted");
    let thread = CreateThread::new(format!("Answers: {day}"))
        .auto_archive_duration(AutoArchiveDuration::OneDay);
    match channel
        .create_thread_from_message(&bot.http, message.id, thread)
        .await
    {
        Ok(thread) => {
            qotd_posts::set_message(
                &bot.app.pool,
                post_id,
                message.id.get(),
                Some(thread.id.get()),
            )
            .await?;
        }
        Err(e) => {
            warn!(guild_id = s.guild_id, %day, error = %error_chain(&e), "opening the QOTD thread failed");
            let notice = CreateMessage::new()
                .content(NO_THREAD)
                .allowed_mentions(CreateAllowedMentions::new());
            if let Err(e) = channel.send_message(&bot.http, notice).await {
                warn!(guild_id = s.guild_id, error = %error_chain(&e), "telling the channel failed");
            }
        }
    }
    Ok(Posted {
        posted: true,
        revealed,
        post_id: Some(post_id),
    })
}

async fn question(bot: &Bot, post: &QotdPost) -> Result<std::sync::Arc<Question>, BotError> {
    qotd::asked(&bot.app, post).await?.ok_or_else(|| {
        BotError::Internal(format!(
            "QOTD question {:?} is not in the bank",
            post.question_id
        ))
    })
}
