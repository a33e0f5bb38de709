//! `mockingbird run` refuses to start on a missing or malformed setting, and says which; its
//! `--help` lists every setting without showing a secret.

use std::process::{Command, Output};

/// The binary with these arguments and only these variables.
fn mockingbird(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mockingbird"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        // No .env here: the test decides every variable.
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

fn run(env: &[(&str, &str)]) -> (bool, String) {
    let out = mockingbird(&["run"], env);
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

    // In the words the bot has always used, not clap's, and with its exit code.
    let out = mockingbird(
        &["run"],
        &[
            ("DISCORD_TOKEN", "secret-token-value"),
            ("DATABASE_URL", "postgres://localhost/x"),
            ("SCORING_WORKERS", "many"),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.trim_end(),
        "error: SCORING_WORKERS=\"many\" is not valid: a whole number from 1 to 64"
    );
}

#[test]
fn an_empty_variable_counts_as_unset() {
    // As .env.example and compose files write "not set". Were any of these taken as a value, it
    // would be refused before the token is looked at.
    let (ok, err) = run(&[
        ("DISCORD_TOKEN", " "),
        ("DATABASE_URL", "postgres://localhost/x"),
        ("DEV_GUILD_ID", ""),
        ("DISCORD_API_BASE", ""),
        ("SCORING_WORKERS", ""),
        ("PORT", " "),
        ("SHARD_COUNT", ""),
        ("SHARD_IDS", ""),
        ("DESIGN_STAGE_MINUTES", ""),
        ("MOCKINGBIRD_QUESTIONS", ""),
        ("MOCKINGBIRD_STYLES", " "),
        ("LOG_FORMAT", ""),
    ]);
    assert!(!ok);
    assert!(
        err.starts_with("error: DISCORD_TOKEN is not set: "),
        "{err}"
    );
}

#[test]
fn run_help_lists_every_setting_and_shows_no_secret() {
    let out = mockingbird(
        &["run", "--help"],
        &[
            ("DISCORD_TOKEN", "secret-token-value"),
            ("DATABASE_URL", "postgres://bot:hunter2@db/x"),
            ("SCORING_WORKERS", "8"),
        ],
    );
    assert!(out.status.success());
    // Wrapped to the terminal's width: compared a word apart.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let help = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for var in [
        "DISCORD_TOKEN",
        "DATABASE_URL",
        "DEV_GUILD_ID",
        "DISCORD_API_BASE",
        "SCORING_WORKERS",
        "SWEEP_INTERVAL_SECS",
        "SCORING_LEASE_SECS",
        "LEFT_GUILD_PURGE_DAYS",
        "PORT",
        "SHARD_COUNT",
        "SHARD_IDS",
        "DESIGN_STAGE_MINUTES",
    ] {
        assert!(help.contains(&format!("[env: {var}")), "{var}: {help}");
    }
    assert!(
        help.contains("[env: SCORING_WORKERS=8] [default: 4]"),
        "{help}"
    );
    assert!(
        !help.contains("secret-token-value") && !help.contains("hunter2"),
        "{help}"
    );
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

#[test]
fn a_broken_env_file_is_named_without_quoting_its_secret() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let token = "abc.def.ghi";
    // A quote left open: dotenvy cannot parse the line, and its own message would quote it.
    std::fs::write(
        dir.path().join(".env"),
        format!("DISCORD_TOKEN=\"{token}\n"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mockingbird"))
        .arg("run")
        .env_clear()
        .current_dir(dir.path())
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(".env cannot be read: the line for DISCORD_TOKEN is not NAME=value"),
        "{err}"
    );
    assert!(!err.contains(token), "the token is not echoed: {err}");
}
