//! Storage: every SQL statement of Mockingbird lives in this module, as typed async functions
//! checked against the schema at compile time (`query!`, with `.sqlx/` for offline builds).
//! PostgreSQL is the one source of truth, so the invariants (one active interview per member,
//! one review per reviewer, one QOTD post per day, a job scored once) are constraints and single
//! statements here, not checks in the callers.
//!
//! One module per area. Functions that run one statement take any `PgExecutor` (a pool, a
//! connection or a transaction); the few that must look twice take `&PgPool`.

pub mod answer_parts;
pub mod answers;
pub mod drills;
mod error;
pub mod guilds;
pub mod history;
pub mod interviews;
pub mod jobs;
pub mod leaderboards;
pub mod outbox;
pub mod pairs;
pub mod privacy;
pub mod progress;
pub mod qotd_answers;
pub mod qotd_posts;
pub mod questions;
pub mod reviews;
pub mod rollups;
pub mod spoken;
pub mod suggestions;
pub mod usage;

use std::time::Duration;

use sqlx::postgres::{PgConnection, PgPoolOptions};
use sqlx::Connection;
pub use sqlx::PgPool;

pub use error::StoreError;

/// The roll-up track that sums every track.
pub const ALL_TRACKS: &str = "";

/// Opens a pool. The error never repeats the URL, which may hold a password.
pub async fn connect(url: &str) -> Result<PgPool, StoreError> {
    // One plain connection first: a pool only reports "timed out", which hides the reason
    // (connection refused, authentication failed, no such database) that the user needs.
    PgConnection::connect(url)
        .await
        .map_err(StoreError::Connect)?
        .close()
        .await
        .map_err(StoreError::Connect)?;
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await
        .map_err(StoreError::Connect)
}

/// Whether the database answers (for health checks).
pub async fn ping(pool: &PgPool) -> Result<(), StoreError> {
    sqlx::query_scalar!(r#"SELECT 1 AS "one!""#)
        .fetch_one(pool)
        .await?;
    Ok(())
}

/// Applies the migrations in `migrations/` that this database has not seen yet.
pub async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
    sqlx::migrate!("./migrations").run(pool).await?;
    Ok(())
}

/// Discord ids are u64 and PostgreSQL has no unsigned integers, so ids are stored as BIGINT with
/// the same bits. These two functions are the only place the cast happens.
pub(crate) fn db_id(id: u64) -> i64 {
    id as i64
}

/// The inverse of [`db_id`].
pub(crate) fn discord_id(id: i64) -> u64 {
    id as u64
}

/// An optional Discord id, stored as a nullable BIGINT.
pub(crate) fn db_id_opt(id: Option<u64>) -> Option<i64> {
    id.map(db_id)
}

/// Defines a status enum stored as text (the schema's CHECK constraint lists the same words).
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Result<Self, $crate::store::StoreError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::store::StoreError::Corrupt(format!(
                        "unknown {} {other:?}",
                        stringify!($name)
                    ))),
                }
            }
        }
    };
}
pub(crate) use text_enum;

/// Parses a difficulty read back from the database.
pub(crate) fn difficulty(text: &str) -> Result<crate::bank::Difficulty, StoreError> {
    text.parse().map_err(StoreError::Corrupt)
}
