//! The interview engine: a pure state machine. An adapter (terminal, Discord) feeds it events —
//! the candidate's answer, a score arriving, a button — and carries out the actions it returns
//! (ask, score, show feedback, finish). No I/O happens here, so every rule is unit-tested.

pub mod design;
mod effect;
mod journal;
mod levels;
mod limits;
pub mod pair;
mod plan;
mod report;
mod stages;
mod time_box;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::bank::{Difficulty, Question};
use crate::scoring::{Assessment, Rubric, WrittenFollowUp};
use crate::style::Style;
use design::{DesignRound, Stage};

pub use effect::{Effect, Intro, IntroStyle, TimedOut};
pub use journal::{AnswerLookup, Awaiting, Journal, JournalError, Step};
pub use levels::{next_level, LastAnswer, START as ADAPTIVE_START};
pub use limits::{AnswerLimit, ANSWER_LIMIT};
pub use plan::{
    build_candidates, build_design_plan, build_plan, CandidateHistory, PlanError, PlanRequest,
    TopicRecord, TrackChoice,
};
pub use report::{BarLine, NextReview, QuestionResult, Report, SpokenAnswers, StyleVerdict};
pub use time_box::{spoken, took};

/// Rules an interview runs by.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Follow-ups asked at most after each main question.
    pub max_follow_ups: usize,
    /// A follow-up is worth asking only if the points it probes were missed by at least this
    /// much in total (1.0 = one point wholly missed).
    pub min_gap: f32,
    /// `Some`: the level follows the candidate's answers (see `levels`), and the questions
    /// the interview is given are candidates to choose from. `None`: they are asked in order.
    pub adaptive: Option<Adaptive>,
    /// The interviewer's style: its voice, weights and bar (see [`Settings::styled`]).
    pub style: Option<Arc<Style>>,
    /// `Some`: a staged system-design round on the one question given (see `design`).
    pub design: Option<DesignRound>,
}

impl Settings {
    /// These settings run by `style`: its follow-up policy, and its voice and weights in every
    /// rubric and message.
    pub fn styled(self, style: Arc<Style>) -> Settings {
        Settings {
            max_follow_ups: style.follow_ups.max,
            min_gap: style.follow_ups.min_gap,
            style: Some(style),
            ..self
        }
    }
}

/// How an adaptive interview runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adaptive {
    /// Main questions asked.
    pub questions: usize,
    /// The first question's level.
    pub start: Difficulty,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_follow_ups: 2,
            min_gap: 0.5,
            adaptive: None,
            style: None,
            design: None,
        }
    }
}

/// Whether a turn is a main question or one of its follow-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Turn {
    Main,
    /// One of the bank's follow-ups of the question.
    FollowUp {
        index: usize,
    },
    /// A follow-up the scorer wrote from the candidate's answer to the main question.
    Written,
    /// A stage of a design round (its deep dive asks the bank's follow-ups instead).
    Stage {
        stage: Stage,
    },
}

/// The question currently put to the candidate.
#[derive(Debug, Clone, PartialEq)]
struct Asked {
    /// Index into the plan.
    question: usize,
    turn: Turn,
    /// Concept hints already revealed for this turn.
    hints: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    NotStarted,
    Awaiting(Asked),
    Scoring(Asked),
    Finished(Ending),
}

/// How an interview ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// Every planned question was asked.
    Completed,
    /// The candidate ended it.
    Ended,
    /// Nobody answered for too long.
    Abandoned,
}

/// Something that happened, from the engine's point of view.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Start,
    AnswerSubmitted(String),
    AnswerScored(Box<Assessment>),
    /// The last answer could not be scored, for good: it stays unscored and the interview
    /// goes on.
    ScoringFailed,
    Hint,
    Skip,
    End,
    Timeout,
}

/// A question as the adapter shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prompt {
    /// 1-based number of the main question, and how many there are.
    pub number: usize,
    pub of: usize,
    pub turn: Turn,
    pub question_id: String,
    pub topic: String,
    /// The question's level (absent in prompts queued before levels were shown).
    #[serde(default)]
    pub difficulty: Option<Difficulty>,
    pub text: String,
    /// The interviewer's words before the question: a styled follow-up's lead-in or challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// The style's soft time box for the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_box_secs: Option<u32>,
}

/// What the adapter must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Ask(Prompt),
    /// Score this answer, then send back `Event::AnswerScored`.
    Score {
        rubric: Rubric,
        answer: String,
    },
    ShowHint(String),
    ShowFeedback {
        assessment: Assessment,
        hinted: bool,
        /// The styled interviewer's first words about the answer.
        remark: Option<String>,
    },
    /// A short message for the candidate (e.g. why an event was not taken).
    Notice(String),
    Finish(Report),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error("the interview has no questions")]
    EmptyPlan,
    #[error("the interview has already started")]
    AlreadyStarted,
    #[error("the interview is over")]
    Finished,
    #[error("{0}")]
    NotNow(&'static str),
}

/// One answered (or skipped) turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub question: Arc<Question>,
    pub turn: Turn,
    /// The text of the question as asked.
    pub prompt: String,
    pub answer: Option<String>,
    pub assessment: Option<Assessment>,
    pub hinted: bool,
    pub skipped: bool,
}

/// One candidate's interview.
#[derive(Debug, Clone)]
pub struct Interview {
    /// The main questions asked so far and, for a fixed plan, the ones to come.
    plan: Vec<Arc<Question>>,
    /// An adaptive interview's candidates, every level's, in the planner's order.
    candidates: Vec<Arc<Question>>,
    /// An adaptive interview's current level.
    level: Difficulty,
    settings: Settings,
    phase: Phase,
    records: Vec<Record>,
    /// Follow-ups already asked for the current main question.
    follow_ups_asked: Vec<usize>,
    /// The assessment of the current main question's answer, which follow-ups are chosen from.
    main_assessment: Option<Assessment>,
    /// The follow-up written from the current main answer, once asked.
    written: Option<WrittenFollowUp>,
    /// Main questions put to the candidate so far.
    reached: usize,
}

impl Interview {
    /// An interview over `questions`: the plan, or an adaptive interview's candidates.
    pub fn new(questions: Vec<Arc<Question>>, settings: Settings) -> Interview {
        let (plan, candidates) = match settings.adaptive {
            None => (questions, Vec::new()),
            Some(_) => (Vec::new(), questions),
        };
        Interview {
            plan,
            candidates,
            level: settings.adaptive.map_or(levels::START, |a| a.start),
            settings,
            phase: Phase::NotStarted,
            records: Vec::new(),
            follow_ups_asked: Vec::new(),
            main_assessment: None,
            written: None,
            reached: 0,
        }
    }

    /// The main questions asked so far, and for a fixed plan the ones to come.
    pub fn plan(&self) -> &[Arc<Question>] {
        &self.plan
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How many main questions the interview asks.
    pub fn length(&self) -> usize {
        match self.settings.adaptive {
            None => self.plan.len(),
            Some(a) => a.questions.min(self.candidates.len()),
        }
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.phase, Phase::Finished(_))
    }

    /// Whether the engine waits for the candidate (rather than for a score, or nothing).
    pub fn is_awaiting_answer(&self) -> bool {
        matches!(self.phase, Phase::Awaiting(_))
    }

    /// The turn waiting for the candidate's answer, if the engine waits for one.
    pub fn awaiting(&self) -> Option<Awaiting> {
        let Phase::Awaiting(asked) = &self.phase else {
            return None;
        };
        Some(Awaiting {
            question_id: self.plan[asked.question].id.clone(),
            number: asked.question + 1,
            turn: asked.turn,
            hinted: asked.hints > 0,
        })
    }

    /// Whether the engine waits for the score of the last answer.
    pub fn is_scoring(&self) -> bool {
        matches!(self.phase, Phase::Scoring(_))
    }

    /// Applies an event; returns the actions to carry out, in order.
    pub fn handle(&mut self, event: Event) -> Result<Vec<Action>, EngineError> {
        if matches!(self.phase, Phase::Finished(_)) {
            return Err(EngineError::Finished);
        }
        match event {
            Event::Start => self.start(),
            Event::AnswerSubmitted(text) => self.submit(text),
            Event::AnswerScored(assessment) => self.scored(*assessment),
            Event::ScoringFailed => self.scoring_failed(),
            Event::Hint => self.hint(),
            Event::Skip => self.skip(),
            Event::End => Ok(vec![self.finish(Ending::Ended)]),
            Event::Timeout => Ok(vec![self.finish(Ending::Abandoned)]),
        }
    }

    fn start(&mut self) -> Result<Vec<Action>, EngineError> {
        if self.phase != Phase::NotStarted {
            return Err(EngineError::AlreadyStarted);
        }
        if self.settings.adaptive.is_some() {
            let first = levels::pick(&self.candidates, &self.plan, self.level);
            self.plan.extend(first);
        }
        if self.plan.is_empty() {
            return Err(EngineError::EmptyPlan);
        }
        let first = match self.settings.design {
            Some(_) => Turn::Stage {
                stage: Stage::Clarify,
            },
            None => Turn::Main,
        };
        Ok(vec![self.ask(0, first)])
    }

    fn awaiting_turn(&self, what: &'static str) -> Result<Asked, EngineError> {
        match &self.phase {
            Phase::Awaiting(asked) => Ok(asked.clone()),
            Phase::NotStarted => Err(EngineError::NotNow("the interview has not started yet")),
            _ => Err(EngineError::NotNow(what)),
        }
    }

    fn submit(&mut self, text: String) -> Result<Vec<Action>, EngineError> {
        let asked = self.awaiting_turn("the last answer is still being scored")?;
        if text.trim().is_empty() {
            let notice = "That answer is empty. Type your answer, or skip the question.";
            return Ok(vec![Action::Notice(notice.into())]);
        }
        let rubric = self.rubric(&asked);
        self.records.push(Record {
            question: self.plan[asked.question].clone(),
            turn: asked.turn,
            prompt: rubric.prompt.clone(),
            answer: Some(text.clone()),
            assessment: None,
            hinted: asked.hints > 0,
            skipped: false,
        });
        self.phase = Phase::Scoring(asked);
        Ok(vec![Action::Score {
            rubric,
            answer: text,
        }])
    }

    fn scored(&mut self, assessment: Assessment) -> Result<Vec<Action>, EngineError> {
        let Phase::Scoring(asked) = self.phase.clone() else {
            return Err(EngineError::NotNow("no answer is waiting for a score"));
        };
        let hinted = asked.hints > 0;
        if let Some(record) = self.records.last_mut() {
            record.assessment = Some(assessment.clone());
        }
        if asked.turn == Turn::Main {
            self.main_assessment = Some(assessment.clone());
        }
        let remark = self
            .settings
            .style
            .as_ref()
            .map(|s| s.remark(assessment.scores.overall).to_string());
        let mut actions = vec![Action::ShowFeedback {
            assessment,
            hinted,
            remark,
        }];
        actions.push(match self.settings.design {
            Some(_) => self.next_stage(asked.turn, false),
            None => self.next_after(asked.question),
        });
        Ok(actions)
    }

    fn hint(&mut self) -> Result<Vec<Action>, EngineError> {
        let mut asked = self.awaiting_turn("hints are for the question you are answering")?;
        let rubric = self.rubric(&asked);
        let Some(point) = rubric.points.get(asked.hints) else {
            let notice = "No more hints for this question.";
            return Ok(vec![Action::Notice(notice.into())]);
        };
        let concepts: Vec<&str> = point
            .concepts
            .iter()
            .filter_map(|group| group.first().map(String::as_str))
            .collect();
        let clarifying = asked.turn
            == Turn::Stage {
                stage: Stage::Clarify,
            };
        let hint = if clarifying {
            // The clarify stage's points are the sheet's topics; its statements read as grades.
            let requirements = &self.plan[asked.question].requirements;
            let topic = requirements
                .get(asked.hints)
                .map_or("", |r| r.topic.as_str());
            format!("Think about asking about: {topic}.")
        } else if concepts.is_empty() {
            format!("Think about: {}", point.statement)
        } else {
            format!("Think about: {}.", concepts.join(", "))
        };
        asked.hints += 1;
        self.phase = Phase::Awaiting(asked);
        Ok(vec![Action::ShowHint(hint)])
    }

    fn skip(&mut self) -> Result<Vec<Action>, EngineError> {
        let asked = self.awaiting_turn("only the question you are answering can be skipped")?;
        let prompt = self.rubric(&asked).prompt;
        self.records.push(Record {
            question: self.plan[asked.question].clone(),
            turn: asked.turn,
            prompt,
            answer: None,
            assessment: None,
            hinted: asked.hints > 0,
            skipped: true,
        });
        if self.settings.design.is_some() {
            // Skipping a deep-dive probe skips the rest of the deep dive.
            return Ok(vec![self.next_stage(asked.turn, true)]);
        }
        // Skipping a follow-up also skips the rest of that question's follow-ups.
        Ok(vec![self.next_main(asked.question)])
    }

    fn scoring_failed(&mut self) -> Result<Vec<Action>, EngineError> {
        let Phase::Scoring(asked) = self.phase.clone() else {
            return Err(EngineError::NotNow("no answer is waiting for a score"));
        };
        if self.settings.design.is_some() {
            return Ok(vec![self.next_stage(asked.turn, false)]);
        }
        // No follow-up: it would probe gaps nobody measured. The record keeps the answer,
        // unscored.
        Ok(vec![self.next_main(asked.question)])
    }

    /// After a scored answer: a follow-up if one is worth asking, else the next main question.
    /// A follow-up written from the candidate's own answer comes first; then the bank's.
    fn next_after(&mut self, question: usize) -> Action {
        let asked = self.follow_ups_asked.len() + usize::from(self.written.is_some());
        if asked < self.settings.max_follow_ups {
            if self.written.is_none() {
                let written = self
                    .main_assessment
                    .as_ref()
                    .and_then(|a| a.follow_up.clone());
                if let Some(written) = written {
                    self.written = Some(written);
                    return self.ask(question, Turn::Written);
                }
            }
            if let Some(index) = self.choose_follow_up(question) {
                self.follow_ups_asked.push(index);
                return self.ask(question, Turn::FollowUp { index });
            }
        }
        self.next_main(question)
    }

    fn next_main(&mut self, question: usize) -> Action {
        if question + 1 < self.length() && self.settings.adaptive.is_some() {
            self.level = levels::next_level(self.level, self.last_main(question));
            let next = levels::pick(&self.candidates, &self.plan, self.level);
            self.plan.extend(next);
        }
        if question + 1 < self.plan.len() {
            self.ask(question + 1, Turn::Main)
        } else if self.records.iter().any(|r| r.assessment.is_some()) {
            self.finish(Ending::Completed)
        } else {
            // Skipped through without one scored answer: run to the end, but not completed,
            // or the boards would count interviews nobody answered.
            self.finish(Ending::Ended)
        }
    }

    /// How the answer to main question `question` went, for the next level.
    fn last_main(&self, question: usize) -> LastAnswer {
        let id = &self.plan[question].id;
        let main = self
            .records
            .iter()
            .rev()
            .find(|r| r.turn == Turn::Main && &r.question.id == id);
        match main {
            Some(r) if r.skipped => LastAnswer::Skipped,
            Some(Record {
                assessment: Some(a),
                ..
            }) => LastAnswer::Scored(a.scores.overall),
            _ => LastAnswer::Unscored,
        }
    }

    /// The unasked follow-up whose probed points the main answer missed most.
    fn choose_follow_up(&self, question: usize) -> Option<usize> {
        let assessment = self.main_assessment.as_ref()?;
        let q = &self.plan[question];
        let mut best: Option<(usize, f32)> = None;
        for (i, f) in q.follow_ups.iter().enumerate() {
            if self.follow_ups_asked.contains(&i) {
                continue;
            }
            let gap: f32 = f
                .probes
                .iter()
                .map(|p| 1.0 - assessment.coverage_of(p))
                .sum();
            if gap >= self.settings.min_gap && best.is_none_or(|(_, g)| gap > g) {
                best = Some((i, gap));
            }
        }
        best.map(|(i, _)| i)
    }

    fn ask(&mut self, question: usize, turn: Turn) -> Action {
        let opens = match turn {
            Turn::Main => true,
            Turn::Stage { stage } => stage == Stage::Clarify,
            Turn::FollowUp { .. } | Turn::Written => false,
        };
        if opens {
            self.follow_ups_asked.clear();
            self.main_assessment = None;
            self.written = None;
            self.reached = self.reached.max(question + 1);
        }
        let q = &self.plan[question];
        let lead = match turn {
            Turn::FollowUp { .. } if self.settings.design.is_some() => Some(format!(
                "Deep dive, {} of {}.",
                self.follow_ups_asked.len(),
                design::DEEP_DIVES.min(q.follow_ups.len())
            )),
            Turn::FollowUp { index } => self.follow_up_lead(&q.follow_ups[index].probes),
            Turn::Stage {
                stage: Stage::Estimate,
            } => Some(design::replies(q, self.stage_assessment(Stage::Clarify))),
            Turn::Main | Turn::Written | Turn::Stage { .. } => None,
        };
        let text = match turn {
            Turn::Main => q.prompt.clone(),
            Turn::FollowUp { index } => q.follow_ups[index].prompt.clone(),
            Turn::Written => self
                .written
                .as_ref()
                .map_or_else(String::new, |w| w.prompt.clone()),
            Turn::Stage { stage } => design::stage_prompt(q, stage),
        };
        let time_box_secs = match (self.settings.design, design::stage_of(turn)) {
            (Some(round), Some(stage)) => Some(round.time_box(stage)),
            _ => self.settings.style.as_ref().and_then(|s| s.time_box_secs),
        };
        self.phase = Phase::Awaiting(Asked {
            question,
            turn,
            hints: 0,
        });
        Action::Ask(Prompt {
            number: question + 1,
            of: self.length(),
            turn,
            question_id: q.id.clone(),
            topic: q.topic.clone(),
            difficulty: Some(q.difficulty),
            text,
            lead,
            time_box_secs,
        })
    }

    /// A styled follow-up's opening words: a challenge quotes the candidate's own sentence
    /// behind a point the follow-up probes, or else behind the main answer's best-covered point.
    fn follow_up_lead(&self, probes: &[String]) -> Option<String> {
        let style = self.settings.style.as_ref()?;
        let claim = self.main_assessment.as_ref().and_then(|a| {
            claim_of(a, |id| probes.iter().any(|p| p == id)).or_else(|| claim_of(a, |_| true))
        });
        style.follow_up_lead(claim)
    }

    fn rubric(&self, asked: &Asked) -> Rubric {
        let q = &self.plan[asked.question];
        let mut rubric = match asked.turn {
            Turn::Main => Rubric::for_question(q),
            Turn::FollowUp { index } => Rubric::for_follow_up(q, index, &q.follow_ups[index]),
            Turn::Written => match &self.written {
                Some(w) => Rubric::for_written_follow_up(q, w),
                None => Rubric::for_question(q),
            },
            Turn::Stage { stage } => design::stage_rubric(q, stage),
        };
        rubric.interviewer = self.settings.style.as_ref().map(|s| s.interviewer());
        rubric
    }

    fn finish(&mut self, outcome: Ending) -> Action {
        self.phase = Phase::Finished(outcome);
        let mut report = Report::new(outcome, self.length(), self.reached, &self.records);
        report.style = self.settings.style.as_deref().map(|s| report.verdict(s));
        report.stages = self.stage_reports();
        Action::Finish(report)
    }
}

/// The candidate's sentence behind the best-covered point that `wanted` accepts, if the scorer
/// quoted one.
fn claim_of(a: &Assessment, wanted: impl Fn(&str) -> bool) -> Option<&str> {
    a.covered
        .iter()
        .chain(&a.partial)
        .filter(|p| p.evidence.is_some() && wanted(&p.id))
        .max_by(|x, y| x.coverage.total_cmp(&y.coverage))
        .and_then(|p| p.evidence.as_deref())
}

#[cfg(test)]
mod design_tests;
#[cfg(test)]
pub(crate) mod tests;
