//! The outbox: effects of interview steps waiting to be shown in their threads. A step pushes
//! its effects in the transaction that saves it; a dispatcher claims them one at a time under a
//! lease (any process may take any effect: `SKIP LOCKED`), shows them outside any transaction,
//! and deletes them. Only the oldest effect of a thread can be claimed, so a thread's messages
//! keep their order whichever process posts them.

use std::time::Duration;

use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool};

use super::{db_id, discord_id, StoreError};
use crate::interview::Effect;

/// An effect claimed for showing.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEffect {
    pub effect_id: i64,
    pub interview_id: i64,
    pub thread_id: u64,
    /// How many times it has been claimed, this time included.
    pub attempts: i32,
    pub effect: Effect,
}

/// Queues an interview's effects, in order, for its thread.
pub async fn push(
    ex: impl PgExecutor<'_>,
    interview_id: i64,
    thread_id: u64,
    effects: &[Effect],
) -> Result<(), StoreError> {
    if effects.is_empty() {
        return Ok(());
    }
    let json: Vec<serde_json::Value> = effects
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|e| StoreError::Corrupt(format!("an effect would not serialise: {e}")))?;
    // WITH ORDINALITY keeps the effects' order in their ids.
    sqlx::query!(
        "INSERT INTO outbox (interview_id, thread_id, effect)
         SELECT $1, $2, e FROM unnest($3::jsonb[]) WITH ORDINALITY AS t(e, n) ORDER BY n",
        interview_id,
        db_id(thread_id),
        &json
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Claims the oldest due effect of some thread whose earlier effects are all shown, for
/// `lease`; `None` when there is none.
pub async fn claim(pool: &PgPool, lease: Duration) -> Result<Option<PendingEffect>, StoreError> {
    let row = sqlx::query!(
        r#"UPDATE outbox o SET attempts = o.attempts + 1, leased_until = now() + $1::interval
           WHERE o.effect_id = (
               SELECT h.effect_id FROM outbox h
               WHERE h.due_at <= now() AND (h.leased_until IS NULL OR h.leased_until < now())
                 AND NOT EXISTS (SELECT 1 FROM outbox e
                                 WHERE e.thread_id = h.thread_id AND e.effect_id < h.effect_id)
               ORDER BY h.effect_id
               LIMIT 1
               FOR UPDATE SKIP LOCKED)
           RETURNING o.effect_id, o.interview_id, o.thread_id, o.attempts,
                     o.effect AS "effect: Json<serde_json::Value>""#,
        lease as _,
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let effect = serde_json::from_value(r.effect.0).map_err(|e| {
        StoreError::Corrupt(format!("outbox effect {} does not parse: {e}", r.effect_id))
    })?;
    Ok(Some(PendingEffect {
        effect_id: r.effect_id,
        interview_id: r.interview_id,
        thread_id: discord_id(r.thread_id),
        attempts: r.attempts,
        effect,
    }))
}

/// The effect was shown (or will never be): it leaves the outbox. When it was an answer's
/// feedback, the message that shows it is recorded in the same transaction, so that peer
/// reviews arriving later can update it.
pub async fn done(
    pool: &PgPool,
    effect_id: i64,
    feedback: Option<(i64, u64)>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    if let Some((answer_id, message_id)) = feedback {
        super::answers::set_feedback_message(&mut *tx, answer_id, message_id).await?;
    }
    sqlx::query!("DELETE FROM outbox WHERE effect_id = $1", effect_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Showing failed for a passing reason: try again after `delay`, by any dispatcher.
pub async fn retry_later(pool: &PgPool, effect_id: i64, delay: Duration) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE outbox SET leased_until = NULL, due_at = now() + $2::interval
         WHERE effect_id = $1",
        effect_id,
        delay as _,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Drops every effect still waiting for a thread that is gone; returns how many.
pub async fn drop_thread(pool: &PgPool, thread_id: u64) -> Result<u64, StoreError> {
    let done = sqlx::query!("DELETE FROM outbox WHERE thread_id = $1", db_id(thread_id))
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// How many effects wait to be shown (for metrics and tests).
pub async fn waiting(ex: impl PgExecutor<'_>) -> Result<i64, StoreError> {
    let n = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM outbox"#)
        .fetch_one(ex)
        .await?;
    Ok(n)
}
