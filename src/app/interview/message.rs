//! A message arriving in an interview's thread. Only the candidate's messages are part of an
//! answer; the rest are left alone (peers may talk in a public thread), and none of this takes
//! the interview's lock: a step commits the turn it asks before its question is posted, so the
//! saved journal is the turn the candidate sees, and appending to an answer is one statement
//! that finds the answer closed if a submission got there first.

use std::time::Duration;

use crate::app::{App, AppError};
use crate::interview::{Journal, ANSWER_LIMIT};
use crate::store::interviews::{self, InterviewStatus};
use crate::store::{answers, guilds, qotd_posts, StoreError};

/// A message in a thread.
#[derive(Debug, Clone, Copy)]
pub struct ThreadMessage<'a> {
    pub thread_id: u64,
    pub author_id: u64,
    pub message_id: u64,
    pub body: &'a str,
}

/// What a message came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    /// The thread holds no running interview (it may be a question of the day's).
    NoInterview,
    /// By someone other than the candidate.
    NotTheCandidate,
    /// Part of the open answer; submit it after `quiet` without another message.
    Added { interview_id: i64, quiet: Duration },
    /// The last answer is being scored: this message is part of no answer.
    StillScoring,
    /// The answer was submitted before this message arrived.
    AlreadySubmitted,
    /// The message would take the open answer past its limit: it was left out, and the answer
    /// should be submitted as it stands.
    Full { interview_id: i64 },
    /// The message alone is longer than an answer may be: it opens nothing.
    TooLong,
}

/// Whether a member's message in this thread would be (part of) an answer: the thread holds
/// their running interview, or a question of the day open for answers. Lets an adapter do
/// costly work on a message (reading its files) only where it can matter.
pub async fn takes_answers_from(
    app: &App,
    thread_id: u64,
    author_id: u64,
) -> Result<bool, AppError> {
    let pool = &app.pool;
    if let Some(candidate) = interviews::candidate_in_thread(pool, thread_id).await? {
        return Ok(candidate == author_id);
    }
    let post = qotd_posts::by_thread(pool, thread_id).await?;
    Ok(post.is_some_and(|p| !p.revealed))
}

/// Files a thread's message as part of its candidate's open answer, when it is one.
pub async fn file_message(app: &App, message: &ThreadMessage<'_>) -> Result<Filed, AppError> {
    let pool = &app.pool;
    let candidate = interviews::candidate_in_thread(pool, message.thread_id).await?;
    if candidate.is_some_and(|c| c != message.author_id) {
        return Ok(Filed::NotTheCandidate);
    }
    let Some(interview) = interviews::by_thread(pool, message.thread_id)
        .await?
        .filter(|i| i.status == InterviewStatus::Active)
    else {
        return Ok(Filed::NoInterview);
    };
    if interview.user_id != message.author_id {
        return Ok(Filed::NotTheCandidate);
    }
    let journal = Journal::from_json(&interview.state).unwrap_or_default();
    let Some(awaiting) = journal.awaiting else {
        return Ok(Filed::StillScoring);
    };
    let interview_id = interview.interview_id;
    let added = answers::add_interview_message(
        pool,
        interview_id,
        &awaiting.question_id,
        awaiting.turn,
        message.body,
        message.message_id,
        ANSWER_LIMIT,
    )
    .await;
    match added {
        Ok(_) => {
            let quiet = guilds::settings(pool, interview.guild_id)
                .await?
                .quiet_period;
            Ok(Filed::Added {
                interview_id,
                quiet,
            })
        }
        Err(StoreError::AnswerNotOpen { .. }) => Ok(Filed::AlreadySubmitted),
        Err(StoreError::AnswerFull { answer_id: 0 }) => Ok(Filed::TooLong),
        Err(StoreError::AnswerFull { .. }) => Ok(Filed::Full { interview_id }),
        Err(e) => Err(e.into()),
    }
}
