//! End to end: a peer interview against the fake Discord. Alice invites Bob; Bob accepts; in
//! their thread Alice picks a question from her private panel, Bob answers, Alice marks each
//! point and adds a note; the bot's scorer gives its second opinion; the report shows both
//! grades and where they differ; both peer boards rank them; and the roles swap for a second
//! round. Also: declining, someone else's click, and an invitation left unanswered.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use common::bot::{Harness, WAIT};
use mockingbird::bank::Bank;
use mockingbird::fake_discord::interactions::{OptionValue, SlashCommand};
use mockingbird::fake_discord::{ids, MemberFile, RecordedMessage};
use mockingbird::speech::fake::{FakeStt, SttReply};
use mockingbird::store::pairs;

fn invite(track: &str, questions: i64) -> SlashCommand {
    SlashCommand::new("interview pair")
        .option("candidate", OptionValue::User { user: ids::BOB })
        .option("track", track)
        .option("questions", questions)
}

/// `member` clicks `custom_id` on `message`; the message that answers: the reply, or the
/// clicked message as the click updated it (at once, or deferred and then edited).
async fn click(h: &Harness, member: u64, message: u64, custom_id: &str) -> RecordedMessage {
    let edits = h.discord.message(message).map_or(0, |m| m.edits);
    let id = h.discord.click(member, message, custom_id).unwrap();
    let kind = h
        .discord
        .wait_until("the click's response", WAIT, |w| {
            w.interaction_responses
                .iter()
                .find(|r| r.interaction_id == id)
                .map(|r| r.kind)
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    if kind == 7 {
        h.discord.message(message).unwrap()
    } else if kind == 6 {
        // A deferred update: the clicked message, once the bot has edited it.
        h.discord
            .wait_until("the clicked message's edit", WAIT, |w| {
                w.message(message).filter(|m| m.edits > edits).cloned()
            })
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", h.log()))
    } else {
        h.discord.wait_for_reply(id, WAIT).await.unwrap()
    }
}

/// The invitation Alice's command posted in #general.
async fn invitation(h: &Harness) -> RecordedMessage {
    h.discord
        .wait_for_message_in(ids::GENERAL, WAIT, |m| {
            m.by_bot && m.content.contains("invites you to a peer mock interview")
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()))
}

fn button(message: &RecordedMessage, prefix: &str) -> String {
    message
        .custom_ids()
        .into_iter()
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} button in {:?}", message.custom_ids()))
        .to_owned()
}

fn field<'a>(message: &'a RecordedMessage, name: &str) -> &'a str {
    message.embeds[0]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name:?} in {:?}", message.embeds))
}

/// Runs one round in `thread`: the interviewer picks the plan's question, the candidate gives
/// its model answer's first sentence, the interviewer marks every point covered (so the bot,
/// reading a partial answer, disagrees on some) and finishes. The report.
async fn one_round(h: &Harness, thread: u64, interviewer: u64, candidate: u64) -> RecordedMessage {
    let opening = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.by_bot
                && m.embed_titles()
                    .iter()
                    .any(|t| t.starts_with("Peer interview, round"))
                && m.content
                    .contains(&format!("<@{interviewer}> <@{candidate}>"))
        })
        .await
        .unwrap();
    // The candidate cannot open the panel.
    let refused = click(h, candidate, opening.id, &button(&opening, "pair:panel:")).await;
    assert!(
        refused.content.contains("uses the panel"),
        "{}",
        refused.content
    );

    let picker = click(h, interviewer, opening.id, &button(&opening, "pair:panel:")).await;
    assert!(
        picker.is_ephemeral(),
        "the panel is the interviewer's alone"
    );
    assert!(
        picker.embed_titles()[0].starts_with("Pick question 1 of 1"),
        "{:?}",
        picker.embeds
    );
    let ask = format!("pair:ask:{}:0", pair_of(&opening));
    let sheet = click(h, interviewer, picker.id, &ask).await;
    assert!(sheet.is_ephemeral());
    assert!(
        sheet.embed_titles()[0].starts_with("Sheet:"),
        "{:?}",
        sheet.embeds
    );
    assert!(!field(&sheet, "Model answer").is_empty());
    // The thread sees which question, not its rubric.
    let marker = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.by_bot
                && m.embed_titles()
                    .iter()
                    .any(|t| t.starts_with("Question 1 of 1"))
        })
        .await
        .unwrap();
    assert!(!marker.embeds[0].to_string().contains("Model answer"));

    // Done before any answer is refused.
    let early = click(h, interviewer, sheet.id, &button(&sheet, "pair:done:")).await;
    assert!(
        early.content.contains("has not answered yet"),
        "{}",
        early.content
    );

    let pair_id = pair_of(&opening);
    let asked = pairs::answers(&h.db.pool, pair_id, round_of(h, pair_id).await)
        .await
        .unwrap();
    let question = Bank::bundled()
        .unwrap()
        .get(&asked[0].question_id)
        .unwrap()
        .clone();
    let first_sentence = question.model_answer.split(". ").next().unwrap().to_owned();
    // The interviewer's chatter is not part of the answer; the candidate's messages are.
    h.discord
        .send_message(interviewer, thread, "Take your time.")
        .unwrap();
    h.discord
        .send_message(candidate, thread, &format!("{first_sentence}."))
        .unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = pairs::answers(&h.db.pool, pair_id, round_of(h, pair_id).await)
            .await
            .unwrap();
        if !now[0].body.is_empty() {
            assert_eq!(now[0].body, format!("{first_sentence}."));
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the answer was never filed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // Every point covered, page by page.
    let mut sheet = sheet;
    for n in 0..question.points.len() {
        if n > 0 && n % 4 == 0 {
            sheet = click(
                h,
                interviewer,
                sheet.id,
                &format!("pair:page:{pair_id}:{}", n / 4),
            )
            .await;
        }
        sheet = click(
            h,
            interviewer,
            sheet.id,
            &format!("pair:mark:{pair_id}:{n}:c"),
        )
        .await;
    }
    assert!(
        sheet.embeds[0]["description"]
            .as_str()
            .unwrap()
            .contains("— *covered*"),
        "{:?}",
        sheet.embeds
    );
    assert!(!sheet.embeds[0]["description"]
        .as_str()
        .unwrap()
        .contains("*unmarked*"));
    let done = click(h, interviewer, sheet.id, &button(&sheet, "pair:done:")).await;
    assert_eq!(done.embed_titles(), ["Round finished"]);
    h.discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.by_bot && m.content.contains("marked answer 1: **10.0/10**")
        })
        .await
        .unwrap();
    h.discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.by_bot
                && m.embed_titles()
                    .iter()
                    .any(|t| t.starts_with("Peer interview report"))
                && m.embeds[0]
                    .to_string()
                    .contains(&format!("<@{interviewer}> interviewed <@{candidate}>"))
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()))
}

fn pair_of(message: &RecordedMessage) -> i64 {
    button(message, "pair:panel:")
        .trim_start_matches("pair:panel:")
        .parse()
        .unwrap()
}

async fn round_of(h: &Harness, pair_id: i64) -> u32 {
    pairs::get(&h.db.pool, pair_id)
        .await
        .unwrap()
        .unwrap()
        .round
}

#[tokio::test(flavor = "multi_thread")]
async fn a_peer_interview_runs_marks_reports_with_a_second_opinion_and_swaps() {
    let h = Harness::start(None).await;
    let sent = h
        .discord
        .slash_command(ids::ALICE, ids::GENERAL, &invite("databases", 1))
        .unwrap();
    let ack = h.discord.wait_for_reply(sent, WAIT).await.unwrap();
    assert!(
        ack.is_ephemeral() && ack.content.contains("Invitation sent"),
        "{}",
        ack.content
    );
    let invited = invitation(&h).await;
    assert!(invited.content.contains(&format!("<@{}>", ids::BOB)));

    // Only Bob answers the invitation.
    let carol = click(
        &h,
        ids::CAROL,
        invited.id,
        &button(&invited, "pair:accept:"),
    )
    .await;
    assert!(carol.content.contains("Only <@"), "{}", carol.content);
    let accepted = click(&h, ids::BOB, invited.id, &button(&invited, "pair:accept:")).await;
    assert!(
        accepted.content.contains("accepted"),
        "{}",
        accepted.content
    );
    assert!(
        accepted.custom_ids().is_empty(),
        "the invitation's buttons are gone"
    );
    let thread: u64 = accepted
        .content
        .split("<#")
        .nth(1)
        .and_then(|r| r.split('>').next())
        .and_then(|id| id.parse().ok())
        .unwrap();

    let report = one_round(&h, thread, ids::ALICE, ids::BOB).await;
    let text = report.embeds[0].to_string();
    assert!(text.contains("peer 10.0/10 · bot"), "{text}");
    // A first sentence cannot cover every point: the bot disagrees with "all covered".
    let differ = field(&report, "Where the grades differ");
    assert!(
        differ.contains("peer: covered, bot: not covered")
            || differ.contains("peer: covered, bot: partly"),
        "{differ}"
    );

    // Both boards: Bob's peer-graded score, Alice's interview given.
    let board = h
        .command(
            ids::CAROL,
            SlashCommand::new("leaderboard").option("metric", 5_i64),
        )
        .await;
    let shown = board.embeds[0].to_string();
    assert!(shown.contains("10.0 peer-graded (1 answer)"), "{shown}");
    let board = h
        .command(
            ids::CAROL,
            SlashCommand::new("leaderboard").option("metric", 6_i64),
        )
        .await;
    let shown = board.embeds[0].to_string();
    assert!(shown.contains("1 interview (1 answer marked)"), "{shown}");

    // Each history shows the peer rounds apart from the bot's scores.
    let bob = h.command(ids::BOB, SlashCommand::new("history")).await;
    let peer = field(&bob, "Peer interviews (peer-graded)");
    assert!(peer.contains("peer-graded **10.0** · bot"), "{peer}");
    assert!(peer.contains(&format!("by <@{}>", ids::ALICE)), "{peer}");
    let alice = h.command(ids::ALICE, SlashCommand::new("history")).await;
    let given = field(&alice, "Peer interviews (peer-graded)");
    assert!(given.contains("Peer interviews given: 1 round."), "{given}");

    // Only the pair swaps: Carol's click is refused and changes nothing.
    let carol = click(&h, ids::CAROL, report.id, &button(&report, "pair:swap:")).await;
    assert!(
        carol.content.contains("Only the two members"),
        "{}",
        carol.content
    );
    // Swapped: Bob interviews Alice.
    let swapped = click(&h, ids::BOB, report.id, &button(&report, "pair:swap:")).await;
    assert!(swapped.content.contains("Swapped"), "{}", swapped.content);
    let second = one_round(&h, thread, ids::BOB, ids::ALICE).await;
    assert!(
        second.embed_titles()[0].ends_with("round 2"),
        "{:?}",
        second.embeds
    );
    let given = h
        .command(
            ids::CAROL,
            SlashCommand::new("leaderboard").option("metric", 6_i64),
        )
        .await;
    let shown = given.embeds[0].to_string();
    assert_eq!(
        shown.matches("1 interview (1 answer marked)").count(),
        2,
        "{shown}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_declined_or_unanswered_invitation_opens_nothing() {
    let h = Harness::start(None).await;
    h.discord
        .slash_command(ids::ALICE, ids::GENERAL, &invite("databases", 2))
        .unwrap();
    let invited = invitation(&h).await;
    let declined = click(&h, ids::BOB, invited.id, &button(&invited, "pair:decline:")).await;
    assert!(
        declined.content.contains("declined"),
        "{}",
        declined.content
    );
    assert!(declined.custom_ids().is_empty());
    let again = click(&h, ids::BOB, invited.id, &button(&invited, "pair:accept:")).await;
    assert!(
        again.content.contains("already answered"),
        "{}",
        again.content
    );
    assert!(h.discord.threads().is_empty(), "no thread was opened");

    // Ten minutes unanswered: the invitation closes itself.
    let sent = h
        .discord
        .slash_command(ids::ALICE, ids::GENERAL, &invite("databases", 1))
        .unwrap();
    h.discord.wait_for_reply(sent, WAIT).await.unwrap();
    let pending = h
        .discord
        .wait_for_message_in(ids::GENERAL, WAIT, |m| {
            m.by_bot
                && m.content.contains("invites you")
                && !m.custom_ids().is_empty()
                && m.id != invited.id
        })
        .await
        .unwrap();
    sqlx::query(
        "UPDATE pairs SET invited_at = now() - interval '11 minutes' WHERE status = 'invited'",
    )
    .execute(&h.db.pool)
    .await
    .unwrap();
    // Whether the sweep or Bob's late click comes first, the invitation says it expired.
    h.discord
        .click(ids::BOB, pending.id, &button(&pending, "pair:accept:"))
        .unwrap();
    h.discord
        .wait_until("the invitation closed as expired", WAIT, |w| {
            w.message(pending.id)
                .filter(|m| m.content.contains("expired") && m.components.is_empty())
                .map(|_| ())
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()));
    assert!(h.discord.threads().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn members_cannot_invite_themselves_or_a_bot() {
    let h = Harness::start(None).await;
    let me = SlashCommand::new("interview pair")
        .option("candidate", OptionValue::User { user: ids::ALICE });
    let reply = h.command(ids::ALICE, me).await;
    assert!(
        reply.content.contains("cannot interview yourself"),
        "{}",
        reply.content
    );
    let bot = SlashCommand::new("interview pair")
        .option("candidate", OptionValue::User { user: ids::BOT });
    let reply = h.command(ids::ALICE, bot).await;
    assert!(
        reply.content.contains("Bots cannot be interviewed"),
        "{}",
        reply.content
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_candidate_may_answer_by_voice_and_the_interviewer_is_not_transcribed() {
    let said = "An index keeps a sorted copy of a column with pointers to the rows.";
    let stt = FakeStt::start(SttReply::TextOnly(said.into()))
        .await
        .unwrap();
    let base = stt.base_url();
    let h = Harness::start_with(None, &[("STT_BASE_URL", base.as_str())]).await;
    h.discord
        .slash_command(ids::ALICE, ids::GENERAL, &invite("databases", 1))
        .unwrap();
    let invited = invitation(&h).await;
    let accepted = click(&h, ids::BOB, invited.id, &button(&invited, "pair:accept:")).await;
    let thread: u64 = accepted
        .content
        .split("<#")
        .nth(1)
        .and_then(|r| r.split('>').next())
        .and_then(|id| id.parse().ok())
        .unwrap();
    let opening = h
        .discord
        .wait_for_message_in(thread, WAIT, |m| m.by_bot && !m.custom_ids().is_empty())
        .await
        .unwrap();
    let pair_id = pair_of(&opening);
    let picker = click(&h, ids::ALICE, opening.id, &button(&opening, "pair:panel:")).await;
    click(&h, ids::ALICE, picker.id, &format!("pair:ask:{pair_id}:0")).await;

    let recording = b"OggS\0fake-opus-audio".repeat(8);
    let voice = || MemberFile::voice(recording.clone(), 6.0);
    h.discord
        .send_file(ids::ALICE, thread, "", voice())
        .unwrap();
    h.discord.send_file(ids::BOB, thread, "", voice()).unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = pairs::answers(&h.db.pool, pair_id, 1).await.unwrap();
        if !now[0].body.is_empty() {
            assert_eq!(now[0].body, said);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the voice answer was never filed\n{}",
            h.log()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    h.discord
        .wait_for_message_in(thread, WAIT, |m| {
            m.by_bot && m.content.contains("Transcript of your answer")
        })
        .await
        .unwrap();
    // Alice's recording, sent first, was left alone.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        stt.requests().len(),
        1,
        "only Bob's recording is transcribed"
    );
}
