//! End to end: drills by spaced repetition. A question answered in an interview comes back
//! when it is due; `/drill start` asks it in a thread of its own without follow-ups; the report
//! says when it comes back next, as the score decided; `/drill status` shows what is due and the
//! streak; and a member who opted in gets a DM on a day with questions due, once.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use chrono::{Days, Utc};
use common::bot::{interview_id, scheduler_bot, start_command, Harness};
use mockingbird::fake_discord::{ids, SlashCommand};
use mockingbird::store::interviews::InterviewStatus;

/// Alice answers one interview question weakly and ends the interview; the question's id.
async fn a_weak_answer(h: &Harness) -> String {
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    let first = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let interview = interview_id(&first);
    let question = h.awaited_question(interview).await;
    let weak = "I am not sure, I would look it up.";
    let next = h.answer(ids::ALICE, thread, &first, weak).await;
    if !next.embed_titles().contains(&"Interview report") {
        h.discord
            .click(ids::ALICE, next.id, &format!("iv:end:{interview}"))
            .unwrap();
    }
    h.wait_for_status(thread, InterviewStatus::Ended).await;
    question
}

/// Moves every answer of Alice's `days` into the past, as if given then.
async fn age_answers(h: &Harness, days: i32) {
    sqlx::query("UPDATE answers SET day = day - $1 WHERE user_id = $2")
        .bind(days)
        .bind(ids::ALICE as i64)
        .execute(&h.db.pool)
        .await
        .unwrap();
}

async fn status(h: &Harness) -> String {
    let reply = h
        .command(ids::ALICE, SlashCommand::new("drill status"))
        .await;
    assert!(reply.is_ephemeral());
    reply.content
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missed_question_comes_back_when_due_and_the_score_schedules_the_next_review() {
    let h = Harness::start(None).await;
    assert!(
        status(&h).await.contains("Nothing to review yet"),
        "a member who never answered has nothing due"
    );

    // An interview question answered weakly three days ago is due today.
    let question = a_weak_answer(&h).await;
    age_answers(&h, 3).await;
    let topic = mockingbird::bank::Bank::bundled()
        .unwrap()
        .get(&question)
        .unwrap()
        .topic
        .clone();
    let before = status(&h).await;
    assert!(
        before.contains(&format!("1 question due for review today**: {topic}")),
        "{before}"
    );
    assert!(before.contains("Drill streak: 0 days"), "{before}");

    // The drill asks it, with no follow-up after the answer.
    let drill = h
        .member_starts(ids::ALICE, &SlashCommand::new("drill start"))
        .await;
    let intro = h
        .nth_titled(drill, "Drill: questions due for review", 1)
        .await;
    assert!(
        intro.embeds[0]
            .to_string()
            .contains("1 question due for review"),
        "{}",
        intro.embeds[0]
    );
    let asked = h.nth_titled(drill, "Question 1 of 1", 1).await;
    let drill_id = interview_id(&asked);
    assert_eq!(h.awaited_question(drill_id).await, question);
    let strong = h.model_answer(drill_id).await;
    let report = h.answer(ids::ALICE, drill, &asked, &strong).await;
    assert_eq!(
        report.embed_titles(),
        ["Interview report"],
        "no follow-up in a drill"
    );
    // Recalled after a miss: it starts its climb again at one day.
    let tomorrow = Utc::now().date_naive() + Days::new(1);
    let next_reviews = report.embeds[0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Next reviews")
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("next reviews in the report: {}", report.embeds[0]));
    assert_eq!(
        next_reviews,
        format!("• {topic}: in 1 day ({})", tomorrow.format("%b %-d"))
    );
    h.wait_for_status(drill, InterviewStatus::Completed).await;

    let after = status(&h).await;
    assert!(
        after.contains("Nothing is due for review today. Next: 1 question on"),
        "{after}"
    );
    assert!(after.contains("Drill streak: 1 day."), "{after}");

    // Nothing due: no drill.
    let refused = h
        .command(ids::ALICE, SlashCommand::new("drill start"))
        .await;
    assert!(
        refused.content.contains("Nothing is due for review today"),
        "{}",
        refused.content
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reminders_are_sent_only_to_members_who_asked_once_a_day_and_stop_when_turned_off() {
    let h = Harness::start(None).await;
    a_weak_answer(&h).await;
    age_answers(&h, 3).await;
    let bot = scheduler_bot(&h).await;
    let send = |at: chrono::DateTime<Utc>| {
        let bot = bot.clone();
        async move {
            mockingbird::bot::sweeps::send_reminders(&bot, at)
                .await
                .unwrap()
        }
    };
    let tomorrow_at = |hour: u32| {
        (Utc::now().date_naive() + Days::new(1))
            .and_hms_opt(hour, 5, 0)
            .unwrap()
            .and_utc()
    };

    // Questions are due, but she has not asked for reminders.
    assert_eq!(send(tomorrow_at(9)).await, 0);
    assert_eq!(h.discord.dm_channel(ids::ALICE), None);

    let set = h
        .command(
            ids::ALICE,
            SlashCommand::new("drill remind")
                .option("time", "09:00")
                .option("zone", "UTC"),
        )
        .await;
    assert!(
        set.content.starts_with("I'll DM you at 09:00 (UTC)"),
        "{}",
        set.content
    );
    let bad = h
        .command(
            ids::ALICE,
            SlashCommand::new("drill remind")
                .option("time", "09:00")
                .option("zone", "Mars/Olympus"),
        )
        .await;
    assert!(
        bad.content.contains("zone \"Mars/Olympus\""),
        "{}",
        bad.content
    );

    // Before her time nothing; at it one DM; again the same day nothing.
    assert_eq!(send(tomorrow_at(8)).await, 0);
    assert_eq!(send(tomorrow_at(9)).await, 1);
    assert_eq!(send(tomorrow_at(10)).await, 0, "once a day");
    let dm = h.discord.dm_channel(ids::ALICE).expect("a DM channel");
    let sent = h.messages_in(dm);
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0]
            .content
            .starts_with("You have 1 question due for review today"),
        "{}",
        sent[0].content
    );

    h.command(
        ids::ALICE,
        SlashCommand::new("drill remind").option("off", true),
    )
    .await;
    let day_after = tomorrow_at(9) + chrono::Duration::days(1);
    assert_eq!(send(day_after).await, 0);
}
