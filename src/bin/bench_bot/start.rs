//! Phase 1: every member runs `/interview start` at once; the phase ends when every thread has
//! its first question. Then the interviews are looked up in the database (thread → candidate),
//! ready for the answer phase.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use mockingbird::fake_discord::{ids, FakeDiscord, MessageSource, SlashCommand};

use super::track::{ms_between, percentile, Collector, Kind};

/// Slash commands sent before yielding to the fake's gateway task: the fake's dispatch channel
/// holds 1,024 events, and a session that falls further behind drops events.
const BURST: usize = 50;

/// An interview ready to be answered.
#[derive(Debug, Clone)]
pub struct Opened {
    pub member: u64,
    pub thread: u64,
    pub interview_id: i64,
    /// The question message whose Submit button to click.
    pub question: u64,
}

#[derive(Debug)]
pub struct StartReport {
    pub interviews: usize,
    /// From the first command sent to the last first question recorded.
    pub took: Duration,
    /// Per member: command sent → first question recorded, ms (sorted).
    pub latencies: Vec<f64>,
    /// Replies to `/interview start` that were not "Your interview is ready…".
    pub errors: Vec<String>,
}

/// Runs the phase; fails if some thread has no first question within `timeout`.
pub async fn start_all(
    fake: &FakeDiscord,
    collector: &mut Collector,
    pool: &PgPool,
    members: &[u64],
    cmd: &SlashCommand,
    timeout: Duration,
) -> Result<(StartReport, Vec<Opened>)> {
    let started = Instant::now();
    let mut sent_at = HashMap::new();
    for chunk in members.chunks(BURST) {
        for &member in chunk {
            sent_at.insert(member, Utc::now());
            fake.slash_command(member, ids::GENERAL, cmd)?;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let mut first: HashMap<u64, (u64, i64, DateTime<Utc>)> = HashMap::new();
    while first.len() < members.len() {
        for seen in collector.poll().messages {
            if let (Kind::Question { first: true }, Some(id)) = (&seen.kind, seen.interview_id) {
                first.entry(seen.channel).or_insert((seen.id, id, seen.at));
            }
        }
        if started.elapsed() > timeout {
            let errors = start_errors(fake, members.len());
            bail!(
                "only {} of {} interviews had their first question after {timeout:?}; replies \
                 that were not \"ready\": {errors:#?}",
                first.len(),
                members.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let opened = lookup(pool, &first).await?;
    settle_replies(fake, members.len(), Duration::from_secs(10)).await;
    let first_sent = sent_at.values().min().copied().unwrap_or_else(Utc::now);
    let last_question = first.values().map(|(_, _, at)| *at).max();
    let took_ms = last_question.map_or(0.0, |at| ms_between(first_sent, at));
    let mut latencies: Vec<f64> = opened
        .iter()
        .filter_map(|o| {
            Some(ms_between(
                *sent_at.get(&o.member)?,
                first.get(&o.thread)?.2,
            ))
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let report = StartReport {
        interviews: opened.len(),
        took: Duration::from_secs_f64(took_ms.max(0.0) / 1000.0),
        latencies,
        errors: start_errors(fake, members.len()),
    };
    Ok((report, opened))
}

/// The candidate of each thread, from the database.
async fn lookup(
    pool: &PgPool,
    first: &HashMap<u64, (u64, i64, DateTime<Utc>)>,
) -> Result<Vec<Opened>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT interview_id, user_id, thread_id FROM interviews WHERE status = 'active'",
    )
    .fetch_all(pool)
    .await?;
    let opened: Vec<Opened> = rows
        .into_iter()
        .filter_map(|(interview_id, user, thread)| {
            let (question, button_id, _) = first.get(&(thread as u64))?;
            (*button_id == interview_id).then_some(Opened {
                member: user as u64,
                thread: thread as u64,
                interview_id,
                question: *question,
            })
        })
        .collect();
    if opened.len() != first.len() {
        bail!(
            "{} threads have a first question but {} match an active interview",
            first.len(),
            opened.len()
        );
    }
    Ok(opened)
}

/// Discord's "loading" flag: the placeholder of a deferred reply (poise sends the reply itself
/// as a follow-up).
const LOADING: u64 = 128;

/// The bot's finished replies to slash commands in #general, as text.
fn replies(fake: &FakeDiscord) -> Vec<String> {
    fake.read(|w| {
        w.messages
            .iter()
            .filter(|m| m.by_bot && m.channel_id == ids::GENERAL && m.flags & LOADING == 0)
            .filter(|m| {
                matches!(
                    m.source,
                    MessageSource::InteractionResponse { .. } | MessageSource::Followup { .. }
                )
            })
            .map(|m| m.content.chars().take(160).collect())
            .collect()
    })
}

/// Waits (up to `timeout`) until every command has its reply.
async fn settle_replies(fake: &FakeDiscord, commands: usize, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while replies(fake).len() < commands && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Replies that are not "Your interview is ready", and one line for any command unanswered.
fn start_errors(fake: &FakeDiscord, commands: usize) -> Vec<String> {
    let replies = replies(fake);
    let missing = commands.saturating_sub(replies.len());
    replies
        .into_iter()
        .filter(|r| !r.starts_with("Your interview is ready"))
        .chain((missing > 0).then(|| format!("{missing} commands had no reply")))
        .collect()
}

/// "p50 / p99 / max" of sorted milliseconds.
pub fn summary(sorted: &[f64]) -> String {
    format!(
        "{:.0} / {:.0} / {:.0} ms",
        percentile(sorted, 50.0),
        percentile(sorted, 99.0),
        sorted.last().copied().unwrap_or(0.0)
    )
}
