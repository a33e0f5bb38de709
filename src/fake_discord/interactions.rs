//! INTERACTION_CREATE payloads: slash commands (with subcommands and typed options),
//! autocomplete requests and component clicks, as Discord sends them to a bot in a guild.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::config::{FakeConfig, FakeGuild, FakeMember, ALL_PERMISSIONS};
use super::payloads::{member, user};

/// A slash command option's value. In JSON (the control API) plain values map to strings,
/// integers, numbers and booleans; `{"user": id}`, `{"channel": id}` and `{"role": id}` name
/// the other option types.
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
}

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
        }
    }

    fn json(&self) -> Value {
        match self {
            Self::Bool(b) => json!(b),
            Self::Integer(i) => json!(i),
            Self::Number(n) => json!(n),
            Self::String(s) => json!(s),
            Self::User { user: id } | Self::Channel { channel: id } | Self::Role { role: id } => {
                json!(id.to_string())
            }
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
pub fn command_data(
    config: &FakeConfig,
    command_id: u64,
    cmd: &SlashCommand,
    focused: Option<&str>,
) -> Value {
    let mut words = cmd.name.split_whitespace();
    let root = words.next().unwrap_or_default();
    let options: Vec<Value> = cmd
        .options
        .iter()
        .map(|(name, value)| {
            if focused == Some(name.as_str()) {
                let partial = value
                    .json()
                    .as_str()
                    .map_or_else(|| value.json().to_string(), str::to_owned);
                json!({"name": name, "type": value.kind(), "value": partial, "focused": true})
            } else {
                json!({"name": name, "type": value.kind(), "value": value.json()})
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
        "resolved": resolved(config, cmd),
    })
}

/// `resolved.users`/`members` for user options, which serenity and poise read the user from.
fn resolved(config: &FakeConfig, cmd: &SlashCommand) -> Value {
    let mut users = serde_json::Map::new();
    let mut members = serde_json::Map::new();
    let mut channels = serde_json::Map::new();
    let mut roles = serde_json::Map::new();
    for (_, value) in &cmd.options {
        match value {
            OptionValue::User { user: id } => {
                users.insert(id.to_string(), super::payloads::user_by_id(config, *id));
                if let Some((g, m)) = config.member(*id) {
                    members.insert(id.to_string(), super::payloads::partial_member(g.id, m));
                }
            }
            OptionValue::Channel { channel: id } => {
                let name = config
                    .guilds
                    .iter()
                    .flat_map(|g| &g.channels)
                    .find(|c| c.id == *id)
                    .map_or("thread", |c| c.name.as_str());
                channels.insert(id.to_string(), super::payloads::resolved_channel(*id, name));
            }
            OptionValue::Role { role: id } => {
                let role = config
                    .guilds
                    .iter()
                    .flat_map(|g| &g.roles)
                    .find(|r| r.id == *id);
                let (name, permissions) =
                    role.map_or(("role", 0), |r| (r.name.as_str(), r.permissions));
                roles.insert(
                    id.to_string(),
                    super::payloads::role(*id, name, permissions, 1),
                );
            }
            _ => {}
        }
    }
    json!({"users": users, "members": members, "channels": channels, "roles": roles})
}

/// The `data` of a component interaction: a button click, or a string select with `values`.
pub fn component_data(custom_id: &str, values: Option<&[String]>) -> Value {
    match values {
        None => json!({"custom_id": custom_id, "component_type": 2}),
        Some(values) => json!({"custom_id": custom_id, "component_type": 3, "values": values}),
    }
}

/// A whole INTERACTION_CREATE payload. `kind`: 2 command, 3 component, 4 autocomplete.
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
