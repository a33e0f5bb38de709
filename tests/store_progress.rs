//! What `/history`, `/profile` and `/leaderboard` read beyond history and boards (scores by day,
//! weakest topics, paging back towards the newest answers, a guild's local date), on a real
//! PostgreSQL.

mod common;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::fixtures::{self, question_id, start_interview, submitted_answer};
use common::pg::TestDb;
use mockingbird::store::guilds::{self, GuildSettings};
use mockingbird::store::history::{self, Shown};
use mockingbird::store::progress;

#[tokio::test]
async fn scores_by_day_average_each_day_and_keep_the_most_recent_days_oldest_first() {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 1).await;
    let interview = start_interview(&db.pool, 1, 1, "backend", 0).await;
    let day = |d| Utc.with_ymd_and_hms(2025, 3, d, 12, 0, 0).unwrap();
    let mut scores = std::collections::HashMap::new();
    for (i, (d, overall)) in [(3, 2.0), (4, 6.0), (4, 8.0), (9, 5.0)]
        .into_iter()
        .enumerate()
    {
        let id = submitted_answer(&db.pool, interview, &question_id("backend", i), day(d)).await;
        scores.insert(id, overall);
    }
    fixtures::score_all(&db.pool, |id| scores[&id]).await;

    let days = progress::daily_scores(&db.pool, 1, 1, 2, Shown::Everything)
        .await
        .unwrap();
    let date = |d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
    assert_eq!(
        days.iter().map(|d| d.day).collect::<Vec<_>>(),
        [date(4), date(9)]
    );
    assert_eq!(days[0].answers, 2);
    assert!((days[0].scores.overall - 7.0).abs() < 1e-4);
    assert!((days[0].scores.technical - 7.0).abs() < 1e-4);
    assert!(
        progress::daily_scores(&db.pool, 1, 2, 30, Shown::Everything)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_weakest_topics_come_lowest_average_first() {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 1).await;
    let mut scores = std::collections::HashMap::new();
    for (n, (track, overall)) in [("backend", 8.0), ("databases", 3.0), ("system-design", 5.0)]
        .into_iter()
        .enumerate()
    {
        let interview = start_interview(&db.pool, 1, 1, track, n as u64).await;
        for i in 0..2 {
            let id =
                submitted_answer(&db.pool, interview, &question_id(track, i), Utc::now()).await;
            scores.insert(id, overall);
        }
        mockingbird::store::interviews::finish(
            &db.pool,
            interview,
            mockingbird::interview::Ending::Ended,
            Utc::now(),
        )
        .await
        .unwrap();
    }
    fixtures::score_all(&db.pool, |id| scores[&id]).await;

    let weakest = progress::weakest_topics(&db.pool, 1, 1, 2, Shown::Everything)
        .await
        .unwrap();
    let names: Vec<(&str, &str)> = weakest
        .iter()
        .map(|t| (t.track.as_str(), t.topic.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("databases", "databases basics"),
            ("system-design", "system-design basics")
        ]
    );
    assert_eq!(weakest[0].answers, 2);
    assert!((weakest[0].overall - 3.0).abs() < 1e-4);
}

#[tokio::test]
async fn paging_newer_retraces_the_older_pages_in_reverse() {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 1).await;
    let interview = start_interview(&db.pool, 1, 1, "backend", 0).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(
            submitted_answer(&db.pool, interview, &question_id("backend", i), Utc::now()).await,
        );
    }
    // Pairs share a timestamp, so the keyset's tie-break is exercised.
    let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
    for (i, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE answers SET created_at = $1 WHERE answer_id = $2")
            .bind(t0 + Duration::minutes(i as i64 / 2))
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    let first = history::page(&db.pool, 1, 1, None, 3, Shown::Everything)
        .await
        .unwrap();
    let second = history::page(&db.pool, 1, 1, first.next, 3, Shown::Everything)
        .await
        .unwrap();
    let third = history::page(&db.pool, 1, 1, second.next, 3, Shown::Everything)
        .await
        .unwrap();
    assert_eq!(third.items.len(), 1);

    let from_third = history::Cursor {
        created_at: third.items[0].created_at,
        answer_id: third.items[0].answer_id,
    };
    let (back, more) = progress::newer_history(&db.pool, 1, 1, from_third, 3, Shown::Everything)
        .await
        .unwrap();
    assert_eq!(back, second.items);
    assert!(more, "the first page is newer still");
    let from_second = history::Cursor {
        created_at: second.items[0].created_at,
        answer_id: second.items[0].answer_id,
    };
    let (back, more) = progress::newer_history(&db.pool, 1, 1, from_second, 3, Shown::Everything)
        .await
        .unwrap();
    assert_eq!(back, first.items);
    assert!(!more);
}

#[tokio::test]
async fn today_is_the_guilds_local_date() {
    let db = TestDb::new().await;
    let utc_before = Utc::now().date_naive();
    let unknown = progress::today(&db.pool, 42).await.unwrap();
    assert!(unknown == utc_before || unknown == Utc::now().date_naive());

    fixtures::member(&db.pool, 1, 1).await;
    let settings = GuildSettings {
        timezone: "Pacific/Kiritimati".into(),
        ..GuildSettings::default()
    };
    guilds::save_settings(&db.pool, 1, &settings).await.unwrap();
    let ahead = |at: chrono::DateTime<Utc>| (at + Duration::hours(14)).date_naive();
    let before = ahead(Utc::now());
    let local = progress::today(&db.pool, 1).await.unwrap();
    assert!(local == before || local == ahead(Utc::now()), "{local}");
}
