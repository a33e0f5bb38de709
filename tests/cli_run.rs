//! `mockingbird run` refuses to start on a missing or malformed setting, and says which.

use std::process::Command;

fn run(env: &[(&str, &str)]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mockingbird"))
        .arg("run")
        .env_clear()
        .envs(env.iter().copied())
        // No .env here: the test decides every variable.
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_missing_token_is_named() {
    let (ok, err) = run(&[("DATABASE_URL", "postgres://localhost/x")]);
    assert!(!ok);
    assert!(err.contains("DISCORD_TOKEN is not set"), "{err}");
}

#[test]
fn a_malformed_setting_is_named_and_secrets_are_not_echoed() {
    let (ok, err) = run(&[
        ("DISCORD_TOKEN", "secret-token-value"),
        ("DATABASE_URL", "mysql://root:hunter2@db/x"),
    ]);
    assert!(!ok);
    assert!(err.contains("DATABASE_URL is not valid"), "{err}");
    assert!(
        !err.contains("hunter2") && !err.contains("secret-token-value"),
        "{err}"
    );

    let (ok, err) = run(&[
        ("DISCORD_TOKEN", "t"),
        ("DATABASE_URL", "postgres://localhost/x"),
        ("SCORING_WORKERS", "many"),
    ]);
    assert!(!ok);
    assert!(err.contains("SCORING_WORKERS=\"many\""), "{err}");
}

#[test]
fn an_unreachable_database_is_reported_without_its_password() {
    let (ok, err) = run(&[
        ("DISCORD_TOKEN", "t"),
        (
            "DATABASE_URL",
            "postgres://bot:hunter2@127.0.0.1:9/mockingbird",
        ),
    ]);
    assert!(!ok);
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}
