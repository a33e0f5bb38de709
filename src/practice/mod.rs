//! `mockingbird practice`: the interview engine in a terminal. Reads answers from any
//! `BufRead` (a keyboard or a pipe: the same rules, so it is scriptable) and writes the
//! transcript to any `Write`.

mod drill;
mod render;

use std::io::{self, BufRead, Write};
use std::time::Instant;

use crate::bank::Question;
use crate::interview::design::Stage;
use crate::interview::{Action, EngineError, Event, Interview, Report, Turn};
use crate::scoring::Scorer;

pub use drill::{
    default_path as default_drill_state, next_reviews, plan as drill_plan, DrillPlan, DrillState,
    DrillStateError,
};
pub use render::{feedback as render_feedback, report as render_report};

#[derive(Debug, thiserror::Error)]
pub enum PracticeError {
    #[error("terminal I/O failed: {0}")]
    Io(#[from] io::Error),
    #[error("interview engine: {0}")]
    Engine(#[from] EngineError),
}

/// What the candidate typed for one turn.
enum Input {
    Answer(String),
    Hint,
    Skip,
    End,
}

/// Runs a whole interview and returns its report (also printed to `out`).
pub fn run(
    interview: Interview,
    scorer: &dyn Scorer,
    track: Option<&str>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<Report, PracticeError> {
    let start = interview.settings().adaptive.map(|a| a.start);
    let style = interview.settings().style.clone();
    let welcome = match interview.settings().design {
        Some(round) => render::design_welcome(&round, style.as_deref()),
        None => render::welcome(track, interview.length(), start, style.as_deref()),
    };
    write!(out, "{welcome}")?;
    let mut session = Session {
        interview,
        scorer,
        out,
        current_main: None,
        asked_at: Instant::now(),
        times: Vec::new(),
    };
    let mut pending = session.interview.handle(Event::Start)?;
    let mut draft = String::new();
    loop {
        let mut next = Vec::new();
        for action in pending {
            match session.carry_out(action)? {
                Carried::Next(actions) => next.extend(actions),
                Carried::Finished(report) => return Ok(*report),
            }
        }
        if next.is_empty() {
            session.out.flush()?;
            let event = match read_turn(input, session.out, &mut draft)? {
                Input::Answer(text) => Event::AnswerSubmitted(text),
                Input::Hint => Event::Hint,
                Input::Skip => {
                    session.times.push(None);
                    Event::Skip
                }
                Input::End => Event::End,
            };
            next = session.interview.handle(event)?;
        }
        pending = next;
    }
}

/// A terminal interview under way.
struct Session<'a> {
    interview: Interview,
    scorer: &'a dyn Scorer,
    out: &'a mut dyn Write,
    /// The main question on screen, whose model answer is shown when it is done.
    current_main: Option<std::sync::Arc<Question>>,
    /// When the question on screen was asked, and each recorded turn's time, in record order.
    asked_at: Instant,
    times: Vec<Option<u32>>,
}

/// What carrying out an action led to.
enum Carried {
    Next(Vec<Action>),
    Finished(Box<Report>),
}

impl Session<'_> {
    fn carry_out(&mut self, action: Action) -> Result<Carried, PracticeError> {
        let out = &mut *self.out;
        match action {
            Action::Ask(p) => {
                let opens = matches!(
                    p.turn,
                    Turn::Main
                        | Turn::Stage {
                            stage: Stage::Clarify
                        }
                );
                if opens {
                    show_model_answer(out, self.current_main.take())?;
                    self.current_main = self.interview.plan().get(p.number - 1).cloned();
                }
                write!(out, "{}", render::prompt(&p))?;
                self.asked_at = Instant::now();
            }
            Action::Score { rubric, answer } => {
                let secs = self.asked_at.elapsed().as_secs();
                self.times
                    .push(Some(u32::try_from(secs).unwrap_or(u32::MAX)));
                let assessment = self.scorer.score(&rubric, &answer);
                let event = Event::AnswerScored(Box::new(assessment));
                return Ok(Carried::Next(self.interview.handle(event)?));
            }
            Action::ShowHint(h) => write!(out, "{}", render::hint(&h))?,
            Action::ShowFeedback {
                assessment,
                hinted,
                remark,
            } => {
                if let Some(remark) = remark {
                    write!(out, "{}", render::remark(&remark))?;
                }
                write!(out, "{}", render::feedback(&assessment, hinted))?
            }
            Action::Notice(n) => write!(out, "{}", render::notice(&n))?,
            Action::Finish(mut report) => {
                for (result, secs) in report.results.iter_mut().zip(&self.times) {
                    result.seconds = *secs;
                }
                show_model_answer(out, self.current_main.take())?;
                write!(out, "{}", render::report(&report))?;
                out.flush()?;
                return Ok(Carried::Finished(Box::new(report)));
            }
        }
        Ok(Carried::Next(Vec::new()))
    }
}

fn show_model_answer(out: &mut dyn Write, q: Option<std::sync::Arc<Question>>) -> io::Result<()> {
    match q {
        Some(q) => write!(out, "{}", render::model_answer(&q.model_answer)),
        None => Ok(()),
    }
}

/// Reads lines until a lone "." or a command. A hint keeps the draft typed so far; the end of
/// input submits the draft, or ends the interview when there is none.
fn read_turn(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    draft: &mut String,
) -> io::Result<Input> {
    if draft.is_empty() {
        writeln!(out, "{}", render::input_marker())?;
        out.flush()?;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            let text = std::mem::take(draft);
            return Ok(if text.trim().is_empty() {
                Input::End
            } else {
                Input::Answer(text)
            });
        }
        match line.trim() {
            "." => {
                let text = std::mem::take(draft);
                return Ok(Input::Answer(text));
            }
            "/hint" => return Ok(Input::Hint),
            "/skip" => {
                draft.clear();
                return Ok(Input::Skip);
            }
            "/end" => {
                draft.clear();
                return Ok(Input::End);
            }
            _ => draft.push_str(&line),
        }
    }
}
