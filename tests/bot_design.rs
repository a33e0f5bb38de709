//! End to end: a system-design round in Discord. The interviewer answers only what the clarify
//! stage asked, from the question's hidden requirements sheet; the estimate stage's numbers are
//! checked against the sheet's figures; the deep dive asks the bank's probes; the report shows
//! the five stages side by side. The round survives a restart, and with an LLM configured the
//! LLM decides what was asked without ever seeing the sheet's answers.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use common::bot::{interview_id, Harness};
use mockingbird::bank::{Bank, Question};
use mockingbird::fake_discord::{ids, RecordedMessage, SlashCommand};
use mockingbird::interview::design::Stage;
use mockingbird::interview::Turn;
use mockingbird::scoring::estimates::display;
use mockingbird::scoring::llm::fake::Reply;
use mockingbird::store::answers;
use mockingbird::store::interviews::{self, InterviewStatus};

fn design_command() -> SlashCommand {
    SlashCommand::new("interview start")
        .option("track", "system-design")
        // poise registers a choice parameter's choices as integers: 1 is "design".
        .option("mode", 1)
}

/// The design question the round in `thread` asks.
async fn round_question(h: &Harness, thread: u64) -> std::sync::Arc<Question> {
    let row = interviews::by_thread(&h.db.pool, thread)
        .await
        .unwrap()
        .expect("the round is stored");
    assert_eq!(row.plan.len(), 1, "one question: {:?}", row.plan);
    let bank = Bank::bundled().unwrap();
    bank.get(&row.plan[0]).expect("a bundled question").clone()
}

fn description(m: &RecordedMessage) -> &str {
    m.embeds[0]["description"].as_str().unwrap_or_default()
}

fn title(m: &RecordedMessage) -> String {
    m.embed_titles()
        .first()
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_design_round_answers_what_was_asked_checks_estimates_and_reports_each_stage() {
    let mut h = Harness::start(None).await;
    // A design round is one question: asking for three is refused, not silently ignored.
    let refused = h
        .command(ids::ALICE, design_command().option("questions", 3))
        .await;
    assert!(
        refused.content.contains("`questions` does not apply"),
        "{}",
        refused.content
    );
    let thread = h.member_starts(ids::ALICE, &design_command()).await;
    let intro = h
        .nth_titled(thread, "System-design round: system-design", 1)
        .await;
    let welcome = description(&intro);
    assert!(
        welcome.contains("five stages: Clarify (5 minutes) → Estimate (5 minutes)"),
        "{welcome}"
    );
    let q = round_question(&h, thread).await;
    let clarify = h.nth_titled(thread, "Stage 1 of 5 · Clarify", 1).await;
    assert!(description(&clarify).starts_with(q.prompt.trim()));
    let footer = clarify.embeds[0]["footer"]["text"].as_str().unwrap();
    assert!(footer.ends_with("time box 5 minutes"), "{footer}");

    // Alice asks about the first two entries of the sheet by name, and nothing else.
    let (asked, unasked) = q.requirements.split_at(2);
    let questions = format!(
        "What about {}? And what about {}?",
        asked[0].topic.to_lowercase(),
        asked[1].topic.to_lowercase()
    );
    let estimate = h.answer(ids::ALICE, thread, &clarify, &questions).await;
    assert_eq!(title(&estimate), "Stage 2 of 5 · Estimate");
    let reply = description(&estimate);
    for entry in asked {
        assert!(
            reply.contains(entry.answer.trim()),
            "{} not answered: {reply}",
            entry.topic
        );
    }
    for entry in unasked {
        assert!(
            !reply.contains(entry.answer.trim()),
            "{} volunteered: {reply}",
            entry.topic
        );
    }

    // She reaches the first figure and misses the rest by a factor of ten or more. The checker
    // credits a figure said anywhere in the answer, so a miss must not land near another
    // figure of the brief (in one question, upload bandwidth × 10 is the download's).
    let values: Vec<f64> = q.estimates.iter().map(|e| e.value).collect();
    let figures: Vec<String> = q
        .estimates
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let value = if i == 0 {
                e.value
            } else {
                missed(e.value, &values)
            };
            format!("{} is about {}.", e.quantity, display(value, e.unit))
        })
        .collect();
    let design = h
        .answer(ids::ALICE, thread, &estimate, &figures.join(" "))
        .await;
    assert_eq!(title(&design), "Stage 3 of 5 · High-level design");
    let id = interview_id(&design);
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    let estimated = stored
        .iter()
        .find(|a| {
            a.turn
                == Turn::Stage {
                    stage: Stage::Estimate,
                }
        })
        .and_then(|a| a.assessment())
        .expect("the estimate is stored and scored");
    let reached: Vec<&str> = estimated
        .covered
        .iter()
        .filter(|p| p.id.starts_with("figure-"))
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(reached, ["figure-1"], "{estimated:#?}");
    assert!(
        estimated.feedback[0].starts_with(&format!(
            "Your numbers against the brief: 1 of {}",
            q.estimates.len()
        )),
        "{:?}",
        estimated.feedback
    );

    // A restart in the middle of the round loses nothing.
    h.kill();
    h.spawn().await;

    let mut next = h.answer(ids::ALICE, thread, &design, &q.model_answer).await;
    let mut probes = 0;
    while title(&next).starts_with("Follow-up") {
        assert!(
            description(&next).contains("Deep dive"),
            "{}",
            description(&next)
        );
        probes += 1;
        next = h
            .answer(
                ids::ALICE,
                thread,
                &next,
                "I would measure it first and then decide.",
            )
            .await;
    }
    assert_eq!(probes, 2.min(q.follow_ups.len()));
    assert_eq!(title(&next), "Stage 5 of 5 · Wrap-up");
    let report = h
        .answer(
            ids::ALICE,
            thread,
            &next,
            "The design trades memory for latency; next I would load-test it and watch p99.",
        )
        .await;
    assert_eq!(title(&report), "Interview report");
    h.wait_for_status(thread, InterviewStatus::Completed).await;
    let embed = &report.embeds[0];
    assert!(
        description(&report).contains("all 5 stages of the design round"),
        "{embed}"
    );
    let fields = embed["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().filter_map(|f| f["name"].as_str()).collect();
    for (n, stage) in [
        "Clarify",
        "Estimate",
        "High-level design",
        "Deep dive",
        "Wrap-up",
    ]
    .iter()
    .enumerate()
    {
        let prefix = format!("{}. {stage}: ", n + 1);
        assert!(
            names
                .iter()
                .any(|name| name.starts_with(&prefix) && name.ends_with("/10")),
            "{prefix} in {names:?}"
        );
    }
    // Now that the round is over, the report says what the sheet held that she did not ask.
    let clarify_field = fields
        .iter()
        .find(|f| f["name"].as_str().unwrap().starts_with("1. Clarify"))
        .unwrap();
    let value = clarify_field["value"].as_str().unwrap();
    assert!(value.contains("Not asked"), "{value}");
    assert!(value.contains(&unasked[0].topic), "{value}");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_an_llm_the_grader_decides_what_was_asked_without_seeing_the_sheet() {
    // The grader says the first two entries were asked about.
    let h = Harness::start(Some(Reply::Grade {
        scores: [7, 6, 8],
        covered: 2,
    }))
    .await;
    let thread = h.member_starts(ids::ALICE, &design_command()).await;
    let q = round_question(&h, thread).await;
    let clarify = h.nth_titled(thread, "Stage 1 of 5 · Clarify", 1).await;
    let estimate = h
        .answer(
            ids::ALICE,
            thread,
            &clarify,
            "Who uses it, and how much do they use it?",
        )
        .await;
    let reply = description(&estimate);
    assert!(reply.contains(q.requirements[0].answer.trim()), "{reply}");
    assert!(reply.contains(q.requirements[1].answer.trim()), "{reply}");
    assert!(!reply.contains(q.requirements[2].answer.trim()), "{reply}");

    let requests = h.llm.as_ref().unwrap().requests();
    let user = requests[0].body["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("STAGE: clarify"), "{user}");
    assert!(user.contains(&format!("ask-1: Asks about: {}", q.requirements[0].topic)));
    for entry in &q.requirements {
        assert!(
            !user.contains(entry.answer.trim()),
            "the grader saw the sheet's answer on {}",
            entry.topic
        );
    }
}

/// `value` off by a factor of ten or more, and not within a factor of 2 of any of `brief`.
fn missed(value: f64, brief: &[f64]) -> f64 {
    [10.0, 0.1, 30.0, 0.03, 100.0, 0.01]
        .into_iter()
        .map(|factor| value * factor)
        .find(|guess| brief.iter().all(|b| *guess > b * 2.0 || *guess < b / 2.0))
        .unwrap_or(value * 1000.0)
}
