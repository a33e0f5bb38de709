//! Speech-to-text configuration, read once at start-up from `STT_*` variables and validated
//! there, so a typo fails fast naming the variable instead of surfacing as a failed voice
//! answer mid-interview. It follows the LLM configuration's conventions (a lookup function,
//! `ConfigError`), and like it keeps the API key in a [`Secret`]: neither `Debug` nor any error
//! can print it.

use std::fmt;
use std::time::Duration;

use reqwest::Url;

use crate::config::{api_key, ranged, unless_blank, ConfigError};
use crate::secret::Secret;

/// OpenAI's hosted Whisper; self-hosted servers (faster-whisper-server, speaches, LocalAI)
/// take any model name and mostly ignore it.
const DEFAULT_MODEL: &str = "whisper-1";
const DEFAULT_TIMEOUT_SECS: u64 = 60;
const DEFAULT_MAX_RETRIES: u32 = 2;
/// Five minutes: a long spoken answer, well under what transcribes within the timeout.
const DEFAULT_MAX_DURATION_SECS: u32 = 300;
/// OpenAI's upload limit for `/v1/audio/transcriptions`.
const DEFAULT_MAX_BYTES: u64 = 25_000_000;

/// Everything the transcriber needs to reach an OpenAI-compatible transcription endpoint.
#[derive(Clone)]
pub struct SttConfig {
    /// The server's root, without `/v1` and ending in `/`, e.g. `https://api.openai.com/`;
    /// requests go to `{base_url}v1/audio/transcriptions` (see [`SttConfig::endpoint`]).
    pub base_url: Url,
    pub model: String,
    pub api_key: Option<Secret>,
    /// Per attempt, connection to last byte.
    pub timeout: Duration,
    /// Retries after the first attempt, for timeouts, connection errors, 429 and 5xx.
    pub max_retries: u32,
    /// The longest voice message accepted, in seconds; checked by the caller against the
    /// attachment's own duration before anything is downloaded.
    pub max_duration_secs: u32,
    /// The largest upload accepted, in bytes; larger audio is refused before it is sent.
    pub max_bytes: u64,
}

impl fmt::Debug for SttConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A URL may carry credentials (`https://user:pass@host`): show it without them.
        f.debug_struct("SttConfig")
            .field("base_url", &without_credentials(&self.base_url).as_str())
            .field("model", &self.model)
            .field("api_key", &self.api_key)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_duration_secs", &self.max_duration_secs)
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

impl SttConfig {
    /// A configuration with the defaults for a server at `base_url` (with or without `/v1`).
    pub fn new(base_url: &str) -> Result<SttConfig, ConfigError> {
        Ok(SttConfig {
            base_url: normalise_base("STT_BASE_URL", base_url)?,
            model: DEFAULT_MODEL.to_string(),
            api_key: None,
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            max_retries: DEFAULT_MAX_RETRIES,
            max_duration_secs: DEFAULT_MAX_DURATION_SECS,
            max_bytes: DEFAULT_MAX_BYTES,
        })
    }

    /// From the process environment; `Ok(None)` when `STT_BASE_URL` is unset (no voice answers).
    pub fn from_env() -> Result<Option<SttConfig>, ConfigError> {
        SttConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// From any variable lookup (the environment, a test's map).
    /// `Ok(None)` when STT_BASE_URL is unset or blank.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<SttConfig>, ConfigError> {
        let get = unless_blank(get);
        let Some(base) = get("STT_BASE_URL") else {
            return Ok(None);
        };
        let mut config = SttConfig::new(&base)?;
        if let Some(model) = get("STT_MODEL") {
            config.model = model.trim().to_string();
        }
        config.api_key = get("STT_API_KEY")
            .map(|k| api_key("STT_API_KEY", &k))
            .transpose()?;
        if let Some(v) = get("STT_TIMEOUT_SECS") {
            let secs: u64 = ranged(
                "STT_TIMEOUT_SECS",
                &v,
                1..=600,
                "whole seconds from 1 to 600",
            )?;
            config.timeout = Duration::from_secs(secs);
        }
        if let Some(v) = get("STT_MAX_RETRIES") {
            config.max_retries = ranged("STT_MAX_RETRIES", &v, 0..=5, "a number from 0 to 5")?;
        }
        if let Some(v) = get("STT_MAX_DURATION_SECS") {
            config.max_duration_secs = ranged(
                "STT_MAX_DURATION_SECS",
                &v,
                1..=1800,
                "whole seconds from 1 to 1800",
            )?;
        }
        if let Some(v) = get("STT_MAX_BYTES") {
            config.max_bytes = ranged(
                "STT_MAX_BYTES",
                &v,
                1..=100_000_000,
                "a byte count from 1 to 100000000",
            )?;
        }
        Ok(Some(config))
    }

    /// Where transcriptions are posted: `{base_url}v1/audio/transcriptions`.
    pub fn endpoint(&self) -> Url {
        let mut url = self.base_url.clone();
        let path = format!("{}v1/audio/transcriptions", url.path());
        url.set_path(&path);
        url
    }
}

/// `https://host`, `https://host/`, `https://host/v1`, `https://host/v1/` (and the full
/// `…/v1/audio/transcriptions` or `…/v1/audio/speech`) all become `https://host/`; a proxy
/// prefix is kept (`https://gw/stt/v1` → `https://gw/stt/`). The value is not echoed in
/// errors: a URL may carry credentials. `var` names the variable in the error.
pub(super) fn normalise_base(var: &'static str, base: &str) -> Result<Url, ConfigError> {
    let invalid = ConfigError::Invalid {
        var,
        expected: "an http(s) URL, with or without /v1, e.g. https://api.openai.com or \
                   http://127.0.0.1:8000",
    };
    let mut url = Url::parse(base.trim()).map_err(|_| invalid.clone())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(invalid);
    }
    let mut path = url.path().trim_end_matches('/').to_string();
    for suffix in ["/audio/transcriptions", "/audio/speech", "/v1"] {
        if let Some(rest) = path.strip_suffix(suffix) {
            path = rest.to_string();
        }
    }
    path.push('/');
    url.set_path(&path);
    Ok(url)
}

pub(super) fn without_credentials(url: &Url) -> Url {
    let mut url = url.clone();
    let _ = url.set_password(None);
    let _ = url.set_username("");
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(vars: &[(&str, &str)]) -> Result<Option<SttConfig>, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SttConfig::from_lookup(|k| map.get(k).cloned())
    }

    fn configured(vars: &[(&str, &str)]) -> SttConfig {
        parse(vars).expect("valid").expect("configured")
    }

    #[test]
    fn no_base_url_means_no_speech_to_text() {
        assert!(parse(&[]).expect("valid").is_none());
        assert!(parse(&[("STT_BASE_URL", "  "), ("STT_MODEL", "m")])
            .expect("valid")
            .is_none());
    }

    #[test]
    fn defaults() {
        let config = configured(&[("STT_BASE_URL", "https://api.openai.com")]);
        assert_eq!(config.model, "whisper-1");
        assert!(config.api_key.is_none());
        assert_eq!(config.timeout, Duration::from_secs(60));
        assert_eq!(config.max_retries, 2);
        assert_eq!(config.max_duration_secs, 300);
        assert_eq!(config.max_bytes, 25_000_000);
    }

    #[test]
    fn every_variable_is_read() {
        let config = configured(&[
            ("STT_BASE_URL", "http://127.0.0.1:8000"),
            ("STT_MODEL", " Systran/faster-whisper-small "),
            ("STT_API_KEY", "sk-local"),
            ("STT_TIMEOUT_SECS", "5"),
            ("STT_MAX_RETRIES", "0"),
            ("STT_MAX_DURATION_SECS", "1800"),
            ("STT_MAX_BYTES", "1000"),
        ]);
        assert_eq!(config.model, "Systran/faster-whisper-small");
        assert_eq!(
            config.api_key.as_ref().map(Secret::expose),
            Some("sk-local")
        );
        assert_eq!(config.timeout, Duration::from_secs(5));
        assert_eq!(config.max_retries, 0);
        assert_eq!(config.max_duration_secs, 1800);
        assert_eq!(config.max_bytes, 1000);
    }

    #[test]
    fn a_trailing_v1_is_normalised_away() {
        for (base, endpoint) in [
            (
                "https://api.openai.com",
                "https://api.openai.com/v1/audio/transcriptions",
            ),
            (
                "https://api.openai.com/",
                "https://api.openai.com/v1/audio/transcriptions",
            ),
            (
                "https://api.openai.com/v1",
                "https://api.openai.com/v1/audio/transcriptions",
            ),
            (
                "https://api.openai.com/v1/",
                "https://api.openai.com/v1/audio/transcriptions",
            ),
            (
                "http://127.0.0.1:8000/v1/audio/transcriptions",
                "http://127.0.0.1:8000/v1/audio/transcriptions",
            ),
            (
                "https://gateway.example/stt/v1",
                "https://gateway.example/stt/v1/audio/transcriptions",
            ),
        ] {
            let config = configured(&[("STT_BASE_URL", base)]);
            assert!(config.base_url.path().ends_with('/'), "{base}");
            assert!(!config.base_url.path().contains("v1"), "{base}");
            assert_eq!(config.endpoint().as_str(), endpoint, "{base}");
        }
    }

    #[test]
    fn bad_values_name_the_variable_and_the_form() {
        for base in ["ftp://host", "not a url", "http://host/v1?x=1", "/v1"] {
            let err = parse(&[("STT_BASE_URL", base)]).expect_err(base);
            assert!(
                matches!(
                    err,
                    ConfigError::Invalid {
                        var: "STT_BASE_URL",
                        ..
                    }
                ),
                "{err}"
            );
        }
        let base = ("STT_BASE_URL", "http://127.0.0.1:8000");
        for (var, value) in [
            ("STT_TIMEOUT_SECS", "soon"),
            ("STT_TIMEOUT_SECS", "0"),
            ("STT_TIMEOUT_SECS", "601"),
            ("STT_TIMEOUT_SECS", "1.5"),
            ("STT_MAX_RETRIES", "-1"),
            ("STT_MAX_RETRIES", "6"),
            ("STT_MAX_DURATION_SECS", "0"),
            ("STT_MAX_DURATION_SECS", "1801"),
            ("STT_MAX_BYTES", "0"),
            ("STT_MAX_BYTES", "100000001"),
            ("STT_MAX_BYTES", "25MB"),
        ] {
            let err = parse(&[base, (var, value)]).expect_err(var);
            assert!(
                matches!(&err, ConfigError::BadValue { var: v, value: got, .. }
                    if v == &var && got == value),
                "{err:?}"
            );
            let text = err.to_string();
            assert!(text.starts_with(&format!("{var}=")), "{text}");
            assert!(text.contains("from"), "the expected form: {text}");
        }
        let err = parse(&[base, ("STT_API_KEY", "sk has spaces")]).expect_err("key");
        assert!(!err.to_string().contains("sk has"), "{err}");
    }

    #[test]
    fn the_key_never_prints() {
        let config = configured(&[
            ("STT_BASE_URL", "https://user:hunter2@api.example.com/v1"),
            ("STT_API_KEY", "sk-secret-123"),
        ]);
        let debug = format!("{config:?}");
        assert!(!debug.contains("sk-secret-123"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
        assert!(debug.contains("api.example.com"), "{debug}");
    }
}
