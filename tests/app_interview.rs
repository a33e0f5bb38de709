//! The interview use cases without Discord in the loop: the steps a bot process would take,
//! run directly over a real database. For the paths that are hard to reach end to end — a
//! scoring job that fails for good — and that a member would still notice.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use common::bot::{scheduler_bot, Harness};
use mockingbird::app::interview::{self, Input, ThreadMessage};
use mockingbird::bank::Difficulty;
use mockingbird::bot::{session, worker};
use mockingbird::fake_discord::{ids, FakeConfig};
use mockingbird::interview::Journal;
use mockingbird::store::answers::{self, AnswerStatus};
use mockingbird::store::{guilds, interviews};

const THREAD: u64 = 777_000;

/// The kinds of the effects waiting in an interview's outbox, oldest first.
async fn outbox_kinds(h: &Harness, interview_id: i64) -> Vec<String> {
    sqlx::query_scalar::<_, String>(
        "SELECT effect ->> 'kind' FROM outbox WHERE interview_id = $1 ORDER BY effect_id",
    )
    .bind(interview_id)
    .fetch_all(&h.db.pool)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scoring_job_that_cannot_succeed_fails_at_once_and_the_interview_moves_on() {
    let h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    let bot = scheduler_bot(&h).await;
    let pool = &h.db.pool;
    guilds::upsert_member(pool, ids::GUILD, ids::ALICE, "alice")
        .await
        .unwrap();
    let plan: Vec<String> = bot
        .app
        .bank
        .questions()
        .iter()
        .filter(|q| q.track == "databases")
        .take(2)
        .map(|q| q.id.clone())
        .collect();
    let new = interviews::NewInterview {
        guild_id: ids::GUILD,
        user_id: ids::ALICE,
        channel_id: ids::GENERAL,
        thread_id: THREAD,
        track: "databases",
        difficulty: Difficulty::Mid,
        plan: &plan,
        private: false,
        adaptive: None,
        style: None,
        drill: false,
        design: None,
    };
    let id = interviews::start(pool, &new).await.unwrap();
    session::step(&bot, id, Input::Start).await.unwrap();
    let message = ThreadMessage {
        thread_id: THREAD,
        author_id: ids::ALICE,
        message_id: 900_001,
        body: "An index is a sorted copy of a column that points back at the rows.",
    };
    interview::file_message(&bot.app, &message).await.unwrap();
    session::step(&bot, id, Input::Submit).await.unwrap();

    // Its question is gone from the bank by the time a worker takes the job, and the job
    // carries no rubric of its own (queued by an older version, say).
    let answer = answers::for_interview(pool, id).await.unwrap()[0].answer_id;
    sqlx::query("UPDATE scoring_jobs SET rubric = NULL WHERE answer_id = $1")
        .bind(answer)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE answers SET question_id = 'retired-question' WHERE answer_id = $1")
        .bind(answer)
        .execute(pool)
        .await
        .unwrap();
    assert!(worker::work_once(&bot, "test-worker").await.unwrap());

    // One try, not five: the job and its answer are failed at once.
    let (status, attempts): (String, i32) =
        sqlx::query_as("SELECT status, attempts FROM scoring_jobs WHERE answer_id = $1")
            .bind(answer)
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    let stored = answers::get(pool, answer).await.unwrap().unwrap();
    assert_eq!(stored.status, AnswerStatus::Failed);

    // The candidate is told, and the interview asks its next question.
    let row = interviews::lock(pool, id).await.unwrap().unwrap();
    let journal = Journal::from_json(&row.state).unwrap();
    let awaiting = journal
        .clone()
        .awaiting
        .expect("a question is waiting for an answer");
    assert_eq!(awaiting.number, 2, "{journal:?}");
    let kinds = outbox_kinds(&h, id).await;
    let told = kinds.iter().position(|k| k == "unscored");
    let asked = kinds.iter().rposition(|k| k == "ask");
    assert!(
        matches!((told, asked), (Some(t), Some(a)) if t < a),
        "{kinds:?}"
    );

    // The sweep that hands outcomes over after a crash finds nothing left to hand over.
    let untold = interviews::untold_outcomes(pool, chrono::Utc::now())
        .await
        .unwrap();
    assert!(untold.is_empty(), "{untold:?}");

    // Handing the same failure in again changes nothing.
    let again = session::step(&bot, id, Input::ScoringFailed { answer_id: answer })
        .await
        .unwrap();
    assert!(!again.applied);
}
