//! `mockingbird run`'s settings as clap arguments: each one an environment variable (the way a
//! deployment sets them) or the flag of the same name, so that `mockingbird run --help` lists
//! every variable with its default and meaning. Each value is checked here, on its own, with the
//! message the bot has always given (`SCORING_WORKERS="many" is not valid: a whole number from 1
//! to 64`); what needs more than one value, and the secrets, are checked in
//! [`super::BotConfig::from_args`].

use std::ffi::OsStr;
use std::ops::Bound;
use std::time::Duration;

use clap::builder::TypedValueParser;

use crate::config::{ranged, ConfigError};
use crate::interview::design::DesignRound;

/// Everything `mockingbird run` reads besides the LLM and speech settings (LLM_*, STT_*,
/// TTS_*), which the practice commands share and which are read from the environment as they
/// are there.
#[derive(Clone, clap::Args)]
#[command(
    after_help = "Every setting is an environment variable, or the flag of the same name; a .env \
                  file in the working directory is read too, and the environment wins over it. \
                  An empty variable counts as unset. The LLM (LLM_*), speech-to-text (STT_*) and \
                  text-to-speech (TTS_*) settings are read from the environment as well: see \
                  .env.example."
)]
pub struct RunArgs {
    /// The bot token from the Discord developer portal (Bot → Reset Token); required. Prefer the
    /// variable: a flag shows in the process list.
    // Checked in `BotConfig::from_args`, not by a value parser: clap's errors quote the value.
    #[arg(long, env = "DISCORD_TOKEN", hide_env_values = true)]
    pub(super) discord_token: Option<String>,

    /// The PostgreSQL database, e.g. postgres://user:password@localhost:5432/mockingbird;
    /// required.
    // Checked in `BotConfig::from_args` like the token: the URL may hold a password.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub(super) database_url: Option<String>,

    /// Register the slash commands in this server only (instant) instead of globally (up to an
    /// hour to appear). Unset: globally.
    // Spelled `std::option::Option` so that clap's derive does not make this an optional
    // argument: it would then want a parser of `u64`, which has no answer for a blank variable.
    // `IfSet` gives `None` for a blank value, and the hidden empty default for an absent one.
    #[arg(
        long,
        env = "DEV_GUILD_ID",
        value_parser = IfSet(dev_guild_id),
        default_value = "",
        hide_default_value = true
    )]
    pub(super) dev_guild_id: std::option::Option<u64>,

    /// Send Discord REST through this base URL (a rate-limiting proxy, or the local fake
    /// Discord) instead of https://discord.com; serenity's own rate limiter is off then.
    #[arg(
        long,
        env = "DISCORD_API_BASE",
        value_parser = IfSet(discord_api_base),
        default_value = "",
        hide_default_value = true
    )]
    pub(super) discord_api_base: std::option::Option<String>,

    /// Scoring jobs this process works on at once, 1 to 64.
    #[arg(long, env = "SCORING_WORKERS", value_parser = Setting(scoring_workers), default_value = "4")]
    pub(super) scoring_workers: usize,

    /// How often idle interviews are ended and scores not yet posted are posted, in seconds.
    #[arg(long, env = "SWEEP_INTERVAL_SECS", value_parser = Setting(sweep_interval), default_value = "30")]
    pub(super) sweep_interval_secs: Duration,

    /// How long a scoring job's claim holds without renewal (renewed while scoring), in seconds:
    /// a crashed process's jobs are picked up again after this.
    #[arg(long, env = "SCORING_LEASE_SECS", value_parser = Setting(scoring_lease), default_value = "60")]
    pub(super) scoring_lease_secs: Duration,

    /// Days a server that removed the bot keeps its data, in case it adds the bot back; then
    /// every trace of it is purged (0: at the next sweep).
    #[arg(long, env = "LEFT_GUILD_PURGE_DAYS", value_parser = Setting(left_guild_purge), default_value = "30")]
    pub(super) left_guild_purge_days: Duration,

    /// The HTTP port /healthz and /metrics are served on (0: any free port).
    #[arg(long, env = "PORT", value_parser = Setting(port), default_value = "8080")]
    pub(super) port: u16,

    /// Gateway shards in all, for a bot in thousands of servers (Discord requires sharding from
    /// 2,500). Unset: 1.
    #[arg(
        long,
        env = "SHARD_COUNT",
        value_parser = IfSet(shard_count),
        default_value = "",
        hide_default_value = true
    )]
    pub(super) shard_count: std::option::Option<u32>,

    /// The shards this process runs, out of SHARD_COUNT: one id or a range such as 0-3. Unset:
    /// every shard.
    #[arg(
        long,
        env = "SHARD_IDS",
        value_parser = IfSet(shard_ids),
        default_value = "",
        hide_default_value = true
    )]
    pub(super) shard_ids: std::option::Option<ShardIds>,

    /// A system-design round's soft time boxes, in minutes: clarify, estimate, design, each
    /// deep-dive probe, wrap-up. Shown and timed, never enforced.
    #[arg(
        long,
        env = "DESIGN_STAGE_MINUTES",
        value_parser = Setting(design_stage_minutes),
        default_value = "5,5,15,5,5"
    )]
    pub(super) design_stage_minutes: DesignRound,
}

/// The `ConfigError` behind clap's refusal of one of [`RunArgs`]' values, for the caller to
/// print in the words the bot has always used rather than wrapped in clap's
/// (`invalid value 'many' for '--scoring-workers <SCORING_WORKERS>': …`).
pub fn config_error(err: &clap::Error) -> Option<&ConfigError> {
    std::error::Error::source(err)?.downcast_ref()
}

/// `SHARD_IDS` as written: which shards, and the text, for the message if it turns out not to
/// fit `SHARD_COUNT` (which only [`super::Shards::new`] sees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ShardIds {
    pub(super) first: u32,
    pub(super) last: u32,
    pub(super) text: String,
}

/// A setting's parser that names its variable in its errors, with what every defaulted setting
/// shares: a blank value is the default. `.env.example` and compose files write `NAME=` for
/// "not set", as the bot has always read it, but clap hands the empty string to the parser.
#[derive(Clone)]
struct Setting<T>(fn(&str) -> Result<T, ConfigError>);

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Setting<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let default = arg.and_then(|a| a.get_default_values().first());
        let value = match default {
            Some(default) if is_blank(value) => default.as_os_str(),
            _ => value,
        };
        self.0.parse_ref(cmd, arg, value)
    }
}

/// [`Setting`] for a setting without a default: a blank value, like an absent one, is `None`.
#[derive(Clone)]
struct IfSet<T>(fn(&str) -> Result<T, ConfigError>);

impl<T: Clone + Send + Sync + 'static> TypedValueParser for IfSet<T> {
    type Value = Option<T>;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Option<T>, clap::Error> {
        if is_blank(value) {
            return Ok(None);
        }
        self.0.parse_ref(cmd, arg, value).map(Some)
    }
}

fn is_blank(value: &OsStr) -> bool {
    value.to_str().is_some_and(|v| v.trim().is_empty())
}

const DAY_SECS: u64 = 24 * 60 * 60;

fn dev_guild_id(v: &str) -> Result<u64, ConfigError> {
    ranged(
        "DEV_GUILD_ID",
        v,
        1..,
        "a server id (a number; Developer Mode → right-click the server → Copy ID)",
    )
}

/// Without a trailing slash: the REST client appends `/api/…` to it.
fn discord_api_base(v: &str) -> Result<String, ConfigError> {
    let base = v.trim().trim_end_matches('/');
    let scheme_ok = base.starts_with("http://") || base.starts_with("https://");
    match reqwest::Url::parse(base) {
        Ok(url) if scheme_ok && url.host().is_some() => Ok(base.to_owned()),
        _ => Err(ConfigError::bad(
            "DISCORD_API_BASE",
            v,
            "an http(s) base URL such as http://127.0.0.1:3000 (no /api path)",
        )),
    }
}

fn scoring_workers(v: &str) -> Result<usize, ConfigError> {
    ranged("SCORING_WORKERS", v, 1..=64, "a whole number from 1 to 64")
}

fn sweep_interval(v: &str) -> Result<Duration, ConfigError> {
    let above_zero = (Bound::Excluded(0.0), Bound::Included(3600.0));
    let expected = "seconds, above 0, at most 3600";
    ranged("SWEEP_INTERVAL_SECS", v, above_zero, expected).map(Duration::from_secs_f64)
}

fn scoring_lease(v: &str) -> Result<Duration, ConfigError> {
    let expected = "seconds, from 1 to 3600";
    ranged("SCORING_LEASE_SECS", v, 1.0..=3600.0, expected).map(Duration::from_secs_f64)
}

fn left_guild_purge(v: &str) -> Result<Duration, ConfigError> {
    let expected = "whole days, from 0 (at the next sweep) to 3650";
    let days: u64 = ranged("LEFT_GUILD_PURGE_DAYS", v, ..=3650, expected)?;
    Ok(Duration::from_secs(days * DAY_SECS))
}

fn port(v: &str) -> Result<u16, ConfigError> {
    ranged("PORT", v, .., "a TCP port, 0 to 65535 (0: any free port)")
}

fn shard_count(v: &str) -> Result<u32, ConfigError> {
    ranged("SHARD_COUNT", v, 1.., "a whole number of shards, 1 or more")
}

pub(super) const SHARD_IDS_EXPECTED: &str =
    "a shard id or a range of them, e.g. 0 or 0-3, each below SHARD_COUNT";

/// "3" or "0-3"; whether they are below `SHARD_COUNT` is [`super::Shards::new`]'s to say.
fn shard_ids(v: &str) -> Result<ShardIds, ConfigError> {
    let text = v.trim();
    let parsed = match text.split_once('-') {
        Some((a, b)) => a.trim().parse().ok().zip(b.trim().parse().ok()),
        None => text.parse().ok().map(|n| (n, n)),
    };
    match parsed {
        Some((first, last)) if first <= last => Ok(ShardIds {
            first,
            last,
            text: text.to_owned(),
        }),
        _ => Err(ConfigError::bad("SHARD_IDS", text, SHARD_IDS_EXPECTED)),
    }
}

fn design_stage_minutes(v: &str) -> Result<DesignRound, ConfigError> {
    DesignRound::from_minutes(v).map_err(|_| {
        ConfigError::bad(
            "DESIGN_STAGE_MINUTES",
            v,
            "five whole numbers of minutes, comma-separated, for clarify, estimate, design, each \
             deep-dive probe and wrap-up (e.g. 5,5,15,5,5)",
        )
    })
}
