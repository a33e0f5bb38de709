//! Where an answer's time goes, from the database's own timestamps: the click to the answer's
//! `submitted_at` (the bot's clock inside the Submit step, after the gateway, the button's
//! acknowledgement and the interview's row lock), then to its scoring job's `finished_at`
//! (PostgreSQL's `now()` in the transaction that stores the score: the submit's commit, the
//! wait for a worker, the claim, the scorer and the usage record), then to the feedback
//! message (the score's commit and the step that posts it). One machine, one clock.

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::track::ms_between;

/// Milliseconds per stage, one entry per answer found (each sorted).
#[derive(Debug, Default)]
pub struct Stages {
    pub to_submitted: Vec<f64>,
    pub to_scored: Vec<f64>,
    pub to_feedback: Vec<f64>,
    /// Per answer found, in click order: the click, then the total and the three stages, ms.
    pub rows: Vec<(DateTime<Utc>, [f64; 4])>,
}

type Sample = (u64, DateTime<Utc>, DateTime<Utc>);
type Row = (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The stages of the answers in `samples` (answer message id, click, feedback).
pub async fn breakdown(pool: &PgPool, samples: &[Sample]) -> Result<Stages> {
    let ids: Vec<i64> = samples.iter().map(|s| s.0 as i64).collect();
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m, a.submitted_at, j.finished_at
         FROM answers a JOIN scoring_jobs j USING (answer_id)
         CROSS JOIN LATERAL unnest(a.message_ids) m
         WHERE m = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    let found: HashMap<i64, (DateTime<Utc>, DateTime<Utc>)> = rows
        .into_iter()
        .filter_map(|(m, submitted, finished)| Some((m, (submitted?, finished?))))
        .collect();
    let mut stages = Stages::default();
    for (message, click, feedback) in samples {
        if let Some((submitted, scored)) = found.get(&(*message as i64)) {
            let row = [
                ms_between(*click, *feedback),
                ms_between(*click, *submitted),
                ms_between(*submitted, *scored),
                ms_between(*scored, *feedback),
            ];
            stages.to_submitted.push(row[1]);
            stages.to_scored.push(row[2]);
            stages.to_feedback.push(row[3]);
            stages.rows.push((*click, row));
        }
    }
    for v in [
        &mut stages.to_submitted,
        &mut stages.to_scored,
        &mut stages.to_feedback,
    ] {
        v.sort_by(f64::total_cmp);
    }
    stages.rows.sort_by_key(|(click, _)| *click);
    Ok(stages)
}

/// Writes every answer's click time and timings as CSV, for plotting or a closer look.
pub fn write_csv(path: &std::path::Path, rates: &[(f64, &Stages)]) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "rate,click,latency_ms,click_to_submitted_ms,submitted_to_scored_ms,scored_to_feedback_ms"
    )?;
    for (rate, stages) in rates {
        for (click, [total, a, b, c]) in &stages.rows {
            let click = click.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            writeln!(out, "{rate},{click},{total:.3},{a:.3},{b:.3},{c:.3}")?;
        }
    }
    out.flush()?;
    Ok(())
}
