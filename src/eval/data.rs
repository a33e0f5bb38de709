//! Reading evaluation data: a CSV of questions, reference answers, candidate answers and human
//! grades, with errors that name the file, line and column.

use std::fs::File;
use std::path::{Path, PathBuf};

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
    /// The kind of answer, from an optional `kind` column ("strong-everyday", "buzzword", …).
    pub kind: Option<String>,
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

/// Where each required column sits in a record, and the optional `kind` column.
struct ColumnIndex([usize; 4], Option<usize>);

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
    let kind = names.iter().position(|n| n == "kind");
    Ok(ColumnIndex(index, kind))
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
        kind: columns
            .1
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

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
}
