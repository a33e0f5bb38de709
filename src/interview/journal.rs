//! An interview's journal: the steps it took, in order, with answers referred to by id. The
//! engine is deterministic, so replaying the journal against the stored answers rebuilds it
//! exactly — which is how any process picks an interview up after a restart, and why the
//! journal is all the state an interview row needs to keep.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Event, Interview, Settings, Turn};
use crate::bank::Question;
use crate::scoring::Assessment;

/// One step of an interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Start,
    Hint,
    Skip,
    End,
    Timeout,
    /// The candidate submitted this answer.
    Submitted {
        answer: i64,
    },
    /// This answer's score arrived.
    Scored {
        answer: i64,
    },
    /// This answer could not be scored, for good.
    ScoringFailed {
        answer: i64,
    },
}

/// The turn waiting for the candidate's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Awaiting {
    pub question_id: String,
    /// 1-based number of the main question.
    pub number: usize,
    pub turn: Turn,
    /// A hint was shown for this turn.
    pub hinted: bool,
}

/// An interview's saved state: its steps, and (derived from them, so that a message can be filed
/// under its turn without a replay) the turn awaiting an answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub awaiting: Option<Awaiting>,
}

/// Where replay finds the answers a journal refers to.
pub trait AnswerLookup {
    fn body(&self, answer_id: i64) -> Option<String>;
    fn assessment(&self, answer_id: i64) -> Option<Assessment>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JournalError {
    #[error("the journal refers to answer {0}, which is not stored")]
    MissingAnswer(i64),
    #[error("the journal says answer {0} was scored, but it has no score")]
    NotScored(i64),
    #[error("step {index} ({step:?}) does not apply: {reason}")]
    Inconsistent {
        index: usize,
        step: Step,
        reason: String,
    },
}

impl Journal {
    /// Reads a journal saved by [`Journal::to_json`]; an empty object is an empty journal.
    pub fn from_json(value: &serde_json::Value) -> Result<Journal, serde_json::Error> {
        serde_json::from_value(value.clone())
    }

    pub fn to_json(&self) -> serde_json::Value {
        // A struct of plain fields always serialises.
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The engine as it stood after the last step.
    pub fn replay(
        &self,
        plan: Vec<Arc<Question>>,
        settings: Settings,
        answers: &impl AnswerLookup,
    ) -> Result<Interview, JournalError> {
        let mut interview = Interview::new(plan, settings);
        for (index, step) in self.steps.iter().enumerate() {
            let event = event_of(*step, answers)?;
            interview
                .handle(event)
                .map_err(|e| JournalError::Inconsistent {
                    index,
                    step: *step,
                    reason: e.to_string(),
                })?;
        }
        Ok(interview)
    }

    /// Appends a step the engine took, and records what it now waits for.
    pub fn record(&mut self, step: Step, interview: &Interview) {
        self.steps.push(step);
        self.awaiting = interview.awaiting();
    }

    /// Whether this answer's score (or its failure) was taken in already.
    pub fn has_scored(&self, answer_id: i64) -> bool {
        self.steps.contains(&Step::Scored { answer: answer_id })
            || self
                .steps
                .contains(&Step::ScoringFailed { answer: answer_id })
    }
}

/// The engine event a step stands for.
pub fn event_of(step: Step, answers: &impl AnswerLookup) -> Result<Event, JournalError> {
    Ok(match step {
        Step::Start => Event::Start,
        Step::Hint => Event::Hint,
        Step::Skip => Event::Skip,
        Step::End => Event::End,
        Step::Timeout => Event::Timeout,
        Step::Submitted { answer } => Event::AnswerSubmitted(
            answers
                .body(answer)
                .ok_or(JournalError::MissingAnswer(answer))?,
        ),
        Step::Scored { answer } => Event::AnswerScored(Box::new(
            answers
                .assessment(answer)
                .ok_or(JournalError::NotScored(answer))?,
        )),
        Step::ScoringFailed { .. } => Event::ScoringFailed,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::bank::Bank;
    use crate::interview::{Action, Ending};
    use crate::scoring::{OfflineScorer, Scorer};

    #[derive(Default)]
    struct Answers(HashMap<i64, (String, Option<Assessment>)>);

    impl AnswerLookup for Answers {
        fn body(&self, id: i64) -> Option<String> {
            self.0.get(&id).map(|(b, _)| b.clone())
        }
        fn assessment(&self, id: i64) -> Option<Assessment> {
            self.0.get(&id).and_then(|(_, a)| a.clone())
        }
    }

    fn plan() -> Vec<Arc<Question>> {
        let bank = Bank::bundled().expect("the bundled bank loads");
        bank.questions().iter().take(2).cloned().collect()
    }

    /// Drives a live engine and a journal side by side, as the bot does.
    fn live_run() -> (Interview, Journal, Answers) {
        let bank = Bank::bundled().expect("the bundled bank loads");
        let scorer = OfflineScorer::for_bank(&bank);
        let mut live = Interview::new(plan(), Settings::default());
        let mut journal = Journal::default();
        let mut answers = Answers::default();
        live.handle(Event::Start).unwrap();
        journal.record(Step::Start, &live);
        live.handle(Event::Hint).unwrap();
        journal.record(Step::Hint, &live);
        let body = "An index is a B-tree kept sorted, so lookups are logarithmic.".to_string();
        let actions = live.handle(Event::AnswerSubmitted(body.clone())).unwrap();
        journal.record(Step::Submitted { answer: 1 }, &live);
        let Some(Action::Score { rubric, answer }) = actions.first() else {
            panic!("a submitted answer is scored: {actions:?}");
        };
        let assessment = scorer.score(rubric, answer);
        answers.0.insert(1, (body, Some(assessment.clone())));
        live.handle(Event::AnswerScored(Box::new(assessment)))
            .unwrap();
        journal.record(Step::Scored { answer: 1 }, &live);
        (live, journal, answers)
    }

    #[test]
    fn a_replayed_journal_waits_for_the_same_turn_as_the_live_engine() {
        let (live, journal, answers) = live_run();
        let saved = Journal::from_json(&journal.to_json()).unwrap();
        assert_eq!(saved, journal);
        let replayed = saved.replay(plan(), Settings::default(), &answers).unwrap();
        assert_eq!(replayed.awaiting(), live.awaiting());
        assert_eq!(saved.awaiting, live.awaiting());
        assert_eq!(replayed.records(), live.records());
    }

    #[test]
    fn a_replayed_engine_carries_on_like_the_live_one() {
        let (mut live, journal, answers) = live_run();
        let mut replayed = journal
            .replay(plan(), Settings::default(), &answers)
            .unwrap();
        let a = live.handle(Event::End).unwrap();
        let b = replayed.handle(Event::End).unwrap();
        assert_eq!(a, b);
        assert!(matches!(&b[..], [Action::Finish(r)] if r.outcome == Ending::Ended));
    }

    #[test]
    fn an_empty_state_is_an_empty_journal() {
        let journal = Journal::from_json(&serde_json::json!({})).unwrap();
        assert_eq!(journal, Journal::default());
    }

    #[test]
    fn a_score_that_is_not_stored_is_named() {
        let (_, journal, mut answers) = live_run();
        answers.0.get_mut(&1).unwrap().1 = None;
        let err = journal
            .replay(plan(), Settings::default(), &answers)
            .unwrap_err();
        assert_eq!(err, JournalError::NotScored(1));
    }
}
