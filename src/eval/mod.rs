//! Evaluation: how well a scorer agrees with human graders. `read_rows` loads a CSV of
//! questions, reference answers, candidate answers and human scores; `run` scores every answer
//! (against the bank's rubric when the question is a bank question, otherwise against the
//! reference answer alone) and `metrics` compares the scorer's grades with the human ones:
//! Pearson and Spearman correlation, RMSE, quadratic weighted kappa and a calibration table.
//! `render_text` formats the result for the terminal; the report types serialise to JSON.

mod data;
mod kinds;
mod metrics;

use std::collections::HashMap;

use serde::Serialize;

use crate::bank::{Bank, Question};
use crate::scoring::{Rubric, Scorer};

pub use data::{read_rows, EvalError, EvalRow};
pub use kinds::{orderings, summaries, KindOrdering, KindSummary, ScoredRow};
pub use metrics::{metrics, Agreement, CalibrationRow};

/// An evaluation run: what was scored, by what, and how it went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    pub data: String,
    pub scorer: String,
    pub scale: u32,
    pub metrics: Agreement,
    /// By kind of answer, when the data has a `kind` column.
    pub kinds: Vec<KindSummary>,
    pub orderings: Vec<KindOrdering>,
}

impl EvalReport {
    pub fn new(data: String, scorer: String, scale: u32, rows: &[ScoredRow]) -> EvalReport {
        let pairs: Vec<(f64, f64)> = rows.iter().map(|r| (r.predicted, r.human)).collect();
        EvalReport {
            data,
            scorer,
            scale,
            metrics: metrics(&pairs, scale),
            kinds: summaries(rows),
            orderings: orderings(rows),
        }
    }
}

/// The report for the terminal: the summary metrics, the calibration table, then the results
/// by kind of answer when there are any.
pub fn render_text(report: &EvalReport, rows: &[ScoredRow]) -> String {
    let m = &report.metrics;
    let mut lines = vec![
        format!(
            "Scorer \"{}\" against human grades in {} (scale 0–{})",
            report.scorer, report.data, report.scale
        ),
        String::new(),
        format!("  {:<5} {:>7}", "n", m.n),
    ];
    let summary = [
        ("r", m.pearson, "Pearson correlation"),
        ("ρ", m.spearman, "Spearman rank correlation"),
        ("RMSE", m.rmse, "root-mean-square error, human scale"),
        ("QWK", m.qwk, "quadratic weighted kappa"),
    ];
    for (label, value, note) in summary {
        lines.push(format!("  {label:<5} {value:>7.3}  {note}"));
    }
    lines.push(String::new());
    lines.extend(calibration_table(&m.calibration));
    lines.extend(kinds::render(rows, report.scale));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn calibration_table(rows: &[CalibrationRow]) -> Vec<String> {
    if rows.is_empty() {
        return vec!["Calibration: no rows".to_string()];
    }
    let headers = ["human", "n", "mean predicted", "mean |error|"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.human_score.to_string(),
                r.n.to_string(),
                format!("{:.3}", r.mean_predicted),
                format!("{:.3}", r.mean_abs_error),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cols: [&str; 4]| {
        let padded: Vec<String> = cols
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect();
        format!("  {}", padded.join("  "))
    };
    let mut out = vec!["Calibration by human grade:".to_string(), line(headers)];
    out.extend(cells.iter().map(|r| line([&r[0], &r[1], &r[2], &r[3]])));
    out
}

/// Scores every row, mapping the scorer's grades from 0–10 onto `0..=scale`.
pub fn run(rows: &[EvalRow], bank: &Bank, scorer: &dyn Scorer, scale: u32) -> Vec<ScoredRow> {
    let mut by_prompt: HashMap<&str, &Question> = HashMap::new();
    for q in bank.questions() {
        by_prompt.entry(q.prompt.trim()).or_insert(q.as_ref());
    }
    rows.iter()
        .map(|row| {
            let rubric = rubric_for(row, bank, &by_prompt);
            let assessment = scorer.score(&rubric, &row.answer);
            ScoredRow {
                line: row.line,
                question: row.question.clone(),
                kind: row.kind.clone(),
                human: row.human_score,
                predicted: f64::from(assessment.scores.overall) / 10.0 * f64::from(scale),
                flagged: assessment.flagged,
            }
        })
        .collect()
}

/// The bank question's rubric when the row names one by id or by prompt, else the reference.
fn rubric_for(row: &EvalRow, bank: &Bank, by_prompt: &HashMap<&str, &Question>) -> Rubric {
    let question = row.question.trim();
    if let Some(q) = bank.get(question) {
        return Rubric::for_question(q);
    }
    match by_prompt.get(question) {
        Some(q) => Rubric::for_question(q),
        None => Rubric::from_reference(&row.question, &row.reference_answer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Difficulty, Origin, Point};
    use crate::scoring::{Assessment, Scores};
    use std::path::PathBuf;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn render_text_aligns_the_calibration_table() {
        let pairs = [(2.0, 1.0), (4.0, 1.2), (3.0, 3.0), (0.5, 0.4)];
        let rows: Vec<ScoredRow> = pairs
            .iter()
            .map(|&(predicted, human)| ScoredRow {
                line: 2,
                question: "q".into(),
                kind: None,
                human,
                predicted,
                flagged: false,
            })
            .collect();
        let report = EvalReport::new("eval/dev.csv".into(), "offline".into(), 5, &rows);
        let text = render_text(&report, &rows);
        assert!(text.contains("eval/dev.csv"), "{text}");
        assert!(text.contains("  n           4"), "{text}");
        assert!(text.contains("  QWK "), "{text}");
        let table: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("Calibration"))
            .collect();
        assert_eq!(table.len(), 5, "{text}");
        let width = table[1].chars().count();
        assert!(
            table[2..].iter().all(|l| l.chars().count() == width),
            "{text}"
        );
        assert!(table[3].ends_with("3.000         1.900"), "{text}");
    }

    /// Grades 10 for the bank question's rubric, 5 for a reference-only rubric.
    struct ByRubric;

    impl Scorer for ByRubric {
        fn score(&self, rubric: &Rubric, _answer: &str) -> Assessment {
            let overall = if rubric.question_id == "q1" {
                10.0
            } else {
                5.0
            };
            Assessment {
                scores: Scores {
                    overall,
                    ..Scores::default()
                },
                covered: Vec::new(),
                partial: Vec::new(),
                missed: Vec::new(),
                pitfalls: Vec::new(),
                feedback: Vec::new(),
                scorer: crate::scoring::ScorerKind::Offline,
                model: None,
                ..Default::default()
            }
        }
    }

    fn one_question_bank() -> Bank {
        Bank::from_questions(vec![Question {
            id: "q1".to_string(),
            track: "t".to_string(),
            topic: "topic".to_string(),
            difficulty: Difficulty::Mid,
            prompt: "What is a mutex?".to_string(),
            tags: Vec::new(),
            related: Vec::new(),
            model_answer: "A lock.".to_string(),
            points: vec![Point {
                id: "p".to_string(),
                statement: "s".to_string(),
                concepts: vec![vec!["lock".to_string()]],
            }],
            pitfalls: Vec::new(),
            follow_ups: Vec::new(),
            good_answers: Vec::new(),
            bad_answers: Vec::new(),
            requirements: Vec::new(),
            estimates: Vec::new(),
            wrap_up: Vec::new(),
            origin: Origin {
                file: PathBuf::from("t.toml"),
                line: 1,
            },
        }])
    }

    #[test]
    fn run_picks_the_rubric_by_id_prompt_or_reference() {
        let row = |question: &str, human_score: f64| EvalRow {
            question: question.to_string(),
            reference_answer: "ref".to_string(),
            answer: "answer".to_string(),
            human_score,
            line: 2,
            kind: None,
        };
        let rows = [
            row("q1", 4.0),
            row("  What is a mutex? ", 4.0),
            row("Other?", 2.0),
        ];
        let scored = run(&rows, &one_question_bank(), &ByRubric, 4);
        let m = EvalReport::new(String::new(), String::new(), 4, &scored).metrics;
        // Bank rubrics score 10 → 4 on a 0–4 scale; the reference-only one 5 → 2.
        assert_eq!(m.n, 3);
        assert!(close(m.rmse, 0.0));
        assert!(close(m.qwk, 1.0));
    }
}
