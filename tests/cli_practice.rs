//! `mockingbird practice` and `mockingbird score`, driven through a pipe as a script would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run_with_input(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mockingbird"))
        .args(args)
        .env_remove("MOCKINGBIRD_QUESTIONS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mockingbird binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

const WEAK_ANSWER: &str = "I would look at it carefully and pick whatever fits best.\n.\n";

#[test]
fn a_piped_interview_runs_to_a_report_with_follow_ups() {
    let input = WEAK_ANSWER.repeat(12);
    let out = run_with_input(&["practice", "--questions", "3", "--seed", "1"], &input);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Question 1 of 3"), "{text}");
    assert!(text.contains("Question 3 of 3"), "{text}");
    assert!(text.contains("Follow-up"), "{text}");
    assert!(
        text.contains("Interview report (completed, 3 of 3 questions)"),
        "{text}"
    );
    assert!(text.contains("Study next"), "{text}");
    // Piped output is plain: no ANSI escape codes.
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[test]
fn json_report_is_valid_and_lists_every_turn() {
    let input = WEAK_ANSWER.repeat(12);
    let out = run_with_input(
        &["practice", "--questions", "3", "--seed", "1", "--json"],
        &input,
    );
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outcome"], "completed");
    let results = report["results"].as_array().unwrap();
    assert!(results.len() > 3, "follow-ups are in the results");
    assert!(results.iter().any(|r| r["turn"]["kind"] == "follow_up"));
    for dim in ["technical", "tradeoffs", "communication", "overall"] {
        assert!(report["profile"][dim].is_number());
    }
}

#[test]
fn the_same_seed_asks_the_same_questions() {
    // Skipping every question still records which one was asked.
    let ids = |seed: &str| {
        let out = run_with_input(
            &[
                "practice",
                "-n",
                "4",
                "--seed",
                seed,
                "--json",
                "--follow-ups",
                "0",
            ],
            "/skip\n/skip\n/skip\n/skip\n",
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let asked: Vec<String> = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["question_id"].as_str().unwrap().to_owned())
            .collect();
        asked
    };
    let first = ids("42");
    assert_eq!(first.len(), 4, "{first:?}");
    assert_eq!(first, ids("42"));
    assert_ne!(first, ids("43"), "another seed, another interview");
}

#[test]
fn skip_hint_and_end_commands_work_from_a_pipe() {
    let input = "/skip\n/hint\nsome words\n/end\n";
    let out = run_with_input(
        &["practice", "--questions", "3", "--seed", "3", "--json"],
        input,
    );
    assert!(out.status.success());
    let transcript = String::from_utf8_lossy(&out.stderr);
    assert!(transcript.contains("Hint: Think about"), "{transcript}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outcome"], "ended");
    assert_eq!(report["results"][0]["skipped"], true);
    assert_eq!(report["reached"], 2);
}

#[test]
fn end_of_input_ends_the_interview_with_a_report() {
    let out = run_with_input(&["practice", "--questions", "5", "--seed", "2"], "");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Interview report (ended early, 1 of 5 questions)"),
        "{text}"
    );
}

#[test]
fn an_unknown_track_fails_with_the_list_of_tracks() {
    let out = run_with_input(&["practice", "--track", "cooking"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown track \"cooking\"; tracks: "), "{err}");
    assert!(err.contains("databases"), "{err}");
}

#[test]
fn score_grades_a_model_answer_high_and_nonsense_low() {
    let list = Command::new(env!("CARGO_BIN_EXE_mockingbird"))
        .args(["questions", "list", "--json"])
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    let id = rows[0]["id"].as_str().unwrap();
    let bank = mockingbird::bank::Bank::bundled().unwrap();
    let model = &bank.get(id).unwrap().model_answer;
    let good = run_with_input(&["score", "--question", id, "--json"], model);
    let good: serde_json::Value = serde_json::from_slice(&good.stdout).unwrap();
    let overall = good["scores"]["overall"].as_f64().unwrap();
    assert!(overall >= 7.0, "the model answer scores {overall}");
    let empty = run_with_input(&["score", "--question", id, "--json"], "");
    let empty: serde_json::Value = serde_json::from_slice(&empty.stdout).unwrap();
    assert_eq!(empty["scores"]["overall"], 0.0);
    let nonsense = run_with_input(
        &["score", "--question", id, "--json"],
        "Bananas are yellow and I like them a lot.",
    );
    let nonsense: serde_json::Value = serde_json::from_slice(&nonsense.stdout).unwrap();
    assert!(nonsense["scores"]["overall"].as_f64().unwrap() < 2.0);
    assert_eq!(nonsense["scorer"], "offline");
}

#[test]
fn score_rejects_an_unknown_question_and_follow_up() {
    let out = run_with_input(&["score", "--question", "no-such-question"], "x");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no question with id \"no-such-question\"")
    );
    let out = run_with_input(&["score", "--question", "what-is-an-index#9"], "x");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has 2 follow-up(s), not 9"));
}

#[test]
fn chart_saves_a_png_of_the_interview() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scores.png");
    let input = WEAK_ANSWER.repeat(6);
    let out = run_with_input(
        &[
            "practice",
            "-n",
            "2",
            "--seed",
            "1",
            "--chart",
            path.to_str().unwrap(),
        ],
        &input,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&path).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // Ending before any answer leaves nothing to chart, and says so instead of failing.
    let empty = dir.path().join("none.png");
    let out = run_with_input(&["practice", "--chart", empty.to_str().unwrap()], "");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no chart"));
    assert!(!empty.exists());
}

#[test]
fn without_a_difficulty_practice_starts_at_mid_and_weak_answers_bring_the_level_down() {
    let input = WEAK_ANSWER.repeat(12);
    let out = run_with_input(
        &["practice", "--questions", "3", "--seed", "4", "--json"],
        &input,
    );
    assert!(out.status.success());
    let transcript = String::from_utf8_lossy(&out.stderr);
    assert!(transcript.contains("starting at mid level"), "{transcript}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let levels: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["turn"]["kind"] == "main")
        .map(|r| r["difficulty"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(levels, ["mid", "junior", "junior"], "{report}");

    // With a difficulty, every question is at that level.
    let fixed = run_with_input(
        &[
            "practice",
            "--questions",
            "2",
            "--difficulty",
            "senior",
            "--seed",
            "4",
        ],
        &input,
    );
    let text = String::from_utf8_lossy(&fixed.stdout);
    assert_eq!(text.matches("(senior)").count(), 4, "{text}");
    assert!(!text.contains("starting at"), "{text}");
}

#[test]
fn a_styled_practice_speaks_in_its_voice_asks_its_levels_and_compares_with_its_bar() {
    let input = WEAK_ANSWER.repeat(12);
    let args = [
        "practice",
        "--style",
        "phone-screen",
        "-n",
        "2",
        "--seed",
        "4",
    ];
    let out = run_with_input(&args, &input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Interviewer: Technical phone screen"),
        "{text}"
    );
    assert!(text.contains("(time box: 2 minutes)"), "{text}");
    // A screen asks no follow-ups, and says what it thinks of a weak answer in its own words.
    assert!(!text.contains("Follow-up"), "{text}");
    assert!(text.contains("That one did not land. Moving on."), "{text}");
    assert!(
        text.contains("Against the Technical phone screen bar"),
        "{text}"
    );
    assert!(text.contains("✗ technical"), "{text}");

    // The staff panel asks senior questions only, and its report carries the verdict.
    let args = [
        "practice",
        "--style",
        "staff-panel",
        "-n",
        "2",
        "--seed",
        "4",
        "--json",
    ];
    let out = run_with_input(&args, &input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = report["results"].as_array().unwrap();
    assert!(results
        .iter()
        .all(|r| r["difficulty"] == "senior" && r["seconds"].is_number()));
    assert_eq!(report["style"]["name"], "Staff-level design panel");
    let bar: Vec<&str> = report["style"]["bar"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["dimension"].as_str())
        .collect();
    assert_eq!(bar, ["technical", "trade-offs", "communication"]);
}

#[test]
fn an_unknown_style_fails_with_the_list_and_a_folder_adds_styles() {
    let out = run_with_input(&["practice", "--style", "gentle"], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no style \"gentle\""), "{err}");
    assert!(
        err.contains("mentor") && err.contains("staff-panel"),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let mentor = std::fs::read_to_string("styles/mentor.toml").unwrap();
    let ours = mentor
        .replace("id = \"mentor\"", "id = \"our-lead\"")
        .replace("name = \"Warm mentor\"", "name = \"Our tech lead\"");
    std::fs::write(dir.path().join("our-lead.toml"), ours).unwrap();
    let styles = dir.path().to_str().unwrap();
    let out = run_with_input(&["--styles", styles, "styles"], "");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("our-lead") && listed.contains("mentor"),
        "{listed}"
    );
    let args = [
        "--styles", styles, "practice", "--style", "our-lead", "-n", "1",
    ];
    let out = run_with_input(&args, &WEAK_ANSWER.repeat(4));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Interviewer: Our tech lead"), "{text}");

    // A broken file names itself and the field.
    std::fs::write(dir.path().join("broken.toml"), "id = \"x\"\n").unwrap();
    let out = run_with_input(&["--styles", styles, "styles"], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.toml") && err.contains("missing field"),
        "{err}"
    );
}

/// One `practice --drill` run on `day` against the state file `state`; its transcript.
fn drill_on(state: &std::path::Path, day: &str, input: &str) -> String {
    let args = [
        "practice",
        "--drill",
        "--drill-state",
        state.to_str().unwrap(),
        "--today",
        day,
        "-n",
        "1",
        "--seed",
        "5",
    ];
    let out = run_with_input(&args, input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The id of the question a transcript asked first, by its topic.
fn asked_id(transcript: &str) -> String {
    let bank = mockingbird::bank::Bank::bundled().unwrap();
    let heading = transcript
        .lines()
        .find(|l| l.starts_with("Question 1 of 1 · "))
        .unwrap_or_else(|| panic!("a question: {transcript}"));
    let topic = heading
        .trim_start_matches("Question 1 of 1 · ")
        .rsplit_once(" (")
        .map_or(heading, |(topic, _)| topic);
    let found: Vec<&str> = bank
        .questions()
        .iter()
        .filter(|q| q.topic == topic && transcript.contains(&q.prompt))
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{topic}: {found:?}");
    found[0].to_owned()
}

#[test]
fn a_drill_asks_what_is_due_and_the_score_decides_when_it_comes_back() {
    let bank = mockingbird::bank::Bank::bundled().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("drill.json");

    // Day 1: nothing drilled yet, so a new question; answered weakly, it is due the next day.
    let first = drill_on(&state, "2026-03-01", WEAK_ANSWER);
    assert!(
        first.contains("nothing due today: new questions"),
        "{first}"
    );
    let id = asked_id(&first);
    let topic = &bank.get(&id).unwrap().topic;
    assert!(
        first.contains(&format!("{topic}: in 1 day (2026-03-02)")),
        "{first}"
    );

    // Day 2: that question is due and asked again; a strong answer brings it back in a day
    // (it starts over after a miss), the next strong one in six.
    let strong = format!(
        "{}\n.\n",
        bank.get(&id).unwrap().model_answer.replace('\n', " ")
    );
    let second = drill_on(&state, "2026-03-02", &strong);
    assert!(second.contains("drill (1 due today)"), "{second}");
    assert_eq!(asked_id(&second), id);
    assert!(
        second.contains(&format!("{topic}: in 1 day (2026-03-03)")),
        "{second}"
    );
    let third = drill_on(&state, "2026-03-03", &strong);
    assert_eq!(asked_id(&third), id);
    assert!(
        third.contains(&format!("{topic}: in 6 days (2026-03-09)")),
        "{third}"
    );

    // Day 4: nothing is due, so a question never drilled; skipped, it is no review, and
    // stays new.
    let fourth = drill_on(&state, "2026-03-04", "/skip\n");
    assert!(fourth.contains("nothing due today"), "{fourth}");
    let skipped = asked_id(&fourth);
    assert_ne!(skipped, id);
    let kept = std::fs::read_to_string(&state).unwrap();
    assert!(!kept.contains(&skipped), "{kept}");

    // A broken state file is named, and left as it was.
    std::fs::write(&state, "{ not json").unwrap();
    let args = [
        "practice",
        "--drill",
        "--drill-state",
        state.to_str().unwrap(),
    ];
    let out = run_with_input(&args, "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("drill.json") && err.contains("not valid"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "{ not json");
}

/// One design round's answers, stage by stage: questions that ask about some of the brief,
/// estimates with right and wrong figures, a design, two probes and a wrap-up.
const DESIGN_ROUND: &str = "\
Can users pick a custom alias? How many new links do we create a month, and how often are \
they opened? How long do we keep links?
.
100 million links a month is about 40 writes per second, and at 100 reads per write about \
4,000 redirects per second. Over ten years that is 12 billion links; at 500 bytes each, about \
600 GB of storage.
.
POST /links creates a link and returns its code; GET /{code} answers 302 with a Location \
header. A links table keyed by the short code holds the long URL, owner and expiry. Each app \
server leases a block of ids from a shared counter and encodes them in base-62, and redirects \
read Redis behind a CDN.
.
A server claims its range with an atomic increment on a counter row; a crash only leaves gaps.
.
I would use a 302 so that clicks keep arriving, with a short max-age, and delete the cached \
mapping when the link is edited.
.
A 302 costs traffic that a cached 301 would save, but keeps clicks countable. Next I would \
load-test the redirect path past the peak and watch p99 latency and the cache hit rate.
.
";

#[test]
fn a_design_round_answers_only_what_was_asked_and_checks_the_estimates() {
    let out = run_with_input(
        &[
            "practice",
            "--mode",
            "design",
            "--question",
            "url-shortener",
            "--scorer",
            "offline",
            "--json",
        ],
        DESIGN_ROUND,
    );
    let transcript = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{transcript}");
    for stage in ["Clarify", "Estimate", "High-level design", "Wrap-up"] {
        assert!(transcript.contains(stage), "no {stage} stage: {transcript}");
    }
    // The interviewer answers the questions asked (volume, retention) from the sheet…
    assert!(
        transcript.contains("100 million new short links a month"),
        "{transcript}"
    );
    assert!(transcript.contains("kept for 10 years"), "{transcript}");
    // …and volunteers nothing that was not asked, such as the latency target or abuse.
    let reply_end = transcript
        .find("Estimate the load")
        .expect("the estimate stage");
    let reply = &transcript[..reply_end];
    assert!(!reply.contains("50 ms"), "{reply}");
    assert!(!reply.contains("phishers"), "{reply}");

    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outcome"], "completed");
    let stages = report["stages"].as_array().expect("a stage report");
    let names: Vec<&str> = stages
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["clarify", "estimate", "design", "deep_dive", "wrap_up"]
    );
    assert!(stages.iter().all(|s| s["score"].is_number()), "{stages:?}");
    // The estimate reached 40 writes/s and 12 billion links but got storage wrong by 10×.
    let estimate = &stages[1];
    let said = |list: &str, needle: &str| {
        estimate[list]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().contains(needle))
    };
    assert!(
        said("covered", "link creations per second ≈ 40"),
        "{estimate}"
    );
    assert!(said("covered", "12 billion"), "{estimate}");
    assert!(
        said("strong", "storage over ten years ≈ 6 TB"),
        "{estimate}"
    );
    // The clarify stage's report says what a strong candidate also asked, now revealed.
    let clarify = &stages[0];
    assert!(
        clarify["strong"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().starts_with("Latency: ")),
        "{clarify}"
    );
}

#[test]
fn a_design_round_needs_a_question_with_a_requirements_sheet() {
    let out = run_with_input(
        &[
            "practice",
            "--mode",
            "design",
            "--question",
            "what-is-an-index",
        ],
        "",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no requirements sheet"), "{err}");
    assert!(err.contains("url-shortener"), "{err}");
}
