//! `--scorer llm|offline` on the real binary, against the fake OpenAI-compatible server: the
//! default follows the environment, a missing or malformed setting is named, `eval` reports the
//! tokens it used, and the key never reaches the output.
#![cfg(feature = "fake-llm")]

use std::io::Write;
use std::process::{Command, Output};

use mockingbird::scoring::llm::fake::{FakeLlm, Reply};
use serde_json::Value;

const VARS: [&str; 8] = [
    "LLM_BASE_URL",
    "LLM_API_KEY",
    "LLM_MODEL",
    "LLM_TIMEOUT_SECS",
    "LLM_MAX_TOKENS",
    "LLM_JSON_MODE",
    "LLM_CONCURRENCY",
    "LLM_MAX_RETRIES",
];

const ANSWER: &str = "An index is a sorted B-tree of a column's values pointing at rows, so a \
    lookup is logarithmic instead of a full table scan. Every write must update it, which costs \
    time and space, and it does not help low-selectivity columns.";

/// Runs `mockingbird` with only these LLM variables set, off the async runtime so the fake
/// server keeps answering.
async fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mockingbird"));
    cmd.args(args);
    for var in VARS {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    tokio::task::spawn_blocking(move || cmd.output().expect("run mockingbird"))
        .await
        .expect("join")
}

fn answer_file() -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(ANSWER.as_bytes()).expect("write");
    f
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn score_args(file: &tempfile::NamedTempFile) -> Vec<String> {
    let path = file.path().display().to_string();
    [
        "score",
        "--question",
        "what-is-an-index",
        "--json",
        "--answer-file",
        &path,
    ]
    .map(String::from)
    .to_vec()
}

#[tokio::test(flavor = "multi_thread")]
async fn score_uses_the_llm_when_it_is_configured() {
    let fake = FakeLlm::start(Reply::Grade {
        scores: [8, 7, 8],
        covered: 4,
    })
    .await
    .expect("fake");
    let file = answer_file();
    let args = score_args(&file);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let url = fake.base_url();
    let env = [("LLM_BASE_URL", url.as_str()), ("LLM_MODEL", "fake-model")];

    let a = json(&run(&args, &env).await);
    assert_eq!(a["scorer"], "llm", "{a:#}");
    assert_eq!(a["model"], "fake-model");
    assert!(a["usage"]["prompt_tokens"].as_u64() > Some(0));

    let mut explicit = args.clone();
    explicit.extend(["--scorer", "offline"]);
    assert_eq!(json(&run(&explicit, &env).await)["scorer"], "offline");
    assert_eq!(
        json(&run(&args, &[]).await)["scorer"],
        "offline",
        "no LLM configured"
    );
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_settings_are_named() {
    let file = answer_file();
    let mut args = score_args(&file);
    args.extend(["--scorer".into(), "llm".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let cases: [(&[(&str, &str)], &str); 3] = [
        (&[], "LLM_BASE_URL"),
        (
            &[("LLM_BASE_URL", "http://127.0.0.1:9/v1")],
            "LLM_MODEL is not set",
        ),
        (
            &[
                ("LLM_BASE_URL", "http://127.0.0.1:9/v1"),
                ("LLM_MODEL", "m"),
                ("LLM_TIMEOUT_SECS", "soon"),
            ],
            "LLM_TIMEOUT_SECS=\"soon\" is not valid",
        ),
    ];
    for (env, expected) in cases {
        let out = run(&args, env).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(expected),
            "{expected}: {stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_server_still_scores_and_keeps_the_key_secret() {
    const KEY: &str = "sk-cli-SECRET-777";
    let fake = FakeLlm::start(Reply::Status {
        status: 401,
        body: format!("{{\"error\": {{\"message\": \"bad key {KEY}\"}}}}"),
        headers: vec![],
    })
    .await
    .expect("fake");
    let file = answer_file();
    let args = score_args(&file);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let url = fake.base_url();
    let env = [
        ("LLM_BASE_URL", url.as_str()),
        ("LLM_MODEL", "m"),
        ("LLM_API_KEY", KEY),
    ];
    let out = run(&args, &env).await;
    let a = json(&out);
    assert_eq!(a["scorer"], "offline");
    assert!(
        a["notes"][0]
            .as_str()
            .is_some_and(|n| n.contains("HTTP 401")),
        "{a:#}"
    );
    for stream in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(KEY));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn eval_with_the_llm_reports_tokens() {
    let fake = FakeLlm::start(Reply::Grade {
        scores: [6, 5, 7],
        covered: 2,
    })
    .await
    .expect("fake");
    let mut csv = tempfile::NamedTempFile::new().expect("temp file");
    writeln!(csv, "question,reference_answer,answer,human_score").expect("write");
    for (answer, grade) in [
        (ANSWER, 4),
        ("An index makes lookups faster.", 2),
        ("No idea.", 0),
    ] {
        writeln!(csv, "what-is-an-index,ref,\"{answer}\",{grade}").expect("write");
    }
    let path = csv.path().display().to_string();
    let url = fake.base_url();
    let env = [("LLM_BASE_URL", url.as_str()), ("LLM_MODEL", "m")];
    let out = run(
        &["eval", "--data", &path, "--scorer", "llm", "--json"],
        &env,
    )
    .await;
    let report = json(&out);
    assert_eq!(report["scorer"], "llm", "{report:#}");
    assert_eq!(report["metrics"]["n"], 3);
    assert_eq!(report["llm"]["answers"], 3);
    assert!(
        report["llm"]["prompt_tokens"].as_u64() > Some(300),
        "{report:#}"
    );
    assert!(report["llm"]["completion_tokens"].as_u64() > Some(0));

    let out = run(&["eval", "--data", &path, "--scorer", "llm"], &env).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Scorer \"llm\"") && text.contains("completion tokens for 3 answers"),
        "{text}"
    );
}
