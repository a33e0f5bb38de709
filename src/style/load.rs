//! Reading style files: the bundled ones from the binary, others from folders, each checked so
//! that a mistake names the file and the field.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use super::Style;
use crate::bank::SourceFile;

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/styles");

#[derive(Debug, thiserror::Error)]
pub enum StyleError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} problem(s) in the style files:\n  {}", .0.len(), .0.join("\n  "))]
    Invalid(Vec<String>),
    #[error("there is no style \"{id}\"; styles: {}", known.join(", "))]
    Unknown { id: String, known: Vec<String> },
}

/// The bundled style files, sorted by name.
pub(super) fn bundled_files() -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = BUNDLED
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .filter_map(|f| {
            let text = f.contents_utf8()?;
            Some(SourceFile::new(Path::new("styles").join(f.path()), text))
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The `*.toml` files of a folder (or the file itself), sorted by name.
pub(super) fn read_dir(path: &Path) -> Result<Vec<SourceFile>, StyleError> {
    let read_err = |source| StyleError::Read {
        path: path.to_path_buf(),
        source,
    };
    let paths: Vec<PathBuf> = if path.is_dir() {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(read_err)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        paths
    } else {
        vec![path.to_path_buf()]
    };
    paths
        .into_iter()
        .map(|p| match std::fs::read_to_string(&p) {
            Ok(text) => Ok(SourceFile::new(&p, text)),
            Err(source) => Err(StyleError::Read { path: p, source }),
        })
        .collect()
}

/// Every file's style, or every problem found in any of them.
pub(super) fn parse_all(files: &[SourceFile]) -> Result<Vec<Style>, StyleError> {
    let mut styles = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let path = file.path.display();
        match toml::from_str::<Style>(&file.text) {
            Ok(style) => {
                let found = problems_of(&style);
                if found.is_empty() {
                    styles.push(style);
                }
                problems.extend(found.into_iter().map(|p| format!("{path}: {p}")));
            }
            Err(e) => problems.push(format!("{path}: {}", one_line(&e.to_string()))),
        }
    }
    if problems.is_empty() {
        Ok(styles)
    } else {
        Err(StyleError::Invalid(problems))
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What is wrong with a style that parsed, field by field.
fn problems_of(s: &Style) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |ok: bool, field: &str, why: &str| {
        if !ok {
            out.push(format!("style \"{}\": {field}: {why}", s.id));
        }
    };
    let id_ok = !s.id.is_empty()
        && s.id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    check(id_ok, "id", "use lowercase letters, digits and dashes");
    check(!s.name.trim().is_empty(), "name", "is empty");
    // Discord shows at most 100 characters of an autocomplete choice.
    let described = (1..=90).contains(&s.description.chars().count());
    check(described, "description", "must be 1 to 90 characters");
    check(!s.tone.trim().is_empty(), "tone", "is empty");
    if let Some(why) = s.weights.problem() {
        check(false, "weights", &why);
    }
    check(s.follow_ups.max <= 3, "follow_ups.max", "at most 3");
    let gap = (0.0..=5.0).contains(&s.follow_ups.min_gap);
    check(gap, "follow_ups.min_gap", "must be between 0 and 5");
    if let Some(secs) = s.time_box_secs {
        let boxed = (30..=3600).contains(&secs);
        check(boxed, "time_box_secs", "must be between 30 and 3600");
    }
    let bar = [s.bar.technical, s.bar.tradeoffs, s.bar.communication];
    let bar_ok = bar.iter().all(|b| (0.0..=10.0).contains(b));
    check(bar_ok, "bar", "each score must be between 0 and 10");
    if let Some(c) = &s.messages.challenge {
        check(
            c.contains("{claim}"),
            "messages.challenge",
            "must contain {claim}",
        );
    }
    let m = &s.messages;
    let said = [&m.intro, &m.strong, &m.fair, &m.weak, &m.closing];
    check(
        said.iter().all(|t| !t.trim().is_empty()),
        "messages",
        "every message needs words",
    );
    out
}
