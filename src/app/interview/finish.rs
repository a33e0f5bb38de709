//! The end of an interview: the interview marked finished, and the report (with each answer's
//! peer score so far) and the thread's archiving left to show, in the step's transaction.

use chrono::Utc;
use tracing::info;

use super::outcome_name;
use crate::app::{reviews::peer_score, App, AppError};
use crate::interview::{Effect, Report, Step, TimedOut};
use crate::store::answers::AnswerRow;
use crate::store::guilds::GuildSettings;
use crate::store::interviews::{self, InterviewRow};
use crate::store::reviews;

/// What the step that ends an interview knows.
pub(super) struct Ending<'a> {
    pub row: &'a InterviewRow,
    pub settings: &'a GuildSettings,
    pub step: Step,
    /// The interview's stored answers.
    pub stored: &'a [AnswerRow],
}

/// Marks the interview finished; returns the effects that show its end.
pub(super) async fn finish(
    app: &App,
    tx: &mut sqlx::PgConnection,
    e: &Ending<'_>,
    mut report: Report,
) -> Result<Vec<Effect>, AppError> {
    let row = e.row;
    for result in report.results.iter_mut().filter(|r| !r.skipped) {
        let answer = e
            .stored
            .iter()
            .find(|a| a.question_id == result.question_id && a.turn == result.turn);
        result.seconds = answer.and_then(|a| a.answer_secs);
    }
    if row.drill {
        let asked: Vec<String> = report
            .results
            .iter()
            .filter(|r| r.turn == crate::interview::Turn::Main && r.scores.is_some())
            .map(|r| r.question_id.clone())
            .collect();
        report.next_reviews =
            crate::app::drills::next_reviews(app, tx, row.guild_id, row.user_id, &asked).await?;
    }
    let peer_scores = peer_scores(tx, &report, e.stored).await?;
    interviews::finish(&mut *tx, row.interview_id, report.outcome, Utc::now()).await?;
    app.metrics.finished(outcome_name(report.outcome));
    info!(
        interview_id = row.interview_id,
        guild_id = row.guild_id,
        outcome = ?report.outcome,
        "interview finished"
    );
    let timed_out = (e.step == Step::Timeout).then_some(TimedOut {
        user_id: row.user_id,
        idle_timeout_secs: e.settings.idle_timeout.as_secs(),
    });
    let mut effects = vec![Effect::Report {
        report: Box::new(report),
        peer_scores,
        timed_out,
    }];
    if e.settings.archive_on_finish {
        effects.push(Effect::Archive);
    }
    Ok(effects)
}

/// Each result's peer score so far, in the report's order (skipped turns have none).
async fn peer_scores(
    tx: &mut sqlx::PgConnection,
    report: &Report,
    stored: &[AnswerRow],
) -> Result<Vec<Option<String>>, AppError> {
    let answer_of = |question_id: &str, turn| {
        stored
            .iter()
            .find(|a| a.question_id == question_id && a.turn == turn)
            .map(|a| a.answer_id)
    };
    let ids: Vec<Option<i64>> = report
        .results
        .iter()
        .map(|r| {
            (!r.skipped)
                .then(|| answer_of(&r.question_id, r.turn))
                .flatten()
        })
        .collect();
    let wanted: Vec<i64> = ids.iter().flatten().copied().collect();
    let summaries = reviews::summaries(&mut *tx, &wanted).await?;
    Ok(ids
        .iter()
        .map(|id| id.and_then(|id| summaries.get(&id)).and_then(peer_score))
        .collect())
}
