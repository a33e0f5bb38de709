//! The end of an interview: the report (with its chart, and each answer's peer score so far),
//! the interview marked finished in the same transaction, and the thread archived.

use chrono::Utc;
use serenity::all::{ChannelId, EditThread};
use tracing::{info, warn};

use super::{outcome_name, spoken};
use crate::bot::{render, Bot, BotError};
use crate::interview::{Report, Step};
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

/// Posts the report, marks the interview finished and archives the thread.
pub(super) async fn finish(
    bot: &Bot,
    tx: &mut sqlx::PgConnection,
    e: &Ending<'_>,
    report: &Report,
) -> Result<(), BotError> {
    let row = e.row;
    let chart = chart(row.interview_id, report).await;
    let peers = peer_scores(tx, report, e.stored).await?;
    let mut message = render::interview::report_with_peers(report, chart, &peers);
    if e.step == Step::Timeout {
        message = message.content(format!(
            "<@{}>, this interview had no activity for {}, so it has ended. Start a new one \
             with `/interview start` whenever you like.",
            row.user_id,
            spoken(e.settings.idle_timeout)
        ));
    }
    let thread = ChannelId::new(row.thread_id);
    thread.send_message(&bot.http, message).await?;
    interviews::finish(&mut *tx, row.interview_id, report.outcome, Utc::now()).await?;
    bot.metrics.finished(outcome_name(report.outcome));
    info!(
        interview_id = row.interview_id,
        guild_id = row.guild_id,
        outcome = ?report.outcome,
        "interview finished"
    );
    if e.settings.archive_on_finish {
        let archive = EditThread::new().archived(true);
        if let Err(err) = thread.edit_thread(&bot.http, archive).await {
            warn!(interview_id = row.interview_id, error = %err, "archiving the thread failed");
        }
    }
    Ok(())
}

/// The report's chart; a chart that fails is left out, not the report.
async fn chart(interview_id: i64, report: &Report) -> Option<Vec<u8>> {
    let owned = report.clone();
    match tokio::task::spawn_blocking(move || crate::chart::interview_chart(&owned)).await {
        Ok(Ok(png)) => Some(png),
        Ok(Err(e)) => {
            warn!(interview_id, error = %e, "report chart failed");
            None
        }
        Err(e) => {
            warn!(interview_id, error = %e, "report chart task failed");
            None
        }
    }
}

/// Each result's peer score so far, in the report's order (skipped turns have none).
async fn peer_scores(
    tx: &mut sqlx::PgConnection,
    report: &Report,
    stored: &[AnswerRow],
) -> Result<Vec<Option<String>>, BotError> {
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
        .map(|id| {
            id.and_then(|id| summaries.get(&id))
                .and_then(render::reviews::peer_score)
        })
        .collect())
}
