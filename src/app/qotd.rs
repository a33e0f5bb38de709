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
use crate::store::qotd_posts::{self, QotdPost};
use crate::store::{answers, guilds, qotd_answers, questions, StoreError};

/// The next question for the guild: from its track and difficulty, none again until the pool
/// is used up; `None` when no question matches.
pub async fn next_question(
    app: &App,
    s: &QotdSchedule,
    day: NaiveDate,
) -> Result<Option<Arc<Question>>, AppError> {
    let hidden = questions::hidden(&app.pool, s.guild_id).await?;
    let bank = super::questions::for_guild(app, s.guild_id).await?;
    let pool: Vec<_> = bank
        .questions()
        .iter()
        .filter(|q| q.fits(s.qotd.track.as_deref(), s.qotd.difficulty))
        .filter(|q| !hidden.contains(&q.id))
        .cloned()
        .collect();
    // The whole history (one id a day): cycles are counted from the first post.
    let posted = qotd_posts::recent_question_ids(&app.pool, s.guild_id, 100_000).await?;
    let seed = s.guild_id ^ u64::from(day.num_days_from_ce().unsigned_abs());
    Ok(pick_question(&pool, &posted, seed).cloned())
}

/// The question a post asked, as it was then; for a post from before versions were kept, the
/// bank's question of its id (`None` when the bank no longer has it).
pub async fn asked(app: &App, post: &QotdPost) -> Result<Option<Arc<Question>>, AppError> {
    match &post.question_version {
        Some(v) => Ok(app
            .asked
            .get(&app.pool, std::slice::from_ref(v))
            .await?
            .pop()),
        None => Ok(app.bank.get(&post.question_id).cloned()),
    }
}

/// A member's message in a post's thread.
#[derive(Debug, Clone)]
pub struct AnswerMessage<'a> {
    pub user_id: u64,
    /// The member's name as the guild shows it, for the boards.
    pub name: &'a str,
    pub message_id: u64,
    pub body: &'a str,
    /// The message is a reply to someone else's message: talk, never an answer.
    pub replies_to_other: bool,
}

/// What a message in a post's thread came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// The post was revealed: answers are closed.
    Closed,
    /// Part of the member's open answer, submitted after `quiet` without another message.
    Added { answer_id: i64, quiet: Duration },
    /// The member's answer is in and this message reads like a new one: offer them, once per
    /// answer, to make it their answer instead.
    OfferAgain { answer_id: i64 },
    /// Talk in the thread (a reply to someone, a remark after one's answer): not an answer.
    Talk,
    /// The message would take the open answer past its limit: it was left out, and the answer
    /// should be submitted as it stands.
    Full { answer_id: i64 },
    /// The message alone is longer than an answer may be: it opens nothing.
    TooLong,
}

/// Words a message after one's answer needs before the bot offers to make it the new answer:
/// fewer is a remark ("thanks!", "good point, I missed that"), and offering on each would nag.
pub const AGAIN_MIN_WORDS: usize = 12;

/// Adds a member's message to their open answer to a question of the day, or opens one. Once
/// their answer is in, later messages are talk; re-answering is explicit ([`answer_again`]).
pub async fn answer(
    app: &App,
    post: &QotdPost,
    message: &AnswerMessage<'_>,
) -> Result<Answered, AppError> {
    if post.revealed {
        return Ok(Answered::Closed);
    }
    if message.replies_to_other {
        return Ok(Answered::Talk);
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
    match qotd_answers::add_qotd_message(pool, post_id, user, body, id, ANSWER_LIMIT).await {
        Ok(answer_id) => {
            let quiet = guilds::settings(pool, post.guild_id).await?.quiet_period;
            Ok(Answered::Added { answer_id, quiet })
        }
        Err(StoreError::AnswerFull { answer_id }) => Ok(Answered::Full { answer_id }),
        Err(StoreError::QotdClosed) if body.split_whitespace().count() >= AGAIN_MIN_WORDS => Ok(
            match qotd_answers::offer_again(pool, post_id, user).await? {
                Some(answer_id) => Answered::OfferAgain { answer_id },
                None => Answered::Talk,
            },
        ),
        Err(StoreError::QotdClosed) => Ok(Answered::Talk),
        Err(e) => Err(e.into()),
    }
}

/// What asking to answer again came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnsweredAgain {
    /// The message is the member's answer now, open for more until `quiet` passes.
    Replaced { answer_id: i64, quiet: Duration },
    /// Nothing replaced: the post was revealed, the answer is still open, or the message is
    /// already the answer.
    Unchanged,
    /// The message is longer than an answer may be.
    TooLong,
}

/// The member asked to make their message `message_id` (reading `body`) their answer instead
/// of the one they gave: the earlier answer, its scores and its reviews are dropped.
pub async fn answer_again(
    app: &App,
    post: &QotdPost,
    user_id: u64,
    message_id: u64,
    body: &str,
) -> Result<AnsweredAgain, AppError> {
    if body.chars().count() > ANSWER_LIMIT.chars {
        return Ok(AnsweredAgain::TooLong);
    }
    let pool = &app.pool;
    let post_id = post.qotd_post_id;
    match qotd_answers::replace_qotd_answer(pool, post_id, user_id, body, message_id).await {
        Ok(answer_id) => {
            let quiet = guilds::settings(pool, post.guild_id).await?.quiet_period;
            Ok(AnsweredAgain::Replaced { answer_id, quiet })
        }
        Err(StoreError::QotdClosed) => Ok(AnsweredAgain::Unchanged),
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
