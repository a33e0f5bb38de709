//! One transcription call against an OpenAI-compatible `/v1/audio/transcriptions` endpoint
//! (OpenAI's Whisper, faster-whisper-server/speaches, LocalAI, whisper.cpp's server), made
//! robust the way the LLM client is: a timeout per attempt, and retries with a short backoff for
//! what may pass (timeouts, connection errors, 429, 5xx) while other 4xx fail at once.
//!
//! Servers differ in what they send back, so the reply is read leniently: OpenAI's
//! `verbose_json` (text, duration, timed segments), a bare `{"text": …}` from servers that
//! ignore `response_format`, or a plain-text body.
//!
//! Errors end up in logs and in messages the candidate reads: they carry status codes and a
//! short, redacted excerpt of the server's own message, never the key, headers or URL.

use std::time::Duration;

// The `bytes` crate that reqwest's bodies are built on, re-exported by axum: the audio is
// shared between attempts instead of copied (it may be 25 MB).
use axum::body::Bytes;
use rand::Rng;
use reqwest::header::HeaderMap;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

use super::config::SttConfig;

/// Replies larger than this are not read: a verbose transcript of half an hour is well under.
const MAX_REPLY_BYTES: usize = 8 * 1024 * 1024;
/// The first backoff; it doubles each retry, with jitter.
const BASE_DELAY: Duration = Duration::from_millis(250);
const MAX_DELAY: Duration = Duration::from_secs(4);
/// The longest `Retry-After` honoured; a server asking for more gets this much.
pub(super) const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);
/// How much of a server's error message an error keeps.
const MAX_ERROR_CHARS: usize = 200;
/// The name a file is sent under when the caller has none: the server tells the format by the
/// extension, and Discord's voice messages are Ogg/Opus.
const FALLBACK_FILENAME: &str = "voice-message.ogg";

/// A stretch of the transcript with its timing, in seconds from the start of the audio.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Segment {
    pub start: f64,
    pub end: f64,
    pub text: String,
}

/// What was said. `text` is trimmed and never blank; `duration_secs` and `segments` are only
/// there when the server sent `verbose_json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Transcript {
    pub text: String,
    pub duration_secs: Option<f64>,
    pub segments: Vec<Segment>,
}

/// Why a transcription failed. The texts are for candidates and logs alike.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpeechError {
    #[error("the recording is {bytes} bytes, more than the {max_bytes} the transcriber accepts")]
    TooLarge { bytes: u64, max_bytes: u64 },
    #[error("the speech server did not answer in time")]
    Timeout,
    #[error("the speech server answered HTTP {status}: {body}")]
    Status { status: u16, body: String },
    #[error("could not reach the speech server: {0}")]
    Network(String),
    #[error("the speech server's reply was not usable: {0}")]
    InvalidReply(String),
    #[error("no speech was recognised in the recording")]
    Empty,
    #[error("the speech client could not be set up: {0}")]
    Setup(String),
}

impl SpeechError {
    /// A short name for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            SpeechError::TooLarge { .. } => "too_large",
            SpeechError::Timeout => "timeout",
            SpeechError::Status { status: 429, .. } => "rate_limited",
            SpeechError::Status { .. } => "status",
            SpeechError::Network(_) => "network",
            SpeechError::InvalidReply(_) => "invalid_reply",
            SpeechError::Empty => "empty",
            SpeechError::Setup(_) => "setup",
        }
    }

    /// Worth another attempt with the same request.
    pub(super) fn transient(&self) -> bool {
        match self {
            SpeechError::Timeout | SpeechError::Network(_) => true,
            SpeechError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// A transcription client for one server and model.
#[derive(Debug)]
pub struct Transcriber {
    http: reqwest::Client,
    config: SttConfig,
}

impl Transcriber {
    pub fn new(config: SttConfig) -> Result<Transcriber, SpeechError> {
        let http = http_client(config.timeout)?;
        Ok(Transcriber { http, config })
    }

    pub fn config(&self) -> &SttConfig {
        &self.config
    }

    /// POSTs `{base}/v1/audio/transcriptions` as multipart/form-data: `file` (the bytes, with
    /// `filename` and the content type when given), `model`, `response_format=verbose_json`;
    /// bearer auth when a key is set. Retries timeouts, connection errors, 429 and 5xx up to
    /// `max_retries` times (honouring `Retry-After` up to 10 s); other 4xx fail at once. A
    /// transcript of only whitespace is [`SpeechError::Empty`].
    pub async fn transcribe(
        &self,
        audio: Vec<u8>,
        filename: &str,
        content_type: Option<&str>,
    ) -> Result<Transcript, SpeechError> {
        let bytes = audio.len() as u64;
        if bytes > self.config.max_bytes {
            return Err(SpeechError::TooLarge {
                bytes,
                max_bytes: self.config.max_bytes,
            });
        }
        let audio = Bytes::from(audio);
        let filename = match filename.trim() {
            "" => FALLBACK_FILENAME,
            name => name,
        };
        let mut attempt = 0u32;
        loop {
            let (error, retry_after) = match self.send(&audio, filename, content_type).await {
                Ok(transcript) => return Ok(transcript),
                Err(failure) => failure,
            };
            if !error.transient() || attempt >= self.config.max_retries {
                return Err(error);
            }
            let wait = retry_after.map_or_else(|| backoff(attempt), |w| w.min(MAX_RETRY_AFTER));
            tracing::warn!(
                %error,
                attempt = attempt + 1,
                wait_ms = wait.as_millis() as u64,
                "speech-to-text call failed; retrying"
            );
            attempt += 1;
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt; a failure comes with the server's `Retry-After`, if it sent one.
    async fn send(
        &self,
        audio: &Bytes,
        filename: &str,
        content_type: Option<&str>,
    ) -> Result<Transcript, (SpeechError, Option<Duration>)> {
        let form = Form::new()
            .part("file", file_part(audio, filename, content_type))
            .text("model", self.config.model.clone())
            .text("response_format", "verbose_json");
        let mut request = self.http.post(self.config.endpoint()).multipart(form);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(|e| (transport(&e), None))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let reply_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let body = read_body(response).await.map_err(|e| (e, retry_after))?;
        if !status.is_success() {
            let error = status_error(status, &body, self.config.api_key.as_ref());
            return Err((error, retry_after));
        }
        transcript(&body, reply_type.as_deref()).map_err(|e| (e, None))
    }
}

/// The HTTP client of a speech server: `timeout` per attempt, connecting within at most 10 s.
pub(super) fn http_client(timeout: Duration) -> Result<reqwest::Client, SpeechError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("mockingbird/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| SpeechError::Setup(describe(&e)))
}

/// The `file` part. Built afresh for each attempt (a form cannot be sent twice); the audio
/// itself is shared, not copied.
fn file_part(audio: &Bytes, filename: &str, content_type: Option<&str>) -> Part {
    let part = || {
        Part::stream_with_length(reqwest::Body::from(audio.clone()), audio.len() as u64)
            .file_name(filename.to_string())
    };
    match content_type.map(str::trim).filter(|m| !m.is_empty()) {
        // A malformed type is left out rather than failing the answer: servers go by the
        // file name's extension anyway.
        Some(mime) => part().mime_str(mime).unwrap_or_else(|_| {
            tracing::debug!("ignoring an unparsable audio content type");
            part()
        }),
        None => part(),
    }
}

/// The backoff before retry number `retry` (0-based): `BASE_DELAY · 2^retry`, capped, with
/// "equal jitter" (a random point in the upper half) so that clients that failed together do
/// not retry together.
pub(super) fn backoff(retry: u32) -> Duration {
    let full = BASE_DELAY
        .saturating_mul(2u32.saturating_pow(retry.min(16)))
        .min(MAX_DELAY);
    let half = full / 2;
    half + half.mul_f64(rand::rng().random_range(0.0..=1.0))
}

/// The wait a 429 or 503 asks for, in seconds (`Retry-After`) or milliseconds (OpenAI's
/// `retry-after-ms`). HTTP dates are not honoured: the backoff is short either way.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|n| n.is_finite() && *n >= 0.0)
    };
    number("retry-after-ms")
        .map(|ms| ms / 1000.0)
        .or_else(|| number("retry-after"))
        .map(|secs| Duration::from_secs_f64(secs.min(86_400.0)))
}

pub(super) fn transport(e: &reqwest::Error) -> SpeechError {
    if e.is_timeout() {
        SpeechError::Timeout
    } else {
        SpeechError::Network(describe(e))
    }
}

/// What went wrong, without the URL reqwest's own message carries (it may hold credentials):
/// the kind of failure and the innermost cause, e.g. "connection failed (Connection refused
/// (os error 111))".
pub(super) fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "reading the reply failed"
    } else if e.is_builder() {
        "the request could not be built"
    } else {
        "the connection failed"
    };
    let mut cause = std::error::Error::source(e);
    let mut innermost = None;
    while let Some(c) = cause {
        innermost = Some(c);
        cause = c.source();
    }
    match innermost {
        Some(c) => format!("{what} ({c})"),
        None => what.to_string(),
    }
}

pub(super) async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, SpeechError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_REPLY_BYTES {
                    return Err(SpeechError::InvalidReply(format!(
                        "the reply is larger than {MAX_REPLY_BYTES} bytes"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(transport(&e)),
        }
    }
}

pub(super) fn status_error(
    status: StatusCode,
    body: &[u8],
    key: Option<&crate::secret::Secret>,
) -> SpeechError {
    SpeechError::Status {
        status: status.as_u16(),
        body: excerpt(body, key),
    }
}

/// The server's own message, short and redacted: the `error.message` of an OpenAI-style error
/// (or FastAPI's `detail`), else the body's text without HTML tags; the key and anything
/// shaped like an OpenAI key (which OpenAI echoes, masked, on a 401) become `[redacted]`.
fn excerpt(body: &[u8], key: Option<&crate::secret::Secret>) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(16_384)]);
    let message = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| error_message(&v))
        .unwrap_or_else(|| strip_tags(&text));
    let mut words: Vec<&str> = message.split_whitespace().collect();
    for word in &mut words {
        let bare = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
        if bare.starts_with("sk-") || key.is_some_and(|k| word.contains(k.expose())) {
            *word = "[redacted]";
        }
    }
    let message = words.join(" ");
    if message.is_empty() {
        return "(no message)".to_string();
    }
    crate::text::cut(&message, MAX_ERROR_CHARS)
}

fn error_message(v: &Value) -> Option<String> {
    [
        &v["error"]["message"],
        &v["error"],
        &v["detail"],
        &v["detail"][0]["msg"],
        &v["message"],
    ]
    .into_iter()
    .find_map(|m| m.as_str())
    .map(str::to_string)
}

/// Text outside `<…>`, for the HTML error pages proxies send.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A successful reply as a transcript: JSON (`verbose_json` or `{"text": …}`), or plain text.
fn transcript(body: &[u8], content_type: Option<&str>) -> Result<Transcript, SpeechError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| SpeechError::InvalidReply("the reply is not UTF-8 text".into()))?;
    let text = text.trim_start_matches('\u{feff}').trim();
    let json_type = content_type.is_some_and(|t| t.contains("json"));
    if text.starts_with('{') || (json_type && !text.is_empty()) {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => return from_json(&value),
            // A JSON reply that is not JSON; a plain-text one mislabelled as JSON is fine.
            Err(_) if text.starts_with('{') || text.starts_with('[') => {
                return Err(SpeechError::InvalidReply("malformed JSON".into()));
            }
            Err(_) => {}
        }
    }
    if content_type.is_some_and(|t| t.contains("html")) || text.starts_with("<!") {
        return Err(SpeechError::InvalidReply("an HTML page".into()));
    }
    finish(text.to_string(), None, Vec::new())
}

fn from_json(value: &Value) -> Result<Transcript, SpeechError> {
    let text = match value {
        Value::String(s) => s,
        Value::Object(_) => match value["text"].as_str() {
            Some(s) => s,
            None => {
                let why = match error_message(value) {
                    Some(m) => format!("an error with HTTP 200: {}", excerpt(m.as_bytes(), None)),
                    None => "JSON without a `text` field".to_string(),
                };
                return Err(SpeechError::InvalidReply(why));
            }
        },
        _ => {
            return Err(SpeechError::InvalidReply(
                "JSON that is not an object".into(),
            ))
        }
    };
    let duration = seconds(&value["duration"]).filter(|d| *d > 0.0);
    let segments = value["segments"]
        .as_array()
        .map(|segments| segments.iter().filter_map(segment).collect())
        .unwrap_or_default();
    finish(text.to_string(), duration, segments)
}

/// A segment with sound timing and some text; anything else is skipped rather than failing the
/// whole transcript (the text is what matters).
fn segment(v: &Value) -> Option<Segment> {
    let (start, end) = (seconds(&v["start"])?, seconds(&v["end"])?);
    let text = v["text"].as_str()?.trim();
    (end >= start && !text.is_empty()).then(|| Segment {
        start,
        end,
        text: text.to_string(),
    })
}

/// A non-negative number of seconds; some servers send numbers as strings.
fn seconds(v: &Value) -> Option<f64> {
    let n = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (n.is_finite() && n >= 0.0).then_some(n)
}

fn finish(
    text: String,
    duration_secs: Option<f64>,
    segments: Vec<Segment>,
) -> Result<Transcript, SpeechError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SpeechError::Empty);
    }
    Ok(Transcript {
        text: text.to_string(),
        duration_secs,
        segments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use reqwest::header::HeaderValue;
    use serde_json::json;

    #[test]
    fn verbose_json_is_read_whole() {
        let body = json!({
            "task": "transcribe", "language": "english", "duration": 4.5,
            "text": " An index is a B-tree. ",
            "segments": [
                {"id": 0, "start": 0.0, "end": 2.0, "text": " An index"},
                {"id": 1, "start": 2.0, "end": 4.5, "text": " is a B-tree."},
                {"id": 2, "start": "x", "end": 5.0, "text": "bad timing"},
                {"id": 3, "start": 4.5, "end": 4.6, "text": "  "},
            ],
        });
        let t = transcript(body.to_string().as_bytes(), Some("application/json")).expect("ok");
        assert_eq!(t.text, "An index is a B-tree.");
        assert_eq!(t.duration_secs, Some(4.5));
        assert_eq!(
            t.segments,
            vec![
                Segment {
                    start: 0.0,
                    end: 2.0,
                    text: "An index".into()
                },
                Segment {
                    start: 2.0,
                    end: 4.5,
                    text: "is a B-tree.".into()
                },
            ]
        );
    }

    #[test]
    fn text_only_plain_text_and_bad_replies() {
        let t = transcript(br#"{"text":"hello"}"#, Some("application/json")).expect("ok");
        assert_eq!(
            (t.text.as_str(), t.duration_secs, t.segments.len()),
            ("hello", None, 0)
        );
        let t = transcript(b" hello there\n", Some("text/plain; charset=utf-8")).expect("ok");
        assert_eq!(t.text, "hello there");
        let t = transcript(b"hello", Some("application/json")).expect("mislabelled text");
        assert_eq!(t.text, "hello");
        assert_eq!(transcript(b"  \n", None), Err(SpeechError::Empty));
        assert_eq!(
            transcript(br#"{"text":" "}"#, None),
            Err(SpeechError::Empty)
        );
        for bad in [
            &br#"{"text": "#[..],
            br#"{"result": "hi"}"#,
            br#"{"error": {"message": "model not loaded"}}"#,
            b"<!DOCTYPE html><html>502</html>",
            b"\xff\xfe",
        ] {
            assert!(
                matches!(transcript(bad, None), Err(SpeechError::InvalidReply(_))),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn error_excerpts_are_short_and_redacted() {
        let key = Secret::new("sk-live-abcdef123456");
        let body = json!({"error": {"message":
            "Incorrect API key provided: sk-live-abcdef123456. Also sk-proj-****wxyz.",
            "type": "invalid_request_error"}});
        let text = excerpt(body.to_string().as_bytes(), Some(&key));
        assert!(!text.contains("abcdef"), "{text}");
        assert!(!text.contains("wxyz"), "{text}");
        assert!(
            text.starts_with("Incorrect API key provided: [redacted]"),
            "{text}"
        );
        let long = "word ".repeat(500);
        let text = excerpt(long.as_bytes(), None);
        assert_eq!(text.chars().count(), MAX_ERROR_CHARS, "{text}");
        assert!(text.ends_with('…'));
        let html = b"<html><head><title>502 Bad Gateway</title></head></html>";
        assert_eq!(excerpt(html, None), "502 Bad Gateway");
        assert_eq!(excerpt(b"", None), "(no message)");
        assert_eq!(
            excerpt(br#"{"detail": [{"msg": "Field required"}]}"#, None),
            "Field required"
        );
    }

    #[test]
    fn what_is_retried() {
        let status = |status| SpeechError::Status {
            status,
            body: String::new(),
        };
        for e in [
            SpeechError::Timeout,
            SpeechError::Network("x".into()),
            status(429),
            status(500),
            status(503),
        ] {
            assert!(e.transient(), "{e}");
        }
        for e in [
            status(400),
            status(401),
            status(404),
            status(413),
            SpeechError::Empty,
            SpeechError::InvalidReply("x".into()),
        ] {
            assert!(!e.transient(), "{e}");
        }
    }

    #[test]
    fn backoff_is_short_and_retry_after_is_read() {
        for (retry, full) in [
            (0, 250),
            (1, 500),
            (2, 1000),
            (3, 2000),
            (4, 4000),
            (40, 4000),
        ] {
            let d = backoff(retry);
            let full = Duration::from_millis(full);
            assert!(d >= full / 2 && d <= full, "retry {retry}: {d:?}");
        }
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert("retry-after-ms", HeaderValue::from_static("1500"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(1500)));
        h.remove("retry-after-ms");
        h.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), None);
    }
}
