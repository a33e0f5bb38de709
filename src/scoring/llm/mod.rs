//! LLM scoring against any OpenAI-compatible Chat Completions endpoint (OpenAI, OpenRouter,
//! Groq, vLLM, Ollama, llama.cpp's server), with the offline scorer as the net under it.
//!
//! `LlmScorer::assess` never fails: a blank answer, an exhausted token budget, a server that is
//! down, slow, rate-limiting or answering nonsense all end in the offline scorer's assessment
//! with a note saying what happened. What the model says is validated (`reply`), and checked
//! against the offline scorer by the injection guard (`guard`) before it counts.
//!
//! The async API is for the bot; `BlockingLlmScorer` adapts it to the synchronous `Scorer`
//! trait for the CLI, and `cli` picks a scorer from `--scorer` and the environment.

mod assessment;
mod blocking;
pub mod cli;
mod client;
pub mod config;
#[cfg(feature = "fake-llm")]
pub mod fake;
pub mod guard;
pub mod prompt;
pub mod reply;
mod retry;
pub mod tokens;

use std::sync::Arc;

use rand::Rng;

pub use blocking::{BlockingLlmScorer, LlmStats};
pub use client::{CallError, CallFailure, Completion};
pub use config::{ApiKey, ConfigError, JsonMode, LlmConfig, RetryPolicy};
pub use prompt::PROMPT_VERSION;

use super::{Assessment, OfflineScorer, Rubric, Scorer, TokenUsage};
use assessment::to_assessment;
use client::ChatClient;
use guard::Screened;
use prompt::{GradingPrompt, Message};
use reply::Graded;

/// At most this much of an invalid reply is sent back in the repair request.
const REPAIR_ECHO_CHARS: usize = 2_000;

/// One answer to score.
#[derive(Debug, Clone, Copy)]
pub struct ScoreRequest<'a> {
    pub rubric: &'a Rubric,
    pub answer: &'a str,
    /// The guild's remaining LLM tokens today; `None` for no limit. A call that could exceed
    /// it is not made.
    pub budget: Option<u64>,
}

/// Setting up the LLM scorer failed.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("--scorer llm needs LLM_BASE_URL (e.g. http://localhost:11434/v1) and LLM_MODEL")]
    NotConfigured,
    #[error("cannot set up the HTTP client for the LLM server: {0}")]
    Client(#[source] reqwest::Error),
    #[error("cannot start the async runtime for the LLM scorer: {0}")]
    Runtime(#[source] std::io::Error),
}

/// The model's graded reply and what it cost.
struct Success {
    graded: Graded,
    usage: TokenUsage,
}

/// Why the LLM did not score, and what it cost anyway.
struct Failure {
    /// For metrics: the call error's kind, or "invalid_reply".
    kind: &'static str,
    note: String,
    usage: Option<TokenUsage>,
}

/// Scores answers with an LLM, falling back to the offline scorer.
pub struct LlmScorer {
    client: ChatClient,
    offline: Arc<OfflineScorer>,
    key: Option<ApiKey>,
    max_tokens: u32,
    /// Falls back to the offline scorer so far, by kind of failure, for metrics.
    failures: std::sync::Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

impl std::fmt::Debug for LlmScorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmScorer")
            .field("client", &self.client)
            .field("max_tokens", &self.max_tokens)
            .finish_non_exhaustive()
    }
}

impl LlmScorer {
    pub fn new(config: &LlmConfig, offline: Arc<OfflineScorer>) -> Result<LlmScorer, LlmError> {
        Ok(LlmScorer {
            client: ChatClient::new(config).map_err(LlmError::Client)?,
            offline,
            key: config.api_key.clone(),
            max_tokens: config.max_tokens,
            failures: Default::default(),
        })
    }

    pub fn model(&self) -> &str {
        self.client.model()
    }

    /// How often scoring fell back to the offline scorer since start, by kind of failure
    /// (a call error's kind, "invalid_reply", or "budget").
    pub fn failure_counts(&self) -> Vec<(&'static str, u64)> {
        let counts = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        counts.iter().map(|(k, n)| (*k, *n)).collect()
    }

    fn count_failure(&self, kind: &'static str) {
        let mut counts = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        *counts.entry(kind).or_default() += 1;
    }

    /// The JSON mode calls are made in now (it steps down when the server refuses one).
    pub fn json_mode(&self) -> JsonMode {
        self.client.mode()
    }

    /// Scores one answer. Never fails: see the module documentation. `usage` carries the
    /// tokens spent even when the offline scorer had the last word (an invalid reply still
    /// costs), so the caller can charge them to the guild's budget.
    pub async fn assess(&self, req: &ScoreRequest<'_>) -> Assessment {
        let mut assessment = self.assess_unredacted(req).await;
        self.redact(&mut assessment);
        assessment
    }

    async fn assess_unredacted(&self, req: &ScoreRequest<'_>) -> Assessment {
        let screened = guard::screen(req.answer);
        if screened.is_blank() {
            return self.offline.score(req.rubric, req.answer);
        }
        if screened.for_model().trim().is_empty() {
            // Nothing but text addressed to the grader: nothing to ask the model about.
            let note = "Nothing was left to grade once the text addressed to the grader was set \
                        aside.";
            return self.fallback(req, &screened, note.to_string(), None);
        }
        let prompt = prompt::build(req.rubric, screened.for_model(), &new_tag());
        if let Some(budget) = req.budget {
            let needed =
                u64::from(tokens::count_messages(&prompt.messages)) + u64::from(self.max_tokens);
            if needed > budget {
                self.count_failure("budget");
                let note = "This server's daily LLM token budget is used up. Scored by the \
                            offline scorer.";
                return self.fallback(req, &screened, note.to_string(), None);
            }
        }
        match self.grade(&prompt, req.rubric).await {
            Ok(success) => self.finish(req, &screened, success),
            Err(failure) => {
                tracing::warn!(note = %failure.note, model = self.model(), "LLM scoring fell back to offline");
                self.count_failure(failure.kind);
                self.fallback(req, &screened, failure.note, failure.usage)
            }
        }
    }

    /// One call, and one repair call if its reply is invalid.
    async fn grade(&self, prompt: &GradingPrompt, rubric: &Rubric) -> Result<Success, Failure> {
        let mut usage = TokenUsage::default();
        let first = self
            .client
            .complete(&prompt.messages, &prompt.schema)
            .await
            .map_err(|f| call_failure(&f, None))?;
        add_usage(&mut usage, &first, &prompt.messages);
        let problem = match reply::parse(&first.content, first.finish_reason.as_deref(), rubric) {
            Ok(graded) => return Ok(Success { graded, usage }),
            Err(problem) => problem,
        };
        tracing::warn!(%problem, mode = first.mode.as_str(), "invalid LLM reply; asking for a repair");
        let mut messages = prompt.messages.clone();
        messages.push(Message {
            role: "assistant",
            content: first.content.chars().take(REPAIR_ECHO_CHARS).collect(),
        });
        messages.push(prompt::repair_message(&problem.to_string()));
        let second = self
            .client
            .complete(&messages, &prompt.schema)
            .await
            .map_err(|f| call_failure(&f, Some(usage)))?;
        add_usage(&mut usage, &second, &messages);
        match reply::parse(&second.content, second.finish_reason.as_deref(), rubric) {
            Ok(graded) => Ok(Success { graded, usage }),
            Err(again) => Err(Failure {
                kind: "invalid_reply",
                note: format!(
                    "The LLM's reply was not a usable assessment ({again}), even after a repair \
                     request. Scored by the offline scorer."
                ),
                usage: Some(usage),
            }),
        }
    }

    /// The LLM's assessment, after the guard's cross-check with the offline scorer.
    fn finish(&self, req: &ScoreRequest<'_>, screened: &Screened, s: Success) -> Assessment {
        if s.graded.clamped {
            tracing::warn!(model = self.model(), "LLM scores outside 0-10 were clamped");
        }
        let mut a = to_assessment(req.rubric, &s.graded);
        crate::scoring::estimates::check(&mut a, req.rubric, req.answer);
        a.model = Some(self.model().to_string());
        a.usage = Some(s.usage);
        let offline = self.offline_for(req, screened);
        if let Some(cap) = guard::cross_check(&a, &offline, screened, s.graded.grader_directed) {
            let before = a.scores;
            guard::apply_ceiling(&mut a.scores, &cap.ceiling);
            if a.scores != before {
                // The model's reading of what it overrated is not worth showing: the rubric
                // check's is.
                a.covered = offline.covered.clone();
                a.partial = offline.partial.clone();
                a.missed = offline.missed.clone();
                a.pitfalls = offline.pitfalls.clone();
                a.feedback = offline.feedback.clone();
            }
            // No follow-up is written from an attack or from an answer without substance.
            a.follow_up = None;
            a.flagged = true;
            a.notes.push(cap.note);
        }
        quote_evidence(&mut a, &offline);
        a
    }

    /// The offline assessment, with the note saying why, and any tokens already spent.
    fn fallback(
        &self,
        req: &ScoreRequest<'_>,
        screened: &Screened,
        note: String,
        usage: Option<TokenUsage>,
    ) -> Assessment {
        let mut a = self.offline_for(req, screened);
        // Why the LLM did not score comes first; the offline grade's own note follows.
        a.notes.insert(0, note);
        a.usage = usage.filter(|u| u.prompt_tokens > 0 || u.completion_tokens > 0);
        if let Some(note) = guard::attack_note(screened, false) {
            a.flagged = true;
            a.notes.push(note);
        }
        a
    }

    /// The offline scorer's view: of the whole answer, or of its substance when part of it
    /// addressed the grader.
    fn offline_for(&self, req: &ScoreRequest<'_>, screened: &Screened) -> Assessment {
        if screened.attacks.is_empty() {
            self.offline.score(req.rubric, req.answer)
        } else {
            self.offline.score(req.rubric, &screened.substance)
        }
    }

    /// Belt and braces: the key never appears in what the candidate reads.
    fn redact(&self, a: &mut Assessment) {
        let Some(key) = self
            .key
            .as_ref()
            .map(ApiKey::expose)
            .filter(|k| k.len() >= 4)
        else {
            return;
        };
        let follow_up = a.follow_up.iter_mut().flat_map(|f| {
            std::iter::once(&mut f.prompt).chain(f.points.iter_mut().map(|p| &mut p.statement))
        });
        for text in a
            .notes
            .iter_mut()
            .chain(a.feedback.iter_mut())
            .chain(follow_up)
        {
            if text.contains(key) {
                *text = text.replace(key, "[redacted]");
            }
        }
    }
}

/// The candidate's own sentences as evidence for the points the LLM credited, where the offline
/// reading found one for the same point.
fn quote_evidence(a: &mut Assessment, offline: &Assessment) {
    let found = |id: &str| {
        offline
            .covered
            .iter()
            .chain(&offline.partial)
            .find(|p| p.id == id)
            .and_then(|p| p.evidence.clone())
    };
    for p in a.covered.iter_mut().chain(a.partial.iter_mut()) {
        if p.evidence.is_none() {
            p.evidence = found(&p.id);
        }
    }
}

/// A random tag for the answer's markers, so the answer cannot close its own block.
fn new_tag() -> String {
    format!("{:012x}", rand::rng().random::<u64>() & 0xffff_ffff_ffff)
}

fn call_failure(f: &CallFailure, usage: Option<TokenUsage>) -> Failure {
    let attempts = match f.attempts {
        1 => String::new(),
        n => format!(" after {n} attempts"),
    };
    Failure {
        kind: f.error.kind(),
        note: format!(
            "The LLM scorer was not used: {}{attempts}. Scored by the offline scorer.",
            f.error
        ),
        usage,
    }
}

/// Adds a call's usage, counting tokens ourselves when the server reports none.
fn add_usage(total: &mut TokenUsage, c: &Completion, messages: &[Message]) {
    let u = c.usage.unwrap_or_else(|| TokenUsage {
        prompt_tokens: tokens::count_messages(messages),
        completion_tokens: tokens::count(&c.content),
    });
    total.prompt_tokens = total.prompt_tokens.saturating_add(u.prompt_tokens);
    total.completion_tokens = total.completion_tokens.saturating_add(u.completion_tokens);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_twelve_hex_digits() {
        let (a, b) = (new_tag(), new_tag());
        assert_eq!(a.len(), 12);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
