//! What `/questions list` and `/questions show` look like: the bank by track, one track's
//! questions, and one question with its rubric, each marked where this server disabled it.

use std::collections::{BTreeMap, HashSet};

use serenity::all::CreateEmbed;

use super::limits::{bullets, EmbedText, DESCRIPTION, FIELD_VALUE};
use crate::bank::{Bank, Question};

/// Every track with its number of questions and how many this server disabled.
pub fn tracks(bank: &Bank, hidden: &HashSet<String>) -> CreateEmbed {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for q in bank.questions() {
        let c = counts.entry(q.track.as_str()).or_default();
        c.0 += 1;
        c.1 += usize::from(hidden.contains(&q.id));
    }
    let lines: Vec<String> = counts
        .iter()
        .map(|(track, (all, off))| match off {
            0 => format!("`{track}`: {all} questions"),
            _ => format!("`{track}`: {all} questions, {off} disabled here"),
        })
        .collect();
    EmbedText::new(format!(
        "Question bank: {} questions",
        bank.questions().len()
    ))
    .description(bullets(&lines, DESCRIPTION))
    .footer("/questions list track:<name> lists a track; /questions show id:<id> shows one.")
    .build()
}

/// One track's questions, by level, with the ones this server disabled marked.
pub fn track(track: &str, questions: &[&Question], hidden: &HashSet<String>) -> CreateEmbed {
    let lines: Vec<String> = questions
        .iter()
        .map(|q| {
            let off = if hidden.contains(&q.id) {
                " — **disabled here**"
            } else {
                ""
            };
            format!("`{}` · {} · {}{off}", q.id, q.difficulty, q.topic)
        })
        .collect();
    EmbedText::new(format!("Track {track}: {} questions", questions.len()))
        .description(bullets(&lines, DESCRIPTION))
        .footer("/questions disable id:<id> takes one out of this server's interviews and QOTD.")
        .build()
}

/// One question as an organiser reviews it: the prompt, what a strong answer covers, the
/// model answer, and whether this server asks it.
pub fn question(q: &Question, disabled: bool) -> CreateEmbed {
    let points: Vec<&str> = q.points.iter().map(|p| p.statement.as_str()).collect();
    let pitfalls: Vec<&str> = q.pitfalls.iter().map(|p| p.statement.as_str()).collect();
    let status = if disabled {
        "Disabled on this server: interviews and the question of the day skip it."
    } else {
        "Asked on this server."
    };
    let mut embed = EmbedText::new(q.id.clone())
        .description(q.prompt.trim().to_owned())
        .field("Track", q.track.clone(), true)
        .field("Level", q.difficulty.to_string(), true)
        .field("Topic", q.topic.clone(), true)
        .field(
            "A strong answer covers",
            bullets(&points, FIELD_VALUE),
            false,
        );
    if !pitfalls.is_empty() {
        embed = embed.field("Pitfalls", bullets(&pitfalls, FIELD_VALUE), false);
    }
    embed
        .field("Model answer", q.model_answer.trim().to_owned(), false)
        .footer(status)
        .build()
}
