//! The reveal of a post: the model answer, the best answers by combined score (the scorer's and
//! the peers'), how many took part, and the streaks that reached a milestone. Posted first and
//! marked revealed after, with no transaction open while Discord answers: a post that fails is
//! tried again at the next tick, and the post's nonce (one per question of the day) makes
//! Discord answer a repeat — two processes racing, or a crash before the mark — with the first
//! message instead of a second one.

use serenity::all::{ChannelId, Nonce};
use tracing::info;

use crate::bot::dispatch::is_gone;
use crate::bot::{render, Bot, BotError};
use crate::qotd::{rank_answers, streak_milestone, RevealEntry};
use crate::store::guilds;
use crate::store::qotd_posts::{self, PostAnswer, QotdPost};

/// Reveals a post; false when it was revealed already (by another process, say).
pub async fn reveal(bot: &Bot, post: &QotdPost) -> Result<bool, BotError> {
    let answers = qotd_posts::answers(&bot.app.pool, post.qotd_post_id).await?;
    let entries: Vec<RevealEntry> = answers.iter().map(PostAnswer::entry).collect();
    let ranked = rank_answers(&entries);
    let milestones: Vec<(String, i32)> = answers
        .iter()
        .filter_map(|a| Some((a.display_name.clone(), streak_milestone(a.streak?)?)))
        .collect();
    let settings = guilds::settings(&bot.app.pool, post.guild_id).await?;
    let question = crate::app::qotd::asked(&bot.app, post).await?;
    let message = render::qotd::reveal(&render::qotd::Reveal {
        question: question.as_deref(),
        day: post.day,
        answers: &answers,
        ranked: &ranked,
        milestones: &milestones,
    });
    let channel = settings.qotd.channel_id.map(ChannelId::new);
    let nonce = |place: &str| Nonce::String(format!("mb-qotd-{place}-{}", post.qotd_post_id));
    let in_thread = match post.thread_id.map(ChannelId::new) {
        Some(thread) => {
            let sent = thread
                .send_message(
                    &bot.http,
                    message.clone().nonce(nonce("t")).enforce_nonce(true),
                )
                .await;
            match sent {
                Ok(_) => true,
                // The thread was deleted, or closed to the bot: the reveal goes to the channel.
                Err(e) if is_gone(&e) && channel.is_some() => false,
                Err(e) => return Err(e.into()),
            }
        }
        None => false,
    };
    if let (false, Some(channel)) = (in_thread, channel) {
        let message = message.nonce(nonce("c")).enforce_nonce(true);
        channel.send_message(&bot.http, message).await?;
    }
    if !qotd_posts::reveal(&bot.app.pool, post.qotd_post_id).await? {
        return Ok(false);
    }
    info!(guild_id = post.guild_id, day = %post.day, answers = answers.len(), "QOTD revealed");
    Ok(true)
}
