//! The parts of an interview report that only some interviews have: a styled interview's
//! verdict against its style's bar, a drill's next reviews, a design round's stages, and how
//! the answers given by voice were spoken.

use std::time::Duration;

use super::limits::{bullets, FIELD_VALUE};
use super::score;
use crate::interview::design::{Stage, StageReport};
use crate::interview::{
    spoken as duration, Ending, NextReview, Report, SpokenAnswers, StyleVerdict,
};

/// Each dimension of the profile against the style's bar, how many answers ran over its time
/// box, and the interviewer's closing words.
pub fn against_bar(verdict: &StyleVerdict, over_time: usize) -> String {
    let mut lines: Vec<String> = verdict
        .bar
        .iter()
        .map(|line| {
            let mark = if line.clears() { "✅" } else { "❌" };
            format!(
                "{mark} {}: {} (bar {:.1})",
                line.dimension,
                score(line.score),
                line.bar
            )
        })
        .collect();
    if let Some(limit) = verdict.time_box_secs {
        let limit = duration(Duration::from_secs(limit.into()));
        lines.push(match over_time {
            0 => format!("⏱ every answer within the {limit} time box"),
            n => format!("⏱ {n} answer(s) over the {limit} time box"),
        });
    }
    lines.push(verdict.closing.clone());
    lines.join("\n")
}

/// When each drilled question comes back, a line each.
pub fn next_reviews(next: &[NextReview]) -> Vec<String> {
    next.iter()
        .map(|n| {
            let plural = if n.interval_days == 1 { "" } else { "s" };
            format!(
                "{}: in {} day{plural} ({})",
                n.topic,
                n.interval_days,
                n.due.format("%b %-d")
            )
        })
        .collect()
}

/// How a design round ended: how many of its stages the candidate reached.
pub fn design_outcome(report: &Report) -> String {
    let reached = report
        .stages
        .iter()
        .filter(|s| s.answered > 0 || s.skipped)
        .count();
    let of = Stage::ALL.len();
    match report.outcome {
        Ending::Completed => format!("**Completed**: all {of} stages of the design round."),
        Ending::Ended => format!("**Ended early**: {reached} of {of} stages reached."),
        Ending::Abandoned => {
            format!("**Abandoned** after a long silence: {reached} of {of} stages reached.")
        }
    }
}

/// A design round's stages side by side: a field each, named with its score, holding what a
/// strong candidate also covered there.
pub fn stages(stages: &[StageReport]) -> Vec<(String, String)> {
    stages
        .iter()
        .map(|s| {
            let result = match (s.score, s.skipped) {
                (Some(x), _) => format!("{}/10", score(x)),
                (None, true) => "skipped".to_owned(),
                (None, false) => "not reached".to_owned(),
            };
            let name = format!("{}. {}: {result}", s.stage.number(), s.stage.name());
            let covered = match s.stage {
                Stage::Clarify => {
                    format!("Asked about {} of the brief's entries.", s.covered.len())
                }
                _ => format!("{} point(s) covered.", s.covered.len()),
            };
            let value = if s.strong.is_empty() {
                covered
            } else {
                let also = match s.stage {
                    Stage::Clarify => "Not asked (what the brief said):",
                    _ => "A strong answer also had:",
                };
                let room = FIELD_VALUE.saturating_sub(covered.len() + also.len() + 2);
                format!("{covered}\n{also}\n{}", bullets(&s.strong, room))
            };
            (name, value)
        })
        .collect()
}

/// "2 of 3 answers given by voice. Pace: 140 words a minute · fillers: um ×3": how the
/// spoken answers went, over all of them; `answered` counts every answer given.
pub fn spoken(spoken: &SpokenAnswers, answered: usize) -> String {
    let of = match (spoken.answers, answered.max(spoken.answers)) {
        (1, 1) => "Your answer was given by voice.".to_owned(),
        (n, m) if n == m => format!("All {n} answers were given by voice."),
        (n, m) => format!("{n} of {m} answers were given by voice."),
    };
    format!("{of}\n{}", spoken.speaking.summary())
}
