//! The question of the day's use cases with no Discord in them: which question a guild gets
//! on a day, and a member's message in a post's thread becoming (part of) their answer.

use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, NaiveDate, Utc};

use super::{App, AppError};
use crate::bank::Question;
use crate::interview::ANSWER_LIMIT;
use crate::qotd::pick_question;
use crate::store::guilds::QotdSchedule;
use crate::store::qotd::{self as posts, QotdPost};
use crate::store::{answers, guilds, StoreError};

/// The next question for the guild: from its track and difficulty, none again until the pool
/// is used up; `None` when no question matches.
pub async fn next_question(
    app: &App,
    s: &QotdSchedule,
    day: NaiveDate,
) -> Result<Option<Arc<Question>>, AppError> {
    let pool: Vec<_> = app
        .bank
        .questions()
        .iter()
        .filter(|q| s.qotd.track.as_deref().is_none_or(|t| q.track == t))
        .filter(|q| s.qotd.difficulty.is_none_or(|d| q.difficulty == d))
        .cloned()
        .collect();
    // The whole history (one id a day): cycles are counted from the first post.
    let posted = posts::recent_question_ids(&app.pool, s.guild_id, 100_000).await?;
    let seed = s.guild_id ^ u64::from(day.num_days_from_ce().unsigned_abs());
    Ok(pick_question(&pool, &posted, seed).cloned())
}

/// A member's message in a post's thread.
#[derive(Debug, Clone)]
pub struct AnswerMessage<'a> {
    pub user_id: u64,
    /// The member's name as the guild shows it, for the boards.
    pub name: &'a str,
    pub message_id: u64,
    pub body: &'a str,
}

/// What a message in a post's thread came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// The post was revealed: answers are closed.
    Closed,
    /// Part of the member's open answer, submitted after `quiet` without another message.
    Added { answer_id: i64, quiet: Duration },
    /// A new answer that replaces the member's submitted one (the latest counts).
    Replaced { answer_id: i64, quiet: Duration },
    /// The message would take the open answer past its limit: it was left out, and the answer
    /// should be submitted as it stands.
    Full { answer_id: i64 },
    /// The message alone is longer than an answer may be: it opens nothing.
    TooLong,
    /// Nothing to do (the answer closed meanwhile).
    Ignored,
}

/// Adds a member's message to their answer to a question of the day, or starts a new answer
/// that replaces their earlier one.
pub async fn answer(
    app: &App,
    post: &QotdPost,
    message: &AnswerMessage<'_>,
) -> Result<Answered, AppError> {
    if post.revealed {
        return Ok(Answered::Closed);
    }
    let pool = &app.pool;
    let (post_id, user, body, id) = (
        post.qotd_post_id,
        message.user_id,
        message.body,
        message.message_id,
    );
    if body.chars().count() > ANSWER_LIMIT.chars {
        return Ok(Answered::TooLong);
    }
    guilds::upsert_member(pool, post.guild_id, user, message.name).await?;
    let added = match answers::add_qotd_message(pool, post_id, user, body, id, ANSWER_LIMIT).await {
        Ok(answer_id) => Some(answer_id),
        Err(StoreError::AnswerFull { answer_id }) => return Ok(Answered::Full { answer_id }),
        Err(StoreError::QotdClosed) => None,
        Err(e) => return Err(e.into()),
    };
    let quiet = guilds::settings(pool, post.guild_id).await?.quiet_period;
    if let Some(answer_id) = added {
        return Ok(Answered::Added { answer_id, quiet });
    }
    match answers::replace_qotd_answer(pool, post_id, user, body, id).await {
        Ok(answer_id) => Ok(Answered::Replaced { answer_id, quiet }),
        Err(StoreError::QotdClosed) => Ok(Answered::Ignored),
        Err(e) => Err(e.into()),
    }
}

/// Submits a QOTD answer for scoring (its quiet period passed); false if it was already.
pub async fn submit(app: &App, answer_id: i64) -> Result<bool, AppError> {
    match answers::submit(&app.pool, answer_id, false, Utc::now()).await {
        Ok(_) => {
            app.jobs_ready.notify_one();
            Ok(true)
        }
        Err(StoreError::AnswerNotOpen { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
