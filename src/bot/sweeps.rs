//! What keeps interviews moving when no event does: at start-up, resuming every open interview
//! (a first question never posted, scores never posted, answers waiting for their quiet period);
//! and every sweep interval, ending idle interviews, posting scores a worker stored but could
//! not post, and purging the data of guilds the bot left longer ago than the grace period.
//! Every step is idempotent, so several processes sweeping at once is harmless.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;
use tracing::{error, info};

use super::quiet::Waiting;
use super::session;
use super::{Bot, BotError};
use crate::app::interview::Input;
use crate::interview::Journal;
use crate::store::{answers, guilds, interviews, privacy};

/// A score younger than this is left to the worker that is posting it.
const GRACE: Duration = Duration::from_secs(10);

/// What resuming found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Resumed {
    pub interviews: usize,
    pub started: usize,
    pub scores_posted: usize,
    pub answers_waiting: usize,
}

/// Picks up every open interview after a start or restart.
pub async fn resume(bot: &Arc<Bot>) -> Result<Resumed, BotError> {
    let mut resumed = Resumed::default();
    let active = interviews::all_active(&bot.app.pool).await?;
    resumed.interviews = active.len();
    for row in &active {
        let unstarted = Journal::from_json(&row.state).is_ok_and(|j| j.steps.is_empty());
        if unstarted {
            resumed.started += usize::from(apply(bot, row.interview_id, Input::Start).await);
        }
    }
    resumed.scores_posted = post_scores(bot, Utc::now()).await?;
    let mut quiet = QuietPeriods::default();
    for (interview_id, guild_id) in answers::open_in_running_interviews(&bot.app.pool).await? {
        let period = quiet.of(bot, guild_id).await?;
        bot.quiet.arm(bot, Waiting::Interview(interview_id), period);
        resumed.answers_waiting += 1;
    }
    for (answer_id, guild_id) in answers::open_qotd_answers(&bot.app.pool).await? {
        let period = quiet.of(bot, guild_id).await?;
        bot.quiet.arm(bot, Waiting::QotdAnswer(answer_id), period);
        resumed.answers_waiting += 1;
    }
    info!(?resumed, "resumed open interviews");
    Ok(resumed)
}

/// Each guild's quiet period, read once per resume.
#[derive(Default)]
struct QuietPeriods(HashMap<u64, Duration>);

impl QuietPeriods {
    async fn of(&mut self, bot: &Bot, guild_id: u64) -> Result<Duration, BotError> {
        if let Some(period) = self.0.get(&guild_id) {
            return Ok(*period);
        }
        let period = guilds::settings(&bot.app.pool, guild_id)
            .await?
            .quiet_period;
        self.0.insert(guild_id, period);
        Ok(period)
    }
}

/// How often to sweep, and how long a guild that removed the bot keeps its data.
#[derive(Debug, Clone, Copy)]
pub struct Sweeps {
    pub every: Duration,
    pub purge_left_after: Duration,
}

/// Sweeps every `sweeps.every` until `shutdown` turns true; erases expired answer text at the
/// first sweep and then hourly (a day's retention need not be kept to the second).
pub async fn run(bot: Arc<Bot>, sweeps: Sweeps, mut shutdown: watch::Receiver<bool>) {
    let mut retention_due = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(sweeps.every) => {}
            _ = shutdown.changed() => return,
        }
        if let Err(e) = sweep_once(&bot, sweeps.purge_left_after).await {
            error!(error = %crate::bot::error_chain(&e), "sweep failed");
        }
        if tokio::time::Instant::now() >= retention_due {
            retention_due += RETENTION_EVERY;
            match erase_expired_text(&bot).await {
                Ok(0) => {}
                Ok(n) => info!(
                    answers = n,
                    "erased the text of answers past their retention"
                ),
                Err(e) => error!(error = %crate::bot::error_chain(&e), "retention sweep failed"),
            }
        }
    }
}

/// How often answers past their guild's retention are looked for.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Erases expired answer text in batches, so no statement holds many rows for long.
async fn erase_expired_text(bot: &Bot) -> Result<u64, BotError> {
    const BATCH: i64 = 500;
    let mut total = 0;
    loop {
        let n = privacy::erase_expired_answer_text(&bot.app.pool, Utc::now(), BATCH).await?;
        total += n;
        if n < BATCH as u64 {
            return Ok(total);
        }
    }
}

/// Ends idle interviews, posts scores left behind, and purges guilds left long enough ago.
pub async fn sweep_once(bot: &Arc<Bot>, purge_left_after: Duration) -> Result<(), BotError> {
    for row in interviews::idle(&bot.app.pool, Utc::now()).await? {
        apply(bot, row.interview_id, Input::Timeout).await;
    }
    let before = Utc::now() - chrono::Duration::from_std(GRACE).unwrap_or_default();
    // A failure here must not hold up the purge below: log it and go on.
    if let Err(e) = post_scores(bot, before).await {
        error!(error = %crate::bot::error_chain(&e), "posting left-behind scores failed");
    }
    if let Err(e) = super::pair::sweep(bot).await {
        error!(error = %crate::bot::error_chain(&e), "sweeping peer interviews failed");
    }
    if let Err(e) = send_reminders(bot, Utc::now()).await {
        error!(error = %crate::bot::error_chain(&e), "sending drill reminders failed");
    }
    let cutoff = Utc::now() - chrono::Duration::from_std(purge_left_after).unwrap_or_default();
    for guild_id in privacy::purge_guilds_left_before(&bot.app.pool, cutoff).await? {
        info!(guild_id, "purged the data of a guild that removed the bot");
    }
    Ok(())
}

/// DMs each member whose drill reminder is due at `now` and who has questions due; returns how
/// many were sent. Each reminder is claimed for the member's day first, so no two processes
/// send it, and a member whose DMs are closed is skipped (logged), not retried all day.
pub async fn send_reminders(bot: &Bot, now: chrono::DateTime<Utc>) -> Result<usize, BotError> {
    let mut sent = 0;
    for r in crate::app::drills::due_reminders(&bot.app, now).await? {
        let plural = if r.due == 1 { "" } else { "s" };
        let text = format!(
            "You have {} question{plural} due for review today in \
             https://discord.com/channels/{}. Run `/drill start` there to answer them \
             (`/drill remind off:True` stops these messages).",
            r.due, r.guild_id
        );
        let user = serenity::all::UserId::new(r.user_id);
        let message = serenity::all::CreateMessage::new().content(text);
        match user.direct_message(&bot.http, message).await {
            Ok(_) => sent += 1,
            Err(e) => {
                info!(user_id = r.user_id, guild_id = r.guild_id, error = %crate::bot::error_chain(&e), "a drill reminder could not be sent")
            }
        }
    }
    Ok(sent)
}

async fn post_scores(bot: &Arc<Bot>, before: chrono::DateTime<Utc>) -> Result<usize, BotError> {
    let mut posted = 0;
    for told in interviews::untold_outcomes(&bot.app.pool, before).await? {
        let answer_id = told.answer_id;
        let input = if told.scored {
            Input::Scored { answer_id }
        } else {
            Input::ScoringFailed { answer_id }
        };
        posted += usize::from(apply(bot, told.interview_id, input).await);
    }
    Ok(posted)
}

/// One step, logged rather than returned: one broken interview must not stop the sweep.
async fn apply(bot: &Bot, interview_id: i64, input: Input) -> bool {
    match session::step(bot, interview_id, input).await {
        Ok(outcome) => outcome.applied,
        Err(e) => {
            error!(interview_id, ?input, error = %crate::bot::error_chain(&e), "sweep step failed");
            false
        }
    }
}
