//! End to end: organisers browse the bank with `/questions list|show` and choose what their
//! server asks with `/questions disable|enable`; interviews and the question of the day follow.
//! The real bot process, the fake Discord and a real PostgreSQL.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use chrono::NaiveDate;
use common::bot::{scheduler_bot, start_command, Harness};
use mockingbird::app::qotd::next_question;
use mockingbird::bank::Bank;
use mockingbird::fake_discord::{ids, FakeConfig, RecordedMessage, SlashCommand};
use mockingbird::store::guilds;
use mockingbird::store::questions;

fn text(m: &RecordedMessage) -> String {
    let embeds: Vec<String> = m.embeds.iter().map(|e| e.to_string()).collect();
    format!("{}\n{}", m.content, embeds.join("\n"))
}

fn with_id(name: &str, id: &str) -> SlashCommand {
    SlashCommand::new(name).option("id", id)
}

/// The databases track's ids, and the one the test keeps.
fn databases() -> (Vec<String>, String) {
    let bank = Bank::bundled().expect("the bundled bank");
    let ids: Vec<String> = bank
        .questions()
        .iter()
        .filter(|q| q.track == "databases")
        .map(|q| q.id.clone())
        .collect();
    let keep = ids[0].clone();
    (ids, keep)
}

#[tokio::test(flavor = "multi_thread")]
async fn organisers_disable_questions_and_interviews_skip_them() {
    let h = Harness::start(None).await;
    let (all, keep) = databases();

    // Members may not choose the server's questions.
    let refused = h
        .command(ids::BOB, with_id("questions disable", &keep))
        .await;
    assert!(refused.is_ephemeral());
    assert!(
        refused.content.contains("Manage Server"),
        "{}",
        refused.content
    );

    let bank = text(
        &h.command(ids::ORGANISER, SlashCommand::new("questions list"))
            .await,
    );
    assert!(bank.contains("`databases`: 9 questions"), "{bank}");
    let track = SlashCommand::new("questions list").option("track", "databases");
    let track = text(&h.command(ids::ORGANISER, track).await);
    assert!(all.iter().all(|id| track.contains(id.as_str())), "{track}");
    let unknown = h
        .command(ids::ORGANISER, with_id("questions disable", "no-such-id"))
        .await;
    assert!(
        unknown.content.contains("There is no question"),
        "{}",
        unknown.content
    );

    for id in all.iter().filter(|id| **id != keep) {
        let done = h
            .command(ids::ORGANISER, with_id("questions disable", id))
            .await;
        assert!(
            done.content.contains("is disabled here"),
            "{}",
            done.content
        );
    }
    let counted = text(
        &h.command(ids::ORGANISER, SlashCommand::new("questions list"))
            .await,
    );
    assert!(
        counted.contains("9 questions, 8 disabled here"),
        "{counted}"
    );

    // Every interview on the track now asks the one question left.
    let bank = Bank::bundled().unwrap();
    let prompt = bank.get(&keep).unwrap().prompt.trim().to_owned();
    let opening: String = prompt.chars().take(40).collect();
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 3))
        .await;
    let first = h.nth_titled(thread, "Question 1 of 1", 1).await;
    assert!(text(&first).contains(&opening), "{}", text(&first));

    // With that one disabled too, the member is told why nothing can be asked.
    h.command(ids::ORGANISER, with_id("questions disable", &keep))
        .await;
    let shown = text(
        &h.command(ids::ORGANISER, with_id("questions show", &keep))
            .await,
    );
    assert!(shown.contains("Disabled on this server"), "{shown}");
    let none = h.command(ids::BOB, start_command("databases", 1)).await;
    assert!(
        none.content.contains("is disabled on this server"),
        "{}",
        none.content
    );
    let back = h
        .command(ids::ORGANISER, with_id("questions enable", &keep))
        .await;
    assert!(
        back.content.contains("asked here again"),
        "{}",
        back.content
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_question_of_the_day_skips_disabled_questions() {
    let h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    h.configure(|s| {
        s.qotd.channel_id = Some(ids::QOTD);
        s.qotd.track = Some("databases".into());
    })
    .await;
    let bot = scheduler_bot(&h).await;
    let (all, keep) = databases();
    for id in all.iter().filter(|id| **id != keep) {
        assert!(questions::hide(&h.db.pool, ids::GUILD, id).await.unwrap());
    }
    let schedule = guilds::qotd_schedules(&h.db.pool)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.guild_id == ids::GUILD)
        .expect("the guild's schedule");
    for d in 1..=10 {
        let day = NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
        let q = next_question(&bot.app, &schedule, day).await.unwrap();
        assert_eq!(q.map(|q| q.id.clone()), Some(keep.clone()), "day {day}");
    }
}

/// An exported track of the bundled bank is a question file the checker accepts, holding that
/// track's questions.
#[tokio::test(flavor = "multi_thread")]
async fn an_exported_track_is_a_valid_question_file() {
    let h = Harness::start(None).await;
    let export = SlashCommand::new("questions export")
        .option("track", "databases")
        .option("bundled", true);
    let reply = h.command(ids::ORGANISER, export).await;
    assert!(reply.is_ephemeral());
    let file = reply.attachments.first().expect("a question file");
    assert_eq!(file.filename, "questions-databases.toml");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(&file.filename);
    std::fs::write(&path, &file.bytes).unwrap();
    let report = mockingbird::bank::check_paths(&[path]).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let read: Vec<String> = report.questions.iter().map(|q| q.id.clone()).collect();
    assert_eq!(read, databases().0);
}
