//! A member's history and profile, on a real PostgreSQL.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::fixtures::{self, question_id, start_interview, submitted_answer, PER_TRACK};
use common::pg::TestDb;
use mockingbird::interview::{Ending, Turn, ANSWER_LIMIT};
use mockingbird::store::answers::{self, AnswerStatus};
use mockingbird::store::history::{self, HistoryPage, Shown};
use mockingbird::store::interviews;

#[tokio::test]
async fn history_pages_walk_every_submitted_answer_newest_first_without_repeats() {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 1).await;
    fixtures::member(&db.pool, 1, 2).await;
    let mut expected = Vec::new();
    for (n, track) in ["backend", "databases", "system-design"].iter().enumerate() {
        let interview = start_interview(&db.pool, 1, 1, track, n as u64).await;
        for i in 0..PER_TRACK - 2 {
            expected.push(
                submitted_answer(&db.pool, interview, &question_id(track, i), Utc::now()).await,
            );
        }
        let open = question_id(track, PER_TRACK - 1);
        answers::add_interview_message(
            &db.pool,
            interview,
            &open,
            Turn::Main,
            "draft",
            1,
            ANSWER_LIMIT,
        )
        .await
        .unwrap();
        interviews::finish(&db.pool, interview, Ending::Ended, Utc::now())
            .await
            .unwrap();
    }
    let theirs = start_interview(&db.pool, 1, 2, "backend", 9).await;
    submitted_answer(&db.pool, theirs, "backend-0", Utc::now()).await;
    // Pairs of answers share a timestamp, so the keyset's tie-break is exercised.
    let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
    for (i, id) in expected.iter().enumerate() {
        sqlx::query("UPDATE answers SET created_at = $1 WHERE answer_id = $2")
            .bind(t0 + Duration::minutes(i as i64 / 2))
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    expected.reverse();

    let mut seen = Vec::new();
    let mut page = history::page(&db.pool, 1, 1, None, 5, Shown::Everything)
        .await
        .unwrap();
    loop {
        seen.extend(page.items.iter().map(|i| i.answer_id));
        let Some(next) = page.next else { break };
        page = history::page(&db.pool, 1, 1, Some(next), 5, Shown::Everything)
            .await
            .unwrap();
    }
    assert_eq!(seen, expected);
    let first = history::page(&db.pool, 1, 1, None, 3, Shown::Everything)
        .await
        .unwrap();
    assert_eq!(first.items[0].status, AnswerStatus::Submitted);
    assert_eq!(first.items[0].track, "system-design");
    let empty = history::page(&db.pool, 1, 3, None, 5, Shown::Everything)
        .await
        .unwrap();
    assert_eq!(
        empty,
        HistoryPage {
            items: vec![],
            next: None
        }
    );
}

#[tokio::test]
async fn the_profile_averages_each_track_and_dimension_and_compares_the_last_ten_with_the_ten_before(
) {
    let db = TestDb::new().await;
    // Enough questions per track for 25 answers: one interview per 10.
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 1).await;
    let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
    let mut ids = Vec::new();
    for n in 0..3u64 {
        let interview = start_interview(&db.pool, 1, 1, "backend", n).await;
        for i in 0..PER_TRACK {
            ids.push(submitted_answer(&db.pool, interview, &question_id("backend", i), t0).await);
        }
        interviews::finish(&db.pool, interview, Ending::Completed, t0)
            .await
            .unwrap();
    }
    let db_interview = start_interview(&db.pool, 1, 1, "databases", 9).await;
    let db_answer = submitted_answer(&db.pool, db_interview, "databases-0", t0).await;
    // Scored in order: the first 10 backend answers get 2.0, the next 10 get 4.0, the last 6.0;
    // the databases answer 9.0 (scored last, so it is the most recent overall).
    let score = |id: i64| {
        if id == db_answer {
            return 9.0;
        }
        let pos = ids.iter().position(|&a| a == id).unwrap();
        [2.0, 4.0, 6.0][pos / 10]
    };
    for id in ids.iter().copied().chain([db_answer]) {
        fixtures::score_all_matching(&db.pool, id, score(id)).await;
    }

    let lines = history::profile(&db.pool, 1, 1, Shown::Everything)
        .await
        .unwrap();
    let tracks: Vec<Option<&str>> = lines.iter().map(|l| l.track.as_deref()).collect();
    assert_eq!(tracks, [Some("backend"), Some("databases"), None]);
    let backend = &lines[0];
    assert_eq!(backend.answers, 30);
    assert!((backend.overall - 4.0).abs() < 1e-6);
    assert!((backend.technical - 4.0).abs() < 1e-6);
    assert!((backend.recent - 6.0).abs() < 1e-6);
    assert!((backend.trend().unwrap() - 2.0).abs() < 1e-6);
    assert_eq!((lines[1].answers, lines[1].previous), (1, None));
    let all = &lines[2];
    assert_eq!(all.answers, 31);
    // Last ten overall: the databases answer and nine 6.0s; the ten before: one 6.0, nine 4.0s.
    assert!((all.recent - (9.0 + 9.0 * 6.0) / 10.0).abs() < 1e-6);
    assert!((all.previous.unwrap() - (6.0 + 9.0 * 4.0) / 10.0).abs() < 1e-6);
}

#[tokio::test]
async fn a_member_with_no_scored_answer_has_an_empty_profile() {
    let db = TestDb::new().await;
    fixtures::member(&db.pool, 1, 1).await;
    assert!(history::profile(&db.pool, 1, 1, Shown::Everything)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn other_members_do_not_see_answers_from_private_threads() {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 1).await;
    let public = start_interview(&db.pool, 1, 1, "backend", 1).await;
    let open = submitted_answer(&db.pool, public, &question_id("backend", 0), Utc::now()).await;
    interviews::finish(&db.pool, public, Ending::Ended, Utc::now())
        .await
        .unwrap();
    let private = start_interview(&db.pool, 1, 1, "databases", 2).await;
    sqlx::query("UPDATE interviews SET private = true WHERE interview_id = $1")
        .bind(private)
        .execute(&db.pool)
        .await
        .unwrap();
    let hidden =
        submitted_answer(&db.pool, private, &question_id("databases", 0), Utc::now()).await;
    fixtures::score_all(&db.pool, |_| 6.0).await;

    let ids = |page: HistoryPage| page.items.iter().map(|i| i.answer_id).collect::<Vec<_>>();
    let own = history::page(&db.pool, 1, 1, None, 10, Shown::to(1, 1, false))
        .await
        .unwrap();
    assert_eq!(ids(own), vec![hidden, open], "the member sees everything");
    let other = history::page(&db.pool, 1, 1, None, 10, Shown::to(2, 1, false))
        .await
        .unwrap();
    assert_eq!(
        ids(other),
        vec![open],
        "another member does not see the private interview"
    );
    let shared = history::page(&db.pool, 1, 1, None, 10, Shown::to(2, 1, true))
        .await
        .unwrap();
    assert_eq!(
        ids(shared),
        vec![hidden, open],
        "unless the server shares them"
    );

    let tracks = |lines: Vec<history::ProfileLine>| {
        lines
            .into_iter()
            .filter_map(|l| l.track)
            .collect::<Vec<_>>()
    };
    let profile = history::profile(&db.pool, 1, 1, Shown::NotPrivate)
        .await
        .unwrap();
    assert_eq!(tracks(profile), vec!["backend"]);
    let profile = history::profile(&db.pool, 1, 1, Shown::Everything)
        .await
        .unwrap();
    assert_eq!(tracks(profile), vec!["backend", "databases"]);
}
