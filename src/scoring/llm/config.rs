//! LLM configuration, read from the environment once at start-up and validated there, so a
//! typo fails fast with the variable's name instead of surfacing as a scoring failure later.
//! The API key is wrapped so that neither `Debug` nor `Display` can print it.

use std::ops::Bound;
use std::str::FromStr;
use std::time::Duration;

use reqwest::Url;

pub use crate::config::ConfigError;
use crate::config::{api_key, ranged, unless_blank};

/// An API key: a [`crate::secret::Secret`], printed as `[redacted]` in any form.
pub type ApiKey = crate::secret::Secret;

/// How the reply is constrained to JSON, strongest first. Servers differ: OpenAI, vLLM and
/// Ollama take a JSON schema; llama-cpp-python rejects `json_schema` (HTTP 500) but takes
/// `json_object`; anything else gets plain text that we extract JSON from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum JsonMode {
    Text = 0,
    Object = 1,
    Schema = 2,
}

impl JsonMode {
    pub fn as_str(self) -> &'static str {
        match self {
            JsonMode::Schema => "schema",
            JsonMode::Object => "object",
            JsonMode::Text => "text",
        }
    }

    /// The next weaker mode, for a server that rejects this one.
    pub fn step_down(self) -> Option<JsonMode> {
        match self {
            JsonMode::Schema => Some(JsonMode::Object),
            JsonMode::Object => Some(JsonMode::Text),
            JsonMode::Text => None,
        }
    }

    pub(crate) fn from_u8(v: u8) -> JsonMode {
        match v {
            2 => JsonMode::Schema,
            1 => JsonMode::Object,
            _ => JsonMode::Text,
        }
    }
}

impl FromStr for JsonMode {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "schema" | "json_schema" => Ok(JsonMode::Schema),
            "object" | "json_object" => Ok(JsonMode::Object),
            "text" => Ok(JsonMode::Text),
            _ => Err(()),
        }
    }
}

/// When and how long to wait before trying a failed request again.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt, for connection errors, timeouts, 429 and 5xx.
    pub max_retries: u32,
    /// The first backoff; it doubles each retry, with jitter.
    pub base_delay: Duration,
    /// The longest backoff between two attempts.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the offline scorer takes over.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(20),
        }
    }
}

/// Everything the LLM scorer needs to reach its server.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// The Chat Completions endpoint, e.g. `http://localhost:11434/v1/chat/completions`.
    pub endpoint: Url,
    pub api_key: Option<ApiKey>,
    pub model: String,
    /// Per request, connection to last byte.
    pub timeout: Duration,
    pub max_tokens: u32,
    /// The strongest JSON mode to try; the client steps down from it when the server refuses.
    pub json_mode: JsonMode,
    /// Requests in flight at once, per process.
    pub concurrency: usize,
    pub retry: RetryPolicy,
}

impl LlmConfig {
    /// A configuration with the defaults, for a server at `base_url` (`…/v1`).
    pub fn new(base_url: &str, model: &str) -> Result<LlmConfig, ConfigError> {
        Ok(LlmConfig {
            endpoint: endpoint(base_url)?,
            api_key: None,
            model: model.to_string(),
            timeout: Duration::from_secs(30),
            max_tokens: 600,
            json_mode: JsonMode::Schema,
            concurrency: 4,
            retry: RetryPolicy::default(),
        })
    }

    /// From the process environment; `Ok(None)` when `LLM_BASE_URL` is unset (no LLM).
    pub fn from_env() -> Result<Option<LlmConfig>, ConfigError> {
        LlmConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// From any variable lookup (the environment, a test's map).
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<LlmConfig>, ConfigError> {
        let get = unless_blank(get);
        let Some(base) = get("LLM_BASE_URL") else {
            return Ok(None);
        };
        let model = get("LLM_MODEL").ok_or(ConfigError::Missing {
            var: "LLM_MODEL",
            expected: "the model name the server knows, e.g. gpt-4o-mini or llama3.2",
        })?;
        let mut config = LlmConfig::new(&base, model.trim())?;
        config.api_key = get("LLM_API_KEY")
            .map(|k| api_key("LLM_API_KEY", &k))
            .transpose()?;
        if let Some(v) = get("LLM_TIMEOUT_SECS") {
            let above_zero = (Bound::Excluded(0.0), Bound::Included(600.0));
            let secs = ranged(
                "LLM_TIMEOUT_SECS",
                &v,
                above_zero,
                "seconds, above 0, at most 600",
            )?;
            config.timeout = Duration::from_secs_f64(secs);
        }
        if let Some(v) = get("LLM_MAX_TOKENS") {
            config.max_tokens = ranged(
                "LLM_MAX_TOKENS",
                &v,
                200..=8192,
                "a whole number from 200 to 8192",
            )?;
        }
        if let Some(v) = get("LLM_JSON_MODE") {
            config.json_mode = v
                .parse()
                .map_err(|()| ConfigError::bad("LLM_JSON_MODE", &v, "schema, object or text"))?;
        }
        if let Some(v) = get("LLM_CONCURRENCY") {
            config.concurrency = ranged(
                "LLM_CONCURRENCY",
                &v,
                1..=256,
                "a whole number from 1 to 256",
            )?;
        }
        if let Some(v) = get("LLM_MAX_RETRIES") {
            config.retry.max_retries =
                ranged("LLM_MAX_RETRIES", &v, 0..=10, "a whole number from 0 to 10")?;
        }
        Ok(Some(config))
    }
}

/// `…/v1` → `…/v1/chat/completions`; a URL that already ends so is kept. The value is not
/// echoed in errors: a URL may carry credentials.
fn endpoint(base: &str) -> Result<Url, ConfigError> {
    const EXPECTED: &str = "an http(s) URL ending in /v1, e.g. http://localhost:11434/v1";
    let invalid = ConfigError::Invalid {
        var: "LLM_BASE_URL",
        expected: EXPECTED,
    };
    let base = base.trim().trim_end_matches('/');
    let full = if base.ends_with("/chat/completions") {
        base.to_string()
    } else {
        format!("{base}/chat/completions")
    };
    let url = Url::parse(&full).map_err(|_| invalid.clone())?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || url.query().is_some() {
        return Err(invalid);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(vars: &[(&str, &str)]) -> Result<Option<LlmConfig>, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        LlmConfig::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn no_base_url_means_no_llm() {
        assert!(parse(&[("LLM_MODEL", "m")]).expect("valid").is_none());
    }

    #[test]
    fn the_endpoint_is_derived_from_the_base_url() {
        let config = parse(&[
            ("LLM_BASE_URL", "http://localhost:11434/v1/"),
            ("LLM_MODEL", "m"),
        ])
        .expect("valid")
        .expect("configured");
        assert_eq!(
            config.endpoint.as_str(),
            "http://localhost:11434/v1/chat/completions"
        );
        assert_eq!(config.json_mode, JsonMode::Schema);
    }

    #[test]
    fn errors_name_the_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("LLM_BASE_URL", "http://x/v1")], "LLM_MODEL"),
            (
                &[("LLM_BASE_URL", "ftp://x"), ("LLM_MODEL", "m")],
                "LLM_BASE_URL",
            ),
            (
                &[("LLM_BASE_URL", "not a url"), ("LLM_MODEL", "m")],
                "LLM_BASE_URL",
            ),
        ];
        for (vars, var) in cases {
            let err = parse(vars).expect_err("invalid").to_string();
            assert!(err.starts_with(var), "{err}");
        }
        let base = [("LLM_BASE_URL", "http://x/v1"), ("LLM_MODEL", "m")];
        for (var, value) in [
            ("LLM_TIMEOUT_SECS", "soon"),
            ("LLM_TIMEOUT_SECS", "0"),
            ("LLM_MAX_TOKENS", "10"),
            ("LLM_JSON_MODE", "yaml"),
            ("LLM_CONCURRENCY", "0"),
            ("LLM_MAX_RETRIES", "-1"),
        ] {
            let mut vars = base.to_vec();
            vars.push((var, value));
            let err = parse(&vars).expect_err(var).to_string();
            assert!(err.starts_with(&format!("{var}=")), "{err}");
        }
    }

    #[test]
    fn the_key_never_prints() {
        let config = parse(&[
            ("LLM_BASE_URL", "https://api.example.com/v1"),
            ("LLM_MODEL", "m"),
            ("LLM_API_KEY", "sk-secret-123"),
        ])
        .expect("valid")
        .expect("configured");
        let debug = format!("{config:?}");
        assert!(!debug.contains("sk-secret-123"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
        let key = config.api_key.expect("key");
        assert_eq!(key.to_string(), "[redacted]");
        assert_eq!(key.expose(), "sk-secret-123");
    }

    #[test]
    fn json_modes_step_down_to_text() {
        assert_eq!(JsonMode::Schema.step_down(), Some(JsonMode::Object));
        assert_eq!(JsonMode::Object.step_down(), Some(JsonMode::Text));
        assert_eq!(JsonMode::Text.step_down(), None);
        for m in [JsonMode::Schema, JsonMode::Object, JsonMode::Text] {
            assert_eq!(JsonMode::from_u8(m as u8), m);
            assert_eq!(m.as_str().parse(), Ok(m));
        }
    }
}
