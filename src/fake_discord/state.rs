//! What the fake Discord remembers: everything the bot created or answered, plus the member
//! messages the tests sent, so REST reads (`GET` a message, a channel) and later gateway
//! payloads agree with earlier ones. Tests read it through [`super::FakeDiscord`] and wait on
//! it with [`super::wait`], never by sleeping.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;

use super::modals::{RecordedModal, MODAL};

/// Where a message came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageSource {
    /// The bot's `POST /channels/{c}/messages`.
    Channel,
    /// The bot's first reply to an interaction (callback type 4, or the original response
    /// after a defer, written with `PATCH .../messages/@original`).
    InteractionResponse { interaction_id: u64 },
    /// The bot's `POST /webhooks/{app}/{token}` follow-up.
    Followup { interaction_id: u64 },
    /// A member's message sent by the test through the gateway.
    Member,
}

/// A file on a message (the bot's multipart upload, or a member's file) or a member's upload
/// for a command's attachment option.
#[derive(Debug, Clone, Serialize)]
pub struct RecordedAttachment {
    pub id: u64,
    pub filename: String,
    /// Where a client downloads it: the fake serves members' files itself (see
    /// `rest::attachment`).
    pub url: String,
    pub content_type: Option<String>,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub size: usize,
    /// A voice message's length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<f64>,
}

/// A message as the fake holds it; `raw` keeps the bot's last request body for anything the
/// typed fields do not cover (allowed mentions, message reference, …).
#[derive(Debug, Clone, Serialize)]
pub struct RecordedMessage {
    pub id: u64,
    pub channel_id: u64,
    pub guild_id: Option<u64>,
    pub author_id: u64,
    pub by_bot: bool,
    pub content: String,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    pub attachments: Vec<RecordedAttachment>,
    /// Discord message flags; 64 is ephemeral.
    pub flags: u64,
    pub source: MessageSource,
    /// How many times the bot edited it.
    pub edits: u32,
    pub deleted: bool,
    pub timestamp: String,
    pub raw: Value,
}

impl RecordedMessage {
    pub fn is_ephemeral(&self) -> bool {
        self.flags & 64 != 0
    }

    /// The embed titles, for short assertions.
    pub fn embed_titles(&self) -> Vec<&str> {
        self.embeds
            .iter()
            .filter_map(|e| e["title"].as_str())
            .collect()
    }

    /// Every button `custom_id` in the message's action rows.
    pub fn custom_ids(&self) -> Vec<&str> {
        self.components
            .iter()
            .flat_map(|row| row["components"].as_array().into_iter().flatten())
            .filter_map(|c| c["custom_id"].as_str())
            .collect()
    }
}

/// A thread the bot opened.
#[derive(Debug, Clone, Serialize)]
pub struct RecordedThread {
    pub id: u64,
    pub parent_id: u64,
    pub guild_id: u64,
    pub name: String,
    pub private: bool,
    pub archived: bool,
    pub locked: bool,
    pub auto_archive_duration: u64,
    pub owner_id: u64,
    /// The message it was started from, if any.
    pub starter_message: Option<u64>,
    /// Members the bot added (`PUT /channels/{t}/thread-members/{u}`).
    pub members: Vec<u64>,
}

/// A reaction currently on a message (removed ones are dropped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedReaction {
    pub channel_id: u64,
    pub message_id: u64,
    pub user_id: u64,
    pub emoji: String,
}

/// The bot's answer to `POST /interactions/{id}/{token}/callback`.
#[derive(Debug, Clone, Serialize)]
pub struct InteractionResponse {
    pub interaction_id: u64,
    /// 4 message, 5 defer, 6 deferred update, 7 update message, 8 autocomplete, 9 modal.
    pub kind: u64,
    pub data: Value,
    /// When the fake received it (not sent with `/control/state`).
    #[serde(skip)]
    pub at: Option<Instant>,
}

impl InteractionResponse {
    /// The modal this response opened, if it is one (kind 9).
    pub fn modal(&self) -> Option<RecordedModal> {
        if self.kind != MODAL {
            return None;
        }
        RecordedModal::parse(self.interaction_id, &self.data).ok()
    }
}

/// An interaction the fake sent, so callbacks and webhooks can be matched to it.
#[derive(Debug, Clone, Serialize)]
pub struct SentInteraction {
    pub id: u64,
    /// Discord's interaction type: 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub kind: u64,
    pub token: String,
    pub channel_id: u64,
    pub guild_id: u64,
    pub user_id: u64,
    /// For component clicks, the message whose button was clicked; for a modal submit, the
    /// message of the button that opened the modal.
    pub message_id: Option<u64>,
    /// The message holding the original response, once there is one.
    pub original: Option<u64>,
}

/// A request the fake did not understand; a test should fail if there are any.
#[derive(Debug, Clone, Serialize)]
pub struct UnhandledRequest {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub reason: String,
}

/// Commands the bot registered, global (`guild_id: None`) or per guild.
#[derive(Debug, Clone, Serialize)]
pub struct RegisteredCommands {
    pub guild_id: Option<u64>,
    pub commands: Vec<Value>,
}

/// Everything recorded; one lock, held only for short synchronous updates.
#[derive(Debug, Default, Serialize)]
pub struct World {
    pub messages: Vec<RecordedMessage>,
    /// Files members uploaded with slash commands: on no message, but served like one's.
    pub uploads: Vec<RecordedAttachment>,
    pub threads: Vec<RecordedThread>,
    /// DM channels the bot opened, and the members who closed their DMs to it.
    pub dms: Vec<super::dms::DmChannel>,
    pub closed_dms: Vec<u64>,
    pub reactions: Vec<RecordedReaction>,
    pub interaction_responses: Vec<InteractionResponse>,
    /// Channel ids, one per `POST /channels/{c}/typing`.
    pub typing: Vec<u64>,
    pub unhandled: Vec<UnhandledRequest>,
    pub commands: Vec<RegisteredCommands>,
    /// Bulk command overwrites received since start (a restarted bot registers again).
    pub command_overwrites: u64,
    #[serde(skip)]
    pub interactions: HashMap<String, SentInteraction>,
    /// Gateway sessions open now that have been sent READY and GUILD_CREATE.
    pub gateway_sessions: u64,
    /// IDENTIFYs answered since start, counting reconnects (a restarted bot adds one).
    pub identifies: u64,
    /// Dropped sessions a client resumed.
    pub resumes: u64,
    /// Faults injected by the test, spent or not (see [`super::faults`]).
    pub faults: Vec<super::faults::Fault>,
    pub faults_applied: u64,
    /// Requests a `Slow` fault is holding back now.
    pub requests_held: u64,
    #[serde(skip)]
    next_id: u64,
}

/// Generated ids start here, far above any configured id.
const FIRST_ID: u64 = 1 << 40;

impl World {
    /// A fresh snowflake-sized id, unique within this fake.
    pub fn next_id(&mut self) -> u64 {
        self.next_id = self.next_id.max(FIRST_ID) + 1;
        self.next_id
    }

    pub fn message(&self, id: u64) -> Option<&RecordedMessage> {
        self.messages.iter().find(|m| m.id == id)
    }

    pub fn message_mut(&mut self, id: u64) -> Option<&mut RecordedMessage> {
        self.messages.iter_mut().find(|m| m.id == id)
    }

    pub fn thread(&self, id: u64) -> Option<&RecordedThread> {
        self.threads.iter().find(|t| t.id == id)
    }

    pub fn interaction_by_token(&self, token: &str) -> Option<&SentInteraction> {
        self.interactions.get(token)
    }

    pub fn interaction_by_id(&self, id: u64) -> Option<&SentInteraction> {
        self.interactions.values().find(|i| i.id == id)
    }

    /// A member's file by attachment id, on a message or uploaded with a command.
    pub fn attachment(&self, id: u64) -> Option<&RecordedAttachment> {
        self.messages
            .iter()
            .flat_map(|m| &m.attachments)
            .chain(&self.uploads)
            .find(|a| a.id == id)
    }

    /// The latest modal with `custom_id` the bot showed `member`, the interaction it answered
    /// and when: Discord shows a modal only to the member who caused that interaction.
    pub(crate) fn modal_shown_to(
        &self,
        member: u64,
        custom_id: &str,
    ) -> Option<(RecordedModal, SentInteraction, Option<Instant>)> {
        self.interaction_responses.iter().rev().find_map(|r| {
            let opener = self
                .interaction_by_id(r.interaction_id)
                .filter(|i| i.user_id == member)?;
            let modal = r.modal().filter(|m| m.custom_id == custom_id)?;
            Some((modal, opener.clone(), r.at))
        })
    }
}
