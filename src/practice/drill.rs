//! `practice --drill` in the terminal: the member's reviews live in a small JSON file rather
//! than the database, and the questions due today are asked from it (or, with none due, ones
//! never drilled). Saving writes a temporary file and renames it over the old one, so an
//! interrupted save never leaves a half-written schedule.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::drill::{Card, Review};
use crate::interview::{Report, Turn};

/// The drill state file: every scored review of each question, by question id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DrillState {
    pub version: u32,
    pub reviews: BTreeMap<String, Vec<Review>>,
}

#[derive(Debug, thiserror::Error)]
pub enum DrillStateError {
    #[error("cannot read the drill state {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("the drill state {} is not valid: {source}", path.display())]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot save the drill state to {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// Where the drill state lives unless `--drill-state` says otherwise.
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("mockingbird").join("drill.json"))
}

impl DrillState {
    /// The state in `path`, or an empty one when the file does not exist yet.
    pub fn load(path: &Path) -> Result<DrillState, DrillStateError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(DrillState {
                    version: 1,
                    ..DrillState::default()
                })
            }
            Err(source) => {
                return Err(DrillStateError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        serde_json::from_str(&text).map_err(|source| DrillStateError::Parse {
            path: path.to_path_buf(),
            source,
        })
    }

    pub fn save(&self, path: &Path) -> Result<(), DrillStateError> {
        let write_err = |source| DrillStateError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(write_err)?;
        }
        let json = serde_json::to_string_pretty(self).map_err(|e| write_err(e.into()))?;
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, json).map_err(write_err)?;
        std::fs::rename(&temporary, path).map_err(write_err)
    }

    /// Each drilled question's card, by id.
    pub fn cards(&self) -> impl Iterator<Item = (&str, Card)> {
        self.reviews
            .iter()
            .filter_map(|(id, reviews)| Card::from_reviews(reviews).map(|c| (id.as_str(), c)))
    }

    /// Records the report's scored main answers as reviews on `today`; returns the ids
    /// reviewed, in the report's order. A skipped question is no review, as in Discord (where
    /// nothing is stored of it): it stays due.
    pub fn record(&mut self, report: &Report, today: NaiveDate) -> Vec<String> {
        let mut reviewed = Vec::new();
        for r in report.results.iter().filter(|r| r.turn == Turn::Main) {
            let Some(scores) = r.scores else { continue };
            let review = Review {
                day: today,
                score: scores.overall,
            };
            self.reviews
                .entry(r.question_id.clone())
                .or_default()
                .push(review);
            reviewed.push(r.question_id.clone());
        }
        reviewed
    }
}

/// What a drill asks today.
#[derive(Debug, Clone)]
pub struct DrillPlan {
    pub questions: Vec<std::sync::Arc<crate::bank::Question>>,
    /// How many of them are due (the rest were never drilled).
    pub due: usize,
}

/// Today's drill: the questions due (most overdue first), or, with none due, questions never
/// drilled, as `plan` would choose them; at most `limit`, from `track` when given.
pub fn plan(
    bank: &crate::bank::Bank,
    state: &DrillState,
    today: NaiveDate,
    limit: usize,
    track: Option<&str>,
    fresh: impl FnOnce(
        &crate::interview::CandidateHistory,
    ) -> Vec<std::sync::Arc<crate::bank::Question>>,
) -> DrillPlan {
    let due: Vec<_> = crate::drill::due(state.cards(), today, usize::MAX)
        .into_iter()
        .filter_map(|(id, _)| bank.get(id).cloned())
        .filter(|q| track.is_none_or(|t| q.track == t))
        .take(limit)
        .collect();
    if !due.is_empty() {
        return DrillPlan {
            due: due.len(),
            questions: due,
        };
    }
    let history = crate::interview::CandidateHistory {
        seen_questions: state
            .reviews
            .iter()
            .map(|(id, r)| (id.clone(), u32::try_from(r.len()).unwrap_or(u32::MAX)))
            .collect(),
        ..Default::default()
    };
    let questions = fresh(&history)
        .into_iter()
        .filter(|q| !state.reviews.contains_key(&q.id))
        .take(limit)
        .collect();
    DrillPlan { questions, due: 0 }
}

/// When each question drilled today comes back, a line each.
pub fn next_reviews(state: &DrillState, reviewed: &[String], bank: &crate::bank::Bank) -> String {
    let mut out = String::from("\nNext reviews\n");
    for id in reviewed {
        let Some(card) = state.reviews.get(id).and_then(|r| Card::from_reviews(r)) else {
            continue;
        };
        let topic = bank.get(id).map_or(id.as_str(), |q| q.topic.as_str());
        let days = card.interval_days;
        let plural = if days == 1 { "" } else { "s" };
        out.push_str(&format!(
            "  {topic}: in {days} day{plural} ({})\n",
            card.due
        ));
    }
    out
}
