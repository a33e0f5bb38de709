//! How the terminal shows an interview: questions, feedback and the report, styled with ANSI
//! codes that `anstream` strips when the output is not a terminal.

use anstyle::{AnsiColor, Style};

use crate::bank::Difficulty;
use crate::interview::design::{self, DesignRound, Stage, StageReport};
use crate::interview::{took, Prompt, Report, StyleVerdict, Turn};
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
pub fn welcome(
    track: Option<&str>,
    questions: usize,
    adaptive_from: Option<Difficulty>,
    style: Option<&crate::style::Style>,
) -> String {
    let track = track.unwrap_or("all tracks");
    let interviewer = interviewer(style);
    let levels = adaptive_from.map_or(String::new(), |start| {
        format!(
            ", starting at {start} level (harder after a strong answer, easier after a weak one)"
        )
    });
    format!(
        "{}\n{interviewer}{}\n",
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

/// The styled interviewer's name and opening words.
fn interviewer(style: Option<&crate::style::Style>) -> String {
    style.map_or(String::new(), |s| {
        format!(
            "{}\n{}\n",
            paint(HEADING, format!("Interviewer: {}", s.name)),
            s.messages.intro
        )
    })
}

/// The opening lines of a design round: the stages and their time boxes.
pub fn design_welcome(round: &DesignRound, style: Option<&crate::style::Style>) -> String {
    let interviewer = interviewer(style);
    let stages: Vec<String> = Stage::ALL
        .iter()
        .map(|&s| {
            let limit = std::time::Duration::from_secs(round.time_box(s).into());
            format!("{} ({})", s.name(), crate::interview::spoken(limit))
        })
        .collect();
    format!(
        "{}\n{interviewer}{}\n{}\n",
        paint(ACCENT, "Mockingbird system-design round"),
        paint(DIM, format!("Stages: {}.", stages.join(" → "))),
        paint(
            DIM,
            "Time boxes are a guide, not a limit. Answer in as many lines as you like; end with \
             a line holding only \".\".\nCommands on a line of their own: /hint, /skip (the \
             stage), /end."
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
        Turn::Stage { stage } => format!(
            "Stage {} of {} · {} · {}",
            stage.number(),
            Stage::ALL.len(),
            stage.name(),
            p.topic
        ),
    };
    let lead = p
        .lead
        .as_ref()
        .map_or(String::new(), |l| format!("{}\n", paint(ACCENT, l)));
    let time_box = p.time_box_secs.map_or(String::new(), |secs| {
        let limit = crate::interview::spoken(std::time::Duration::from_secs(secs.into()));
        format!("{}\n", paint(DIM, format!("(time box: {limit})")))
    });
    format!(
        "\n{}\n{lead}{}\n{time_box}",
        paint(HEADING, heading),
        p.text
    )
}

/// The styled interviewer's first words about an answer.
pub fn remark(text: &str) -> String {
    format!("\n{}\n", paint(ACCENT, text))
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
        crate::interview::Ending::Completed => "completed",
        crate::interview::Ending::Ended => "ended early",
        crate::interview::Ending::Abandoned => "abandoned",
    };
    let mut out = format!(
        "\n{}\n{} {}/10   {}\n\n",
        paint(
            ACCENT,
            if r.stages.is_empty() {
                format!(
                    "Interview report ({outcome}, {} of {} questions)",
                    r.reached, r.planned
                )
            } else {
                format!("Design round report ({outcome})")
            }
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
            Turn::FollowUp { .. } if !r.stages.is_empty() => "  Deep dive".to_string(),
            Turn::FollowUp { .. } | Turn::Written => format!("  ↳ follow-up on {}", q.topic),
            Turn::Stage { stage } => format!("  {}", stage.name()),
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
        let time_box = r.style.as_ref().and_then(|s| s.time_box_secs).or_else(|| {
            let stage = design::stage_of(q.turn)?;
            r.stages
                .iter()
                .find(|s| s.stage == stage)
                .map(|s| s.time_box_secs)
        });
        let timing = match (time_box, q.seconds) {
            (Some(_), Some(secs)) => paint(DIM, format!(" · {}", took(secs, time_box))),
            _ => String::new(),
        };
        out.push_str(&format!("  {label:<44} {result}{hinted}{timing}\n"));
    }
    if let Some(verdict) = &r.style {
        out.push_str(&against_bar(verdict));
    }
    if !r.stages.is_empty() {
        out.push_str(&stages(&r.stages));
    }
    section(&mut out, "Strengths", &r.strengths, GOOD);
    section(&mut out, "Gaps", &r.gaps, POOR);
    section(&mut out, "Study next", &r.study_next, FAIR);
    out
}

/// A design round's stages side by side, each with what a strong candidate also covered.
fn stages(stages: &[StageReport]) -> String {
    let mut out = format!("\n{}\n", paint(HEADING, "Stages"));
    for s in stages {
        let result = match (s.score, s.skipped) {
            (Some(x), _) => score(x),
            (None, true) => paint(DIM, "skipped"),
            (None, false) => paint(DIM, "not reached"),
        };
        out.push_str(&format!(
            "  {} {:<18} {result}  {}\n",
            s.stage.number(),
            s.stage.name(),
            paint(DIM, format!("{} covered", s.covered.len()))
        ));
        let label = match s.stage {
            design::Stage::Clarify => "Not asked",
            _ => "A strong answer also had",
        };
        for item in s.strong.iter().take(4) {
            out.push_str(&format!("      {} {label}: {item}\n", paint(FAIR, "•")));
        }
    }
    out
}

/// The profile against the style's bar, and its closing words.
fn against_bar(v: &StyleVerdict) -> String {
    let mut out = format!(
        "\n{}\n",
        paint(HEADING, format!("Against the {} bar", v.name))
    );
    for line in &v.bar {
        let (mark, style) = if line.clears() {
            ("✓", GOOD)
        } else {
            ("✗", POOR)
        };
        out.push_str(&format!(
            "  {} {:<14} {} / {:.1}\n",
            paint(style, mark),
            line.dimension,
            score(line.score),
            line.bar
        ));
    }
    out.push_str(&format!("  {}\n", v.closing));
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
