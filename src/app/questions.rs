//! The questions a guild draws from (the bundled bank with the guild's own pack over it) and the
//! exact versions its interviews and posts asked, which replay and scoring read back. A version
//! never changes once stored, so this process keeps the ones it reads.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;

use sqlx::PgExecutor;

use super::{App, AppError};
use crate::bank::{Bank, Question};
use crate::store::{questions, StoreError};

/// Guild questions' versions kept in memory; past it the least recently used are read again.
const KEPT_VERSIONS: NonZeroUsize = match NonZeroUsize::new(2048) {
    Some(n) => n,
    None => NonZeroUsize::MIN,
};

/// Question versions by their hash: the bundled bank's up front, the others as they are read.
pub struct AskedQuestions {
    bundled: HashMap<Vec<u8>, Arc<Question>>,
    read: Mutex<LruCache<Vec<u8>, Arc<Question>>>,
}

impl AskedQuestions {
    pub fn new(bank: &Bank) -> AskedQuestions {
        // A question that cannot be written as JSON was never stored either: nothing to find.
        let bundled = bank
            .questions()
            .iter()
            .filter_map(|q| Some((questions::content_and_hash(q).ok()?.1, Arc::clone(q))))
            .collect();
        AskedQuestions {
            bundled,
            read: Mutex::new(LruCache::new(KEPT_VERSIONS)),
        }
    }

    /// The questions of these versions, in order; `Err` names the first one not stored.
    pub async fn get(
        &self,
        ex: impl PgExecutor<'_>,
        versions: &[Vec<u8>],
    ) -> Result<Vec<Arc<Question>>, AppError> {
        let mut missing: Vec<Vec<u8>> = versions
            .iter()
            .filter(|v| self.cached(v).is_none())
            .cloned()
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            for (hash, content) in questions::versions(ex, &missing).await? {
                let q = parse(&content)?;
                self.remember(hash, q);
            }
        }
        versions
            .iter()
            .map(|v| {
                self.cached(v).ok_or_else(|| {
                    AppError::Store(StoreError::Corrupt(format!(
                        "question version {} is not stored",
                        short_hex(v)
                    )))
                })
            })
            .collect()
    }

    fn cached(&self, version: &[u8]) -> Option<Arc<Question>> {
        if let Some(q) = self.bundled.get(version) {
            return Some(Arc::clone(q));
        }
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.get(version).cloned()
    }

    fn remember(&self, version: Vec<u8>, q: Arc<Question>) {
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.put(version, q);
    }
}

/// The guild's own questions (its pack), in track and id order. Read as versions, so that a
/// question this process has seen is not read or parsed again.
pub async fn pack(app: &App, guild_id: u64) -> Result<Vec<Arc<Question>>, AppError> {
    let versions = questions::guild_versions(&app.pool, guild_id).await?;
    app.asked.get(&app.pool, &versions).await
}

/// The tracks a guild's interviews draw from: the bundled bank's and its own pack's.
pub async fn tracks(app: &App, guild_id: u64) -> Result<Vec<String>, AppError> {
    let mut tracks: Vec<String> = app.bank.tracks().into_iter().map(str::to_owned).collect();
    tracks.extend(questions::guild_tracks(&app.pool, guild_id).await?);
    tracks.sort_unstable();
    tracks.dedup();
    Ok(tracks)
}

/// The bank the guild draws from: the bundled questions with its pack over them. Disabled
/// questions are still in it (history shows them); choosing leaves them out.
pub async fn for_guild(app: &App, guild_id: u64) -> Result<Bank, AppError> {
    Ok(app.bank.with_pack(pack(app, guild_id).await?))
}

/// The question, as it was asked, that an answer answers; `None` for an answer from before
/// versions were kept.
pub async fn answered(app: &App, answer_id: i64) -> Result<Option<Arc<Question>>, AppError> {
    match questions::version_answered(&app.pool, answer_id).await? {
        Some(version) => Ok(app.asked.get(&app.pool, &[version]).await?.pop()),
        None => Ok(None),
    }
}

fn parse(content: &serde_json::Value) -> Result<Arc<Question>, AppError> {
    serde_json::from_value(content.clone())
        .map(Arc::new)
        .map_err(|e| AppError::Store(StoreError::Corrupt(format!("a stored question: {e}"))))
}

fn short_hex(bytes: &[u8]) -> String {
    bytes.iter().take(6).map(|b| format!("{b:02x}")).collect()
}
