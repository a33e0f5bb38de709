//! End to end: interviews run in an interviewer style. The style's voice shows in the thread
//! (its welcome, its remark on each answer, its challenge before a follow-up), its weights make
//! the overall score, each answer is timed against its time box, and the report compares the
//! profile with its bar. With an LLM, the grader is asked to write in the style's voice.

#![cfg(all(feature = "fake-discord", feature = "fake-llm"))]

mod common;

use common::bot::{interview_id, start_command, Harness};
use mockingbird::fake_discord::{ids, RecordedMessage};
use mockingbird::scoring::llm::fake::Reply;
use mockingbird::scoring::llm::prompt::INTERVIEWER_HEADER;
use mockingbird::scoring::ScorerKind;
use mockingbird::scoring::Weights;
use mockingbird::store::answers::{self, AnswerRow};
use mockingbird::store::interviews::InterviewStatus;
use mockingbird::style::Styles;

fn styled(track: &str, questions: i64, style: &str) -> mockingbird::fake_discord::SlashCommand {
    start_command(track, questions).option("style", style)
}

/// Alice answers the question `asked` with `text` and submits it; returns her stored answer
/// once scored, and the bot's next question or report.
async fn answer(
    h: &Harness,
    thread: u64,
    asked: &RecordedMessage,
    text: &str,
) -> (AnswerRow, RecordedMessage) {
    let next = h.answer(ids::ALICE, thread, asked, text).await;
    let stored = answers::for_interview(&h.db.pool, interview_id(asked))
        .await
        .unwrap();
    let scored = stored
        .into_iter()
        .rev()
        .find(|a| a.scores.is_some())
        .expect("the answer was scored before the next turn");
    (scored, next)
}

/// The feedback message posted after message `after`.
fn feedback_after(h: &Harness, thread: u64, after: u64) -> RecordedMessage {
    h.messages_in(thread)
        .into_iter()
        .find(|m| m.id > after && m.embed_titles().iter().any(|t| t.starts_with("Feedback")))
        .expect("feedback on the answer")
}

fn weighted(weights: Weights, a: &AnswerRow) -> f32 {
    let s = a.scores.expect("scores");
    weights.overall(s.technical, s.tradeoffs, s.communication)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_styled_interview_speaks_weighs_times_and_judges_in_its_style() {
    let styles = Styles::bundled_with(&[]).unwrap();
    let raiser = styles.get("bar-raiser").unwrap().clone();
    let h = Harness::start(None).await;

    // An unknown style is refused with the ones there are.
    let refused = h
        .command(ids::ALICE, styled("databases", 1, "gentle"))
        .await;
    assert!(refused.is_ephemeral());
    assert!(
        refused.content.contains("no style \"gentle\"") && refused.content.contains("bar-raiser"),
        "{}",
        refused.content
    );

    let thread = h
        .member_starts(ids::ALICE, &styled("databases", 1, "bar-raiser"))
        .await;
    let intro = h.nth_titled(thread, "Mock interview: databases", 1).await;
    let welcome = intro.embeds[0]["description"].as_str().unwrap();
    assert!(
        welcome.starts_with(&format!("**Bar-raiser**: {}", raiser.messages.intro)),
        "{welcome}"
    );
    assert!(welcome.contains("soft time box of 5 minutes"), "{welcome}");
    // The bar-raiser asks from mid and senior only, starting at mid.
    let first = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let footer = first.embeds[0]["footer"]["text"].as_str().unwrap();
    assert!(
        footer.ends_with("mid level · time box 5 minutes"),
        "{footer}"
    );

    // A strong answer: the style's weights make the overall score, its remark opens the
    // feedback, and a follow-up comes anyway, quoting her own claim back at her.
    let id = interview_id(&first);
    let strong = h.model_answer(id).await;
    let (scored, follow_up) = answer(&h, thread, &first, &strong).await;
    let overall = scored.scores.unwrap().overall;
    assert!(
        (overall - weighted(raiser.weights, &scored)).abs() < 0.051,
        "{overall} is not the style's weighting of {:?}",
        scored.scores
    );
    let feedback = feedback_after(&h, thread, first.id);
    assert_eq!(feedback.content, raiser.remark(overall), "{overall}");
    assert!(
        follow_up.embed_titles()[0].starts_with("Follow-up"),
        "{:?}",
        follow_up.embed_titles()
    );
    let challenge = follow_up.embeds[0]["description"].as_str().unwrap();
    assert!(
        challenge.starts_with("*You said: \"")
            && challenge.contains("\". Defend that and take it further.*"),
        "{challenge}"
    );
    assert!(
        scored.answer_secs.is_some(),
        "the answer's time is recorded"
    );

    // The report compares her profile with the bar, with each answer's time.
    h.discord
        .click(ids::ALICE, follow_up.id, &format!("iv:end:{id}"))
        .unwrap();
    h.wait_for_status(thread, InterviewStatus::Ended).await;
    let report = h.nth_titled(thread, "Interview report", 1).await;
    let embed = &report.embeds[0];
    let lines = embed["description"].as_str().unwrap();
    assert!(lines.contains(" second"), "each answer's time: {lines}");
    let verdict = embed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Against the Bar-raiser bar")
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("a verdict against the bar: {embed}"));
    assert!(
        verdict.contains("technical: ") && verdict.contains("(bar 7.5)"),
        "{verdict}"
    );
    assert!(
        verdict.contains("⏱ every answer within the 5 minutes time box"),
        "{verdict}"
    );
    assert!(verdict.ends_with(&raiser.messages.closing), "{verdict}");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_an_llm_the_grader_writes_in_the_styles_voice_and_its_weights_count() {
    let styles = Styles::bundled_with(&[]).unwrap();
    let mentor = styles.get("mentor").unwrap().clone();
    // Technical and communication high, trade-offs low: the mentor's weights (50/20/30) give
    // 7.8 where the standard ones (60/25/15) would give 7.5.
    let grade = Reply::Grade {
        scores: [9, 3, 9],
        covered: 3,
    };
    let h = Harness::start(Some(grade)).await;
    let thread = h
        .member_starts(ids::ALICE, &styled("databases", 1, "mentor"))
        .await;
    let first = h.nth_titled(thread, "Question 1 of 1", 1).await;
    let strong = h.model_answer(interview_id(&first)).await;
    let (scored, _) = answer(&h, thread, &first, &strong).await;
    let scores = scored.scores.unwrap();
    assert_eq!(scored.scorer, Some(ScorerKind::Llm));
    assert_eq!(
        (scores.technical, scores.tradeoffs, scores.communication),
        (9.0, 3.0, 9.0)
    );
    assert_eq!(scores.overall, 7.8);
    let feedback = feedback_after(&h, thread, first.id);
    assert_eq!(feedback.content, mentor.messages.strong);

    // The grader was told whose voice to write the feedback and the follow-up in.
    let requests = h.llm.as_ref().unwrap().requests();
    let user = requests[0].body["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains(INTERVIEWER_HEADER), "{user}");
    assert!(
        user.contains("You are a warm, patient senior engineer mentoring"),
        "{user}"
    );
}
