//! What `/questions list` and `/questions show` look like: the questions by track, one track's
//! questions, and one question with its rubric, each marked where it is the server's own and
//! where the server disabled it.

use std::collections::{BTreeMap, HashSet};

use serenity::all::CreateEmbed;

use super::limits::{bullets, EmbedText, DESCRIPTION, FIELD_VALUE};
use crate::bank::Question;

/// What marks a question in a listing: the server's own ids, and the ids it disabled.
pub struct Listing<'a> {
    pub hidden: &'a HashSet<String>,
    pub own: &'a HashSet<String>,
}

/// Every track with its number of questions, how many are the server's own and how many it
/// disabled.
pub fn tracks(questions: &[&Question], listing: &Listing<'_>) -> CreateEmbed {
    let mut counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for q in questions {
        let c = counts.entry(q.track.as_str()).or_default();
        c[0] += 1;
        c[1] += usize::from(listing.own.contains(&q.id));
        c[2] += usize::from(listing.hidden.contains(&q.id));
    }
    let lines: Vec<String> = counts
        .iter()
        .map(|(track, [all, own, off])| {
            let mut line = format!("`{track}`: {all} questions");
            if *own > 0 {
                line.push_str(&format!(", {own} this server's own"));
            }
            if *off > 0 {
                line.push_str(&format!(", {off} disabled here"));
            }
            line
        })
        .collect();
    EmbedText::new(format!("Question bank: {} questions", questions.len()))
        .description(bullets(&lines, DESCRIPTION))
        .footer("/questions list track:<name> lists a track; /questions show id:<id> shows one.")
        .build()
}

/// One track's questions, by level, with the server's own and the disabled ones marked.
pub fn track(track: &str, questions: &[&Question], listing: &Listing<'_>) -> CreateEmbed {
    let lines: Vec<String> = questions
        .iter()
        .map(|q| {
            let own = if listing.own.contains(&q.id) {
                " · this server's own"
            } else {
                ""
            };
            let off = if listing.hidden.contains(&q.id) {
                " — **disabled here**"
            } else {
                ""
            };
            format!("`{}` · {} · {}{own}{off}", q.id, q.difficulty, q.topic)
        })
        .collect();
    EmbedText::new(format!("Track {track}: {} questions", questions.len()))
        .description(bullets(&lines, DESCRIPTION))
        .footer("/questions disable id:<id> takes one out of this server's interviews and QOTD.")
        .build()
}

/// One question as an organiser reviews it: the prompt, what a strong answer covers, the
/// model answer, and whether this server asks it.
pub fn question(q: &Question, listing: &Listing<'_>) -> CreateEmbed {
    let disabled = listing.hidden.contains(&q.id);
    let points: Vec<&str> = q.points.iter().map(|p| p.statement.as_str()).collect();
    let pitfalls: Vec<&str> = q.pitfalls.iter().map(|p| p.statement.as_str()).collect();
    let status = match (disabled, listing.own.contains(&q.id)) {
        (true, _) => "Disabled on this server: interviews and the question of the day skip it.",
        (false, true) => "This server's own question, asked here.",
        (false, false) => "Asked on this server.",
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
