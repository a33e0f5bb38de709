//! Interviewer styles: how an interview is run, beside what it asks. A style sets the
//! interviewer's voice (for the LLM, and message templates for everyone), how hard follow-ups
//! push, the weights of the overall score, which tracks and levels it draws from, an optional
//! time box per answer, and the bar the report compares the candidate's profile with.
//! `styles/*.toml` are compiled in; folders given with `--styles` add to them or override by id.

mod load;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::bank::Difficulty;
use crate::scoring::{Interviewer, Scores, Weights};

pub use load::StyleError;

/// One interviewer style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// What `/interview start style:` and `practice --style` take.
    pub id: String,
    pub name: String,
    /// One line for autocomplete and `/help`.
    pub description: String,
    /// How the interviewer speaks and probes, for the LLM.
    pub tone: String,
    /// A soft time box per answer: shown with each question and recorded, never enforced.
    #[serde(default)]
    pub time_box_secs: Option<u32>,
    pub follow_ups: FollowUpPolicy,
    pub weights: Weights,
    #[serde(default)]
    pub mix: Mix,
    pub bar: Bar,
    pub messages: Messages,
}

/// How hard follow-ups push.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpPolicy {
    /// Follow-ups asked at most after each main question.
    pub max: usize,
    /// A bank follow-up is asked only when the answer missed the points it probes by at least
    /// this much (0: always, however complete the answer).
    pub min_gap: f32,
    /// A follow-up opens by quoting a claim from the candidate's answer and asking them to
    /// defend it.
    #[serde(default)]
    pub challenge: bool,
}

/// Which questions the style draws from when the member does not choose.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mix {
    /// Tracks to mix (empty: every track).
    #[serde(default)]
    pub tracks: Vec<String>,
    /// Levels asked (empty: every level).
    #[serde(default)]
    pub levels: Vec<Difficulty>,
}

/// The profile this interviewer would pass, per dimension (0–10).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bar {
    pub technical: f32,
    pub tradeoffs: f32,
    pub communication: f32,
}

/// What the interviewer says at fixed moments, in the style's voice. Offline these are all the
/// voice there is; with an LLM they frame its feedback and follow-ups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messages {
    pub intro: String,
    /// Opens a follow-up from the bank.
    #[serde(default)]
    pub follow_up: Option<String>,
    /// Opens a challenging follow-up; `{claim}` is the candidate's own sentence.
    #[serde(default)]
    pub challenge: Option<String>,
    /// Opens the feedback, by how the answer scored (≥ 7, ≥ 4, below).
    pub strong: String,
    pub fair: String,
    pub weak: String,
    pub closing: String,
}

/// How the profile compares with the bar on one dimension.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Against {
    pub dimension: &'static str,
    pub score: f32,
    pub bar: f32,
}

impl Against {
    pub fn clears(&self) -> bool {
        self.score >= self.bar
    }
}

impl Style {
    /// The style's part of every rubric its interviews score against.
    pub fn interviewer(&self) -> Interviewer {
        Interviewer {
            weights: self.weights,
            tone: self.tone.clone(),
            challenge: self.follow_ups.challenge,
        }
    }

    /// The feedback's first words, by the answer's overall score.
    pub fn remark(&self, overall: f32) -> &str {
        if overall >= 7.0 {
            &self.messages.strong
        } else if overall >= 4.0 {
            &self.messages.fair
        } else {
            &self.messages.weak
        }
    }

    /// The words before a follow-up: a challenge of `claim` when the style challenges and the
    /// answer made one, else the plain lead-in.
    pub fn follow_up_lead(&self, claim: Option<&str>) -> Option<String> {
        let challenge = self.follow_ups.challenge.then_some(()).and(claim);
        match (challenge, &self.messages.challenge) {
            (Some(claim), Some(template)) => Some(template.replace("{claim}", claim)),
            _ => self.messages.follow_up.clone(),
        }
    }

    /// The profile against the bar, dimension by dimension.
    pub fn against_bar(&self, profile: &Scores) -> [Against; 3] {
        let b = &self.bar;
        [
            ("technical", profile.technical, b.technical),
            ("trade-offs", profile.tradeoffs, b.tradeoffs),
            ("communication", profile.communication, b.communication),
        ]
        .map(|(dimension, score, bar)| Against {
            dimension,
            score,
            bar,
        })
    }

    /// Whether the style asks from this level (every level when it names none).
    pub fn asks_level(&self, level: Difficulty) -> bool {
        self.mix.levels.is_empty() || self.mix.levels.contains(&level)
    }

    /// Where an adaptive interview in this style starts: `level`, or the nearest level the
    /// style asks from (the lower of two as near).
    pub fn start_level(&self, level: Difficulty) -> Difficulty {
        let distance = |l: &Difficulty| (*l as i32 - level as i32).abs();
        match self.asks_level(level) {
            true => level,
            false => self
                .mix
                .levels
                .iter()
                .copied()
                .min_by_key(|l| (distance(l), *l))
                .unwrap_or(level),
        }
    }
}

/// Every style the process knows, by id.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    by_id: BTreeMap<String, Arc<Style>>,
}

impl Styles {
    /// The bundled styles, extended (and overridden by id) by the files in `dirs`.
    pub fn bundled_with(dirs: &[PathBuf]) -> Result<Styles, StyleError> {
        let mut files = load::bundled_files();
        for dir in dirs {
            files.extend(load::read_dir(dir)?);
        }
        let mut styles = Styles::default();
        for style in load::parse_all(&files)? {
            styles.by_id.insert(style.id.clone(), Arc::new(style));
        }
        Ok(styles)
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Style>> {
        self.by_id.get(id)
    }

    /// Every style, by id.
    pub fn all(&self) -> impl Iterator<Item = &Arc<Style>> {
        self.by_id.values()
    }

    /// The style named `id`, or an error listing the known ones.
    pub fn find(&self, id: &str) -> Result<&Arc<Style>, StyleError> {
        let wanted = id.trim().to_lowercase();
        self.get(&wanted).ok_or_else(|| StyleError::Unknown {
            id: id.to_string(),
            known: self.by_id.keys().cloned().collect(),
        })
    }

    /// Tracks the styles mix that the bank does not have, as `style: track`.
    pub fn unknown_tracks(&self, has_track: impl Fn(&str) -> bool) -> Vec<String> {
        self.all()
            .flat_map(|s| {
                s.mix
                    .tracks
                    .iter()
                    .filter(|t| !has_track(t))
                    .map(move |t| format!("{}: {t}", s.id))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
