//! Fixtures: a small bank over three tracks, members, interviews, and answers driven through the
//! store's own functions, so the tests exercise the same paths as the bot.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use mockingbird::bank::{Bank, Difficulty, Question};
use mockingbird::interview::{Turn, ANSWER_LIMIT};
use mockingbird::scoring::ScorerKind;
use mockingbird::scoring::{Assessment, PointResult, Scores, TokenUsage};
use mockingbird::store::{answers, guilds, interviews, jobs, questions, PgPool};

pub const TRACKS: [&str; 3] = ["backend", "databases", "system-design"];
/// Questions per track in the fixture bank.
pub const PER_TRACK: usize = 10;

/// A question on `track` with this id: a bundled question, renamed (so the fixture keeps up with
/// the question model without listing its fields).
pub fn question(id: &str, track: &str) -> Question {
    static TEMPLATE: OnceLock<Question> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let bank = Bank::bundled().expect("the bundled bank loads");
        (*bank.questions()[0]).clone()
    });
    let mut q = template.clone();
    q.id = id.into();
    q.track = track.into();
    q.topic = format!("{track} basics");
    q.difficulty = Difficulty::Mid;
    q.prompt = format!("Explain {id}.");
    q
}

/// The id of the n-th question of a track.
pub fn question_id(track: &str, n: usize) -> String {
    format!("{track}-{n}")
}

/// The fixture bank: `PER_TRACK` questions in each of `TRACKS`.
pub fn bank() -> Vec<Arc<Question>> {
    TRACKS
        .iter()
        .flat_map(|t| (0..PER_TRACK).map(move |n| Arc::new(question(&question_id(t, n), t))))
        .collect()
}

/// Syncs the fixture bank into the database.
pub async fn seed_bank(pool: &PgPool) {
    questions::sync_bank(pool, &bank())
        .await
        .expect("sync the fixture bank");
}

/// An assessment with every dimension at `overall`.
pub fn assessment(overall: f32) -> Assessment {
    let point = PointResult {
        id: "core".into(),
        statement: "Names the core idea".into(),
        coverage: 1.0,
        evidence: None,
    };
    Assessment {
        scores: Scores {
            technical: overall,
            tradeoffs: overall,
            communication: overall,
            overall,
        },
        covered: vec![point],
        partial: Vec::new(),
        missed: Vec::new(),
        pitfalls: Vec::new(),
        feedback: vec!["Good.".into()],
        scorer: ScorerKind::Llm,
        model: Some("test-model".into()),
        prompt_version: Some("v1".into()),
        usage: Some(TokenUsage {
            prompt_tokens: 100,
            completion_tokens: 20,
        }),
        ..Assessment::default()
    }
}

/// Registers a member (and the guild).
pub async fn member(pool: &PgPool, guild_id: u64, user_id: u64) {
    guilds::upsert_member(pool, guild_id, user_id, &format!("member {user_id}"))
        .await
        .expect("register the member");
}

/// Starts an interview on a track whose plan is the track's questions; the thread id is
/// derived from the guild, member and `n` so it is unique.
pub async fn start_interview(
    pool: &PgPool,
    guild_id: u64,
    user_id: u64,
    track: &str,
    n: u64,
) -> i64 {
    let plan: Vec<String> = (0..PER_TRACK).map(|i| question_id(track, i)).collect();
    let new = interviews::NewInterview {
        guild_id,
        user_id,
        channel_id: 7,
        thread_id: thread_id(guild_id, user_id, n),
        track,
        difficulty: Difficulty::Mid,
        plan: &plan,
        private: false,
        adaptive: None,
        style: None,
        drill: false,
        design: None,
    };
    interviews::start(pool, &new)
        .await
        .expect("start the interview")
}

/// A thread id unique per (guild, member, n).
pub fn thread_id(guild_id: u64, user_id: u64, n: u64) -> u64 {
    guild_id * 1_000_000_000 + user_id * 10_000 + n
}

/// Opens and submits an answer to a main question; returns its id.
pub async fn submitted_answer(
    pool: &PgPool,
    interview_id: i64,
    question_id: &str,
    at: DateTime<Utc>,
) -> i64 {
    let message = rand::random::<u32>().into();
    let id = answers::add_interview_message(
        pool,
        interview_id,
        question_id,
        Turn::Main,
        "my answer",
        message,
        ANSWER_LIMIT,
    )
    .await
    .expect("open the answer");
    answers::submit(pool, id, false, at)
        .await
        .expect("submit the answer");
    id
}

/// Claims every due job and completes each with the score `score(answer_id)` gives.
pub async fn score_all(pool: &PgPool, score: impl Fn(i64) -> f32) -> usize {
    let mut done = 0;
    loop {
        let claimed = jobs::claim(pool, "fixture", 100, Duration::from_secs(60))
            .await
            .expect("claim jobs");
        if claimed.is_empty() {
            return done;
        }
        for job in claimed {
            let a = assessment(score(job.answer_id));
            assert!(jobs::complete(pool, &job.lease, &a)
                .await
                .expect("complete the job"));
            done += 1;
        }
    }
}

/// Claims due jobs until the one of `answer_id` comes up and completes it with `overall`;
/// other jobs claimed on the way are failed back to the queue at once.
pub async fn score_all_matching(pool: &PgPool, answer_id: i64, overall: f32) {
    let now = jobs::JobRetry {
        max_attempts: i32::MAX,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };
    loop {
        let claimed = jobs::claim(pool, "fixture", 100, Duration::from_secs(60))
            .await
            .expect("claim jobs");
        assert!(!claimed.is_empty(), "answer {answer_id} has no due job");
        let mut found = false;
        for job in claimed {
            if job.answer_id == answer_id {
                let a = assessment(overall);
                assert!(jobs::complete(pool, &job.lease, &a)
                    .await
                    .expect("complete"));
                found = true;
            } else {
                jobs::fail(pool, &job.lease, "not now", &now)
                    .await
                    .expect("requeue");
            }
        }
        if found {
            return;
        }
    }
}

/// An answer's scoring job as the queue left it.
#[derive(Debug)]
pub struct Job {
    pub job_id: i64,
    pub status: jobs::JobStatus,
    pub attempts: i32,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
}

/// The scoring job of an answer, read straight from the table: the product never looks one
/// up by its answer, so the store has no function for it.
pub async fn job_of(pool: &PgPool, answer_id: i64) -> Job {
    type Row = (i64, String, i32, Option<String>, Option<String>);
    let (job_id, status, attempts, locked_by, last_error): Row = sqlx::query_as(
        "SELECT job_id, status, attempts, locked_by, last_error
         FROM scoring_jobs WHERE answer_id = $1",
    )
    .bind(answer_id)
    .fetch_one(pool)
    .await
    .expect("the answer has a scoring job");
    let status = jobs::JobStatus::parse(&status).expect("a job status");
    Job {
        job_id,
        status,
        attempts,
        locked_by,
        last_error,
    }
}
