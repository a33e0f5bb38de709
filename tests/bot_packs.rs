//! End to end: a server's own questions. An organiser imports a pack (checked as the bank is,
//! all or nothing) and exports it back; interviews and the question of the day ask the pack's
//! questions and score answers against the rubric as it was when the question was asked, even
//! when a pack question shares its id with a bundled one or changes mid-interview; members
//! suggest questions through a form that organisers approve, edit or reject.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use std::time::Duration;

use common::bot::{interview_id, scheduler_bot, start_command, Harness, WAIT};
use mockingbird::app::packs::{self, Imported};
use mockingbird::bot::Bot;
use mockingbird::fake_discord::{ids, MemberFile, OptionValue, RecordedMessage, SlashCommand};
use mockingbird::scoring::Rubric;
use mockingbird::store::{answers, interviews, qotd_posts, questions};

const PACK: &str = include_str!("fixtures/packs/our-stack.toml");

fn text(m: &RecordedMessage) -> String {
    let embeds: Vec<String> = m.embeds.iter().map(|e| e.to_string()).collect();
    format!("{}\n{}", m.content, embeds.join("\n"))
}

/// Imports `pack` into the test guild as `/questions import` does.
async fn import(bot: &Bot, name: &str, pack: &str) -> Imported {
    packs::import(&bot.app, ids::GUILD, name, pack)
        .await
        .expect("import")
        .unwrap_or_else(|problems| panic!("the pack is valid: {problems:#?}"))
}

/// The pack with the index question's first point reworded.
fn edited_pack() -> String {
    PACK.replace(
        "A composite index only helps queries that constrain its leftmost column.",
        "Rows are sorted by customer first, so one month is scattered over the index.",
    )
}

/// The rubric stored with the scoring job of the interview's main answer.
async fn main_rubric(h: &Harness, interview: i64) -> Rubric {
    let stored = answers::for_interview(&h.db.pool, interview).await.unwrap();
    let main = stored.first().expect("the main answer");
    let rubric: Option<sqlx::types::Json<Rubric>> =
        sqlx::query_scalar("SELECT rubric FROM scoring_jobs WHERE answer_id = $1")
            .bind(main.answer_id)
            .fetch_one(&h.db.pool)
            .await
            .unwrap();
    rubric.expect("the job carries its rubric").0
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pack_question_is_asked_and_scored_as_it_was_when_asked() {
    let h = Harness::start(None).await;
    let bot = scheduler_bot(&h).await;
    let imported = import(&bot, "our-stack.toml", PACK).await;
    assert_eq!(imported.added.len(), 2, "{imported:?}");
    assert_eq!(imported.overriding, ["what-is-an-index"]);
    // Only the pack's version of the bundled index question is left on the track.
    questions::hide(&h.db.pool, ids::GUILD, "feature-flag-rollout")
        .await
        .unwrap();

    let thread = h
        .member_starts(ids::ALICE, &start_command("our-stack", 1))
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    assert!(
        text(&question).contains("Our orders table has an index"),
        "the server's wording, not the bundled one: {}",
        text(&question)
    );
    let id = interview_id(&question);

    // The organiser rewords a point while Alice answers: her interview keeps the version it
    // started with.
    let changed = import(&bot, "our-stack.toml", &edited_pack()).await;
    assert_eq!(changed.changed, ["what-is-an-index"], "{changed:?}");
    h.discord
        .send_message(
            ids::ALICE,
            thread,
            "The index is ordered by customer_id before created_at, so the leading column is \
             the wrong one for a date filter and postgres scans everything. I'd add an index \
             on created_at, maybe BRIN since orders arrive in time order, and run EXPLAIN \
             ANALYZE to confirm the plan changed.",
        )
        .unwrap();
    h.wait_for_parts(id, 1).await;
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    let feedback = text(&h.nth_titled(thread, "Feedback:", 1).await);
    assert!(
        feedback.contains("leftmost column"),
        "scored against the version asked: {feedback}"
    );
    assert!(
        !feedback.contains("B-tree) mapping column values"),
        "never the bundled question that shares its id: {feedback}"
    );
    let rubric = main_rubric(&h, id).await;
    assert!(
        rubric.prompt.contains("Our orders table"),
        "{}",
        rubric.prompt
    );

    // The next interview asks the edited version.
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:end:{id}"))
        .unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while interviews::active_for(&h.db.pool, ids::GUILD, ids::ALICE)
        .await
        .unwrap()
        .is_some()
    {
        assert!(tokio::time::Instant::now() < deadline, "the interview ends");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let next = h
        .member_starts(ids::ALICE, &start_command("our-stack", 1))
        .await;
    let asked = h.nth_titled(next, "Question 1 of 1", 1).await;
    let next_id = interview_id(&asked);
    let versions: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT unnest(plan_versions) FROM interviews WHERE interview_id = $1")
            .bind(next_id)
            .fetch_all(&h.db.pool)
            .await
            .unwrap();
    let stored = questions::find(&h.db.pool, ids::GUILD, "what-is-an-index")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(versions, [stored.content_hash], "the edited version");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_question_of_the_day_asks_and_scores_a_pack_question() {
    let h = Harness::start(None).await;
    let bot = scheduler_bot(&h).await;
    import(&bot, "our-stack.toml", PACK).await;
    questions::hide(&h.db.pool, ids::GUILD, "what-is-an-index")
        .await
        .unwrap();
    h.configure(|s| {
        s.qotd.channel_id = Some(ids::QOTD);
        s.qotd.track = Some("our-stack".into());
        s.quiet_period = Duration::from_secs(1);
    })
    .await;
    let now = h
        .command(ids::ORGANISER, SlashCommand::new("qotd now"))
        .await;
    assert!(now.content.contains("posted"), "{}", now.content);
    let thread = h
        .discord
        .wait_for_thread(WAIT, |t| t.parent_id == ids::QOTD)
        .await
        .unwrap()
        .id;
    let post = qotd_posts::by_thread(&h.db.pool, thread)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(post.question_id, "feature-flag-rollout");
    h.discord
        .send_message(
            ids::ALICE,
            thread,
            "Deploy it switched off, then enable it for 1% of customers and ramp up while \
             watching conversion and shipping errors. If anything looks off, flip it back \
             off with no redeploy; at 100% remove the flag and the old path.",
        )
        .unwrap();
    let scored = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.content.contains("your answer is scored")
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    let feedback = text(&scored);
    assert!(feedback.contains("kill switch"), "{feedback}");
    let stored = qotd_posts::answers(&h.db.pool, post.qotd_post_id)
        .await
        .unwrap();
    let overall = stored[0].overall.expect("scored");
    assert!(
        overall >= 5.0,
        "a plain-words good answer passes: {overall}"
    );
}

/// `/questions import` with `file` as the attachment.
fn import_command(name: &str, text: &str) -> SlashCommand {
    SlashCommand::new("questions import").attachment("file", MemberFile::text(name, text))
}

#[tokio::test(flavor = "multi_thread")]
async fn organisers_import_a_pack_all_or_nothing_and_export_it_back() {
    let h = Harness::start(None).await;
    let broken = include_str!("fixtures/packs/broken.toml");

    // Members may not import.
    let refused = h
        .command(ids::BOB, import_command("our-stack.toml", PACK))
        .await;
    assert!(
        refused.content.contains("Manage Server"),
        "{}",
        refused.content
    );

    // A broken pack: every problem, located, and nothing saved.
    let problems = h
        .command(ids::ORGANISER, import_command("broken.toml", broken))
        .await;
    assert!(problems.is_ephemeral());
    for expected in [
        "Nothing was imported: `broken.toml` has 5 problem(s)",
        "broken.toml:4: question \"Bad Id\": id: must be a slug",
        "broken.toml:7: question \"Bad Id\": difficulty: unknown difficulty \"expert\"",
        "broken.toml:13: question \"Bad Id\": points[0].statement: must not be empty",
        "broken.toml:23: question \"no-prompt\": prompt: missing",
    ] {
        assert!(
            problems.content.contains(expected),
            "{expected}\n{}",
            problems.content
        );
    }
    // A long list comes as a file.
    let many: String = (0..40)
        .map(|i| broken.replace("no-prompt", &format!("no-prompt-{i}")))
        .collect::<Vec<_>>()
        .join("\n");
    let long = h
        .command(ids::ORGANISER, import_command("many.toml", &many))
        .await;
    let listed = long.attachments.first().expect("problems.txt");
    assert_eq!(listed.filename, "problems.txt");
    let listed = String::from_utf8(listed.bytes.clone()).unwrap();
    assert!(listed.lines().count() > 40, "{listed}");
    assert!(
        questions::guild_questions(&h.db.pool, ids::GUILD)
            .await
            .unwrap()
            .is_empty(),
        "nothing of a broken pack is saved"
    );

    // A good pack, then the same pack again: nothing changes the second time.
    let first = h
        .command(ids::ORGANISER, import_command("our-stack.toml", PACK))
        .await;
    assert!(
        first.content.contains("2 added, 0 changed, 0 unchanged"),
        "{}",
        first.content
    );
    assert!(
        first.content.contains("`what-is-an-index`"),
        "{}",
        first.content
    );
    let again = h
        .command(ids::ORGANISER, import_command("our-stack.toml", PACK))
        .await;
    assert!(
        again.content.contains("0 added, 0 changed, 2 unchanged"),
        "{}",
        again.content
    );
    let own = SlashCommand::new("questions list").option("source", 1_i64);
    let listed = text(&h.command(ids::ORGANISER, own).await);
    assert!(
        listed.contains("`our-stack`: 2 questions, 2 this server's own"),
        "{listed}"
    );

    // The export is the pack, and it imports back unchanged.
    let export = h
        .command(ids::ORGANISER, SlashCommand::new("questions export"))
        .await;
    let file = export.attachments.first().expect("a pack file");
    assert_eq!(file.filename, "pack-all.toml");
    let exported = String::from_utf8(file.bytes.clone()).unwrap();
    let back = h
        .command(ids::ORGANISER, import_command("pack-all.toml", &exported))
        .await;
    assert!(
        back.content.contains("0 added, 0 changed, 2 unchanged"),
        "{}",
        back.content
    );
    assert!(
        h.discord.unhandled().is_empty(),
        "{:?}",
        h.discord.unhandled()
    );
}

/// Fills in the suggestion form shown in answer to `opened`; returns the submit's id.
async fn fill_in(h: &Harness, member: u64, opened: u64, fields: &[(&str, &str)]) -> u64 {
    let form = h.discord.wait_for_modal(opened, WAIT).await.unwrap();
    h.discord
        .submit_modal(member, &form.custom_id, fields)
        .await
        .unwrap()
}

const SUGGESTION: [(&str, &str); 5] = [
    ("topic", "Retries and idempotency"),
    (
        "prompt",
        "A payment request to our provider timed out. When is it safe to send it again?",
    ),
    (
        "model_answer",
        "Only when a repeat cannot charge twice: send an idempotency key the provider \
         remembers, so a retried request returns the first result, and back off with jitter \
         between attempts so retries do not pile onto a struggling provider.",
    ),
    (
        "points",
        "- an idempotency key makes the retry safe\n- back off with jitter between attempts",
    ),
    (
        "follow_up",
        "How long should the provider remember a key?\nat least as long as clients keep retrying",
    ),
];

#[tokio::test(flavor = "multi_thread")]
async fn members_suggest_questions_and_organisers_review_them() {
    let h = Harness::start(None).await;
    let suggest = SlashCommand::new("questions suggest")
        .option("track", "Our Stack")
        .option("level", 1_i64);
    let off = h.command(ids::ALICE, suggest.clone()).await;
    assert!(
        off.content.contains("does not take question suggestions"),
        "{}",
        off.content
    );
    let on = SlashCommand::new("config suggestions")
        .option("channel", OptionValue::Channel { channel: ids::QOTD });
    let saved = h.command(ids::ORGANISER, on).await;
    assert!(
        saved.content.contains("review them in <#"),
        "{}",
        saved.content
    );

    // A form with no points is sent back with what to fix.
    let opened = h
        .discord
        .slash_command(ids::ALICE, ids::GENERAL, &suggest)
        .unwrap();
    let mut fields = SUGGESTION.to_vec();
    fields[3].1 = "-";
    let submitted = fill_in(&h, ids::ALICE, opened, &fields).await;
    let fix = h.discord.wait_for_reply(submitted, WAIT).await.unwrap();
    assert!(
        fix.content.contains("What it must cover"),
        "{}",
        fix.content
    );

    // A good one goes to the organisers' channel.
    let opened = h
        .discord
        .slash_command(ids::ALICE, ids::GENERAL, &suggest)
        .unwrap();
    let submitted = fill_in(&h, ids::ALICE, opened, &SUGGESTION).await;
    let thanks = h.discord.wait_for_reply(submitted, WAIT).await.unwrap();
    assert!(
        thanks.content.contains("went to the organisers"),
        "{}",
        thanks.content
    );
    let review = h
        .discord
        .wait_for_message_in(ids::QOTD, WAIT, |m| {
            m.embed_titles()
                .iter()
                .any(|t| t.starts_with("Suggested question"))
        })
        .await
        .unwrap();
    let approve = review
        .custom_ids()
        .into_iter()
        .find(|id| id.contains("approve"))
        .expect("an Approve button");

    // Only organisers decide.
    let click = h.discord.click(ids::BOB, review.id, approve).unwrap();
    let no = h.discord.wait_for_reply(click, WAIT).await.unwrap();
    assert!(no.content.contains("Manage Server"), "{}", no.content);

    // An organiser edits it in the same form, filled in, then approves it.
    let edit = approve.replace("approve", "edit");
    let opened = h.discord.click(ids::ORGANISER, review.id, &edit).unwrap();
    let form = h.discord.wait_for_modal(opened, WAIT).await.unwrap();
    let prompt = form
        .fields
        .iter()
        .find(|f| f.custom_id == "prompt")
        .unwrap();
    assert_eq!(prompt.value.as_deref(), Some(SUGGESTION[1].1));
    let reworded = "Our call to the payment provider timed out. Is it safe to retry, and how?";
    h.discord
        .submit_modal(ids::ORGANISER, &form.custom_id, &[("prompt", reworded)])
        .await
        .unwrap();
    h.discord
        .wait_until("the edited review", WAIT, |w| {
            w.message(review.id)
                .filter(|m| m.embeds[0].to_string().contains("Is it safe to retry"))
                .cloned()
        })
        .await
        .unwrap();
    h.discord.click(ids::ORGANISER, review.id, approve).unwrap();
    let decided = h
        .discord
        .wait_until("the approved review", WAIT, |w| {
            w.message(review.id)
                .filter(|m| m.embeds[0].to_string().contains("Approved by"))
                .cloned()
        })
        .await
        .unwrap();
    assert!(decided.custom_ids().is_empty(), "decided: no more buttons");
    let told = h
        .discord
        .wait_for_message(WAIT, |m| {
            m.guild_id.is_none() && m.content.contains("was approved")
        })
        .await
        .unwrap();
    assert_eq!(Some(told.channel_id), h.discord.dm_channel(ids::ALICE));

    // The approved question is the server's own now, and interviews ask it as edited.
    let pack = questions::guild_questions(&h.db.pool, ids::GUILD)
        .await
        .unwrap();
    assert_eq!(pack.len(), 1);
    assert_eq!(pack[0].track, "our-stack");
    let thread = h
        .member_starts(ids::CAROL, &start_command("our-stack", 1))
        .await;
    let asked = h.nth_titled(thread, "Question 1 of 1", 1).await;
    assert!(
        text(&asked).contains("Is it safe to retry"),
        "{}",
        text(&asked)
    );

    // A rejected author with closed DMs hears it where they suggested.
    h.discord.close_dms(ids::BOB);
    let opened = h
        .discord
        .slash_command(ids::BOB, ids::GENERAL, &suggest)
        .unwrap();
    let submitted = fill_in(&h, ids::BOB, opened, &SUGGESTION).await;
    h.discord.wait_for_reply(submitted, WAIT).await.unwrap();
    let second = h
        .discord
        .wait_for_message_in(ids::QOTD, WAIT, |m| {
            m.id != review.id && m.embed_titles().iter().any(|t| t.starts_with("Suggested"))
        })
        .await
        .unwrap();
    let reject = second
        .custom_ids()
        .into_iter()
        .find(|id| id.contains("reject"))
        .unwrap();
    h.discord.click(ids::ORGANISER, second.id, reject).unwrap();
    let told = h
        .discord
        .wait_for_message_in(ids::GENERAL, WAIT, |m| m.content.contains("was not taken"))
        .await
        .unwrap();
    assert!(
        told.content.starts_with(&format!("<@{}>", ids::BOB)),
        "{}",
        told.content
    );
    assert_eq!(
        questions::guild_questions(&h.db.pool, ids::GUILD)
            .await
            .unwrap()
            .len(),
        1,
        "a rejected suggestion adds nothing"
    );
    // Only the DM Bob's closed DMs refused went unanswered.
    let unhandled = h.discord.unhandled();
    assert!(
        unhandled.len() == 1 && unhandled[0].status == 403,
        "{unhandled:?}"
    );
}
