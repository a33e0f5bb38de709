//! The control API of the standalone fake (`cargo run --bin fake-discord`): JSON over HTTP
//! under `/control`, so a person (or a script) can act as a member and see what the bot
//! posted while running the real bot locally without Discord. Ids are JSON numbers.
//!
//! | route | body | answer |
//! | --- | --- | --- |
//! | `POST /control/message` | `{"member", "channel", "content"}` | `{"id"}` |
//! | `POST /control/command` | `{"member", "channel", "command": "interview start", "options": {"track": "backend", "questions": 3, "who": {"user": 3001}}}` | `{"interaction_id", "response"}` |
//! | `POST /control/autocomplete` | as `command`, plus `"focused": "track"` | `{"interaction_id", "choices"}` |
//! | `POST /control/click` | `{"member", "message", "custom_id"}` (`"values": [..]` for a select) | `{"interaction_id", "response"}` |
//! | `POST /control/modal` | `{"member", "custom_id", "fields": {"answer": "text"}}`: submits a modal the bot showed the member | `{"interaction_id", "response"}` |
//! | `POST /control/react`, `/control/unreact` | `{"member", "message", "emoji"}` | `{}` |
//! | `GET /control/messages` | `?channel=ID` (optional), `?all=true` to include members' | recorded messages |
//! | `POST /control/faults` | `{"method": "POST", "path_contains": "/messages", "kind": {"kind": "rate_limited", "retry_after_ms": 500, "global": false}, "times": 2}` (kinds: `rate_limited`, `server_error` with `status`, `slow` with `delay_ms`, `reply_lost`) | `{}` |
//! | `DELETE /control/faults` | | `{}` (every fault removed) |
//! | `POST /control/gateway/drop` | | `{}` (every gateway connection dropped, to be resumed) |
//! | `GET /control/threads`, `/control/unhandled`, `/control/state` | | threads; unanswered requests; everything |
//!
//! Option values: strings, integers, numbers and booleans as plain JSON; `{"user": id}`,
//! `{"channel": id}`, `{"role": id}` for the other option types, and
//! `{"filename": "q.txt", "content_type": "text/plain", "content": "..."}` for a file the
//! member uploads (`content` as text, or an array of bytes; `content_type` optional).
//! `command`, `click` and `modal` wait up to `wait_ms` (default 3000) for the bot's
//! interaction response and return it (`null` if none came); a modal the bot opens is a
//! response of `kind` 9 whose `data` has its `custom_id` and fields. Errors answer
//! `{"message"}` with 404 (unknown member, channel, message or modal), 400 (a modal submit the
//! client would refuse), 409 (no bot connected) or 504 (timed out).

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::faults::Fault;
use super::interactions::{OptionValue, SlashCommand};
use super::{FakeDiscord, FakeDiscordError};

pub(crate) fn router() -> Router<FakeDiscord> {
    Router::new()
        .route("/message", post(message))
        .route("/command", post(command))
        .route("/autocomplete", post(autocomplete))
        .route("/click", post(click))
        .route("/modal", post(modal))
        .route("/react", post(react))
        .route("/unreact", post(unreact))
        .route("/messages", get(messages))
        .route(
            "/threads",
            get(|State(f): State<FakeDiscord>| async move { Json(json!(f.threads())) }),
        )
        .route(
            "/unhandled",
            get(|State(f): State<FakeDiscord>| async move { Json(json!(f.unhandled())) }),
        )
        .route(
            "/faults",
            post(add_fault).delete(|State(f): State<FakeDiscord>| async move {
                f.clear_faults();
                Json(json!({}))
            }),
        )
        .route(
            "/gateway/drop",
            post(|State(f): State<FakeDiscord>| async move {
                f.drop_gateway();
                Json(json!({}))
            }),
        )
        .route(
            "/state",
            get(|State(f): State<FakeDiscord>| async move { Json(f.read(|w| json!(w))) }),
        )
}

async fn add_fault(State(fake): State<FakeDiscord>, Json(fault): Json<Fault>) -> Json<Value> {
    fake.inject_fault(fault);
    Json(json!({}))
}

impl IntoResponse for FakeDiscordError {
    fn into_response(self) -> Response {
        let status = match self {
            Self::NoGatewaySession => StatusCode::CONFLICT,
            Self::ModalRejected { .. } => StatusCode::BAD_REQUEST,
            Self::Timeout { .. } => StatusCode::GATEWAY_TIMEOUT,
            Self::Bind { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::NOT_FOUND,
        };
        (status, Json(json!({"message": self.to_string()}))).into_response()
    }
}

type ControlResult = Result<Json<Value>, FakeDiscordError>;

#[derive(Deserialize)]
struct MessageRequest {
    member: u64,
    channel: u64,
    content: String,
}

async fn message(
    State(fake): State<FakeDiscord>,
    Json(req): Json<MessageRequest>,
) -> ControlResult {
    let id = fake.send_message(req.member, req.channel, &req.content)?;
    Ok(Json(json!({"id": id})))
}

#[derive(Deserialize)]
struct CommandRequest {
    member: u64,
    channel: u64,
    command: String,
    #[serde(default)]
    options: BTreeMap<String, OptionValue>,
    focused: Option<String>,
    wait_ms: Option<u64>,
}

impl CommandRequest {
    fn slash(&self) -> SlashCommand {
        let options = self
            .options
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        SlashCommand {
            name: self.command.clone(),
            options,
        }
    }
}

fn wait_for(ms: Option<u64>) -> Duration {
    Duration::from_millis(ms.unwrap_or(3000))
}

/// The bot's response to an interaction, or `null` if none came in time.
async fn response_of(fake: &FakeDiscord, id: u64, wait_ms: Option<u64>) -> Value {
    match fake
        .wait_for_interaction_response(id, wait_for(wait_ms))
        .await
    {
        Ok(response) => json!(response),
        Err(_) => Value::Null,
    }
}

async fn command(
    State(fake): State<FakeDiscord>,
    Json(req): Json<CommandRequest>,
) -> ControlResult {
    let id = fake.slash_command(req.member, req.channel, &req.slash())?;
    Ok(Json(
        json!({"interaction_id": id, "response": response_of(&fake, id, req.wait_ms).await}),
    ))
}

async fn autocomplete(
    State(fake): State<FakeDiscord>,
    Json(req): Json<CommandRequest>,
) -> ControlResult {
    let focused = req.focused.clone().unwrap_or_default();
    let id = fake.autocomplete(req.member, req.channel, &req.slash(), &focused)?;
    let choices = fake
        .wait_for_autocomplete(id, wait_for(req.wait_ms))
        .await?;
    Ok(Json(json!({"interaction_id": id, "choices": choices})))
}

#[derive(Deserialize)]
struct ClickRequest {
    member: u64,
    message: u64,
    custom_id: String,
    values: Option<Vec<String>>,
    wait_ms: Option<u64>,
}

async fn click(State(fake): State<FakeDiscord>, Json(req): Json<ClickRequest>) -> ControlResult {
    let id = match &req.values {
        Some(values) => fake.select(req.member, req.message, &req.custom_id, values)?,
        None => fake.click(req.member, req.message, &req.custom_id)?,
    };
    Ok(Json(
        json!({"interaction_id": id, "response": response_of(&fake, id, req.wait_ms).await}),
    ))
}

#[derive(Deserialize)]
struct ModalRequest {
    member: u64,
    custom_id: String,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    wait_ms: Option<u64>,
}

async fn modal(State(fake): State<FakeDiscord>, Json(req): Json<ModalRequest>) -> ControlResult {
    let fields: Vec<(&str, &str)> = req
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let id = fake
        .submit_modal(req.member, &req.custom_id, &fields)
        .await?;
    Ok(Json(
        json!({"interaction_id": id, "response": response_of(&fake, id, req.wait_ms).await}),
    ))
}

#[derive(Deserialize)]
struct ReactRequest {
    member: u64,
    message: u64,
    emoji: String,
}

async fn react(State(fake): State<FakeDiscord>, Json(req): Json<ReactRequest>) -> ControlResult {
    fake.react(req.member, req.message, &req.emoji)?;
    Ok(Json(json!({})))
}

async fn unreact(State(fake): State<FakeDiscord>, Json(req): Json<ReactRequest>) -> ControlResult {
    fake.unreact(req.member, req.message, &req.emoji)?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
struct MessagesQuery {
    channel: Option<u64>,
    #[serde(default)]
    all: bool,
}

async fn messages(State(fake): State<FakeDiscord>, Query(q): Query<MessagesQuery>) -> Json<Value> {
    let list = fake.read(|w| {
        let wanted = |m: &&super::RecordedMessage| {
            (q.all || m.by_bot) && !m.deleted && q.channel.is_none_or(|c| c == m.channel_id)
        };
        w.messages
            .iter()
            .filter(wanted)
            .cloned()
            .collect::<Vec<_>>()
    });
    Json(json!(list))
}
