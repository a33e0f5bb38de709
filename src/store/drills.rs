//! Drills: the member's scored answers to main questions, which their review schedule is
//! derived from; the days they drilled; and their opt-in daily reminders.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::PgExecutor;

use super::{db_id, discord_id, StoreError};

/// One scored answer to a main question: a review of that question.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub question_id: String,
    pub day: NaiveDate,
    pub overall: f32,
}

/// The member's reviews in this guild, by question and then in the order given.
pub async fn reviews(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
) -> Result<Vec<ReviewRow>, StoreError> {
    let rows = sqlx::query_as!(
        ReviewRow,
        r#"SELECT question_id, day AS "day!", overall AS "overall!"
           FROM answers
           WHERE guild_id = $1 AND user_id = $2 AND turn = 0 AND status = 'scored'
             AND day IS NOT NULL AND overall IS NOT NULL
           ORDER BY question_id, day, answer_id"#,
        db_id(guild_id),
        db_id(user_id)
    )
    .fetch_all(ex)
    .await?;
    Ok(rows)
}

/// The days the member answered in a drill.
pub async fn drill_days(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
) -> Result<Vec<NaiveDate>, StoreError> {
    let days = sqlx::query_scalar!(
        r#"SELECT DISTINCT a.day AS "day!"
           FROM answers a JOIN interviews i ON i.interview_id = a.interview_id
           WHERE a.guild_id = $1 AND a.user_id = $2 AND i.drill AND a.day IS NOT NULL
           ORDER BY 1"#,
        db_id(guild_id),
        db_id(user_id)
    )
    .fetch_all(ex)
    .await?;
    Ok(days)
}

/// Turns the member's daily reminder on at `at` in `time_zone` (an IANA name). A time already
/// past today counts from tomorrow.
pub async fn set_reminder(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    at: NaiveTime,
    time_zone: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO drill_reminders (guild_id, user_id, remind_at, time_zone, last_sent_on)
         VALUES ($1, $2, $3, $4, CASE WHEN (now() AT TIME ZONE $4)::time >= $3
                                      THEN (now() AT TIME ZONE $4)::date END)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET
             remind_at = excluded.remind_at, time_zone = excluded.time_zone,
             -- Changing the time never sends a second reminder the same day.
             last_sent_on = CASE WHEN drill_reminders.last_sent_on
                                      = (now() AT TIME ZONE excluded.time_zone)::date
                                 THEN drill_reminders.last_sent_on
                                 ELSE excluded.last_sent_on END",
        db_id(guild_id),
        db_id(user_id),
        at,
        time_zone
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Turns the member's reminder off; false when it was not on.
pub async fn clear_reminder(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "DELETE FROM drill_reminders WHERE guild_id = $1 AND user_id = $2",
        db_id(guild_id),
        db_id(user_id)
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The member's reminder, as (time, time zone), if on.
pub async fn reminder(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
) -> Result<Option<(NaiveTime, String)>, StoreError> {
    let row = sqlx::query!(
        "SELECT remind_at, time_zone FROM drill_reminders WHERE guild_id = $1 AND user_id = $2",
        db_id(guild_id),
        db_id(user_id)
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| (r.remind_at, r.time_zone)))
}

/// A reminder due now, claimed for today (so that no other process sends it too).
#[derive(Debug, Clone, PartialEq)]
pub struct DueReminder {
    pub guild_id: u64,
    pub user_id: u64,
    /// The member's local day it is for.
    pub day: NaiveDate,
}

/// Claims every reminder whose time has come in its member's time zone and that was not
/// looked at yet on their local day, in guilds the bot is still in.
pub async fn claim_due_reminders(
    ex: impl PgExecutor<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<DueReminder>, StoreError> {
    let rows = sqlx::query!(
        r#"UPDATE drill_reminders r
           SET last_sent_on = ($1::timestamptz AT TIME ZONE r.time_zone)::date
           FROM guilds g
           WHERE g.guild_id = r.guild_id AND g.left_at IS NULL
             AND ($1::timestamptz AT TIME ZONE r.time_zone)::time >= r.remind_at
             AND r.last_sent_on IS DISTINCT FROM ($1::timestamptz AT TIME ZONE r.time_zone)::date
           RETURNING r.guild_id, r.user_id, r.last_sent_on AS "day!""#,
        now
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DueReminder {
            guild_id: discord_id(r.guild_id),
            user_id: discord_id(r.user_id),
            day: r.day,
        })
        .collect())
}
