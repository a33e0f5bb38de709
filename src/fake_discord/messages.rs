//! REST routes that create, edit and read messages: channel messages, interaction callbacks
//! and webhook follow-ups, reactions and typing. Every path ends in one recorded
//! [`RecordedMessage`], so a test sees a reply the same way whichever route poise chose.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::body::{ApiError, Payload};
use super::interactions::{AUTOCOMPLETE, MODAL_SUBMIT};
use super::modals::{RecordedModal, MODAL};
use super::payloads;
use super::state::{
    InteractionResponse, MessageSource, RecordedAttachment, RecordedMessage, SentInteraction, World,
};
use super::FakeDiscord;

/// Discord's "loading" flag, set on the placeholder a deferred response creates.
const LOADING: u64 = 128;

type ApiResult = Result<Response, ApiError>;

/// Where a new message goes and who it is from.
pub(crate) struct Target {
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    pub source: MessageSource,
}

/// Records a new bot message built from a request body.
pub(crate) fn create_message(
    w: &mut World,
    bot_id: u64,
    target: Target,
    payload: &Payload,
) -> RecordedMessage {
    let id = w.next_id();
    let mut message = RecordedMessage {
        id,
        channel_id: target.channel_id,
        guild_id: target.guild_id,
        author_id: bot_id,
        by_bot: true,
        content: String::new(),
        embeds: Vec::new(),
        components: Vec::new(),
        attachments: Vec::new(),
        flags: 0,
        source: target.source,
        edits: 0,
        deleted: false,
        timestamp: chrono::Utc::now().to_rfc3339(),
        raw: Value::Null,
    };
    apply_edit(w, &mut message, payload);
    message.edits = 0;
    w.messages.push(message.clone());
    message
}

/// Applies the fields a create or edit body carries; absent fields stay as they were.
fn apply_edit(w: &mut World, message: &mut RecordedMessage, payload: &Payload) {
    let body = &payload.json;
    if let Some(content) = body.get("content") {
        message.content = content.as_str().unwrap_or_default().to_owned();
    }
    if let Some(embeds) = body.get("embeds") {
        message.embeds = embeds.as_array().cloned().unwrap_or_default();
    }
    if let Some(components) = body.get("components") {
        message.components = components.as_array().cloned().unwrap_or_default();
    }
    if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
        message.flags = flags;
    }
    if !payload.files.is_empty() {
        message.attachments = payload
            .files
            .iter()
            .map(|f| {
                let id = w.next_id();
                RecordedAttachment {
                    id,
                    filename: f.filename.clone(),
                    url: format!("https://cdn.invalid/attachments/{id}/{}", f.filename),
                    content_type: f.content_type.clone(),
                    size: f.bytes.len(),
                    duration_secs: None,
                    bytes: f.bytes.clone(),
                }
            })
            .collect();
    } else if body
        .get("attachments")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        message.attachments.clear();
    }
    message.raw = body.clone();
    message.edits += 1;
}

/// Edits a recorded message in place and returns its new state.
fn edit_message(w: &mut World, id: u64, payload: &Payload) -> Option<RecordedMessage> {
    let mut message = w.message(id)?.clone();
    apply_edit(w, &mut message, payload);
    message.flags &= !LOADING;
    *w.message_mut(id)? = message.clone();
    Some(message)
}

pub(crate) fn message_json(fake: &FakeDiscord, message: &RecordedMessage) -> Response {
    Json(payloads::message(fake.config(), message)).into_response()
}

/// The guild of a configured channel or a thread the bot created; `None` if unknown.
pub(crate) fn channel_guild(fake: &FakeDiscord, w: &World, channel: u64) -> Option<u64> {
    fake.config()
        .guild_of_channel(channel)
        .map(|g| g.id)
        .or_else(|| w.thread(channel).map(|t| t.guild_id))
}

pub(crate) async fn post_channel_message(
    State(fake): State<FakeDiscord>,
    Path(channel): Path<u64>,
    payload: Payload,
) -> ApiResult {
    if let Some(posted) = super::dms::post(&fake, channel, &payload) {
        return posted;
    }
    let message = fake.update(|w| {
        let guild_id = channel_guild(&fake, w, channel).ok_or_else(ApiError::unknown_channel)?;
        if let Some(earlier) = same_nonce(w, channel, &payload.json) {
            return Ok(earlier);
        }
        let target = Target {
            channel_id: channel,
            guild_id: Some(guild_id),
            source: MessageSource::Channel,
        };
        Ok(create_message(w, fake.config().bot_id, target, &payload))
    })?;
    Ok(message_json(&fake, &message))
}

/// With `enforce_nonce`, Discord answers a post whose nonce the bot used before in the channel
/// (within minutes; here, ever) with that earlier message instead of creating another.
fn same_nonce(w: &World, channel: u64, body: &Value) -> Option<RecordedMessage> {
    let nonce = body.get("nonce").filter(|n| !n.is_null())?;
    if body.get("enforce_nonce") != Some(&Value::Bool(true)) {
        return None;
    }
    w.messages
        .iter()
        .find(|m| m.by_bot && m.channel_id == channel && m.raw.get("nonce") == Some(nonce))
        .cloned()
}

pub(crate) async fn get_channel_message(
    State(fake): State<FakeDiscord>,
    Path((channel, id)): Path<(u64, u64)>,
) -> ApiResult {
    let message = fake
        .message(id)
        .filter(|m| m.channel_id == channel && !m.deleted);
    let message = message.ok_or_else(ApiError::unknown_message)?;
    Ok(message_json(&fake, &message))
}

pub(crate) async fn patch_channel_message(
    State(fake): State<FakeDiscord>,
    Path((_, id)): Path<(u64, u64)>,
    payload: Payload,
) -> ApiResult {
    let message = fake
        .update(|w| edit_message(w, id, &payload))
        .ok_or_else(ApiError::unknown_message)?;
    Ok(message_json(&fake, &message))
}

pub(crate) async fn delete_channel_message(
    State(fake): State<FakeDiscord>,
    Path((_, id)): Path<(u64, u64)>,
) -> ApiResult {
    fake.update(|w| w.message_mut(id).map(|m| m.deleted = true))
        .ok_or_else(ApiError::unknown_message)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What a callback does to messages; returns the original response's message, if any.
fn apply_callback(
    w: &mut World,
    bot_id: u64,
    interaction: &SentInteraction,
    kind: u64,
    inner: &Payload,
) -> Option<u64> {
    let target = Target {
        channel_id: interaction.channel_id,
        guild_id: Some(interaction.guild_id),
        source: MessageSource::InteractionResponse {
            interaction_id: interaction.id,
        },
    };
    match kind {
        4 => Some(create_message(w, bot_id, target, inner).id),
        5 => {
            let message = create_message(w, bot_id, target, inner);
            if let Some(placeholder) = w.message_mut(message.id) {
                placeholder.flags |= LOADING;
            }
            Some(message.id)
        }
        // A deferred update: as on Discord, the original response is then the message the
        // component is on, which `PATCH .../messages/@original` edits.
        6 => interaction.message_id,
        7 => interaction
            .message_id
            .and_then(|m| edit_message(w, m, inner))
            .map(|m| m.id),
        _ => None,
    }
}

/// Refuses a modal Discord refuses: one answering a modal submit or an autocomplete request,
/// or one that breaks Discord's rules for modals.
fn check_callback(interaction: &SentInteraction, kind: u64, data: &Value) -> Result<(), ApiError> {
    if kind != MODAL {
        return Ok(());
    }
    if matches!(interaction.kind, AUTOCOMPLETE | MODAL_SUBMIT) {
        return Err(ApiError::bad_request(
            "a modal cannot answer a modal submit or an autocomplete request",
        ));
    }
    RecordedModal::parse(interaction.id, data)
        .map(|_| ())
        .map_err(ApiError::bad_request)
}

/// `POST /interactions/{id}/{token}/callback`: records the response; answers exactly 204.
pub(crate) async fn interaction_callback(
    State(fake): State<FakeDiscord>,
    Path((id, token)): Path<(u64, String)>,
    payload: Payload,
) -> ApiResult {
    let kind = payload.json["type"]
        .as_u64()
        .ok_or_else(|| ApiError::bad_request("callback without type"))?;
    let data = payload.json.get("data").cloned().unwrap_or(Value::Null);
    fake.update(|w| {
        let interaction = w
            .interaction_by_token(&token)
            .filter(|i| i.id == id)
            .cloned();
        let interaction = interaction.ok_or_else(ApiError::unknown_interaction)?;
        if w.interaction_responses
            .iter()
            .any(|r| r.interaction_id == id)
        {
            return Err(ApiError::bad_request(
                "Interaction has already been acknowledged.",
            ));
        }
        check_callback(&interaction, kind, &data)?;
        let inner = Payload {
            json: data.clone(),
            files: payload.files,
        };
        let original = apply_callback(w, fake.config().bot_id, &interaction, kind, &inner);
        if let Some(sent) = w.interactions.get_mut(&token) {
            sent.original = original.or(sent.original);
        }
        w.interaction_responses.push(InteractionResponse {
            interaction_id: id,
            kind,
            data,
            at: Some(tokio::time::Instant::now()),
        });
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /webhooks/{app}/{token}`: a follow-up message.
pub(crate) async fn post_followup(
    State(fake): State<FakeDiscord>,
    Path((_, token)): Path<(u64, String)>,
    payload: Payload,
) -> ApiResult {
    let message = fake.update(|w| {
        let interaction = w
            .interaction_by_token(&token)
            .cloned()
            .ok_or_else(ApiError::unknown_interaction)?;
        let source = MessageSource::Followup {
            interaction_id: interaction.id,
        };
        let target = Target {
            channel_id: interaction.channel_id,
            guild_id: Some(interaction.guild_id),
            source,
        };
        Ok(create_message(w, fake.config().bot_id, target, &payload))
    })?;
    Ok(message_json(&fake, &message))
}

/// The message a webhook path names: `@original` or an id.
fn webhook_message(w: &World, token: &str, which: &str) -> Result<u64, ApiError> {
    let interaction = w
        .interaction_by_token(token)
        .ok_or_else(ApiError::unknown_interaction)?;
    match which {
        "@original" => interaction.original.ok_or_else(ApiError::unknown_message),
        id => id.parse().map_err(|_| ApiError::unknown_message()),
    }
}

pub(crate) async fn get_webhook_message(
    State(fake): State<FakeDiscord>,
    Path((_, token, which)): Path<(u64, String, String)>,
) -> ApiResult {
    let message =
        fake.read(|w| webhook_message(w, &token, &which).map(|id| w.message(id).cloned()))?;
    Ok(message_json(
        &fake,
        &message.ok_or_else(ApiError::unknown_message)?,
    ))
}

pub(crate) async fn patch_webhook_message(
    State(fake): State<FakeDiscord>,
    Path((_, token, which)): Path<(u64, String, String)>,
    payload: Payload,
) -> ApiResult {
    let message = fake.update(|w| {
        let id = webhook_message(w, &token, &which)?;
        edit_message(w, id, &payload).ok_or_else(ApiError::unknown_message)
    })?;
    Ok(message_json(&fake, &message))
}

pub(crate) async fn delete_webhook_message(
    State(fake): State<FakeDiscord>,
    Path((_, token, which)): Path<(u64, String, String)>,
) -> ApiResult {
    fake.update(|w| {
        let id = webhook_message(w, &token, &which)?;
        w.message_mut(id)
            .map(|m| m.deleted = true)
            .ok_or_else(ApiError::unknown_message)
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PUT|DELETE /channels/{c}/messages/{m}/reactions/{emoji}/@me`.
pub(crate) async fn bot_reaction(
    State(fake): State<FakeDiscord>,
    method: axum::http::Method,
    Path((channel, message, emoji, user)): Path<(u64, u64, String, String)>,
) -> ApiResult {
    if user != "@me" {
        return Err(ApiError::not_found("only @me reactions are supported", 0));
    }
    let reaction = super::state::RecordedReaction {
        channel_id: channel,
        message_id: message,
        user_id: fake.config().bot_id,
        emoji,
    };
    fake.update(|w| {
        w.message(message).ok_or_else(ApiError::unknown_message)?;
        w.reactions.retain(|r| r != &reaction);
        if method == axum::http::Method::PUT {
            w.reactions.push(reaction);
        }
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /channels/{c}/typing`.
pub(crate) async fn typing(State(fake): State<FakeDiscord>, Path(channel): Path<u64>) -> ApiResult {
    fake.update(|w| {
        channel_guild(&fake, w, channel).ok_or_else(ApiError::unknown_channel)?;
        w.typing.push(channel);
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
