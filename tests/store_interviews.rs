//! Interviews and their answers, on a real PostgreSQL.

mod common;

use chrono::{Duration as Span, Utc};
use common::fixtures::{self, start_interview, submitted_answer};
use common::pg::TestDb;
use mockingbird::bank::Difficulty;
use mockingbird::interview::{Ending, Turn, ANSWER_LIMIT};
use mockingbird::scoring::ScorerKind;
use mockingbird::store::answers::{self, AnswerStatus};
use mockingbird::store::guilds::{self, GuildSettings};
use mockingbird::store::interviews::{self, InterviewStatus, NewInterview};
use mockingbird::store::{answer_parts, jobs, PgPool, StoreError};

async fn setup() -> TestDb {
    let db = TestDb::new().await;
    fixtures::seed_bank(&db.pool).await;
    fixtures::member(&db.pool, 1, 10).await;
    fixtures::member(&db.pool, 1, 11).await;
    db
}

fn new_interview(thread_id: u64, plan: &[String]) -> NewInterview<'_> {
    NewInterview {
        guild_id: 1,
        user_id: 10,
        channel_id: 7,
        thread_id,
        track: "backend",
        difficulty: Difficulty::Junior,
        plan,
        private: false,
        adaptive: None,
        style: None,
        drill: false,
        design: None,
    }
}

async fn status(pool: &PgPool, thread_id: u64) -> InterviewStatus {
    interviews::by_thread(pool, thread_id)
        .await
        .unwrap()
        .unwrap()
        .status
}

#[tokio::test]
async fn a_started_interview_reads_back_by_its_thread() {
    let db = setup().await;
    let plan = vec!["backend-1".to_string(), "backend-2".to_string()];
    let id = interviews::start(&db.pool, &new_interview(500, &plan))
        .await
        .unwrap();
    let row = interviews::by_thread(&db.pool, 500).await.unwrap().unwrap();
    assert_eq!(row.interview_id, id);
    assert_eq!((row.guild_id, row.user_id, row.channel_id), (1, 10, 7));
    assert_eq!(
        (row.track.as_str(), row.difficulty),
        ("backend", Difficulty::Junior)
    );
    assert_eq!(row.plan, plan);
    assert_eq!(row.status, InterviewStatus::Active);
    assert!(row.finished_at.is_none());
    assert_eq!(
        interviews::active_for(&db.pool, 1, 10)
            .await
            .unwrap()
            .unwrap()
            .interview_id,
        id
    );
    assert!(interviews::by_thread(&db.pool, 501)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_second_active_interview_is_refused_naming_the_first_thread() {
    let db = setup().await;
    let plan = vec!["backend-1".to_string()];
    interviews::start(&db.pool, &new_interview(500, &plan))
        .await
        .unwrap();
    let err = interviews::start(&db.pool, &new_interview(501, &plan))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::InterviewActive { thread_id: 500 }),
        "{err}"
    );
    // Another member, or the same member in another guild, is not affected.
    let other = NewInterview {
        user_id: 11,
        ..new_interview(502, &plan)
    };
    interviews::start(&db.pool, &other).await.unwrap();
}

#[tokio::test]
async fn a_member_may_start_again_once_the_interview_is_over() {
    let db = setup().await;
    let plan = vec!["backend-1".to_string()];
    let id = interviews::start(&db.pool, &new_interview(500, &plan))
        .await
        .unwrap();
    assert!(interviews::finish(&db.pool, id, Ending::Ended, Utc::now())
        .await
        .unwrap());
    let again = interviews::start(&db.pool, &new_interview(501, &plan))
        .await
        .unwrap();
    assert_ne!(again, id);
}

#[tokio::test]
async fn a_thread_holds_one_interview_only() {
    let db = setup().await;
    let plan = vec!["backend-1".to_string()];
    interviews::start(&db.pool, &new_interview(500, &plan))
        .await
        .unwrap();
    let other = NewInterview {
        user_id: 11,
        ..new_interview(500, &plan)
    };
    let err = interviews::start(&db.pool, &other).await.unwrap_err();
    assert!(
        matches!(err, StoreError::ThreadTaken { thread_id: 500 }),
        "{err}"
    );
}

#[tokio::test]
async fn an_interview_for_an_unknown_member_is_refused() {
    let db = setup().await;
    let plan = vec!["backend-1".to_string()];
    let stranger = NewInterview {
        user_id: 99,
        ..new_interview(500, &plan)
    };
    let err = interviews::start(&db.pool, &stranger).await.unwrap_err();
    assert!(matches!(err, StoreError::Missing("the member")), "{err}");
}

#[tokio::test]
async fn saved_state_is_what_a_restart_resumes_from() {
    let db = setup().await;
    let id = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let other = start_interview(&db.pool, 1, 11, "databases", 1).await;
    interviews::finish(&db.pool, other, Ending::Completed, Utc::now())
        .await
        .unwrap();
    let state = serde_json::json!({"question": 2, "turn": "main"});
    interviews::save_state(&db.pool, id, &state, false)
        .await
        .unwrap();

    let active = interviews::all_active(&db.pool).await.unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!((active[0].interview_id, &active[0].state), (id, &state));
    let err = interviews::save_state(&db.pool, other, &state, false)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::InterviewNotActive { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn an_interview_finishes_once() {
    let db = setup().await;
    let id = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let thread = fixtures::thread_id(1, 10, 1);
    assert!(
        interviews::finish(&db.pool, id, Ending::Completed, Utc::now())
            .await
            .unwrap()
    );
    assert!(
        !interviews::finish(&db.pool, id, Ending::Abandoned, Utc::now())
            .await
            .unwrap()
    );
    assert_eq!(status(&db.pool, thread).await, InterviewStatus::Completed);
}

#[tokio::test]
async fn idle_interviews_follow_each_guild_s_idle_timeout() {
    let db = setup().await;
    let s = GuildSettings {
        idle_timeout: std::time::Duration::from_secs(600),
        ..GuildSettings::default()
    };
    guilds::save_settings(&db.pool, 1, &s).await.unwrap();
    fixtures::member(&db.pool, 2, 10).await;
    let short = start_interview(&db.pool, 1, 10, "backend", 1).await;
    start_interview(&db.pool, 2, 10, "backend", 1).await;

    let soon = Utc::now() + Span::minutes(15);
    let idle = interviews::idle(&db.pool, soon).await.unwrap();
    assert_eq!(
        idle.iter().map(|i| i.interview_id).collect::<Vec<_>>(),
        [short]
    );
    assert_eq!(
        interviews::idle(&db.pool, soon + Span::minutes(30))
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(interviews::idle(&db.pool, Utc::now())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn an_answer_grows_across_messages_and_ignores_a_redelivered_one() {
    let db = setup().await;
    let interview = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let id = answers::add_interview_message(
        &db.pool,
        interview,
        "backend-0",
        Turn::Main,
        "first",
        1,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();
    let add = |text: &'static str, message: u64| main_message(&db.pool, interview, text, message);
    assert_eq!(add("second", 2).await, id);
    assert_eq!(
        add("second", 2).await,
        id,
        "a redelivered message is not added twice"
    );
    let a = answers::get(&db.pool, id).await.unwrap().unwrap();
    assert_eq!(
        (a.body.as_str(), a.message_ids.as_slice()),
        ("first\nsecond", &[1, 2][..])
    );
    assert_eq!(
        (a.status, a.turn, a.track.as_str()),
        (AnswerStatus::Open, Turn::Main, "backend")
    );
    assert!(a.scores.is_none());
}

/// Each message is handled on its own, so a later one can be stored first: the answer reads
/// in the order the member wrote, and a message redelivered changes nothing.
#[tokio::test]
async fn messages_stored_out_of_order_read_in_the_order_they_were_written() {
    let db = setup().await;
    let interview = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let add = |text: &'static str, message: u64| main_message(&db.pool, interview, text, message);
    let id = add("third", 300).await;
    add("first", 100).await;
    add("second", 200).await;
    add("second", 200).await;
    let a = answers::get(&db.pool, id).await.unwrap().unwrap();
    assert_eq!(a.body, "first\nsecond\nthird");
    assert_eq!(a.message_ids, [100, 200, 300]);

    // With every message deleted, the next one is the whole answer.
    for message in [100, 200, 300] {
        answer_parts::remove(&db.pool, 1, message).await.unwrap();
    }
    add("again", 400).await;
    let a = answers::get(&db.pool, id).await.unwrap().unwrap();
    assert_eq!(
        (a.body.as_str(), a.message_ids.as_slice()),
        ("again", &[400][..])
    );
}

#[tokio::test]
async fn submitting_an_answer_queues_its_scoring_job_once() {
    let db = setup().await;
    let interview = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let id = answers::add_interview_message(
        &db.pool,
        interview,
        "backend-0",
        Turn::Main,
        "text",
        1,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();
    let job = answers::submit(&db.pool, id, true, Utc::now())
        .await
        .unwrap();
    let row = fixtures::job_of(&db.pool, id).await;
    assert_eq!(
        (row.job_id, row.status, row.attempts),
        (job, jobs::JobStatus::Queued, 0)
    );
    let a = answers::get(&db.pool, id).await.unwrap().unwrap();
    assert_eq!((a.status, a.hinted), (AnswerStatus::Submitted, true));

    let again = answers::submit(&db.pool, id, false, Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::AnswerNotOpen { answer_id } if answer_id == id));
    let late = answers::add_interview_message(
        &db.pool,
        interview,
        "backend-0",
        Turn::Main,
        "more",
        2,
        ANSWER_LIMIT,
    )
    .await
    .unwrap_err();
    assert!(matches!(late, StoreError::AnswerNotOpen { .. }), "{late}");
    assert_eq!(jobs::pending(&db.pool).await.unwrap(), 1);
}

#[tokio::test]
async fn a_turn_is_answered_once() {
    let db = setup().await;
    let interview = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let add = |turn: Turn, text: &'static str, message: u64| {
        let pool = db.pool.clone();
        async move {
            answers::add_interview_message(
                &pool,
                interview,
                "backend-0",
                turn,
                text,
                message,
                ANSWER_LIMIT,
            )
            .await
        }
    };
    let id = add(Turn::Main, "a", 1).await.unwrap();
    assert_eq!(
        add(Turn::Main, "b", 2).await.unwrap(),
        id,
        "the same turn's answer grows"
    );
    answers::submit(&db.pool, id, false, Utc::now())
        .await
        .unwrap();
    let err = add(Turn::Main, "c", 3).await.unwrap_err();
    assert!(matches!(err, StoreError::AnswerNotOpen { .. }), "{err}");
    let follow_up = Turn::FollowUp { index: 0 };
    let f = add(follow_up, "d", 4).await.unwrap();
    assert_ne!(f, id);
    assert_eq!(
        answers::get(&db.pool, f).await.unwrap().unwrap().turn,
        follow_up
    );
}

#[tokio::test]
async fn an_answer_to_an_unknown_question_or_a_finished_interview_is_refused() {
    let db = setup().await;
    let interview = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let err = answers::add_interview_message(
        &db.pool,
        interview,
        "nope",
        Turn::Main,
        "a",
        1,
        ANSWER_LIMIT,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, StoreError::UnknownQuestion { ref id } if id == "nope"),
        "{err}"
    );
    interviews::finish(&db.pool, interview, Ending::Ended, Utc::now())
        .await
        .unwrap();
    let err = answers::add_interview_message(
        &db.pool,
        interview,
        "backend-0",
        Turn::Main,
        "a",
        1,
        ANSWER_LIMIT,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, StoreError::InterviewNotActive { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn an_interview_s_answers_come_back_in_order_with_their_scores() {
    let db = setup().await;
    let interview = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let first = submitted_answer(&db.pool, interview, "backend-0", Utc::now()).await;
    let second = submitted_answer(&db.pool, interview, "backend-1", Utc::now()).await;
    fixtures::score_all(&db.pool, |id| if id == first { 7.5 } else { 4.0 }).await;

    let all = answers::for_interview(&db.pool, interview).await.unwrap();
    assert_eq!(
        all.iter().map(|a| a.answer_id).collect::<Vec<_>>(),
        [first, second]
    );
    let scores = all[0].scores.unwrap();
    assert_eq!((scores.overall, scores.technical), (7.5, 7.5));
    assert_eq!(all[0].status, AnswerStatus::Scored);
    assert_eq!(all[0].scorer, Some(ScorerKind::Llm));
    assert!(!all[0].flagged);
    let (version, tokens_in, tokens_out): (Option<String>, Option<i32>, Option<i32>) =
        sqlx::query_as(
            "SELECT prompt_version, tokens_in, tokens_out FROM answers WHERE answer_id = $1",
        )
        .bind(first)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        (version.as_deref(), tokens_in, tokens_out),
        (Some("v1"), Some(100), Some(20))
    );
    let feedback = all[0].feedback.as_ref().unwrap();
    assert_eq!(feedback["covered"][0]["id"], "core");
    assert_eq!(feedback["feedback"][0], "Good.");
}

#[tokio::test]
async fn the_written_follow_up_is_a_turn_of_its_own_and_keeps_what_it_is_scored_against() {
    let db = setup().await;
    let interview = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let main = submitted_answer(&db.pool, interview, "backend-0", Utc::now()).await;
    let job = jobs::claim(&db.pool, "w", 1, std::time::Duration::from_secs(60))
        .await
        .unwrap()
        .remove(0);
    let mut a = fixtures::assessment(6.0);
    a.follow_up = Some(mockingbird::scoring::WrittenFollowUp {
        prompt: "Why not a queue?".into(),
        points: vec![],
    });
    a.notes = vec!["The LLM was unavailable; the offline scorer scored this.".into()];
    assert!(jobs::complete(&db.pool, &job.lease, &a).await.unwrap());
    let stored = answers::get(&db.pool, main).await.unwrap().unwrap();
    let feedback = stored.feedback.unwrap();
    assert_eq!(feedback["follow_up"]["prompt"], "Why not a queue?");
    assert_eq!(
        feedback["notes"][0],
        "The LLM was unavailable; the offline scorer scored this."
    );

    let written = answers::add_interview_message(
        &db.pool,
        interview,
        "backend-0",
        Turn::Written,
        "b",
        2,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();
    assert_eq!(
        answers::get(&db.pool, written).await.unwrap().unwrap().turn,
        Turn::Written
    );
    for turn in [
        Turn::Main,
        Turn::FollowUp { index: 0 },
        Turn::FollowUp { index: 4 },
        Turn::Written,
    ] {
        assert_eq!(answers::turn_from_number(answers::turn_number(turn)), turn);
    }
}

/// Past its guild's retention an answer keeps its scores but not its text, nor the quotes of
/// it; an open answer, a recent one and one in a guild that keeps text are left alone.
#[tokio::test]
async fn answers_past_their_guilds_retention_lose_their_text_and_keep_their_scores() {
    use mockingbird::store::privacy;

    let db = setup().await;
    fixtures::member(&db.pool, 2, 10).await;
    guilds::update_settings(&db.pool, 1, |s| {
        s.answer_retention_days = Some(30);
        Ok::<_, StoreError>(())
    })
    .await
    .unwrap();
    let now = Utc::now();
    let interview = start_interview(&db.pool, 1, 10, "backend", 1).await;
    let old = submitted_answer(&db.pool, interview, "backend-0", now).await;
    let recent = submitted_answer(&db.pool, interview, "backend-1", now).await;
    let elsewhere = start_interview(&db.pool, 2, 10, "backend", 1).await;
    let kept = submitted_answer(&db.pool, elsewhere, "backend-0", now).await;
    fixtures::score_all(&db.pool, |_| 7.0).await;
    let open = answers::add_interview_message(
        &db.pool,
        interview,
        "backend-2",
        Turn::Main,
        "draft",
        9,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();
    // Submitted and waiting for its score: the scorer still needs the text.
    let waiting = submitted_answer(&db.pool, interview, "backend-3", now).await;
    // Left open when its interview was abandoned: nobody will submit it.
    let other = start_interview(&db.pool, 1, 11, "backend", 2).await;
    let left_open = answers::add_interview_message(
        &db.pool,
        other,
        "backend-0",
        Turn::Main,
        "half of it",
        10,
        ANSWER_LIMIT,
    )
    .await
    .unwrap();
    interviews::finish(&db.pool, other, Ending::Abandoned, now)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE answers SET created_at = now() - interval '40 days',
                covered = '[{\"id\": \"core\", \"coverage\": 1, \"evidence\": \"my answer\"}]'
         WHERE answer_id <> $1",
    )
    .bind(recent)
    .execute(&db.pool)
    .await
    .unwrap();

    let erased = privacy::erase_expired_answer_text(&db.pool, now, 100)
        .await
        .unwrap();
    assert_eq!(erased, 2);
    let a = answers::get(&db.pool, left_open).await.unwrap().unwrap();
    assert_eq!(a.body, "");
    let a = answers::get(&db.pool, old).await.unwrap().unwrap();
    assert_eq!(a.body, "");
    assert_eq!(a.scores.expect("the scores stay").overall, 7.0);
    let feedback = a.feedback.expect("the feedback stays");
    assert_eq!(feedback["covered"][0]["id"], "core");
    assert!(
        feedback["covered"][0].get("evidence").is_none(),
        "{feedback}"
    );
    for id in [recent, kept, open, waiting] {
        let a = answers::get(&db.pool, id).await.unwrap().unwrap();
        assert!(!a.body.is_empty(), "answer {id} lost its text");
    }
    assert_eq!(
        privacy::erase_expired_answer_text(&db.pool, now, 100)
            .await
            .unwrap(),
        0
    );
}

/// Files message `message` (`text`) under the main question of `interview`'s "backend-0",
/// returning the answer it joined.
async fn main_message(pool: &PgPool, interview: i64, text: &str, message: u64) -> i64 {
    answers::add_interview_message(
        pool,
        interview,
        "backend-0",
        Turn::Main,
        text,
        message,
        ANSWER_LIMIT,
    )
    .await
    .unwrap()
}
