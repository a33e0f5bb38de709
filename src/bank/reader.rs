//! Reading toml's spanned document tree field by field, recording a `Problem` with the line and
//! field path for everything missing, empty or of the wrong type, instead of failing at the first.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{Problem, SourceFile};

pub(super) type Table<'i> = DeTable<'i>;
pub(super) type Value<'i> = Spanned<DeValue<'i>>;

/// Byte offset to 1-based line number.
pub(super) struct Lines {
    pub(super) starts: Vec<usize>,
}

impl Lines {
    pub(super) fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    pub(super) fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Collects problems for one file, each tagged with the question being read.
pub(super) struct Reader<'a> {
    pub(super) file: &'a SourceFile,
    pub(super) lines: Lines,
    pub(super) question: Option<String>,
    pub(super) problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub(super) fn problem(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.path.clone(),
            line: self.lines.line(span.start),
            question: self.question.clone(),
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// Reports keys that are not in `known`: almost always a typo that would silently drop data.
    pub(super) fn unknown_keys(&mut self, table: &Table<'_>, known: &[&str], path: &str) {
        for key in table.keys() {
            if !known.contains(&key.get_ref().as_ref()) {
                let field = join(path, key.get_ref());
                let hint = format!("unknown field (expected one of: {})", known.join(", "));
                self.problem(key.span(), &field, hint);
            }
        }
    }

    pub(super) fn string(
        &mut self,
        table: &Table<'_>,
        span: &Range<usize>,
        key: &str,
        path: &str,
    ) -> Option<String> {
        let field = join(path, key);
        let Some(value) = table.get(key) else {
            self.problem(span.clone(), &field, "missing");
            return None;
        };
        match value.get_ref().as_str() {
            Some(s) if s.trim().is_empty() => {
                self.problem(value.span(), &field, "must not be empty");
                None
            }
            Some(s) => Some(s.trim().to_string()),
            None => {
                let found = value.get_ref().type_str();
                self.problem(
                    value.span(),
                    &field,
                    format!("must be a string, found {found}"),
                );
                None
            }
        }
    }

    pub(super) fn optional_string(
        &mut self,
        table: &Table<'_>,
        key: &str,
        path: &str,
    ) -> Option<String> {
        let value = table.get(key)?;
        match value.get_ref().as_str() {
            Some(s) if s.trim().is_empty() => {
                self.problem(value.span(), &join(path, key), "must not be empty");
                None
            }
            Some(s) => Some(s.trim().to_string()),
            None => {
                let found = value.get_ref().type_str();
                let message = format!("must be a string, found {found}");
                self.problem(value.span(), &join(path, key), message);
                None
            }
        }
    }

    /// An array of non-empty strings; `None` when absent.
    pub(super) fn strings(&mut self, value: &Value<'_>, field: &str) -> Vec<String> {
        let Some(items) = value.get_ref().as_array() else {
            let found = value.get_ref().type_str();
            self.problem(
                value.span(),
                field,
                format!("must be an array, found {found}"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref().as_str() {
                Some(s) if s.trim().is_empty() => {
                    self.problem(item.span(), &format!("{field}[{i}]"), "must not be empty")
                }
                Some(s) => out.push(s.trim().to_string()),
                None => {
                    let found = item.get_ref().type_str();
                    let message = format!("must be a string, found {found}");
                    self.problem(item.span(), &format!("{field}[{i}]"), message);
                }
            }
        }
        out
    }

    /// An array of tables (`[[x]]` or an inline array of inline tables).
    pub(super) fn tables<'t, 'i>(
        &mut self,
        table: &'t Table<'i>,
        span: &Range<usize>,
        key: &str,
        path: &str,
        required: bool,
    ) -> Vec<(&'t Table<'i>, Range<usize>)> {
        let field = join(path, key);
        let Some(value) = table.get(key) else {
            if required {
                self.problem(span.clone(), &field, "missing");
            }
            return Vec::new();
        };
        let Some(items) = value.get_ref().as_array() else {
            let found = value.get_ref().type_str();
            let message = format!("must be an array of tables, found {found}");
            self.problem(value.span(), &field, message);
            return Vec::new();
        };
        if items.is_empty() && required {
            self.problem(value.span(), &field, "must not be empty");
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref().as_table() {
                Some(t) => out.push((t, item.span())),
                None => {
                    let found = item.get_ref().type_str();
                    let message = format!("must be a table, found {found}");
                    self.problem(item.span(), &format!("{field}[{i}]"), message);
                }
            }
        }
        out
    }
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A stable id: lowercase ASCII letters, digits and single hyphens.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
