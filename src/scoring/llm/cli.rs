//! Choosing the scorer for `practice`, `score` and `eval`: `--scorer llm|offline`, and by
//! default the LLM when `LLM_BASE_URL` is set, the offline scorer otherwise. A half-made LLM
//! configuration (a base URL without a model, a malformed number) is an error that names the
//! variable, not a silent fall back to offline scoring.

use std::sync::Arc;

use super::{BlockingLlmScorer, LlmConfig, LlmError, LlmStats};
use crate::bank::Bank;
use crate::scoring::{Assessment, OfflineScorer, Rubric, Scorer};

/// `--scorer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScorerChoice {
    /// The LLM at LLM_BASE_URL, with the offline scorer as fallback.
    Llm,
    /// The deterministic rubric scorer, no network.
    Offline,
}

/// The scorer the CLI runs with.
pub enum CliScorer {
    Offline(OfflineScorer),
    Llm(Box<BlockingLlmScorer>),
}

impl std::fmt::Debug for CliScorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliScorer::Offline(_) => f.write_str("CliScorer::Offline"),
            CliScorer::Llm(s) => f.debug_tuple("CliScorer::Llm").field(s).finish(),
        }
    }
}

impl CliScorer {
    /// The scorer for `choice` (`None`: the default) with the environment's LLM settings.
    pub fn from_env(choice: Option<ScorerChoice>, bank: &Bank) -> Result<CliScorer, LlmError> {
        let config = match choice {
            Some(ScorerChoice::Offline) => None,
            _ => LlmConfig::from_env()?,
        };
        CliScorer::new(choice, config, bank)
    }

    pub fn new(
        choice: Option<ScorerChoice>,
        config: Option<LlmConfig>,
        bank: &Bank,
    ) -> Result<CliScorer, LlmError> {
        let offline = OfflineScorer::for_bank(bank);
        match (choice, config) {
            (Some(ScorerChoice::Offline), _) | (None, None) => Ok(CliScorer::Offline(offline)),
            (Some(ScorerChoice::Llm), None) => Err(LlmError::NotConfigured),
            (_, Some(config)) => Ok(CliScorer::Llm(Box::new(BlockingLlmScorer::new(
                &config,
                Arc::new(offline),
            )?))),
        }
    }

    /// "llm" or "offline", for reports.
    pub fn name(&self) -> &'static str {
        match self {
            CliScorer::Offline(_) => "offline",
            CliScorer::Llm(_) => "llm",
        }
    }

    /// Tokens and fallbacks so far, when the LLM is in use.
    pub fn llm_stats(&self) -> Option<LlmStats> {
        match self {
            CliScorer::Offline(_) => None,
            CliScorer::Llm(s) => Some(s.stats()),
        }
    }
}

impl Scorer for CliScorer {
    fn score(&self, rubric: &Rubric, answer: &str) -> Assessment {
        match self {
            CliScorer::Offline(s) => s.score(rubric, answer),
            CliScorer::Llm(s) => s.score(rubric, answer),
        }
    }
}
