//! The world the fake Discord starts with: the bot's own identity and the guilds, channels,
//! roles and members it can see. Tests build one (or take [`FakeConfig::default`], a single
//! study-group server) so every id a test uses is known in advance instead of scraped from
//! payloads.

use serde::{Deserialize, Serialize};

/// Every permission bit Discord defines today; given to the bot and to organisers.
pub const ALL_PERMISSIONS: u64 = (1 << 51) - 1;
/// Manage Server (`MANAGE_GUILD`), what organiser commands require.
pub const MANAGE_GUILD: u64 = 1 << 5;
/// The permissions of an ordinary member: view channels, send messages (also in threads),
/// read history, add reactions, use application commands, create threads.
pub const MEMBER_PERMISSIONS: u64 =
    (1 << 10) | (1 << 11) | (1 << 16) | (1 << 6) | (1 << 31) | (1 << 35) | (1 << 36) | (1 << 38);

/// The fake Discord's whole starting world.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FakeConfig {
    /// The bot user's id; also the application id, as for most real bots.
    pub bot_id: u64,
    pub bot_name: String,
    /// Milliseconds between the client's heartbeats, sent in HELLO.
    pub heartbeat_interval_ms: u64,
    pub guilds: Vec<FakeGuild>,
}

/// One server the bot is in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FakeGuild {
    pub id: u64,
    pub name: String,
    pub owner_id: u64,
    /// Text channels (type 0); threads are created at run time by the bot.
    pub channels: Vec<FakeChannel>,
    /// Roles besides `@everyone`, whose id is the guild's id.
    pub roles: Vec<FakeRole>,
    pub members: Vec<FakeMember>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FakeChannel {
    pub id: u64,
    pub name: String,
    /// The bot lacks Create Public/Private Threads here: opening a thread is refused with
    /// Discord's 403 "Missing Permissions".
    #[serde(default)]
    pub no_threads_for_bot: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FakeRole {
    pub id: u64,
    pub name: String,
    pub permissions: u64,
}

/// A human member the tests act as.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FakeMember {
    pub id: u64,
    pub username: String,
    pub roles: Vec<u64>,
    /// The member's resolved permissions in every channel, as Discord sends them in
    /// interactions (`member.permissions`), which is what permission checks read.
    pub permissions: u64,
}

impl FakeMember {
    pub fn new(id: u64, username: &str, permissions: u64) -> Self {
        Self {
            id,
            username: username.to_owned(),
            roles: Vec::new(),
            permissions,
        }
    }
}

/// Ids of [`FakeConfig::default`], named so tests read as sentences.
pub mod ids {
    pub const BOT: u64 = 100;
    pub const GUILD: u64 = 1000;
    pub const GENERAL: u64 = 2000;
    pub const QOTD: u64 = 2001;
    /// A channel where the bot may not open threads.
    pub const LOCKED: u64 = 2002;
    /// The guild's owner, with every permission.
    pub const ORGANISER: u64 = 3000;
    pub const ALICE: u64 = 3001;
    pub const BOB: u64 = 3002;
    pub const CAROL: u64 = 3003;
}

impl Default for FakeConfig {
    /// One guild with `#general` and `#qotd`; an organiser who owns it and three members.
    fn default() -> Self {
        let member = |id, name| FakeMember::new(id, name, MEMBER_PERMISSIONS);
        Self {
            bot_id: ids::BOT,
            bot_name: "Mockingbird".to_owned(),
            heartbeat_interval_ms: 41_250,
            guilds: vec![FakeGuild {
                id: ids::GUILD,
                name: "Study Group".to_owned(),
                owner_id: ids::ORGANISER,
                channels: vec![
                    FakeChannel {
                        id: ids::GENERAL,
                        name: "general".to_owned(),
                        no_threads_for_bot: false,
                    },
                    FakeChannel {
                        id: ids::QOTD,
                        name: "qotd".to_owned(),
                        no_threads_for_bot: false,
                    },
                    FakeChannel {
                        id: ids::LOCKED,
                        name: "announcements".to_owned(),
                        no_threads_for_bot: true,
                    },
                ],
                roles: Vec::new(),
                members: vec![
                    FakeMember::new(ids::ORGANISER, "organiser", ALL_PERMISSIONS),
                    member(ids::ALICE, "alice"),
                    member(ids::BOB, "bob"),
                    member(ids::CAROL, "carol"),
                ],
            }],
        }
    }
}

impl FakeConfig {
    pub fn guild(&self, id: u64) -> Option<&FakeGuild> {
        self.guilds.iter().find(|g| g.id == id)
    }

    /// The guild a configured text channel belongs to.
    pub fn guild_of_channel(&self, channel: u64) -> Option<&FakeGuild> {
        self.guilds
            .iter()
            .find(|g| g.channels.iter().any(|c| c.id == channel))
    }

    /// A member and their guild; the first guild that has them.
    pub fn member(&self, user: u64) -> Option<(&FakeGuild, &FakeMember)> {
        self.guilds
            .iter()
            .find_map(|g| g.members.iter().find(|m| m.id == user).map(|m| (g, m)))
    }
}
