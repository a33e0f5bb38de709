//! Evaluation: how well a scorer agrees with human graders. `read_rows` loads a CSV of
//! questions, reference answers, candidate answers and human scores; `run` scores every answer
//! (against the bank's rubric when the question is a bank question, otherwise against the
//! reference answer alone) and `metrics` compares the scorer's grades with the human ones:
//! Pearson and Spearman correlation, RMSE, quadratic weighted kappa and a calibration table.
//! `render_text` formats the result for the terminal; the report types serialise to JSON.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::bank::{Bank, Question};
use crate::scoring::{Rubric, Scorer};

/// The columns the CSV header must have (in any order; others are ignored).
const COLUMNS: [&str; 4] = ["question", "reference_answer", "answer", "human_score"];

/// One graded answer from the evaluation data.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalRow {
    /// A bank question id, a bank question's prompt, or free question text.
    pub question: String,
    /// Used as the rubric when the question is not in the bank.
    pub reference_answer: String,
    pub answer: String,
    /// The human grade, within 0..=scale.
    pub human_score: f64,
    /// The line of the CSV file the row starts on.
    pub line: u64,
}

/// Errors reading evaluation data; each names the file and, where there is one, the line.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the file is empty (expected a header row: {})", .path.display(), COLUMNS.join(","))]
    Empty { path: PathBuf },
    #[error("{}: no data rows after the header", .path.display())]
    NoRows { path: PathBuf },
    #[error("{}:{line}: the header has no \"{column}\" column (required: {})", .path.display(), COLUMNS.join(", "))]
    MissingColumn {
        path: PathBuf,
        line: u64,
        column: &'static str,
    },
    #[error("{}:{line}: {column}: missing (the row has only {found} field(s))", .path.display())]
    MissingField {
        path: PathBuf,
        line: u64,
        column: &'static str,
        found: usize,
    },
    #[error("{}:{line}: {column}: \"{value}\" is not a number", .path.display())]
    NotANumber {
        path: PathBuf,
        line: u64,
        column: &'static str,
        value: String,
    },
    #[error("{}:{line}: {column}: {value} is outside 0..={scale}", .path.display())]
    OutOfRange {
        path: PathBuf,
        line: u64,
        column: &'static str,
        value: f64,
        scale: f64,
    },
    #[error("{}:{line}: {message}", .path.display())]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("the score scale must be a positive number, not {0}")]
    BadScale(f64),
}

/// Where each required column sits in a record.
struct ColumnIndex([usize; 4]);

/// Reads evaluation rows from a CSV file with a header row naming the columns `question`,
/// `reference_answer`, `answer` and `human_score` (any order; extra columns are ignored).
/// Human scores must be numbers within `0..=scale`.
pub fn read_rows(path: &Path, scale: f64) -> Result<Vec<EvalRow>, EvalError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(EvalError::BadScale(scale));
    }
    let file = File::open(path).map_err(|source| EvalError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let columns = read_header(&mut reader, path)?;
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        // The header is line 1; this is only a fallback when csv reports no position.
        let fallback = index as u64 + 2;
        let record = record.map_err(|e| csv_error(path, fallback, e))?;
        let line = record.position().map_or(fallback, csv::Position::line);
        rows.push(parse_row(&record, &columns, path, line, scale)?);
    }
    if rows.is_empty() {
        return Err(EvalError::NoRows {
            path: path.to_path_buf(),
        });
    }
    Ok(rows)
}

fn read_header(reader: &mut csv::Reader<File>, path: &Path) -> Result<ColumnIndex, EvalError> {
    let header = reader.headers().map_err(|e| csv_error(path, 1, e))?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(EvalError::Empty {
            path: path.to_path_buf(),
        });
    }
    let line = header.position().map_or(1, csv::Position::line);
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let mut index = [0; 4];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot = names
            .iter()
            .position(|n| n == column)
            .ok_or_else(|| EvalError::MissingColumn {
                path: path.to_path_buf(),
                line,
                column,
            })?;
    }
    Ok(ColumnIndex(index))
}

fn parse_row(
    record: &csv::StringRecord,
    columns: &ColumnIndex,
    path: &Path,
    line: u64,
    scale: f64,
) -> Result<EvalRow, EvalError> {
    let field = |i: usize| -> Result<&str, EvalError> {
        record
            .get(columns.0[i])
            .ok_or_else(|| EvalError::MissingField {
                path: path.to_path_buf(),
                line,
                column: COLUMNS[i],
                found: record.len(),
            })
    };
    let (question, reference_answer, answer) = (field(0)?, field(1)?, field(2)?);
    let raw_score = field(3)?;
    let human_score = match raw_score.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => {
            return Err(EvalError::NotANumber {
                path: path.to_path_buf(),
                line,
                column: COLUMNS[3],
                value: raw_score.to_string(),
            })
        }
    };
    if !(0.0..=scale).contains(&human_score) {
        return Err(EvalError::OutOfRange {
            path: path.to_path_buf(),
            line,
            column: COLUMNS[3],
            value: human_score,
            scale,
        });
    }
    Ok(EvalRow {
        question: question.to_string(),
        reference_answer: reference_answer.to_string(),
        answer: answer.to_string(),
        human_score,
        line,
    })
}

/// Turns a csv error into one that names the file and line.
fn csv_error(path: &Path, fallback_line: u64, err: csv::Error) -> EvalError {
    let line = err.position().map_or(fallback_line, csv::Position::line);
    let message = match err.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("field {} is not valid UTF-8", err.field() + 1)
        }
        _ => err.to_string(),
    };
    match err.into_kind() {
        csv::ErrorKind::Io(source) => EvalError::Read {
            path: path.to_path_buf(),
            source,
        },
        _ => EvalError::Malformed {
            path: path.to_path_buf(),
            line,
            message,
        },
    }
}

/// How a scorer's grades compare with the human grades.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub n: usize,
    /// Pearson correlation (0 when undefined).
    pub pearson: f64,
    /// Spearman rank correlation, ties given their mean rank (0 when undefined).
    pub spearman: f64,
    /// Root-mean-square error on the human scale.
    pub rmse: f64,
    /// Quadratic weighted kappa over the integer grades 0..=scale (0 when undefined).
    pub qwk: f64,
    /// One row per human grade present, ascending.
    pub calibration: Vec<CalibrationRow>,
}

/// The scorer's grades for the answers humans gave one grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationRow {
    /// The grade bucket: the human score rounded to the nearest integer.
    pub human_score: i64,
    pub n: usize,
    pub mean_predicted: f64,
    /// Mean of |predicted − human| (the unrounded human score).
    pub mean_abs_error: f64,
}

/// An evaluation run: what was scored, by what, and how it went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    pub data: String,
    pub scorer: String,
    pub scale: u32,
    pub metrics: Metrics,
}

/// Compares `(predicted, human)` pairs, both already on the human scale `0..=scale`.
pub fn metrics(pairs: &[(f64, f64)], scale: u32) -> Metrics {
    let (predicted, human): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    Metrics {
        n: pairs.len(),
        pearson: pearson(&predicted, &human),
        spearman: pearson(&average_ranks(&predicted), &average_ranks(&human)),
        rmse: rmse(pairs),
        qwk: qwk(pairs, scale),
        calibration: calibration(pairs),
    }
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn is_constant(xs: &[f64]) -> bool {
    xs.windows(2).all(|w| w[0] == w[1])
}

/// Pearson's r; 0 when it is undefined (fewer than two pairs, or a constant side).
fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    if xs.len() != ys.len() || xs.len() < 2 || is_constant(xs) || is_constant(ys) {
        return 0.0;
    }
    let (mx, my) = (mean(xs), mean(ys));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        let (dx, dy) = (x - mx, y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let r = sxy / (sxx * syy).sqrt();
    if r.is_finite() {
        r.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// 1-based ranks; tied values all get the mean of the ranks they span.
fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut ranks = vec![0.0; xs.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && xs[order[end]] == xs[order[start]] {
            end += 1;
        }
        // Sorted positions start..end hold ranks start+1..=end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

fn rmse(pairs: &[(f64, f64)]) -> f64 {
    if pairs.is_empty() {
        return 0.0;
    }
    let squares: Vec<f64> = pairs.iter().map(|(p, h)| (p - h) * (p - h)).collect();
    mean(&squares).sqrt()
}

/// A score as a QWK category: rounded to the nearest integer, clamped to 0..=scale.
fn category(x: f64, scale: u32) -> f64 {
    if x.is_nan() {
        return 0.0;
    }
    x.round().clamp(0.0, f64::from(scale))
}

/// Quadratic weighted kappa, `1 − Σ w_ij O_ij / Σ w_ij E_ij` with `w_ij = (i−j)²/(k−1)²` and
/// `E_ij = hist_h(i) · hist_p(j) / n`. The weight's constant factor cancels, and summing the
/// weights over the confusion matrices reduces to sums over the ratings:
/// `Σ w O ∝ Σ_a (h_a − p_a)²` and `Σ w E ∝ (1/n) Σ_a Σ_b (h_a − p_b)² = n·(var_h + var_p +
/// (mean_h − mean_p)²)` (population variances), so no k×k matrix is needed whatever the scale.
/// 0 when undefined: no pairs, or both raters giving one and the same grade throughout.
fn qwk(pairs: &[(f64, f64)], scale: u32) -> f64 {
    if pairs.is_empty() || scale == 0 {
        return 0.0;
    }
    let p: Vec<f64> = pairs.iter().map(|&(p, _)| category(p, scale)).collect();
    let h: Vec<f64> = pairs.iter().map(|&(_, h)| category(h, scale)).collect();
    let squares: Vec<f64> = p.iter().zip(&h).map(|(a, b)| (a - b) * (a - b)).collect();
    let observed = mean(&squares);
    let (mp, mh) = (mean(&p), mean(&h));
    let var = |xs: &[f64], m: f64| mean(&xs.iter().map(|x| (x - m) * (x - m)).collect::<Vec<_>>());
    let expected = var(&p, mp) + var(&h, mh) + (mp - mh) * (mp - mh);
    if expected <= 0.0 {
        return 0.0;
    }
    1.0 - observed / expected
}

fn calibration(pairs: &[(f64, f64)]) -> Vec<CalibrationRow> {
    let mut buckets: BTreeMap<i64, (usize, f64, f64)> = BTreeMap::new();
    for &(p, h) in pairs {
        let bucket = buckets.entry(h.round() as i64).or_default();
        bucket.0 += 1;
        bucket.1 += p;
        bucket.2 += (p - h).abs();
    }
    buckets
        .into_iter()
        .map(|(grade, (n, sum_p, sum_err))| CalibrationRow {
            human_score: grade,
            n,
            mean_predicted: sum_p / n as f64,
            mean_abs_error: sum_err / n as f64,
        })
        .collect()
}

/// The report for the terminal: the summary metrics, then the calibration table.
pub fn render_text(report: &EvalReport) -> String {
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

/// Scores every row and compares the scorer's grades, mapped from 0–10 onto `0..=scale`, with
/// the human ones.
pub fn run(rows: &[EvalRow], bank: &Bank, scorer: &dyn Scorer, scale: u32) -> Metrics {
    let mut by_prompt: HashMap<&str, &Question> = HashMap::new();
    for q in bank.questions() {
        by_prompt.entry(q.prompt.trim()).or_insert(q.as_ref());
    }
    let pairs: Vec<(f64, f64)> = rows
        .iter()
        .map(|row| {
            let rubric = rubric_for(row, bank, &by_prompt);
            let assessment = scorer.score(&rubric, &row.answer);
            let predicted = f64::from(assessment.scores.overall) / 10.0 * f64::from(scale);
            (predicted, row.human_score)
        })
        .collect();
    metrics(&pairs, scale)
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
    use std::io::Write;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn pearson_of_linear_data_is_one_and_of_reversed_minus_one() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        let up: Vec<f64> = xs.iter().map(|x| 2.0 * x + 1.0).collect();
        let down: Vec<f64> = xs.iter().rev().copied().collect();
        assert!(close(pearson(&xs, &up), 1.0));
        assert!(close(pearson(&xs, &down), -1.0));
    }

    #[test]
    fn degenerate_correlations_are_zero_not_nan() {
        assert_eq!(pearson(&[1.0], &[2.0]), 0.0);
        assert_eq!(pearson(&[0.1, 0.1, 0.1], &[1.0, 2.0, 3.0]), 0.0);
        let m = metrics(&[], 5);
        assert_eq!(
            (m.n, m.pearson, m.spearman, m.rmse, m.qwk),
            (0, 0.0, 0.0, 0.0, 0.0)
        );
        assert!(m.calibration.is_empty());
    }

    #[test]
    fn spearman_gives_ties_their_mean_rank() {
        // x = [1, 2, 2, 3] ranks to [1, 2.5, 2.5, 4]; y = [1, 3, 2, 4] ranks to [1, 3, 2, 4].
        // Both rank means are 2.5; deviations dx = [-1.5, 0, 0, 1.5], dy = [-1.5, .5, -.5, 1.5].
        // Σdx·dy = 4.5, Σdx² = 4.5, Σdy² = 5, so ρ = 4.5 / √22.5 = √0.9 ≈ 0.948683.
        assert_eq!(
            average_ranks(&[1.0, 2.0, 2.0, 3.0]),
            vec![1.0, 2.5, 2.5, 4.0]
        );
        let pairs = [(1.0, 1.0), (2.0, 3.0), (2.0, 2.0), (3.0, 4.0)];
        assert!(close(metrics(&pairs, 5).spearman, 0.9_f64.sqrt()));
    }

    #[test]
    fn rmse_by_hand() {
        // Errors 1, −2, 0: mean square 5/3, RMSE √(5/3) ≈ 1.290994.
        let pairs = [(1.0, 0.0), (2.0, 4.0), (3.0, 3.0)];
        assert!(close(metrics(&pairs, 5).rmse, (5.0_f64 / 3.0).sqrt()));
    }

    #[test]
    fn qwk_is_one_for_perfect_agreement() {
        let pairs = [(0.0, 0.0), (1.2, 1.0), (2.0, 2.0), (4.6, 5.0)];
        assert!(close(metrics(&pairs, 5).qwk, 1.0));
    }

    #[test]
    fn qwk_of_a_small_confusion_matrix_by_hand() {
        // Scale 2, so k = 3 and w_ij = (i−j)²/4. (human, predicted) = (0,0), (1,2), (2,2), (2,1).
        // O (rows human, cols predicted): [[1,0,0],[0,0,1],[0,1,1]].
        // Marginals: human [1,1,2], predicted [1,1,2]; n = 4, E_ij = h_i·p_j/4:
        //   E = [[.25,.25,.5],[.25,.25,.5],[.5,.5,1]].
        // Σ w·O = ¼·O₁₂ + ¼·O₂₁ = ½.
        // Σ w·E = ¼(E₀₁+E₁₀) + 1(E₀₂+E₂₀) + ¼(E₁₂+E₂₁) = ⅛ + 1 + ¼ = 11/8.
        // κ = 1 − (½)/(11/8) = 1 − 4/11 = 7/11 ≈ 0.636364.
        let pairs = [(0.0, 0.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0)];
        assert!(close(qwk(&pairs, 2), 7.0 / 11.0));
        assert!(close(qwk(&pairs, 2), matrix_qwk(&pairs, 2)));
    }

    #[test]
    fn qwk_is_negative_for_reversed_ratings() {
        // Reversed 0,1,2: Σ w·O = 1 + 0 + 1 = 2, every E_ij = ⅓ so Σ w·E = ⅓·(4·¼ + 2·1) = 1.
        let pairs = [(2.0, 0.0), (1.0, 1.0), (0.0, 2.0)];
        assert!(close(qwk(&pairs, 2), -1.0));
        let pairs = [(5.0, 0.0), (4.0, 1.0), (3.0, 2.0), (1.0, 4.0), (0.0, 5.0)];
        assert!(qwk(&pairs, 5) < 0.0);
    }

    /// The textbook k×k form, to check the closed form against.
    fn matrix_qwk(pairs: &[(f64, f64)], scale: u32) -> f64 {
        let k = scale as usize + 1;
        let mut o = vec![vec![0.0; k]; k];
        let (mut hh, mut hp) = (vec![0.0; k], vec![0.0; k]);
        for &(p, h) in pairs {
            let (i, j) = (category(h, scale) as usize, category(p, scale) as usize);
            o[i][j] += 1.0;
            hh[i] += 1.0;
            hp[j] += 1.0;
        }
        let n = pairs.len() as f64;
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..k {
            for j in 0..k {
                let w = (i as f64 - j as f64).powi(2) / ((k - 1) * (k - 1)) as f64;
                num += w * o[i][j];
                den += w * hh[i] * hp[j] / n;
            }
        }
        1.0 - num / den
    }

    #[test]
    fn qwk_closed_form_matches_the_matrix_form() {
        let pairs: Vec<(f64, f64)> = (0..40)
            .map(|i| (f64::from((i * 7 + 3) % 11) * 0.55, f64::from((i * 5) % 6)))
            .collect();
        assert!(close(qwk(&pairs, 5), matrix_qwk(&pairs, 5)));
        assert!(close(qwk(&pairs, 10), matrix_qwk(&pairs, 10)));
    }

    #[test]
    fn calibration_buckets_by_rounded_human_grade() {
        let pairs = [(2.0, 1.0), (4.0, 1.2), (3.0, 3.0), (0.5, 0.4)];
        let rows = metrics(&pairs, 5).calibration;
        let grades: Vec<(i64, usize)> = rows.iter().map(|r| (r.human_score, r.n)).collect();
        assert_eq!(grades, vec![(0, 1), (1, 2), (3, 1)]);
        assert!(close(rows[1].mean_predicted, 3.0));
        assert!(close(rows[1].mean_abs_error, (1.0 + 2.8) / 2.0));
    }

    fn csv_file(text: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(text.as_bytes()).expect("write temp file");
        file
    }

    #[test]
    fn read_rows_reads_columns_in_any_order() {
        let file = csv_file(
            "human_score,extra,answer,question,reference_answer\n\
             4,x,\"a, b\",q1,ref\n\
             2.5,y,\"two\nlines\",q2,ref2\n\
             0,z,c,q3,ref3\n",
        );
        let rows = read_rows(file.path(), 5.0).expect("valid data");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].answer, "a, b");
        assert_eq!(rows[1].human_score, 2.5);
        assert_eq!(rows[1].question, "q2");
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 3, 5]
        );
    }

    #[test]
    fn read_rows_names_the_line_of_a_bad_score() {
        let file = csv_file("question,reference_answer,answer,human_score\nq,r,a,3\nq,r,a,x\n");
        let err = read_rows(file.path(), 5.0)
            .expect_err("bad score")
            .to_string();
        let expected = format!(
            "{}:3: human_score: \"x\" is not a number",
            file.path().display()
        );
        assert_eq!(err, expected);

        let file = csv_file("question,reference_answer,answer,human_score\nq,r,a,3\nq,r,a,7\n");
        let err = read_rows(file.path(), 5.0)
            .expect_err("out of range")
            .to_string();
        assert!(err.contains(":3: human_score: 7 is outside 0..=5"), "{err}");
    }

    #[test]
    fn read_rows_names_a_missing_column() {
        let file = csv_file("question,answer,human_score\nq,a,3\n");
        let err = read_rows(file.path(), 5.0)
            .expect_err("no reference")
            .to_string();
        assert!(
            err.contains(":1: the header has no \"reference_answer\" column"),
            "{err}"
        );
        let file = csv_file("question,reference_answer,answer,human_score\nq,r\n");
        let err = read_rows(file.path(), 5.0)
            .expect_err("short row")
            .to_string();
        assert!(err.contains(":2: answer: missing"), "{err}");
    }

    #[test]
    fn read_rows_rejects_empty_files() {
        let file = csv_file("");
        let err = read_rows(file.path(), 5.0).expect_err("empty");
        assert!(matches!(err, EvalError::Empty { .. }), "{err}");
        let file = csv_file("question,reference_answer,answer,human_score\n");
        let err = read_rows(file.path(), 5.0).expect_err("header only");
        assert!(matches!(err, EvalError::NoRows { .. }), "{err}");
    }

    #[test]
    fn render_text_aligns_the_calibration_table() {
        let pairs = [(2.0, 1.0), (4.0, 1.2), (3.0, 3.0), (0.5, 0.4)];
        let report = EvalReport {
            data: "eval/dev.csv".to_string(),
            scorer: "offline".to_string(),
            scale: 5,
            metrics: metrics(&pairs, 5),
        };
        let text = render_text(&report);
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
                scorer: "test".to_string(),
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
        };
        let rows = [
            row("q1", 4.0),
            row("  What is a mutex? ", 4.0),
            row("Other?", 2.0),
        ];
        let m = run(&rows, &one_question_bank(), &ByRubric, 4);
        // Bank rubrics score 10 → 4 on a 0–4 scale; the reference-only one 5 → 2.
        assert_eq!(m.n, 3);
        assert!(close(m.rmse, 0.0));
        assert!(close(m.qwk, 1.0));
    }
}
