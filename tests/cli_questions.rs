//! `mockingbird questions check|list`, run as a user runs them.

use std::process::{Command, Output};

fn mockingbird(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mockingbird"))
        .args(args)
        .env_remove("MOCKINGBIRD_QUESTIONS")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the mockingbird binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_bundled_bank_passes_its_own_check() {
    let out = mockingbird(&["questions", "check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn three_mistakes_give_three_precise_errors_and_exit_status_1() {
    let out = mockingbird(&[
        "questions",
        "check",
        "tests/fixtures/broken/three-mistakes.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let f = "tests/fixtures/broken/three-mistakes.toml";
    let expected = [
        format!("{f}:10: question \"sql-vs-nosql\": points: must not be empty"),
        format!("{f}:14: question \"sql-vs-nosql\": follow_ups[0].probes: probes point \"relations\", but the question has no points"),
        format!("{f}:24: question \"cap-theorem\": difficulty: unknown difficulty \"expert\" (expected junior, mid or senior)"),
    ];
    assert_eq!(stdout(&out).lines().collect::<Vec<_>>(), expected);
}

#[test]
fn a_syntax_error_names_its_line_and_nothing_else() {
    let out = mockingbird(&["questions", "check", "tests/fixtures/broken/syntax.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("tests/fixtures/broken/syntax.toml:3: toml: syntax error"),
        "{text}"
    );
}

#[test]
fn duplicate_ids_across_files_name_both_places() {
    let out = mockingbird(&["questions", "check", "tests/fixtures/broken/duplicates"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).trim(),
        "tests/fixtures/broken/duplicates/b.toml:1: question \"same-id\": id: duplicate id, first defined at tests/fixtures/broken/duplicates/a.toml:1"
    );
}

#[test]
fn a_missing_path_is_a_clear_error() {
    let out = mockingbird(&["questions", "check", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read no/such/folder"), "{err}");
}

#[test]
fn list_json_shows_the_bank_with_counts() {
    let out = mockingbird(&["questions", "list", "--json"]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() >= 80, "only {} questions", rows.len());
    for row in &rows {
        for key in ["id", "track", "topic", "difficulty", "points", "follow_ups"] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
        assert!(row["follow_ups"].as_u64().unwrap() >= 2, "{row}");
    }
}

#[test]
fn list_filters_by_track_and_rejects_an_unknown_one() {
    let out = mockingbird(&["questions", "list", "--track", "databases", "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["track"] == "databases"));
    let bad = mockingbird(&["questions", "list", "--track", "cooking"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown track \"cooking\""));
}

#[test]
fn a_custom_pack_extends_the_bundled_bank() {
    let out = mockingbird(&[
        "--questions",
        "tests/fixtures/good",
        "questions",
        "list",
        "--track",
        "frontend-infra",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "custom-cdn-purpose");
}
