//! Members editing or deleting their messages: an answer still open follows its messages (and
//! its quiet period starts again); an edit after the answer was submitted is told, once per
//! edit, that the score stands.

use std::sync::Arc;

use serenity::all::{ChannelId, Context as Discord, CreateMessage, MessageId, MessageUpdateEvent};
use tracing::warn;

use super::quiet::Waiting;
use super::{Bot, BotError};
use crate::app::edits::{self, Edited};
use crate::interview::ANSWER_LIMIT;

/// A member edited a message. Only the text is read: an edit that changes no text (Discord
/// unfurling a link) changes nothing.
pub async fn on_edit(
    ctx: &Discord,
    bot: &Arc<Bot>,
    event: &MessageUpdateEvent,
) -> Result<(), BotError> {
    let (Some(guild_id), Some(content)) = (event.guild_id, event.content.as_deref()) else {
        return Ok(());
    };
    if event.author.as_ref().is_some_and(|a| a.bot) || content.trim().is_empty() {
        return Ok(());
    }
    let message_id = event.id.get();
    let edited = edits::message_edited(&bot.app, guild_id.get(), message_id, content).await?;
    let note = match edited {
        Edited::Nothing => return Ok(()),
        Edited::Changed { answer, quiet } => {
            bot.quiet.arm(bot, waiting_for(answer), quiet);
            return Ok(());
        }
        Edited::AfterSubmit => {
            "This answer was already submitted, so your edit does not change what was scored."
                .to_owned()
        }
        Edited::TooLong => format!(
            "With this edit your answer would be longer than an answer may be ({}), so it \
             keeps the earlier text of this message.",
            ANSWER_LIMIT.describe()
        ),
    };
    reply(ctx, event.channel_id, event.id, &note).await;
    Ok(())
}

/// A member (or a moderator) deleted a message: an open answer loses that part.
pub async fn on_delete(
    bot: &Arc<Bot>,
    guild_id: Option<u64>,
    message_id: u64,
) -> Result<(), BotError> {
    let Some(guild_id) = guild_id else {
        return Ok(());
    };
    if let Edited::Changed { answer, quiet } =
        edits::message_deleted(&bot.app, guild_id, message_id).await?
    {
        bot.quiet.arm(bot, waiting_for(answer), quiet);
    }
    Ok(())
}

fn waiting_for(answer: crate::store::answer_parts::AnswerOf) -> Waiting {
    match answer.interview_id {
        Some(interview_id) => Waiting::Interview(interview_id),
        None => Waiting::QotdAnswer(answer.answer_id),
    }
}

async fn reply(ctx: &Discord, channel: ChannelId, message: MessageId, text: &str) {
    let reply = CreateMessage::new()
        .content(text)
        .reference_message((channel, message));
    if let Err(e) = channel.send_message(ctx, reply).await {
        warn!(channel_id = %channel, error = %super::error_chain(&e), "reply failed");
    }
}
