//! Validation across files: reading paths, duplicate ids, and the `Problem` every check reports.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::parse::{parse_file, Parsed};
use super::{BankError, SourceFile};

/// One thing wrong in a question file, located precisely enough to fix without searching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    /// The id of the question the problem is in, when known.
    pub question: Option<String>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file.display(), self.line)?;
        if let Some(q) = &self.question {
            write!(f, "question \"{q}\": ")?;
        }
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Parses every file and checks what no single file can: ids unique across the set, and
/// `related` ids that exist (in the set, or among `also_known`, e.g. the bundled bank's).
pub(crate) fn check_sources(files: &[SourceFile], also_known: &HashSet<String>) -> Parsed {
    let mut questions = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let parsed = parse_file(file);
        questions.extend(parsed.questions);
        problems.extend(parsed.problems);
    }
    let mut first_seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    questions.retain(|q| match first_seen.get(&q.id) {
        Some((file, line)) => {
            problems.push(Problem {
                file: q.origin.file.clone(),
                line: q.origin.line,
                question: Some(q.id.clone()),
                field: "id".into(),
                message: format!("duplicate id, first defined at {}:{line}", file.display()),
            });
            false
        }
        None => {
            first_seen.insert(q.id.clone(), (q.origin.file.clone(), q.origin.line));
            true
        }
    });
    for q in &questions {
        for (i, id) in q.related.iter().enumerate() {
            if !first_seen.contains_key(id) && !also_known.contains(id) {
                problems.push(Problem {
                    file: q.origin.file.clone(),
                    line: q.origin.line,
                    question: Some(q.id.clone()),
                    field: format!("related[{i}]"),
                    message: format!("no question has the id \"{id}\""),
                });
            }
        }
    }
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Parsed {
        questions,
        problems,
    }
}

/// Reads files, and the `*.toml` files of folders (sorted, not recursive).
pub(crate) fn read_paths(paths: &[PathBuf]) -> Result<Vec<SourceFile>, BankError> {
    let mut files = Vec::new();
    for path in paths {
        let read_err = |source| BankError::Read {
            path: path.clone(),
            source,
        };
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(read_err)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            if entries.is_empty() {
                return Err(BankError::Empty { path: path.clone() });
            }
            entries.sort();
            for entry in entries {
                let text = std::fs::read_to_string(&entry).map_err(|source| BankError::Read {
                    path: entry.clone(),
                    source,
                })?;
                files.push(SourceFile::new(entry, text));
            }
        } else {
            let text = std::fs::read_to_string(path).map_err(read_err)?;
            files.push(SourceFile::new(path, text));
        }
    }
    Ok(files)
}

/// The outcome of `questions check`.
pub struct CheckReport {
    pub files: usize,
    pub questions: Vec<super::Question>,
    pub problems: Vec<Problem>,
}

/// Checks question files already read (an uploaded pack, say); `related` ids may also name
/// questions in `also_known`.
pub fn check_files(files: &[SourceFile], also_known: &HashSet<String>) -> CheckReport {
    let parsed = check_sources(files, also_known);
    CheckReport {
        files: files.len(),
        questions: parsed.questions,
        problems: parsed.problems,
    }
}

/// Checks files or folders; an empty list means the bundled bank.
pub fn check_paths(paths: &[PathBuf]) -> Result<CheckReport, BankError> {
    let (files, also_known) = if paths.is_empty() {
        (super::bundled_files(), HashSet::new())
    } else {
        (read_paths(paths)?, bundled_ids())
    };
    let parsed = check_sources(&files, &also_known);
    Ok(CheckReport {
        files: files.len(),
        questions: parsed.questions,
        problems: parsed.problems,
    })
}

/// Ids of the bundled questions, which other packs may refer to.
pub(crate) fn bundled_ids() -> HashSet<String> {
    super::bundled_files()
        .iter()
        .flat_map(|f| parse_file(f).questions)
        .map(|q| q.id)
        .collect()
}
