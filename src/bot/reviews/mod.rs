//! Peer review by reactions. A member's reaction to a message that is part of someone else's
//! answer (in an interview thread or a QOTD thread) is their review of that answer, worth what
//! the guild's scale (`scale`) says the emoji is worth. One review per reviewer per answer:
//! a later reaction replaces the earlier one, and removing the reaction that is the current
//! review removes it. Everything else is ignored quietly — bots, direct messages, messages that
//! are not answers, emoji not on the scale, and reviews of one's own answer — since a reaction
//! is also just a reaction, and most of the ones the bot sees have nothing to do with it.

pub mod scale;

use chrono::Utc;
use serenity::all::{Context as Discord, EditMessage, MessageId, Reaction, ReactionType};
use tracing::{debug, warn};

use super::{render, Bot, BotError};
use crate::store::reviews::{self, AnswerRef, ReviewOutcome};
use crate::store::{answers, guilds, StoreError};
use scale::Scale;

/// What a reaction came to. Logged once per reaction (at debug), so a test or an operator can
/// see why a reaction did or did not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// In a direct message, or by a bot (this one included).
    NotAMember,
    /// On a message that is not part of anyone's answer.
    NotAnAnswer,
    /// On the reactor's own answer.
    OwnAnswer,
    /// An emoji the guild's scale does not list.
    NotOnScale,
    Added,
    Replaced,
    Removed,
    /// A reaction removed that was not the reviewer's current review.
    NotCurrent,
}

/// A reaction added (`added`) or removed on any message the bot can see.
pub async fn on_reaction(
    ctx: &Discord,
    bot: &Bot,
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
    let (guild, reviewer) = (guild_id.get(), user_id.get());
    let answer = reviews::answer_for_message(&bot.pool, guild, reaction.message_id.get()).await?;
    let Some(answer) = answer else {
        return Ok(Handled::NotAnAnswer);
    };
    if answer.user_id == reviewer {
        return Ok(Handled::OwnAnswer);
    }
    let emoji = emoji_text(&reaction.emoji);
    if added {
        return add(bot, reaction, guild, reviewer, answer, &emoji).await;
    }
    // No scale check on removal: a review made before the organiser changed the scale must
    // still go when its reaction does. The store only removes it if this emoji is the current
    // review, so taking back an older, replaced reaction changes nothing.
    let removed = reviews::remove(&bot.pool, answer.answer_id, reviewer, &emoji).await?;
    if !removed {
        return Ok(Handled::NotCurrent);
    }
    show_on_feedback(bot, reaction, answer.answer_id).await;
    Ok(Handled::Removed)
}

/// Records the review a reaction makes, when its emoji is on the guild's scale.
async fn add(
    bot: &Bot,
    reaction: &Reaction,
    guild: u64,
    reviewer: u64,
    answer: AnswerRef,
    emoji: &str,
) -> Result<Handled, BotError> {
    let settings = guilds::settings(&bot.pool, guild).await?;
    let Some(value) = Scale::new(settings.review_scale.as_ref()).value(emoji) else {
        return Ok(Handled::NotOnScale);
    };
    let name = reaction
        .member
        .as_ref()
        .map_or_else(|| reviewer.to_string(), |m| m.display_name().to_owned());
    let review = reviews::NewReview {
        guild_id: guild,
        reviewer_id: reviewer,
        reviewer_name: &name,
        answer_id: answer.answer_id,
        value,
        emoji,
        at: Utc::now(),
    };
    let outcome = match reviews::record_with_member(&bot.pool, &review).await {
        // Deleted since the look-up (with its interview): nothing left to review.
        Err(StoreError::Missing(_)) => return Ok(Handled::NotAnAnswer),
        other => other?,
    };
    let handled = match outcome {
        ReviewOutcome::Added => Handled::Added,
        ReviewOutcome::Replaced => Handled::Replaced,
        ReviewOutcome::OwnAnswer => return Ok(Handled::OwnAnswer),
    };
    show_on_feedback(bot, reaction, answer.answer_id).await;
    Ok(handled)
}

/// Puts the answer's peer score on its feedback message, when it has one (a QOTD answer whose
/// score is hidden until the reveal has none). Cosmetic: a failure is only logged.
async fn show_on_feedback(bot: &Bot, reaction: &Reaction, answer_id: i64) {
    if let Err(e) = refresh_feedback(bot, reaction, answer_id).await {
        warn!(answer_id, error = %crate::bot::error_chain(&e), "updating the feedback's peer score failed");
    }
}

async fn refresh_feedback(bot: &Bot, reaction: &Reaction, answer_id: i64) -> Result<(), BotError> {
    let Some(message) = answers::feedback_message(&bot.pool, answer_id).await? else {
        return Ok(());
    };
    let Some(answer) = answers::get(&bot.pool, answer_id).await? else {
        return Ok(());
    };
    let Some(assessment) = answer.assessment() else {
        return Ok(());
    };
    let summary = reviews::summary(&bot.pool, answer_id).await?;
    let peers = render::reviews::peer_score(&summary);
    let embed =
        render::interview::feedback_with_peers(&assessment, answer.hinted, peers.as_deref());
    let edit = EditMessage::new().embed(embed);
    reaction
        .channel_id
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
