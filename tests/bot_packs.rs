//! End to end: a server's own questions. An organiser imports a pack (checked as the bank is,
//! all or nothing) and exports it back; interviews and the question of the day ask the pack's
//! questions and score answers against the rubric as it was when the question was asked, even
//! when a pack question shares its id with a bundled one or changes mid-interview; members
//! suggest questions through a form that organisers approve, edit or reject.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use common::bot::{interview_id, scheduler_bot, start_command, Harness, WAIT};
use mockingbird::app::packs::{self, Imported};
use mockingbird::bot::Bot;
use mockingbird::fake_discord::{ids, RecordedMessage, SlashCommand};
use mockingbird::scoring::Rubric;
use mockingbird::store::{answers, interviews, qotd as posts, questions};

const PACK: &str = include_str!("fixtures/packs/our-stack.toml");

fn text(m: &RecordedMessage) -> String {
    let embeds: Vec<String> = m.embeds.iter().map(|e| e.to_string()).collect();
    format!("{}\n{}", m.content, embeds.join("\n"))
}

/// Imports `pack` into the test guild as `/questions import` does.
async fn import(bot: &Bot, name: &str, pack: &str) -> Imported {
    packs::import(&bot.app, ids::GUILD, name, pack)
        .await
        .expect("import")
        .unwrap_or_else(|problems| panic!("the pack is valid: {problems:#?}"))
}

/// The pack with the index question's first point reworded.
fn edited_pack() -> String {
    PACK.replace(
        "A composite index only helps queries that constrain its leftmost column.",
        "Rows are sorted by customer first, so one month is scattered over the index.",
    )
}

/// The rubric stored with the scoring job of the interview's main answer.
async fn main_rubric(h: &Harness, interview: i64) -> Rubric {
    let stored = answers::for_interview(&h.db.pool, interview).await.unwrap();
    let main = stored.first().expect("the main answer");
    let rubric: Option<sqlx::types::Json<Rubric>> =
        sqlx::query_scalar("SELECT rubric FROM scoring_jobs WHERE answer_id = $1")
            .bind(main.answer_id)
            .fetch_one(&h.db.pool)
            .await
            .unwrap();
    rubric.expect("the job carries its rubric").0
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pack_question_is_asked_and_scored_as_it_was_when_asked() {
    let h = Harness::start(None).await;
    let bot = scheduler_bot(&h).await;
    let imported = import(&bot, "our-stack.toml", PACK).await;
    assert_eq!(imported.added.len(), 2, "{imported:?}");
    assert_eq!(imported.overriding, ["what-is-an-index"]);
    // Only the pack's version of the bundled index question is left on the track.
    questions::hide(&h.db.pool, ids::GUILD, "feature-flag-rollout")
        .await
        .unwrap();

    let thread = h
        .member_starts(ids::ALICE, &start_command("our-stack", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    assert!(
        text(&question).contains("Our orders table has an index"),
        "the server's wording, not the bundled one: {}",
        text(&question)
    );
    let id = interview_id(&question);

    // The organiser rewords a point while Alice answers: her interview keeps the version it
    // started with.
    let changed = import(&bot, "our-stack.toml", &edited_pack()).await;
    assert_eq!(changed.changed, ["what-is-an-index"], "{changed:?}");
    h.discord
        .send_message(
            ids::ALICE,
            thread,
            "The index is ordered by customer_id before created_at, so the leading column is \
             the wrong one for a date filter and postgres scans everything. I'd add an index \
             on created_at, maybe BRIN since orders arrive in time order, and run EXPLAIN \
             ANALYZE to confirm the plan changed.",
        )
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    let feedback = text(&h.nth_titled(thread, "Feedback:", 1).await);
    assert!(
        feedback.contains("leftmost column"),
        "scored against the version asked: {feedback}"
    );
    assert!(
        !feedback.contains("B-tree) mapping column values"),
        "never the bundled question that shares its id: {feedback}"
    );
    let rubric = main_rubric(&h, id).await;
    assert!(
        rubric.prompt.contains("Our orders table"),
        "{}",
        rubric.prompt
    );

    // The next interview asks the edited version.
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:end:{id}"))
        .unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while interviews::active_for(&h.db.pool, ids::GUILD, ids::ALICE)
        .await
        .unwrap()
        .is_some()
    {
        assert!(tokio::time::Instant::now() < deadline, "the interview ends");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let next = h
        .member_starts(ids::ALICE, &start_command("our-stack", 1))
        .await;
    let asked = h.nth_titled(next, "Question 1 of 1", 1).await;
    let next_id = interview_id(&asked);
    let versions: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT unnest(plan_versions) FROM interviews WHERE interview_id = $1")
            .bind(next_id)
            .fetch_all(&h.db.pool)
            .await
            .unwrap();
    let stored = questions::find(&h.db.pool, ids::GUILD, "what-is-an-index")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(versions, [stored.content_hash], "the edited version");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_question_of_the_day_asks_and_scores_a_pack_question() {
    let h = Harness::start(None).await;
    let bot = scheduler_bot(&h).await;
    import(&bot, "our-stack.toml", PACK).await;
    questions::hide(&h.db.pool, ids::GUILD, "what-is-an-index")
        .await
        .unwrap();
    h.configure(|s| {
        s.qotd.channel_id = Some(ids::QOTD);
        s.qotd.track = Some("our-stack".into());
        s.quiet_period = Duration::from_secs(1);
    })
    .await;
    let now = h
        .command(ids::ORGANISER, SlashCommand::new("qotd now"))
        .await;
    assert!(now.content.contains("posted"), "{}", now.content);
    let thread = h
        .discord
        .wait_for_thread(WAIT, |t| t.parent_id == ids::QOTD)
        .await
        .unwrap()
        .id;
    let post = posts::by_thread(&h.db.pool, thread).await.unwrap().unwrap();
    assert_eq!(post.question_id, "feature-flag-rollout");
    h.discord
        .send_message(
            ids::ALICE,
            thread,
            "Deploy it switched off, then enable it for 1% of customers and ramp up while \
             watching conversion and shipping errors. If anything looks off, flip it back \
             off with no redeploy; at 100% remove the flag and the old path.",
        )
        .unwrap();
    let scored = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.content.contains("your answer is scored")
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    let feedback = text(&scored);
    assert!(feedback.contains("kill switch"), "{feedback}");
    let stored = posts::answers(&h.db.pool, post.qotd_post_id).await.unwrap();
    let overall = stored[0].overall.expect("scored");
    assert!(
        overall >= 5.0,
        "a plain-words good answer passes: {overall}"
    );
}
