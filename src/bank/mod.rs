//! The question bank: the question model, loading `questions/*.toml` (bundled into the binary or
//! from folders on disk) and validating it with errors that name file, line and field.

mod check;
mod embedded;
mod export;
mod parse;
mod reader;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

pub use check::{check_files, check_paths, CheckReport, Problem};
pub use embedded::bundled_files;
pub use export::to_toml;

/// How hard a question is meant to be.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Junior,
    Mid,
    Senior,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Junior, Difficulty::Mid, Difficulty::Senior];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Junior => "junior",
            Difficulty::Mid => "mid",
            Difficulty::Senior => "senior",
        }
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Difficulty {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "junior" => Ok(Difficulty::Junior),
            "mid" => Ok(Difficulty::Mid),
            "senior" => Ok(Difficulty::Senior),
            other => Err(format!(
                "unknown difficulty \"{other}\" (expected junior, mid or senior)"
            )),
        }
    }
}

/// One point of assessment: something a good answer gets across.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct Point {
    pub id: String,
    pub statement: String,
    /// Groups of alternative phrasings; a group is found when any alternative is. Optional:
    /// without them the offline scorer reads the statement and the model answer for meaning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<Vec<String>>,
}

/// A known wrong turn, with wording that signals it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct Pitfall {
    pub statement: String,
    pub phrases: Vec<String>,
}

/// A deeper question attached to a main question.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FollowUp {
    pub prompt: String,
    /// Ids of the parent question's points this follow-up explores.
    pub probes: Vec<String>,
    pub model_answer: Option<String>,
    pub points: Vec<Point>,
}

/// Where a question was defined, for error messages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// A question as the bank holds it. Its JSON (serde) is what the database stores as a question
/// version; `origin` is where it was read from and is not part of it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Question {
    pub id: String,
    pub track: String,
    pub topic: String,
    pub difficulty: Difficulty,
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Questions in other tracks that cover overlapping ground ("see also").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    pub model_answer: String,
    pub points: Vec<Point>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pitfalls: Vec<Pitfall>,
    pub follow_ups: Vec<FollowUp>,
    /// Correct answers in other words than the model answer's: the scorer must pass them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub good_answers: Vec<String>,
    /// Wrong or empty answers in the topic's words: the scorer must rank them below every good
    /// answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bad_answers: Vec<String>,
    /// A design round's hidden requirements sheet: what the interviewer says when the candidate
    /// asks about each topic, and never volunteers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<Requirement>,
    /// The figures a design round's estimate stage checks the candidate's arithmetic against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub estimates: Vec<Estimate>,
    /// The points a design round's wrap-up is scored on, beside the question's `tradeoffs`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wrap_up: Vec<Point>,
    #[serde(skip)]
    pub origin: Origin,
}

/// One entry of a design round's requirements sheet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct Requirement {
    /// What the candidate asks about ("Scale", "Consistency").
    pub topic: String,
    /// Words a question about this entry uses ("how long", "expire"): any of them in one of the
    /// candidate's sentences asks about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asks: Vec<String>,
    /// What the interviewer answers.
    pub answer: String,
}

/// A figure that follows from a requirements sheet's numbers, such as writes per second.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Estimate {
    /// What is estimated ("redirects per second at peak").
    pub quantity: String,
    /// The figure, in the unit's base (bytes, bits per second, or a plain number).
    pub value: f64,
    pub unit: EstimateUnit,
    /// The arithmetic that gets there, shown once the candidate has answered.
    pub how: String,
}

impl std::hash::Hash for Estimate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.quantity.hash(state);
        self.value.to_bits().hash(state);
        self.unit.hash(state);
        self.how.hash(state);
    }
}

/// What an [`Estimate`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimateUnit {
    /// A plain number or a rate: requests per second, messages a day, servers.
    Count,
    /// A size: storage, memory.
    Bytes,
    /// A bandwidth in bits per second.
    Bits,
}

impl std::str::FromStr for EstimateUnit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "count" => Ok(EstimateUnit::Count),
            "bytes" => Ok(EstimateUnit::Bytes),
            "bits" => Ok(EstimateUnit::Bits),
            other => Err(format!(
                "unknown unit \"{other}\" (expected count, bytes or bits)"
            )),
        }
    }
}

impl Question {
    /// Whether the question can run as a staged design round: it has a requirements sheet.
    pub fn has_design_round(&self) -> bool {
        !self.requirements.is_empty()
    }

    pub fn point(&self, id: &str) -> Option<&Point> {
        self.points.iter().find(|p| p.id == id)
    }

    /// Whether the question is of the track and level asked for; `None` asks for any.
    pub fn fits(&self, track: Option<&str>, difficulty: Option<Difficulty>) -> bool {
        track.is_none_or(|t| self.track == t) && difficulty.is_none_or(|d| self.difficulty == d)
    }
}

/// Errors loading a bank. Validation problems are collected, not stopped at.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: no question files (*.toml) found")]
    Empty { path: PathBuf },
    #[error("{} problem(s) in the question files:\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
    #[error("cannot write the questions as TOML: {0}")]
    Export(String),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A validated set of questions, indexed by id, in a stable order (track, then file order).
#[derive(Debug, Clone, Default)]
pub struct Bank {
    questions: Vec<Arc<Question>>,
    by_id: BTreeMap<String, usize>,
}

impl Bank {
    /// The questions compiled into the binary.
    pub fn bundled() -> Result<Bank, BankError> {
        let files = bundled_files();
        let parsed = check::check_sources(&files, &Default::default());
        if !parsed.problems.is_empty() {
            return Err(BankError::Invalid(parsed.problems));
        }
        Ok(Bank::from_questions(parsed.questions))
    }

    /// The bundled questions, extended (and overridden by id) by the files in `dirs`.
    pub fn bundled_with(dirs: &[PathBuf]) -> Result<Bank, BankError> {
        let mut bank = Bank::bundled()?;
        if dirs.is_empty() {
            return Ok(bank);
        }
        let extra = Bank::load(dirs)?;
        for q in extra.questions {
            bank.insert(q);
        }
        Ok(bank)
    }

    /// Only the questions in these files or folders.
    pub fn load(paths: &[PathBuf]) -> Result<Bank, BankError> {
        let files = check::read_paths(paths)?;
        let parsed = check::check_sources(&files, &check::bundled_ids());
        if !parsed.problems.is_empty() {
            return Err(BankError::Invalid(parsed.problems));
        }
        Ok(Bank::from_questions(parsed.questions))
    }

    pub fn from_questions(questions: Vec<Question>) -> Bank {
        let mut bank = Bank::default();
        for q in questions {
            bank.insert(Arc::new(q));
        }
        bank
    }

    /// This bank with a guild's pack over it: a pack question replaces the bank's of its id.
    pub fn with_pack(&self, pack: impl IntoIterator<Item = Arc<Question>>) -> Bank {
        let mut bank = self.clone();
        for q in pack {
            bank.insert(q);
        }
        bank
    }

    fn insert(&mut self, q: Arc<Question>) {
        match self.by_id.get(&q.id) {
            Some(&i) => self.questions[i] = q,
            None => {
                self.by_id.insert(q.id.clone(), self.questions.len());
                self.questions.push(q);
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Question>> {
        self.by_id.get(id).map(|&i| &self.questions[i])
    }

    pub fn questions(&self) -> &[Arc<Question>] {
        &self.questions
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// Track names, sorted.
    pub fn tracks(&self) -> Vec<&str> {
        let mut tracks: Vec<&str> = self.questions.iter().map(|q| q.track.as_str()).collect();
        tracks.sort_unstable();
        tracks.dedup();
        tracks
    }

    pub fn has_track(&self, track: &str) -> bool {
        self.questions.iter().any(|q| q.track == track)
    }
}

/// A file's name and text, wherever it came from (disk or the binary).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl AsRef<Path>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.as_ref().to_path_buf(),
            text: text.into(),
        }
    }
}
