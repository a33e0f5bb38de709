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

/// Queues an interview's effects, in order, for its thread. When nothing else waits for that
/// thread, they are leased at once to the caller, who posts them straight after its commit
/// (no claim, no wait for a dispatcher): they come back, in order, for that. Otherwise they
/// wait for a dispatcher behind the thread's earlier effects, and none come back.
pub async fn push(
    ex: impl PgExecutor<'_>,
    interview_id: i64,
    thread_id: u64,
    effects: &[Effect],
    lease: Duration,
) -> Result<Vec<PendingEffect>, StoreError> {
    if effects.is_empty() {
        return Ok(Vec::new());
    }
    let json: Vec<serde_json::Value> = effects
        .iter()
        .map(|e| serde_json::to_value(e.to_store()))
        .collect::<Result<_, _>>()
        .map_err(|e| StoreError::Corrupt(format!("an effect would not serialise: {e}")))?;
    // WITH ORDINALITY keeps the effects' order in their ids; the subquery sees the outbox as
    // it was before this statement, so only effects queued earlier count.
    let rows = sqlx::query!(
        r#"WITH free AS (
               SELECT NOT EXISTS (SELECT 1 FROM outbox WHERE thread_id = $2) AS free
           ), added AS (
               INSERT INTO outbox (interview_id, thread_id, effect, attempts, leased_until)
               SELECT $1, $2, t.e, CASE WHEN f.free THEN 1 ELSE 0 END,
                      CASE WHEN f.free THEN now() + $4::interval END
               FROM unnest($3::jsonb[]) WITH ORDINALITY AS t(e, n), free f
               ORDER BY t.n
               RETURNING effect_id, leased_until IS NOT NULL AS "leased!"
           )
           SELECT effect_id AS "effect_id!", "leased!" AS "leased!" FROM added ORDER BY effect_id"#,
        interview_id,
        db_id(thread_id),
        &json,
        lease as _,
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .zip(effects)
        .filter(|(r, _)| r.leased)
        .map(|(r, effect)| PendingEffect {
            effect_id: r.effect_id,
            interview_id,
            thread_id,
            attempts: 1,
            effect: effect.clone(),
        })
        .collect())
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

/// Effects that were shown (or never will be) leave the outbox, and the messages that show
/// answers' feedback, `(answer_id, message_id)`, are recorded so that peer reviews arriving
/// later can update them: one statement. It does not wait for the flush to disk: if a crash
/// loses it, the effects are posted again under the same nonces, which Discord answers with the
/// messages already posted. True when other effects wait for the same threads.
pub async fn done(
    ex: impl PgExecutor<'_>,
    effect_ids: &[i64],
    feedback: &[(i64, u64)],
) -> Result<bool, StoreError> {
    if effect_ids.is_empty() {
        return Ok(false);
    }
    let answers: Vec<i64> = feedback.iter().map(|f| f.0).collect();
    let messages: Vec<i64> = feedback.iter().map(|f| db_id(f.1)).collect();
    // The final SELECT sees the outbox as it was before the DELETE: hence `<> ALL($1)`.
    let waiting = sqlx::query_scalar!(
        r#"WITH no_flush AS (
               SELECT set_config('synchronous_commit', 'off', true)
           ), shown AS (
               UPDATE answers a SET feedback_message_id = m.message_id
               FROM unnest($2::int8[], $3::int8[]) AS m(answer_id, message_id)
               WHERE a.answer_id = m.answer_id
           ), gone AS (
               DELETE FROM outbox USING no_flush WHERE effect_id = ANY($1)
               RETURNING thread_id
           )
           SELECT EXISTS (
               SELECT 1 FROM outbox o
               WHERE o.thread_id IN (SELECT thread_id FROM gone) AND o.effect_id <> ALL($1)
           ) AS "waiting!""#,
        effect_ids,
        &answers,
        &messages,
    )
    .fetch_one(ex)
    .await?;
    Ok(waiting)
}

/// Hands effects leased by a process that will not post them back to the dispatchers.
pub async fn release(ex: impl PgExecutor<'_>, effect_ids: &[i64]) -> Result<(), StoreError> {
    if effect_ids.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "UPDATE outbox SET leased_until = NULL WHERE effect_id = ANY($1)",
        effect_ids
    )
    .execute(ex)
    .await?;
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
