//! The bundled bank: `questions/*.toml` compiled into the binary so it runs from any folder.

use include_dir::{include_dir, Dir};

use super::SourceFile;

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/questions");

/// The bundled question files, sorted by name, each named as `questions/<file>`.
pub fn bundled_files() -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = BUNDLED
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .filter_map(|f| {
            let text = f.contents_utf8()?;
            Some(SourceFile::new(
                std::path::Path::new("questions").join(f.path()),
                text,
            ))
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
