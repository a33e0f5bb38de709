//! INTERACTION_CREATE payloads: slash commands (with subcommands and typed options),
//! autocomplete requests, component clicks and modal submits, as Discord sends them to a bot
//! in a guild.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::config::{FakeConfig, FakeGuild, FakeMember, ALL_PERMISSIONS};
use super::driver::MemberFile;
use super::payloads::{self, member, user};
use super::state::RecordedAttachment;

/// Discord's interaction types, as INTERACTION_CREATE's `type` carries them.
pub const COMMAND: u64 = 2;
pub const COMPONENT: u64 = 3;
pub const AUTOCOMPLETE: u64 = 4;
pub const MODAL_SUBMIT: u64 = 5;

/// A slash command option's value. In JSON (the control API) plain values map to strings,
/// integers, numbers and booleans; `{"user": id}`, `{"channel": id}` and `{"role": id}` name
/// the other option types, and `{"filename", "content_type", "content"}` a file the member
/// uploads with the command (see [`MemberFile`]). Discord stores an upload before it sends the
/// command, whose option then carries only the id, with the file in `resolved.attachments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OptionValue {
    Bool(bool),
    Integer(i64),
    Number(f64),
    String(String),
    User { user: u64 },
    Channel { channel: u64 },
    Role { role: u64 },
    Attachment(MemberFile),
}

/// The files of a command's attachment options once the fake has stored them, by option
/// name: the ids and URLs the payload refers to.
pub type Uploads = BTreeMap<String, RecordedAttachment>;

impl OptionValue {
    /// Discord's application command option type number.
    fn kind(&self) -> u64 {
        match self {
            Self::String(_) => 3,
            Self::Integer(_) => 4,
            Self::Bool(_) => 5,
            Self::User { .. } => 6,
            Self::Channel { .. } => 7,
            Self::Role { .. } => 8,
            Self::Number(_) => 10,
            Self::Attachment(_) => 11,
        }
    }

    /// The option's `value`. An attachment's is the id the fake gave its upload; without one
    /// it is `null`, which serenity refuses, so callers store the files first.
    fn json(&self, upload: Option<&RecordedAttachment>) -> Value {
        match self {
            Self::Bool(b) => json!(b),
            Self::Integer(i) => json!(i),
            Self::Number(n) => json!(n),
            Self::String(s) => json!(s),
            Self::User { user: id } | Self::Channel { channel: id } | Self::Role { role: id } => {
                json!(id.to_string())
            }
            Self::Attachment(_) => upload.map_or(Value::Null, |a| json!(a.id.to_string())),
        }
    }
}

impl From<&str> for OptionValue {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}
impl From<String> for OptionValue {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}
impl From<i64> for OptionValue {
    fn from(i: i64) -> Self {
        Self::Integer(i)
    }
}
impl From<bool> for OptionValue {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}
impl From<f64> for OptionValue {
    fn from(n: f64) -> Self {
        Self::Number(n)
    }
}
impl From<MemberFile> for OptionValue {
    fn from(file: MemberFile) -> Self {
        Self::Attachment(file)
    }
}

/// A slash command invocation: `name` is the full path, e.g. `"interview start"` or
/// `"qotd setup"`; the words after the first are the subcommand group and subcommand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SlashCommand {
    pub name: String,
    #[serde(default)]
    pub options: Vec<(String, OptionValue)>,
}

impl SlashCommand {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            options: Vec::new(),
        }
    }

    /// Adds an option (builder style).
    pub fn option(mut self, name: &str, value: impl Into<OptionValue>) -> Self {
        self.options.push((name.to_owned(), value.into()));
        self
    }

    /// Adds an attachment option: the member uploads `file` with the command.
    pub fn attachment(self, name: &str, file: MemberFile) -> Self {
        self.option(name, file)
    }

    /// The files of its attachment options, by option name.
    pub fn files(&self) -> impl Iterator<Item = (&str, &MemberFile)> {
        self.options.iter().filter_map(|(name, value)| match value {
            OptionValue::Attachment(file) => Some((name.as_str(), file)),
            _ => None,
        })
    }
}

/// Who acts and where: the envelope shared by every interaction.
pub struct Envelope<'a> {
    pub id: u64,
    pub token: &'a str,
    pub channel_id: u64,
    pub guild: &'a FakeGuild,
    pub member: &'a FakeMember,
}

/// The `data` of a command (type 2) or autocomplete (type 4) interaction. `focused` names the
/// option being typed, for autocomplete; its value is sent as the partial string typed so far.
/// `uploads` holds the stored files of the attachment options.
pub fn command_data(
    config: &FakeConfig,
    command_id: u64,
    cmd: &SlashCommand,
    focused: Option<&str>,
    uploads: &Uploads,
) -> Value {
    let mut words = cmd.name.split_whitespace();
    let root = words.next().unwrap_or_default();
    let options: Vec<Value> = cmd
        .options
        .iter()
        .map(|(name, value)| {
            let sent = value.json(uploads.get(name));
            if focused == Some(name.as_str()) {
                let partial = sent
                    .as_str()
                    .map_or_else(|| sent.to_string(), str::to_owned);
                json!({"name": name, "type": value.kind(), "value": partial, "focused": true})
            } else {
                json!({"name": name, "type": value.kind(), "value": sent})
            }
        })
        .collect();
    let path: Vec<&str> = words.collect();
    let options = match path.as_slice() {
        [] => options,
        [sub] => vec![json!({"name": sub, "type": 1, "options": options})],
        [group, sub, ..] => vec![json!({"name": group, "type": 2,
            "options": [{"name": sub, "type": 1, "options": options}]})],
    };
    json!({
        "id": command_id.to_string(), "name": root, "type": 1, "options": options,
        "resolved": resolved(config, cmd, uploads),
    })
}

/// `resolved`: the objects option values name, which serenity and poise read them from.
fn resolved(config: &FakeConfig, cmd: &SlashCommand, uploads: &Uploads) -> Value {
    let mut resolved = Resolved::default();
    for (name, value) in &cmd.options {
        resolved.add(config, value, uploads.get(name));
    }
    json!({
        "users": resolved.users, "members": resolved.members, "channels": resolved.channels,
        "roles": resolved.roles, "attachments": resolved.attachments,
    })
}

#[derive(Default)]
struct Resolved {
    users: Map<String, Value>,
    members: Map<String, Value>,
    channels: Map<String, Value>,
    roles: Map<String, Value>,
    attachments: Map<String, Value>,
}

impl Resolved {
    fn add(
        &mut self,
        config: &FakeConfig,
        value: &OptionValue,
        upload: Option<&RecordedAttachment>,
    ) {
        match value {
            OptionValue::User { user: id } => {
                self.users
                    .insert(id.to_string(), payloads::user_by_id(config, *id));
                if let Some((g, m)) = config.member(*id) {
                    self.members
                        .insert(id.to_string(), payloads::partial_member(g.id, m));
                }
            }
            OptionValue::Channel { channel: id } => {
                self.channels.insert(id.to_string(), channel(config, *id));
            }
            OptionValue::Role { role: id } => {
                self.roles.insert(id.to_string(), role(config, *id));
            }
            OptionValue::Attachment(_) => {
                if let Some(a) = upload {
                    self.attachments
                        .insert(a.id.to_string(), payloads::attachment(a));
                }
            }
            _ => {}
        }
    }
}

/// A configured channel as `resolved.channels` holds it; any other id is a thread.
fn channel(config: &FakeConfig, id: u64) -> Value {
    let name = config
        .guilds
        .iter()
        .flat_map(|g| &g.channels)
        .find(|c| c.id == id)
        .map_or("thread", |c| c.name.as_str());
    payloads::resolved_channel(id, name)
}

/// A configured role, or a placeholder for an id the config does not know.
fn role(config: &FakeConfig, id: u64) -> Value {
    let role = config
        .guilds
        .iter()
        .flat_map(|g| &g.roles)
        .find(|r| r.id == id);
    let (name, permissions) = role.map_or(("role", 0), |r| (r.name.as_str(), r.permissions));
    payloads::role(id, name, permissions, 1)
}

/// The `data` of a component interaction: a button click, or a string select with `values`.
pub fn component_data(custom_id: &str, values: Option<&[String]>) -> Value {
    match values {
        None => json!({"custom_id": custom_id, "component_type": 2}),
        Some(values) => json!({"custom_id": custom_id, "component_type": 3, "values": values}),
    }
}

/// The `data` of a modal submit: one action row per text input, each with what the member
/// left in it, as Discord sends every field of the modal.
pub fn modal_submit_data(custom_id: &str, values: &[(String, String)]) -> Value {
    let rows: Vec<Value> = values
        .iter()
        .map(|(field, value)| {
            json!({"type": 1, "components": [{"type": 4, "custom_id": field, "value": value}]})
        })
        .collect();
    json!({"custom_id": custom_id, "components": rows})
}

/// A whole INTERACTION_CREATE payload. `kind`: 2 command, 3 component, 4 autocomplete,
/// 5 modal submit.
pub fn interaction(config: &FakeConfig, env: &Envelope<'_>, kind: u64, data: Value) -> Value {
    json!({
        "id": env.id.to_string(), "application_id": config.bot_id.to_string(), "type": kind,
        "token": env.token, "version": 1, "locale": "en-US", "guild_locale": "en-US",
        "entitlements": [], "attachment_size_limit": 26_214_400,
        "channel_id": env.channel_id.to_string(), "guild_id": env.guild.id.to_string(),
        "member": member(env.guild.id, env.member), "user": user(env.member.id, &env.member.username, false),
        "app_permissions": ALL_PERMISSIONS.to_string(), "context": 0, "data": data,
    })
}
