//! End to end: what members do to their messages after writing them. In a question of the
//! day's thread, replies and remarks after one's answer are talk, not answers, and answering
//! again is explicit (a button) and takes no reviews along. In an interview, editing a message
//! before Submit changes the answer, deleting it removes its part, and after Submit an edit
//! changes nothing that was scored. The real bot process, the fake Discord, a real PostgreSQL.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use chrono::{NaiveTime, Timelike, Utc};
use common::bot::{interview_id, start_command, Harness, WAIT};
use mockingbird::fake_discord::{ids, SlashCommand};
use mockingbird::store::answers::{self, AnswerRow, AnswerStatus};
use mockingbird::store::{qotd_posts, reviews};

/// Polls an answer until `done` holds; panics with the bot's log after the usual wait.
async fn answer_when(h: &Harness, answer_id: i64, done: impl Fn(&AnswerRow) -> bool) -> AnswerRow {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let answer = answers::get(&h.db.pool, answer_id).await.unwrap();
        if let Some(answer) = answer.filter(|a| done(a)) {
            return answer;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "answer {answer_id} never got there: {:#?}\n{}",
            answers::get(&h.db.pool, answer_id).await.unwrap(),
            h.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn reviews_given(h: &Harness, member: u64) -> i32 {
    sqlx::query_scalar::<_, i32>(
        "SELECT coalesce(sum(reviews), 0)::int FROM member_totals WHERE user_id = $1 AND track = ''",
    )
    .bind(member as i64)
    .fetch_one(&h.db.pool)
    .await
    .unwrap()
}

/// Today's question posted with `/qotd now` (at a time of day the bot's own scheduler leaves
/// alone); returns its thread.
async fn qotd_thread(h: &Harness) -> u64 {
    let paris_hour = Utc::now().with_timezone(&chrono_tz::Europe::Paris).hour();
    let zone = if paris_hour < 23 {
        "Europe/Paris"
    } else {
        "Pacific/Honolulu"
    };
    h.configure(|s| {
        s.timezone = zone.into();
        s.qotd.channel_id = Some(ids::QOTD);
        s.qotd.time = NaiveTime::from_hms_opt(23, 30, 0).unwrap();
        s.qotd.track = Some("databases".into());
        s.quiet_period = Duration::from_secs(1);
    })
    .await;
    let now = h
        .command(ids::ORGANISER, SlashCommand::new("qotd now"))
        .await;
    assert!(now.content.contains("posted"), "{}", now.content);
    h.discord
        .wait_for_thread(WAIT, |t| t.parent_id == ids::QOTD)
        .await
        .unwrap()
        .id
}

const ANSWER: &str = "Optimistic locking reads a version number with the row and, when it \
                      writes, checks that the version is unchanged; if another writer got \
                      there first the update touches no row and the application retries.";
const SECOND: &str = "On second thought: pessimistic locking with SELECT FOR UPDATE is the better \
                      choice when conflicts are frequent, because retries then cost more than \
                      waiting for the lock.";

#[tokio::test(flavor = "multi_thread")]
async fn qotd_talk_is_not_an_answer_and_answering_again_is_explicit() {
    let h = Harness::start(None).await;
    let thread = qotd_thread(&h).await;
    let post = qotd_posts::by_thread(&h.db.pool, thread)
        .await
        .unwrap()
        .unwrap();

    let first = h.discord.send_message(ids::ALICE, thread, ANSWER).unwrap();
    h.discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.content.contains("your answer is scored")
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    let stored = qotd_posts::answers(&h.db.pool, post.qotd_post_id)
        .await
        .unwrap();
    let answer_id = stored[0].answer_id;
    let scored = answer_when(&h, answer_id, |a| a.status == AnswerStatus::Scored).await;

    // Bob reviews it, then talks: a reply to Alice is not an answer of his.
    h.discord.react(ids::BOB, first, "👍").unwrap();
    h.discord
        .reply_to(
            ids::BOB,
            thread,
            first,
            "Nice, I would have said the same thing about versions and retries in general.",
        )
        .unwrap();
    // Alice thanks him: a remark, not a new answer.
    h.discord
        .send_message(ids::ALICE, thread, "thanks!")
        .unwrap();
    // And writes something long: offered, once, to make it her answer.
    let long = h.discord.send_message(ids::ALICE, thread, SECOND).unwrap();
    let offer = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| m.content.contains("Answer again"))
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    h.discord.send_message(ids::ALICE, thread, SECOND).unwrap();
    // The review is in before anything is replaced (reactions are handled in their own time).
    let deadline = tokio::time::Instant::now() + WAIT;
    while reviews::summary(&h.db.pool, answer_id).await.unwrap().count == 0 {
        assert!(tokio::time::Instant::now() < deadline, "{}", h.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(reviews_given(&h, ids::BOB).await, 1);

    tokio::time::sleep(Duration::from_secs(2)).await;
    let answers_now = qotd_posts::answers(&h.db.pool, post.qotd_post_id)
        .await
        .unwrap();
    assert_eq!(
        answers_now.len(),
        1,
        "Bob's reply is no answer: {answers_now:#?}"
    );
    let still = answers::get(&h.db.pool, answer_id).await.unwrap().unwrap();
    assert_eq!(still.body, scored.body, "talk replaced nothing");
    assert_eq!(still.status, AnswerStatus::Scored);
    let offers = h
        .messages_in(thread)
        .into_iter()
        .filter(|m| m.content.contains("Answer again"))
        .count();
    assert_eq!(offers, 1, "offered once, not on every message");

    // Only Alice may take the offer.
    let button = format!("qotd-again:{long}");
    let refused = h.discord.click(ids::BOB, offer.id, &button).unwrap();
    let refused = h.discord.wait_for_reply(refused, WAIT).await.unwrap();
    assert!(refused.is_ephemeral());
    assert!(refused.content.contains("Only <@"), "{}", refused.content);

    h.discord.click(ids::ALICE, offer.id, &button).unwrap();
    let again = answer_when(&h, answer_id, |a| a.body == SECOND).await;
    assert_eq!(again.message_ids, vec![long]);
    // The earlier answer's review stays with the earlier answer: gone, and Bob's count with it.
    assert_eq!(
        reviews::summary(&h.db.pool, answer_id).await.unwrap().count,
        0
    );
    assert_eq!(reviews_given(&h, ids::BOB).await, 0);
    // Scored again, as the new answer.
    answer_when(&h, answer_id, |a| a.status == AnswerStatus::Scored).await;
    let offer = h.discord.message(offer.id).unwrap();
    assert!(offer.components.is_empty(), "the button is gone once used");
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_before_submit_change_the_answer_and_deletions_remove_parts() {
    let h = Harness::start(None).await;
    // Long enough that only the Submit button submits while the test edits.
    h.configure(|s| s.quiet_period = Duration::from_secs(600))
        .await;
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);
    let a = h
        .discord
        .send_message(ids::ALICE, thread, "An index is a sorted copy")
        .unwrap();
    let b = h
        .discord
        .send_message(ids::ALICE, thread, "of some columns, uh")
        .unwrap();
    let c = h
        .discord
        .send_message(ids::ALICE, thread, "ignore this line")
        .unwrap();
    h.wait_for_parts(id, 3).await;
    let open = answers::for_interview(&h.db.pool, id).await.unwrap();
    let answer_id = open[0].answer_id;

    h.discord
        .edit_message(
            ids::ALICE,
            b,
            "of some columns with pointers back to the rows.",
        )
        .unwrap();
    h.discord.delete_message(c).unwrap();
    let edited = answer_when(&h, answer_id, |a| {
        a.message_ids.len() == 2 && a.body.contains("pointers")
    })
    .await;
    assert_eq!(
        edited.body,
        "An index is a sorted copy\nof some columns with pointers back to the rows."
    );
    assert_eq!(edited.message_ids, vec![a, b]);
    // An edit that changes no text (Discord unfurling a link sends one) changes nothing.
    h.discord
        .edit_message(ids::ALICE, a, "An index is a sorted copy")
        .unwrap();

    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    h.nth_titled(thread, "Feedback:", 1).await;
    let scored = answer_when(&h, answer_id, |a| a.status == AnswerStatus::Scored).await;
    assert_eq!(scored.body, edited.body);

    // After Submit, an edit does not change what was scored, and the member is told.
    h.discord
        .edit_message(
            ids::ALICE,
            a,
            "A B-tree index lets lookups skip the table scan.",
        )
        .unwrap();
    let told = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.content.contains("does not change what was scored")
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    assert!(told.by_bot);
    h.discord.delete_message(b).unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = answers::get(&h.db.pool, answer_id).await.unwrap().unwrap();
    assert_eq!(after.body, scored.body);
    assert_eq!(after.message_ids, vec![a, b]);
    assert_eq!(after.scores, scored.scores);
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}
