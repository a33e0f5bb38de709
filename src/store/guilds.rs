//! Guild settings and members. Settings are typed columns read and written whole: `/config` and
//! `/qotd setup` change what the organiser asked through [`update_settings`], which reads and
//! saves under the guild's lock, so that two organisers changing settings at once both keep
//! their change.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveTime;
use sqlx::{PgExecutor, PgPool};

use super::error::is_unknown_time_zone;
use super::{db_id, db_id_opt, difficulty, discord_id, StoreError};
use crate::bank::Difficulty;

/// The question of the day, as the organiser set it up.
#[derive(Debug, Clone, PartialEq)]
pub struct QotdSettings {
    /// Where to post; `None` while the QOTD is not set up.
    pub channel_id: Option<u64>,
    /// Local time of day, in the guild's time zone.
    pub time: NaiveTime,
    pub track: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub ping_role_id: Option<u64>,
    pub paused: bool,
    /// Scores of answers stay hidden in the thread until the reveal.
    pub hide_scores: bool,
    /// Local time of day the previous post is revealed; `None`: with the next post.
    pub reveal_time: Option<NaiveTime>,
    /// Why the schedule paused itself (Discord kept refusing its posts); `None` when it runs, or
    /// an organiser paused it. Cleared when the organiser resumes or sets it up again.
    pub paused_reason: Option<String>,
}

/// Everything an organiser can configure for a guild.
#[derive(Debug, Clone, PartialEq)]
pub struct GuildSettings {
    /// IANA zone name; leaderboard periods and QOTD days follow it.
    pub timezone: String,
    pub qotd: QotdSettings,
    /// Tokens per day the guild may spend on the LLM; `None` for no limit.
    pub daily_token_budget: Option<i64>,
    /// Only members with this role may start interviews; `None` for everyone.
    pub interview_role_id: Option<u64>,
    pub private_threads: bool,
    /// Other members' `/history member:` and `/profile member:` include interviews held in
    /// private threads; off by default, so a private interview stays private.
    pub share_private_history: bool,
    pub archive_on_finish: bool,
    /// Quiet after the candidate's last message before their answer is submitted on its own;
    /// zero: only the Submit button submits.
    pub quiet_period: Duration,
    /// An interview with no activity for this long is abandoned.
    pub idle_timeout: Duration,
    /// Peer-review emoji and their values (−5..5); `None`: the default scale.
    pub review_scale: Option<BTreeMap<String, i16>>,
    /// How many interviews a member may start in an hour (1 to 60).
    pub interviews_per_hour: u8,
    /// Days an answer's text is kept (1 to 3650); `None`: kept until the member erases it.
    pub answer_retention_days: Option<u16>,
    /// Where organisers review the questions members suggest; `None`: suggestions are off.
    pub suggestion_channel_id: Option<u64>,
}

impl Default for GuildSettings {
    /// The same defaults as the schema's.
    fn default() -> Self {
        GuildSettings {
            timezone: "UTC".into(),
            qotd: QotdSettings {
                channel_id: None,
                time: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
                track: None,
                difficulty: None,
                ping_role_id: None,
                paused: false,
                hide_scores: false,
                reveal_time: None,
                paused_reason: None,
            },
            daily_token_budget: None,
            interview_role_id: None,
            interviews_per_hour: 6,
            private_threads: false,
            share_private_history: false,
            archive_on_finish: true,
            quiet_period: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(1800),
            review_scale: None,
            answer_retention_days: None,
            suggestion_channel_id: None,
        }
    }
}

/// A guild whose question of the day is due to be posted at some time of day.
#[derive(Debug, Clone, PartialEq)]
pub struct QotdSchedule {
    pub guild_id: u64,
    pub timezone: String,
    pub qotd: QotdSettings,
}

/// Records a member (and their guild, if new), refreshing the display name.
pub async fn upsert_member(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    display_name: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        "WITH guild AS (
             INSERT INTO guilds (guild_id) VALUES ($1) ON CONFLICT (guild_id) DO NOTHING
         )
         INSERT INTO members (guild_id, user_id, display_name) VALUES ($1, $2, $3)
         ON CONFLICT (guild_id, user_id) DO UPDATE
             SET display_name = excluded.display_name, updated_at = now()
             WHERE members.display_name <> excluded.display_name",
        db_id(guild_id),
        db_id(user_id),
        display_name
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A guild's settings; the defaults for a guild never configured.
pub async fn settings(ex: impl PgExecutor<'_>, guild_id: u64) -> Result<GuildSettings, StoreError> {
    let row = sqlx::query!(
        "SELECT timezone, qotd_channel_id, qotd_time, qotd_track, qotd_difficulty,
                qotd_ping_role_id, qotd_paused, daily_token_budget, interview_role_id,
                private_threads, archive_on_finish, quiet_period_secs, idle_timeout_secs,
                qotd_hide_scores, qotd_reveal_time, review_scale, interviews_per_hour,
                qotd_paused_reason, share_private_history, answer_retention_days,
                suggestion_channel_id
         FROM guilds WHERE guild_id = $1",
        db_id(guild_id)
    )
    .fetch_optional(ex)
    .await?;
    let Some(row) = row else {
        return Ok(GuildSettings::default());
    };
    Ok(GuildSettings {
        timezone: row.timezone,
        qotd: QotdSettings {
            channel_id: row.qotd_channel_id.map(discord_id),
            time: row.qotd_time,
            track: row.qotd_track,
            difficulty: row.qotd_difficulty.as_deref().map(difficulty).transpose()?,
            ping_role_id: row.qotd_ping_role_id.map(discord_id),
            paused: row.qotd_paused,
            hide_scores: row.qotd_hide_scores,
            reveal_time: row.qotd_reveal_time,
            paused_reason: row.qotd_paused_reason,
        },
        daily_token_budget: row.daily_token_budget,
        interview_role_id: row.interview_role_id.map(discord_id),
        interviews_per_hour: u8::try_from(row.interviews_per_hour).unwrap_or(6),
        private_threads: row.private_threads,
        share_private_history: row.share_private_history,
        archive_on_finish: row.archive_on_finish,
        quiet_period: Duration::from_secs(u64::try_from(row.quiet_period_secs).unwrap_or(0)),
        idle_timeout: Duration::from_secs(u64::try_from(row.idle_timeout_secs).unwrap_or(0)),
        review_scale: row
            .review_scale
            .map(|v| serde_json::from_value(v).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()?,
        answer_retention_days: row
            .answer_retention_days
            .and_then(|d| u16::try_from(d).ok()),
        suggestion_channel_id: row.suggestion_channel_id.map(discord_id),
    })
}

/// Saves a guild's settings whole. An unknown time zone is refused with a typed error.
pub async fn save_settings(
    pool: &PgPool,
    guild_id: u64,
    s: &GuildSettings,
) -> Result<(), StoreError> {
    check_time_zone(pool, &s.timezone).await?;
    write(pool, guild_id, s).await
}

/// Changes a guild's settings with `change`: read, changed and saved in one transaction that
/// holds the guild's lock, so that concurrent changes apply one after the other and none is
/// lost. Returns what `change` returned and the settings as saved. Nothing is saved when
/// `change` fails or the new time zone is unknown.
pub async fn update_settings<T, E: From<StoreError>>(
    pool: &PgPool,
    guild_id: u64,
    change: impl FnOnce(&mut GuildSettings) -> Result<T, E>,
) -> Result<(T, GuildSettings), E> {
    let mut tx = pool.begin().await.map_err(StoreError::from)?;
    // An advisory lock rather than the row's: the guild may have no row yet.
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(db_id(guild_id))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
    let mut s = settings(&mut *tx, guild_id).await?;
    let out = change(&mut s)?;
    // Checked outside the transaction: a failed check would abort it.
    check_time_zone(pool, &s.timezone).await?;
    write(&mut *tx, guild_id, &s).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok((out, s))
}

async fn write(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    s: &GuildSettings,
) -> Result<(), StoreError> {
    let quiet = secs(s.quiet_period, "quiet period")?;
    let idle = secs(s.idle_timeout, "idle timeout")?;
    let scale = s
        .review_scale
        .as_ref()
        .map(|m| serde_json::to_value(m).map_err(|e| StoreError::Invalid(e.to_string())))
        .transpose()?;
    sqlx::query!(
        "INSERT INTO guilds (guild_id, timezone, qotd_channel_id, qotd_time, qotd_track,
                 qotd_difficulty, qotd_ping_role_id, qotd_paused, daily_token_budget,
                 interview_role_id, private_threads, archive_on_finish, quiet_period_secs,
                 idle_timeout_secs, qotd_hide_scores, qotd_reveal_time, review_scale,
                 interviews_per_hour, share_private_history, answer_retention_days,
                 suggestion_channel_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20, $21)
         ON CONFLICT (guild_id) DO UPDATE SET
             timezone = excluded.timezone, qotd_channel_id = excluded.qotd_channel_id,
             qotd_time = excluded.qotd_time, qotd_track = excluded.qotd_track,
             qotd_difficulty = excluded.qotd_difficulty,
             qotd_ping_role_id = excluded.qotd_ping_role_id, qotd_paused = excluded.qotd_paused,
             daily_token_budget = excluded.daily_token_budget,
             interview_role_id = excluded.interview_role_id,
             private_threads = excluded.private_threads,
             archive_on_finish = excluded.archive_on_finish,
             quiet_period_secs = excluded.quiet_period_secs,
             idle_timeout_secs = excluded.idle_timeout_secs,
             qotd_hide_scores = excluded.qotd_hide_scores,
             qotd_reveal_time = excluded.qotd_reveal_time,
             review_scale = excluded.review_scale,
             interviews_per_hour = excluded.interviews_per_hour,
             share_private_history = excluded.share_private_history,
             answer_retention_days = excluded.answer_retention_days,
             suggestion_channel_id = excluded.suggestion_channel_id,
             qotd_paused_reason = CASE WHEN excluded.qotd_paused
                                       THEN guilds.qotd_paused_reason END,
             qotd_refusals = CASE WHEN excluded.qotd_paused THEN guilds.qotd_refusals ELSE 0 END,
             updated_at = now()",
        db_id(guild_id),
        s.timezone,
        db_id_opt(s.qotd.channel_id),
        s.qotd.time,
        s.qotd.track,
        s.qotd.difficulty.map(Difficulty::as_str),
        db_id_opt(s.qotd.ping_role_id),
        s.qotd.paused,
        s.daily_token_budget,
        db_id_opt(s.interview_role_id),
        s.private_threads,
        s.archive_on_finish,
        quiet,
        idle,
        s.qotd.hide_scores,
        s.qotd.reveal_time,
        scale,
        i16::from(s.interviews_per_hour.clamp(1, 60)),
        s.share_private_history,
        s.answer_retention_days
            .map(|d| i16::try_from(d.clamp(1, 3650)).unwrap_or(3650)),
        db_id_opt(s.suggestion_channel_id),
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Refuses a zone name PostgreSQL does not know (the same database computes local days).
async fn check_time_zone(pool: &PgPool, zone: &str) -> Result<(), StoreError> {
    let checked = sqlx::query_scalar!(r#"SELECT (now() AT TIME ZONE $1) AS "t!""#, zone)
        .fetch_one(pool)
        .await;
    match checked {
        Ok(_) => Ok(()),
        Err(err) if is_unknown_time_zone(&err) => Err(StoreError::UnknownTimeZone(zone.into())),
        Err(err) => Err(err.into()),
    }
}

fn secs(d: Duration, what: &str) -> Result<i32, StoreError> {
    i32::try_from(d.as_secs()).map_err(|_| StoreError::Invalid(format!("{what} is too long")))
}

/// How many refusals in a row pause a guild's question of the day.
pub const QOTD_REFUSALS_TO_PAUSE: i32 = 3;

/// Discord refused a guild's question of the day (`reason`, e.g. "Missing Access"): counts it,
/// and pauses the schedule with the reason at the [`QOTD_REFUSALS_TO_PAUSE`]th in a row.
/// Returns whether the schedule is paused now.
pub async fn record_qotd_refusal(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    reason: &str,
) -> Result<bool, StoreError> {
    let paused = sqlx::query_scalar!(
        "UPDATE guilds SET qotd_refusals = qotd_refusals + 1,
                qotd_paused = qotd_paused OR qotd_refusals + 1 >= $2,
                qotd_paused_reason = CASE WHEN qotd_refusals + 1 >= $2 AND NOT qotd_paused
                                          THEN left($3, 200) ELSE qotd_paused_reason END
         WHERE guild_id = $1
         RETURNING qotd_paused",
        db_id(guild_id),
        QOTD_REFUSALS_TO_PAUSE,
        reason
    )
    .fetch_optional(ex)
    .await?;
    Ok(paused.unwrap_or(false))
}

/// A guild's question of the day went out: refusals no longer count as in a row.
pub async fn record_qotd_posted(ex: impl PgExecutor<'_>, guild_id: u64) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE guilds SET qotd_refusals = 0 WHERE guild_id = $1 AND qotd_refusals > 0",
        db_id(guild_id)
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Every guild with a QOTD set up and not paused, for the scheduler.
pub async fn qotd_schedules(ex: impl PgExecutor<'_>) -> Result<Vec<QotdSchedule>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT guild_id, timezone, qotd_channel_id AS "qotd_channel_id!", qotd_time,
                  qotd_track, qotd_difficulty, qotd_ping_role_id, qotd_hide_scores,
                  qotd_reveal_time
           FROM guilds
           WHERE qotd_channel_id IS NOT NULL AND NOT qotd_paused
           ORDER BY qotd_time"#
    )
    .fetch_all(ex)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(QotdSchedule {
                guild_id: discord_id(row.guild_id),
                timezone: row.timezone,
                qotd: QotdSettings {
                    channel_id: Some(discord_id(row.qotd_channel_id)),
                    time: row.qotd_time,
                    track: row.qotd_track,
                    difficulty: row.qotd_difficulty.as_deref().map(difficulty).transpose()?,
                    ping_role_id: row.qotd_ping_role_id.map(discord_id),
                    paused: false,
                    hide_scores: row.qotd_hide_scores,
                    reveal_time: row.qotd_reveal_time,
                    paused_reason: None,
                },
            })
        })
        .collect()
}
