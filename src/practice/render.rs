//! How the terminal shows an interview: questions, feedback and the report, styled with ANSI
//! codes that `anstream` strips when the output is not a terminal.

use anstyle::{AnsiColor, Style};

use crate::bank::Difficulty;
use crate::interview::{Prompt, Report, Turn};
use crate::scoring::{Assessment, PointResult, Scores};

const HEADING: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GOOD: Style = AnsiColor::Green.on_default();
const FAIR: Style = AnsiColor::Yellow.on_default();
const POOR: Style = AnsiColor::Red.on_default();
const ACCENT: Style = AnsiColor::Cyan.on_default().bold();

fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

fn score_style(score: f32) -> Style {
    match score {
        s if s >= 7.0 => GOOD,
        s if s >= 4.0 => FAIR,
        _ => POOR,
    }
}

fn score(s: f32) -> String {
    paint(score_style(s).bold(), format!("{s:.1}"))
}

/// The opening lines; `adaptive_from`: the level follows the answers, from this one.
pub fn welcome(track: Option<&str>, questions: usize, adaptive_from: Option<Difficulty>) -> String {
    let track = track.unwrap_or("all tracks");
    let levels = adaptive_from.map_or(String::new(), |start| {
        format!(
            ", starting at {start} level (harder after a strong answer, easier after a weak one)"
        )
    });
    format!(
        "{}\n{}\n",
        paint(
            ACCENT,
            format!("Mockingbird practice interview: {track}, {questions} question(s){levels}")
        ),
        paint(
            DIM,
            "Answer in as many lines as you like; end with a line holding only \".\".\n\
             Commands on a line of their own: /hint, /skip, /end."
        )
    )
}

pub fn prompt(p: &Prompt) -> String {
    let heading = match p.turn {
        Turn::Main => match p.difficulty {
            Some(level) => format!("Question {} of {} · {} ({level})", p.number, p.of, p.topic),
            None => format!("Question {} of {} · {}", p.number, p.of, p.topic),
        },
        Turn::FollowUp { .. } | Turn::Written => format!("Follow-up · {}", p.topic),
    };
    format!("\n{}\n{}\n", paint(HEADING, heading), p.text)
}

pub fn input_marker() -> String {
    paint(DIM, "(your answer; \".\" to submit)")
}

pub fn hint(text: &str) -> String {
    format!("{} {text}\n", paint(FAIR, "Hint:"))
}

pub fn notice(text: &str) -> String {
    format!("{}\n", paint(DIM, text))
}

fn dimensions(s: &Scores) -> String {
    format!(
        "technical {} · trade-offs {} · communication {}",
        score(s.technical),
        score(s.tradeoffs),
        score(s.communication)
    )
}

pub fn feedback(a: &Assessment, hinted: bool) -> String {
    let mut out = format!(
        "\n{} {}/10   {}   {}\n",
        paint(HEADING, "Score"),
        score(a.scores.overall),
        dimensions(&a.scores),
        paint(DIM, scorer_label(a, hinted)),
    );
    for p in &a.covered {
        out.push_str(&format!("  {} {}\n", paint(GOOD, "✓"), p.statement));
        out.push_str(&evidence(p));
    }
    for p in &a.partial {
        out.push_str(&format!(
            "  {} {} (partly)\n",
            paint(FAIR, "~"),
            p.statement
        ));
        out.push_str(&evidence(p));
    }
    for p in &a.missed {
        out.push_str(&format!("  {} {}\n", paint(POOR, "✗"), p.statement));
    }
    for line in &a.feedback {
        out.push_str(&format!("  {line}\n"));
    }
    if a.flagged {
        let flag = "Score capped and flagged for review: the note below says why.";
        out.push_str(&format!("  {}\n", paint(POOR, flag)));
    }
    for note in &a.notes {
        out.push_str(&format!("  {}\n", paint(DIM, note)));
    }
    out
}

/// The candidate's own sentence that earned a point, on the line below it.
fn evidence(p: &PointResult) -> String {
    match &p.evidence {
        Some(quote) => format!("      {}\n", paint(DIM, format!("you said: “{quote}”"))),
        None => String::new(),
    }
}

fn scorer_label(a: &Assessment, hinted: bool) -> String {
    let scorer = match &a.model {
        Some(model) => format!("scored by {} ({model})", a.scorer),
        None => format!("scored by the {} scorer", a.scorer),
    };
    if hinted {
        format!("[{scorer}; hinted]")
    } else {
        format!("[{scorer}]")
    }
}

pub fn model_answer(text: &str) -> String {
    format!(
        "\n{}\n{}\n",
        paint(DIM.bold(), "A strong answer:"),
        paint(DIM, text)
    )
}

pub fn report(r: &Report) -> String {
    let outcome = match r.outcome {
        crate::interview::Outcome::Completed => "completed",
        crate::interview::Outcome::Ended => "ended early",
        crate::interview::Outcome::Abandoned => "abandoned",
    };
    let mut out = format!(
        "\n{}\n{} {}/10   {}\n\n",
        paint(
            ACCENT,
            format!(
                "Interview report ({outcome}, {} of {} questions)",
                r.reached, r.planned
            )
        ),
        paint(HEADING, "Overall"),
        score(r.profile.overall),
        dimensions(&r.profile),
    );
    for q in &r.results {
        let label = match q.turn {
            Turn::Main => match q.difficulty {
                Some(d) => format!("{} ({d})", q.topic),
                None => q.topic.clone(),
            },
            Turn::FollowUp { .. } | Turn::Written => format!("  ↳ follow-up on {}", q.topic),
        };
        let result = match (&q.scores, q.skipped) {
            (_, true) => paint(DIM, "skipped"),
            (Some(s), _) => score(s.overall),
            (None, _) => paint(DIM, "not scored"),
        };
        let hinted = if q.hinted {
            paint(DIM, " (hinted)")
        } else {
            String::new()
        };
        out.push_str(&format!("  {label:<44} {result}{hinted}\n"));
    }
    section(&mut out, "Strengths", &r.strengths, GOOD);
    section(&mut out, "Gaps", &r.gaps, POOR);
    section(&mut out, "Study next", &r.study_next, FAIR);
    out
}

fn section(out: &mut String, title: &str, items: &[String], style: Style) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("\n{}\n", paint(HEADING, title)));
    for item in items {
        out.push_str(&format!("  {} {item}\n", paint(style, "•")));
    }
}
