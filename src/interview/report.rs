//! The end-of-interview report: a score per question, the profile over the three dimensions,
//! strengths, gaps, and what to study next.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Ending, Record, Turn};
use crate::bank::Difficulty;
use crate::scoring::{ScorerKind, Scores};
use crate::speech::Speaking;
use crate::style::Style;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question_id: String,
    pub topic: String,
    /// The question's level (absent in reports saved before levels were shown).
    #[serde(default)]
    pub difficulty: Option<Difficulty>,
    pub turn: Turn,
    pub prompt: String,
    pub scores: Option<Scores>,
    pub scorer: Option<ScorerKind>,
    pub hinted: bool,
    pub skipped: bool,
    /// Seconds from the question to the answer, where the adapter measured them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u32>,
}

/// A styled interview's verdict: the profile against the style's bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleVerdict {
    pub name: String,
    pub bar: Vec<BarLine>,
    pub closing: String,
    pub time_box_secs: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarLine {
    pub dimension: String,
    pub score: f32,
    pub bar: f32,
}

impl BarLine {
    pub fn clears(&self) -> bool {
        self.score >= self.bar
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub outcome: Ending,
    /// Main questions planned, and how many were put to the candidate.
    pub planned: usize,
    pub reached: usize,
    pub results: Vec<QuestionResult>,
    /// Average per dimension over the answers given (skips count as zero overall).
    pub profile: Scores,
    pub strengths: Vec<String>,
    pub gaps: Vec<String>,
    pub study_next: Vec<String>,
    /// The style the interview ran in, and how the profile compares with its bar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<StyleVerdict>,
    /// A drill's questions, each with when it is next due for review.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next_reviews: Vec<NextReview>,
    /// A design round's stages, side by side.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<super::design::StageReport>,
    /// How the answers given by voice were spoken, over all of them; `None` when every answer
    /// was typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spoken: Option<SpokenAnswers>,
}

/// The answers given by voice, and how they were spoken together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpokenAnswers {
    pub answers: usize,
    pub speaking: Speaking,
}

impl SpokenAnswers {
    fn of(records: &[Record]) -> Option<SpokenAnswers> {
        let each: Vec<Speaking> = records
            .iter()
            .filter_map(|r| r.assessment.as_ref()?.speaking.clone())
            .collect();
        let answers = each.len();
        Speaking::combine(each).map(|speaking| SpokenAnswers { answers, speaking })
    }
}

/// When a drilled question comes back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextReview {
    pub question_id: String,
    pub topic: String,
    pub due: chrono::NaiveDate,
    pub interval_days: u32,
}

impl Report {
    pub fn new(outcome: Ending, planned: usize, reached: usize, records: &[Record]) -> Report {
        let results: Vec<QuestionResult> = records.iter().map(result).collect();
        Report {
            outcome,
            planned,
            reached,
            profile: profile(records),
            strengths: strengths(records),
            gaps: gaps(records),
            study_next: study_next(records),
            results,
            style: None,
            next_reviews: Vec::new(),
            stages: Vec::new(),
            spoken: SpokenAnswers::of(records),
        }
    }

    /// How this report's profile compares with `style`'s bar. Unlike the profile's dimensions,
    /// a skipped question counts as zero on each: skipping cannot clear a bar.
    pub fn verdict(&self, style: &Style) -> StyleVerdict {
        let counted = self
            .results
            .iter()
            .filter(|r| r.skipped || r.scores.is_some())
            .count()
            .max(1) as f32;
        let sum = |f: fn(&Scores) -> f32| {
            let total: f32 = self
                .results
                .iter()
                .filter_map(|r| r.scores.as_ref())
                .map(f)
                .sum();
            round(total / counted)
        };
        let held = Scores {
            technical: sum(|s| s.technical),
            tradeoffs: sum(|s| s.tradeoffs),
            communication: sum(|s| s.communication),
            overall: self.profile.overall,
        };
        let bar = style
            .against_bar(&held)
            .iter()
            .map(|a| BarLine {
                dimension: a.dimension.to_string(),
                score: a.score,
                bar: a.bar,
            })
            .collect();
        StyleVerdict {
            name: style.name.clone(),
            bar,
            closing: style.messages.closing.clone(),
            time_box_secs: style.time_box_secs,
        }
    }

    /// Answers that took longer than the style's time box.
    pub fn over_time(&self) -> usize {
        let Some(limit) = self.style.as_ref().and_then(|s| s.time_box_secs) else {
            return 0;
        };
        self.results
            .iter()
            .filter(|r| r.seconds.is_some_and(|s| s > limit))
            .count()
    }
}

fn result(r: &Record) -> QuestionResult {
    QuestionResult {
        question_id: r.question.id.clone(),
        topic: r.question.topic.clone(),
        difficulty: Some(r.question.difficulty),
        turn: r.turn,
        prompt: r.prompt.clone(),
        scores: r.assessment.as_ref().map(|a| a.scores),
        scorer: r.assessment.as_ref().map(|a| a.scorer),
        hinted: r.hinted,
        skipped: r.skipped,
        seconds: None,
    }
}

fn round(x: f32) -> f32 {
    (x * 10.0).round() / 10.0
}

fn profile(records: &[Record]) -> Scores {
    let scored: Vec<&Scores> = records
        .iter()
        .filter_map(|r| r.assessment.as_ref().map(|a| &a.scores))
        .collect();
    let counted = records
        .iter()
        .filter(|r| r.skipped || r.assessment.is_some())
        .count();
    if counted == 0 {
        return Scores::default();
    }
    let avg = |f: fn(&Scores) -> f32| {
        if scored.is_empty() {
            0.0
        } else {
            round(scored.iter().map(|s| f(s)).sum::<f32>() / scored.len() as f32)
        }
    };
    Scores {
        technical: avg(|s| s.technical),
        tradeoffs: avg(|s| s.tradeoffs),
        communication: avg(|s| s.communication),
        overall: round(scored.iter().map(|s| s.overall).sum::<f32>() / counted as f32),
    }
}

fn strengths(records: &[Record]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut strong: Vec<&Record> = records
        .iter()
        .filter(|r| {
            r.assessment
                .as_ref()
                .is_some_and(|a| a.scores.overall >= 7.0)
        })
        .collect();
    strong.sort_by(|a, b| overall(b).total_cmp(&overall(a)));
    for r in strong {
        for p in r.assessment.iter().flat_map(|a| &a.covered) {
            if out.len() < 4 && !out.contains(&p.statement) {
                out.push(p.statement.clone());
            }
        }
    }
    out
}

fn overall(r: &Record) -> f32 {
    r.assessment.as_ref().map_or(0.0, |a| a.scores.overall)
}

fn gaps(records: &[Record]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in records {
        let Some(a) = &r.assessment else { continue };
        for statement in a.missed.iter().map(|p| &p.statement).chain(&a.pitfalls) {
            if out.len() < 6 && !out.contains(statement) {
                out.push(statement.clone());
            }
        }
    }
    out
}

/// Topics ordered by their average score, weakest first, for those under 7.
fn study_next(records: &[Record]) -> Vec<String> {
    let mut by_topic: BTreeMap<&str, (f32, u32, Option<&str>)> = BTreeMap::new();
    for r in records {
        let entry = by_topic
            .entry(r.question.topic.as_str())
            .or_insert((0.0, 0, None));
        entry.0 += overall(r);
        entry.1 += 1;
        if entry.2.is_none() {
            entry.2 = r
                .assessment
                .as_ref()
                .and_then(|a| a.missed.first().or(a.partial.first()))
                .map(|p| p.statement.as_str());
        }
    }
    let mut weak: Vec<(&str, f32, Option<&str>)> = by_topic
        .into_iter()
        .map(|(t, (sum, n, missed))| (t, sum / n as f32, missed))
        .filter(|(_, avg, _)| *avg < 7.0)
        .collect();
    weak.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    weak.into_iter()
        .take(4)
        .map(|(topic, _, missed)| match missed {
            Some(m) => format!("{topic}: {m}"),
            None => topic.to_string(),
        })
        .collect()
}
