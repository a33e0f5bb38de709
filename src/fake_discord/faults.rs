//! Faults a test (or the control API) injects into the fake's REST answers, to show the bot
//! survives what the real Discord does on a bad day: rate limits, its own errors, replies
//! slower than the client waits, replies lost after the request took effect, and gateway
//! connections dropped (to be resumed). A fault
//! matches requests by method and path, applies to the next `times` of them, then is spent.
//! Injected failures are not recorded as unhandled requests: they are the test's own.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::FakeDiscord;

/// One injected fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// `POST`, `PATCH`, …; any method when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// A part of the path under `/api/v10`, e.g. `/messages` or `/typing`.
    pub path_contains: String,
    pub kind: FaultKind,
    /// How many matching requests it affects.
    pub times: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// 429 with Discord's body and headers; nothing happens.
    RateLimited { retry_after_ms: u64, global: bool },
    /// A 5xx (500, 502, 503); nothing happens.
    ServerError { status: u16 },
    /// The request takes effect, but only after this long, even if the client stopped waiting.
    Slow { delay_ms: u64 },
    /// The request takes effect, then the reply is lost: the client sees a 502.
    ReplyLost,
}

impl Fault {
    /// The next `times` requests of `method` whose path contains `path_contains`.
    pub fn on(method: &str, path_contains: &str, kind: FaultKind, times: u32) -> Fault {
        Fault {
            method: Some(method.to_owned()),
            path_contains: path_contains.to_owned(),
            kind,
            times,
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.times > 0
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.contains(&self.path_contains)
    }
}

impl FakeDiscord {
    /// Adds a fault; faults added earlier match first.
    pub fn inject_fault(&self, fault: Fault) {
        self.update(|w| w.faults.push(fault));
    }

    /// Removes every fault, spent or not.
    pub fn clear_faults(&self) {
        self.update(|w| w.faults.clear());
    }

    /// How many requests faults have affected so far.
    pub fn faults_applied(&self) -> u64 {
        self.read(|w| w.faults_applied)
    }

    /// Drops every gateway connection now, as Discord does when it moves a session: each is
    /// closed with a resumable code, and its events wait for the client to resume it.
    pub fn drop_gateway(&self) {
        self.inner.drops.send_modify(|generation| *generation += 1);
    }

    /// Requests being held back by a `Slow` fault right now.
    pub fn requests_held(&self) -> u64 {
        self.read(|w| w.requests_held)
    }

    /// Takes one use of the first fault that matches, if any.
    fn take_fault(&self, method: &str, path: &str) -> Option<FaultKind> {
        self.update(|w| {
            let fault = w.faults.iter_mut().find(|f| f.matches(method, path))?;
            fault.times -= 1;
            let kind = fault.kind;
            w.faults_applied += 1;
            Some(kind)
        })
    }
}

/// The middleware that applies faults to REST requests (never to the control API).
pub(crate) async fn inject(
    State(fake): State<FakeDiscord>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let Some(route) = path.strip_prefix("/api/v10") else {
        return next.run(request).await;
    };
    let Some(kind) = fake.take_fault(request.method().as_str(), route) else {
        return next.run(request).await;
    };
    match kind {
        FaultKind::RateLimited {
            retry_after_ms,
            global,
        } => rate_limited(retry_after_ms, global),
        FaultKind::ServerError { status } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = json!({"message": "500: Internal Server Error", "code": 0});
            (status, Json(body)).into_response()
        }
        FaultKind::Slow { delay_ms } => {
            // On a task of its own: a client that stops waiting closes its connection, and
            // the request must still take effect, as it may on Discord.
            fake.update(|w| w.requests_held += 1);
            let held = tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                let response = next.run(request).await;
                fake.update(|w| w.requests_held -= 1);
                response
            });
            held.await
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        FaultKind::ReplyLost => {
            let _ = next.run(request).await;
            let body = json!({"message": "502: Bad Gateway", "code": 0});
            (StatusCode::BAD_GATEWAY, Json(body)).into_response()
        }
    }
}

/// Discord's 429: the body says how long to wait in seconds, the headers too.
fn rate_limited(retry_after_ms: u64, global: bool) -> Response {
    #[allow(clippy::cast_precision_loss)]
    let seconds = retry_after_ms as f64 / 1000.0;
    let body = json!({
        "message": "You are being rate limited.",
        "retry_after": seconds,
        "global": global,
        "code": if global { 0 } else { 20028 },
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        headers.insert("retry-after", value.clone());
        headers.insert("x-ratelimit-reset-after", value);
    }
    if global {
        headers.insert("x-ratelimit-global", HeaderValue::from_static("true"));
    } else {
        headers.insert("x-ratelimit-scope", HeaderValue::from_static("user"));
    }
    response
}
