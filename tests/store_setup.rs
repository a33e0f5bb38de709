//! Guild settings, members, the bank sync and LLM usage, on a real PostgreSQL.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use common::fixtures::{self, question};
use common::pg::TestDb;
use mockingbird::bank::Difficulty;
use mockingbird::store::guilds::{self, GuildSettings, QotdSettings};
use mockingbird::store::questions::{self, SyncReport};
use mockingbird::store::{usage, StoreError};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).expect("a valid date")
}

#[tokio::test]
async fn a_guild_never_configured_has_the_default_settings() {
    let db = TestDb::new().await;
    let settings = guilds::settings(&db.pool, 42).await.unwrap();
    assert_eq!(settings, GuildSettings::default());
}

#[tokio::test]
async fn saved_settings_read_back_the_same() {
    let db = TestDb::new().await;
    let mut s = GuildSettings {
        timezone: "Europe/Paris".into(),
        qotd: QotdSettings {
            channel_id: Some(u64::MAX - 5),
            time: NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
            track: Some("databases".into()),
            difficulty: Some(Difficulty::Senior),
            ping_role_id: Some(99),
            paused: false,
            hide_scores: true,
            reveal_time: NaiveTime::from_hms_opt(21, 0, 0),
            paused_reason: None,
        },
        daily_token_budget: Some(50_000),
        interview_role_id: Some(12),
        interviews_per_hour: 3,
        private_threads: true,
        share_private_history: true,
        archive_on_finish: false,
        quiet_period: Duration::from_secs(3600),
        idle_timeout: Duration::from_secs(900),
        review_scale: Some([("🔥".to_string(), 3), ("👎".to_string(), -1)].into()),
        answer_retention_days: Some(90),
        suggestion_channel_id: Some(u64::MAX - 9),
    };
    guilds::save_settings(&db.pool, 42, &s).await.unwrap();
    assert_eq!(guilds::settings(&db.pool, 42).await.unwrap(), s);

    s.qotd.paused = true;
    guilds::save_settings(&db.pool, 42, &s).await.unwrap();
    assert!(guilds::settings(&db.pool, 42).await.unwrap().qotd.paused);
}

#[tokio::test]
async fn an_unknown_time_zone_is_refused_with_a_typed_error() {
    let db = TestDb::new().await;
    let s = GuildSettings {
        timezone: "Mars/Olympus_Mons".into(),
        ..GuildSettings::default()
    };
    let err = guilds::save_settings(&db.pool, 42, &s).await.unwrap_err();
    assert!(
        matches!(err, StoreError::UnknownTimeZone(ref z) if z == "Mars/Olympus_Mons"),
        "{err}"
    );
}

#[tokio::test]
async fn a_negative_token_budget_is_refused() {
    let db = TestDb::new().await;
    let s = GuildSettings {
        daily_token_budget: Some(-1),
        ..GuildSettings::default()
    };
    let err = guilds::save_settings(&db.pool, 42, &s).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
}

#[tokio::test]
async fn the_qotd_schedule_lists_only_guilds_with_an_unpaused_qotd() {
    let db = TestDb::new().await;
    let mut on = GuildSettings::default();
    on.qotd.channel_id = Some(5);
    guilds::save_settings(&db.pool, 1, &on).await.unwrap();
    let mut paused = on.clone();
    paused.qotd.paused = true;
    guilds::save_settings(&db.pool, 2, &paused).await.unwrap();
    guilds::save_settings(&db.pool, 3, &GuildSettings::default())
        .await
        .unwrap();

    let schedule = guilds::qotd_schedules(&db.pool).await.unwrap();
    assert_eq!(schedule.len(), 1);
    assert_eq!(schedule[0].guild_id, 1);
    assert_eq!(schedule[0].qotd.channel_id, Some(5));
}

#[tokio::test]
async fn registering_a_member_creates_the_guild_and_refreshes_the_name() {
    let db = TestDb::new().await;
    guilds::upsert_member(&db.pool, 8, 9, "Ada").await.unwrap();
    guilds::upsert_member(&db.pool, 8, 9, "Ada L.")
        .await
        .unwrap();
    let name: String =
        sqlx::query_scalar("SELECT display_name FROM members WHERE guild_id = 8 AND user_id = 9")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(name, "Ada L.");
}

#[tokio::test]
async fn syncing_the_bank_twice_rewrites_nothing_the_second_time() {
    let db = TestDb::new().await;
    let bank = fixtures::bank();
    let first = questions::sync_bank(&db.pool, &bank).await.unwrap();
    assert_eq!(
        first,
        SyncReport {
            inserted: 30,
            ..SyncReport::default()
        }
    );
    let second = questions::sync_bank(&db.pool, &bank).await.unwrap();
    assert_eq!(
        second,
        SyncReport {
            unchanged: 30,
            ..SyncReport::default()
        }
    );
}

#[tokio::test]
async fn a_sync_rewrites_changed_questions_and_retires_the_ones_gone() {
    let db = TestDb::new().await;
    let mut bank = fixtures::bank();
    questions::sync_bank(&db.pool, &bank).await.unwrap();

    let mut changed = (*bank[0]).clone();
    changed.prompt = "A reworded prompt.".into();
    bank[0] = Arc::new(changed);
    let gone = bank.pop().unwrap();
    let report = questions::sync_bank(&db.pool, &bank).await.unwrap();
    assert_eq!(
        report,
        SyncReport {
            updated: 1,
            unchanged: 28,
            retired: 1,
            inserted: 0
        }
    );

    let stored = questions::find(&db.pool, 1, &bank[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.content["prompt"], "A reworded prompt.");
    assert_eq!(
        stored.content_hash,
        questions::content_and_hash(&bank[0]).unwrap().1
    );
    assert!(
        questions::find(&db.pool, 1, &gone.id)
            .await
            .unwrap()
            .unwrap()
            .retired
    );

    bank.push(gone);
    let back = questions::sync_bank(&db.pool, &bank).await.unwrap();
    assert_eq!(
        back,
        SyncReport {
            updated: 1,
            unchanged: 29,
            ..SyncReport::default()
        }
    );
}

#[tokio::test]
async fn a_guild_question_overrides_the_bundled_one_for_that_guild_only() {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 1).await;
    let mut own = question("backend-0", "backend");
    own.prompt = "Our own wording.".into();
    let saved = questions::upsert_guild_question(&db.pool, 1, &own).await;
    assert_eq!(saved.unwrap(), questions::Saved::Added);
    let again = questions::upsert_guild_question(&db.pool, 1, &own).await;
    assert_eq!(again.unwrap(), questions::Saved::Unchanged);
    own.model_answer.push_str(" And one more sentence.");
    let edited = questions::upsert_guild_question(&db.pool, 1, &own).await;
    assert_eq!(edited.unwrap(), questions::Saved::Changed);

    let seen = questions::find(&db.pool, 1, "backend-0")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (seen.guild_id, seen.content["prompt"].as_str()),
        (Some(1), Some("Our own wording."))
    );
    let elsewhere = questions::find(&db.pool, 2, "backend-0")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(elsewhere.guild_id, None);

    let pack = questions::guild_questions(&db.pool, 1).await.unwrap();
    assert_eq!(
        pack.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(),
        ["backend-0"]
    );
    assert!(questions::retire_guild_question(&db.pool, 1, "backend-0")
        .await
        .unwrap());
    assert!(questions::guild_questions(&db.pool, 1)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn usage_adds_up_per_guild_and_day() {
    let db = TestDb::new().await;
    fixtures::member(&db.pool, 1, 1).await;
    usage::add(&db.pool, 1, day(1), 100, 20).await.unwrap();
    let total = usage::add(&db.pool, 1, day(1), 50, 5).await.unwrap();
    assert_eq!(
        (total.prompt_tokens, total.completion_tokens, total.requests),
        (150, 25, 2)
    );
    usage::add(&db.pool, 1, day(2), 10, 1).await.unwrap();

    // Each day counts its own.
    assert_eq!(usage::budget(&db.pool, 1, day(2)).await.unwrap().used, 11);
    assert_eq!(usage::budget(&db.pool, 1, day(1)).await.unwrap().used, 175);
}

#[tokio::test]
async fn the_budget_check_compares_today_s_tokens_with_the_daily_budget() {
    let db = TestDb::new().await;
    fixtures::member(&db.pool, 1, 1).await;
    let unlimited = usage::budget(&db.pool, 1, day(1)).await.unwrap();
    assert_eq!(
        (unlimited.used, unlimited.limit, unlimited.exhausted()),
        (0, None, false)
    );

    let s = GuildSettings {
        daily_token_budget: Some(1_000),
        ..GuildSettings::default()
    };
    guilds::save_settings(&db.pool, 1, &s).await.unwrap();
    usage::add(&db.pool, 1, day(1), 900, 50).await.unwrap();
    let budget = usage::budget(&db.pool, 1, day(1)).await.unwrap();
    assert_eq!((budget.remaining(), budget.exhausted()), (Some(50), false));
    usage::add(&db.pool, 1, day(1), 40, 10).await.unwrap();
    assert!(usage::budget(&db.pool, 1, day(1))
        .await
        .unwrap()
        .exhausted());
    assert!(!usage::budget(&db.pool, 1, day(2))
        .await
        .unwrap()
        .exhausted());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_organisers_changing_different_settings_at_once_both_keep_their_change() {
    let db = TestDb::new().await;
    let pool = db.pool.clone();
    // Each change holds its read for a moment, as a slow command would: without the guild's
    // lock, the later save would write back the other's old value.
    let slow = |change: fn(&mut GuildSettings)| {
        let pool = pool.clone();
        tokio::spawn(async move {
            guilds::update_settings(&pool, 7, |s| {
                std::thread::sleep(Duration::from_millis(100));
                change(s);
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        })
    };
    let budget = slow(|s| s.daily_token_budget = Some(5_000));
    let quiet = slow(|s| s.quiet_period = Duration::from_secs(45));
    let private = slow(|s| s.private_threads = true);
    for task in [budget, quiet, private] {
        task.await.unwrap();
    }
    let s = guilds::settings(&db.pool, 7).await.unwrap();
    assert_eq!(s.daily_token_budget, Some(5_000));
    assert_eq!(s.quiet_period, Duration::from_secs(45));
    assert!(s.private_threads);

    // A change that fails, or names an unknown time zone, saves nothing.
    let refused = guilds::update_settings(&db.pool, 7, |s| {
        s.daily_token_budget = None;
        Err::<(), _>(StoreError::Invalid("no".into()))
    })
    .await;
    assert!(refused.is_err());
    let unknown = guilds::update_settings(&db.pool, 7, |s| {
        s.daily_token_budget = None;
        s.timezone = "Mars/Olympus".into();
        Ok::<_, StoreError>(())
    })
    .await;
    assert!(
        matches!(unknown, Err(StoreError::UnknownTimeZone(_))),
        "{unknown:?}"
    );
    let kept = guilds::settings(&db.pool, 7).await.unwrap();
    assert_eq!(kept.daily_token_budget, Some(5_000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_cannot_together_spend_past_the_daily_budget() {
    let db = TestDb::new().await;
    fixtures::member(&db.pool, 1, 1).await;
    // A guild far east of UTC: its day is not UTC's for most of the day.
    let s = GuildSettings {
        timezone: "Pacific/Kiritimati".into(),
        daily_token_budget: Some(10_000),
        ..GuildSettings::default()
    };
    guilds::save_settings(&db.pool, 1, &s).await.unwrap();

    // Eight workers ask for 4,000 tokens each at once: 10,000 is all they can be given.
    let asks: Vec<_> = (0..8)
        .map(|_| {
            let pool = db.pool.clone();
            tokio::spawn(async move { usage::reserve(&pool, 1, 4_000).await.unwrap() })
        })
        .collect();
    let mut held = Vec::new();
    for ask in asks {
        held.push(ask.await.unwrap());
    }
    let granted: i64 = held.iter().map(|h| h.tokens).sum();
    assert_eq!(granted, 10_000, "{held:?}");
    let local_day: NaiveDate =
        sqlx::query_scalar("SELECT (now() AT TIME ZONE 'Pacific/Kiritimati')::date")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(held.iter().all(|h| h.limited && h.day == local_day));

    // Each call used less than it held: settling frees the rest for the next ones.
    for h in held.iter().filter(|h| h.tokens > 0) {
        usage::settle(&db.pool, 1, h, 900, 100).await.unwrap();
    }
    let calls = i64::try_from(held.iter().filter(|h| h.tokens > 0).count()).unwrap();
    let used = usage::budget(&db.pool, 1, local_day).await.unwrap();
    assert_eq!(used.used, calls * 1_000);
    let next = usage::reserve(&db.pool, 1, 4_000).await.unwrap();
    assert_eq!(next.tokens, 4_000.min(10_000 - calls * 1_000));

    // A guild without a budget holds nothing.
    fixtures::member(&db.pool, 2, 1).await;
    let free = usage::reserve(&db.pool, 2, 4_000).await.unwrap();
    assert!(!free.limited && free.tokens == 0);
}

/// A guild the bot left is purged once the grace period has passed, unless the bot came back
/// (its GUILD_CREATE clears the mark); purging takes its members and their answers with it.
#[tokio::test]
async fn a_left_guild_is_purged_after_its_grace_period_unless_the_bot_came_back() {
    use chrono::{Duration as Span, Utc};
    use mockingbird::store::privacy;

    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    for guild in [1, 2, 3] {
        fixtures::member(&db.pool, guild, 10).await;
        let mut own = question(&format!("own-{guild}"), "backend");
        own.prompt = format!("Guild {guild}'s own question.");
        questions::upsert_guild_question(&db.pool, guild, &own)
            .await
            .unwrap();
        fixtures::start_interview(&db.pool, guild, 10, "backend", 1).await;
    }
    let versions = |pool| async move {
        let prompts: Vec<String> = sqlx::query_scalar(
            "SELECT content->>'prompt' FROM question_versions
             WHERE content->>'id' LIKE 'own-%' ORDER BY 1",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        prompts
    };
    let now = Utc::now();
    privacy::mark_left(&db.pool, 1, now - Span::days(40))
        .await
        .unwrap();
    privacy::mark_left(&db.pool, 2, now - Span::days(40))
        .await
        .unwrap();
    privacy::mark_present(&db.pool, 2).await.unwrap();
    privacy::mark_left(&db.pool, 3, now - Span::days(5))
        .await
        .unwrap();

    let purged = privacy::purge_guilds_left_before(&db.pool, now - Span::days(30))
        .await
        .unwrap();
    assert_eq!(purged, [1]);
    let left: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT g.guild_id, count(i.interview_id) FROM guilds g
         LEFT JOIN interviews i USING (guild_id) GROUP BY g.guild_id ORDER BY 1",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(left, [(2, 1), (3, 1)]);
    // The purged guild's own question went with it, versions included; the others' stay.
    assert_eq!(
        versions(&db.pool).await,
        ["Guild 2's own question.", "Guild 3's own question."]
    );
    assert!(
        !privacy::purge_guild(&db.pool, 1).await.unwrap(),
        "already gone"
    );
}
