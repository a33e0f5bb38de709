//! Scale-out: two bot processes, each running one of two gateway shards, over one PostgreSQL
//! and the fake Discord with two servers (one per shard). Each server is served by one process,
//! no answer is scored twice, and each server gets one question of the day.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use chrono::NaiveTime;
use common::bot::{interview_id, start_command, Harness, WAIT};
use common::fixtures;
use mockingbird::fake_discord::{ids, FakeChannel, FakeConfig, RecordedMessage, World};
use mockingbird::store::{guilds, jobs, qotd_posts};

/// On shard 1 of 2: `(id >> 22) % 2 == 1`.
const SECOND_GUILD: u64 = (1 << 22) + 1000;
const SECOND_GENERAL: u64 = 2100;
const SECOND_QOTD: u64 = 2101;

/// The default world plus a second server, with Bob and Carol in it.
fn two_servers() -> FakeConfig {
    let mut config = FakeConfig::default();
    let mut second = config.guilds[0].clone();
    second.id = SECOND_GUILD;
    second.name = "Second Study Group".into();
    second.channels = vec![
        FakeChannel {
            id: SECOND_GENERAL,
            name: "general".into(),
            no_threads_for_bot: false,
        },
        FakeChannel {
            id: SECOND_QOTD,
            name: "qotd".into(),
            no_threads_for_bot: false,
        },
    ];
    second.members.retain(|m| m.id != ids::ALICE);
    config.guilds[0]
        .members
        .retain(|m| m.id == ids::ALICE || m.id == ids::ORGANISER);
    config.guilds.push(second);
    config
}

async fn qotd_due_now(h: &Harness, guild: u64, channel: u64) {
    guilds::upsert_member(&h.db.pool, guild, ids::ORGANISER, "organiser")
        .await
        .unwrap();
    let mut s = guilds::settings(&h.db.pool, guild).await.unwrap();
    s.qotd.channel_id = Some(channel);
    s.qotd.time = NaiveTime::MIN;
    guilds::save_settings(&h.db.pool, guild, &s).await.unwrap();
}

/// Answers the interview `member` runs in `channel` and waits for its feedback.
async fn one_answer(h: &Harness, member: u64, channel: u64) -> i64 {
    let sent = h
        .discord
        .slash_command(member, channel, &start_command("databases", 1))
        .unwrap();
    h.discord.wait_for_reply(sent, WAIT).await.unwrap();
    let thread = h
        .discord
        .wait_for_thread(WAIT, |t| t.parent_id == channel)
        .await
        .unwrap()
        .id;
    let question: RecordedMessage = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);
    h.discord
        .send_message(
            member,
            thread,
            "Indexes make reads faster and writes slower.",
        )
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .click(member, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    h.nth_titled(thread, "Feedback:", 1).await;
    id
}

fn qotd_posts(w: &World, channel: u64) -> usize {
    w.messages
        .iter()
        .filter(|m| m.channel_id == channel && m.by_bot)
        .filter(|m| {
            m.embed_titles()
                .iter()
                .any(|t| t.starts_with("Question of the day"))
        })
        .count()
}

fn qotd_posts_in(h: &Harness, channel: u64) -> usize {
    h.discord.read(|w| qotd_posts(w, channel))
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_share_the_work_by_shard() {
    let mut h = Harness::without_bot(two_servers(), None, &[("DEV_GUILD_ID", "")]).await;
    qotd_due_now(&h, ids::GUILD, ids::QOTD).await;
    qotd_due_now(&h, SECOND_GUILD, SECOND_QOTD).await;
    let first = h.spawn_other(&[("SHARD_COUNT", "2"), ("SHARD_IDS", "0")]);
    let second = h.spawn_other(&[("SHARD_COUNT", "2"), ("SHARD_IDS", "1")]);
    h.discord
        .wait_until("both shards connected", WAIT, |w| {
            (w.gateway_sessions == 2).then_some(())
        })
        .await
        .unwrap();
    h.discord
        .wait_until("commands registered", WAIT, |w| {
            (w.command_overwrites >= 2).then_some(())
        })
        .await
        .unwrap();

    let a = one_answer(&h, ids::ALICE, ids::GENERAL).await;
    let b = one_answer(&h, ids::BOB, SECOND_GENERAL).await;
    // Interviews are gateway work: each is started by the process that runs its server's
    // shard. (Scoring and the daily question are shared work: any process may do them.)
    let starts = |log: &str| -> Vec<String> {
        log.lines()
            .filter(|l| l.contains("interview started"))
            .map(str::to_owned)
            .collect()
    };
    let (log0, log1) = (h.other_log(first), h.other_log(second));
    let (starts0, starts1) = (starts(&log0), starts(&log1));
    assert_eq!(starts0.len(), 1, "{log0}");
    assert!(starts0[0].contains(&format!("interview_id={a} guild_id={}", ids::GUILD)));
    assert_eq!(starts1.len(), 1, "{log1}");
    assert!(starts1[0].contains(&format!("interview_id={b} guild_id={SECOND_GUILD}")));

    // Every job scored once, by whichever process claimed it.
    for interview in [a, b] {
        let stored = mockingbird::store::answers::for_interview(&h.db.pool, interview)
            .await
            .unwrap();
        let job = fixtures::job_of(&h.db.pool, stored[0].answer_id).await;
        assert_eq!((job.status, job.attempts), (jobs::JobStatus::Done, 1));
    }

    // Both processes run the scheduler every 0.3 s: still one post per server.
    h.discord
        .wait_until("both questions of the day", WAIT, |w| {
            (qotd_posts(w, ids::QOTD) == 1 && qotd_posts(w, SECOND_QOTD) == 1).then_some(())
        })
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(qotd_posts_in(&h, ids::QOTD), 1);
    assert_eq!(qotd_posts_in(&h, SECOND_QOTD), 1);
    let today = chrono::Utc::now().date_naive();
    assert!(qotd_posts::for_day(&h.db.pool, SECOND_GUILD, today)
        .await
        .unwrap()
        .is_some());
}
