//! Direct messages: `POST /users/@me/channels` opens (or finds) the DM channel with a member,
//! and a bot post there is recorded with no guild. A member may have closed their DMs to the
//! bot (`FakeDiscord::close_dms`): Discord then refuses the post with 403, code 50007.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{json, Value};

use axum::response::Response;

use super::body::{ApiError, Payload};
use super::messages::{create_message, message_json, Target};
use super::payloads::user_by_id;
use super::state::MessageSource;
use super::FakeDiscord;

/// A DM channel the bot opened with a member.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DmChannel {
    pub id: u64,
    pub user_id: u64,
}

type ApiResult = Result<Response, ApiError>;

pub(crate) async fn open(State(fake): State<FakeDiscord>, payload: Payload) -> ApiResult {
    let recipient: u64 = payload
        .json
        .get("recipient_id")
        .and_then(|v| {
            v.as_str()
                .map(str::to_owned)
                .or_else(|| Some(v.to_string()))
        })
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::bad_request("recipient_id: expected a user id"))?;
    if fake.config().member(recipient).is_none() {
        return Err(ApiError::not_found("Unknown User", 10013));
    }
    let channel = fake.update(|w| match w.dms.iter().find(|d| d.user_id == recipient) {
        Some(d) => d.id,
        None => {
            let id = w.next_id();
            w.dms.push(DmChannel {
                id,
                user_id: recipient,
            });
            id
        }
    });
    let body: Value = json!({
        "id": channel.to_string(), "type": 1, "last_message_id": null,
        "recipients": [user_by_id(fake.config(), recipient)],
    });
    Ok(axum::Json(body).into_response())
}

/// A bot post in a DM channel; `None` when `channel` is not one.
pub(crate) fn post(fake: &FakeDiscord, channel: u64, payload: &Payload) -> Option<ApiResult> {
    let posted = fake.update(|w| {
        let dm = w.dms.iter().find(|d| d.id == channel)?.clone();
        if w.closed_dms.contains(&dm.user_id) {
            return Some(Err(ApiError {
                status: StatusCode::FORBIDDEN,
                message: "Cannot send messages to this user".into(),
                code: 50007,
            }));
        }
        let target = Target {
            channel_id: channel,
            guild_id: None,
            source: MessageSource::Channel,
        };
        Some(Ok(create_message(w, fake.config().bot_id, target, payload)))
    })?;
    Some(posted.map(|m| message_json(fake, &m)))
}
