//! End to end: the real bot process, the fake Discord, a real PostgreSQL database and the fake
//! LLM. A member runs `/interview start`, answers in the thread, and gets feedback, follow-ups
//! and a report; the tests check what the member would see, and what was stored.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use common::bot::{interview_id, start_command, Harness, WAIT};
use common::fixtures;
use mockingbird::fake_discord::{ids, MemberFile, RecordedMessage, SlashCommand, World};
use mockingbird::interview::Turn;
use mockingbird::scoring::llm::fake::Reply;
use mockingbird::scoring::Rubric;
use mockingbird::store::answers::{self, AnswerStatus};
use mockingbird::store::interviews::{self, InterviewStatus};
use mockingbird::store::jobs::JobStatus;

const GOOD: Reply = Reply::Grade {
    scores: [8, 7, 8],
    covered: 2,
};

fn start(track: &str, questions: i64) -> SlashCommand {
    start_command(track, questions)
}

/// Alice starts an interview; returns her thread.
async fn alice_starts(h: &Harness, cmd: &SlashCommand) -> u64 {
    h.member_starts(ids::ALICE, cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_interview_from_slash_command_to_report() {
    let h = Harness::start(Some(GOOD)).await;
    let thread = alice_starts(&h, &start("databases", 1)).await;
    h.nth_titled(thread, "Mock interview: databases", 1).await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);

    // A good answer (the bank's model answer) in two messages; Bob's remark in between is not
    // part of it.
    let (first_half, second_half) = h.model_answer_halves(id).await;
    h.discord
        .send_message(ids::ALICE, thread, &first_half)
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .send_message(ids::BOB, thread, "Nice start, Alice!")
        .unwrap();
    h.discord
        .send_message(ids::ALICE, thread, &second_half)
        .unwrap();
    h.wait_for_parts(id, 2).await;
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();

    h.discord.wait_for_typing(thread, WAIT).await.unwrap();
    let feedback = h.nth_titled(thread, "Feedback:", 1).await;
    let footer = feedback.embeds[0]["footer"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        footer.contains("fake-model"),
        "the scorer is named: {footer}"
    );

    // The LLM wrote a follow-up from the answer; then the bank's follow-ups may come. Answer
    // each until the report.
    let mut asked = h.nth_titled(thread, "Follow-up to question 1", 1).await;
    for answered in 2..=3 {
        h.discord
            .send_message(
                ids::ALICE,
                thread,
                "Writes pay for it: every insert updates the index too.",
            )
            .unwrap();
        h.wait_for_parts(id, 1).await;
        h.discord
            .click(ids::ALICE, asked.id, &format!("iv:submit:{id}"))
            .unwrap();
        h.nth_titled(thread, "Feedback:", answered).await;
        let next = h.next_turn_or_report(thread, asked.id).await;
        if next.embed_titles().contains(&"Interview report") {
            break;
        }
        asked = next;
    }
    let report = h.nth_titled(thread, "Interview report", 1).await;
    assert_eq!(report.attachments.len(), 1, "the report carries its chart");
    assert!(report.attachments[0].bytes.starts_with(b"\x89PNG"));

    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    let main = stored.iter().find(|a| a.turn == Turn::Main).unwrap();
    assert_eq!(main.body, format!("{first_half}\n{second_half}"));
    assert!(
        !main.body.contains("Nice start"),
        "Bob's message is not Alice's answer"
    );
    assert!(
        stored.iter().any(|a| a.turn == Turn::Written),
        "the written follow-up was answered: {stored:#?}"
    );
    assert!(stored.iter().all(|a| a.status == AnswerStatus::Scored));
    // Each answer was scored against the rubric the interview chose when it was submitted,
    // stored with its job: the question's own, and the written follow-up's.
    let written = main.assessment().and_then(|a| a.follow_up).unwrap();
    for answer in &stored {
        let rubric: Option<sqlx::types::Json<Rubric>> =
            sqlx::query_scalar("SELECT rubric FROM scoring_jobs WHERE answer_id = $1")
                .bind(answer.answer_id)
                .fetch_one(&h.db.pool)
                .await
                .unwrap();
        let rubric = rubric.expect("the job carries its rubric").0;
        match answer.turn {
            Turn::Main => assert_eq!(rubric.question_id, answer.question_id),
            Turn::Written => {
                assert_eq!(rubric.prompt, written.prompt);
                assert_eq!(rubric.points, written.points);
            }
            Turn::FollowUp { .. } => {}
            Turn::Stage { .. } => panic!("a design stage in a question interview"),
        }
    }
    assert!(stored.iter().all(|a| a.user_id == ids::ALICE));
    h.wait_for_status(thread, InterviewStatus::Completed).await;
    // The thread is archived at the end, after the report.
    h.discord
        .wait_until("the thread archived", WAIT, |w| {
            w.thread(thread).filter(|t| t.archived).map(|_| ())
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

/// While a step holds the interview (Discord slow to take its next question, say), other
/// members keep talking in the thread. Their messages must not each wait on that step holding
/// a database connection: with more of them than the pool has connections, every other
/// command in the server would fail.
#[tokio::test(flavor = "multi_thread")]
async fn chatter_in_a_busy_interview_thread_does_not_starve_other_commands() {
    let h = Harness::start(Some(GOOD)).await;
    let thread = alice_starts(&h, &start("databases", 1)).await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);

    // A step in flight: the interview's row is locked until `step` is dropped.
    let mut step = h.db.pool.begin().await.unwrap();
    interviews::lock_thread(&mut *step, thread)
        .await
        .unwrap()
        .expect("the interview is running");
    for n in 0..24 {
        h.discord
            .send_message(ids::BOB, thread, &format!("Good luck, Alice! ({n})"))
            .unwrap();
    }
    let sent = h
        .discord
        .slash_command(ids::CAROL, ids::GENERAL, &SlashCommand::new("leaderboard"))
        .unwrap();
    let board = h
        .discord
        .wait_for_reply(sent, WAIT)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    let shown = serde_json::to_string(&board.embeds).unwrap() + &board.content;
    assert!(
        !shown.contains("Sorry, something went wrong"),
        "the leaderboard was refused while the thread was busy: {shown}"
    );

    // The step ends; Alice's own message is still filed as her answer.
    drop(step);
    h.discord
        .send_message(ids::ALICE, thread, "An index is a sorted copy of a column.")
        .unwrap();
    h.wait_for_parts(id, 1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_interview_is_refused_with_a_link_to_the_first() {
    let h = Harness::start(None).await;
    let thread = alice_starts(&h, &start("databases", 2)).await;
    h.nth_titled(thread, "Question 1 of 2", 1).await;

    let again = h
        .discord
        .slash_command(ids::ALICE, ids::GENERAL, &start("backend", 1))
        .unwrap();
    let reply = h.discord.wait_for_reply(again, WAIT).await.unwrap();
    assert!(reply.is_ephemeral());
    assert!(
        reply.content.contains("already have an interview"),
        "{}",
        reply.content
    );
    assert!(
        reply.content.contains(&format!("<#{thread}>")),
        "{}",
        reply.content
    );
    assert_eq!(h.discord.threads().len(), 1, "no second thread");

    // An unknown track is the member's to fix, and says what the tracks are.
    let unknown = h
        .discord
        .slash_command(ids::BOB, ids::GENERAL, &start("cooking", 1))
        .unwrap();
    let reply = h.discord.wait_for_reply(unknown, WAIT).await.unwrap();
    assert!(reply.is_ephemeral());
    assert!(
        reply.content.contains("no track \"cooking\""),
        "{}",
        reply.content
    );
    assert!(reply.content.contains("databases"), "{}", reply.content);

    // A track thousands of characters long is quoted back cut, within Discord's limits.
    let long = "x".repeat(3_000);
    let unknown = h
        .discord
        .slash_command(ids::BOB, ids::GENERAL, &start(&long, 1))
        .unwrap();
    let reply = h.discord.wait_for_reply(unknown, WAIT).await.unwrap();
    assert!(
        reply.content.chars().count() <= 2_000,
        "{}",
        reply.content.len()
    );
    assert!(reply.content.contains("xxx…\""), "{}", reply.content);
    assert!(reply.content.contains("databases"), "{}", reply.content);
}

#[tokio::test(flavor = "multi_thread")]
async fn hint_skip_and_end_buttons() {
    let h = Harness::start(None).await;
    let thread = alice_starts(&h, &start("databases", 3)).await;
    let first = h.nth_titled(thread, "Question 1 of 3", 1).await;
    let id = interview_id(&first);

    // Bob cannot press Alice's buttons.
    let bob = h
        .discord
        .click(ids::BOB, first.id, &format!("iv:skip:{id}"))
        .unwrap();
    let refused = h.discord.wait_for_reply(bob, WAIT).await.unwrap();
    assert!(refused.is_ephemeral());
    assert!(
        refused.content.contains(&format!("<@{}>", ids::ALICE)),
        "{}",
        refused.content
    );

    let before = h.messages_in(thread).len();
    h.discord
        .click(ids::ALICE, first.id, &format!("iv:hint:{id}"))
        .unwrap();
    let hint = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.content.contains("Think about")
                || m.embeds
                    .iter()
                    .any(|e| e.to_string().contains("Think about"))
        })
        .await
        .unwrap();
    assert!(h.messages_in(thread).len() > before, "{hint:?}");

    h.discord
        .click(ids::ALICE, first.id, &format!("iv:skip:{id}"))
        .unwrap();
    let second = h.nth_titled(thread, "Question 2 of 3", 1).await;
    h.discord
        .click(ids::ALICE, second.id, &format!("iv:end:{id}"))
        .unwrap();
    let report = h.nth_titled(thread, "Interview report", 1).await;
    let text = report.embeds[0].to_string().to_lowercase();
    assert!(
        text.contains("ended"),
        "the report says it ended early: {text}"
    );
    h.wait_for_status(thread, InterviewStatus::Ended).await;
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_is_submitted_after_the_quiet_period_and_idle_interviews_end() {
    let h = Harness::start(None).await;
    h.configure(|s| {
        s.quiet_period = Duration::from_secs(1);
        s.idle_timeout = Duration::from_secs(4);
    })
    .await;
    let thread = alice_starts(&h, &start("databases", 2)).await;
    let question = h.nth_titled(thread, "Question 1 of 2", 1).await;
    let id = interview_id(&question);
    h.discord
        .send_message(
            ids::ALICE,
            thread,
            "A composite index serves queries on its leading columns.",
        )
        .unwrap();
    // No Submit: the quiet period submits it.
    h.nth_titled(thread, "Feedback:", 1).await;

    // Then nobody answers: the interview ends as abandoned, with a message saying so.
    let report = h.nth_titled(thread, "Interview report", 1).await;
    assert!(report.content.contains("no activity"), "{}", report.content);
    h.wait_for_status(thread, InterviewStatus::Abandoned).await;
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    assert_eq!(stored.len(), 1, "the answer submitted by the quiet period");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bot_killed_mid_scoring_resumes_and_scores_the_answer_once() {
    let mut h = Harness::start(Some(GOOD)).await;
    let llm = h.llm.as_ref().unwrap();
    llm.set_delay(Duration::from_secs(60));
    let thread = alice_starts(&h, &start("databases", 1)).await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);
    h.discord
        .send_message(
            ids::ALICE,
            thread,
            "Indexes trade write cost and space for faster reads.",
        )
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();

    // The LLM has the answer; the bot dies before it replies.
    let waited = tokio::time::Instant::now() + WAIT;
    while llm.requests().is_empty() {
        assert!(
            tokio::time::Instant::now() < waited,
            "the answer never reached the LLM\n{}",
            h.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.kill();
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].status,
        AnswerStatus::Submitted,
        "stored before scoring"
    );

    h.llm.as_ref().unwrap().set_delay(Duration::ZERO);
    h.spawn().await;
    h.nth_titled(thread, "Feedback:", 1).await;
    h.nth_titled(thread, "Follow-up to question 1", 1).await;

    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, AnswerStatus::Scored);
    assert_eq!(
        stored[0].body,
        "Indexes trade write cost and space for faster reads."
    );
    let job = fixtures::job_of(&h.db.pool, stored[0].answer_id).await;
    assert_eq!(job.status, JobStatus::Done);
    assert_eq!(job.attempts, 2, "the dead worker's claim, then one more");
    let feedback = h
        .messages_in(thread)
        .iter()
        .filter(|m| m.embed_titles().iter().any(|t| t.starts_with("Feedback:")))
        .count();
    assert_eq!(feedback, 1, "the answer's feedback is posted once");
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_never_reach_the_log() {
    let mut h = Harness::start(Some(GOOD)).await;
    let thread = alice_starts(&h, &start("databases", 1)).await;
    h.nth_titled(thread, "Question 1 of 1", 1).await;
    h.terminate();
    let log = h.log();
    assert!(log.contains("connected to Discord"), "{log}");
    assert!(!log.contains("fake-discord-token-0123"), "{log}");
    assert!(!log.contains("sk-fake-llm-key-4567"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_permission_is_named_and_a_deleted_thread_ends_the_interview() {
    let h = Harness::start(None).await;
    // The bot may not open threads in #announcements: Alice is told which permission it needs.
    let sent = h
        .discord
        .slash_command(ids::ALICE, ids::LOCKED, &start("databases", 1))
        .unwrap();
    let reply = h.discord.wait_for_reply(sent, WAIT).await.unwrap();
    assert!(reply.is_ephemeral());
    assert!(
        reply.content.contains("Create Public Threads"),
        "{}",
        reply.content
    );
    assert!(
        interviews::active_for(&h.db.pool, ids::GUILD, ids::ALICE)
            .await
            .unwrap()
            .is_none(),
        "no interview without a thread"
    );

    // In #general it works; a moderator then deletes the thread, and the interview ends.
    let thread = alice_starts(&h, &start("databases", 1)).await;
    h.nth_titled(thread, "Question 1 of 1", 1).await;
    h.discord.delete_thread(thread).unwrap();
    h.wait_for_status(thread, InterviewStatus::Abandoned).await;
    // And Alice can start again straight away.
    let again = alice_starts(&h, &start("databases", 1)).await;
    assert_ne!(again, thread);
}

#[tokio::test(flavor = "multi_thread")]
async fn organisers_tune_interviews_with_config() {
    let h = Harness::start(None).await;
    let tune = SlashCommand::new("config interviews")
        .option("quiet_period_secs", 1)
        .option("private_threads", true);
    let sent = h
        .discord
        .slash_command(ids::BOB, ids::GENERAL, &tune)
        .unwrap();
    let refused = h.discord.wait_for_reply(sent, WAIT).await.unwrap();
    assert!(
        refused.content.contains("Manage Server"),
        "{}",
        refused.content
    );

    let sent = h
        .discord
        .slash_command(ids::ORGANISER, ids::GENERAL, &tune)
        .unwrap();
    let saved = h.discord.wait_for_reply(sent, WAIT).await.unwrap();
    assert!(saved.is_ephemeral());
    assert!(
        saved.content.contains("after 1 second of quiet"),
        "{}",
        saved.content
    );
    assert!(
        saved.content.contains("private by default"),
        "{}",
        saved.content
    );

    // Alice's interview now opens in a private thread she was added to, and her answer goes
    // in after a second of quiet.
    let thread = alice_starts(&h, &start("databases", 1)).await;
    let private = h
        .discord
        .read(|w| w.thread(thread).map(|t| (t.private, t.members.clone())));
    let (is_private, members) = private.unwrap();
    assert!(is_private && members.contains(&ids::ALICE), "{members:?}");
    h.nth_titled(thread, "Question 1 of 1", 1).await;
    h.discord
        .send_message(
            ids::ALICE,
            thread,
            "A covering index answers from the index alone.",
        )
        .unwrap();
    h.nth_titled(thread, "Feedback:", 1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hints_clicked_with_none_left_say_so_and_leave_the_journal_alone() {
    let h = Harness::start(None).await;
    let thread = alice_starts(&h, &start("databases", 1)).await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);
    let bank = mockingbird::bank::Bank::bundled().unwrap();
    let asked = h.awaited_question(id).await;
    let points = Rubric::for_question(bank.get(&asked).unwrap()).points.len();

    let is_hint = |m: &RecordedMessage| {
        m.channel_id == thread
            && m.by_bot
            && (m.content.contains("Think about")
                || m.embeds
                    .iter()
                    .any(|e| e.to_string().contains("Think about")))
    };
    let hints_shown = |w: &World| w.messages.iter().filter(|m| is_hint(m)).count();
    for shown in 1..=points {
        h.discord
            .click(ids::ALICE, question.id, &format!("iv:hint:{id}"))
            .unwrap();
        h.discord
            .wait_until("the hint", WAIT, |w| {
                (hints_shown(w) == shown).then_some(())
            })
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    }
    // Ten more clicks: each is told there is nothing left, and none is kept.
    for _ in 0..10 {
        let click = h
            .discord
            .click(ids::ALICE, question.id, &format!("iv:hint:{id}"))
            .unwrap();
        let reply = h.discord.wait_for_reply(click, WAIT).await.unwrap();
        assert!(reply.content.contains("No more hints"), "{}", reply.content);
    }
    assert_eq!(h.discord.read(hints_shown), points);
    let row = interviews::by_thread(&h.db.pool, thread)
        .await
        .unwrap()
        .unwrap();
    let journal = mockingbird::interview::Journal::from_json(&row.state).unwrap();
    assert_eq!(
        journal.steps.len(),
        1 + points,
        "the start and one step per hint shown, nothing for the clicks that did nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_past_its_limit_is_submitted_as_it_stood_and_the_candidate_told_once() {
    let h = Harness::start(None).await;
    let thread = alice_starts(&h, &start("databases", 1)).await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);
    // Long pastes: four messages of 1,900 characters fit in 8,000; a fifth does not.
    let (model, _) = h.model_answer_halves(id).await;
    let part = |n: usize| {
        let mut text = format!("Part {n}. ");
        while text.len() < 1_900 {
            text.push_str(&model);
            text.push(' ');
        }
        text.chars().take(1_900).collect::<String>()
    };
    for n in 1..=4 {
        h.discord
            .send_message(ids::ALICE, thread, &part(n))
            .unwrap();
        h.wait_for_parts(id, n).await;
    }
    h.discord
        .send_message(ids::ALICE, thread, &part(5))
        .unwrap();

    // Without pressing Submit, the answer is submitted as the four parts it held.
    h.nth_titled(thread, "Feedback:", 1).await;
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].message_ids.len(),
        4,
        "the fifth message was left out"
    );
    assert!(stored[0].body.starts_with("Part 1.") && !stored[0].body.contains("Part 5."));
    assert!(stored[0].body.chars().count() <= 8_000);

    // Told once, in the thread; later messages are not told the limit again.
    h.discord
        .send_message(ids::ALICE, thread, "one more thing")
        .unwrap();
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:end:{id}"))
        .unwrap();
    h.nth_titled(thread, "Interview report", 1).await;
    let told = |h: &Harness| {
        h.messages_in(thread)
            .iter()
            .filter(|m| m.content.contains("reached its limit"))
            .count()
    };
    assert_eq!(told(&h), 1, "{}", h.log());
    let note = h
        .messages_in(thread)
        .into_iter()
        .find(|m| m.content.contains("reached its limit"))
        .unwrap();
    assert!(
        note.content.contains("8,000 characters or 40 messages"),
        "{}",
        note.content
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_paste_sent_as_a_file_is_read_and_other_files_are_refused_with_a_reason() {
    let h = Harness::start(None).await;
    let thread = alice_starts(&h, &start("databases", 1)).await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let id = interview_id(&question);

    // A picture is no answer: Alice is told what the bot can read, and nothing is filed.
    let picture = MemberFile {
        filename: "diagram.png".into(),
        content_type: Some("image/png".into()),
        bytes: vec![0x89, b'P', b'N', b'G'],
        duration_secs: None,
    };
    let sent = h
        .discord
        .send_file(ids::ALICE, thread, "", picture)
        .unwrap();
    let note = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.by_bot && m.content.contains("diagram.png")
        })
        .await
        .unwrap();
    assert!(note.content.contains("not a text file"), "{}", note.content);
    assert!(
        note.content.contains("8,000 characters"),
        "{}",
        note.content
    );
    assert!(
        note.raw["message_reference"]["message_id"]
            .to_string()
            .contains(&sent.to_string()),
        "the note replies to the file's message: {}",
        note.raw
    );
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    assert!(stored.is_empty(), "{stored:?}");

    // A long paste arrives as message.txt with no text: it is the answer.
    let (first, second) = h.model_answer_halves(id).await;
    let pasted = format!("{first}\n\n{second}");
    let paste = MemberFile {
        filename: "message.txt".into(),
        content_type: Some("text/plain; charset=utf-8".into()),
        bytes: pasted.clone().into_bytes(),
        duration_secs: None,
    };
    h.discord.send_file(ids::ALICE, thread, "", paste).unwrap();
    h.wait_for_parts(id, 1).await;
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    assert_eq!(stored[0].body, pasted);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interview_whose_question_left_the_bank_ends_and_the_member_can_start_again() {
    let h = Harness::start(None).await;
    let thread = alice_starts(&h, &start("databases", 2)).await;
    let first = h.nth_titled(thread, "Question 1 of 2", 1).await;
    let id = interview_id(&first);
    // An interview from before question versions were kept (it replays from the bank by id),
    // and a bank update retires its second question while it runs. (An interview that keeps
    // its versions asks them whatever the bank does: see tests/bot_packs.rs.)
    sqlx::query(
        "UPDATE interviews SET plan = jsonb_set(plan, '{1}', '\"retired-question\"'),
                               plan_versions = '{}'
         WHERE interview_id = $1",
    )
    .bind(id)
    .execute(&h.db.pool)
    .await
    .unwrap();

    h.discord
        .click(ids::ALICE, first.id, &format!("iv:end:{id}"))
        .unwrap();
    h.wait_for_status(thread, InterviewStatus::Ended).await;
    let note = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.by_bot && m.content.contains("removed from the question bank")
        })
        .await
        .unwrap();
    assert!(
        note.content.contains("retired-question"),
        "{}",
        note.content
    );

    // Nothing holds Alice: a new interview starts in a new thread.
    let again = alice_starts(&h, &start("databases", 1)).await;
    assert_ne!(again, thread);
    h.nth_titled(again, "Question 1 of 1", 1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_cannot_start_more_interviews_an_hour_than_the_server_allows() {
    let h = Harness::start(None).await;
    h.configure(|s| s.interviews_per_hour = 2).await;
    for n in 1..=2 {
        let thread = alice_starts(&h, &start("databases", 1)).await;
        let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
        let id = interview_id(&question);
        h.discord
            .click(ids::ALICE, question.id, &format!("iv:end:{id}"))
            .unwrap();
        h.wait_for_status(thread, InterviewStatus::Ended).await;
        assert_eq!(h.discord.threads().len(), n);
    }
    let third = h
        .discord
        .slash_command(ids::ALICE, ids::GENERAL, &start("databases", 1))
        .unwrap();
    let reply = h.discord.wait_for_reply(third, WAIT).await.unwrap();
    assert!(reply.is_ephemeral());
    assert!(
        reply
            .content
            .contains("started 2 interviews in the last hour"),
        "{}",
        reply.content
    );
    assert!(
        reply.content.contains("next one in 1 hour"),
        "{}",
        reply.content
    );
    assert_eq!(h.discord.threads().len(), 2, "no third thread");
    // Another member is not held back by Alice's count.
    starts_and_is_asked(&h, ids::BOB).await;
}

/// `member` starts an interview and gets its first question.
async fn starts_and_is_asked(h: &Harness, member: u64) {
    let thread = h.member_starts(member, &start("databases", 1)).await;
    h.nth_titled(thread, "Question 1 of 1", 1).await;
}

/// Alice answers `asked` with `text` and submits it, skips any follow-up, and returns the next
/// main question, titled `title`.
async fn answer_then_next_main(
    h: &Harness,
    thread: u64,
    asked: &RecordedMessage,
    text: &str,
    title: &str,
) -> RecordedMessage {
    let id = interview_id(asked);
    let mut next = h.answer(ids::ALICE, thread, asked, text).await;
    while !next.embed_titles()[0].starts_with(title) {
        h.discord
            .click(ids::ALICE, next.id, &format!("iv:skip:{id}"))
            .unwrap();
        next = h.next_turn_or_report(thread, next.id).await;
    }
    next
}

/// The level named in a question's footer ("Topic: Indexes · mid level").
fn level_of(question: &RecordedMessage) -> String {
    let footer = question.embeds[0]["footer"]["text"]
        .as_str()
        .unwrap_or_default();
    footer
        .rsplit(" · ")
        .next()
        .unwrap_or_default()
        .trim_end_matches(" level")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_difficulty_the_level_follows_the_answers() {
    let h = Harness::start(None).await;
    let thread = alice_starts(&h, &start("databases", 3)).await;
    let intro = h.nth_titled(thread, "Mock interview: databases", 1).await;
    assert!(
        intro.embeds[0].to_string().contains("start at mid level"),
        "{}",
        intro.embeds[0]
    );
    let first = h.nth_titled(thread, "Question 1 of 3", 1).await;
    assert_eq!(level_of(&first), "mid");
    let id = interview_id(&first);

    // A strong answer (the model answer): the next question is harder.
    let strong = h.model_answer(id).await;
    let next = answer_then_next_main(&h, thread, &first, &strong, "Question 2").await;
    assert_eq!(level_of(&next), "senior", "after a strong answer");

    // A weak one: the next is easier.
    let weak = "I am not sure, I would look it up.";
    let third = answer_then_next_main(&h, thread, &next, weak, "Question 3").await;
    assert_eq!(level_of(&third), "mid", "after a weak answer");

    // The report shows the levels asked.
    h.discord
        .click(ids::ALICE, third.id, &format!("iv:end:{id}"))
        .unwrap();
    let report = h.nth_titled(thread, "Interview report", 1).await;
    let text = report.embeds[0].to_string();
    assert!(
        text.contains("(mid)") && text.contains("(senior)"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_next_adaptive_interview_picks_up_where_the_last_answer_left_the_level() {
    let h = Harness::start(None).await;
    let thread = alice_starts(&h, &start("databases", 2)).await;
    let first = h.nth_titled(thread, "Question 1 of 2", 1).await;
    assert_eq!(level_of(&first), "mid", "a first interview opens at mid");
    let id = interview_id(&first);
    let strong = h.model_answer(id).await;
    let next = answer_then_next_main(&h, thread, &first, &strong, "Question 2").await;
    h.discord
        .click(ids::ALICE, next.id, &format!("iv:end:{id}"))
        .unwrap();
    h.wait_for_status(thread, InterviewStatus::Ended).await;

    // Her last answer was strong at mid: the next interview opens a level up.
    let again = alice_starts(&h, &start("databases", 2)).await;
    let intro = h.nth_titled(again, "Mock interview: databases", 1).await;
    assert!(
        intro.embeds[0]
            .to_string()
            .contains("start at senior level"),
        "{}",
        intro.embeds[0]
    );
    let opening = h.nth_titled(again, "Question 1 of 2", 1).await;
    assert_eq!(level_of(&opening), "senior");
}
