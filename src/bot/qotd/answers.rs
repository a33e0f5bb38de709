//! Answers in a QOTD thread. Any member may answer, in several messages (submitted after the
//! guild's quiet period); answering again after that replaces the earlier answer (the latest
//! counts) until the reveal. Scores come back through the same queue as interview answers and
//! are posted as a reply — or, when the guild hides scores until the reveal, as a ✅.

use std::sync::Arc;

use serenity::all::{
    ChannelId, Context as Discord, CreateMessage, Message, MessageId, ReactionType,
};
use tracing::warn;

use crate::app::qotd::{self, Answered};
use crate::bot::quiet::Waiting;
use crate::bot::{render, Bot, BotError};
use crate::scoring::Assessment;
use crate::store::jobs::ClaimedJob;
use crate::store::qotd::{self as posts, QotdPost};
use crate::store::{answers, guilds};

/// A member's message in a post's thread (`body`: its text and text files): part of their
/// answer.
pub async fn on_message(
    ctx: &Discord,
    bot: &Arc<Bot>,
    message: &Message,
    body: &str,
    post: &QotdPost,
) -> Result<(), BotError> {
    let name = message
        .member
        .as_ref()
        .and_then(|m| m.nick.clone())
        .unwrap_or_else(|| message.author.display_name().to_owned());
    let answer = qotd::AnswerMessage {
        user_id: message.author.id.get(),
        name: &name,
        message_id: message.id.get(),
        body,
    };
    let (answer_id, quiet) = match qotd::answer(&bot.app, post, &answer).await? {
        Answered::Closed => {
            let note = "This question of the day has been revealed, so answers are closed. \
                        The next one is coming!";
            reply(ctx, message, note).await;
            return Ok(());
        }
        Answered::Ignored => return Ok(()),
        Answered::TooLong => {
            reply(ctx, message, &crate::bot::events::too_long_note()).await;
            return Ok(());
        }
        Answered::Full { answer_id } => {
            reply(ctx, message, &crate::bot::events::answer_full_note()).await;
            bot.quiet.cancel(Waiting::QotdAnswer(answer_id));
            qotd::submit(&bot.app, answer_id).await?;
            return Ok(());
        }
        Answered::Added { answer_id, quiet } => (answer_id, quiet),
        Answered::Replaced { answer_id, quiet } => {
            let note = "Your new answer replaces your earlier one: the latest counts.";
            reply(ctx, message, note).await;
            (answer_id, quiet)
        }
    };
    bot.quiet.arm(bot, Waiting::QotdAnswer(answer_id), quiet);
    Ok(())
}

/// Submits a QOTD answer for scoring (its quiet period passed); nothing if it was already.
pub async fn submit_answer(bot: &Bot, answer_id: i64) -> Result<(), BotError> {
    qotd::submit(&bot.app, answer_id).await?;
    Ok(())
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
    let Some(post) = posts::get(&bot.app.pool, post_id).await? else {
        return Ok(());
    };
    let (Some(thread), Some(answer)) = (
        post.thread_id,
        answers::get(&bot.app.pool, job.answer_id).await?,
    ) else {
        return Ok(());
    };
    let thread = ChannelId::new(thread);
    let Some(last) = answer.message_ids.last().copied().map(MessageId::new) else {
        return Ok(());
    };
    let settings = guilds::settings(&bot.app.pool, post.guild_id).await?;
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
        answers::set_feedback_message(&bot.app.pool, job.answer_id, posted.id.get()).await?;
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
