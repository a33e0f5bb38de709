//! One Chat Completions call, made robust: a per-process cap on requests in flight, retries
//! with backoff for what may pass (connection errors, timeouts, 429, 5xx), and — separately —
//! adapting the request to what the server accepts. A server that rejects the request's
//! *shape* (llama-cpp-python answers `json_schema` with HTTP 500; newer OpenAI models want
//! `max_completion_tokens` and no `temperature`) gets the next weaker shape at once instead of
//! the same request again, and the client remembers it for later calls.
//!
//! Errors carry status codes and kinds, never response bodies, URLs or headers: they end up in
//! notes the candidate reads and in logs, and must not leak the key.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::Semaphore;

use super::config::{ApiKey, JsonMode, LlmConfig, RetryPolicy};
use super::prompt::{response_format, Message};
use super::retry;
use crate::scoring::TokenUsage;

/// Bodies larger than this are not read (a reply is a few kilobytes).
const MAX_BODY: usize = 2 * 1024 * 1024;

/// What a call failed with. The texts are for candidates and logs alike.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    #[error("could not connect to the LLM server")]
    Connect,
    #[error("the LLM server did not answer in time")]
    Timeout,
    #[error("the LLM server is rate-limiting requests (HTTP 429)")]
    RateLimited { retry_after: Option<Duration> },
    #[error("the LLM server asked to wait {}s (HTTP 429), longer than scoring waits", .0.as_secs())]
    WaitTooLong(Duration),
    #[error("the LLM server failed (HTTP {0})")]
    Server(u16),
    #[error("the LLM server refused the credentials (HTTP {0}); check LLM_API_KEY")]
    Unauthorized(u16),
    #[error(
        "the LLM server has no such endpoint or model (HTTP 404); check LLM_BASE_URL and LLM_MODEL"
    )]
    NotFound,
    #[error("the LLM server rejected the request (HTTP {0})")]
    Rejected(u16),
    #[error("the LLM server's response was not a Chat Completions reply")]
    BadResponse,
    #[error("the connection to the LLM server failed")]
    Transport,
}

impl CallError {
    /// A short name for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            CallError::Connect => "connect",
            CallError::Timeout => "timeout",
            CallError::RateLimited { .. } | CallError::WaitTooLong(_) => "rate_limited",
            CallError::Server(_) => "server_error",
            CallError::Unauthorized(_) => "unauthorized",
            CallError::NotFound => "not_found",
            CallError::Rejected(_) => "rejected",
            CallError::BadResponse => "bad_response",
            CallError::Transport => "transport",
        }
    }

    /// Worth another attempt with the same request.
    fn transient(&self) -> bool {
        matches!(
            self,
            CallError::Connect
                | CallError::Timeout
                | CallError::RateLimited { .. }
                | CallError::Server(_)
                | CallError::BadResponse
                | CallError::Transport
        )
    }
}

/// A call that failed for good, after `attempts` requests.
#[derive(Debug, Clone, PartialEq)]
pub struct CallFailure {
    pub error: CallError,
    pub attempts: u32,
}

/// A reply from the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub content: String,
    pub finish_reason: Option<String>,
    /// As the server reported it; some servers report nothing.
    pub usage: Option<TokenUsage>,
    /// The JSON mode the request was made in.
    pub mode: JsonMode,
}

/// What one request came back with.
enum Outcome {
    Done(Completion),
    /// The server refused this request shape; the client has adapted, try again at once.
    Adapted,
    Failed(CallError),
}

/// A Chat Completions client for one endpoint and model.
pub struct ChatClient {
    http: reqwest::Client,
    endpoint: Url,
    key: Option<ApiKey>,
    model: String,
    max_tokens: u32,
    retry: RetryPolicy,
    mode: AtomicU8,
    max_completion_tokens: AtomicBool,
    no_temperature: AtomicBool,
    permits: Semaphore,
}

impl std::fmt::Debug for ChatClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A URL may carry credentials (`https://user:pass@host`): show it without them.
        let mut endpoint = self.endpoint.clone();
        let _ = endpoint.set_password(None);
        let _ = endpoint.set_username("");
        f.debug_struct("ChatClient")
            .field("endpoint", &endpoint.as_str())
            .field("key", &self.key)
            .field("model", &self.model)
            .field("mode", &self.mode())
            .finish_non_exhaustive()
    }
}

impl ChatClient {
    pub fn new(config: &LlmConfig) -> Result<ChatClient, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("mockingbird/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(ChatClient {
            http,
            endpoint: config.endpoint.clone(),
            key: config.api_key.clone(),
            model: config.model.clone(),
            max_tokens: config.max_tokens,
            retry: config.retry.clone(),
            mode: AtomicU8::new(config.json_mode as u8),
            max_completion_tokens: AtomicBool::new(false),
            no_temperature: AtomicBool::new(false),
            permits: Semaphore::new(config.concurrency.max(1)),
        })
    }

    /// The JSON mode requests are made in now (it only ever steps down).
    pub fn mode(&self) -> JsonMode {
        JsonMode::from_u8(self.mode.load(Ordering::Relaxed))
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// Sends `messages`, retrying what may pass and adapting to what the server accepts.
    pub async fn complete(
        &self,
        messages: &[Message],
        schema: &Value,
    ) -> Result<Completion, CallFailure> {
        let (mut attempts, mut retries, mut adaptations) = (0u32, 0u32, 0u32);
        loop {
            attempts += 1;
            let error = match self.send(messages, schema).await {
                Outcome::Done(c) => return Ok(c),
                // At most: two JSON steps, the token field, the temperature.
                Outcome::Adapted if adaptations < 4 => {
                    adaptations += 1;
                    continue;
                }
                Outcome::Adapted => CallError::Rejected(400),
                Outcome::Failed(e) => e,
            };
            if !error.transient() || retries >= self.retry.max_retries {
                return Err(CallFailure { error, attempts });
            }
            let wait = match &error {
                CallError::RateLimited {
                    retry_after: Some(after),
                } => {
                    if *after > self.retry.max_retry_after {
                        let error = CallError::WaitTooLong(*after);
                        return Err(CallFailure { error, attempts });
                    }
                    *after
                }
                _ => retry::backoff(&self.retry, retries),
            };
            tracing::warn!(%error, attempt = attempts, wait_ms = wait.as_millis() as u64, "LLM call failed; retrying");
            retries += 1;
            tokio::time::sleep(wait).await;
        }
    }

    async fn send(&self, messages: &[Message], schema: &Value) -> Outcome {
        let mode = self.mode();
        let body = self.body(messages, schema, mode);
        // The semaphore is never closed, so acquiring cannot fail; if it could, going on
        // without a permit is better than not scoring.
        let _permit = self.permits.acquire().await.ok();
        let mut request = self.http.post(self.endpoint.clone()).json(&body);
        if let Some(key) = &self.key {
            request = request.bearer_auth(key.expose());
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return Outcome::Failed(classify(&e)),
        };
        let status = response.status();
        let after = retry::retry_after(response.headers());
        let body = match read_body(response).await {
            Ok(b) => b,
            Err(e) => return Outcome::Failed(e),
        };
        if status.is_success() {
            return match completion(&body, mode) {
                Some(c) => Outcome::Done(c),
                None => Outcome::Failed(CallError::BadResponse),
            };
        }
        if self.adapt(status, &body, mode) {
            return Outcome::Adapted;
        }
        Outcome::Failed(status_error(status, after))
    }

    fn body(&self, messages: &[Message], schema: &Value, mode: JsonMode) -> Value {
        let mut body = json!({"model": self.model, "messages": messages, "stream": false});
        let tokens_field = if self.max_completion_tokens.load(Ordering::Relaxed) {
            "max_completion_tokens"
        } else {
            "max_tokens"
        };
        body[tokens_field] = json!(self.max_tokens);
        if !self.no_temperature.load(Ordering::Relaxed) {
            body["temperature"] = json!(0);
        }
        if let Some(format) = response_format(mode, schema) {
            body["response_format"] = format;
        }
        body
    }

    /// Whether an error response says the request's shape is unsupported, in which case the
    /// client switches to a shape the server takes (once per kind of problem).
    fn adapt(&self, status: StatusCode, body: &[u8], mode: JsonMode) -> bool {
        if !(status.is_client_error() || status.is_server_error())
            || status == StatusCode::TOO_MANY_REQUESTS
        {
            return false;
        }
        let text = String::from_utf8_lossy(&body[..body.len().min(8_192)]).to_ascii_lowercase();
        if text.contains("max_completion_tokens")
            && !self.max_completion_tokens.swap(true, Ordering::Relaxed)
        {
            return true;
        }
        let unsupported = [
            "unsupported",
            "not support",
            "only the default",
            "not allowed",
        ]
        .iter()
        .any(|hint| text.contains(hint));
        if text.contains("temperature")
            && unsupported
            && !self.no_temperature.swap(true, Ordering::Relaxed)
        {
            return true;
        }
        let json_shape = ["response_format", "json_schema", "json_object", "'text' or"]
            .iter()
            .any(|hint| text.contains(hint));
        if json_shape {
            if let Some(lower) = mode.step_down() {
                // Another request may have stepped down already; never step back up.
                let _ = self.mode.compare_exchange(
                    mode as u8,
                    lower as u8,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
                tracing::warn!(
                    from = mode.as_str(),
                    to = lower.as_str(),
                    status = status.as_u16(),
                    "LLM server refused the JSON mode; stepping down"
                );
                return true;
            }
        }
        false
    }
}

fn classify(e: &reqwest::Error) -> CallError {
    if e.is_timeout() {
        CallError::Timeout
    } else if e.is_connect() {
        CallError::Connect
    } else {
        CallError::Transport
    }
}

fn status_error(status: StatusCode, retry_after: Option<Duration>) -> CallError {
    match status.as_u16() {
        429 => CallError::RateLimited { retry_after },
        401 | 403 => CallError::Unauthorized(status.as_u16()),
        404 => CallError::NotFound,
        408 => CallError::Timeout,
        s if status.is_server_error() => CallError::Server(s),
        s => CallError::Rejected(s),
    }
}

async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, CallError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(CallError::BadResponse);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(classify(&e)),
        }
    }
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    content: Option<String>,
}

#[derive(Deserialize)]
struct Usage {
    prompt_tokens: Option<u32>,
    completion_tokens: Option<u32>,
}

fn completion(body: &[u8], mode: JsonMode) -> Option<Completion> {
    let response: ChatResponse = serde_json::from_slice(body).ok()?;
    let choice = response.choices.into_iter().next()?;
    Some(Completion {
        content: choice.message.content.unwrap_or_default(),
        finish_reason: choice.finish_reason,
        usage: response.usage.map(|u| TokenUsage {
            prompt_tokens: u.prompt_tokens.unwrap_or(0),
            completion_tokens: u.completion_tokens.unwrap_or(0),
        }),
        mode,
    })
}
