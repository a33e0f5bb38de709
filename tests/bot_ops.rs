//! Operating the bot: `/healthz` and `/metrics` say what it is doing, and SIGTERM stops it
//! without losing an answer that is being scored. The real bot process against the fake
//! Discord, PostgreSQL and the fake LLM.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use common::bot::{interview_id, start_command, Harness, WAIT};
use common::fixtures;
use mockingbird::fake_discord::ids;
use mockingbird::scoring::llm::fake::Reply;
use mockingbird::store::answers::{self, AnswerStatus};
use mockingbird::store::jobs::JobStatus;

async fn get(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.expect("the endpoint answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// Alice starts a one-question interview, answers and submits; returns (thread, interview).
async fn answer_one(h: &Harness) -> (u64, i64) {
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);
    h.discord
        .send_message(
            ids::ALICE,
            thread,
            "Indexes trade write cost for faster reads.",
        )
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    (thread, id)
}

#[tokio::test(flavor = "multi_thread")]
async fn health_and_metrics_report_what_the_bot_does() {
    let h = Harness::start(None).await;
    let base = format!("http://{}", h.http_addr().await);
    let deadline = tokio::time::Instant::now() + WAIT;
    let health = loop {
        let (status, body) = get(&format!("{base}/healthz")).await;
        if status == 200 {
            break body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never healthy: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let health: serde_json::Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"], true);
    assert_eq!(health["shards"][0]["stage"], "connected", "{health}");

    let (thread, _) = answer_one(&h).await;
    h.nth_titled(thread, "Feedback:", 1).await;
    let (status, metrics) = get(&format!("{base}/metrics")).await;
    assert_eq!(status, 200);
    for line in [
        "mockingbird_interviews_started_total 1",
        "mockingbird_answers_scored_total{scorer=\"offline\"} 1",
        "mockingbird_scoring_seconds_count 1",
        "mockingbird_scoring_queue_depth 0",
    ] {
        assert!(metrics.contains(line), "missing {line:?} in:\n{metrics}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_mid_scoring_finishes_the_answer_in_hand() {
    let mut h = Harness::start(Some(Reply::Grade {
        scores: [6, 6, 6],
        covered: 1,
    }))
    .await;
    h.llm.as_ref().unwrap().set_delay(Duration::from_secs(3));
    let (thread, id) = answer_one(&h).await;
    let waited = tokio::time::Instant::now() + WAIT;
    while h.llm.as_ref().unwrap().requests().is_empty() {
        assert!(
            tokio::time::Instant::now() < waited,
            "the answer never reached the LLM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // SIGTERM while the LLM is still thinking.
    let exit = tokio::task::spawn_blocking(move || {
        let status = h.terminate();
        (h, status)
    });
    let (h, status) = exit.await.unwrap();
    assert!(
        status.is_some_and(|s| s.success()),
        "a clean exit: {status:?}\n{}",
        h.log()
    );
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    assert_eq!(
        stored[0].status,
        AnswerStatus::Scored,
        "the answer in hand was scored"
    );
    let job = fixtures::job_of(&h.db.pool, stored[0].answer_id).await;
    assert_eq!((job.status, job.attempts), (JobStatus::Done, 1));
    let feedback = h
        .messages_in(thread)
        .iter()
        .filter(|m| m.embed_titles().iter().any(|t| t.starts_with("Feedback:")))
        .count();
    assert_eq!(
        feedback, 1,
        "and its feedback posted before the bot stopped"
    );
    assert!(h.log().contains("stopped"), "{}", h.log());
}

#[tokio::test(flavor = "multi_thread")]
async fn json_logs_carry_guild_and_interview_ids_and_no_secrets() {
    let llm = Reply::Grade {
        scores: [6, 6, 6],
        covered: 1,
    };
    let mut h = Harness::start_with(Some(llm), &[("LOG_FORMAT", "json")]).await;
    let (thread, id) = answer_one(&h).await;
    h.nth_titled(thread, "Feedback:", 1).await;
    let h = tokio::task::spawn_blocking(move || {
        h.terminate();
        h
    })
    .await
    .unwrap();
    let log = h.log();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let started = lines
        .iter()
        .find(|l| l["fields"]["message"] == "interview started")
        .unwrap_or_else(|| panic!("no start line in:\n{log}"));
    assert_eq!(started["fields"]["interview_id"], id);
    assert_eq!(started["fields"]["guild_id"], ids::GUILD);
    assert!(!log.contains("fake-discord-token-0123"), "{log}");
    assert!(!log.contains("sk-fake-llm-key-4567"), "{log}");
}
