//! Reactions as peer reviews: turns a Discord reaction into the review use case
//! (`crate::app::reviews`), and puts the answer's new peer score on its feedback message once
//! the reactions settle.
//! Reactions by bots and in direct messages are ignored here, before any database work.

use crate::bot::names::member_name;
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashSet;
use serenity::all::{
    ChannelId, Context as Discord, EditMessage, MessageId, Reaction, ReactionType,
};
use tracing::{debug, warn};

use super::{render, Bot, BotError};
use crate::app::reviews::{self, Handled};
use crate::store::{answers, reviews as stored_reviews};

/// A reaction added (`added`) or removed on any message the bot can see.
pub async fn on_reaction(
    ctx: &Discord,
    bot: &Arc<Bot>,
    reaction: &Reaction,
    added: bool,
) -> Result<(), BotError> {
    let handled = handle(ctx, bot, reaction, added).await?;
    debug!(
        message_id = reaction.message_id.get(),
        user_id = reaction.user_id.map(|u| u.get()),
        added,
        ?handled,
        "reaction handled"
    );
    if let Some(answer_id) = handled.changed() {
        show_on_feedback(bot, reaction.channel_id, answer_id);
    }
    Ok(())
}

async fn handle(
    ctx: &Discord,
    bot: &Bot,
    reaction: &Reaction,
    added: bool,
) -> Result<Handled, BotError> {
    let (Some(guild_id), Some(user_id)) = (reaction.guild_id, reaction.user_id) else {
        return Ok(Handled::NotAMember); // a direct message: no answers there
    };
    let by_bot = reaction.member.as_ref().is_some_and(|m| m.user.bot);
    if by_bot || user_id == ctx.cache.current_user().id {
        return Ok(Handled::NotAMember);
    }
    // Discord names the message's author on an add: one's own message saves the look-up.
    if reaction.message_author_id == Some(user_id) {
        return Ok(Handled::OwnAnswer);
    }
    let name = reaction.member.as_ref().map_or_else(
        || user_id.to_string(),
        |m| member_name(&m.user, m.nick.as_deref()),
    );
    let emoji = emoji_text(&reaction.emoji);
    let review = reviews::Reaction {
        guild_id: guild_id.get(),
        reviewer_id: user_id.get(),
        reviewer_name: &name,
        message_id: reaction.message_id.get(),
        emoji: &emoji,
        added,
    };
    Ok(reviews::react(&bot.app, &review).await?)
}

/// How long a feedback edit waits for more reactions: a flood of reactions on one answer
/// costs one edit (and one Discord rate-limit slot) per this long, not one each.
const SETTLE: Duration = Duration::from_secs(2);

/// Answers whose feedback message has an edit scheduled.
#[derive(Default)]
pub struct FeedbackEdits {
    scheduled: DashSet<i64>,
}

/// Puts the answer's peer score on its feedback message, when it has one (a QOTD answer whose
/// score is hidden until the reveal has none), once reactions have settled. Cosmetic: a
/// failure is only logged.
fn show_on_feedback(bot: &Arc<Bot>, channel: ChannelId, answer_id: i64) {
    if !bot.feedback_edits.scheduled.insert(answer_id) {
        return; // the scheduled edit reads the reviews as they are then
    }
    let bot = Arc::clone(bot);
    tokio::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        // Unscheduled before reading, so a reaction from here on schedules another edit.
        bot.feedback_edits.scheduled.remove(&answer_id);
        if let Err(e) = refresh_feedback(&bot, channel, answer_id).await {
            warn!(answer_id, error = %crate::bot::error_chain(&e), "updating the feedback's peer score failed");
        }
    });
}

async fn refresh_feedback(bot: &Bot, channel: ChannelId, answer_id: i64) -> Result<(), BotError> {
    let Some(message) = answers::feedback_message(&bot.app.pool, answer_id).await? else {
        return Ok(());
    };
    let Some(answer) = answers::get(&bot.app.pool, answer_id).await? else {
        return Ok(());
    };
    let Some(assessment) = answer.assessment() else {
        return Ok(());
    };
    let summary = stored_reviews::summary(&bot.app.pool, answer_id).await?;
    let peers = reviews::peer_score(&summary);
    let embed =
        render::interview::feedback_with_peers(&assessment, answer.hinted, peers.as_deref());
    let edit = EditMessage::new().embed(embed);
    channel
        .edit_message(&bot.http, MessageId::new(message), edit)
        .await?;
    Ok(())
}

/// The emoji as the store keeps it: the Unicode text as sent, or a custom emoji's `name:id`.
/// Kept as sent, not in its base form, so that removing 👍🏽 removes only the review 👍🏽 made.
pub fn emoji_text(emoji: &ReactionType) -> String {
    match emoji {
        ReactionType::Custom { id, name, .. } => {
            format!("{}:{id}", name.as_deref().unwrap_or_default())
        }
        ReactionType::Unicode(text) => text.clone(),
        // `ReactionType` is non-exhaustive; a kind Discord adds later is simply not on a scale.
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::reviews::scale::Scale;
    use serenity::all::EmojiId;

    #[test]
    fn emoji_are_kept_as_sent_and_custom_ones_by_name_and_id() {
        let thumb = ReactionType::Unicode("👍🏽".into());
        assert_eq!(emoji_text(&thumb), "👍🏽");
        let custom = ReactionType::Custom {
            animated: false,
            id: EmojiId::new(123),
            name: Some("blobyes".into()),
        };
        assert_eq!(emoji_text(&custom), "blobyes:123");
        assert_eq!(Scale::new(None).value(&emoji_text(&thumb)), Some(1));
    }
}
