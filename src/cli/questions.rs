//! `mockingbird questions check` and `questions list`: the bank as a question author sees it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};

use mockingbird::bank::{self, Bank};
use mockingbird::scoring::lint;

use super::out;

pub fn check(paths: &[PathBuf]) -> Result<ExitCode> {
    let report = bank::check_paths(paths)?;
    let mut problems = report.problems;
    problems.extend(lint::lint_all(&report.questions));
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    for p in &problems {
        out(format_args!("{p}"))?;
    }
    let tracks: std::collections::BTreeSet<&str> =
        report.questions.iter().map(|q| q.track.as_str()).collect();
    if problems.is_empty() {
        eprintln!(
            "ok: {} questions in {} file(s), {} track(s)",
            report.questions.len(),
            report.files,
            tracks.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} problem(s) in {} file(s)", problems.len(), report.files);
        Ok(ExitCode::FAILURE)
    }
}

pub fn list(bank: &Bank, track: Option<&str>, json: bool) -> Result<ExitCode> {
    if let Some(t) = track {
        if !bank.has_track(t) {
            bail!(
                "unknown track \"{t}\"; tracks: {}",
                bank.tracks().join(", ")
            );
        }
    }
    let questions: Vec<_> = bank
        .questions()
        .iter()
        .filter(|q| q.fits(track, None))
        .collect();
    if json {
        let rows: Vec<serde_json::Value> = questions
            .iter()
            .map(|q| {
                serde_json::json!({
                    "id": q.id, "track": q.track, "topic": q.topic, "difficulty": q.difficulty,
                    "points": q.points.len(), "follow_ups": q.follow_ups.len(),
                    "pitfalls": q.pitfalls.len(), "tags": q.tags, "prompt": q.prompt,
                })
            })
            .collect();
        out(format_args!("{}", serde_json::to_string_pretty(&rows)?))?;
        return Ok(ExitCode::SUCCESS);
    }
    let id_width = questions.iter().map(|q| q.id.len()).max().unwrap_or(2);
    let track_width = questions.iter().map(|q| q.track.len()).max().unwrap_or(5);
    out(format_args!(
        "{:<id_width$} {:<track_width$} {:<28} {:<7} {:>6} {:>10}",
        "ID", "TRACK", "TOPIC", "LEVEL", "POINTS", "FOLLOW-UPS"
    ))?;
    for q in &questions {
        out(format_args!(
            "{:<id_width$} {:<track_width$} {:<28} {:<7} {:>6} {:>10}",
            q.id,
            q.track,
            mockingbird::text::cut(&q.topic, 28),
            q.difficulty,
            q.points.len(),
            q.follow_ups.len()
        ))?;
    }
    eprintln!("{} question(s)", questions.len());
    Ok(ExitCode::SUCCESS)
}
