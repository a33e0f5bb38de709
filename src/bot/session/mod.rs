//! One step of an interview at a time. Every event — a submitted answer, a score arriving, a
//! button, the idle timeout — takes the interview's row lock, rebuilds the engine from the saved
//! journal, applies the event, and saves the new journal together with what the step leaves to
//! show (its effects, in the outbox), all in one short transaction with no Discord call in it.
//! The dispatcher (`super::dispatch`) posts the effects after the commit. So events on one
//! interview apply in order whichever process receives them, a crash mid-step rolls the step
//! back to be applied again, and Discord's latency never holds a lock or a connection.

mod finish;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use tracing::{info_span, Instrument};

use super::dispatch::{Delivery, LEASE};
use super::quiet::Waiting;
use super::{Bot, BotError};
use crate::bank::Question;
use crate::interview::{
    Action, AnswerLookup, Effect, EngineError, Event, Interview, Journal, Outcome as InterviewEnd,
    Settings, Step,
};
use crate::scoring::Assessment;
use crate::store::answers::{self, AnswerRow, AnswerStatus};
use crate::store::guilds;
use crate::store::interviews::{self, InterviewRow};
use crate::store::{jobs, outbox, StoreError};
use finish::Ending;

/// What happened to an interview, as the bot sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Start,
    Hint,
    Skip,
    End,
    Timeout,
    /// Submit the candidate's open answer (the Submit button, or its quiet period passed).
    Submit,
    /// This answer's scoring job completed.
    Scored {
        answer_id: i64,
    },
}

/// What the caller should tell the person who caused the step.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Short messages for the candidate (why nothing happened, say); the caller shows them
    /// ephemerally, or drops them when no person caused the step.
    pub notices: Vec<String>,
    /// The step was applied (false: the interview is over, or the event did not apply).
    pub applied: bool,
}

impl Outcome {
    fn notice(text: impl Into<String>) -> Outcome {
        Outcome {
            notices: vec![text.into()],
            applied: false,
        }
    }
}

/// Applies one input to a running interview. `Ok` with nothing applied when the interview is
/// not running any more (another process may have ended it).
pub async fn step(bot: &Bot, interview_id: i64, input: Input) -> Result<Outcome, BotError> {
    let span = info_span!("interview_step", interview_id, ?input);
    let (outcome, shown) = apply(bot, interview_id, input).instrument(span).await?;
    let Some(shown) = shown else {
        return Ok(outcome);
    };
    if shown.delivery.typing {
        // The submission queued the answer's scoring job.
        bot.jobs_ready.notify_one();
    }
    if shown.queued_behind {
        bot.effects_ready.notify_one();
    }
    if shown.delivery.typing || !shown.delivery.effects.is_empty() {
        bot.handoff.send(bot, shown.delivery).await;
    }
    Ok(outcome)
}

/// What a committed step leaves to show.
struct Shown {
    /// Effects leased to this process, to post at once.
    delivery: Delivery,
    /// Effects queued behind the thread's earlier ones, for the lanes.
    queued_behind: bool,
}

/// Ends an interview whose thread cannot be posted to any more.
pub async fn abandon_without_posting(bot: &Bot, interview_id: i64) -> Result<bool, BotError> {
    let ended =
        interviews::finish(&bot.pool, interview_id, InterviewEnd::Abandoned, Utc::now()).await?;
    if ended {
        bot.metrics.finished(outcome_name(InterviewEnd::Abandoned));
    }
    bot.quiet.cancel(Waiting::Interview(interview_id));
    Ok(ended)
}

/// The step in one transaction: its outcome, and what it left to show.
async fn apply(
    bot: &Bot,
    interview_id: i64,
    input: Input,
) -> Result<(Outcome, Option<Shown>), BotError> {
    let nothing = Ok((Outcome::default(), None));
    let mut tx = bot.pool.begin().await.map_err(StoreError::from)?;
    let Some(row) = interviews::lock(&mut *tx, interview_id).await? else {
        return nothing;
    };
    let stored = answers::for_interview(&mut *tx, interview_id).await?;
    let lookup = StoredAnswers::new(&stored);
    let mut journal = Journal::from_json(&row.state)
        .map_err(|e| BotError::Internal(format!("interview {interview_id}: bad journal: {e}")))?;
    let mut engine = journal
        .replay(plan_of(bot, &row)?, Settings::default(), &lookup)
        .map_err(|e| BotError::Internal(format!("interview {interview_id}: {e}")))?;

    let (step, event) = match input {
        Input::Start if !journal.steps.is_empty() => return nothing,
        Input::Start => (Step::Start, Event::Start),
        Input::Hint => (Step::Hint, Event::Hint),
        Input::Skip => (Step::Skip, Event::Skip),
        Input::End => (Step::End, Event::End),
        Input::Timeout => (Step::Timeout, Event::Timeout),
        Input::Submit => match submit(&mut tx, &engine, &stored).await? {
            Ok(pair) => pair,
            Err(notice) => return Ok((Outcome::notice(notice), None)),
        },
        Input::Scored { answer_id } => {
            if journal.has_scored(answer_id) || !engine.is_scoring() {
                return nothing;
            }
            let Some(assessment) = lookup.assessment(answer_id) else {
                return nothing;
            };
            (
                Step::Scored { answer: answer_id },
                Event::AnswerScored(Box::new(assessment)),
            )
        }
    };
    let actions = match engine.handle(event) {
        Ok(actions) => actions,
        Err(EngineError::NotNow(why)) => return Ok((Outcome::notice(sentence(why)), None)),
        Err(e) => return Ok((Outcome::notice(sentence(&e.to_string())), None)),
    };
    journal.record(step, &engine);
    interviews::save_state(&mut *tx, interview_id, &journal.to_json()).await?;

    let settings = guilds::settings(&mut *tx, row.guild_id).await?;
    let mut outcome = Outcome {
        applied: true,
        ..Outcome::default()
    };
    let mut effects = Vec::new();
    if step == Step::Start {
        effects.push(Effect::Intro {
            track: row.track.clone(),
            difficulty: row.difficulty,
            questions: row.plan.len(),
            quiet_period_secs: settings.quiet_period.as_secs(),
            idle_timeout_secs: settings.idle_timeout.as_secs(),
        });
    }
    let mut typing = false;
    for action in actions {
        match action {
            Action::Ask(prompt) => effects.push(Effect::Ask { prompt }),
            // The job was queued with the submission (`answers::submit`): it is scored
            // against the rubric the engine chose, and the typing indicator says so meanwhile.
            Action::Score { rubric, .. } => {
                if let Step::Submitted { answer } = step {
                    jobs::set_rubric(&mut *tx, answer, &rubric).await?;
                }
                typing = true;
            }
            Action::ShowHint(text) => effects.push(Effect::Hint { text }),
            Action::ShowFeedback { assessment, hinted } => {
                let answer_id = match step {
                    Step::Scored { answer } => Some(answer),
                    _ => None,
                };
                effects.push(Effect::Feedback {
                    answer_id,
                    assessment: Some(Box::new(assessment)),
                    hinted,
                });
            }
            Action::Notice(text) => outcome.notices.push(text),
            Action::Finish(report) => {
                let ending = Ending {
                    row: &row,
                    settings: &settings,
                    step,
                    stored: &stored,
                };
                effects.extend(finish::finish(bot, &mut tx, &ending, report).await?);
            }
        }
    }
    let leased = outbox::push(&mut *tx, interview_id, row.thread_id, &effects, LEASE).await?;
    tx.commit().await.map_err(StoreError::from)?;
    let shown = Shown {
        queued_behind: leased.len() < effects.len(),
        delivery: Delivery {
            interview_id,
            thread_id: row.thread_id,
            typing,
            effects: leased,
        },
    };
    Ok((outcome, Some(shown)))
}

/// The submission of the open answer to the turn the engine waits for, or why there is none.
async fn submit(
    tx: &mut sqlx::PgConnection,
    engine: &Interview,
    stored: &[AnswerRow],
) -> Result<Result<(Step, Event), &'static str>, BotError> {
    let Some(awaiting) = engine.awaiting() else {
        return Ok(Err(
            "Your last answer is still being scored; the feedback comes next.",
        ));
    };
    let open = stored.iter().find(|a| {
        a.question_id == awaiting.question_id
            && a.turn == awaiting.turn
            && a.status == AnswerStatus::Open
    });
    let Some(open) = open else {
        return Ok(Err(
            "Nothing to submit yet: write your answer in this thread, then press Submit.",
        ));
    };
    answers::submit(&mut *tx, open.answer_id, awaiting.hinted, Utc::now()).await?;
    Ok(Ok((
        Step::Submitted {
            answer: open.answer_id,
        },
        Event::AnswerSubmitted(open.body.clone()),
    )))
}

/// The interview's questions, from the bank the process loaded.
fn plan_of(bot: &Bot, row: &InterviewRow) -> Result<Vec<Arc<Question>>, BotError> {
    row.plan
        .iter()
        .map(|id| {
            bot.bank.get(id).cloned().ok_or_else(|| {
                BotError::Internal(format!(
                    "interview {} asks question {id:?}, which is no longer in the bank",
                    row.interview_id
                ))
            })
        })
        .collect()
}

/// A duration as people say it: "30 minutes", "1 hour 30 minutes", "45 seconds".
pub fn spoken(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    let unit = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let parts: Vec<String> = [(h, "hour"), (m, "minute"), (s, "second")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, one)| unit(n, one))
        .collect();
    if parts.is_empty() {
        "0 seconds".into()
    } else {
        parts.join(" ")
    }
}

/// The metrics' label for how an interview ended.
pub(super) fn outcome_name(outcome: InterviewEnd) -> &'static str {
    match outcome {
        InterviewEnd::Completed => "completed",
        InterviewEnd::Ended => "ended",
        InterviewEnd::Abandoned => "abandoned",
    }
}

/// An engine refusal as a sentence for the candidate.
fn sentence(why: &str) -> String {
    let mut text = why.to_owned();
    if let Some(first) = text.get(..1) {
        text.replace_range(..1, &first.to_uppercase());
    }
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// The stored answers of one interview, as the journal's replay reads them.
struct StoredAnswers<'a> {
    by_id: HashMap<i64, &'a AnswerRow>,
}

impl<'a> StoredAnswers<'a> {
    fn new(rows: &'a [AnswerRow]) -> Self {
        StoredAnswers {
            by_id: rows.iter().map(|a| (a.answer_id, a)).collect(),
        }
    }
}

impl AnswerLookup for StoredAnswers<'_> {
    fn body(&self, answer_id: i64) -> Option<String> {
        self.by_id.get(&answer_id).map(|a| a.body.clone())
    }

    fn assessment(&self, answer_id: i64) -> Option<Assessment> {
        self.by_id.get(&answer_id).and_then(|a| a.assessment())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{sentence, spoken};

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(spoken(Duration::from_secs(1800)), "30 minutes");
        assert_eq!(spoken(Duration::from_secs(5400)), "1 hour 30 minutes");
        assert_eq!(spoken(Duration::from_secs(1)), "1 second");
    }

    #[test]
    fn engine_refusals_read_as_sentences() {
        assert_eq!(
            sentence("the last answer is still being scored"),
            "The last answer is still being scored."
        );
        assert_eq!(sentence("Done."), "Done.");
    }
}
