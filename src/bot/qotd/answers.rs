//! Answers in a QOTD thread. Any member may answer, in several messages (submitted after the
//! guild's quiet period); answering again after that replaces the earlier answer (the latest
//! counts) until the reveal. Scores come back through the same queue as interview answers and
//! are posted as a reply — or, when the guild hides scores until the reveal, as a ✅.

use std::sync::Arc;

use chrono::Utc;
use serenity::all::{
    ChannelId, Context as Discord, CreateMessage, Message, MessageId, ReactionType,
};
use tracing::warn;

use crate::bot::quiet::Waiting;
use crate::bot::{render, Bot, BotError};
use crate::scoring::Assessment;
use crate::store::jobs::ClaimedJob;
use crate::store::qotd::{self as posts, QotdPost};
use crate::store::{answers, guilds, StoreError};

/// A member's message in a post's thread: part of their answer.
pub async fn on_message(
    ctx: &Discord,
    bot: &Arc<Bot>,
    message: &Message,
    post: &QotdPost,
) -> Result<(), BotError> {
    if post.revealed {
        let note = "This question of the day has been revealed, so answers are closed. \
                    The next one is coming!";
        reply(ctx, message, note).await;
        return Ok(());
    }
    let user = message.author.id.get();
    let name = message
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .unwrap_or_else(|| message.author.display_name().to_owned());
    guilds::upsert_member(&bot.pool, post.guild_id, user, &name).await?;
    let (body, id) = (&message.content, message.id.get());
    let answer_id = match answers::add_qotd_message(&bot.pool, post.qotd_post_id, user, body, id)
        .await
    {
        Ok(answer_id) => answer_id,
        Err(StoreError::QotdClosed) => {
            match answers::replace_qotd_answer(&bot.pool, post.qotd_post_id, user, body, id).await {
                Ok(answer_id) => {
                    let note = "Your new answer replaces your earlier one: the latest counts.";
                    reply(ctx, message, note).await;
                    answer_id
                }
                Err(StoreError::QotdClosed) => return Ok(()),
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => return Err(e.into()),
    };
    let quiet = guilds::settings(&bot.pool, post.guild_id)
        .await?
        .quiet_period;
    bot.quiet.arm(bot, Waiting::QotdAnswer(answer_id), quiet);
    Ok(())
}

/// Submits a QOTD answer for scoring (its quiet period passed); nothing if it was already.
pub async fn submit_answer(bot: &Bot, answer_id: i64) -> Result<(), BotError> {
    match answers::submit(&bot.pool, answer_id, false, Utc::now()).await {
        Ok(_) => {
            bot.jobs_ready.notify_one();
            Ok(())
        }
        Err(StoreError::AnswerNotOpen { .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// A QOTD answer was scored: tell its author, in the thread.
pub async fn on_scored(
    bot: &Bot,
    job: &ClaimedJob,
    assessment: &Assessment,
) -> Result<(), BotError> {
    let Some(post_id) = job.qotd_post_id else {
        return Ok(());
    };
    let Some(post) = posts::get(&bot.pool, post_id).await? else {
        return Ok(());
    };
    let (Some(thread), Some(answer)) = (
        post.thread_id,
        answers::get(&bot.pool, job.answer_id).await?,
    ) else {
        return Ok(());
    };
    let thread = ChannelId::new(thread);
    let Some(last) = answer.message_ids.last().copied().map(MessageId::new) else {
        return Ok(());
    };
    let settings = guilds::settings(&bot.pool, post.guild_id).await?;
    if settings.qotd.hide_scores {
        let done = ReactionType::Unicode("✅".into());
        thread.create_reaction(&bot.http, last, done).await?;
    } else {
        let embed = render::interview::feedback(assessment, false);
        let message = CreateMessage::new()
            .content(format!("<@{}>, your answer is scored.", job.user_id))
            .embed(embed)
            .reference_message((thread, last));
        let posted = thread.send_message(&bot.http, message).await?;
        answers::set_feedback_message(&bot.pool, job.answer_id, posted.id.get()).await?;
    }
    Ok(())
}

async fn reply(ctx: &Discord, message: &Message, text: &str) {
    let reply = CreateMessage::new()
        .content(text)
        .reference_message(message);
    if let Err(e) = message.channel_id.send_message(ctx, reply).await {
        warn!(channel_id = %message.channel_id, error = %crate::bot::error_chain(&e), "reply failed");
    }
}
