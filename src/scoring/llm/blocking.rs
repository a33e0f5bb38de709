//! The async LLM scorer behind the synchronous `Scorer` trait, for the CLI (`practice`,
//! `score`, `eval`): it owns a single-threaded tokio runtime and blocks on each call. The bot
//! calls `LlmScorer::assess` directly; calling `score` from inside a runtime would panic, which
//! is why this adapter is only built by the CLI.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::Serialize;

use super::{LlmConfig, LlmError, LlmScorer, ScoreRequest};
use crate::scoring::{Assessment, OfflineScorer, Rubric, Scorer};

/// What an LLM scorer has done so far, for `eval` and the bench.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LlmStats {
    pub answers: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Answers the offline scorer scored because the LLM could not.
    pub fell_back: u64,
    /// Answers whose score the injection guard capped.
    pub flagged: u64,
}

#[derive(Default)]
struct Counters {
    answers: AtomicU64,
    prompt_tokens: AtomicU64,
    completion_tokens: AtomicU64,
    fell_back: AtomicU64,
    flagged: AtomicU64,
}

/// `LlmScorer` as a blocking `Scorer`.
pub struct BlockingLlmScorer {
    runtime: tokio::runtime::Runtime,
    inner: LlmScorer,
    counters: Counters,
}

impl std::fmt::Debug for BlockingLlmScorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingLlmScorer")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl BlockingLlmScorer {
    pub fn new(
        config: &LlmConfig,
        offline: Arc<OfflineScorer>,
    ) -> Result<BlockingLlmScorer, LlmError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(LlmError::Runtime)?;
        // reqwest's connection pool spawns onto the runtime it is first used in.
        let inner = {
            let _guard = runtime.enter();
            LlmScorer::new(config, offline)?
        };
        Ok(BlockingLlmScorer {
            runtime,
            inner,
            counters: Counters::default(),
        })
    }

    pub fn inner(&self) -> &LlmScorer {
        &self.inner
    }

    pub fn stats(&self) -> LlmStats {
        let c = &self.counters;
        LlmStats {
            answers: c.answers.load(Ordering::Relaxed),
            prompt_tokens: c.prompt_tokens.load(Ordering::Relaxed),
            completion_tokens: c.completion_tokens.load(Ordering::Relaxed),
            fell_back: c.fell_back.load(Ordering::Relaxed),
            flagged: c.flagged.load(Ordering::Relaxed),
        }
    }

    fn record(&self, a: &Assessment) {
        let c = &self.counters;
        c.answers.fetch_add(1, Ordering::Relaxed);
        if let Some(u) = a.usage {
            c.prompt_tokens
                .fetch_add(u64::from(u.prompt_tokens), Ordering::Relaxed);
            c.completion_tokens
                .fetch_add(u64::from(u.completion_tokens), Ordering::Relaxed);
        }
        if a.scorer != crate::scoring::ScorerKind::Llm && !a.notes.is_empty() {
            c.fell_back.fetch_add(1, Ordering::Relaxed);
        }
        if a.flagged {
            c.flagged.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Scorer for BlockingLlmScorer {
    fn score(&self, rubric: &Rubric, answer: &str) -> Assessment {
        let request = ScoreRequest {
            rubric,
            answer,
            budget: None,
        };
        let assessment = self.runtime.block_on(self.inner.assess(&request));
        self.record(&assessment);
        assessment
    }
}
