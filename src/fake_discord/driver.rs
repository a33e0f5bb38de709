//! Acting as a member: the gateway events a real member's actions would cause — a slash
//! command (with uploaded files), an autocomplete keystroke, a message, a button click, a modal
//! submit, a reaction. Each call records what it created (so REST reads agree) and returns its
//! id; the caller then waits for the bot's effect (serenity handles events concurrently, so
//! send the next event only after the effect of the previous one).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::config::{FakeGuild, FakeMember};
use super::interactions::{
    self, Envelope, SlashCommand, Uploads, AUTOCOMPLETE, COMMAND, COMPONENT, MODAL_SUBMIT,
};
use super::state::{
    MessageSource, RecordedAttachment, RecordedMessage, RecordedReaction, SentInteraction, World,
};
use super::threads::known_channel;
use super::{payloads, FakeDiscord, FakeDiscordError};

/// A file a member attaches to a message or uploads with a command. In JSON (the control
/// API) `content` is the file's text, or an array of bytes for a binary file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberFile {
    pub filename: String,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(rename = "content", with = "text_or_bytes")]
    pub bytes: Vec<u8>,
    /// A voice message's length: the message then carries Discord's voice-message flag, and
    /// the file its duration and waveform, as a phone's recording does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<f64>,
}

impl MemberFile {
    /// A UTF-8 text file, typed as Discord types one uploaded from a desktop client.
    pub fn text(filename: &str, text: &str) -> Self {
        Self {
            filename: filename.to_owned(),
            content_type: Some("text/plain; charset=utf-8".to_owned()),
            bytes: text.as_bytes().to_vec(),
            duration_secs: None,
        }
    }

    /// A voice message as Discord's apps record it: Ogg Opus audio of `duration_secs`.
    pub fn voice(bytes: Vec<u8>, duration_secs: f64) -> Self {
        Self {
            filename: "voice-message.ogg".to_owned(),
            content_type: Some("audio/ogg".to_owned()),
            bytes,
            duration_secs: Some(duration_secs),
        }
    }
}

/// People write a text file's content as a string, which is what nearly every file in a
/// test is; bytes that are not UTF-8 stay an array.
mod text_or_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => s.serialize_str(text),
            Err(_) => s.collect_seq(bytes),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Content {
            Text(String),
            Bytes(Vec<u8>),
        }
        Ok(match Content::deserialize(d)? {
            Content::Text(text) => text.into_bytes(),
            Content::Bytes(bytes) => bytes,
        })
    }
}

/// The least time between the bot showing a modal and the member submitting it; see
/// [`FakeDiscord::submit_modal`].
pub const MODAL_READING_TIME: std::time::Duration = std::time::Duration::from_millis(100);

/// Discord's message flag for a voice message.
const IS_VOICE_MESSAGE: u64 = 1 << 13;

/// Stores a member's file under a fresh id, at a URL the fake serves (`rest::attachment`).
fn store_file(w: &mut World, base_url: &str, f: &MemberFile) -> RecordedAttachment {
    let id = w.next_id();
    RecordedAttachment {
        id,
        url: format!("{base_url}/attachments/{id}/{}", f.filename),
        filename: f.filename.clone(),
        content_type: f.content_type.clone(),
        size: f.bytes.len(),
        bytes: f.bytes.clone(),
        duration_secs: f.duration_secs,
    }
}

impl FakeDiscord {
    /// The guild and member for `member` acting in `channel`; fails early when no bot is
    /// connected, so nothing is recorded that the bot never saw.
    fn actor(
        &self,
        member: u64,
        channel: u64,
    ) -> Result<(FakeGuild, FakeMember), FakeDiscordError> {
        if self.inner.dispatch.receiver_count() == 0 {
            return Err(FakeDiscordError::NoGatewaySession);
        }
        let guild_id =
            known_channel(self, channel).ok_or(FakeDiscordError::UnknownChannel(channel))?;
        let guild = self
            .config()
            .guild(guild_id)
            .ok_or(FakeDiscordError::UnknownChannel(channel))?;
        self.config()
            .member(member)
            .ok_or(FakeDiscordError::UnknownMember(member))?;
        let m = guild.members.iter().find(|m| m.id == member);
        let m = m.ok_or(FakeDiscordError::NotInGuild { member, channel })?;
        Ok((guild.clone(), m.clone()))
    }

    /// A member posts `content` in a channel or thread (MESSAGE_CREATE); returns its id.
    pub fn send_message(
        &self,
        member: u64,
        channel: u64,
        content: &str,
    ) -> Result<u64, FakeDiscordError> {
        self.post_as_member(member, channel, content, None, None)
    }

    /// A member replies to message `to` (Discord's Reply) with `content`; returns its id. The
    /// dispatch carries `message_reference` and the referenced message, as Discord's does.
    pub fn reply_to(
        &self,
        member: u64,
        channel: u64,
        to: u64,
        content: &str,
    ) -> Result<u64, FakeDiscordError> {
        self.post_as_member(member, channel, content, None, Some(to))
    }

    /// A member edits their message `message` to read `content` (MESSAGE_UPDATE).
    pub fn edit_message(
        &self,
        member: u64,
        message: u64,
        content: &str,
    ) -> Result<(), FakeDiscordError> {
        let edited = self.update(|w| {
            let m = w
                .messages
                .iter_mut()
                .find(|m| m.id == message && m.author_id == member && !m.by_bot && !m.deleted)?;
            m.content = content.to_owned();
            m.edits += 1;
            Some(m.clone())
        });
        let edited = edited.ok_or(FakeDiscordError::UnknownMessage(message))?;
        let mut payload = payloads::message(self.config(), &edited);
        payload["edited_timestamp"] = json!(chrono::Utc::now().to_rfc3339());
        self.dispatch("MESSAGE_UPDATE", payload)
    }

    /// A member (or a moderator) deletes message `message` (MESSAGE_DELETE).
    pub fn delete_message(&self, message: u64) -> Result<(), FakeDiscordError> {
        let deleted = self.update(|w| {
            let m = w
                .messages
                .iter_mut()
                .find(|m| m.id == message && !m.deleted)?;
            m.deleted = true;
            Some(m.clone())
        });
        let deleted = deleted.ok_or(FakeDiscordError::UnknownMessage(message))?;
        let mut payload = json!({
            "id": deleted.id.to_string(), "channel_id": deleted.channel_id.to_string(),
        });
        if let Some(guild_id) = deleted.guild_id {
            payload["guild_id"] = json!(guild_id.to_string());
        }
        self.dispatch("MESSAGE_DELETE", payload)
    }

    /// A member posts a file, with `content` beside it (empty for a long paste, which Discord
    /// turns into `message.txt`); returns the message's id. The fake serves the file's bytes
    /// at the attachment's URL.
    pub fn send_file(
        &self,
        member: u64,
        channel: u64,
        content: &str,
        file: MemberFile,
    ) -> Result<u64, FakeDiscordError> {
        self.post_as_member(member, channel, content, Some(file), None)
    }

    fn post_as_member(
        &self,
        member: u64,
        channel: u64,
        content: &str,
        file: Option<MemberFile>,
        reply_to: Option<u64>,
    ) -> Result<u64, FakeDiscordError> {
        let (guild, member) = self.actor(member, channel)?;
        let base = self.base_url().to_owned();
        let message = self.update(|w| {
            let voice = file.as_ref().is_some_and(|f| f.duration_secs.is_some());
            let attachments = file.map(|f| store_file(w, &base, &f)).into_iter().collect();
            let message = RecordedMessage {
                id: w.next_id(),
                channel_id: channel,
                guild_id: Some(guild.id),
                author_id: member.id,
                by_bot: false,
                content: content.to_owned(),
                embeds: Vec::new(),
                components: Vec::new(),
                attachments,
                flags: if voice { IS_VOICE_MESSAGE } else { 0 },
                source: MessageSource::Member,
                edits: 0,
                deleted: false,
                timestamp: chrono::Utc::now().to_rfc3339(),
                raw: serde_json::Value::Null,
            };
            w.messages.push(message.clone());
            message
        });
        let mut payload = payloads::message(self.config(), &message);
        if let Some(to) = reply_to {
            let referenced = self
                .message(to)
                .ok_or(FakeDiscordError::UnknownMessage(to))?;
            payload["message_reference"] = json!({
                "message_id": to.to_string(), "channel_id": referenced.channel_id.to_string(),
            });
            payload["referenced_message"] = payloads::message(self.config(), &referenced);
            payload["type"] = json!(19);
        }
        self.dispatch("MESSAGE_CREATE", payload)?;
        Ok(message.id)
    }

    /// A member runs a slash command; returns the interaction id. Files of attachment options
    /// are stored first, as Discord does, and served at the URLs the payload gives.
    pub fn slash_command(
        &self,
        member: u64,
        channel: u64,
        cmd: &SlashCommand,
    ) -> Result<u64, FakeDiscordError> {
        let data = |fake: &Self, id| {
            let uploads = fake.upload(cmd);
            interactions::command_data(fake.config(), id, cmd, None, &uploads)
        };
        self.interact(member, channel, None, COMMAND, cmd, data)
    }

    /// Stores the files of `cmd`'s attachment options; they belong to no message.
    fn upload(&self, cmd: &SlashCommand) -> Uploads {
        let base = self.base_url().to_owned();
        self.update(|w| {
            cmd.files()
                .map(|(name, file)| {
                    let stored = store_file(w, &base, file);
                    w.uploads.push(stored.clone());
                    (name.to_owned(), stored)
                })
                .collect()
        })
    }

    /// A member types into option `focused` of a command; returns the interaction id. The
    /// bot's choices arrive as an interaction response of kind 8
    /// ([`FakeDiscord::wait_for_autocomplete`]).
    pub fn autocomplete(
        &self,
        member: u64,
        channel: u64,
        cmd: &SlashCommand,
        focused: &str,
    ) -> Result<u64, FakeDiscordError> {
        let data = |fake: &Self, id| {
            let uploads = fake.upload(cmd);
            interactions::command_data(fake.config(), id, cmd, Some(focused), &uploads)
        };
        self.interact(member, channel, None, AUTOCOMPLETE, cmd, data)
    }

    /// A member clicks the button `custom_id` on one of the bot's messages.
    pub fn click(
        &self,
        member: u64,
        message: u64,
        custom_id: &str,
    ) -> Result<u64, FakeDiscordError> {
        self.component(member, message, custom_id, None)
    }

    /// A member picks `values` in the string select `custom_id`.
    pub fn select(
        &self,
        member: u64,
        message: u64,
        custom_id: &str,
        values: &[String],
    ) -> Result<u64, FakeDiscordError> {
        self.component(member, message, custom_id, Some(values))
    }

    fn component(
        &self,
        member: u64,
        message: u64,
        custom_id: &str,
        values: Option<&[String]>,
    ) -> Result<u64, FakeDiscordError> {
        let target = self
            .message(message)
            .filter(|m| !m.deleted)
            .ok_or(FakeDiscordError::UnknownMessage(message))?;
        let data = |_: &Self, _| interactions::component_data(custom_id, values);
        let cmd = SlashCommand::default();
        self.interact(
            member,
            target.channel_id,
            Some(&target),
            COMPONENT,
            &cmd,
            data,
        )
    }

    /// The member submits modal `custom_id` — the latest the bot showed them with that id (for
    /// poise's `execute_modal`, the id of the interaction it answered) — having typed `fields`
    /// (text input custom_id, text); fields not named keep their pre-filled value. Returns the
    /// submit's interaction id, which the bot answers like any other. A modal opened from a
    /// button carries that button's message, as on Discord. Fails when the client would not
    /// let the member submit (an unknown field, an empty required one, a bad length).
    ///
    /// Async because it never submits sooner than [`MODAL_READING_TIME`] after the modal was
    /// shown: poise's `execute_modal` starts listening for the submit only once its callback
    /// has returned, a moment the fake cannot see, and a submit arriving before that is lost
    /// (the command then waits an hour). No member reads a modal faster.
    pub async fn submit_modal(
        &self,
        member: u64,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> Result<u64, FakeDiscordError> {
        let (modal, opener, shown_at) = self
            .read(|w| w.modal_shown_to(member, custom_id))
            .ok_or_else(|| FakeDiscordError::UnknownModal {
                custom_id: custom_id.to_owned(),
                member,
            })?;
        let answers = modal
            .answers(fields)
            .map_err(|reason| FakeDiscordError::ModalRejected {
                custom_id: custom_id.to_owned(),
                reason,
            })?;
        if let Some(shown_at) = shown_at {
            tokio::time::sleep_until(shown_at + MODAL_READING_TIME).await;
        }
        let message = opener.message_id.and_then(|id| self.message(id));
        let data = |_: &Self, _| interactions::modal_submit_data(custom_id, &answers);
        let cmd = SlashCommand::default();
        let channel = opener.channel_id;
        self.interact(member, channel, message.as_ref(), MODAL_SUBMIT, &cmd, data)
    }

    /// Registers an interaction, builds its payload and sends INTERACTION_CREATE.
    fn interact(
        &self,
        member: u64,
        channel: u64,
        message: Option<&RecordedMessage>,
        kind: u64,
        cmd: &SlashCommand,
        data: impl FnOnce(&Self, u64) -> serde_json::Value,
    ) -> Result<u64, FakeDiscordError> {
        let (guild, member) = self.actor(member, channel)?;
        let (id, command_id) = self.update(|w| {
            let id = w.next_id();
            let root = cmd.name.split_whitespace().next().unwrap_or_default();
            let registered = w
                .commands
                .iter()
                .filter(|r| r.guild_id.is_none_or(|g| g == guild.id));
            let command_id = registered
                .flat_map(|r| r.commands.iter())
                .find(|c| c["name"] == root)
                .and_then(|c| c["id"].as_str()?.parse().ok());
            let token = format!("fake-token-{id}");
            let sent = SentInteraction {
                id,
                kind,
                token: token.clone(),
                channel_id: channel,
                guild_id: guild.id,
                user_id: member.id,
                message_id: message.map(|m| m.id),
                original: None,
            };
            w.interactions.insert(token, sent);
            (id, command_id.unwrap_or(id))
        });
        let token = format!("fake-token-{id}");
        let env = Envelope {
            id,
            token: &token,
            channel_id: channel,
            guild: &guild,
            member: &member,
        };
        let mut payload =
            interactions::interaction(self.config(), &env, kind, data(self, command_id));
        if let Some(message) = message {
            payload["message"] = payloads::message(self.config(), message);
        }
        self.dispatch("INTERACTION_CREATE", payload)?;
        Ok(id)
    }

    /// A moderator deletes a thread (THREAD_DELETE); the bot's later requests to it fail with
    /// Unknown Channel, as on Discord.
    pub fn delete_thread(&self, thread: u64) -> Result<(), FakeDiscordError> {
        let removed = self.update(|w| {
            let at = w.threads.iter().position(|t| t.id == thread)?;
            Some(w.threads.remove(at))
        });
        let removed = removed.ok_or(FakeDiscordError::UnknownChannel(thread))?;
        self.dispatch("THREAD_DELETE", payloads::thread_deleted(&removed))
    }

    /// The member closes their DMs to the bot: its posts there are refused from now on.
    pub fn close_dms(&self, member: u64) {
        self.update(|w| w.closed_dms.push(member));
    }

    /// The DM channel the bot opened with `member`, if it did.
    pub fn dm_channel(&self, member: u64) -> Option<u64> {
        self.read(|w| w.dms.iter().find(|d| d.user_id == member).map(|d| d.id))
    }

    /// An organiser removes the bot from a guild (GUILD_DELETE without `unavailable`, as
    /// Discord sends it for a removal rather than an outage).
    pub fn remove_bot_from_guild(&self, guild: u64) -> Result<(), FakeDiscordError> {
        self.dispatch(
            "GUILD_DELETE",
            serde_json::json!({ "id": guild.to_string() }),
        )
    }

    /// A member adds a reaction (`👍`, or `name:id` for a custom emoji) to a message.
    pub fn react(&self, member: u64, message: u64, emoji: &str) -> Result<(), FakeDiscordError> {
        self.reaction(member, message, emoji, true)
    }

    /// A member removes their reaction.
    pub fn unreact(&self, member: u64, message: u64, emoji: &str) -> Result<(), FakeDiscordError> {
        self.reaction(member, message, emoji, false)
    }

    fn reaction(
        &self,
        member: u64,
        message: u64,
        emoji: &str,
        add: bool,
    ) -> Result<(), FakeDiscordError> {
        let target = self
            .message(message)
            .filter(|m| !m.deleted)
            .ok_or(FakeDiscordError::UnknownMessage(message))?;
        let (guild, member) = self.actor(member, target.channel_id)?;
        let reaction = RecordedReaction {
            channel_id: target.channel_id,
            message_id: message,
            user_id: member.id,
            emoji: emoji.to_owned(),
        };
        self.update(|w| {
            w.reactions.retain(|r| r != &reaction);
            if add {
                w.reactions.push(reaction);
            }
        });
        let data = payloads::reaction(
            self.config(),
            target.channel_id,
            message,
            guild.id,
            member.id,
            emoji,
            add,
        );
        let event = if add {
            "MESSAGE_REACTION_ADD"
        } else {
            "MESSAGE_REACTION_REMOVE"
        };
        self.dispatch(event, data)
    }
}
