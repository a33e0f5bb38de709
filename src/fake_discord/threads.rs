//! Channel and thread routes: the bot opens an interview thread (from a channel or from a
//! message), adds the candidate to a private one, reads channels, and archives the thread when
//! the interview ends. Threads are announced with THREAD_CREATE as Discord does, and included
//! in GUILD_CREATE on the next connect, so a restarted bot sees them again.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::body::{ApiError, Payload};
use super::messages::channel_guild;
use super::payloads;
use super::state::RecordedThread;
use super::FakeDiscord;

type ApiResult = Result<Response, ApiError>;

const PRIVATE_THREAD: u64 = 12;

/// Opens a thread in `parent`, from `starter` if given; announces it on the gateway.
fn open_thread(
    fake: &FakeDiscord,
    parent: u64,
    starter: Option<u64>,
    body: &Value,
) -> Result<RecordedThread, ApiError> {
    let name = body["name"]
        .as_str()
        .ok_or_else(|| ApiError::bad_request("thread without name"))?;
    let thread = fake.update(|w| {
        let guild = fake
            .config()
            .guild_of_channel(parent)
            .ok_or_else(ApiError::unknown_channel)?;
        let guild_id = guild.id;
        if guild
            .channels
            .iter()
            .any(|c| c.id == parent && c.no_threads_for_bot)
        {
            return Err(ApiError::missing_permissions());
        }
        if let Some(m) = starter {
            w.message(m)
                .filter(|m| m.channel_id == parent)
                .ok_or_else(ApiError::unknown_message)?;
        }
        let thread = RecordedThread {
            id: w.next_id(),
            parent_id: parent,
            guild_id,
            name: name.to_owned(),
            private: starter.is_none() && body["type"].as_u64() == Some(PRIVATE_THREAD),
            archived: false,
            locked: false,
            auto_archive_duration: body["auto_archive_duration"].as_u64().unwrap_or(1440),
            owner_id: fake.config().bot_id,
            starter_message: starter,
            members: vec![fake.config().bot_id],
        };
        w.threads.push(thread.clone());
        Ok(thread)
    })?;
    let mut event = payloads::thread(&thread);
    event["newly_created"] = Value::Bool(true);
    // A bot that is not connected simply misses the event, as with real Discord.
    let _ = fake.dispatch("THREAD_CREATE", event);
    Ok(thread)
}

/// `POST /channels/{c}/threads`.
pub(crate) async fn create_thread(
    State(fake): State<FakeDiscord>,
    Path(parent): Path<u64>,
    payload: Payload,
) -> ApiResult {
    let thread = open_thread(&fake, parent, None, &payload.json)?;
    Ok((StatusCode::CREATED, Json(payloads::thread(&thread))).into_response())
}

/// `POST /channels/{c}/messages/{m}/threads`.
pub(crate) async fn create_thread_from_message(
    State(fake): State<FakeDiscord>,
    Path((parent, message)): Path<(u64, u64)>,
    payload: Payload,
) -> ApiResult {
    let thread = open_thread(&fake, parent, Some(message), &payload.json)?;
    Ok((StatusCode::CREATED, Json(payloads::thread(&thread))).into_response())
}

/// The JSON of a configured channel or a thread.
fn channel_json(fake: &FakeDiscord, id: u64) -> Result<Value, ApiError> {
    if let Some(thread) = fake.read(|w| w.thread(id).cloned()) {
        return Ok(payloads::thread(&thread));
    }
    let guild = fake
        .config()
        .guild_of_channel(id)
        .ok_or_else(ApiError::unknown_channel)?;
    let channel = guild
        .channels
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(ApiError::unknown_channel)?;
    Ok(payloads::configured_channel(
        fake.config(),
        guild.id,
        channel,
    ))
}

/// `GET /channels/{c}`.
pub(crate) async fn get_channel(State(fake): State<FakeDiscord>, Path(id): Path<u64>) -> ApiResult {
    Ok(Json(channel_json(&fake, id)?).into_response())
}

/// `PATCH /channels/{c}`: archive, lock or rename a thread; other channels are echoed.
pub(crate) async fn patch_channel(
    State(fake): State<FakeDiscord>,
    Path(id): Path<u64>,
    payload: Payload,
) -> ApiResult {
    let body = &payload.json;
    let updated = fake.update(|w| {
        let thread = w.threads.iter_mut().find(|t| t.id == id)?;
        if let Some(archived) = body["archived"].as_bool() {
            thread.archived = archived;
        }
        if let Some(locked) = body["locked"].as_bool() {
            thread.locked = locked;
        }
        if let Some(name) = body["name"].as_str() {
            thread.name = name.to_owned();
        }
        Some(thread.clone())
    });
    match updated {
        Some(thread) => Ok(Json(payloads::thread(&thread)).into_response()),
        None => get_channel(State(fake), Path(id)).await,
    }
}

/// `PUT /channels/{t}/thread-members/{u}`.
pub(crate) async fn add_thread_member(
    State(fake): State<FakeDiscord>,
    Path((id, user)): Path<(u64, u64)>,
) -> ApiResult {
    fake.update(|w| {
        let thread = w
            .threads
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(ApiError::unknown_channel)?;
        if !thread.members.contains(&user) {
            thread.members.push(user);
        }
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Whether a channel exists for the driver: configured, or a thread the bot created.
pub(crate) fn known_channel(fake: &FakeDiscord, id: u64) -> Option<u64> {
    fake.read(|w| channel_guild(fake, w, id))
}
