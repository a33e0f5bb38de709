//! The durable scoring queue, on a real PostgreSQL: leases, retries, and exactly-once scoring
//! under concurrent workers.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use common::fixtures::{self, assessment, start_interview, submitted_answer, PER_TRACK};
use common::pg::TestDb;
use mockingbird::store::answers::{self, AnswerStatus};
use mockingbird::store::jobs::{self, Failure, JobRetry, JobStatus};
use mockingbird::store::PgPool;
use tokio::task::JoinSet;

const LONG: Duration = Duration::from_secs(60);

async fn setup() -> TestDb {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    db
}

/// `members` members answering every question of one interview each: `members * PER_TRACK`
/// submitted answers, each with a queued job.
async fn queued_answers(pool: &PgPool, members: u64) -> Vec<i64> {
    let mut tasks = JoinSet::new();
    for user in 1..=members {
        let pool = pool.clone();
        tasks.spawn(async move {
            fixtures::member(&pool, 1, user).await;
            let interview = start_interview(&pool, 1, user, "backend", 1).await;
            let mut ids = Vec::new();
            for n in 0..PER_TRACK {
                let q = fixtures::question_id("backend", n);
                ids.push(submitted_answer(&pool, interview, &q, Utc::now()).await);
            }
            ids
        });
    }
    let mut all = Vec::new();
    while let Some(ids) = tasks.join_next().await {
        all.extend(ids.unwrap());
    }
    all
}

async fn scored_answers_counted(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT coalesce(sum(answers), 0)::int8 FROM member_totals WHERE track = ''")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_claimed_job_carries_the_answer_and_is_not_handed_out_twice() {
    let db = setup().await;
    let ids = queued_answers(&db.pool, 1).await;
    let claimed = jobs::claim(&db.pool, "w1", 1, LONG).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let job = &claimed[0];
    assert_eq!((job.lease.worker.as_str(), job.lease.attempt), ("w1", 1));
    assert_eq!(
        (job.guild_id, job.user_id, job.body.as_str()),
        (1, 1, "my answer")
    );
    assert!(ids.contains(&job.answer_id));

    let rest = jobs::claim(&db.pool, "w2", 100, LONG).await.unwrap();
    assert_eq!(rest.len(), ids.len() - 1);
    assert!(rest.iter().all(|j| j.answer_id != job.answer_id));
    assert!(jobs::claim(&db.pool, "w3", 100, LONG)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn completing_a_job_stores_the_scores_once() {
    let db = setup().await;
    queued_answers(&db.pool, 1).await;
    let job = jobs::claim(&db.pool, "w1", 1, LONG)
        .await
        .unwrap()
        .remove(0);
    let a = assessment(6.4);
    assert!(jobs::complete(&db.pool, &job.lease, &a).await.unwrap());
    assert!(!jobs::complete(&db.pool, &job.lease, &a).await.unwrap());

    let answer = answers::get(&db.pool, job.answer_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (answer.status, answer.scores.unwrap().overall),
        (AnswerStatus::Scored, 6.4)
    );
    let row = fixtures::job_of(&db.pool, job.answer_id).await;
    assert_eq!(row.status, JobStatus::Done);
    assert_eq!(scored_answers_counted(&db.pool).await, 1);
}

#[tokio::test]
async fn an_expired_lease_is_reclaimed_and_the_old_holder_cannot_finish_it() {
    let db = setup().await;
    queued_answers(&db.pool, 1).await;
    let first = jobs::claim(&db.pool, "crashed", 1, Duration::from_millis(100))
        .await
        .unwrap()
        .remove(0);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let again = jobs::claim(&db.pool, "rescuer", 100, LONG).await.unwrap();
    let second = again
        .iter()
        .find(|j| j.answer_id == first.answer_id)
        .expect("reclaimed");
    assert_eq!(second.lease.attempt, 2);
    let a = assessment(5.0);
    assert!(!jobs::complete(&db.pool, &first.lease, &a).await.unwrap());
    let lost = jobs::fail(&db.pool, &first.lease, "late", &JobRetry::default())
        .await
        .unwrap();
    assert_eq!(lost, Failure::LeaseLost);
    assert!(jobs::complete(&db.pool, &second.lease, &a).await.unwrap());
    let row = fixtures::job_of(&db.pool, first.answer_id).await;
    assert_eq!(
        (row.status, row.attempts, row.locked_by),
        (JobStatus::Done, 2, Some("rescuer".into()))
    );
}

#[tokio::test]
async fn an_extended_lease_is_not_reclaimed() {
    let db = setup().await;
    queued_answers(&db.pool, 1).await;
    let job = jobs::claim(&db.pool, "slow", 1, Duration::from_millis(200))
        .await
        .unwrap()
        .remove(0);
    assert!(jobs::extend(&db.pool, &job.lease, LONG).await.unwrap());
    tokio::time::sleep(Duration::from_millis(400)).await;
    let others = jobs::claim(&db.pool, "other", 100, LONG).await.unwrap();
    assert!(others.iter().all(|j| j.answer_id != job.answer_id));
    assert!(jobs::complete(&db.pool, &job.lease, &assessment(1.0))
        .await
        .unwrap());
}

#[tokio::test]
async fn a_failed_job_is_retried_after_a_backoff() {
    let db = setup().await;
    queued_answers(&db.pool, 1).await;
    let job = jobs::claim(&db.pool, "w1", 1, LONG)
        .await
        .unwrap()
        .remove(0);
    let policy = JobRetry {
        max_attempts: 3,
        base_delay: Duration::from_secs(30),
        max_delay: Duration::from_secs(45),
    };
    let before = Utc::now();
    let Failure::Retry { at } = jobs::fail(&db.pool, &job.lease, "HTTP 429", &policy)
        .await
        .unwrap()
    else {
        panic!("expected a retry");
    };
    assert!(
        at >= before + chrono::Duration::seconds(29)
            && at <= before + chrono::Duration::seconds(40)
    );
    let row = fixtures::job_of(&db.pool, job.answer_id).await;
    assert_eq!(
        (row.status, row.last_error.as_deref()),
        (JobStatus::Queued, Some("HTTP 429"))
    );
    let claimed = jobs::claim(&db.pool, "w2", 100, LONG).await.unwrap();
    assert!(
        claimed.iter().all(|j| j.answer_id != job.answer_id),
        "not due yet"
    );
}

#[test]
fn the_backoff_doubles_up_to_its_cap() {
    let policy = JobRetry {
        max_attempts: 10,
        base_delay: Duration::from_secs(5),
        max_delay: Duration::from_secs(60),
    };
    let delays: Vec<u64> = (1..=6).map(|a| policy.delay_after(a).as_secs()).collect();
    assert_eq!(delays, [5, 10, 20, 40, 60, 60]);
}

#[tokio::test]
async fn a_job_out_of_attempts_fails_for_good_with_its_answer() {
    let db = setup().await;
    let ids = queued_answers(&db.pool, 1).await;
    let target = ids[0];
    let policy = JobRetry {
        max_attempts: 2,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };
    let mut outcomes = Vec::new();
    for _ in 0..2 {
        let claimed = jobs::claim(&db.pool, "w", 100, LONG).await.unwrap();
        let job = claimed.iter().find(|j| j.answer_id == target).unwrap();
        outcomes.push(
            jobs::fail(&db.pool, &job.lease, "malformed output", &policy)
                .await
                .unwrap(),
        );
        for other in claimed.iter().filter(|j| j.answer_id != target) {
            jobs::fail(&db.pool, &other.lease, "skip", &JobRetry::default())
                .await
                .unwrap();
        }
    }
    assert!(matches!(outcomes[0], Failure::Retry { .. }));
    assert_eq!(outcomes[1], Failure::Final);
    let row = fixtures::job_of(&db.pool, target).await;
    assert_eq!((row.status, row.attempts), (JobStatus::Failed, 2));
    let answer = answers::get(&db.pool, target).await.unwrap().unwrap();
    assert_eq!(answer.status, AnswerStatus::Failed);
    assert!(jobs::claim(&db.pool, "w", 100, LONG)
        .await
        .unwrap()
        .iter()
        .all(|j| j.answer_id != target));
}

#[tokio::test]
async fn eight_concurrent_workers_score_a_thousand_jobs_exactly_once() {
    let db = setup().await;
    let ids = queued_answers(&db.pool, 100).await;
    assert_eq!(ids.len(), 1000);
    let claimed = Arc::new(Mutex::new(Vec::new()));
    let mut workers = JoinSet::new();
    for w in 0..8 {
        let (pool, claimed) = (db.pool.clone(), claimed.clone());
        workers.spawn(async move {
            let worker = format!("worker-{w}");
            let mut completed = 0;
            loop {
                let batch = jobs::claim(&pool, &worker, 5, LONG).await.unwrap();
                if batch.is_empty() {
                    return completed;
                }
                for job in batch {
                    claimed.lock().unwrap().push(job.answer_id);
                    let a = assessment(8.0);
                    assert!(jobs::complete(&pool, &job.lease, &a).await.unwrap());
                    completed += 1;
                }
            }
        });
    }
    let mut total = 0;
    while let Some(n) = workers.join_next().await {
        total += n.unwrap();
    }
    let claimed = claimed.lock().unwrap().clone();
    let distinct: HashSet<i64> = claimed.iter().copied().collect();
    assert_eq!((total, claimed.len(), distinct.len()), (1000, 1000, 1000));
    assert_eq!(distinct, ids.iter().copied().collect());
    let done: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM scoring_jobs WHERE status = 'done' AND attempts = 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(done, 1000);
    assert_eq!(scored_answers_counted(&db.pool).await, 1000);
}

#[tokio::test]
async fn workers_that_crash_or_stall_past_their_lease_still_score_every_job_once() {
    let db = setup().await;
    let ids = queued_answers(&db.pool, 30).await;
    let mut workers = JoinSet::new();
    for w in 0..8u64 {
        let pool = db.pool.clone();
        workers.spawn(async move {
            let worker = format!("worker-{w}");
            let (mut completed, mut idle_rounds) = (0, 0);
            while idle_rounds < 20 {
                let batch = jobs::claim(&pool, &worker, 3, Duration::from_millis(150))
                    .await
                    .unwrap();
                if batch.is_empty() {
                    idle_rounds += 1;
                    tokio::time::sleep(Duration::from_millis(25)).await;
                    continue;
                }
                idle_rounds = 0;
                for job in batch {
                    match rand::random::<u8>() % 10 {
                        0 => continue, // crashed: the lease runs out
                        1 => tokio::time::sleep(Duration::from_millis(200)).await, // stalled
                        _ => {}
                    }
                    let a = assessment(3.0);
                    if jobs::complete(&pool, &job.lease, &a).await.unwrap() {
                        completed += 1;
                    }
                }
            }
            completed
        });
    }
    let mut total = 0;
    while let Some(n) = workers.join_next().await {
        total += n.unwrap();
    }
    assert_eq!(total, ids.len());
    assert_eq!(jobs::pending(&db.pool).await.unwrap(), 0);
    assert_eq!(scored_answers_counted(&db.pool).await, ids.len() as i64);
}

#[tokio::test]
async fn a_batch_completes_every_job_it_still_holds_and_skips_a_lost_one() {
    let db = setup().await;
    let ids = queued_answers(&db.pool, 1).await;
    let mut claimed = jobs::claim(&db.pool, "batcher", 4, LONG).await.unwrap();
    let mut stale = claimed[3].lease.clone();
    stale.attempt += 1;
    let (low, high) = (assessment(2.0), assessment(9.0));
    let batch: Vec<_> = claimed
        .iter()
        .enumerate()
        .map(|(i, j)| {
            (
                if i == 3 { &stale } else { &j.lease },
                if i == 0 { &low } else { &high },
            )
        })
        .collect();
    let done = jobs::complete_many(&db.pool, &batch).await.unwrap();
    let expected: Vec<i64> = claimed[..3].iter().map(|j| j.lease.job_id).collect();
    assert_eq!(done, expected);

    // The member's four answers in one batch count once each on the boards.
    let last = claimed.pop().unwrap();
    assert!(jobs::complete(&db.pool, &last.lease, &high).await.unwrap());
    assert_eq!(scored_answers_counted(&db.pool).await, 4);
    let points: i64 = sqlx::query_scalar("SELECT points FROM member_totals WHERE track = ''")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(points, 20 + 3 * 90);
    assert_eq!(jobs::pending(&db.pool).await.unwrap(), ids.len() as i64 - 4);
}

#[tokio::test]
async fn a_claim_skips_the_disk_flush_for_itself_only() {
    let db = setup().await;
    queued_answers(&db.pool, 1).await;
    let mut conn = db.pool.acquire().await.unwrap();
    let show = "SHOW synchronous_commit";
    // Inside the claim's transaction the flush is off…
    let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
    let claimed = jobs::claim(&mut *tx, "w", 1, LONG).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let inside: String = sqlx::query_scalar(show).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        inside, "off",
        "the claim commits without waiting for the disk"
    );
    // …and the connection goes back to the pool as it came: later commits flush.
    let after: String = sqlx::query_scalar(show)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(after, "on");
}

#[tokio::test]
async fn one_guilds_rush_does_not_hold_up_another_guilds_answer() {
    let db = setup().await;
    // Guild 1's rush: a queue of answers from ten members, all older than guild 2's one.
    let rush = queued_answers(&db.pool, 10).await;
    fixtures::member(&db.pool, 2, 1).await;
    let interview = start_interview(&db.pool, 2, 1, "backend", 1).await;
    let q = fixtures::question_id("backend", 0);
    let lone = submitted_answer(&db.pool, interview, &q, Utc::now()).await;

    // A worker is scoring one of guild 1's; the next free worker takes guild 2's answer,
    // not the next of guild 1's older ones.
    let first = jobs::claim(&db.pool, "w1", 1, LONG).await.unwrap();
    assert!(rush.contains(&first[0].answer_id));
    let next = jobs::claim(&db.pool, "w2", 1, LONG).await.unwrap();
    assert_eq!(
        next[0].answer_id,
        lone,
        "guild 2 waits behind one job, not {}",
        rush.len()
    );
    assert_eq!(next[0].guild_id, 2);
    // With guild 2 served, guild 1's queue goes on in order of age.
    let rest = jobs::claim(&db.pool, "w3", 3, LONG).await.unwrap();
    assert!(rest.iter().all(|j| j.guild_id == 1), "{rest:#?}");
}
