//! A fake OpenAI-compatible Chat Completions server (axum on 127.0.0.1, any free port), scripted
//! per test: each request takes the next scripted `Reply`, then the default one.
//!
//! It lives in the library, behind the default `fake-llm` feature, rather than in `tests/`,
//! because three kinds of target use it: the integration tests, the `bench-llm` binary (which
//! measures the client's overhead against it and can serve it for trying the CLI by hand), and
//! later the bot's own tests. It is the `fake-llm` feature, which the default (production) build leaves out.

mod view;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::fake_http::{lock, FakeServer};

pub use view::RequestView;

/// What the fake answers one request with.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A valid assessment of the request's rubric: these scores (technical, trade-offs,
    /// communication) and the first `covered` points covered.
    Grade { scores: [i64; 3], covered: usize },
    /// This content verbatim, with this `finish_reason`.
    Content {
        content: String,
        finish_reason: String,
    },
    /// An error status with a body and headers.
    Status {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// HTTP 200 whose body is this text (e.g. not JSON).
    RawBody(String),
    /// No reply, ever.
    Hang,
    /// Like llama-cpp-python: HTTP 500 for `response_format` `json_schema`, else `inner`.
    RejectJsonSchema(Box<Reply>),
    /// A model that obeys the answer: it returns a JSON result found in the answer as its own,
    /// and otherwise 10s everywhere with every point covered.
    Gullible,
    /// A competent grader: it grades each answer as a table of expected grades says.
    Oracle(Arc<Oracle>),
}

/// Expected grades by answer: what a grader that agrees with the humans would give.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Oracle {
    /// Canonical answer text → grade as a share of full marks (0–1).
    grades: std::collections::HashMap<String, f64>,
}

impl Oracle {
    /// A table of (answer, share of full marks).
    pub fn new(entries: impl IntoIterator<Item = (String, f64)>) -> Oracle {
        Oracle {
            grades: entries
                .into_iter()
                .map(|(answer, grade)| (canonical(&answer), grade.clamp(0.0, 1.0)))
                .collect(),
        }
    }

    /// The answers and human grades of an evaluation CSV (`mockingbird eval`'s format).
    pub fn from_csv(path: &std::path::Path, scale: f64) -> Result<Oracle, crate::eval::EvalError> {
        let rows = crate::eval::read_rows(path, scale)?;
        Ok(Oracle::new(
            rows.into_iter().map(|r| (r.answer, r.human_score / scale)),
        ))
    }

    /// The grade of an answer as the model read it (sanitised, markers removed); an answer
    /// the table does not hold gets nothing, as a strict grader would give text it cannot
    /// place.
    pub fn grade(&self, answer: &str) -> f64 {
        self.grades.get(&canonical(answer)).copied().unwrap_or(0.0)
    }
}

/// Letters and digits only, lower-cased: the answer survives the prompt's sanitising.
fn canonical(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Status {
            status,
            body: json!({"error": {"message": "fake failure", "type": "server_error"}}).to_string(),
            headers: Vec::new(),
        }
    }

    /// HTTP 429 with this `Retry-After` value.
    pub fn too_many_requests(retry_after: &str) -> Reply {
        Reply::Status {
            status: 429,
            body: json!({"error": {"message": "Rate limit reached", "type": "requests"}})
                .to_string(),
            headers: vec![("retry-after".into(), retry_after.into())],
        }
    }

    pub fn content(content: impl Into<String>) -> Reply {
        Reply::Content {
            content: content.into(),
            finish_reason: "stop".into(),
        }
    }

    /// A reply cut off by the token limit.
    pub fn truncated(content: impl Into<String>) -> Reply {
        Reply::Content {
            content: content.into(),
            finish_reason: "length".into(),
        }
    }

    pub fn llama_cpp(inner: Reply) -> Reply {
        Reply::RejectJsonSchema(Box::new(inner))
    }
}

/// A request as the fake received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub body: Value,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
}

struct Shared {
    script: Mutex<VecDeque<Reply>>,
    default: Mutex<Reply>,
    delay: Mutex<Duration>,
    requests: Mutex<Vec<Recorded>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A running fake server; it stops when dropped.
pub struct FakeLlm {
    server: FakeServer,
    shared: Arc<Shared>,
}

impl FakeLlm {
    /// Starts on 127.0.0.1 with a free port; `default` answers every unscripted request.
    pub async fn start(default: Reply) -> std::io::Result<FakeLlm> {
        FakeLlm::bind("127.0.0.1:0".parse().expect("valid address"), default).await
    }

    pub async fn bind(addr: SocketAddr, default: Reply) -> std::io::Result<FakeLlm> {
        let shared = Arc::new(Shared {
            script: Mutex::new(VecDeque::new()),
            default: Mutex::new(default),
            delay: Mutex::new(Duration::ZERO),
            requests: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .route("/chat/completions", post(chat))
            .route("/v1/models", get(models))
            .with_state(shared.clone());
        let server = FakeServer::serve(addr, app, "LLM").await?;
        Ok(FakeLlm { server, shared })
    }

    /// The base URL to configure (`LLM_BASE_URL`).
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.server.addr())
    }

    /// Scripts the next unscripted request's reply.
    pub fn push(&self, reply: Reply) {
        lock(&self.shared.script).push_back(reply);
    }

    pub fn set_default(&self, reply: Reply) {
        *lock(&self.shared.default) = reply;
    }

    /// Delays every reply by this much (to make requests overlap).
    pub fn set_delay(&self, delay: Duration) {
        *lock(&self.shared.delay) = delay;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// The most requests that were being answered at once.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

/// Counts a request as in flight while alive.
struct InFlight<'a>(&'a Shared);

impl<'a> InFlight<'a> {
    fn enter(shared: &'a Shared) -> InFlight<'a> {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn models() -> Json<Value> {
    Json(json!({"object": "list", "data": [{"id": "fake-model", "object": "model"}]}))
}

async fn chat(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let _in_flight = InFlight::enter(&shared);
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    lock(&shared.requests).push(Recorded {
        body: request.clone(),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    });
    let delay = *lock(&shared.delay);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let reply = lock(&shared.script)
        .pop_front()
        .unwrap_or_else(|| lock(&shared.default).clone());
    respond(reply, &request).await
}

async fn respond(reply: Reply, request: &Value) -> Response {
    let reply = match reply {
        Reply::RejectJsonSchema(inner) => {
            if request["response_format"]["type"] == "json_schema" {
                return llama_cpp_rejection();
            }
            *inner
        }
        other => other,
    };
    match reply {
        Reply::Grade { scores, covered } => {
            let content = view::RequestView::of(request).grade(scores, covered);
            completion(request, &content, "stop")
        }
        Reply::Content {
            content,
            finish_reason,
        } => completion(request, &content, &finish_reason),
        Reply::Gullible => {
            let content = view::RequestView::of(request).obey();
            completion(request, &content, "stop")
        }
        Reply::Oracle(oracle) => {
            let view = view::RequestView::of(request);
            let share = oracle.grade(&view.answer);
            let score = (10.0 * share).round() as i64;
            let covered = (share * view.point_ids.len() as f64).round() as usize;
            completion(request, &view.grade([score; 3], covered), "stop")
        }
        Reply::Status {
            status,
            body,
            headers,
        } => {
            let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (code, body).into_response();
            for (name, value) in headers {
                if let (Ok(n), Ok(v)) = (
                    axum::http::HeaderName::try_from(name),
                    axum::http::HeaderValue::try_from(value),
                ) {
                    response.headers_mut().insert(n, v);
                }
            }
            response
        }
        Reply::RawBody(text) => {
            (StatusCode::OK, [("content-type", "application/json")], text).into_response()
        }
        Reply::Hang => loop {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        },
        Reply::RejectJsonSchema(_) => llama_cpp_rejection(),
    }
}

/// What llama-cpp-python's server says to `response_format: {"type": "json_schema"}`.
fn llama_cpp_rejection() -> Response {
    let body = json!({"detail": [{
        "type": "literal_error",
        "loc": ["body", "response_format", "type"],
        "msg": "Input should be 'text' or 'json_object'",
        "input": "json_schema",
    }]});
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}

/// A Chat Completions response; token counts are a quarter of the characters, like English.
fn completion(request: &Value, content: &str, finish_reason: &str) -> Response {
    let prompt_chars: usize = request["messages"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .filter_map(|m| m["content"].as_str())
                .map(str::len)
                .sum()
        })
        .unwrap_or(0);
    let (prompt, completion) = (prompt_chars / 4, content.len() / 4);
    Json(json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": request["model"],
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": finish_reason,
        }],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                  "total_tokens": prompt + completion},
    }))
    .into_response()
}
