//! Acting as a member: the gateway events a real member's actions would cause — a slash
//! command, an autocomplete keystroke, a message, a button click, a reaction. Each call records
//! what it created (so REST reads agree) and returns its id; the caller then waits for the
//! bot's effect (serenity handles events concurrently, so send the next event only after the
//! effect of the previous one).

use super::config::{FakeGuild, FakeMember};
use super::interactions::{self, Envelope, SlashCommand};
use super::state::{
    MessageSource, RecordedAttachment, RecordedMessage, RecordedReaction, SentInteraction,
};
use super::threads::known_channel;
use super::{payloads, FakeDiscord, FakeDiscordError};
use serde_json::json;

/// A file a member attaches to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFile {
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

const COMMAND: u64 = 2;
const COMPONENT: u64 = 3;
const AUTOCOMPLETE: u64 = 4;

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
            let attachments = file
                .map(|f| {
                    let id = w.next_id();
                    RecordedAttachment {
                        id,
                        url: format!("{base}/attachments/{id}/{}", f.filename),
                        filename: f.filename,
                        content_type: f.content_type,
                        size: f.bytes.len(),
                        bytes: f.bytes,
                    }
                })
                .into_iter()
                .collect();
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
                flags: 0,
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

    /// A member runs a slash command; returns the interaction id.
    pub fn slash_command(
        &self,
        member: u64,
        channel: u64,
        cmd: &SlashCommand,
    ) -> Result<u64, FakeDiscordError> {
        let data = |fake: &Self, id| interactions::command_data(fake.config(), id, cmd, None);
        self.interact(member, channel, None, COMMAND, cmd, data)
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
        let data =
            |fake: &Self, id| interactions::command_data(fake.config(), id, cmd, Some(focused));
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
