//! Peer review. A member's reaction to a message that is part of someone else's answer (in an
//! interview thread or a QOTD thread) is their review of that answer, worth what the guild's
//! scale (`scale`) says the emoji is worth. One review per reviewer per answer: a later
//! reaction replaces the earlier one, and removing the reaction that is the current review
//! removes it. Everything else is ignored quietly — messages that are not answers, emoji not
//! on the scale, and reviews of one's own answer — since a reaction is also just a reaction,
//! and most of the ones the bot sees have nothing to do with it.

mod peer_score;
pub mod scale;

use chrono::Utc;

use super::{App, AppError};
use crate::store::reviews::{self, ReviewOutcome};
use crate::store::{guilds, StoreError};
pub use peer_score::peer_score;
use scale::Scale;

/// A reaction added or removed by a member (not a bot) in a guild.
#[derive(Debug, Clone)]
pub struct Reaction<'a> {
    pub guild_id: u64,
    pub reviewer_id: u64,
    /// The reviewer's name as the guild shows it, for the boards.
    pub reviewer_name: &'a str,
    pub message_id: u64,
    /// As the store keeps it: the Unicode text as sent, or a custom emoji's `name:id`.
    pub emoji: &'a str,
    pub added: bool,
}

/// What a reaction came to.
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
    /// The review of this answer was added, replaced or removed.
    Added {
        answer_id: i64,
    },
    Replaced {
        answer_id: i64,
    },
    Removed {
        answer_id: i64,
    },
    /// A reaction removed that was not the reviewer's current review.
    NotCurrent,
}

impl Handled {
    /// The answer whose peer score changed, if one did.
    pub fn changed(self) -> Option<i64> {
        match self {
            Handled::Added { answer_id }
            | Handled::Replaced { answer_id }
            | Handled::Removed { answer_id } => Some(answer_id),
            _ => None,
        }
    }
}

/// Records, replaces or removes the review a reaction makes.
pub async fn react(app: &App, reaction: &Reaction<'_>) -> Result<Handled, AppError> {
    let answer =
        reviews::answer_for_message(&app.pool, reaction.guild_id, reaction.message_id).await?;
    let Some(answer) = answer else {
        return Ok(Handled::NotAnAnswer);
    };
    if answer.user_id == reaction.reviewer_id {
        return Ok(Handled::OwnAnswer);
    }
    let answer_id = answer.answer_id;
    if reaction.added {
        return add(app, reaction, answer_id).await;
    }
    // No scale check on removal: a review made before the organiser changed the scale must
    // still go when its reaction does. The store only removes it if this emoji is the current
    // review, so taking back an older, replaced reaction changes nothing.
    let removed =
        reviews::remove(&app.pool, answer_id, reaction.reviewer_id, reaction.emoji).await?;
    Ok(if removed {
        Handled::Removed { answer_id }
    } else {
        Handled::NotCurrent
    })
}

/// Records the review a reaction makes, when its emoji is on the guild's scale.
async fn add(app: &App, reaction: &Reaction<'_>, answer_id: i64) -> Result<Handled, AppError> {
    let settings = guilds::settings(&app.pool, reaction.guild_id).await?;
    let Some(value) = Scale::new(settings.review_scale.as_ref()).value(reaction.emoji) else {
        return Ok(Handled::NotOnScale);
    };
    let review = reviews::NewReview {
        guild_id: reaction.guild_id,
        reviewer_id: reaction.reviewer_id,
        reviewer_name: reaction.reviewer_name,
        answer_id,
        value,
        emoji: reaction.emoji,
        at: Utc::now(),
    };
    let outcome = match reviews::record_with_member(&app.pool, &review).await {
        // Deleted since the look-up (with its interview): nothing left to review.
        Err(StoreError::Missing(_)) => return Ok(Handled::NotAnAnswer),
        other => other?,
    };
    Ok(match outcome {
        ReviewOutcome::Added => Handled::Added { answer_id },
        ReviewOutcome::Replaced => Handled::Replaced { answer_id },
        ReviewOutcome::OwnAnswer => Handled::OwnAnswer,
    })
}
