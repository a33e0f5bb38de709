//! Who grades answers in the bot: the LLM (which falls back to the offline scorer on its own) when
//! one is configured, else the offline scorer. One async call either way, so the worker does not
//! care which.

use std::sync::Arc;

use crate::scoring::llm::{LlmScorer, ScoreRequest};
use crate::scoring::{Assessment, OfflineScorer, Rubric, Scorer};

pub enum Grader {
    Llm(Box<LlmScorer>),
    Offline(Arc<OfflineScorer>),
}

impl Grader {
    /// Scores one answer; `budget` is the guild's remaining LLM tokens today, if it has a limit.
    pub async fn assess(&self, rubric: &Rubric, answer: &str, budget: Option<u64>) -> Assessment {
        match self {
            Grader::Llm(llm) => {
                let request = ScoreRequest {
                    rubric,
                    answer,
                    budget,
                };
                llm.assess(&request).await
            }
            Grader::Offline(offline) => offline.score(rubric, answer),
        }
    }

    /// Whether scoring calls an LLM (and so spends the guild's token budget).
    pub fn calls_llm(&self) -> bool {
        matches!(self, Grader::Llm(_))
    }

    /// How often the LLM fell back to the offline scorer, by kind of failure (none offline).
    pub fn failure_counts(&self) -> Vec<(&'static str, u64)> {
        match self {
            Grader::Llm(llm) => llm.failure_counts(),
            Grader::Offline(_) => Vec::new(),
        }
    }

    /// For the start-up log: which scorer, and which model.
    pub fn describe(&self) -> String {
        match self {
            Grader::Llm(llm) => format!("LLM ({}), offline scorer as fallback", llm.model()),
            Grader::Offline(_) => "offline scorer (no LLM_BASE_URL)".into(),
        }
    }
}
