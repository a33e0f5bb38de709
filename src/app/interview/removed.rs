//! An interview whose question left the bank (a bank update, or a guild's pack changed): its
//! journal cannot be replayed against questions that no longer exist, so no step could apply
//! and the member would be locked out of starting another. Whatever the event, the interview
//! ends here with what it has — its scored answers stay in history — and the candidate is told
//! why.

use chrono::Utc;
use tracing::warn;

use super::{commit, outcome_name, StepResult, Stepped};
use crate::app::{App, AppError};
use crate::interview::{Effect, Ending};
use crate::store::guilds;
use crate::store::interviews::{self, InterviewRow};

/// Ends the interview in `tx`; `missing` is the question the bank no longer has.
pub(super) async fn end(
    app: &App,
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    row: &InterviewRow,
    missing: &str,
) -> Result<Stepped, AppError> {
    warn!(
        interview_id = row.interview_id,
        question_id = missing,
        "interview asks a question no longer in the bank; ending it"
    );
    let ended = interviews::finish(&mut *tx, row.interview_id, Ending::Ended, Utc::now()).await?;
    if !ended {
        return Ok(Stepped::default());
    }
    app.metrics.finished(outcome_name(Ending::Ended));
    let settings = guilds::settings(&mut *tx, row.guild_id).await?;
    let mut effects = vec![Effect::QuestionRemoved {
        user_id: row.user_id,
        question_id: missing.to_owned(),
    }];
    if settings.archive_on_finish {
        effects.push(Effect::Archive);
    }
    let outcome = StepResult {
        applied: true,
        ..StepResult::default()
    };
    commit(tx, row, &effects, false, outcome).await
}
