//! End to end: after several members' interviews, `/leaderboard`, `/history` and `/profile`
//! show what they did. The real bot process, the fake Discord and a real PostgreSQL database;
//! the offline scorer scores.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use common::bot::{interview_id, start_command, Harness, WAIT};
use mockingbird::fake_discord::{ids, OptionValue, RecordedMessage, SlashCommand};
use mockingbird::store::interviews::InterviewStatus;

/// `member` completes a one-question databases interview with the bank's model answer,
/// skipping any follow-up.
async fn complete_one(h: &Harness, member: u64) {
    complete(h, member, start_command("databases", 1)).await;
}

/// `member` completes the interview `start` opens, as [`complete_one`] does.
async fn complete(h: &Harness, member: u64, start: SlashCommand) {
    let thread = h.member_starts(member, &start).await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);
    let (a, b) = h.model_answer_halves(id).await;
    h.discord
        .send_message(member, thread, &format!("{a} {b}"))
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .click(member, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    let mut last = h.nth_titled(thread, "Feedback:", 1).await.id;
    loop {
        let next = h.next_turn_or_report(thread, last).await;
        if next.embed_titles().contains(&"Interview report") {
            break;
        }
        h.discord
            .click(member, next.id, &format!("iv:skip:{id}"))
            .unwrap();
        last = next.id;
    }
    h.wait_for_status(thread, InterviewStatus::Completed).await;
}

fn text(message: &RecordedMessage) -> String {
    message
        .embeds
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn leaderboard_history_and_profile_after_several_interviews() {
    let h = Harness::start(None).await;
    complete_one(&h, ids::ALICE).await;
    complete_one(&h, ids::BOB).await;
    complete_one(&h, ids::ALICE).await;

    // Interviews completed: Alice 2, Bob 1, and Carol (who did none) still sees her place.
    let board = h
        .command(
            ids::CAROL,
            SlashCommand::new("leaderboard").option("metric", OptionValue::Integer(2)),
        )
        .await;
    let shown = text(&board);
    let (alice, bob) = (shown.find("alice"), shown.find("bob"));
    assert!(alice.is_some() && bob.is_some(), "{shown}");
    assert!(
        alice < bob,
        "Alice, with two interviews, ranks above Bob: {shown}"
    );

    let history = h.command(ids::ALICE, SlashCommand::new("history")).await;
    let shown = text(&history);
    assert!(shown.contains("databases"), "{shown}");
    assert_eq!(
        history.attachments.len(),
        1,
        "the first page carries the chart"
    );
    assert!(history.attachments[0].bytes.starts_with(b"\x89PNG"));

    // Bob looks at Alice's history, and at his own profile.
    let other = h
        .command(
            ids::BOB,
            SlashCommand::new("history").option("member", OptionValue::User { user: ids::ALICE }),
        )
        .await;
    assert!(text(&other).contains("alice"), "{}", text(&other));
    let profile = h.command(ids::BOB, SlashCommand::new("profile")).await;
    let shown = text(&profile);
    assert!(shown.contains("databases"), "{shown}");
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_private_interview_stays_out_of_what_others_see_unless_the_server_shares_it() {
    let h = Harness::start(None).await;
    complete(
        &h,
        ids::ALICE,
        start_command("databases", 1).option("private", true),
    )
    .await;
    let alice = OptionValue::User { user: ids::ALICE };
    let history = SlashCommand::new("history").option("member", alice.clone());
    let profile = SlashCommand::new("profile").option("member", alice);

    let seen = text(&h.command(ids::BOB, history.clone()).await);
    assert!(
        seen.contains("no answers yet") && !seen.contains("databases"),
        "{seen}"
    );
    let seen = text(&h.command(ids::BOB, profile.clone()).await);
    assert!(!seen.contains("databases"), "{seen}");
    // Alice sees all of hers.
    let own = text(&h.command(ids::ALICE, SlashCommand::new("history")).await);
    assert!(own.contains("databases"), "{own}");

    let share = SlashCommand::new("config interviews").option("share_private_history", true);
    let saved = h.command(ids::ORGANISER, share).await;
    assert!(
        saved.content.contains("private threads show"),
        "{}",
        saved.content
    );
    let seen = text(&h.command(ids::BOB, history).await);
    assert!(seen.contains("databases"), "{seen}");
    let seen = text(&h.command(ids::BOB, profile).await);
    assert!(seen.contains("databases"), "{seen}");
}

/// The JSON file a `/privacy export` reply carries.
fn exported(reply: &RecordedMessage) -> serde_json::Value {
    assert!(reply.is_ephemeral(), "an export is for its member only");
    let file = reply
        .attachments
        .iter()
        .find(|a| a.filename.ends_with(".json"))
        .unwrap_or_else(|| panic!("no JSON file in {reply:?}"));
    serde_json::from_slice(&file.bytes).expect("the export is JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_exports_their_data_and_erases_it_after_confirming() {
    let h = Harness::start(None).await;
    complete_one(&h, ids::ALICE).await;
    complete_one(&h, ids::BOB).await;

    let export = || SlashCommand::new("privacy export");
    let before = exported(&h.command(ids::ALICE, export()).await);
    assert_eq!(before["user_id"], ids::ALICE as i64);
    assert_eq!(before["interviews"].as_array().unwrap().len(), 1);
    let answers = before["answers"].as_array().unwrap();
    assert!(!answers.is_empty());
    assert!(answers.iter().all(|a| a["user_id"] == ids::ALICE as i64));
    assert!(before["schema_version"].is_number());

    // Deleting asks first, and only the member who asked can answer.
    let ask = h
        .command(ids::ALICE, SlashCommand::new("privacy delete"))
        .await;
    assert!(ask.is_ephemeral());
    let erase = format!("privacy:erase:{}", ids::ALICE);
    let keep = format!("privacy:keep:{}", ids::ALICE);
    let forged = h.discord.click(ids::BOB, ask.id, &erase).unwrap();
    let refused = h.discord.wait_for_reply(forged, WAIT).await.unwrap();
    assert!(
        refused.content.contains("Only the member who asked"),
        "{refused:?}"
    );
    h.discord.click(ids::ALICE, ask.id, &keep).unwrap();
    let answered = |id: u64, text: &'static str| {
        h.discord
            .wait_for_message(WAIT, move |m| m.id == id && m.content.starts_with(text))
    };
    let kept = answered(ask.id, "Nothing was erased.").await.unwrap();
    assert!(
        kept.components.is_empty(),
        "the buttons are gone once answered"
    );
    assert_eq!(
        exported(&h.command(ids::ALICE, export()).await)["answers"],
        before["answers"]
    );

    let ask = h
        .command(ids::ALICE, SlashCommand::new("privacy delete"))
        .await;
    h.discord.click(ids::ALICE, ask.id, &erase).unwrap();
    let erased = answered(ask.id, "Erased").await.unwrap();
    assert!(
        erased.content.starts_with("Erased: 1 interviews"),
        "{}",
        erased.content
    );

    let after = exported(&h.command(ids::ALICE, export()).await);
    for key in [
        "members",
        "interviews",
        "answers",
        "qotd_answers",
        "reviews_given",
        "reviews_received",
        "member_totals",
        "member_days",
        "qotd_streaks",
    ] {
        assert_eq!(after[key], serde_json::json!([]), "{key} after erasing");
    }
    // The board counts Bob's interview and nothing of Alice's any more.
    let metric = OptionValue::Integer(2);
    let board = SlashCommand::new("leaderboard").option("metric", metric);
    let shown = text(&h.command(ids::CAROL, board).await);
    assert!(shown.contains("bob") && !shown.contains("alice"), "{shown}");
}
