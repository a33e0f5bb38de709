//! What a step leaves to show: the engine's actions turned into effects for the outbox (and
//! the scoring job's rubric, and the interview's end), in the step's transaction.

use super::finish::{self, Ending};
use super::Taken;
use crate::app::{App, AppError};
use crate::interview::{Action, Effect, Intro, IntroStyle, Step};
use crate::store::{guilds, jobs};
use crate::style::Style;

/// The effects of one step, in order.
pub(super) struct Shown {
    pub effects: Vec<Effect>,
    /// The step queued its answer's scoring: show that it is being scored.
    pub typing: bool,
    /// Short messages for the person who caused the step.
    pub notices: Vec<String>,
}

pub(super) async fn of_actions(
    app: &App,
    tx: &mut sqlx::PgConnection,
    taken: &Taken<'_>,
    style: Option<&Style>,
    actions: Vec<Action>,
) -> Result<Shown, AppError> {
    let row = taken.row;
    let settings = guilds::settings(&mut *tx, row.guild_id).await?;
    let mut shown = Shown {
        effects: Vec::new(),
        typing: false,
        notices: Vec::new(),
    };
    match taken.step {
        Step::ScoringFailed { .. } => shown.effects.push(Effect::Unscored {
            user_id: row.user_id,
        }),
        Step::Start => shown.effects.push(Effect::Intro(Intro {
            track: row.track.clone(),
            difficulty: row.difficulty,
            adaptive: row.adaptive_questions.is_some(),
            questions: row.adaptive_questions.unwrap_or(row.plan.len()),
            quiet_period_secs: settings.quiet_period.as_secs(),
            idle_timeout_secs: settings.idle_timeout.as_secs(),
            style: style.map(|s| IntroStyle {
                name: s.name.clone(),
                intro: s.messages.intro.clone(),
                time_box_secs: s.time_box_secs,
            }),
            drill: row.drill,
            design: row
                .design
                .as_ref()
                .and_then(|d| serde_json::from_value(d.clone()).ok()),
        })),
        _ => {}
    }
    for action in actions {
        match action {
            Action::Ask(prompt) => shown.effects.push(Effect::Ask { prompt }),
            // The job was queued with the submission (`answers::submit`): it is scored
            // against the rubric the engine chose, and the typing indicator says so meanwhile.
            Action::Score { rubric, .. } => {
                if let Step::Submitted { answer } = taken.step {
                    jobs::set_rubric(&mut *tx, answer, &rubric).await?;
                }
                shown.typing = true;
            }
            Action::ShowHint(text) => shown.effects.push(Effect::Hint { text }),
            Action::ShowFeedback {
                assessment,
                hinted,
                remark,
            } => {
                let answer_id = match taken.step {
                    Step::Scored { answer } => Some(answer),
                    _ => None,
                };
                shown.effects.push(Effect::Feedback {
                    answer_id,
                    assessment: Some(Box::new(assessment)),
                    hinted,
                    remark,
                });
            }
            Action::Notice(text) => shown.notices.push(text),
            Action::Finish(report) => {
                let ending = Ending {
                    row,
                    settings: &settings,
                    step: taken.step,
                    stored: taken.stored,
                };
                let ended = finish::finish(app, &mut *tx, &ending, report).await?;
                shown.effects.extend(ended);
            }
        }
    }
    Ok(shown)
}
