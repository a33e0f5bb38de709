//! Drills in a guild: the member's schedule (derived from their scored answers to main
//! questions, see `crate::drill`), what is due today in the guild's time zone, the streak, and
//! the opt-in reminders due now.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::{App, AppError};
use crate::bank::{Bank, Question};
use crate::drill::{self, Card, Review};
use crate::interview::NextReview;
use crate::store::{drills, guilds};

/// The most questions one drill asks.
pub const MAX_DRILL: usize = 5;

/// A member's schedule in one guild.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub today: NaiveDate,
    /// Each reviewed question still in the guild's bank, with its card.
    pub cards: Vec<(Arc<Question>, Card)>,
    /// Days in a row with a drill answered.
    pub streak: u32,
}

impl Schedule {
    /// The questions due today, most overdue first, at most `limit`.
    pub fn due(&self, limit: usize) -> Vec<Arc<Question>> {
        let by_id: BTreeMap<&str, &Arc<Question>> =
            self.cards.iter().map(|(q, _)| (q.id.as_str(), q)).collect();
        let cards = self.cards.iter().map(|(q, c)| (q.id.as_str(), *c));
        drill::due(cards, self.today, limit)
            .into_iter()
            .filter_map(|(id, _)| by_id.get(id).map(|q| Arc::clone(q)))
            .collect()
    }

    /// The next day anything is due after today, and how many are due then.
    pub fn next_due(&self) -> Option<(NaiveDate, usize)> {
        let day = self
            .cards
            .iter()
            .map(|(_, c)| c.due)
            .filter(|d| *d > self.today)
            .min()?;
        Some((day, self.cards.iter().filter(|(_, c)| c.due == day).count()))
    }
}

/// Today in the guild's time zone (UTC if it cannot be read).
fn today_in(time_zone: &str, now: DateTime<Utc>) -> NaiveDate {
    let tz = crate::qotd::time_zone(time_zone).unwrap_or(chrono_tz::UTC);
    crate::qotd::local_day(now, tz)
}

/// Each question's card from the member's reviews, for the questions `bank` has.
fn cards_of(rows: Vec<drills::ReviewRow>, bank: &Bank) -> Vec<(Arc<Question>, Card)> {
    let mut by_question: BTreeMap<String, Vec<Review>> = BTreeMap::new();
    for r in rows {
        by_question.entry(r.question_id).or_default().push(Review {
            day: r.day,
            score: r.overall,
        });
    }
    by_question
        .into_iter()
        .filter_map(|(id, reviews)| {
            let q = bank.get(&id)?.clone();
            Card::from_reviews(&reviews).map(|c| (q, c))
        })
        .collect()
}

/// The member's schedule as of `now` (today in the guild's time zone), over the guild's
/// questions.
pub async fn schedule(
    app: &App,
    guild_id: u64,
    user_id: u64,
    now: DateTime<Utc>,
) -> Result<Schedule, AppError> {
    let settings = guilds::settings(&app.pool, guild_id).await?;
    let today = today_in(&settings.timezone, now);
    schedule_on(app, guild_id, user_id, today).await
}

/// The member's schedule on `today`.
async fn schedule_on(
    app: &App,
    guild_id: u64,
    user_id: u64,
    today: NaiveDate,
) -> Result<Schedule, AppError> {
    let bank = super::questions::for_guild(app, guild_id).await?;
    let rows = drills::reviews(&app.pool, guild_id, user_id).await?;
    let days = drills::drill_days(&app.pool, guild_id, user_id).await?;
    // Questions the server took out of its interviews are not drilled either.
    let hidden = crate::store::questions::hidden(&app.pool, guild_id).await?;
    let mut cards = cards_of(rows, &bank);
    cards.retain(|(q, _)| !hidden.contains(&q.id));
    Ok(Schedule {
        today,
        cards,
        streak: drill::streak(days, today),
    })
}

/// When each of `question_ids` comes back, after the reviews stored so far (read in `tx`, so
/// a drill's own answers count).
pub async fn next_reviews(
    app: &App,
    tx: &mut sqlx::PgConnection,
    guild_id: u64,
    user_id: u64,
    question_ids: &[String],
) -> Result<Vec<NextReview>, AppError> {
    let rows = drills::reviews(&mut *tx, guild_id, user_id).await?;
    let bank = super::questions::for_guild(app, guild_id).await?;
    let cards = cards_of(rows, &bank);
    Ok(question_ids
        .iter()
        .filter_map(|id| cards.iter().find(|(q, _)| &q.id == id))
        .map(|(q, c)| NextReview {
            question_id: q.id.clone(),
            topic: q.topic.clone(),
            due: c.due,
            interval_days: c.interval_days,
        })
        .collect())
}

/// Turns the member's daily reminder on.
pub async fn remind(
    app: &App,
    guild_id: u64,
    user_id: u64,
    at: NaiveTime,
    time_zone: &str,
) -> Result<(), AppError> {
    drills::set_reminder(&app.pool, guild_id, user_id, at, time_zone).await?;
    Ok(())
}

/// A reminder to send: who, where, and how many questions wait.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminder {
    pub guild_id: u64,
    pub user_id: u64,
    pub due: usize,
}

/// Claims the reminders due at `now`; those with questions due on the member's own day are to
/// be sent (a member with nothing due is not disturbed). One member's schedule failing to read
/// is logged and skipped: the others' reminders, already claimed, still go out.
pub async fn due_reminders(app: &App, now: DateTime<Utc>) -> Result<Vec<Reminder>, AppError> {
    let mut out = Vec::new();
    for claimed in drills::claim_due_reminders(&app.pool, now).await? {
        let (guild_id, user_id) = (claimed.guild_id, claimed.user_id);
        let schedule = match schedule_on(app, guild_id, user_id, claimed.day).await {
            Ok(schedule) => schedule,
            Err(e) => {
                let error = crate::errors::error_chain(&e);
                tracing::warn!(guild_id, user_id, %error, "cannot read a member's drill schedule");
                continue;
            }
        };
        let due = schedule.due(usize::MAX).len();
        if due > 0 {
            out.push(Reminder {
                guild_id: claimed.guild_id,
                user_id: claimed.user_id,
                due,
            });
        }
    }
    Ok(out)
}
