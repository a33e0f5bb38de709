//! Answers in a QOTD thread. Any member may answer, in several messages (submitted after the
//! guild's quiet period). After that their messages are talk: a reply to someone, a remark. A
//! member who writes what reads like a new answer is offered, once, an "Answer again" button
//! that makes that message their answer instead, until the reveal. Scores come back through the same queue as interview answers and
//! are posted as a reply — or, when the guild hides scores until the reveal, as a ✅.

use std::sync::Arc;

use serenity::all::{
    ButtonStyle, ChannelId, ComponentInteraction, Context as Discord, CreateActionRow,
    CreateButton, CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage,
    Message, MessageId, ReactionType,
};
use tracing::warn;

use crate::app::qotd::{self, Answered, AnsweredAgain};
use crate::bot::quiet::Waiting;
use crate::bot::{render, Bot, BotError};
use crate::scoring::Assessment;
use crate::store::jobs::ClaimedJob;
use crate::store::qotd_posts::{self, QotdPost};
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
    let nick = message.member.as_ref().and_then(|m| m.nick.as_deref());
    let name = crate::bot::names::member_name(&message.author, nick);
    let replies_to_other = message
        .referenced_message
        .as_ref()
        .is_some_and(|m| m.author.id != message.author.id);
    let answer = qotd::AnswerMessage {
        user_id: message.author.id.get(),
        name: &name,
        message_id: message.id.get(),
        body,
        replies_to_other,
    };
    let (answer_id, quiet) = match qotd::answer(&bot.app, post, &answer).await? {
        Answered::Closed => {
            let note = "This question of the day has been revealed, so answers are closed. \
                        The next one is coming!";
            reply(ctx, message, note).await;
            return Ok(());
        }
        Answered::Talk => return Ok(()),
        Answered::OfferAgain { .. } => {
            offer_again(ctx, message).await;
            return Ok(());
        }
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
    };
    bot.quiet.arm(bot, Waiting::QotdAnswer(answer_id), quiet);
    Ok(())
}

/// The button's id prefix: `qotd-again:{message id}`.
const AGAIN: &str = "qotd-again:";

/// The member's answer is in and they wrote something that reads like another: say that it
/// counts as talk, and offer a button to make it their answer instead.
async fn offer_again(ctx: &Discord, message: &Message) {
    let text = "Your answer to this question is already in, so I am reading this message as \
                talk, not as a new answer. To make this message your answer instead, press \
                **Answer again**: your earlier answer, its score and its reviews are dropped.";
    let button = CreateButton::new(format!("{AGAIN}{}", message.id))
        .label("Answer again")
        .style(ButtonStyle::Secondary);
    let offer = CreateMessage::new()
        .content(text)
        .reference_message(message)
        .components(vec![CreateActionRow::Buttons(vec![button])]);
    if let Err(e) = message.channel_id.send_message(ctx, offer).await {
        warn!(channel_id = %message.channel_id, error = %crate::bot::error_chain(&e), "offer failed");
    }
}

/// Whether a button is the "Answer again" one.
pub fn is_again_button(custom_id: &str) -> bool {
    custom_id.starts_with(AGAIN)
}

/// "Answer again" pressed: the message it was offered for becomes its author's answer. Only
/// that author may press it; the message is read afresh, so an edit since counts.
pub async fn on_again_button(
    ctx: &Discord,
    bot: &Arc<Bot>,
    component: &ComponentInteraction,
) -> Result<(), BotError> {
    let message_id = component
        .data
        .custom_id
        .strip_prefix(AGAIN)
        .and_then(|id| id.parse::<u64>().ok())
        .filter(|id| *id != 0)
        .ok_or_else(|| BotError::user("This button is not one I know."))?;
    let thread = component.channel_id;
    let Some(post) = qotd_posts::by_thread(&bot.app.pool, thread.get()).await? else {
        return Err(BotError::user("This thread holds no question of the day."));
    };
    let message = thread
        .message(ctx, MessageId::new(message_id))
        .await
        .map_err(|_| BotError::user("That message is gone, so there is nothing to answer with."))?;
    if message.author.id != component.user.id {
        return Err(BotError::user(format!(
            "Only <@{}> can make their message their answer.",
            message.author.id
        )));
    }
    let body = crate::bot::attachments::message_text(&message)
        .await
        .map_err(BotError::user)?;
    let again = qotd::answer_again(&bot.app, &post, message.author.id.get(), message_id, &body);
    let text = match again.await? {
        AnsweredAgain::Replaced { answer_id, quiet } => {
            bot.quiet.arm(bot, Waiting::QotdAnswer(answer_id), quiet);
            format!(
                "Done: <@{}>'s answer is now this message (add to it if you like); it is scored \
                 once you have been quiet for a moment.",
                message.author.id
            )
        }
        AnsweredAgain::Unchanged => {
            "Nothing to replace: the question was revealed, or this message is your answer \
             already."
                .to_owned()
        }
        AnsweredAgain::TooLong => crate::bot::events::too_long_note(),
    };
    let update = CreateInteractionResponseMessage::new()
        .content(text)
        .components(Vec::new());
    component
        .create_response(ctx, CreateInteractionResponse::UpdateMessage(update))
        .await?;
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
    let Some(post) = qotd_posts::get(&bot.app.pool, post_id).await? else {
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
