//! End to end: answers spoken as Discord voice messages. With speech-to-text configured (the
//! project's fake OpenAI-compatible STT server), the candidate's recording is transcribed, the
//! transcript is shown back with how it was spoken, and it is filed and scored as the answer's
//! text. Without STT, or for a recording that is too long or not the candidate's, the member is
//! told why and nothing is filed.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use common::bot::{interview_id, start_command, Harness, WAIT};
use mockingbird::fake_discord::{ids, MemberFile, RecordedMessage};
use mockingbird::speech::fake::{FakeStt, SttReply, SPOKEN_AUDIO};
use mockingbird::speech::{Segment, Transcript};
use mockingbird::store::answers::{self, AnswerStatus};

/// A recording's bytes: what they hold does not matter to the fake STT server.
fn recording() -> Vec<u8> {
    b"OggS\0fake-opus-audio".repeat(8)
}

/// Alice starts a one-question interview; its thread and the question.
async fn alice_starts(h: &Harness) -> (u64, RecordedMessage) {
    let thread = h
        .member_starts(ids::ALICE, &start_command("databases", 1))
        .await;
    (thread, h.nth_titled(thread, "Question 1 of 1", 1).await)
}

/// The bot's reply in `thread` whose text contains `needle`.
async fn reply_containing(h: &Harness, thread: u64, needle: &str) -> RecordedMessage {
    let needle = needle.to_owned();
    h.discord
        .wait_for_message_in(thread, WAIT, move |m| {
            m.by_bot && m.content.contains(&needle)
        })
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", h.log()))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_voice_answer_is_transcribed_shown_with_its_pace_and_scored_as_text() {
    let stt = FakeStt::start(SttReply::TextOnly("placeholder".into()))
        .await
        .unwrap();
    let base = stt.base_url();
    let h = Harness::start_with(
        None,
        &[
            ("STT_BASE_URL", base.as_str()),
            ("STT_API_KEY", "sk-stt-secret-8910"),
        ],
    )
    .await;
    let (thread, question) = alice_starts(&h).await;
    let id = interview_id(&question);

    // Alice says the model answer aloud, with a couple of fillers, in one minute.
    let model = h.model_answer(id).await;
    let spoken = format!("Um, so, {model} You know, that is it.");
    let words = spoken.split_whitespace().count();
    stt.set_reply(SttReply::Transcript(Transcript {
        text: spoken.clone(),
        duration_secs: Some(60.0),
        segments: vec![
            Segment {
                start: 0.0,
                end: 20.0,
                text: "Um, so,".into(),
            },
            Segment {
                start: 24.0,
                end: 60.0,
                text: model.clone(),
            },
        ],
    }));
    h.discord
        .send_file(ids::ALICE, thread, "", MemberFile::voice(recording(), 60.0))
        .unwrap();

    let shown = reply_containing(&h, thread, "Transcript of your answer").await;
    assert!(shown.content.contains("Um, so,"), "{}", shown.content);
    // The pace comes from the recording's own 60 seconds.
    let pace: usize = shown
        .content
        .split(" words a minute")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no pace in {}", shown.content));
    assert!(
        pace.abs_diff(words) * 10 <= words,
        "{pace} words a minute for {words} words in a minute"
    );
    assert!(shown.content.contains("um ×1"), "{}", shown.content);
    assert!(shown.content.contains("1 long pause"), "{}", shown.content);

    // The transcript is the answer's text, filed like a typed message, and the audio went to
    // the STT server once, with its key, and is kept nowhere.
    h.wait_for_parts(id, 1).await;
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    assert_eq!(stored[0].body.trim(), spoken.trim());
    let requests = stt.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].file_bytes, recording().len());
    assert_eq!(requests[0].response_format.as_deref(), Some("verbose_json"));
    assert_eq!(
        requests[0].authorization.as_deref(),
        Some("Bearer sk-stt-secret-8910")
    );
    assert!(
        !h.log().contains("sk-stt-secret-8910"),
        "the key reached the log"
    );

    // Submitted, it is scored as the strong answer it is.
    h.discord
        .click(ids::ALICE, question.id, &format!("iv:submit:{id}"))
        .unwrap();
    h.next_turn_or_report(thread, question.id).await;
    let stored = answers::for_interview(&h.db.pool, id).await.unwrap();
    let scored = stored
        .iter()
        .find(|a| a.status == AnswerStatus::Scored)
        .expect("the spoken answer is scored");
    let overall = scored.scores.unwrap().overall;
    assert!(overall >= 6.0, "a spoken model answer scored {overall}");

    // The feedback and the report say how it was spoken: the same pace and fillers.
    let feedback = h.nth_titled(thread, "Feedback", 1).await;
    let how = field(&feedback, "How you spoke");
    assert!(how.contains(&format!("{pace} words a minute")), "{how}");
    assert!(
        how.contains("um ×1") && how.contains("1 long pause"),
        "{how}"
    );
    let report = h.nth_titled(thread, "Interview report", 1).await;
    let how = field(&report, "How you spoke");
    assert!(how.contains("Your answer was given by voice"), "{how}");
    assert!(how.contains(&format!("{pace} words a minute")), "{how}");
    assert!(how.contains("um ×1"), "{how}");
}

/// The value of the first embed's field `name`.
fn field(message: &RecordedMessage, name: &str) -> String {
    message.embeds[0]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name:?} in {:?}", message.embeds))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn typed_answers_get_no_speaking_feedback() {
    let h = Harness::start(None).await;
    let (thread, question) = alice_starts(&h).await;
    let id = interview_id(&question);
    let model = h.model_answer(id).await;
    h.answer(ids::ALICE, thread, &question, &model).await;
    let report = h.nth_titled(thread, "Interview report", 1).await;
    let feedback = h.nth_titled(thread, "Feedback", 1).await;
    for message in [feedback, report] {
        let named = message.embeds[0]["fields"].to_string();
        assert!(!named.contains("How you spoke"), "{named}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn voice_messages_are_refused_without_stt_when_too_long_and_from_anyone_else() {
    // Without STT configured: a clear message, and nothing filed.
    let h = Harness::start(None).await;
    let (thread, question) = alice_starts(&h).await;
    let id = interview_id(&question);
    h.discord
        .send_file(ids::ALICE, thread, "", MemberFile::voice(recording(), 30.0))
        .unwrap();
    let note = reply_containing(&h, thread, "need speech-to-text").await;
    assert!(
        note.content.contains("type your answer"),
        "{}",
        note.content
    );
    assert!(answers::for_interview(&h.db.pool, id)
        .await
        .unwrap()
        .is_empty());
    drop(h);

    let stt = FakeStt::start(SttReply::TextOnly("an answer".into()))
        .await
        .unwrap();
    let base = stt.base_url();
    let h = Harness::start_with(None, &[("STT_BASE_URL", base.as_str())]).await;
    let (thread, question) = alice_starts(&h).await;
    let id = interview_id(&question);

    // Longer than the 5 minutes transcribed by default.
    h.discord
        .send_file(
            ids::ALICE,
            thread,
            "",
            MemberFile::voice(recording(), 400.0),
        )
        .unwrap();
    let note = reply_containing(&h, thread, "longer than the 5 minutes").await;
    assert!(note.content.contains("shorter"), "{}", note.content);

    // Bob's recording in Alice's interview is not hers to answer with.
    h.discord
        .send_file(ids::BOB, thread, "", MemberFile::voice(recording(), 10.0))
        .unwrap();
    reply_containing(&h, thread, &format!("Only <@{}> answers", ids::ALICE)).await;

    assert!(
        stt.requests().is_empty(),
        "nothing was sent to be transcribed"
    );
    assert!(answers::for_interview(&h.db.pool, id)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn spoken_questions_are_read_aloud_for_those_who_ask_and_refused_without_tts() {
    // Without TTS: a clear refusal, and no interview.
    let h = Harness::start(None).await;
    let reply = h
        .command(
            ids::ALICE,
            start_command("databases", 1).option("spoken", true),
        )
        .await;
    assert!(reply.content.contains("TTS_BASE_URL"), "{}", reply.content);
    assert!(h.discord.threads().is_empty());
    drop(h);

    let speech = FakeStt::start(SttReply::TextOnly("unused".into()))
        .await
        .unwrap();
    let base = speech.base_url();
    let h = Harness::start_with(
        None,
        &[
            ("TTS_BASE_URL", base.as_str()),
            ("TTS_API_KEY", "sk-tts-secret-4242"),
            ("TTS_VOICE", "nova"),
        ],
    )
    .await;
    // Bob does not ask: his question is text only.
    let bob = h
        .member_starts(ids::BOB, &start_command("databases", 1))
        .await;
    h.nth_titled(bob, "Question 1 of 1", 1).await;
    // Alice asks: her question's text, then its audio.
    let thread = h
        .member_starts(
            ids::ALICE,
            &start_command("databases", 1).option("spoken", true),
        )
        .await;
    let question = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let audio = reply_containing(&h, thread, "read aloud").await;
    assert_eq!(audio.attachments.len(), 1, "{audio:?}");
    assert_eq!(audio.attachments[0].filename, "question.ogg");
    assert_eq!(audio.attachments[0].bytes, SPOKEN_AUDIO);
    let asked = speech.speech_requests();
    assert_eq!(asked.len(), 1, "only Alice's question is read: {asked:?}");
    let prompt = question.embeds[0]["description"]
        .as_str()
        .unwrap_or_default();
    let input = asked[0].body["input"].as_str().unwrap_or_default();
    assert!(
        !input.is_empty() && prompt.contains(input.split('.').next().unwrap()),
        "{input} / {prompt}"
    );
    assert_eq!(asked[0].body["voice"], "nova");
    assert_eq!(asked[0].body["response_format"], "opus");
    assert_eq!(
        asked[0].authorization.as_deref(),
        Some("Bearer sk-tts-secret-4242")
    );
    assert!(
        !h.log().contains("sk-tts-secret-4242"),
        "the key reached the log"
    );
    assert!(
        !h.messages_in(bob)
            .iter()
            .any(|m| m.content.contains("read aloud")),
        "Bob's question was not read"
    );
}
