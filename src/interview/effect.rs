//! What a step of an interview leaves to be shown in its thread. A step saves its effects with
//! its journal, in one transaction, and an adapter shows them after the commit: so nothing a
//! step decided is lost when the adapter is slow or fails, and no transaction waits on it.
//! Effects are plain data (stored as JSON until shown), carrying everything needed to show them.

use serde::{Deserialize, Serialize};

use super::{Prompt, Report};
use crate::bank::Difficulty;
use crate::scoring::Assessment;

/// One thing to show in an interview's thread, in the order the step produced them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Effect {
    /// The welcome: what the interview is and how answering works.
    Intro(Intro),
    Ask {
        prompt: Prompt,
    },
    Hint {
        text: String,
    },
    Feedback {
        /// The answer it grades, whose feedback message is remembered once posted.
        answer_id: Option<i64>,
        /// Left out of the stored effect when the answer holds it (see [`Effect::to_store`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assessment: Option<Box<Assessment>>,
        hinted: bool,
        /// A styled interviewer's first words about the answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remark: Option<String>,
    },
    Report {
        report: Box<Report>,
        /// Each result's peer score when the interview ended, in the report's order.
        peer_scores: Vec<Option<String>>,
        /// Set when the interview ended because nobody answered.
        timed_out: Option<TimedOut>,
    },
    /// The candidate's last answer could not be scored: it is kept unscored, and the interview
    /// goes on.
    Unscored {
        user_id: u64,
    },
    /// The interview ended because one of its questions left the bank (or the guild's pack):
    /// its steps cannot be replayed any more.
    QuestionRemoved {
        user_id: u64,
        question_id: String,
    },
    /// Close the thread to new messages, when the guild wants finished threads archived.
    Archive,
}

impl Effect {
    /// The effect as it is stored: feedback refers to its stored answer's assessment rather than
    /// carrying a copy (several kilobytes, written and deleted for every answer).
    pub fn to_store(&self) -> Effect {
        match self {
            Effect::Feedback {
                answer_id: Some(id),
                hinted,
                remark,
                ..
            } => Effect::Feedback {
                answer_id: Some(*id),
                assessment: None,
                hinted: *hinted,
                remark: remark.clone(),
            },
            other => other.clone(),
        }
    }
}

/// The welcome's facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intro {
    pub track: String,
    pub difficulty: Difficulty,
    /// The level follows the answers, starting at `difficulty` (false in effects queued
    /// before levels adapted).
    #[serde(default)]
    pub adaptive: bool,
    pub questions: usize,
    pub quiet_period_secs: u64,
    pub idle_timeout_secs: u64,
    /// The interviewer's style, when the interview has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<IntroStyle>,
    /// A drill of the questions due for review.
    #[serde(default)]
    pub drill: bool,
    /// A system-design round, with its stages' time boxes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<super::design::DesignRound>,
}

/// What the welcome says of a style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntroStyle {
    pub name: String,
    /// The interviewer's own opening words.
    pub intro: String,
    pub time_box_secs: Option<u32>,
}

/// Why an interview ended without its candidate: who to tell, and after how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedOut {
    pub user_id: u64,
    pub idle_timeout_secs: u64,
}
