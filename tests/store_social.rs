//! Peer reviews and the question of the day, on a real PostgreSQL.

mod common;

use chrono::{NaiveDate, Utc};
use common::fixtures::{self, start_interview, submitted_answer};
use common::pg::TestDb;
use mockingbird::interview::{AnswerLimit, ANSWER_LIMIT};
use mockingbird::store::answers;
use mockingbird::store::leaderboards::{self, BoardQuery, Metric};
use mockingbird::store::qotd_answers;
use mockingbird::store::qotd_posts;
use mockingbird::store::reviews::{self, ReviewOutcome, ReviewSummary};
use mockingbird::store::{PgPool, StoreError};
use tokio::task::JoinSet;

async fn setup() -> TestDb {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    for user in 1..=3 {
        fixtures::member(&db.pool, 1, user).await;
    }
    db
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 5, d).expect("a valid date")
}

async fn reviews_given(pool: &PgPool, user: u64) -> Option<f64> {
    let q = BoardQuery {
        guild_id: 1,
        metric: Metric::ReviewsGiven,
        since: None,
        track: None,
        offset: 0,
        limit: 10,
        caller: user,
    };
    leaderboards::board(pool, &q)
        .await
        .unwrap()
        .caller
        .map(|s| s.value)
}

async fn an_answer_by_member_one(pool: &PgPool) -> i64 {
    let interview = start_interview(pool, 1, 1, "backend", 1).await;
    submitted_answer(pool, interview, "backend-0", Utc::now()).await
}

#[tokio::test]
async fn a_second_review_by_the_same_member_replaces_the_first() {
    let db = setup().await;
    let answer = an_answer_by_member_one(&db.pool).await;
    let now = Utc::now();
    assert_eq!(
        reviews::record(&db.pool, answer, 2, 1, "👍", now)
            .await
            .unwrap(),
        ReviewOutcome::Added
    );
    assert_eq!(
        reviews::record(&db.pool, answer, 2, 3, "🔥", now)
            .await
            .unwrap(),
        ReviewOutcome::Replaced
    );
    assert_eq!(
        reviews::record(&db.pool, answer, 3, -1, "👎", now)
            .await
            .unwrap(),
        ReviewOutcome::Added
    );
    assert_eq!(
        reviews::summary(&db.pool, answer).await.unwrap(),
        ReviewSummary { count: 2, total: 2 }
    );
    assert_eq!(reviews_given(&db.pool, 2).await, Some(1.0));
}

#[tokio::test]
async fn a_review_of_one_s_own_answer_is_ignored() {
    let db = setup().await;
    let answer = an_answer_by_member_one(&db.pool).await;
    let outcome = reviews::record(&db.pool, answer, 1, 1, "👍", Utc::now())
        .await
        .unwrap();
    assert_eq!(outcome, ReviewOutcome::OwnAnswer);
    assert_eq!(reviews::summary(&db.pool, answer).await.unwrap().count, 0);
    assert_eq!(reviews_given(&db.pool, 1).await, None);
}

#[tokio::test]
async fn removing_the_reaction_removes_the_review_but_a_replaced_one_changes_nothing() {
    let db = setup().await;
    let answer = an_answer_by_member_one(&db.pool).await;
    reviews::record(&db.pool, answer, 2, 1, "👍", Utc::now())
        .await
        .unwrap();
    reviews::record(&db.pool, answer, 2, 3, "🔥", Utc::now())
        .await
        .unwrap();
    assert!(!reviews::remove(&db.pool, answer, 2, "👍").await.unwrap());
    assert_eq!(reviews::summary(&db.pool, answer).await.unwrap().count, 1);
    assert!(reviews::remove(&db.pool, answer, 2, "🔥").await.unwrap());
    assert_eq!(
        reviews::summary(&db.pool, answer).await.unwrap(),
        ReviewSummary::default()
    );
    assert_eq!(reviews_given(&db.pool, 2).await, None);
}

#[tokio::test]
async fn a_review_of_a_missing_answer_or_by_a_stranger_is_refused() {
    let db = setup().await;
    let err = reviews::record(&db.pool, 12345, 2, 1, "👍", Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Missing("the answer")), "{err}");
    let answer = an_answer_by_member_one(&db.pool).await;
    let err = reviews::record(&db.pool, answer, 99, 1, "👍", Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Missing("the member")), "{err}");
}

#[tokio::test]
async fn one_qotd_post_per_day_even_with_concurrent_claimers() {
    let db = setup().await;
    let mut claimers = JoinSet::new();
    for _ in 0..16 {
        let pool = db.pool.clone();
        claimers.spawn(async move {
            qotd_posts::claim(&pool, 1, day(1), "backend-0")
                .await
                .unwrap()
        });
    }
    let mut winners = Vec::new();
    while let Some(won) = claimers.join_next().await {
        winners.extend(won.unwrap());
    }
    assert_eq!(winners.len(), 1);
    let post = qotd_posts::for_day(&db.pool, 1, day(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (post.qotd_post_id, post.question_id.as_str()),
        (winners[0], "backend-0")
    );
    assert!(qotd_posts::claim(&db.pool, 1, day(2), "backend-1")
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn claiming_a_post_for_an_unknown_question_is_refused() {
    let db = setup().await;
    let err = qotd_posts::claim(&db.pool, 1, day(1), "nope")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownQuestion { .. }), "{err}");
}

#[tokio::test]
async fn a_post_records_its_message_and_thread_and_is_revealed_once() {
    let db = setup().await;
    let id = qotd_posts::claim(&db.pool, 1, day(1), "backend-0")
        .await
        .unwrap()
        .unwrap();
    qotd_posts::claim(&db.pool, 1, day(2), "backend-1")
        .await
        .unwrap()
        .unwrap();
    qotd_posts::set_message(&db.pool, id, 777, Some(778))
        .await
        .unwrap();
    let post = qotd_posts::by_thread(&db.pool, 778).await.unwrap().unwrap();
    assert_eq!((post.qotd_post_id, post.message_id), (id, Some(777)));

    let waiting = qotd_posts::unrevealed_before(&db.pool, 1, day(3))
        .await
        .unwrap();
    assert_eq!(
        waiting.iter().map(|p| p.day).collect::<Vec<_>>(),
        [day(1), day(2)]
    );
    assert!(qotd_posts::reveal(&db.pool, id).await.unwrap());
    assert!(!qotd_posts::reveal(&db.pool, id).await.unwrap());
    assert_eq!(
        qotd_posts::unrevealed_before(&db.pool, 1, day(3))
            .await
            .unwrap()
            .len(),
        1
    );
    let recent = qotd_posts::recent_question_ids(&db.pool, 1, 5)
        .await
        .unwrap();
    assert_eq!(recent, ["backend-1", "backend-0"]);
}

#[tokio::test]
async fn qotd_messages_make_one_answer_per_member_until_the_reveal() {
    let db = setup().await;
    let post = qotd_posts::claim(&db.pool, 1, day(1), "databases-0")
        .await
        .unwrap()
        .unwrap();
    let a = qotd_answers::add_qotd_message(&db.pool, post, 2, "part one", 10, ANSWER_LIMIT)
        .await
        .unwrap();
    let b = qotd_answers::add_qotd_message(&db.pool, post, 2, "part two", 11, ANSWER_LIMIT)
        .await
        .unwrap();
    assert_eq!(a, b);
    let other = qotd_answers::add_qotd_message(&db.pool, post, 3, "mine", 12, ANSWER_LIMIT)
        .await
        .unwrap();
    assert_ne!(a, other);
    let answer = answers::get(&db.pool, a).await.unwrap().unwrap();
    assert_eq!(
        (answer.body.as_str(), answer.track.as_str()),
        ("part one\npart two", "databases")
    );
    assert_eq!(answer.qotd_post_id, Some(post));

    answers::submit(&db.pool, a, false, Utc::now())
        .await
        .unwrap();
    let err = qotd_answers::add_qotd_message(&db.pool, post, 2, "late", 13, ANSWER_LIMIT)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::QotdClosed), "{err}");
    qotd_posts::reveal(&db.pool, post).await.unwrap();
    let err = qotd_answers::add_qotd_message(&db.pool, post, 1, "after", 14, ANSWER_LIMIT)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::QotdClosed), "{err}");
}

#[tokio::test]
async fn an_answer_stops_growing_at_its_limit_and_says_which_answer_is_full() {
    let db = setup().await;
    let post = qotd_posts::claim(&db.pool, 1, day(1), "databases-0")
        .await
        .unwrap()
        .unwrap();
    let limit = AnswerLimit {
        chars: 20,
        messages: 3,
    };
    let add = |body: &'static str, message: u64| {
        let pool = db.pool.clone();
        async move { qotd_answers::add_qotd_message(&pool, post, 2, body, message, limit).await }
    };
    let id = add("one", 10).await.unwrap();
    add("two", 11).await.unwrap();
    add("three", 12).await.unwrap();
    // A fourth message is one too many, whatever its length.
    let err = add("4", 13).await.unwrap_err();
    assert!(
        matches!(err, StoreError::AnswerFull { answer_id } if answer_id == id),
        "{err}"
    );
    let answer = answers::get(&db.pool, id).await.unwrap().unwrap();
    assert_eq!(answer.body, "one\ntwo\nthree", "nothing was cut or added");
    assert_eq!(answer.message_ids.len(), 3);
    // The same message again (Discord redelivers) is no new part and no error.
    assert_eq!(add("three", 12).await.unwrap(), id);

    // Another member: a message that would pass 20 characters is left out.
    let other = qotd_answers::add_qotd_message(&db.pool, post, 3, "fifteen chars..", 20, limit)
        .await
        .unwrap();
    let err = qotd_answers::add_qotd_message(&db.pool, post, 3, "and five", 21, limit)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::AnswerFull { answer_id } if answer_id == other),
        "{err}"
    );
    let kept = answers::get(&db.pool, other).await.unwrap().unwrap();
    assert_eq!(kept.body, "fifteen chars..");
    // A first message longer than a whole answer opens nothing.
    let err = qotd_answers::add_qotd_message(&db.pool, post, 4, "x".repeat(21).as_str(), 30, limit)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::AnswerFull { answer_id: 0 }),
        "{err}"
    );
}

/// Answers and submits member `user`'s answer to the post of `d`.
async fn answer_qotd(pool: &PgPool, d: u32, user: u64) {
    let post = qotd_posts::for_day(pool, 1, day(d))
        .await
        .unwrap()
        .unwrap()
        .qotd_post_id;
    let id = qotd_answers::add_qotd_message(
        pool,
        post,
        user,
        "answer",
        u64::from(d) * 100 + user,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();
    answers::submit(pool, id, false, Utc::now()).await.unwrap();
}

#[tokio::test]
async fn a_streak_grows_with_consecutive_posts_and_restarts_after_a_missed_one() {
    let db = setup().await;
    // Posts on the 1st, 2nd, 4th (the 3rd was skipped by the guild) and 5th.
    for d in [1, 2, 4, 5] {
        qotd_posts::claim(&db.pool, 1, day(d), "backend-0")
            .await
            .unwrap();
    }
    for d in [1, 2, 4] {
        answer_qotd(&db.pool, d, 2).await;
    }
    let s = qotd_posts::streak(&db.pool, 1, 2).await.unwrap().unwrap();
    assert_eq!((s.current, s.best, s.last_day), (3, 3, day(4)));

    answer_qotd(&db.pool, 1, 3).await;
    answer_qotd(&db.pool, 4, 3).await;
    answer_qotd(&db.pool, 5, 3).await;
    let s = qotd_posts::streak(&db.pool, 1, 3).await.unwrap().unwrap();
    assert_eq!((s.current, s.best, s.last_day), (2, 2, day(5)));
    assert!(qotd_posts::streak(&db.pool, 1, 1).await.unwrap().is_none());
}
