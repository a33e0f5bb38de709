//! Text to speech, for questions read aloud: the question's text is sent to an
//! OpenAI-compatible `POST /v1/audio/speech` endpoint (OpenAI's `tts-1`, or a self-hosted
//! server such as Kokoro-FastAPI, openedai-speech or LocalAI) and comes back as Ogg Opus, the
//! format of Discord's own voice messages. Configured by `TTS_*` variables, read and checked at
//! start-up like the speech-to-text ones; the key is a [`Secret`].
//!
//! Reading a question aloud is a courtesy on top of its text: callers treat a failure as "no
//! audio this time", never as a failed question.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use serde_json::json;

use super::client::{
    backoff, http_client, read_body, retry_after, status_error, transport, MAX_RETRY_AFTER,
};
use super::config::{normalise_base, without_credentials};
use super::SpeechError;
use crate::config::ConfigError;
use crate::config::{api_key, ranged, unless_blank};
use crate::secret::Secret;

const DEFAULT_MODEL: &str = "tts-1";
const DEFAULT_VOICE: &str = "alloy";
const DEFAULT_TIMEOUT_SECS: u64 = 30;
const DEFAULT_MAX_RETRIES: u32 = 1;
/// OpenAI's limit on the text of one request; a longer question is read up to it.
pub const MAX_INPUT_CHARS: usize = 4096;

/// Everything the speaker needs to reach an OpenAI-compatible speech endpoint.
#[derive(Clone)]
pub struct TtsConfig {
    /// The server's root, ending in `/`; requests go to `{base_url}v1/audio/speech`.
    pub base_url: Url,
    pub model: String,
    pub voice: String,
    pub api_key: Option<Secret>,
    /// Per attempt, connection to last byte.
    pub timeout: Duration,
    /// Retries after the first attempt, for timeouts, connection errors, 429 and 5xx.
    pub max_retries: u32,
}

impl fmt::Debug for TtsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TtsConfig")
            .field("base_url", &without_credentials(&self.base_url).as_str())
            .field("model", &self.model)
            .field("voice", &self.voice)
            .field("api_key", &self.api_key)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish()
    }
}

impl TtsConfig {
    /// From the process environment; `Ok(None)` when `TTS_BASE_URL` is unset (no spoken
    /// questions).
    pub fn from_env() -> Result<Option<TtsConfig>, ConfigError> {
        TtsConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// From any variable lookup. `Ok(None)` when `TTS_BASE_URL` is unset or blank.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<TtsConfig>, ConfigError> {
        let get = unless_blank(get);
        let Some(base) = get("TTS_BASE_URL") else {
            return Ok(None);
        };
        let mut config = TtsConfig {
            base_url: normalise_base("TTS_BASE_URL", &base)?,
            model: DEFAULT_MODEL.to_owned(),
            voice: DEFAULT_VOICE.to_owned(),
            api_key: None,
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            max_retries: DEFAULT_MAX_RETRIES,
        };
        if let Some(model) = get("TTS_MODEL") {
            config.model = model.trim().to_owned();
        }
        if let Some(voice) = get("TTS_VOICE") {
            config.voice = voice.trim().to_owned();
        }
        config.api_key = get("TTS_API_KEY")
            .map(|k| api_key("TTS_API_KEY", &k))
            .transpose()?;
        if let Some(v) = get("TTS_TIMEOUT_SECS") {
            let secs: u64 = ranged(
                "TTS_TIMEOUT_SECS",
                &v,
                1..=300,
                "whole seconds from 1 to 300",
            )?;
            config.timeout = Duration::from_secs(secs);
        }
        if let Some(v) = get("TTS_MAX_RETRIES") {
            config.max_retries = ranged("TTS_MAX_RETRIES", &v, 0..=5, "a number from 0 to 5")?;
        }
        Ok(Some(config))
    }

    /// Where speech is requested: `{base_url}v1/audio/speech`.
    pub fn endpoint(&self) -> Url {
        let mut url = self.base_url.clone();
        let path = format!("{}v1/audio/speech", url.path());
        url.set_path(&path);
        url
    }
}

/// A text-to-speech client for one server, model and voice.
#[derive(Debug)]
pub struct Speaker {
    http: reqwest::Client,
    config: TtsConfig,
}

impl Speaker {
    pub fn new(config: TtsConfig) -> Result<Speaker, SpeechError> {
        let http = http_client(config.timeout)?;
        Ok(Speaker { http, config })
    }

    pub fn config(&self) -> &TtsConfig {
        &self.config
    }

    /// `text` read aloud, as Ogg Opus bytes: POSTs `{"model", "voice", "input",
    /// "response_format": "opus"}` with bearer auth when a key is set, retrying what may pass
    /// as the transcriber does. Text past [`MAX_INPUT_CHARS`] is left out; an empty reply is
    /// [`SpeechError::Empty`].
    pub async fn speak(&self, text: &str) -> Result<Vec<u8>, SpeechError> {
        let input: String = text.trim().chars().take(MAX_INPUT_CHARS).collect();
        let body = json!({
            "model": self.config.model,
            "voice": self.config.voice,
            "input": input,
            "response_format": "opus",
        });
        let mut attempt = 0u32;
        loop {
            let (error, wait) = match self.send(&body).await {
                Ok(audio) => return Ok(audio),
                Err(failure) => failure,
            };
            if !error.transient() || attempt >= self.config.max_retries {
                return Err(error);
            }
            let wait = wait.map_or_else(|| backoff(attempt), |w| w.min(MAX_RETRY_AFTER));
            tracing::warn!(%error, attempt = attempt + 1, "text-to-speech call failed; retrying");
            attempt += 1;
            tokio::time::sleep(wait).await;
        }
    }

    async fn send(
        &self,
        body: &serde_json::Value,
    ) -> Result<Vec<u8>, (SpeechError, Option<Duration>)> {
        let mut request = self.http.post(self.config.endpoint()).json(body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(|e| (transport(&e), None))?;
        let status = response.status();
        let wait = retry_after(response.headers());
        let audio = read_body(response).await.map_err(|e| (e, wait))?;
        if !status.is_success() {
            let error = status_error(status, &audio, self.config.api_key.as_ref());
            return Err((error, wait));
        }
        if audio.is_empty() {
            return Err((SpeechError::Empty, None));
        }
        Ok(audio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(vars: &[(&str, &str)]) -> Result<Option<TtsConfig>, ConfigError> {
        TtsConfig::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn unset_means_no_spoken_questions_and_defaults_fill_the_rest() {
        assert!(parse(&[]).unwrap().is_none());
        assert!(parse(&[("TTS_BASE_URL", " ")]).unwrap().is_none());
        let c = parse(&[("TTS_BASE_URL", "http://127.0.0.1:8880/v1/audio/speech")])
            .unwrap()
            .unwrap();
        assert_eq!(
            c.endpoint().as_str(),
            "http://127.0.0.1:8880/v1/audio/speech"
        );
        assert_eq!((c.model.as_str(), c.voice.as_str()), ("tts-1", "alloy"));
        let c = parse(&[
            ("TTS_BASE_URL", "https://api.openai.com"),
            ("TTS_VOICE", "nova"),
            ("TTS_MODEL", "gpt-4o-mini-tts"),
            ("TTS_MAX_RETRIES", "0"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            c.endpoint().as_str(),
            "https://api.openai.com/v1/audio/speech"
        );
        assert_eq!(
            (c.model.as_str(), c.voice.as_str(), c.max_retries),
            ("gpt-4o-mini-tts", "nova", 0)
        );
    }

    #[test]
    fn bad_values_name_their_variable_and_keys_stay_secret() {
        let err = parse(&[("TTS_BASE_URL", "ftp://x")]).unwrap_err();
        assert!(err.to_string().contains("TTS_BASE_URL"), "{err}");
        let err = parse(&[("TTS_BASE_URL", "http://x"), ("TTS_TIMEOUT_SECS", "0")]).unwrap_err();
        assert!(err.to_string().contains("TTS_TIMEOUT_SECS"), "{err}");
        let err = parse(&[("TTS_BASE_URL", "http://x"), ("TTS_API_KEY", "sk secret")]).unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        let c = parse(&[
            ("TTS_BASE_URL", "http://u:pw@x"),
            ("TTS_API_KEY", "sk-tts-123"),
        ])
        .unwrap()
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("sk-tts-123") && !shown.contains("pw"),
            "{shown}"
        );
    }
}
