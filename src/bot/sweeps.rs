//! What keeps interviews moving when no event does: at start-up, resuming every open interview
//! (a first question never posted, scores never posted, answers waiting for their quiet period);
//! and every sweep interval, ending idle interviews and posting scores a worker stored but could
//! not post. Every step is idempotent, so several processes sweeping at once is harmless.

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
use crate::store::{answers, guilds, interviews};

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

/// Sweeps every `every` until `shutdown` turns true.
pub async fn run(bot: Arc<Bot>, every: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        if let Err(e) = sweep_once(&bot).await {
            error!(error = %crate::bot::error_chain(&e), "sweep failed");
        }
    }
}

/// Ends idle interviews and posts scores left behind.
pub async fn sweep_once(bot: &Arc<Bot>) -> Result<(), BotError> {
    for row in interviews::idle(&bot.app.pool, Utc::now()).await? {
        apply(bot, row.interview_id, Input::Timeout).await;
    }
    let before = Utc::now() - chrono::Duration::from_std(GRACE).unwrap_or_default();
    post_scores(bot, before).await?;
    Ok(())
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
