use serde_json::{json, Value};

use super::*;
use crate::bank::Difficulty;
use crate::bot::render::limits::assert_valid_embed;
use crate::interview::StyleVerdict;
use crate::scoring::Scores;

fn to_json(message: &CreateMessage) -> Value {
    serde_json::to_value(message).unwrap()
}

fn custom_ids(message: &Value) -> Vec<String> {
    message["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["custom_id"].as_str().unwrap().to_owned())
        .collect()
}

fn prompt(turn: Turn) -> Prompt {
    Prompt {
        difficulty: None,
        number: 2,
        of: 3,
        turn,
        question_id: "what-is-an-index".into(),
        topic: "indexing".into(),
        text: "What is an index, and what does it cost?".into(),
        lead: None,
        time_box_secs: None,
    }
}

fn scores(overall: f32) -> Scores {
    Scores {
        technical: 7.0,
        tradeoffs: 5.5,
        communication: 8.0,
        overall,
    }
}

fn point(statement: &str) -> PointResult {
    PointResult {
        id: statement.to_lowercase(),
        statement: statement.into(),
        coverage: 0.0,
        evidence: None,
    }
}

fn assessment() -> Assessment {
    Assessment {
        scores: scores(6.5),
        covered: vec![point("Names the B-tree")],
        missed: vec![point("Explains the write cost")],
        feedback: vec![
            "Good start.".into(),
            "Say what an index costs on writes.".into(),
        ],
        scorer: ScorerKind::Offline,
        ..Assessment::default()
    }
}

fn field<'a>(embed: &'a Value, name: &str) -> Option<&'a Value> {
    embed["fields"]
        .as_array()?
        .iter()
        .find(|f| f["name"] == name)
        .map(|f| &f["value"])
}

#[test]
fn the_intro_states_the_rules_and_offers_hint_skip_and_end() {
    let message = intro(
        &Intro {
            track: "databases".into(),
            difficulty: Difficulty::Mid,
            adaptive: false,
            questions: 3,
            quiet_period_secs: 20,
            idle_timeout_secs: 1800,
            style: None,
            drill: false,
            design: None,
        },
        42,
    );
    let json = to_json(&message);
    let embed = &json["embeds"][0];
    assert_eq!(embed["title"], "Mock interview: databases");
    let rules = embed["description"].as_str().unwrap();
    assert!(rules.contains("3 main questions at mid level"), "{rules}");
    assert!(rules.contains("Answer in this thread"));
    assert!(rules.contains("several messages"));
    assert!(
        rules.contains("after 20 seconds with no new message"),
        "{rules}"
    );
    assert!(
        rules.contains("after 30 minutes with no activity"),
        "{rules}"
    );
    assert_eq!(custom_ids(&json), ["iv:hint:42", "iv:skip:42", "iv:end:42"]);
    assert_valid_embed(embed);
}

#[test]
fn with_no_quiet_period_the_intro_says_only_the_button_submits() {
    let message = intro(
        &Intro {
            track: "backend".into(),
            difficulty: Difficulty::Mid,
            adaptive: true,
            questions: 1,
            quiet_period_secs: 0,
            idle_timeout_secs: 600,
            style: None,
            drill: false,
            design: None,
        },
        7,
    );
    let rules = to_json(&message)["embeds"][0]["description"].to_string();
    assert!(rules.contains("only with the **Submit** button"), "{rules}");
    assert!(
        rules.contains("1 main question at mid level, with"),
        "{rules}"
    );
    assert!(!rules.contains("follow your answers"), "{rules}");
}

#[test]
fn an_adaptive_intro_says_where_it_starts_and_how_the_level_moves() {
    let message = intro(
        &Intro {
            track: "backend".into(),
            difficulty: Difficulty::Senior,
            adaptive: true,
            questions: 3,
            quiet_period_secs: 0,
            idle_timeout_secs: 600,
            style: None,
            drill: false,
            design: None,
        },
        7,
    );
    let rules = to_json(&message)["embeds"][0]["description"].to_string();
    assert!(
        rules.contains(
            "Questions start at senior level and follow your answers: a strong answer makes \
             the next one harder, a weak one easier."
        ),
        "{rules}"
    );
}

#[test]
fn a_main_question_is_numbered_and_has_all_four_buttons() {
    // The whole message as Discord receives it: title "Question 2 of 3", the topic in the
    // footer, and Submit (primary), Hint, Skip and End for interview 9.
    insta::assert_json_snapshot!(to_json(&question(&prompt(Turn::Main), 9)));
}

#[test]
fn follow_ups_name_the_question_they_follow() {
    for turn in [Turn::FollowUp { index: 0 }, Turn::Written] {
        let json = to_json(&question(&prompt(turn), 9));
        assert_eq!(json["embeds"][0]["title"], "Follow-up to question 2");
    }
}

#[test]
fn button_ids_read_back_as_the_button_and_interview() {
    for button in [
        InterviewButton::Submit,
        InterviewButton::Hint,
        InterviewButton::Skip,
        InterviewButton::End,
    ] {
        let id = button.custom_id(1234);
        assert_eq!(parse_interview_button(&id), Some((button, 1234)));
    }
    for other in [
        "iv:dance:1",
        "iv:hint:",
        "iv:hint:x",
        "lb:w:a:0:",
        "iv:hint:1:2",
        "",
    ] {
        assert_eq!(parse_interview_button(other), None, "{other}");
    }
}

#[test]
fn feedback_shows_scores_lists_and_the_scorer() {
    // Three dimension scores, the covered and missed points (empty lists left out), the
    // feedback as the description, the scorer in the footer, amber between 4 and 7.
    let embed = serde_json::to_value(feedback(&assessment(), false)).unwrap();
    insta::assert_json_snapshot!(embed);
}

#[test]
fn feedback_names_the_llm_model_the_hint_and_the_notes() {
    let mut a = assessment();
    a.scorer = ScorerKind::Llm;
    a.model = Some("gpt-4o-mini".into());
    a.notes = vec!["The LLM was slow; scored again later.".into()];
    a.scores = scores(8.0);
    let embed = serde_json::to_value(feedback(&a, true)).unwrap();
    assert_eq!(
        embed["footer"]["text"],
        "Scored by LLM gpt-4o-mini · hint used"
    );
    assert_eq!(
        field(&embed, "Notes"),
        Some(&json!("• The LLM was slow; scored again later."))
    );
    assert_eq!(embed["color"], 0x43A047);
}

#[test]
fn a_flagged_answer_says_its_score_was_capped_and_why() {
    let mut a = assessment();
    a.flagged = true;
    a.scores = scores(1.0);
    a.notes = vec!["The answer is a list of terms.".into()];
    let embed = serde_json::to_value(feedback(&a, false)).unwrap();
    let notes = field(&embed, "Notes").unwrap().as_str().unwrap();
    assert!(notes.contains("Score capped"), "{notes}");
    assert!(notes.contains("list of terms"), "{notes}");
    assert_eq!(embed["color"], 0xE53935);
}

#[test]
fn covered_points_quote_the_candidates_own_words() {
    let mut a = assessment();
    a.covered = vec![PointResult {
        evidence: Some("writes get slower because every index is updated".into()),
        ..point("Indexes slow down writes.")
    }];
    let embed = serde_json::to_value(feedback(&a, false)).unwrap();
    let covered = field(&embed, "Covered").unwrap().as_str().unwrap();
    assert_eq!(
        covered,
        "• Indexes slow down writes. — you said: “writes get slower because every index is updated”"
    );
}

#[test]
fn feedback_with_forty_long_missed_points_is_still_a_valid_embed() {
    let mut a = assessment();
    a.missed = (0..40)
        .map(|i| point(&format!("Missed point {i}: {}", "ü".repeat(300))))
        .collect();
    a.partial = a.missed.clone();
    a.pitfalls = (0..40)
        .map(|i| format!("Pitfall {i} {}", "x".repeat(200)))
        .collect();
    a.feedback = (0..40)
        .map(|_| "A sentence of feedback. ".repeat(10))
        .collect();
    a.notes = vec!["n".repeat(3000)];
    let embed = serde_json::to_value(feedback(&a, true)).unwrap();
    assert_valid_embed(&embed);
    let missed = field(&embed, "Missed").unwrap().as_str().unwrap();
    assert!(missed.contains("more"), "{missed}");
}

#[test]
fn a_hint_is_its_own_message() {
    let json = to_json(&hint("Think about what happens on every insert."));
    assert_eq!(json["embeds"][0]["title"], "Hint");
    assert_eq!(
        json["embeds"][0]["description"],
        "Think about what happens on every insert."
    );
}

fn result(turn: Turn, overall: Option<f32>, skipped: bool, hinted: bool) -> QuestionResult {
    QuestionResult {
        question_id: "q".into(),
        topic: "indexing".into(),
        difficulty: Some(crate::bank::Difficulty::Mid),
        turn,
        prompt: "?".into(),
        scores: overall.map(scores),
        scorer: overall.map(|_| ScorerKind::Offline),
        hinted,
        skipped,
        seconds: None,
    }
}

fn a_report(outcome: Ending) -> Report {
    Report {
        outcome,
        planned: 3,
        reached: 2,
        results: vec![
            result(Turn::Main, Some(7.5), false, false),
            result(Turn::FollowUp { index: 0 }, Some(5.0), false, true),
            result(Turn::Main, None, true, false),
        ],
        profile: scores(6.2),
        strengths: vec!["indexing".into()],
        gaps: vec![],
        study_next: vec!["write amplification".into()],
        style: None,
        next_reviews: vec![],
        stages: vec![],
        spoken: None,
    }
}

#[test]
fn the_report_lists_each_question_and_the_profile() {
    // How it ended, each question and follow-up with its score (a skip and a hint said so),
    // the profile, strengths and what to study; no chart, so no image and no attachment.
    insta::assert_json_snapshot!(to_json(&report(&a_report(Ending::Ended), None)));
}

#[test]
fn the_report_names_every_outcome() {
    let text = |o| to_json(&report(&a_report(o), None))["embeds"][0]["description"].to_string();
    assert!(text(Ending::Completed).contains("**Completed**: all 3 questions asked."));
    assert!(text(Ending::Abandoned).contains("**Abandoned**"));
}

#[test]
fn the_report_shows_its_chart_as_the_embed_image() {
    let json = to_json(&report(&a_report(Ending::Completed), Some(vec![1, 2, 3])));
    assert_eq!(json["embeds"][0]["image"]["url"], "attachment://report.png");
    assert_eq!(json["attachments"][0]["filename"], "report.png");
}

#[test]
fn the_report_shows_peer_scores_beside_the_answers_that_have_them() {
    let peers = vec![Some("peers +3 (2)".to_owned()), None];
    let json = to_json(&report_with_peers(&a_report(Ending::Ended), None, &peers));
    let text = json["embeds"][0]["description"].as_str().unwrap();
    assert!(
        text.contains("**Q1** indexing (mid): **7.5** · peers +3 (2)"),
        "{text}"
    );
    assert!(
        text.contains("↳ follow-up: **5.0** (hint used)\n"),
        "{text}"
    );
}

#[test]
fn feedback_shows_the_peer_review_once_there_is_one() {
    let a = Assessment {
        scores: scores(7.0),
        scorer: ScorerKind::Offline,
        ..Assessment::default()
    };
    let json = |e| serde_json::to_value(e).unwrap();
    let with = json(feedback_with_peers(&a, false, Some("peers +1 (1)")));
    assert_eq!(field(&with, "Peer review"), Some(&json!("peers +1 (1)")));
    assert_eq!(field(&json(feedback(&a, false)), "Peer review"), None);
}

#[test]
fn a_styled_follow_up_opens_with_the_interviewers_words_and_shows_the_time_box() {
    let mut p = prompt(Turn::FollowUp { index: 0 });
    p.lead = Some("You said: \"indexes are free\". Defend that.".into());
    p.time_box_secs = Some(300);
    let json = to_json(&question(&p, 9));
    let embed = &json["embeds"][0];
    assert_eq!(
        embed["description"],
        "*You said: \"indexes are free\". Defend that.*\n\nWhat is an index, and what does it cost?"
    );
    let footer = embed["footer"]["text"].as_str().unwrap();
    assert!(footer.ends_with("· time box 5 minutes"), "{footer}");
}

#[test]
fn a_styled_report_weighs_the_profile_against_the_bar_and_the_clock() {
    let mut r = a_report(Ending::Completed);
    r.results[0].seconds = Some(420);
    r.results[1].seconds = Some(95);
    r.style = Some(StyleVerdict {
        name: "Bar-raiser".into(),
        bar: vec![
            crate::interview::BarLine {
                dimension: "technical".into(),
                score: 7.0,
                bar: 7.5,
            },
            crate::interview::BarLine {
                dimension: "communication".into(),
                score: 7.0,
                bar: 6.0,
            },
        ],
        closing: "That is the end of the loop.".into(),
        time_box_secs: Some(300),
    });
    let json = to_json(&report(&r, None));
    let embed = &json["embeds"][0];
    let verdict = field(embed, "Against the Bar-raiser bar")
        .and_then(Value::as_str)
        .expect("the verdict field");
    assert!(verdict.contains("❌ technical: 7.0 (bar 7.5)"), "{verdict}");
    assert!(
        verdict.contains("✅ communication: 7.0 (bar 6.0)"),
        "{verdict}"
    );
    assert!(
        verdict.contains("⏱ 1 answer(s) over the 5 minutes time box"),
        "{verdict}"
    );
    assert!(
        verdict.ends_with("That is the end of the loop."),
        "{verdict}"
    );
    let lines = embed["description"].as_str().unwrap();
    assert!(
        lines.contains("7 minutes, over the 5 minutes time box"),
        "{lines}"
    );
    assert!(lines.contains("1 minute 35 seconds"), "{lines}");
    assert_valid_embed(embed);
}
