//! The JSON the fake sends, built in one place so each shape can be checked against serenity's
//! own types (see `payload_tests.rs`). serenity turns a known event whose payload does not
//! deserialize into `Event::Unknown` and logs it only at debug level, so a missing field here
//! would make the bot silently deaf; the unit tests are what keeps these honest.
//!
//! Ids are sent as strings, as Discord does.

use serde_json::{json, Value};

use super::config::{FakeChannel, FakeConfig, FakeGuild, FakeMember, ALL_PERMISSIONS};
use super::state::{RecordedAttachment, RecordedMessage, RecordedThread};

/// Discord's public thread, private thread and text channel types.
const TEXT_CHANNEL: u64 = 0;
const PUBLIC_THREAD: u64 = 11;
const PRIVATE_THREAD: u64 = 12;
/// A fixed join date; nothing in the bot should depend on it.
const JOINED_AT: &str = "2024-01-01T00:00:00.000000+00:00";

pub fn user(id: u64, username: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(), "username": username, "global_name": username,
        "discriminator": "0", "avatar": null, "bot": bot,
    })
}

/// The bot's own user object.
pub fn bot_user(config: &FakeConfig) -> Value {
    user(config.bot_id, &config.bot_name, true)
}

/// A user id's object: the bot, a configured member, or a placeholder name.
pub fn user_by_id(config: &FakeConfig, id: u64) -> Value {
    if id == config.bot_id {
        return bot_user(config);
    }
    match config.member(id) {
        Some((_, m)) => user(m.id, &m.username, false),
        None => user(id, &format!("user{id}"), false),
    }
}

/// A guild member; `permissions` is what interactions carry (resolved, all channels).
pub fn member(guild_id: u64, m: &FakeMember) -> Value {
    json!({
        "user": user(m.id, &m.username, false), "guild_id": guild_id.to_string(),
        "roles": m.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": JOINED_AT, "deaf": false, "mute": false, "flags": 0, "pending": false,
        "nick": null, "permissions": m.permissions.to_string(),
    })
}

/// A member without `user`, as messages and `resolved.members` carry it.
pub fn partial_member(guild_id: u64, m: &FakeMember) -> Value {
    let mut value = member(guild_id, m);
    if let Some(fields) = value.as_object_mut() {
        fields.remove("user");
    }
    value
}

/// The bot as a member of a guild.
fn bot_member(config: &FakeConfig, guild_id: u64) -> Value {
    let bot = FakeMember::new(config.bot_id, &config.bot_name, ALL_PERMISSIONS);
    let mut value = member(guild_id, &bot);
    value["user"] = bot_user(config);
    value
}

pub fn role(id: u64, name: &str, permissions: u64, position: u64) -> Value {
    json!({
        "id": id.to_string(), "name": name, "color": 0, "colors": {"primary_color": 0},
        "hoist": false, "position": position, "permissions": permissions.to_string(),
        "managed": false, "mentionable": false, "flags": 0,
    })
}

/// A channel as a command option's `resolved.channels` holds it (a partial channel).
pub fn resolved_channel(id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(), "type": TEXT_CHANNEL, "name": name,
        "permissions": ALL_PERMISSIONS.to_string(),
    })
}

/// A configured channel, with the overwrite that denies the bot threads where the config says
/// so (so that a client computing its permissions sees what the REST API will refuse).
pub fn configured_channel(config: &FakeConfig, guild_id: u64, c: &FakeChannel) -> Value {
    let mut value = text_channel(guild_id, c.id, &c.name);
    if c.no_threads_for_bot {
        let threads = CREATE_PUBLIC_THREADS | CREATE_PRIVATE_THREADS;
        value["permission_overwrites"] = json!([{
            "id": config.bot_id.to_string(), "type": 1, "allow": "0",
            "deny": threads.to_string(),
        }]);
    }
    value
}

/// Discord's permission bits for opening threads.
const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
const CREATE_PRIVATE_THREADS: u64 = 1 << 36;

pub fn text_channel(guild_id: u64, id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(), "type": TEXT_CHANNEL, "guild_id": guild_id.to_string(),
        "name": name, "position": 0, "permission_overwrites": [], "nsfw": false,
        "topic": null, "last_message_id": null, "parent_id": null,
    })
}

/// A thread as `GET /channels/{c}` and the thread routes return it.
pub fn thread(t: &RecordedThread) -> Value {
    json!({
        "id": t.id.to_string(), "type": if t.private { PRIVATE_THREAD } else { PUBLIC_THREAD },
        "guild_id": t.guild_id.to_string(), "parent_id": t.parent_id.to_string(),
        "owner_id": t.owner_id.to_string(), "name": t.name, "last_message_id": null,
        "message_count": 0, "member_count": t.members.len(), "rate_limit_per_user": 0,
        "flags": 0, "total_message_sent": 0,
        "thread_metadata": {
            "archived": t.archived, "locked": t.locked, "invitable": !t.private,
            "auto_archive_duration": t.auto_archive_duration,
            "archive_timestamp": JOINED_AT, "create_timestamp": JOINED_AT,
        },
    })
}

/// THREAD_DELETE: the deleted thread's ids only, as Discord sends it.
pub fn thread_deleted(t: &RecordedThread) -> Value {
    json!({
        "id": t.id.to_string(), "guild_id": t.guild_id.to_string(),
        "parent_id": t.parent_id.to_string(),
        "type": if t.private { PRIVATE_THREAD } else { PUBLIC_THREAD },
    })
}

/// READY: everything serenity needs to call itself ready, including `application`.
pub fn ready(config: &FakeConfig, session_id: &str, resume_url: &str) -> Value {
    ready_for_shard(config, session_id, resume_url, Shard::ONLY)
}

/// A gateway shard: `id` of `count`. A guild belongs to shard `(guild_id >> 22) % count`, as on
/// Discord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub id: u64,
    pub count: u64,
}

impl Shard {
    pub const ONLY: Shard = Shard { id: 0, count: 1 };

    pub fn serves(self, guild_id: u64) -> bool {
        (guild_id >> 22) % self.count.max(1) == self.id
    }
}

/// READY for one shard: only the guilds that shard serves.
pub fn ready_for_shard(
    config: &FakeConfig,
    session_id: &str,
    resume_url: &str,
    shard: Shard,
) -> Value {
    let guilds: Vec<Value> = config
        .guilds
        .iter()
        .filter(|g| shard.serves(g.id))
        .map(|g| json!({"id": g.id.to_string(), "unavailable": true}))
        .collect();
    json!({
        "v": 10, "user": bot_user(config), "guilds": guilds, "session_id": session_id,
        "resume_gateway_url": resume_url, "shard": [shard.id, shard.count],
        "private_channels": [],
        "application": {"id": config.bot_id.to_string(), "flags": 0},
    })
}

/// GUILD_CREATE for one guild with its channels, roles, members and the bot's open threads.
pub fn guild_create(config: &FakeConfig, g: &FakeGuild, threads: &[RecordedThread]) -> Value {
    let mut roles = vec![role(
        g.id,
        "@everyone",
        super::config::MEMBER_PERMISSIONS,
        0,
    )];
    roles.extend(
        g.roles
            .iter()
            .enumerate()
            .map(|(i, r)| role(r.id, &r.name, r.permissions, i as u64 + 1)),
    );
    let mut members: Vec<Value> = g.members.iter().map(|m| member(g.id, m)).collect();
    members.push(bot_member(config, g.id));
    let channels: Vec<Value> = g
        .channels
        .iter()
        .map(|c| configured_channel(config, g.id, c))
        .collect();
    let threads: Vec<Value> = threads
        .iter()
        .filter(|t| t.guild_id == g.id && !t.archived)
        .map(thread)
        .collect();
    json!({
        "id": g.id.to_string(), "name": g.name, "icon": null, "owner_id": g.owner_id.to_string(),
        "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "mfa_level": 0, "system_channel_flags": 0,
        "premium_tier": 0, "nsfw_level": 0, "preferred_locale": "en-US",
        "premium_progress_bar_enabled": false, "joined_at": JOINED_AT, "large": false,
        "unavailable": false, "member_count": members.len(), "roles": roles, "emojis": [],
        "features": [], "stickers": [], "members": members, "channels": channels,
        "threads": threads, "presences": [], "voice_states": [], "stage_instances": [],
        "guild_scheduled_events": [],
    })
}

/// A message, as MESSAGE_CREATE (member messages, with `member`) and REST replies send it.
pub fn message(config: &FakeConfig, m: &RecordedMessage) -> Value {
    let attachments: Vec<Value> = m.attachments.iter().map(attachment).collect();
    let mut value = json!({
        "id": m.id.to_string(), "channel_id": m.channel_id.to_string(),
        "author": user_by_id(config, m.author_id), "content": m.content,
        "timestamp": m.timestamp, "edited_timestamp": null, "tts": false,
        "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": attachments, "embeds": m.embeds, "components": m.components,
        "pinned": false, "type": 0, "flags": m.flags,
    });
    if let Some(guild_id) = m.guild_id {
        value["guild_id"] = json!(guild_id.to_string());
        if let Some((_, member_cfg)) = config.member(m.author_id).filter(|_| !m.by_bot) {
            value["member"] = partial_member(guild_id, member_cfg);
        }
    }
    value
}

/// A file as messages and `resolved.attachments` carry it.
pub fn attachment(a: &RecordedAttachment) -> Value {
    let mut value = json!({
        "id": a.id.to_string(), "filename": a.filename, "size": a.size, "url": a.url,
        "proxy_url": a.url, "content_type": a.content_type,
    });
    if let Some(secs) = a.duration_secs {
        // A voice message's file: its length and a (flat) base64 waveform, as Discord sends.
        value["duration_secs"] = json!(secs);
        value["waveform"] = json!("AAAAAAAAAAAA");
    }
    value
}

/// MESSAGE_REACTION_ADD (`add`) or MESSAGE_REACTION_REMOVE.
pub fn reaction(
    config: &FakeConfig,
    channel: u64,
    message: u64,
    guild: u64,
    user: u64,
    emoji: &str,
    add: bool,
) -> Value {
    let mut value = json!({
        "channel_id": channel.to_string(), "message_id": message.to_string(),
        "guild_id": guild.to_string(), "user_id": user.to_string(), "emoji": emoji_json(emoji),
        "burst": false, "type": 0,
    });
    if add {
        if let Some((_, m)) = config.member(user) {
            value["member"] = member(guild, m);
        }
    }
    value
}

/// `👍` is a unicode emoji; `name:id` (as in a reaction URL) a custom one.
pub fn emoji_json(emoji: &str) -> Value {
    match emoji.split_once(':') {
        Some((name, id)) if id.parse::<u64>().is_ok() => json!({"id": id, "name": name}),
        _ => json!({"id": null, "name": emoji}),
    }
}

/// A registered command as the PUT response echoes it back.
pub fn command(app_id: u64, guild_id: Option<u64>, id: u64, body: &Value) -> Value {
    let mut value = body.clone();
    if !value.is_object() {
        value = json!({});
    }
    value["id"] = json!(id.to_string());
    value["application_id"] = json!(app_id.to_string());
    value["version"] = json!(id.to_string());
    if value.get("type").is_none() {
        value["type"] = json!(1);
    }
    if value.get("description").is_none() {
        value["description"] = json!("");
    }
    if let Some(g) = guild_id {
        value["guild_id"] = json!(g.to_string());
    }
    value
}

/// `GET /oauth2/applications/@me`; the guild owners own the application.
pub fn application_info(config: &FakeConfig) -> Value {
    let owner = config.guilds.first().map_or(1, |g| g.owner_id);
    json!({
        "id": config.bot_id.to_string(), "name": config.bot_name, "icon": null,
        "description": "Mockingbird on the fake Discord", "bot_public": true,
        "bot_require_code_grant": false, "verify_key": "00", "flags": 0,
        "owner": user_by_id(config, owner), "bot": bot_user(config),
    })
}

/// Discord's error body; `code` 0 is "general error".
pub fn error(message: &str, code: u64) -> Value {
    json!({"message": message, "code": code})
}
