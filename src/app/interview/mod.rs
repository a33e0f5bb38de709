//! One step of an interview at a time. Every event — a submitted answer, a score arriving, a
//! button, the idle timeout — takes the interview's row lock, rebuilds the engine from the saved
//! journal, applies the event, and saves the new journal together with what the step leaves to
//! show (its effects, in the outbox), all in one short transaction with no network call in it.
//! The adapter then shows the effects (the bot's dispatcher posts them). So events on one
//! interview apply in order whichever process receives them, a crash mid-step rolls the step
//! back to be applied again, and Discord's latency never holds a lock or a connection.

mod effects;
mod finish;
mod message;
mod rate;
mod removed;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::{App, AppError};
use crate::bank::Question;
use crate::errors::sentence;
use crate::interview::design::DesignRound;
use crate::interview::{
    Action, Adaptive, AnswerLookup, Effect, Ending, EngineError, Event, Interview, Journal,
    Settings, Step,
};
use crate::scoring::Assessment;
use crate::store::answers::{self, AnswerRow, AnswerStatus};
use crate::store::interviews::{self, InterviewRow};
use crate::store::outbox::{self, PendingEffect};
use crate::style::Style;
pub use message::{file_message, takes_answers_from, Filed, ThreadMessage};
pub use rate::wait_before_start;

/// What happened to an interview.
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
    /// This answer's scoring job failed for good.
    ScoringFailed {
        answer_id: i64,
    },
}

/// What the caller should tell the person who caused the step.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StepResult {
    /// Short messages for the candidate (why nothing happened, say); the caller shows them
    /// ephemerally, or drops them when no person caused the step.
    pub notices: Vec<String>,
    /// The step was applied (false: the interview is over, or the event did not apply).
    pub applied: bool,
}

impl StepResult {
    fn notice(text: impl Into<String>) -> StepResult {
        StepResult {
            notices: vec![text.into()],
            applied: false,
        }
    }
}

/// How long the process that commits a step keeps the effects it leased: longer than a
/// delivery usually takes, so that a live process keeps them, and short, because a dead
/// process's posts wait that long before another process takes them.
pub const DELIVERY_LEASE: Duration = Duration::from_secs(20);

/// What a committed step leaves to show at once.
#[derive(Debug)]
pub struct Delivery {
    pub interview_id: i64,
    pub thread_id: u64,
    /// Show that the answer is being scored (cosmetic: not stored, not retried).
    pub typing: bool,
    /// The step's effects, leased to this process, in order.
    pub effects: Vec<PendingEffect>,
}

/// A step's result: what to tell the person who caused it, and what it left to show.
#[derive(Debug, Default)]
pub struct Stepped {
    pub outcome: StepResult,
    /// `None` when nothing was applied.
    pub delivery: Option<Delivery>,
    /// Effects wait behind the thread's earlier ones, for whoever drains the outbox.
    pub queued_behind: bool,
    /// The step queued a scoring job.
    pub queued_scoring: bool,
}

/// Ends an interview whose thread cannot be posted to any more; false when it had ended.
pub async fn abandon(app: &App, interview_id: i64) -> Result<bool, AppError> {
    let ended = interviews::finish(&app.pool, interview_id, Ending::Abandoned, Utc::now()).await?;
    if ended {
        app.metrics.finished(outcome_name(Ending::Abandoned));
    }
    Ok(ended)
}

/// Applies one input to a running interview, in one transaction. Nothing is applied when the
/// interview is not running any more (another process may have ended it).
pub async fn apply(app: &App, interview_id: i64, input: Input) -> Result<Stepped, AppError> {
    let nothing = Ok(Stepped::default());
    let refused = |notice: String| {
        Ok(Stepped {
            outcome: StepResult::notice(notice),
            ..Stepped::default()
        })
    };
    let mut tx = app.pool.begin().await?;
    let Some(row) = interviews::lock(&mut *tx, interview_id).await? else {
        return nothing;
    };
    let stored = answers::for_interview(&mut *tx, interview_id).await?;
    let lookup = StoredAnswers::new(&stored);
    let broken = |why: String| AppError::Interview { interview_id, why };
    let mut journal =
        Journal::from_json(&row.state).map_err(|e| broken(format!("bad journal: {e}")))?;
    let plan = match plan_of(app, &mut tx, &row).await? {
        Ok(plan) => plan,
        Err(missing) => return removed::end(app, tx, &row, &missing).await,
    };
    let settings = settings_of(&row).map_err(|e| broken(format!("bad style: {e}")))?;
    let mut engine = journal
        .replay(plan, settings, &lookup)
        .map_err(|e| broken(e.to_string()))?;

    let (step, event) = match choose(&mut tx, input, &journal, &engine, &stored).await? {
        Choice::Nothing => return nothing,
        Choice::Refused(notice) => return refused(notice),
        Choice::Step(step, event) => (step, event),
    };
    let actions = match engine.handle(event) {
        Ok(actions) => actions,
        Err(EngineError::NotNow(why)) => return refused(sentence(why)),
        Err(e) => return refused(sentence(&e.to_string())),
    };
    if let Some(notices) = only_notices(&actions) {
        // Nothing changed (no hint left, say): the transaction is dropped, so the journal's
        // replay does not grow with clicks that did nothing.
        let outcome = StepResult {
            notices,
            applied: false,
        };
        return Ok(Stepped {
            outcome,
            ..Stepped::default()
        });
    }
    journal.record(step, &engine);
    let asked = actions.iter().any(|a| matches!(a, Action::Ask(_)));
    interviews::save_state(&mut *tx, interview_id, &journal.to_json(), asked).await?;
    let taken = Taken {
        row: &row,
        stored: &stored,
        step,
    };
    let style = engine.settings().style.clone();
    let shown = effects::of_actions(app, &mut tx, &taken, style.as_deref(), actions).await?;
    let outcome = StepResult {
        applied: true,
        notices: shown.notices,
    };
    commit(tx, &row, &shown.effects, shown.typing, outcome).await
}

/// What an input comes to before the engine sees it.
enum Choice {
    /// Nothing to apply (a duplicate, or a score the interview no longer waits for).
    Nothing,
    /// Told to the person, nothing applied.
    Refused(String),
    Step(Step, Event),
}

/// The journal step and engine event an input stands for, if it applies now.
async fn choose(
    tx: &mut sqlx::PgConnection,
    input: Input,
    journal: &Journal,
    engine: &Interview,
    stored: &[AnswerRow],
) -> Result<Choice, AppError> {
    let step = |step, event| Ok(Choice::Step(step, event));
    match input {
        Input::Start if !journal.steps.is_empty() => Ok(Choice::Nothing),
        Input::Start => step(Step::Start, Event::Start),
        Input::Hint => step(Step::Hint, Event::Hint),
        Input::Skip => step(Step::Skip, Event::Skip),
        Input::End => step(Step::End, Event::End),
        Input::Timeout => step(Step::Timeout, Event::Timeout),
        Input::Submit => Ok(match submit(tx, engine, stored).await? {
            Ok((s, e)) => Choice::Step(s, e),
            Err(notice) => Choice::Refused(notice.to_owned()),
        }),
        Input::Scored { answer_id } => {
            let assessment = StoredAnswers::new(stored).assessment(answer_id);
            match assessment {
                Some(a) if !journal.has_scored(answer_id) && engine.is_scoring() => step(
                    Step::Scored { answer: answer_id },
                    Event::AnswerScored(Box::new(a)),
                ),
                _ => Ok(Choice::Nothing),
            }
        }
        Input::ScoringFailed { answer_id } => {
            let failed = stored
                .iter()
                .any(|a| a.answer_id == answer_id && a.status == AnswerStatus::Failed);
            if failed && !journal.has_scored(answer_id) && engine.is_scoring() {
                step(
                    Step::ScoringFailed { answer: answer_id },
                    Event::ScoringFailed,
                )
            } else {
                Ok(Choice::Nothing)
            }
        }
    }
}

/// The notices, when the engine answered with nothing else (so nothing changed).
fn only_notices(actions: &[Action]) -> Option<Vec<String>> {
    actions
        .iter()
        .map(|a| match a {
            Action::Notice(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The step taken, and the interview it was taken on.
struct Taken<'a> {
    row: &'a InterviewRow,
    /// The interview's stored answers.
    stored: &'a [AnswerRow],
    step: Step,
}

/// Saves a step's effects to the outbox and commits; the effects leased to this process come
/// back to be shown at once.
async fn commit(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    row: &InterviewRow,
    effects: &[Effect],
    typing: bool,
    outcome: StepResult,
) -> Result<Stepped, AppError> {
    let (interview_id, thread_id) = (row.interview_id, row.thread_id);
    let leased = outbox::push(&mut *tx, interview_id, thread_id, effects, DELIVERY_LEASE).await?;
    tx.commit().await?;
    Ok(Stepped {
        outcome,
        queued_behind: leased.len() < effects.len(),
        queued_scoring: typing,
        delivery: Some(Delivery {
            interview_id,
            thread_id,
            typing,
            effects: leased,
        }),
    })
}

/// The submission of the open answer to the turn the engine waits for, or why there is none.
async fn submit(
    tx: &mut sqlx::PgConnection,
    engine: &Interview,
    stored: &[AnswerRow],
) -> Result<Result<(Step, Event), &'static str>, AppError> {
    let Some(awaiting) = engine.awaiting() else {
        return Ok(Err(
            "Your last answer is still being scored; the feedback comes next.",
        ));
    };
    let open = stored.iter().find(|a| {
        a.question_id == awaiting.question_id
            && a.turn == awaiting.turn
            && a.status == AnswerStatus::Open
            // Every message of it may have been deleted.
            && !a.message_ids.is_empty()
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

/// The interview's questions as they were when it started. An interview from before versions
/// were kept reads them from the bank the process loaded; `Err` names the first one the bank
/// no longer has.
async fn plan_of(
    app: &App,
    tx: &mut sqlx::PgConnection,
    row: &InterviewRow,
) -> Result<Result<Vec<Arc<Question>>, String>, AppError> {
    if !row.plan_versions.is_empty() && row.plan_versions.len() == row.plan.len() {
        return Ok(Ok(app.asked.get(tx, &row.plan_versions).await?));
    }
    Ok(row
        .plan
        .iter()
        .map(|id| app.bank.get(id).cloned().ok_or_else(|| id.clone()))
        .collect())
}

/// The rules the interview was started with, its style as it was then.
fn settings_of(row: &InterviewRow) -> Result<Settings, serde_json::Error> {
    let mut settings = Settings {
        adaptive: row.adaptive_questions.map(|questions| Adaptive {
            questions,
            start: row.difficulty,
        }),
        ..Settings::default()
    };
    if let Some(style) = &row.style {
        settings = settings.styled(Arc::new(serde_json::from_value::<Style>(style.clone())?));
    }
    if row.drill {
        // A drill recalls: one question after another, with short feedback.
        settings.max_follow_ups = 0;
    }
    if let Some(round) = &row.design {
        settings.design = Some(serde_json::from_value::<DesignRound>(round.clone())?);
    }
    Ok(settings)
}

/// The metrics' label for how an interview ended.
pub fn outcome_name(outcome: Ending) -> &'static str {
    match outcome {
        Ending::Completed => "completed",
        Ending::Ended => "ended",
        Ending::Abandoned => "abandoned",
    }
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
