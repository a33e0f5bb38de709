//! The question of the day, end to end. The scheduler runs in the test with a clock the test
//! sets (posting at local time across a DST change, two processes posting once, catching up
//! after downtime, the reveal); the Discord flow (`/qotd` commands, answers in the thread)
//! runs through the real bot process. All against the fake Discord and a real PostgreSQL.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use common::bot::{scheduler_bot, Harness, WAIT};
use mockingbird::bot::qotd;
use mockingbird::fake_discord::{ids, FakeConfig, OptionValue, RecordedMessage, SlashCommand};
use mockingbird::interview::ANSWER_LIMIT;
use mockingbird::scoring::Assessment;
use mockingbird::scoring::ScorerKind;
use mockingbird::store::qotd_answers;
use mockingbird::store::{answers, guilds, jobs, leaderboards, privacy, qotd_posts};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Sets the guild's QOTD: #qotd at `time` in `zone`, databases questions.
async fn set_up(h: &Harness, zone: &str, time: (u32, u32)) {
    h.configure(|s| {
        s.timezone = zone.into();
        s.qotd.channel_id = Some(ids::QOTD);
        s.qotd.time = NaiveTime::from_hms_opt(time.0, time.1, 0).unwrap();
        s.qotd.track = Some("databases".into());
    })
    .await;
}

fn posts_in_channel(h: &Harness) -> Vec<RecordedMessage> {
    h.messages_in(ids::QOTD)
        .into_iter()
        .filter(|m| {
            m.embed_titles()
                .iter()
                .any(|t| t.starts_with("Question of the day"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn posts_at_local_time_across_a_dst_change() {
    let h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    set_up(&h, "Europe/Paris", (9, 0)).await;
    let bot = scheduler_bot(&h).await;
    // Saturday 28 March 2026, UTC+1: 09:00 in Paris is 08:00 UTC.
    assert_eq!(
        qotd::tick(&bot, utc(2026, 3, 28, 7, 59))
            .await
            .unwrap()
            .posted,
        0
    );
    assert_eq!(
        qotd::tick(&bot, utc(2026, 3, 28, 8, 0))
            .await
            .unwrap()
            .posted,
        1
    );
    // Sunday 29 March, after the change to UTC+2: 09:00 in Paris is 07:00 UTC.
    assert_eq!(
        qotd::tick(&bot, utc(2026, 3, 29, 6, 59))
            .await
            .unwrap()
            .posted,
        0
    );
    let sunday = qotd::tick(&bot, utc(2026, 3, 29, 7, 0)).await.unwrap();
    assert_eq!(
        (sunday.posted, sunday.revealed),
        (1, 1),
        "Saturday's is revealed with it"
    );
    let titles: Vec<String> = posts_in_channel(&h)
        .iter()
        .map(|m| m.embed_titles()[0].to_owned())
        .collect();
    assert_eq!(
        titles,
        vec![
            "Question of the day · 2026-03-28",
            "Question of the day · 2026-03-29"
        ]
    );
    // Each post has its thread, and two days never ask the same question.
    let saturday = qotd_posts::for_day(&h.db.pool, ids::GUILD, day(2026, 3, 28))
        .await
        .unwrap()
        .unwrap();
    let sunday = qotd_posts::for_day(&h.db.pool, ids::GUILD, day(2026, 3, 29))
        .await
        .unwrap()
        .unwrap();
    assert!(saturday.thread_id.is_some() && sunday.thread_id.is_some());
    assert_ne!(saturday.question_id, sunday.question_id);
    assert!(saturday.revealed && !sunday.revealed);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_post_once_and_downtime_catches_up_once() {
    let h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    set_up(&h, "America/New_York", (9, 0)).await;
    let (a, b) = (scheduler_bot(&h).await, scheduler_bot(&h).await);
    // Both processes tick at 15:00 New York time (19:00 UTC): they were down at 09:00.
    let late = utc(2026, 6, 1, 19, 0);
    let (ta, tb) = tokio::join!(qotd::tick(&a, late), qotd::tick(&b, late));
    assert_eq!(
        ta.unwrap().posted + tb.unwrap().posted,
        1,
        "one post between them"
    );
    // Later the same day, and early the next day, nothing more.
    assert_eq!(
        qotd::tick(&a, utc(2026, 6, 1, 23, 0)).await.unwrap().posted,
        0
    );
    assert_eq!(
        qotd::tick(&b, utc(2026, 6, 2, 12, 59))
            .await
            .unwrap()
            .posted,
        0
    );
    assert_eq!(posts_in_channel(&h).len(), 1);
    // 09:00 on the next day: the next post.
    assert_eq!(
        qotd::tick(&b, utc(2026, 6, 2, 13, 0)).await.unwrap().posted,
        1
    );
    assert_eq!(posts_in_channel(&h).len(), 2);
}

/// Alice answers the post of `d` and her answer is scored `overall`.
async fn answered(h: &Harness, d: NaiveDate, member: u64, name: &str, overall: f32) -> i64 {
    let post = qotd_posts::for_day(&h.db.pool, ids::GUILD, d)
        .await
        .unwrap()
        .unwrap();
    guilds::upsert_member(&h.db.pool, ids::GUILD, member, name)
        .await
        .unwrap();
    let message = rand::random::<u32>().into();
    let answer = qotd_answers::add_qotd_message(
        &h.db.pool,
        post.qotd_post_id,
        member,
        "An answer.",
        message,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();
    answers::submit(&h.db.pool, answer, false, Utc::now())
        .await
        .unwrap();
    let claimed = jobs::claim(&h.db.pool, "test", 10, Duration::from_secs(30))
        .await
        .unwrap();
    for job in claimed {
        let mut assessment = Assessment::default();
        assessment.scores.overall = overall;
        assessment.scorer = ScorerKind::Offline;
        jobs::complete(&h.db.pool, &job.lease, &assessment)
            .await
            .unwrap();
    }
    answer
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reveal_shows_the_model_answer_the_best_answers_and_streaks() {
    let h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    set_up(&h, "UTC", (9, 0)).await;
    let bot = scheduler_bot(&h).await;
    for d in 1..=3 {
        qotd::tick(&bot, utc(2026, 6, d, 9, 0)).await.unwrap();
        answered(&h, day(2026, 6, d), ids::ALICE, "alice", 6.0).await;
    }
    answered(&h, day(2026, 6, 3), ids::BOB, "bob", 5.0).await;
    // Day 4's post reveals day 3's in day 3's thread.
    let tick = qotd::tick(&bot, utc(2026, 6, 4, 9, 0)).await.unwrap();
    assert_eq!(tick.revealed, 1);
    let third = qotd_posts::for_day(&h.db.pool, ids::GUILD, day(2026, 6, 3))
        .await
        .unwrap()
        .unwrap();
    let reveal = h
        .discord
        .wait_for_message_in(third.thread_id.unwrap(), WAIT, |m| {
            m.embed_titles().iter().any(|t| t.starts_with("Reveal"))
        })
        .await
        .unwrap();
    let text = reveal.embeds[0].to_string();
    let bank = mockingbird::bank::Bank::bundled().unwrap();
    let model = &bank.get(&third.question_id).unwrap().model_answer;
    assert!(text.contains(&model[..40]), "the model answer: {text}");
    let (alice, bob) = (
        text.find("**alice**").unwrap(),
        text.find("**bob**").unwrap(),
    );
    assert!(alice < bob, "the better answer first: {text}");
    assert!(text.contains("2 members answered"), "{text}");
    assert!(text.contains("alice — 3 days in a row"), "{text}");
    // The QOTD streak board ranks Alice's three days in a row.
    let board = leaderboards::board(
        &h.db.pool,
        &leaderboards::BoardQuery {
            guild_id: ids::GUILD,
            metric: leaderboards::Metric::QotdStreak,
            since: None,
            track: None,
            offset: 0,
            limit: 10,
            caller: ids::BOB,
        },
    )
    .await
    .unwrap();
    assert_eq!(board.entries[0].user_id, ids::ALICE);
    assert_eq!(board.entries[0].value, 3.0);
    // Revealed once: the next tick reveals nothing more.
    assert_eq!(
        qotd::tick(&bot, utc(2026, 6, 4, 10, 0))
            .await
            .unwrap()
            .revealed,
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn organisers_set_it_up_and_members_answer_in_the_thread() {
    let h = Harness::start(None).await;
    // 23:30 in a zone where that is still to come, so the bot's own scheduler (on the real
    // clock) leaves today's post to `/qotd now`.
    let paris_hour = Utc::now().with_timezone(&chrono_tz::Europe::Paris).hour();
    let zone = if paris_hour < 23 {
        "Europe/Paris"
    } else {
        "Pacific/Honolulu"
    };
    let setup = SlashCommand::new("qotd setup")
        .option("channel", OptionValue::Channel { channel: ids::QOTD })
        .option("time", "23:30")
        .option("timezone", zone)
        .option("track", "databases");
    // A member without Manage Server is told what it takes.
    let refused = h.command(ids::BOB, setup.clone()).await;
    assert!(refused.is_ephemeral());
    assert!(
        refused.content.contains("Manage Server"),
        "{}",
        refused.content
    );
    // A bad time names the option.
    let bad = SlashCommand::new("qotd setup")
        .option("channel", OptionValue::Channel { channel: ids::QOTD })
        .option("time", "9am")
        .option("timezone", "Europe/Paris");
    let bad = h.command(ids::ORGANISER, bad).await;
    assert!(bad.content.contains("time \"9am\""), "{}", bad.content);

    let done = h.command(ids::ORGANISER, setup).await;
    assert!(
        done.content.contains(&format!("23:30 ({zone})")),
        "{}",
        done.content
    );
    h.configure(|s| s.quiet_period = Duration::from_secs(1))
        .await;
    let now = h
        .command(ids::ORGANISER, SlashCommand::new("qotd now"))
        .await;
    assert!(now.content.contains("posted"), "{}", now.content);
    let again = h
        .command(ids::ORGANISER, SlashCommand::new("qotd now"))
        .await;
    assert!(again.content.contains("already out"), "{}", again.content);
    assert_eq!(posts_in_channel(&h).len(), 1);

    // Alice answers in the post's thread, in two messages; the quiet period submits it.
    let thread = h
        .discord
        .wait_for_thread(WAIT, |t| t.parent_id == ids::QOTD)
        .await
        .unwrap()
        .id;
    h.discord
        .send_message(ids::ALICE, thread, "Optimistic locking checks a version")
        .unwrap();
    h.discord
        .send_message(ids::ALICE, thread, "when it writes.")
        .unwrap();
    let scored = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.content.contains("your answer is scored")
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    assert!(scored.embed_titles()[0].starts_with("Feedback:"));
    let post = qotd_posts::by_thread(&h.db.pool, thread)
        .await
        .unwrap()
        .unwrap();
    let stored = qotd_posts::answers(&h.db.pool, post.qotd_post_id)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].user_id, ids::ALICE);
    assert!(stored[0].overall.is_some());
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_channel_closed_to_threads_gets_one_post_a_day_and_one_notice() {
    let h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    // The real clock: a claim left without its message goes stale two minutes after it was
    // made (by the database's clock), and another post is then allowed.
    let mut start = Utc::now()
        .with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap();
    if (start + chrono::Duration::minutes(8)).date_naive() != start.date_naive() {
        start -= chrono::Duration::minutes(10);
    }
    h.configure(|s| {
        s.timezone = "UTC".into();
        s.qotd.channel_id = Some(ids::LOCKED);
        s.qotd.time = start.time();
        s.qotd.track = Some("databases".into());
        s.qotd.ping_role_id = Some(4242);
    })
    .await;
    let bot = scheduler_bot(&h).await;
    // The scheduler ticks for minutes; the thread can never be opened.
    for minute in [0, 1, 3, 5, 8] {
        let now = start + chrono::Duration::minutes(minute);
        qotd::tick(&bot, now).await.unwrap();
    }
    let in_channel = h.messages_in(ids::LOCKED);
    let questions = in_channel
        .iter()
        .filter(|m| {
            m.embed_titles()
                .iter()
                .any(|t| t.starts_with("Question of the day"))
        })
        .count();
    assert_eq!(questions, 1, "the day's question (and its ping) once");
    let notices: Vec<_> = in_channel
        .iter()
        .filter(|m| m.content.contains("Create Public Threads"))
        .collect();
    assert_eq!(notices.len(), 1, "told once why: {in_channel:#?}");
    assert!(
        !notices[0].content.contains("<@&"),
        "the notice pings nobody"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_qotd_thread_does_not_stop_the_next_days() {
    let h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    set_up(&h, "UTC", (8, 0)).await;
    let bot = scheduler_bot(&h).await;
    qotd::tick(&bot, utc(2026, 6, 1, 8, 0)).await.unwrap();
    let first = qotd_posts::for_day(&h.db.pool, ids::GUILD, day(2026, 6, 1))
        .await
        .unwrap()
        .unwrap();
    // A moderator deletes the day's thread (no bot is connected to hear of it).
    let _ = h.discord.delete_thread(first.thread_id.unwrap());

    // The next day the reveal of the first goes to the channel, and the question is posted.
    let next = qotd::tick(&bot, utc(2026, 6, 2, 8, 0)).await.unwrap();
    assert_eq!((next.posted, next.revealed), (1, 1));
    assert_eq!(posts_in_channel(&h).len(), 2);
    let reveals = h
        .messages_in(ids::QOTD)
        .into_iter()
        .filter(|m| m.embed_titles().iter().any(|t| t.starts_with("Reveal")))
        .count();
    assert_eq!(reveals, 1, "the reveal in the channel");
    // And the days after go on.
    let third = qotd::tick(&bot, utc(2026, 6, 3, 8, 0)).await.unwrap();
    assert_eq!(third.posted, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guild_that_removes_the_bot_stops_its_schedule_and_interviews_at_once() {
    let h = Harness::start(None).await;
    set_up(&h, "UTC", (0, 0)).await;
    let thread = h
        .member_starts(ids::ALICE, &common::bot::start_command("databases", 1))
        .await;
    h.nth_titled(thread, "Question 1 of 1", 1).await;

    h.discord.remove_bot_from_guild(ids::GUILD).unwrap();

    // The schedule pauses itself and the interview ends, with nothing posted to the guild.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let settings = guilds::settings(&h.db.pool, ids::GUILD).await.unwrap();
        let running = mockingbird::store::interviews::active_in_guild(&h.db.pool, ids::GUILD)
            .await
            .unwrap();
        if settings.qotd.paused && running.is_empty() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{}", h.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let schedules = guilds::qotd_schedules(&h.db.pool).await.unwrap();
    assert!(
        schedules.iter().all(|s| s.guild_id != ids::GUILD),
        "no schedule is due for a guild the bot left"
    );
    // Its data waits out the grace period (30 days by default), in case the bot comes back.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let export = privacy::export_member(&h.db.pool, ids::GUILD, ids::ALICE)
        .await
        .unwrap();
    assert_eq!(export["interviews"].as_array().map(Vec::len), Some(1));
}

/// Removed while no bot process was connected, a guild sends no GUILD_DELETE; the next READY
/// no longer lists it, and that marks it as left, so its data is purged in time like any other.
#[tokio::test(flavor = "multi_thread")]
async fn a_guild_removed_while_the_bot_was_down_is_marked_as_left_at_ready() {
    const GONE: u64 = 4_242_424_242;
    let mut h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    for guild in [GONE, ids::GUILD] {
        guilds::update_settings(&h.db.pool, guild, |_| {
            Ok::<_, mockingbird::store::StoreError>(())
        })
        .await
        .unwrap();
    }
    h.spawn().await;
    let left_at = |guild: u64| {
        let pool = h.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<DateTime<Utc>>>(
                "SELECT left_at FROM guilds WHERE guild_id = $1",
            )
            .bind(guild as i64)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let deadline = tokio::time::Instant::now() + WAIT;
    while left_at(GONE).await.is_none() {
        assert!(tokio::time::Instant::now() < deadline, "{}", h.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        left_at(ids::GUILD).await,
        None,
        "a guild Discord lists is not left"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guild_that_removed_the_bot_is_purged_after_the_grace_period() {
    let h = Harness::start_with(None, &[("LEFT_GUILD_PURGE_DAYS", "0")]).await;
    set_up(&h, "UTC", (0, 0)).await;
    let thread = h
        .member_starts(ids::ALICE, &common::bot::start_command("databases", 1))
        .await;
    h.nth_titled(thread, "Question 1 of 1", 1).await;

    h.discord.remove_bot_from_guild(ids::GUILD).unwrap();

    let deadline = tokio::time::Instant::now() + WAIT;
    let guild_rows = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT (SELECT count(*) FROM guilds WHERE guild_id = $1)
                  + (SELECT count(*) FROM members WHERE guild_id = $1)
                  + (SELECT count(*) FROM interviews WHERE guild_id = $1)
                  + (SELECT count(*) FROM qotd_posts WHERE guild_id = $1)",
        )
        .bind(ids::GUILD as i64)
        .fetch_one(&h.db.pool)
        .await
        .unwrap()
    };
    while guild_rows().await > 0 {
        assert!(tokio::time::Instant::now() < deadline, "{}", h.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        h.log().contains("purged the data of a guild"),
        "{}",
        h.log()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_refuses_a_channel_where_the_bot_cannot_run_it_and_names_what_is_missing() {
    let h = Harness::start(None).await;
    let setup = |channel: u64| {
        SlashCommand::new("qotd setup")
            .option("channel", OptionValue::Channel { channel })
            .option("time", "09:00")
            .option("timezone", "UTC")
    };
    // In #announcements the bot may post but not open threads.
    let refused = h.command(ids::ORGANISER, setup(ids::LOCKED)).await;
    assert!(refused.is_ephemeral());
    assert!(
        refused.content.contains("Create Public Threads"),
        "{}",
        refused.content
    );
    // A role nobody may mention, and the bot may not mention all roles: the ping would be
    // silent, so that is named too.
    let ping = setup(ids::QOTD).option("ping_role", OptionValue::Role { role: 4242 });
    let refused = h.command(ids::ORGANISER, ping).await;
    assert!(refused.content.contains("Mention"), "{}", refused.content);
    let settings = guilds::settings(&h.db.pool, ids::GUILD).await.unwrap();
    assert_eq!(settings.qotd.channel_id, None, "nothing was set up");

    // Where it can, it is set up.
    let done = h.command(ids::ORGANISER, setup(ids::QOTD)).await;
    assert!(done.content.contains("set up"), "{}", done.content);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schedule_discord_keeps_refusing_pauses_itself_and_says_why() {
    let mut h = Harness::without_bot(FakeConfig::default(), None, &[]).await;
    // The channel was deleted after setup: every post is refused with Unknown Channel.
    h.configure(|s| {
        s.timezone = "UTC".into();
        s.qotd.channel_id = Some(9_999);
        s.qotd.time = NaiveTime::MIN;
        s.qotd.track = Some("databases".into());
    })
    .await;
    let bot = scheduler_bot(&h).await;
    // The scheduler ticks on; a claim left without a message is tried again once it is stale
    // (two minutes after it was made, by the database's clock). The ticks stay within one
    // day: past midnight the next day's post would also try to reveal this one's, in the same
    // channel.
    let now = Utc::now();
    let late = now.time() > NaiveTime::from_hms_opt(23, 40, 0).unwrap();
    let start = if late {
        now + chrono::Duration::minutes(30)
    } else {
        now
    };
    for minutes in [0, 3, 6, 9, 12] {
        let now = start + chrono::Duration::minutes(minutes);
        qotd::tick(&bot, now).await.unwrap();
    }
    let settings = guilds::settings(&h.db.pool, ids::GUILD).await.unwrap();
    assert!(settings.qotd.paused, "paused after three refusals");
    let reason = settings.qotd.paused_reason.clone().unwrap_or_default();
    assert!(reason.contains("Unknown Channel"), "{reason}");
    let tried = h
        .discord
        .unhandled()
        .iter()
        .filter(|r| r.path.contains("/channels/9999/messages"))
        .count();
    assert_eq!(tried, 3, "no post is tried once paused");

    // `/qotd status` says so, and what to do; `/qotd resume` clears it.
    h.spawn().await;
    let status = h
        .command(ids::ORGANISER, SlashCommand::new("qotd status"))
        .await;
    assert!(
        status.content.contains("paused itself"),
        "{}",
        status.content
    );
    assert!(
        status.content.contains("Unknown Channel"),
        "{}",
        status.content
    );
    h.command(ids::ORGANISER, SlashCommand::new("qotd resume"))
        .await;
    let settings = guilds::settings(&h.db.pool, ids::GUILD).await.unwrap();
    assert!(!settings.qotd.paused);
    assert_eq!(settings.qotd.paused_reason, None);
}
