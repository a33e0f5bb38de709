//! A system-design round: one open prompt taken in the stages a design interviewer leads —
//! clarify, estimate, high-level design, a deep dive, wrap-up — each scored on its own points.
//!
//! The question's hidden requirements sheet drives the first two stages: the clarify stage is
//! graded on which entries the candidate asked about, the interviewer then answers exactly
//! those (and never volunteers the rest), and the estimate stage's numbers are checked against
//! the figures the sheet implies. The deep dive asks the bank's follow-ups whose points the
//! earlier stages covered least.

use serde::{Deserialize, Serialize};

use crate::bank::{Point, Question, Requirement};
use crate::scoring::{Assessment, Rubric, CLARIFY_ANSWERED};

/// A stage of a design round, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Clarify,
    Estimate,
    Design,
    DeepDive,
    WrapUp,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Clarify,
        Stage::Estimate,
        Stage::Design,
        Stage::DeepDive,
        Stage::WrapUp,
    ];

    /// 1-based, as the interviewer announces it.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn name(self) -> &'static str {
        match self {
            Stage::Clarify => "Clarify",
            Stage::Estimate => "Estimate",
            Stage::Design => "High-level design",
            Stage::DeepDive => "Deep dive",
            Stage::WrapUp => "Wrap-up",
        }
    }

    /// What the interviewer asks for at the start of the stage.
    fn instruction(self) -> &'static str {
        match self {
            Stage::Clarify => {
                "Before you design anything, ask me what you need to know: what it must do, \
                 for whom, how much traffic and data, how fast, how available, how consistent. \
                 Put your questions in one message. I will answer what you ask, and only that."
            }
            Stage::Estimate => {
                "Estimate the load from what I told you (where you did not ask, state your \
                 assumption): requests per second on average and at peak, storage over the \
                 retention period, and bandwidth or memory where it matters. Show the arithmetic."
            }
            Stage::Design => {
                "Sketch the high-level design: the API, the data model, and the components a \
                 request passes through, with how each of them scales."
            }
            Stage::DeepDive => "Let's go deeper into one part of your design.",
            Stage::WrapUp => {
                "To wrap up: what trade-offs did your design make, what breaks first at ten \
                 times the load, and what would you build, measure or revisit next?"
            }
        }
    }
}

/// Deep-dive probes a round asks at most.
pub const DEEP_DIVES: usize = 2;

/// How a design round runs: its soft time box per stage (per probe in the deep dive), shown to
/// the candidate and checked in the report, never enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignRound {
    pub time_boxes_secs: [u32; 5],
}

impl Default for DesignRound {
    /// A 45-minute round: 5 to clarify, 5 to estimate, 15 to design, 10 for two probes, 5 to
    /// wrap up.
    fn default() -> Self {
        DesignRound {
            time_boxes_secs: [300, 300, 900, 300, 300],
        }
    }
}

impl DesignRound {
    pub fn time_box(&self, stage: Stage) -> u32 {
        self.time_boxes_secs[stage as usize]
    }

    /// Time boxes from minutes per stage, as a setting writes them ("5,5,15,5,5").
    pub fn from_minutes(text: &str) -> Result<DesignRound, String> {
        let minutes: Vec<u32> = text
            .split(',')
            .map(|m| m.trim().parse::<u32>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("\"{text}\" is not five whole numbers of minutes"))?;
        let boxes: [u32; 5] = minutes
            .iter()
            .map(|m| m * 60)
            .collect::<Vec<_>>()
            .try_into()
            .map_err(|_| {
                format!(
                    "\"{text}\" has {} numbers; give one per stage: clarify, estimate, design, \
                     deep dive, wrap-up",
                    minutes.len()
                )
            })?;
        if boxes.contains(&0) {
            return Err(format!("\"{text}\" gives a stage no time"));
        }
        Ok(DesignRound {
            time_boxes_secs: boxes,
        })
    }
}

/// Whether a point of the question's rubric belongs to `stage`: the `estimate` point to the
/// estimate, `tradeoffs` to the wrap-up, `clarify` to none (the sheet grades that stage), and
/// every other to the high-level design.
fn belongs(point: &Point, stage: Stage) -> bool {
    match point.id.as_str() {
        "clarify" => false,
        "estimate" => stage == Stage::Estimate,
        "tradeoffs" => stage == Stage::WrapUp,
        _ => stage == Stage::Design,
    }
}

/// What the candidate's answer to `stage` is scored against. The deep dive's probes are the
/// bank's follow-ups, scored against their own rubrics.
pub fn stage_rubric(q: &Question, stage: Stage) -> Rubric {
    let mut rubric = Rubric::for_question(q);
    rubric.question_id = format!("{}#{}", q.id, stage_key(stage));
    rubric.prompt = format!("{}\n\n{}: {}", q.prompt, stage.name(), stage.instruction());
    rubric.points = q
        .points
        .iter()
        .filter(|p| belongs(p, stage))
        .cloned()
        .collect();
    match stage {
        Stage::Clarify => {
            rubric.points = q
                .requirements
                .iter()
                .enumerate()
                .map(|(i, r)| Point {
                    id: format!("ask-{}", i + 1),
                    statement: format!("Asks about: {}", r.topic),
                    concepts: Vec::new(),
                })
                .collect();
            rubric.sheet = q.requirements.clone();
            // The model answer opens with the sheet's numbers: it would tell an LLM grader
            // what was never asked.
            rubric.model_answer = None;
            rubric.pitfalls = Vec::new();
        }
        Stage::Estimate => rubric.estimates = q.estimates.clone(),
        Stage::WrapUp => rubric.points.extend(q.wrap_up.iter().cloned()),
        Stage::Design | Stage::DeepDive => {}
    }
    rubric
}

fn stage_key(stage: Stage) -> &'static str {
    match stage {
        Stage::Clarify => "clarify",
        Stage::Estimate => "estimate",
        Stage::Design => "design",
        Stage::DeepDive => "deep-dive",
        Stage::WrapUp => "wrap-up",
    }
}

/// The entries of the sheet the clarify answer asked about, in the sheet's order: all the
/// interviewer says.
pub fn asked_entries<'q>(q: &'q Question, clarify: &Assessment) -> Vec<&'q Requirement> {
    q.requirements
        .iter()
        .enumerate()
        .filter(|(i, _)| clarify.coverage_of(&format!("ask-{}", i + 1)) >= CLARIFY_ANSWERED)
        .map(|(_, r)| r)
        .collect()
}

/// The interviewer's reply to the clarify stage, which opens the estimate stage.
pub fn replies(q: &Question, clarify: Option<&Assessment>) -> String {
    let entries = clarify.map(|a| asked_entries(q, a)).unwrap_or_default();
    if entries.is_empty() {
        return "I have nothing to add from what you asked: make the assumptions you need, \
                and say them."
            .into();
    }
    let mut text = String::from("Good questions. Here is what I can tell you:\n");
    for entry in entries {
        text.push_str(&format!("- **{}**: {}\n", entry.topic, entry.answer.trim()));
    }
    text.push_str("Anything else, assume and say so.");
    text
}

/// The stage a turn of a design round belongs to: the deep dive asks the bank's follow-ups.
pub fn stage_of(turn: super::Turn) -> Option<Stage> {
    match turn {
        super::Turn::Stage { stage } => Some(stage),
        super::Turn::FollowUp { .. } => Some(Stage::DeepDive),
        super::Turn::Main | super::Turn::Written => None,
    }
}

/// The text of a stage's question: the instruction, after the design prompt in the first.
pub fn stage_prompt(q: &Question, stage: Stage) -> String {
    match stage {
        Stage::Clarify => format!("{}\n\n{}", q.prompt.trim(), stage.instruction()),
        _ => stage.instruction().to_string(),
    }
}

/// A stage as the report shows it, beside the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageReport {
    pub stage: Stage,
    /// The average overall score of the stage's scored answers; `None` when none was scored.
    pub score: Option<f32>,
    pub answered: usize,
    pub skipped: bool,
    pub time_box_secs: u32,
    /// Statements of what the candidate covered.
    pub covered: Vec<String>,
    /// What a strong candidate also covered here.
    pub strong: Vec<String>,
}

/// One stage's turns in the round, as records hold them.
pub(super) struct StageTurn<'a> {
    pub stage: Stage,
    pub assessment: Option<&'a Assessment>,
    pub skipped: bool,
}

/// The report's stages, side by side. For the clarify stage, what a strong candidate covered
/// is the sheet's entries they did not ask about, revealed now that the round is over.
pub(super) fn stage_reports(
    q: &Question,
    turns: &[StageTurn<'_>],
    round: &DesignRound,
) -> Vec<StageReport> {
    Stage::ALL
        .iter()
        .map(|&stage| {
            let mine: Vec<&StageTurn<'_>> = turns.iter().filter(|t| t.stage == stage).collect();
            let scored: Vec<&Assessment> = mine.iter().filter_map(|t| t.assessment).collect();
            let score = (!scored.is_empty()).then(|| {
                let sum: f32 = scored.iter().map(|a| a.scores.overall).sum();
                (sum / scored.len() as f32 * 10.0).round() / 10.0
            });
            let covered = scored
                .iter()
                .flat_map(|a| &a.covered)
                .map(|p| p.statement.clone())
                .collect();
            let strong = match stage {
                Stage::Clarify => q
                    .requirements
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        let id = format!("ask-{}", i + 1);
                        scored.iter().all(|a| a.coverage_of(&id) < CLARIFY_ANSWERED)
                    })
                    .map(|(_, r)| format!("{}: {}", r.topic, r.answer.trim()))
                    .collect(),
                _ => scored
                    .iter()
                    .flat_map(|a| a.missed.iter().chain(&a.partial))
                    .map(|p| p.statement.clone())
                    .collect(),
            };
            StageReport {
                stage,
                score,
                answered: scored.len(),
                skipped: mine.iter().any(|t| t.skipped),
                time_box_secs: round.time_box(stage),
                covered,
                strong,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_boxes_are_read_from_minutes_per_stage() {
        let round = DesignRound::from_minutes("5, 5, 15, 5, 5").expect("five numbers");
        assert_eq!(round, DesignRound::default());
        let short = DesignRound::from_minutes("5,5,15").expect_err("three numbers");
        assert!(short.contains("has 3 numbers"), "{short}");
        assert!(DesignRound::from_minutes("5,5,0,5,5").is_err());
        assert!(DesignRound::from_minutes("five").is_err());
    }
}

#[cfg(test)]
mod sheet_tests {
    use super::*;
    use crate::scoring::{OfflineScorer, Scorer};

    /// The entries the offline scorer finds asked about in `questions`, by topic.
    fn asked(id: &str, questions: &str) -> Vec<String> {
        let bank = crate::bank::Bank::bundled().expect("the bundled bank loads");
        let scorer = OfflineScorer::for_bank(&bank);
        let q = bank.get(id).expect("a bundled design question");
        let a = scorer.score(&stage_rubric(q, Stage::Clarify), questions);
        asked_entries(q, &a)
            .into_iter()
            .map(|r| r.topic.clone())
            .collect()
    }

    #[test]
    fn plain_questions_reach_the_entries_they_ask_about_and_no_others() {
        let topics = asked(
            "url-shortener",
            "Can people choose their own short name, and change where a link goes later? How \
             many new links a month, and how often are they opened? How long do we keep \
             them? Do owners get click statistics? What about spam?",
        );
        for wanted in ["Features", "Scale", "Retention", "Analytics", "Abuse"] {
            assert!(
                topics.iter().any(|t| t == wanted),
                "{wanted} not in {topics:?}"
            );
        }
        for unasked in ["Peak traffic", "Latency", "Code length"] {
            assert!(
                !topics.iter().any(|t| t == unasked),
                "{unasked} in {topics:?}"
            );
        }
    }

    /// Every pair of neighbouring entries of every bundled sheet: naming their topics asks
    /// about those two, and the interviewer volunteers nothing more.
    #[test]
    fn naming_two_topics_asks_about_them_alone_in_every_bundled_sheet() {
        let bank = crate::bank::Bank::bundled().expect("the bundled bank loads");
        let scorer = OfflineScorer::for_bank(&bank);
        let mut wrong = Vec::new();
        for q in bank.questions().iter().filter(|q| q.has_design_round()) {
            let rubric = stage_rubric(q, Stage::Clarify);
            for pair in q.requirements.windows(2) {
                let text = format!(
                    "What about {}? And what about {}?",
                    pair[0].topic.to_lowercase(),
                    pair[1].topic.to_lowercase()
                );
                let a = scorer.score(&rubric, &text);
                let got: Vec<&str> = asked_entries(q, &a)
                    .iter()
                    .map(|r| r.topic.as_str())
                    .collect();
                if got != [pair[0].topic.as_str(), pair[1].topic.as_str()] {
                    wrong.push(format!("{}: {text} -> {got:?}", q.id));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn an_unrelated_message_asks_about_nothing() {
        let topics = asked("payments-ledger", "I would start by drawing some boxes.");
        assert!(topics.is_empty(), "{topics:?}");
    }
}
