//! LLM usage per guild and day (the guild's own day, in its time zone), for the daily token
//! budget and cost reports. A worker reserves a call's allowance before the call ([`reserve`])
//! and settles it after with what the call used ([`settle`]): concurrent workers draw on the
//! same budget one after the other, so together they cannot overshoot it.

use chrono::NaiveDate;
use sqlx::PgExecutor;

use super::{db_id, StoreError};

/// Tokens and requests of one guild on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub requests: i32,
}

impl Usage {
    pub fn tokens(&self) -> i64 {
        self.prompt_tokens + self.completion_tokens
    }
}

/// A guild's usage today against its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub used: i64,
    /// `None`: no limit.
    pub limit: Option<i64>,
}

impl Budget {
    pub fn exhausted(&self) -> bool {
        self.limit.is_some_and(|limit| self.used >= limit)
    }

    pub fn remaining(&self) -> Option<i64> {
        self.limit.map(|limit| (limit - self.used).max(0))
    }
}

/// Tokens held for one call: `tokens` of the guild's budget on its `day` (0 when the budget has
/// none left); `limited` false when the guild has no budget, and nothing is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    pub day: NaiveDate,
    pub tokens: i64,
    pub limited: bool,
}

/// Holds up to `wanted` tokens of the guild's budget for today (its local day), fewer when
/// less is left. Serialised per guild and day by the usage row's lock.
pub async fn reserve(
    pool: &sqlx::PgPool,
    guild_id: u64,
    wanted: i64,
) -> Result<Reservation, StoreError> {
    let mut tx = pool.begin().await?;
    let guild = sqlx::query!(
        r#"SELECT daily_token_budget AS "limit",
                  (now() AT TIME ZONE timezone)::date AS "day!"
           FROM guilds WHERE guild_id = $1"#,
        db_id(guild_id)
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (limit, day) = match guild {
        Some(g) => (g.limit, g.day),
        None => (None, chrono::Utc::now().date_naive()),
    };
    let Some(limit) = limit else {
        return Ok(Reservation {
            day,
            tokens: 0,
            limited: false,
        });
    };
    let held = sqlx::query_scalar!(
        r#"INSERT INTO llm_usage (guild_id, day) VALUES ($1, $2)
           ON CONFLICT (guild_id, day) DO UPDATE SET guild_id = excluded.guild_id
           RETURNING prompt_tokens + completion_tokens + reserved_tokens AS "held!""#,
        db_id(guild_id),
        day
    )
    .fetch_one(&mut *tx)
    .await?;
    let tokens = wanted.min(limit - held).max(0);
    if tokens > 0 {
        sqlx::query!(
            "UPDATE llm_usage SET reserved_tokens = reserved_tokens + $3
             WHERE guild_id = $1 AND day = $2",
            db_id(guild_id),
            day,
            tokens
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Reservation {
        day,
        tokens,
        limited: true,
    })
}

/// Releases a reservation and records what the call used (nothing, if it made none).
pub async fn settle(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    reservation: &Reservation,
    prompt_tokens: i64,
    completion_tokens: i64,
) -> Result<(), StoreError> {
    let called = i32::from(prompt_tokens + completion_tokens > 0);
    sqlx::query!(
        "INSERT INTO llm_usage (guild_id, day, prompt_tokens, completion_tokens, requests)
         VALUES ($1, $2, $3, $4, $6)
         ON CONFLICT (guild_id, day) DO UPDATE SET
             prompt_tokens = llm_usage.prompt_tokens + excluded.prompt_tokens,
             completion_tokens = llm_usage.completion_tokens + excluded.completion_tokens,
             requests = llm_usage.requests + excluded.requests,
             reserved_tokens = greatest(llm_usage.reserved_tokens - $5, 0)",
        db_id(guild_id),
        reservation.day,
        prompt_tokens,
        completion_tokens,
        reservation.tokens,
        called
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Adds one LLM request's tokens to (guild, day); returns the day's totals.
pub async fn add(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    day: NaiveDate,
    prompt_tokens: i64,
    completion_tokens: i64,
) -> Result<Usage, StoreError> {
    let row = sqlx::query!(
        "INSERT INTO llm_usage (guild_id, day, prompt_tokens, completion_tokens, requests)
         VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (guild_id, day) DO UPDATE SET
             prompt_tokens = llm_usage.prompt_tokens + excluded.prompt_tokens,
             completion_tokens = llm_usage.completion_tokens + excluded.completion_tokens,
             requests = llm_usage.requests + 1
         RETURNING prompt_tokens, completion_tokens, requests",
        db_id(guild_id),
        day,
        prompt_tokens,
        completion_tokens
    )
    .fetch_one(ex)
    .await?;
    Ok(Usage {
        prompt_tokens: row.prompt_tokens,
        completion_tokens: row.completion_tokens,
        requests: row.requests,
    })
}

/// The guild's tokens used on `day` and its daily budget.
pub async fn budget(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    day: NaiveDate,
) -> Result<Budget, StoreError> {
    let row = sqlx::query!(
        r#"SELECT (SELECT prompt_tokens + completion_tokens FROM llm_usage
                   WHERE guild_id = $1 AND day = $2) AS used,
                  (SELECT daily_token_budget FROM guilds WHERE guild_id = $1) AS "limit""#,
        db_id(guild_id),
        day
    )
    .fetch_one(ex)
    .await?;
    Ok(Budget {
        used: row.used.unwrap_or(0),
        limit: row.limit,
    })
}
