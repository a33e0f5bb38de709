//! End to end: peer review by reactions. Members react to Alice's answer in her interview
//! thread; the reviews are stored, replaced and removed as the reactions come and go, the
//! reactions that must not count do not, and the reviews show on the reviewers' board and in
//! Alice's `/history`. Then organisers change the scale with `/reviews`. The real bot process,
//! the fake Discord and a real PostgreSQL database; the offline scorer scores.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use chrono::Utc;
use common::bot::{interview_id, start_command, Harness, WAIT};
use common::fixtures;
use common::pg::TestDb;
use mockingbird::fake_discord::{ids, OptionValue, RecordedMessage, SlashCommand};
use mockingbird::interview::Turn;
use mockingbird::interview::ANSWER_LIMIT;
use mockingbird::store::answers;
use mockingbird::store::reviews::{self, ReviewSummary};

/// Alice's answered question: the bot's question, her answer's message and the answer's id.
struct Answered {
    question: RecordedMessage,
    message: u64,
    answer_id: i64,
}

/// Alice starts a one-question interview and submits the model answer; returns once it is
/// scored, so `/history` has a score to show beside the peer score.
async fn alice_answers(h: &Harness) -> Answered {
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);
    let (a, b) = h.model_answer_halves(id).await;
    let message = h
        .discord
        .send_message(ids::ALICE, thread, &format!("{a} {b}"))
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    h.nth_titled(thread, "Feedback:", 1).await;
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    let answer_id = stored
        .iter()
        .find(|a| a.message_ids.contains(&message))
        .map(|a| a.answer_id)
        .unwrap_or_else(|| panic!("the answer holding message {message}: {stored:#?}"));
    Answered {
        question,
        message,
        answer_id,
    }
}

/// Waits until the answer's reviews add up to `count` reviews worth `total`.
async fn wait_for_reviews(h: &Harness, answer_id: i64, count: i64, total: i64) {
    let wanted = ReviewSummary { count, total };
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = reviews::summary(&h.db.pool, answer_id).await.unwrap();
        if now == wanted {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "reviews stayed {now:?}, never {wanted:?}\n{}",
            h.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the bot has logged `n` reactions handled as `handled` (a `Handled` variant):
/// how a test sees that a reaction which must change nothing was received and passed over.
async fn wait_for_handled(h: &Harness, handled: &str, n: usize) {
    let needle = format!("handled={handled}");
    let deadline = tokio::time::Instant::now() + WAIT;
    while h.log().matches(&needle).count() < n {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never {n} reaction(s) {needle}\n{}",
            h.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn text(message: &RecordedMessage) -> String {
    let embeds = message.embeds.iter().map(|e| e.to_string());
    std::iter::once(message.content.clone())
        .chain(embeds)
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn reactions_review_answers_and_show_on_the_board_and_in_history() {
    let h = Harness::start(None).await;
    let answered = alice_answers(&h).await;
    let (message, answer) = (answered.message, answered.answer_id);

    // Bob's 👍 is a review worth +1; his ⭐ replaces it (+2).
    h.discord.react(ids::BOB, message, "👍").unwrap();
    wait_for_reviews(&h, answer, 1, 1).await;
    h.discord.react(ids::BOB, message, "⭐").unwrap();
    wait_for_reviews(&h, answer, 1, 2).await;
    // Taking back the replaced 👍 changes nothing; taking back the ⭐ removes the review.
    h.discord.unreact(ids::BOB, message, "👍").unwrap();
    wait_for_handled(&h, "NotCurrent", 1).await;
    assert_eq!(
        reviews::summary(&h.db.pool, answer).await.unwrap(),
        ReviewSummary { count: 1, total: 2 }
    );
    h.discord.unreact(ids::BOB, message, "⭐").unwrap();
    wait_for_reviews(&h, answer, 0, 0).await;

    // Reactions that must not count: Alice on her own answer, Carol on the bot's question,
    // Bob with an emoji that is not on the scale.
    h.discord.react(ids::ALICE, message, "⭐").unwrap();
    wait_for_handled(&h, "OwnAnswer", 1).await;
    h.discord
        .react(ids::CAROL, answered.question.id, "👍")
        .unwrap();
    wait_for_handled(&h, "NotAnAnswer", 1).await;
    h.discord.react(ids::BOB, message, "🔥").unwrap();
    wait_for_handled(&h, "NotOnScale", 1).await;
    assert_eq!(
        reviews::summary(&h.db.pool, answer).await.unwrap(),
        ReviewSummary::default()
    );

    // A thumb of any skin tone is a thumb; Carol's star adds to it.
    h.discord.react(ids::BOB, message, "👍🏽").unwrap();
    wait_for_reviews(&h, answer, 1, 1).await;
    h.discord.react(ids::CAROL, message, "⭐\u{fe0f}").unwrap();
    wait_for_reviews(&h, answer, 2, 3).await;
    // The feedback Alice got now shows what her peers think.
    h.discord
        .wait_for_message(WAIT, |m| {
            m.embed_titles().iter().any(|t| t.starts_with("Feedback:"))
                && m.embeds[0].to_string().contains("peers +3 (2)")
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));

    // Reviews given: Bob and Carol are on the board, Alice (who reviewed nothing) is not.
    let board = h
        .command(
            ids::ALICE,
            SlashCommand::new("leaderboard").option("metric", OptionValue::Integer(4)),
        )
        .await;
    let shown = text(&board);
    assert!(shown.contains("bob") && shown.contains("carol"), "{shown}");
    let history = h.command(ids::ALICE, SlashCommand::new("history")).await;
    let shown = text(&history);
    assert!(shown.contains("peers +3 (2)"), "{shown}");
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn organisers_set_the_scale_and_members_can_only_read_it() {
    let h = Harness::start(None).await;
    let shown = text(&h.command(ids::BOB, SlashCommand::new("reviews show")).await);
    assert!(
        shown.contains("⭐ +2") && shown.contains("default"),
        "{shown}"
    );

    let refused = h
        .command(
            ids::BOB,
            SlashCommand::new("reviews set")
                .option("emoji", "🔥")
                .option("value", 3_i64),
        )
        .await;
    assert!(refused.is_ephemeral(), "{refused:?}");
    assert!(
        text(&refused).contains("needs the Manage Server permission"),
        "{}",
        text(&refused)
    );

    let set = |emoji: &str, value: i64| {
        SlashCommand::new("reviews set")
            .option("emoji", emoji)
            .option("value", value)
    };
    let out_of_range = h.command(ids::ORGANISER, set("🔥", 9)).await;
    assert!(out_of_range.is_ephemeral());
    assert!(
        text(&out_of_range).contains("9 is out of range"),
        "{}",
        text(&out_of_range)
    );
    let not_emoji = h.command(ids::ORGANISER, set("fire", 3)).await;
    assert!(
        text(&not_emoji).contains("`fire` is not an emoji"),
        "{}",
        text(&not_emoji)
    );
    let done = h.command(ids::ORGANISER, set("🔥", 3)).await;
    assert!(done.is_ephemeral());
    assert!(
        text(&done).contains("🔥 is now worth +3"),
        "{}",
        text(&done)
    );
    let removed = h
        .command(
            ids::ORGANISER,
            SlashCommand::new("reviews remove").option("emoji", "👎"),
        )
        .await;
    let shown = text(&removed);
    assert!(shown.contains("👎 no longer counts"), "{shown}");
    assert!(!shown.contains("👎 -1"), "{shown}");

    // The new scale applies to the next reaction.
    let answered = alice_answers(&h).await;
    h.discord.react(ids::BOB, answered.message, "🔥").unwrap();
    wait_for_reviews(&h, answered.answer_id, 1, 3).await;
    h.discord.react(ids::CAROL, answered.message, "👎").unwrap();
    wait_for_handled(&h, "NotOnScale", 1).await;

    let reset = h
        .command(ids::ORGANISER, SlashCommand::new("reviews reset"))
        .await;
    assert!(text(&reset).contains("default scale"), "{}", text(&reset));
    let shown = text(
        &h.command(ids::CAROL, SlashCommand::new("reviews show"))
            .await,
    );
    assert!(!shown.contains("🔥"), "{shown}");
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

#[tokio::test]
async fn a_message_leads_to_its_answer_only_in_its_own_guild() {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 10).await;
    let interview = fixtures::start_interview(&db.pool, 1, 10, "backend", 1).await;
    let answer = answers::add_interview_message(
        &db.pool,
        interview,
        "backend-0",
        Turn::Main,
        "first part",
        5001,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();
    answers::add_interview_message(
        &db.pool,
        interview,
        "backend-0",
        Turn::Main,
        "more",
        5002,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();

    let found = reviews::answer_for_message(&db.pool, 1, 5002)
        .await
        .unwrap()
        .expect("the second message is part of the answer");
    assert_eq!((found.answer_id, found.user_id), (answer, 10));
    assert_eq!(found.interview_id, Some(interview));
    assert_eq!(
        reviews::answer_for_message(&db.pool, 2, 5001)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        reviews::answer_for_message(&db.pool, 1, 5003)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn summaries_cover_a_page_of_answers_in_one_query() {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    for user in 1..=3 {
        fixtures::member(&db.pool, 1, user).await;
    }
    let interview = fixtures::start_interview(&db.pool, 1, 1, "backend", 1).await;
    let reviewed = fixtures::submitted_answer(&db.pool, interview, "backend-0", Utc::now()).await;
    let unreviewed = fixtures::submitted_answer(&db.pool, interview, "backend-1", Utc::now()).await;
    for (reviewer, value) in [(2, 2), (3, -1)] {
        reviews::record(&db.pool, reviewed, reviewer, value, "x", Utc::now())
            .await
            .unwrap();
    }

    let map = reviews::summaries(&db.pool, &[reviewed, unreviewed])
        .await
        .unwrap();
    assert_eq!(map.len(), 1, "{map:?}");
    assert_eq!(map[&reviewed], ReviewSummary { count: 2, total: 1 });
    assert!(reviews::summaries(&db.pool, &[]).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flood_of_reactions_costs_a_few_feedback_edits_and_ends_on_the_right_score() {
    let h = Harness::start(None).await;
    let answered = alice_answers(&h).await;
    let (message, answer) = (answered.message, answered.answer_id);
    let feedback = |h: &Harness| {
        h.discord
            .read(|w| {
                w.messages
                    .iter()
                    .find(|m| m.embed_titles().iter().any(|t| t.starts_with("Feedback:")))
                    .cloned()
            })
            .expect("the feedback message")
    };
    let edits_before = feedback(&h).edits;

    // Bob toggles his 👍 twenty times in a row, then Carol stars the answer.
    for _ in 0..10 {
        h.discord.react(ids::BOB, message, "👍").unwrap();
        h.discord.unreact(ids::BOB, message, "👍").unwrap();
    }
    h.discord.react(ids::BOB, message, "👍").unwrap();
    h.discord.react(ids::CAROL, message, "⭐").unwrap();
    wait_for_reviews(&h, answer, 2, 3).await;
    h.discord
        .wait_for_message(WAIT, |m| {
            m.embed_titles().iter().any(|t| t.starts_with("Feedback:"))
                && m.embeds[0].to_string().contains("peers +3 (2)")
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    // Let any edit still scheduled land before counting.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let edits = feedback(&h).edits - edits_before;
    assert!(
        (1..=4).contains(&edits),
        "22 review changes cost {edits} edits of the feedback"
    );
    assert!(feedback(&h).embeds[0].to_string().contains("peers +3 (2)"));
}
