//! Scoring: grading an answer against a written rubric. The `Scorer` trait is what the interview
//! adapters call; `OfflineScorer` is the deterministic, network-free scorer that is the default
//! and the fallback. `lint` checks that a rubric and its model answer agree.

pub mod estimates;
mod grader;
pub mod lint;
pub mod llm;
pub mod meaning;
mod offline;
mod rubric;
pub mod text;
pub mod wording;

use serde::{Deserialize, Serialize};

pub use grader::Grader;
pub use offline::{OfflineScorer, TermStats, CLARIFY_ANSWERED};
pub use rubric::Rubric;

/// The three assessment dimensions and the overall score, each 0–10.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Scores {
    /// Technical accuracy and depth: is it correct, does it cover the points of assessment.
    pub technical: f32,
    /// Trade-offs and judgement: does it weigh alternatives and avoid the known pitfalls.
    pub tradeoffs: f32,
    /// Communication: is it structured, concrete and clear.
    pub communication: f32,
    pub overall: f32,
}

/// How much each dimension counts in the overall score, in percent (the three sum to 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Weights {
    pub technical: u8,
    pub tradeoffs: u8,
    pub communication: u8,
}

impl Weights {
    /// An interview without a style: correctness first, then judgement, then clarity.
    pub const STANDARD: Weights = Weights {
        technical: 60,
        tradeoffs: 25,
        communication: 15,
    };

    /// The overall score of three dimension scores.
    pub fn overall(&self, technical: f32, tradeoffs: f32, communication: f32) -> f32 {
        let weighted = f32::from(self.technical) * technical
            + f32::from(self.tradeoffs) * tradeoffs
            + f32::from(self.communication) * communication;
        clamp_score(weighted / 100.0)
    }

    /// Why these weights are unusable, if they are.
    pub fn problem(&self) -> Option<String> {
        let sum =
            u16::from(self.technical) + u16::from(self.tradeoffs) + u16::from(self.communication);
        (sum != 100).then(|| format!("the three weights add up to {sum}, not 100"))
    }
}

impl Default for Weights {
    fn default() -> Self {
        Weights::STANDARD
    }
}

/// The interviewer of a styled interview, as far as grading goes: the weights of the overall
/// score, and the voice the LLM writes its feedback and follow-up in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Interviewer {
    pub weights: Weights,
    /// How the interviewer speaks and probes, in the style's words.
    pub tone: String,
    /// The follow-up challenges a claim the candidate made rather than probing a gap.
    pub challenge: bool,
}

/// A point of the rubric as it fared in one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    pub id: String,
    pub statement: String,
    /// Share of the point found in the answer, 0–1.
    pub coverage: f32,
    /// The candidate's own sentence that earned it (shortened), for a point covered or partly
    /// covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// What the offline reading found of an answer's substance, beside its grade: whether it is
/// about the question at all, and whether it makes claims or only lists terms. The LLM guard
/// uses it to tell an answer with nothing behind it from one in unexpected words.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Substance {
    /// How close the answer's closest claim comes to the question and its model answer, in
    /// meaning (cosine similarity; 0 with no claim).
    pub relevance: f32,
    /// Share of the answer's words that are in sentences making a claim, 0–1.
    pub claim_share: f32,
    /// Words in the answer (not counting text copied from the question).
    pub words: usize,
}

/// Tokens one LLM call used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TokenUsage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

/// A follow-up an LLM wrote from the candidate's own answer, with a rubric of its own so the
/// answer to it can be scored too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WrittenFollowUp {
    pub prompt: String,
    pub points: Vec<crate::bank::Point>,
}

/// Which scorer graded an answer. Stored and exported by [`ScorerKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScorerKind {
    /// The offline scorer, which needs no network: also the fallback when the LLM fails.
    #[default]
    Offline,
    Llm,
}

impl ScorerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScorerKind::Offline => "offline",
            ScorerKind::Llm => "llm",
        }
    }

    /// The kind a stored name stands for; `None` for a name no scorer has.
    pub fn parse(name: &str) -> Option<ScorerKind> {
        [ScorerKind::Offline, ScorerKind::Llm]
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for ScorerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of scoring one answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Assessment {
    pub scores: Scores,
    pub covered: Vec<PointResult>,
    pub partial: Vec<PointResult>,
    pub missed: Vec<PointResult>,
    /// Statements of the pitfalls the answer fell into.
    pub pitfalls: Vec<String>,
    /// Short sentences of feedback, most useful first.
    pub feedback: Vec<String>,
    /// Which scorer produced this.
    pub scorer: ScorerKind,
    /// The LLM model, when an LLM scored it.
    pub model: Option<String>,
    /// The version of the LLM prompt, when an LLM scored it.
    pub prompt_version: Option<String>,
    /// Tokens the LLM used, when an LLM scored it.
    pub usage: Option<TokenUsage>,
    /// How the score came about, for the candidate: e.g. that the LLM was unavailable and the
    /// offline scorer took over.
    pub notes: Vec<String>,
    /// The guard capped the LLM's score (the answer addressed the grader, or had nothing behind
    /// a high grade); `notes` say why.
    pub flagged: bool,
    /// A follow-up written from this answer, when the scorer writes one.
    pub follow_up: Option<WrittenFollowUp>,
    /// How the answer was spoken, when any of it was a voice message. Not the scorer's: the
    /// adapter adds it after scoring, and no score depends on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaking: Option<crate::speech::Speaking>,
    /// The offline reading of the answer's substance (offline assessments only).
    #[serde(skip)]
    pub substance: Option<Substance>,
}

impl Assessment {
    /// Coverage of a rubric point by id (0 when unknown).
    pub fn coverage_of(&self, point_id: &str) -> f32 {
        self.covered
            .iter()
            .chain(&self.partial)
            .chain(&self.missed)
            .find(|p| p.id == point_id)
            .map_or(0.0, |p| p.coverage)
    }
}

/// Something that grades an answer against a rubric.
pub trait Scorer: Send + Sync {
    fn score(&self, rubric: &Rubric, answer: &str) -> Assessment;
}

/// Rounds to one decimal and keeps a score within 0–10.
pub(crate) fn clamp_score(x: f32) -> f32 {
    if x.is_nan() {
        return 0.0;
    }
    (x.clamp(0.0, 10.0) * 10.0).round() / 10.0
}
