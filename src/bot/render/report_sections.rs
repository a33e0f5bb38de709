//! The parts of an interview report that only some interviews have: a styled interview's
//! verdict against its style's bar, and a drill's next reviews.

use std::time::Duration;

use super::score;
use crate::interview::{spoken as duration, NextReview, StyleVerdict};

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
