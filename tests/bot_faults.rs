//! Discord on a bad day, end to end: the real bot process against the fake Discord with faults
//! injected (slow replies, replies slower than the bot waits, replies lost after the post
//! landed, rate limits, server errors, a dropped gateway connection). An interview step commits
//! before anything is posted, and the dispatcher posts each effect once: nothing is lost,
//! nothing appears twice, and no transaction waits on Discord.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use common::bot::{interview_id, start_command, Harness, WAIT};
use mockingbird::fake_discord::{ids, Fault, FaultKind, RecordedMessage};
use mockingbird::store::interviews::InterviewStatus;

/// The bot's messages in `thread` with an embed titled starting with `title`.
fn titled(h: &Harness, thread: u64, title: &str) -> Vec<RecordedMessage> {
    h.messages_in(thread)
        .into_iter()
        .filter(|m| m.by_bot && m.embed_titles().iter().any(|t| t.starts_with(title)))
        .collect()
}

/// Asserts that each of `titles` was posted exactly once in `thread`.
fn assert_posted_once(h: &Harness, thread: u64, titles: &[&str]) {
    for title in titles {
        assert_eq!(
            titled(h, thread, title).len(),
            1,
            "{title} posted once\n{}",
            h.log()
        );
    }
}

/// Answers the question with the bank's model answer and submits it.
async fn answer_and_submit(h: &Harness, thread: u64, question: &RecordedMessage) {
    let id = interview_id(question);
    let (first, second) = h.model_answer_halves(id).await;
    h.discord
        .send_message(ids::ALICE, thread, &format!("{first} {second}"))
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();
}

/// Transactions of the bot on its database that have been open longer than `longer_than`.
async fn long_transactions(h: &Harness, longer_than: Duration) -> i64 {
    let millis = i64::try_from(longer_than.as_millis()).unwrap();
    sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND xact_start < now() - make_interval(secs => $1::float8 / 1000)",
    )
    .bind(millis)
    .fetch_one(&h.db.pool)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn no_transaction_waits_while_discord_is_slow() {
    let h = Harness::start(None).await;
    // The next posts in a channel take two seconds each to answer.
    let slow = FaultKind::Slow { delay_ms: 2_000 };
    h.discord
        .inject_fault(Fault::on("POST", "/messages", slow, 2));
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;

    // While Discord holds the intro back, nothing of the bot's sits in a transaction.
    h.discord
        .wait_until("a post held back", WAIT, |w| {
            (w.requests_held > 0).then_some(())
        })
        .await
        .unwrap();
    for _ in 0..10 {
        assert!(h.discord.requests_held() > 0, "the post is still held");
        let open = long_transactions(&h, Duration::from_millis(500)).await;
        assert_eq!(open, 0, "a transaction stayed open across a Discord call");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Slow is not lost: the intro and the question arrive, once each.
    h.nth_titled(thread, "Question 1 of 1", 1).await;
    assert_eq!(titled(&h, thread, "Mock interview").len(), 1);
    assert_eq!(titled(&h, thread, "Question 1 of 1").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_post_whose_reply_was_lost_is_not_posted_twice() {
    let h = Harness::start(None).await;
    // The intro and the first question land, but the bot never hears back.
    h.discord
        .inject_fault(Fault::on("POST", "/messages", FaultKind::ReplyLost, 2));
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    assert_eq!(h.discord.faults_applied(), 2, "both replies were lost");

    // The interview goes on from the question the candidate saw.
    answer_and_submit(&h, thread, &question).await;
    h.nth_titled(thread, "Interview report", 1).await;
    h.wait_for_status(thread, InterviewStatus::Completed).await;
    assert_posted_once(
        &h,
        thread,
        &[
            "Mock interview",
            "Question 1 of 1",
            "Feedback:",
            "Interview report",
        ],
    );
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_and_server_errors_delay_an_interview_but_lose_nothing() {
    let h = Harness::start(None).await;
    let limited = FaultKind::RateLimited {
        retry_after_ms: 300,
        global: false,
    };
    let global = FaultKind::RateLimited {
        retry_after_ms: 300,
        global: true,
    };
    h.discord
        .inject_fault(Fault::on("POST", "/messages", limited, 2));
    h.discord
        .inject_fault(Fault::on("POST", "/messages", global, 1));
    let bad_gateway = FaultKind::ServerError { status: 502 };
    h.discord
        .inject_fault(Fault::on("POST", "/messages", bad_gateway, 2));
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    assert_eq!(h.discord.faults_applied(), 5, "every fault was met");

    // More trouble while the feedback and the report are posted.
    let unavailable = FaultKind::ServerError { status: 503 };
    h.discord
        .inject_fault(Fault::on("POST", "/messages", unavailable, 2));
    answer_and_submit(&h, thread, &question).await;
    let report = h.nth_titled(thread, "Interview report", 1).await;
    let feedback = h.nth_titled(thread, "Feedback:", 1).await;
    assert!(feedback.id < report.id, "the thread keeps its order");
    h.wait_for_status(thread, InterviewStatus::Completed).await;
    assert_posted_once(
        &h,
        thread,
        &[
            "Mock interview",
            "Question 1 of 1",
            "Feedback:",
            "Interview report",
        ],
    );
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bot_killed_while_posting_feedback_posts_it_once_after_restart() {
    let mut h = Harness::start(None).await;
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;

    // The score is committed and its feedback on its way when Discord stalls, and the bot is
    // killed outright (SIGKILL) with the post in flight.
    let slow = FaultKind::Slow { delay_ms: 3_000 };
    h.discord
        .inject_fault(Fault::on("POST", "/messages", slow, 1));
    answer_and_submit(&h, thread, &question).await;
    h.discord
        .wait_until("the feedback's post held back", WAIT, |w| {
            (w.requests_held > 0).then_some(())
        })
        .await
        .unwrap();
    h.kill();

    // Restarted, the bot posts what was left once the dead process's lease runs out: the
    // feedback and the report, each once, whether or not the held post landed.
    h.spawn().await;
    let report = h.nth_titled(thread, "Interview report", 1).await;
    let feedback = h.nth_titled(thread, "Feedback:", 1).await;
    assert!(feedback.id < report.id, "the thread keeps its order");
    h.wait_for_status(thread, InterviewStatus::Completed).await;
    assert_posted_once(&h, thread, &["Feedback:", "Interview report"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_post_slower_than_the_bot_waits_is_tried_again_and_shown_once() {
    let h = Harness::start(None).await;
    // The intro lands only after the bot has stopped waiting for it (10 s) and posted it again.
    let past_timeout = FaultKind::Slow { delay_ms: 11_000 };
    h.discord
        .inject_fault(Fault::on("POST", "/messages", past_timeout, 1));
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    // Wait for the held post to land too: Discord answers it with the retry's message.
    h.discord
        .wait_until("the held post to land", WAIT, |w| {
            (w.requests_held == 0).then_some(())
        })
        .await
        .unwrap();
    let intro = h.nth_titled(thread, "Mock interview", 1).await;
    assert!(intro.id < question.id, "the thread keeps its order");

    answer_and_submit(&h, thread, &question).await;
    h.nth_titled(thread, "Interview report", 1).await;
    h.wait_for_status(thread, InterviewStatus::Completed).await;
    assert_posted_once(
        &h,
        thread,
        &[
            "Mock interview",
            "Question 1 of 1",
            "Feedback:",
            "Interview report",
        ],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_gateway_connection_is_resumed_and_no_answer_is_lost() {
    let h = Harness::start(None).await;
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);

    // Discord drops the bot's connection; the candidate answers before the bot is back.
    h.discord.drop_gateway();
    let (first, second) = h.model_answer_halves(id).await;
    h.discord
        .send_message(ids::ALICE, thread, &format!("{first} {second}"))
        .unwrap();

    // The bot resumes its session (no new IDENTIFY) and gets the message it missed.
    h.discord
        .wait_until("the session resumed", WAIT, |w| {
            (w.resumes == 1 && w.gateway_sessions == 1).then_some(())
        })
        .await
        .unwrap();
    h.wait_for_parts(id, 1).await;
    assert_eq!(
        h.discord.read(|w| w.identifies),
        1,
        "resumed, not identified"
    );

    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    h.nth_titled(thread, "Interview report", 1).await;
    h.wait_for_status(thread, InterviewStatus::Completed).await;
    assert_posted_once(
        &h,
        thread,
        &["Question 1 of 1", "Feedback:", "Interview report"],
    );
}
