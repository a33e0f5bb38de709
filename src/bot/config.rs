//! The bot's configuration, read from the environment once at start-up and validated there: a
//! missing or malformed variable stops the bot with a message that names it and the form it
//! wants. Secrets (the Discord token, the database URL, which may hold a password) are wrapped
//! so that neither `Debug` nor `Display` can print them.

use std::time::Duration;

use crate::interview::design::DesignRound;
use crate::scoring::llm::LlmConfig;
use crate::speech::SttConfig;

pub use crate::secret::Secret;

/// The same error the LLM settings use: a configuration problem names the variable and the
/// form it should take, whichever part of the configuration it is in.
pub use crate::scoring::llm::ConfigError;

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
    /// From `SHARD_COUNT` and `SHARD_IDS` ("3", or a range "0-3"); every shard when the ids
    /// are not given.
    fn parse(count: Option<&str>, ids: Option<&str>) -> Result<Shards, ConfigError> {
        let Some(count_text) = count else {
            if let Some(ids) = ids {
                return Err(bad(
                    "SHARD_IDS",
                    ids,
                    "set SHARD_COUNT too: the ids are out of a total",
                ));
            }
            return Ok(Shards::default());
        };
        let count = match count_text.trim().parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(bad(
                    "SHARD_COUNT",
                    count_text,
                    "a whole number of shards, 1 or more",
                ))
            }
        };
        let expected = "a shard id or a range of them, e.g. 0 or 0-3, each below SHARD_COUNT";
        let (first, last) = match ids.map(str::trim) {
            None => (0, count - 1),
            Some(text) => {
                let parsed = match text.split_once('-') {
                    Some((a, b)) => a.trim().parse().ok().zip(b.trim().parse().ok()),
                    None => text.parse().ok().map(|n| (n, n)),
                };
                match parsed {
                    Some((a, b)) if a <= b && b < count => (a, b),
                    _ => return Err(bad("SHARD_IDS", text, expected)),
                }
            }
        };
        Ok(Shards { count, first, last })
    }
}

impl BotConfig {
    /// From the process environment.
    pub fn from_env() -> Result<BotConfig, ConfigError> {
        BotConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// From any variable lookup (the environment, a test's map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<BotConfig, ConfigError> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let token = get("DISCORD_TOKEN").ok_or(ConfigError::Missing {
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
        let database_url = get("DATABASE_URL").ok_or(ConfigError::Missing {
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
        let dev_guild_id = get("DEV_GUILD_ID")
            .map(|v| match v.trim().parse::<u64>() {
                Ok(id) if id > 0 => Ok(id),
                _ => Err(bad(
                    "DEV_GUILD_ID",
                    &v,
                    "a server id (a number; Developer Mode → right-click the server → Copy ID)",
                )),
            })
            .transpose()?;
        let discord_api_base = get("DISCORD_API_BASE")
            .map(|v| {
                let base = v.trim().trim_end_matches('/');
                let scheme_ok = base.starts_with("http://") || base.starts_with("https://");
                match reqwest::Url::parse(base) {
                    Ok(url) if scheme_ok && url.host().is_some() => Ok(base.to_owned()),
                    _ => Err(bad(
                        "DISCORD_API_BASE",
                        &v,
                        "an http(s) base URL such as http://127.0.0.1:3000 (no /api path)",
                    )),
                }
            })
            .transpose()?;
        let scoring_workers = match get("SCORING_WORKERS") {
            None => 4,
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if (1..=64).contains(&n) => n,
                _ => return Err(bad("SCORING_WORKERS", &v, "a whole number from 1 to 64")),
            },
        };
        let sweep_interval = match get("SWEEP_INTERVAL_SECS") {
            None => Duration::from_secs(30),
            Some(v) => match v.trim().parse::<f64>() {
                Ok(s) if s > 0.0 && s <= 3600.0 => Duration::from_secs_f64(s),
                _ => {
                    return Err(bad(
                        "SWEEP_INTERVAL_SECS",
                        &v,
                        "seconds, above 0, at most 3600",
                    ))
                }
            },
        };
        let scoring_lease = match get("SCORING_LEASE_SECS") {
            None => Duration::from_secs(60),
            Some(v) => match v.trim().parse::<f64>() {
                Ok(s) if (1.0..=3600.0).contains(&s) => Duration::from_secs_f64(s),
                _ => return Err(bad("SCORING_LEASE_SECS", &v, "seconds, from 1 to 3600")),
            },
        };
        let left_guild_purge_after = match get("LEFT_GUILD_PURGE_DAYS") {
            None => Duration::from_secs(30 * DAY_SECS),
            Some(v) => match v.trim().parse::<u64>() {
                Ok(days) if days <= 3650 => Duration::from_secs(days * DAY_SECS),
                _ => {
                    return Err(bad(
                        "LEFT_GUILD_PURGE_DAYS",
                        &v,
                        "whole days, from 0 (at the next sweep) to 3650",
                    ))
                }
            },
        };
        let port = match get("PORT") {
            None => 8080,
            Some(v) => match v.trim().parse::<u16>() {
                Ok(p) => p,
                _ => return Err(bad("PORT", &v, "a TCP port, 0 to 65535 (0: any free port)")),
            },
        };
        let shards = Shards::parse(get("SHARD_COUNT").as_deref(), get("SHARD_IDS").as_deref())?;
        let design_round = match get("DESIGN_STAGE_MINUTES") {
            None => DesignRound::default(),
            Some(v) => DesignRound::from_minutes(&v).map_err(|_| {
                bad(
                    "DESIGN_STAGE_MINUTES",
                    &v,
                    "five whole numbers of minutes, comma-separated, for clarify, estimate, \
                     design, each deep-dive probe and wrap-up (e.g. 5,5,15,5,5)",
                )
            })?,
        };
        Ok(BotConfig {
            discord_token: Secret::new(token),
            database_url: Secret::new(database_url),
            dev_guild_id,
            discord_api_base,
            llm: LlmConfig::from_lookup(get)?,
            scoring_workers,
            sweep_interval,
            scoring_lease,
            left_guild_purge_after,
            port,
            shards,
            design_round,
            stt: SttConfig::from_lookup(get)?,
            tts: crate::speech::TtsConfig::from_lookup(get)?,
        })
    }
}

const DAY_SECS: u64 = 24 * 60 * 60;

fn bad(var: &'static str, value: &str, expected: &'static str) -> ConfigError {
    ConfigError::BadValue {
        var,
        value: value.to_owned(),
        expected,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<BotConfig, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        BotConfig::from_lookup(|name| map.get(name).cloned())
    }

    const MINIMAL: [(&str, &str); 2] = [
        ("DISCORD_TOKEN", "abc.def.ghi"),
        ("DATABASE_URL", "postgres://bot:hunter2@db:5432/mockingbird"),
    ];

    #[test]
    fn a_token_and_a_database_are_enough() {
        let c = config(&MINIMAL).unwrap();
        assert!(c.llm.is_none());
        assert_eq!(c.dev_guild_id, None);
        assert_eq!(c.scoring_workers, 4);
    }

    #[test]
    fn a_left_guild_keeps_its_data_thirty_days_unless_told_otherwise() {
        let days = |d: u64| Duration::from_secs(d * DAY_SECS);
        assert_eq!(config(&MINIMAL).unwrap().left_guild_purge_after, days(30));
        let mut vars = MINIMAL.to_vec();
        vars.push(("LEFT_GUILD_PURGE_DAYS", "0"));
        assert_eq!(config(&vars).unwrap().left_guild_purge_after, days(0));
        vars.push(("LEFT_GUILD_PURGE_DAYS", "a month"));
        let err = config(&vars).unwrap_err().to_string();
        assert!(err.contains("LEFT_GUILD_PURGE_DAYS=\"a month\""), "{err}");
    }

    #[test]
    fn a_missing_token_is_named() {
        let err = config(&MINIMAL[1..]).unwrap_err().to_string();
        assert!(err.starts_with("DISCORD_TOKEN is not set"), "{err}");
    }

    #[test]
    fn a_missing_database_is_named() {
        let err = config(&MINIMAL[..1]).unwrap_err().to_string();
        assert!(err.starts_with("DATABASE_URL is not set"), "{err}");
    }

    #[test]
    fn a_malformed_database_url_is_named_without_echoing_it() {
        let err = config(&[
            ("DISCORD_TOKEN", "t"),
            ("DATABASE_URL", "mysql://root:hunter2@db"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("DATABASE_URL is not valid"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn a_guild_id_must_be_a_number() {
        let mut vars = MINIMAL.to_vec();
        vars.push(("DEV_GUILD_ID", "my-server"));
        let err = config(&vars).unwrap_err().to_string();
        assert!(err.contains("DEV_GUILD_ID=\"my-server\""), "{err}");
    }

    #[test]
    fn an_api_base_must_be_an_http_url() {
        let mut vars = MINIMAL.to_vec();
        vars.push(("DISCORD_API_BASE", "localhost:3000"));
        let err = config(&vars).unwrap_err().to_string();
        assert!(err.contains("DISCORD_API_BASE"), "{err}");
        let mut vars = MINIMAL.to_vec();
        vars.push(("DISCORD_API_BASE", "http://127.0.0.1:3000/"));
        let c = config(&vars).unwrap();
        assert_eq!(c.discord_api_base.as_deref(), Some("http://127.0.0.1:3000"));
    }

    #[test]
    fn an_llm_without_a_model_is_named() {
        let mut vars = MINIMAL.to_vec();
        vars.push(("LLM_BASE_URL", "http://127.0.0.1:11434/v1"));
        let err = config(&vars).unwrap_err().to_string();
        assert!(err.contains("LLM_MODEL"), "{err}");
    }

    #[test]
    fn shards_are_a_count_and_a_range_of_ids() {
        let parse = |c: Option<&str>, i: Option<&str>| Shards::parse(c, i);
        assert_eq!(parse(None, None).unwrap(), Shards::default());
        let all = Shards {
            count: 4,
            first: 0,
            last: 3,
        };
        assert_eq!(parse(Some("4"), None).unwrap(), all);
        let two = Shards {
            count: 4,
            first: 2,
            last: 3,
        };
        assert_eq!(parse(Some("4"), Some("2-3")).unwrap(), two);
        let one = Shards {
            count: 2,
            first: 1,
            last: 1,
        };
        assert_eq!(parse(Some("2"), Some("1")).unwrap(), one);
        let err = parse(Some("2"), Some("2")).unwrap_err().to_string();
        assert!(err.starts_with("SHARD_IDS=\"2\""), "{err}");
        let err = parse(None, Some("0")).unwrap_err().to_string();
        assert!(err.contains("SHARD_COUNT"), "{err}");
        assert!(parse(Some("0"), None).is_err());
    }

    #[test]
    fn secrets_never_print() {
        let c = config(&MINIMAL).unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("abc.def.ghi"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
