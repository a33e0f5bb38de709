//! The router: Discord's REST routes under `/api/v10`, the gateway at `/ws`, members' files at
//! `/attachments` (as the CDN serves them), the control API under `/control`, and a fallback
//! that answers like Discord does for an unknown route. A middleware records every failed
//! request so tests can assert none happened.

use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::body::{ApiError, FailureReason, Payload};
use super::state::{RegisteredCommands, UnhandledRequest};
use super::{control, faults, gateway, messages as m, payloads, threads as t, FakeDiscord};

type ApiResult = Result<Response, ApiError>;

pub(crate) fn router(fake: FakeDiscord) -> Router {
    let api = Router::new()
        .route("/gateway", get(gateway_info))
        .route("/gateway/bot", get(gateway_info))
        .route("/oauth2/applications/@me", get(application_info))
        .route(
            "/applications/{app}/commands",
            put(put_global_commands).get(get_global_commands),
        )
        .route(
            "/applications/{app}/guilds/{guild}/commands",
            put(put_guild_commands).get(get_guild_commands),
        )
        .route(
            "/interactions/{id}/{token}/callback",
            post(m::interaction_callback),
        )
        .route("/webhooks/{app}/{token}", post(m::post_followup))
        .route(
            "/webhooks/{app}/{token}/messages/{which}",
            get(m::get_webhook_message)
                .patch(m::patch_webhook_message)
                .delete(m::delete_webhook_message),
        )
        .route("/channels/{c}", get(t::get_channel).patch(t::patch_channel))
        .route("/channels/{c}/messages", post(m::post_channel_message))
        .route(
            "/channels/{c}/messages/{m}",
            get(m::get_channel_message)
                .patch(m::patch_channel_message)
                .delete(m::delete_channel_message),
        )
        .route("/channels/{c}/threads", post(t::create_thread))
        .route(
            "/channels/{c}/messages/{m}/threads",
            post(t::create_thread_from_message),
        )
        .route(
            "/channels/{c}/thread-members/{u}",
            put(t::add_thread_member),
        )
        .route(
            "/channels/{c}/messages/{m}/reactions/{emoji}/{user}",
            put(m::bot_reaction).delete(m::bot_reaction),
        )
        .route("/channels/{c}/typing", post(m::typing))
        .route("/guilds/{g}/members/{u}", get(guild_member))
        .route("/users/{u}", get(get_user))
        .route("/users/@me/channels", post(super::dms::open));
    Router::new()
        .nest("/api/v10", api)
        .route("/ws", get(gateway::upgrade))
        .route("/attachments/{id}/{filename}", get(attachment))
        .nest("/control", control::router())
        .fallback(unknown_route)
        .layer(middleware::from_fn_with_state(
            fake.clone(),
            record_failures,
        ))
        // Outermost, so that injected failures are not recorded as unhandled.
        .layer(middleware::from_fn_with_state(fake.clone(), faults::inject))
        .with_state(fake)
}

/// Records any 4xx/5xx answer to the bot as an unhandled request (control API errors are
/// the caller's own and are not recorded).
async fn record_failures(
    State(fake): State<FakeDiscord>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if path.starts_with("/control/") {
        return response;
    }
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        let reason = response
            .extensions()
            .get::<FailureReason>()
            .map_or_else(|| status.to_string(), |r| r.0.clone());
        tracing::warn!(%method, %path, %status, %reason, "fake Discord could not handle a request");
        fake.update(|w| {
            w.unhandled.push(UnhandledRequest {
                method,
                path,
                status: status.as_u16(),
                reason,
            })
        });
    }
    response
}

/// A member's file, on a message or uploaded with a command, as Discord's CDN serves it.
async fn attachment(
    State(fake): State<FakeDiscord>,
    Path((id, _filename)): Path<(u64, String)>,
) -> Response {
    let file = fake.read(|w| {
        w.attachment(id)
            .map(|a| (a.content_type.clone(), a.bytes.clone()))
    });
    match file {
        Some((content_type, bytes)) => {
            let kind = content_type.unwrap_or_else(|| "application/octet-stream".into());
            ([(header::CONTENT_TYPE, kind)], bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn unknown_route(request: Request) -> ApiError {
    ApiError::not_found(
        format!(
            "404: Not Found ({} {})",
            request.method(),
            request.uri().path()
        ),
        0,
    )
}

async fn gateway_info(State(fake): State<FakeDiscord>) -> Json<Value> {
    Json(json!({
        "url": fake.gateway_url(), "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
    }))
}

async fn application_info(State(fake): State<FakeDiscord>) -> Json<Value> {
    Json(payloads::application_info(fake.config()))
}

/// Stores a bulk overwrite and echoes the commands back with ids.
fn overwrite_commands(
    fake: &FakeDiscord,
    app: u64,
    guild_id: Option<u64>,
    body: &Value,
) -> ApiResult {
    if app != fake.config().bot_id {
        return Err(ApiError::not_found("Unknown Application", 10002));
    }
    let list = body
        .as_array()
        .ok_or_else(|| ApiError::bad_request("expected an array of commands"))?;
    let commands = fake.update(|w| {
        let commands: Vec<Value> = list
            .iter()
            .map(|c| payloads::command(app, guild_id, w.next_id(), c))
            .collect();
        w.command_overwrites += 1;
        w.commands.retain(|r| r.guild_id != guild_id);
        w.commands.push(RegisteredCommands {
            guild_id,
            commands: commands.clone(),
        });
        commands
    });
    Ok(Json(commands).into_response())
}

fn registered(fake: &FakeDiscord, guild_id: Option<u64>) -> Json<Vec<Value>> {
    let commands = fake.read(|w| {
        w.commands
            .iter()
            .find(|r| r.guild_id == guild_id)
            .map(|r| r.commands.clone())
    });
    Json(commands.unwrap_or_default())
}

async fn put_global_commands(
    State(fake): State<FakeDiscord>,
    Path(app): Path<u64>,
    payload: Payload,
) -> ApiResult {
    overwrite_commands(&fake, app, None, &payload.json)
}

async fn put_guild_commands(
    State(fake): State<FakeDiscord>,
    Path((app, guild)): Path<(u64, u64)>,
    payload: Payload,
) -> ApiResult {
    if fake.config().guild(guild).is_none() {
        return Err(ApiError::not_found("Unknown Guild", 10004));
    }
    overwrite_commands(&fake, app, Some(guild), &payload.json)
}

async fn get_global_commands(State(fake): State<FakeDiscord>) -> Json<Vec<Value>> {
    registered(&fake, None)
}

async fn get_guild_commands(
    State(fake): State<FakeDiscord>,
    Path((_, guild)): Path<(u64, u64)>,
) -> Json<Vec<Value>> {
    registered(&fake, Some(guild))
}

async fn guild_member(
    State(fake): State<FakeDiscord>,
    Path((guild, user)): Path<(u64, u64)>,
) -> ApiResult {
    let g = fake
        .config()
        .guild(guild)
        .ok_or_else(|| ApiError::not_found("Unknown Guild", 10004))?;
    let member = g
        .members
        .iter()
        .find(|m| m.id == user)
        .ok_or_else(|| ApiError::not_found("Unknown Member", 10007))?;
    Ok(Json(payloads::member(guild, member)).into_response())
}

async fn get_user(State(fake): State<FakeDiscord>, Path(user): Path<String>) -> ApiResult {
    let config = fake.config();
    let id = match user.as_str() {
        "@me" => config.bot_id,
        other => other
            .parse()
            .map_err(|_| ApiError::not_found("Unknown User", 10013))?,
    };
    if id != config.bot_id && config.member(id).is_none() {
        return Err(ApiError::not_found("Unknown User", 10013));
    }
    Ok(Json(payloads::user_by_id(config, id)).into_response())
}
