//! The bot's configuration, read from the environment (through clap, see [`RunArgs`]) once at
//! start-up and validated there: a missing or malformed variable stops the bot with a message
//! that names it and the form it wants. Secrets (the Discord token, the database URL, which may
//! hold a password) are wrapped so that neither `Debug` nor `Display` can print them.

use std::time::Duration;

use crate::interview::design::DesignRound;
use crate::scoring::llm::LlmConfig;
use crate::speech::SttConfig;

mod args;

use args::ShardIds;
pub use args::{config_error, RunArgs};

pub use crate::secret::Secret;

/// The same error the LLM settings use: a configuration problem names the variable and the
/// form it should take, whichever part of the configuration it is in.
pub use crate::config::ConfigError;

/// Everything `mockingbird run` needs.
#[derive(Debug, Clone)]
pub struct BotConfig {
    pub discord_token: Secret,
    pub database_url: Secret,
    /// Register the commands in this guild only (instant), rather than globally (up to an hour).
    pub dev_guild_id: Option<u64>,
    /// Send REST through this base URL (a rate-limiting proxy, or the local fake Discord)
    /// instead of `https://discord.com`. serenity's own rate limiter is off then: the proxy is
    /// ignored while it is on, and a proxy that shares rate limits across processes is why one
    /// is used.
    pub discord_api_base: Option<String>,
    /// `None`: the offline scorer scores every answer.
    pub llm: Option<LlmConfig>,
    /// Scoring jobs this process works on at once.
    pub scoring_workers: usize,
    /// How often idle interviews and scores not yet posted are looked for.
    pub sweep_interval: Duration,
    /// How long the data of a guild that removed the bot is kept, in case it comes back.
    pub left_guild_purge_after: Duration,
    /// How long a scoring job's claim holds without renewal (renewed while scoring).
    pub scoring_lease: Duration,
    /// The port `/healthz` and `/metrics` are served on.
    pub port: u16,
    /// Which gateway shards this process runs.
    pub shards: Shards,
    /// The soft time boxes of a design round's stages.
    pub design_round: DesignRound,
    /// Speech-to-text for voice-message answers; `None` refuses them.
    pub stt: Option<SttConfig>,
    /// Text-to-speech for questions read aloud; `None` offers none.
    pub tts: Option<crate::speech::TtsConfig>,
}

/// The gateway shards of one process: `first..=last` out of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    pub count: u32,
    pub first: u32,
    pub last: u32,
}

impl Default for Shards {
    fn default() -> Self {
        Shards {
            count: 1,
            first: 0,
            last: 0,
        }
    }
}

impl Shards {
    /// From `SHARD_COUNT` and `SHARD_IDS`: every shard when the ids are not given, and the ids
    /// only out of a count.
    fn new(count: Option<u32>, ids: Option<ShardIds>) -> Result<Shards, ConfigError> {
        let Some(count) = count else {
            return match ids {
                Some(ids) => Err(ConfigError::bad(
                    "SHARD_IDS",
                    &ids.text,
                    "set SHARD_COUNT too: the ids are out of a total",
                )),
                None => Ok(Shards::default()),
            };
        };
        match ids {
            None => Ok(Shards {
                count,
                first: 0,
                last: count - 1,
            }),
            Some(ids) if ids.last < count => Ok(Shards {
                count,
                first: ids.first,
                last: ids.last,
            }),
            Some(ids) => Err(ConfigError::bad(
                "SHARD_IDS",
                &ids.text,
                args::SHARD_IDS_EXPECTED,
            )),
        }
    }
}

impl BotConfig {
    /// From `mockingbird run`'s arguments, and the LLM and speech settings from the process
    /// environment.
    pub fn from_args(args: RunArgs) -> Result<BotConfig, ConfigError> {
        BotConfig::from_args_and(args, |name| std::env::var(name).ok())
    }

    /// From `run`'s arguments and any lookup of the LLM and speech variables (a test's map).
    /// What one value cannot tell on its own is checked here: the secrets, which no value parser
    /// sees because clap's errors quote the value, and the shard ids against their count.
    fn from_args_and(
        args: RunArgs,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<BotConfig, ConfigError> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        // Blank counts as unset, as for every other setting.
        let set = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        let token = set(args.discord_token).ok_or(ConfigError::Missing {
            var: "DISCORD_TOKEN",
            expected: "the bot token from the Discord developer portal (Bot → Reset Token)",
        })?;
        let token = token.trim();
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ConfigError::Invalid {
                var: "DISCORD_TOKEN",
                expected: "a bot token without spaces (did you paste more than the token?)",
            });
        }
        let database_url = set(args.database_url).ok_or(ConfigError::Missing {
            var: "DATABASE_URL",
            expected: "a PostgreSQL URL, e.g. postgres://user:password@localhost:5432/mockingbird",
        })?;
        let database_url = database_url.trim();
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(ConfigError::Invalid {
                var: "DATABASE_URL",
                expected: "a URL starting with postgres:// or postgresql://",
            });
        }
        Ok(BotConfig {
            discord_token: Secret::new(token),
            database_url: Secret::new(database_url),
            dev_guild_id: args.dev_guild_id,
            discord_api_base: args.discord_api_base,
            llm: LlmConfig::from_lookup(get)?,
            scoring_workers: args.scoring_workers,
            sweep_interval: args.sweep_interval_secs,
            scoring_lease: args.scoring_lease_secs,
            left_guild_purge_after: args.left_guild_purge_days,
            port: args.port,
            shards: Shards::new(args.shard_count, args.shard_ids)?,
            design_round: args.design_stage_minutes,
            stt: SttConfig::from_lookup(get)?,
            tts: crate::speech::TtsConfig::from_lookup(get)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use clap::{Args, FromArgMatches};

    use super::*;

    /// `run` with these flags, and these LLM and speech variables. clap would also read the
    /// bot's variables from this process's environment (the tests run with DATABASE_URL set),
    /// so that is turned off here: what a test gives is all there is.
    fn config_with(flags: &[&str], vars: &[(&str, &str)]) -> Result<BotConfig, String> {
        let cmd = RunArgs::augment_args(clap::Command::new("run")).mut_args(|a| a.env(None));
        let matches = cmd
            .try_get_matches_from(std::iter::once("run").chain(flags.iter().copied()))
            .map_err(|e| config_error(&e).map_or(e.to_string(), ToString::to_string))?;
        let args = RunArgs::from_arg_matches(&matches).map_err(|e| e.to_string())?;
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        BotConfig::from_args_and(args, |name| vars.get(name).map(|v| v.to_string()))
            .map_err(|e| e.to_string())
    }

    const MINIMAL: [&str; 4] = [
        "--discord-token",
        "abc.def.ghi",
        "--database-url",
        "postgres://bot:hunter2@db:5432/mockingbird",
    ];

    /// A token, a database and these flags.
    fn config(flags: &[&str]) -> Result<BotConfig, String> {
        config_with(&[&MINIMAL[..], flags].concat(), &[])
    }

    #[test]
    fn a_token_and_a_database_are_enough() {
        let c = config(&[]).unwrap();
        assert_eq!(c.discord_token.expose(), "abc.def.ghi");
        assert!(c.llm.is_none() && c.stt.is_none() && c.tts.is_none());
        assert_eq!(c.dev_guild_id, None);
        assert_eq!(c.discord_api_base, None);
        assert_eq!(c.scoring_workers, 4);
        assert_eq!(c.sweep_interval, Duration::from_secs(30));
        assert_eq!(c.scoring_lease, Duration::from_secs(60));
        let thirty_days = Duration::from_secs(30 * 24 * 60 * 60);
        assert_eq!(c.left_guild_purge_after, thirty_days);
        assert_eq!(c.port, 8080);
        assert_eq!(c.shards, Shards::default());
        assert_eq!(c.design_round, DesignRound::default());
    }

    #[test]
    fn a_blank_setting_counts_as_unset() {
        let c = config(&[
            "--scoring-workers",
            " ",
            "--dev-guild-id",
            "",
            "--shard-ids",
            " ",
            "--design-stage-minutes",
            "",
        ])
        .unwrap();
        assert_eq!(c.scoring_workers, 4);
        assert_eq!(c.dev_guild_id, None);
        assert_eq!(c.shards, Shards::default());
        assert_eq!(c.design_round, DesignRound::default());
    }

    #[test]
    fn good_values_are_taken() {
        let c = config(&[
            "--dev-guild-id",
            "123",
            "--discord-api-base",
            "http://127.0.0.1:3000/",
            "--sweep-interval-secs",
            "0.3",
            "--left-guild-purge-days",
            "0",
            "--port",
            "0",
        ])
        .unwrap();
        assert_eq!(c.dev_guild_id, Some(123));
        assert_eq!(c.discord_api_base.as_deref(), Some("http://127.0.0.1:3000"));
        assert_eq!(c.sweep_interval, Duration::from_millis(300));
        assert_eq!(c.left_guild_purge_after, Duration::ZERO);
        assert_eq!(c.port, 0);
    }

    #[test]
    fn a_bad_value_is_named_with_the_form_it_wants() {
        let cases = [
            (
                "--dev-guild-id",
                "my-server",
                "DEV_GUILD_ID=\"my-server\" is not valid: a server id (a number; Developer Mode \
                 → right-click the server → Copy ID)",
            ),
            (
                "--discord-api-base",
                "localhost:3000",
                "DISCORD_API_BASE=\"localhost:3000\" is not valid: an http(s) base URL such as \
                 http://127.0.0.1:3000 (no /api path)",
            ),
            (
                "--scoring-workers",
                "65",
                "SCORING_WORKERS=\"65\" is not valid: a whole number from 1 to 64",
            ),
            (
                "--sweep-interval-secs",
                "0",
                "SWEEP_INTERVAL_SECS=\"0\" is not valid: seconds, above 0, at most 3600",
            ),
            (
                "--scoring-lease-secs",
                "0.5",
                "SCORING_LEASE_SECS=\"0.5\" is not valid: seconds, from 1 to 3600",
            ),
            (
                "--left-guild-purge-days",
                "a month",
                "LEFT_GUILD_PURGE_DAYS=\"a month\" is not valid: whole days, from 0 (at the next \
                 sweep) to 3650",
            ),
            (
                "--port",
                "65536",
                "PORT=\"65536\" is not valid: a TCP port, 0 to 65535 (0: any free port)",
            ),
            (
                "--shard-count",
                "0",
                "SHARD_COUNT=\"0\" is not valid: a whole number of shards, 1 or more",
            ),
            (
                "--shard-ids",
                "3-1",
                "SHARD_IDS=\"3-1\" is not valid: a shard id or a range of them, e.g. 0 or 0-3, \
                 each below SHARD_COUNT",
            ),
            (
                "--design-stage-minutes",
                "5,5",
                "DESIGN_STAGE_MINUTES=\"5,5\" is not valid: five whole numbers of minutes, \
                 comma-separated, for clarify, estimate, design, each deep-dive probe and \
                 wrap-up (e.g. 5,5,15,5,5)",
            ),
        ];
        for (flag, value, message) in cases {
            let err = config(&[flag, value]).unwrap_err();
            assert_eq!(err, message);
        }
    }

    #[test]
    fn a_missing_or_blank_token_or_database_is_named() {
        let err = config_with(&MINIMAL[2..], &[]).unwrap_err();
        assert!(err.starts_with("DISCORD_TOKEN is not set: "), "{err}");
        let err = config_with(&["--discord-token", " ", "--database-url", "x"], &[]).unwrap_err();
        assert!(err.starts_with("DISCORD_TOKEN is not set: "), "{err}");
        let err = config_with(&MINIMAL[..2], &[]).unwrap_err();
        assert!(err.starts_with("DATABASE_URL is not set: "), "{err}");
    }

    #[test]
    fn a_malformed_secret_is_named_without_echoing_it() {
        let flags = [
            "--discord-token",
            "t",
            "--database-url",
            "mysql://root:hunter2@db",
        ];
        let err = config_with(&flags, &[]).unwrap_err();
        assert_eq!(
            err,
            "DATABASE_URL is not valid: a URL starting with postgres:// or postgresql://"
        );
        let flags = [
            "--discord-token",
            "Bot s3cr3t",
            "--database-url",
            MINIMAL[3],
        ];
        let err = config_with(&flags, &[]).unwrap_err();
        assert!(err.starts_with("DISCORD_TOKEN is not valid: "), "{err}");
        assert!(!err.contains("s3cr3t"), "{err}");
    }

    #[test]
    fn an_llm_without_a_model_is_named() {
        let vars = [("LLM_BASE_URL", "http://127.0.0.1:11434/v1")];
        let err = config_with(&MINIMAL, &vars).unwrap_err();
        assert!(err.contains("LLM_MODEL"), "{err}");
    }

    #[test]
    fn shards_are_a_count_and_a_range_of_ids() {
        let shards = |flags: &[&str]| config(flags).map(|c| c.shards);
        let all = Shards {
            count: 4,
            first: 0,
            last: 3,
        };
        assert_eq!(shards(&["--shard-count", "4"]).unwrap(), all);
        let two = Shards {
            count: 4,
            first: 2,
            last: 3,
        };
        assert_eq!(
            shards(&["--shard-count", "4", "--shard-ids", "2-3"]),
            Ok(two)
        );
        let one = Shards {
            count: 2,
            first: 1,
            last: 1,
        };
        assert_eq!(shards(&["--shard-count", "2", "--shard-ids", "1"]), Ok(one));
        let err = shards(&["--shard-count", "2", "--shard-ids", "2"]).unwrap_err();
        assert!(err.starts_with("SHARD_IDS=\"2\" is not valid: "), "{err}");
        let err = shards(&["--shard-ids", "0"]).unwrap_err();
        assert_eq!(
            err,
            "SHARD_IDS=\"0\" is not valid: set SHARD_COUNT too: the ids are out of a total"
        );
    }

    #[test]
    fn secrets_never_print() {
        let shown = format!("{:?}", config(&[]).unwrap());
        assert!(!shown.contains("abc.def.ghi"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
