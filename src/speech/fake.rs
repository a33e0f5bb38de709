//! A fake OpenAI-compatible transcription and speech server (axum on 127.0.0.1, any free
//! port), for tests of the transcriber, the speaker and the bot's voice answers and spoken
//! questions. `/v1/audio/speech` answers every request with [`SPOKEN_AUDIO`]. It records what each request
//! carried — read from the multipart form by a small parser of its own, so that it needs none
//! of axum's optional features — and answers with the reply it is set to.
//!
//! Like the fake LLM server it lives in the library behind the `fake-llm` feature, so that
//! integration tests and the bot's tests can share it and a production build leaves it out.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use super::client::Transcript;
use crate::fake_http::{lock, FakeServer};

/// What the fake answers a request with.
#[derive(Debug, Clone, PartialEq)]
pub enum SttReply {
    /// This transcript, as `verbose_json` when asked for it (as OpenAI does; `{"text": …}`
    /// otherwise).
    Transcript(Transcript),
    /// Only `{"text": …}`, whatever was asked: a server that ignores `response_format`.
    TextOnly(String),
    /// This text as a `text/plain` body, like some whisper.cpp servers.
    PlainText(String),
    /// An error status with a body.
    Status { status: u16, body: String },
    /// Never answers.
    Hang,
    /// Each request takes the next reply in turn; the last answers every request after.
    Sequence(Vec<SttReply>),
}

impl SttReply {
    /// An error status with an OpenAI-style error body.
    pub fn status(status: u16, message: &str) -> SttReply {
        SttReply::Status {
            status,
            body: json!({"error": {"message": message, "type": "invalid_request_error"}})
                .to_string(),
        }
    }
}

/// A request as the fake received it.
#[derive(Debug, Clone, PartialEq)]
pub struct SttRequest {
    pub model: String,
    pub response_format: Option<String>,
    /// The `file` part's file name.
    pub filename: Option<String>,
    /// The `file` part's length.
    pub file_bytes: usize,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
}

/// What `/v1/audio/speech` answers: bytes that start like Ogg, which is all a test can check.
pub const SPOKEN_AUDIO: &[u8] = b"OggS\0fake-opus-speech-of-the-question";

/// A text-to-speech request as the fake received it: its JSON body, and the key it carried.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeechRequest {
    pub body: serde_json::Value,
    pub authorization: Option<String>,
}

struct Shared {
    /// The replies still to give; the last one stays.
    replies: Mutex<VecDeque<SttReply>>,
    requests: Mutex<Vec<SttRequest>>,
    speech: Mutex<Vec<SpeechRequest>>,
}

/// A running fake server; it stops when dropped.
pub struct FakeStt {
    server: FakeServer,
    shared: Arc<Shared>,
}

impl FakeStt {
    /// Starts on 127.0.0.1 with a free port, answering with `reply`.
    pub async fn start(reply: SttReply) -> std::io::Result<FakeStt> {
        let shared = Arc::new(Shared {
            replies: Mutex::new(flatten(reply)),
            requests: Mutex::new(Vec::new()),
            speech: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/v1/audio/transcriptions", post(transcribe))
            .route("/v1/audio/speech", post(speak))
            // axum's default 2 MB limit is far below a real recording's.
            .layer(DefaultBodyLimit::max(100_000_000))
            .with_state(shared.clone());
        let localhost = SocketAddr::from(([127, 0, 0, 1], 0));
        let server = FakeServer::serve(localhost, app, "speech").await?;
        Ok(FakeStt { server, shared })
    }

    /// The base URL to configure (`STT_BASE_URL`), e.g. `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<SttRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Every text-to-speech request so far, in order.
    pub fn speech_requests(&self) -> Vec<SpeechRequest> {
        lock(&self.shared.speech).clone()
    }

    /// Changes the reply for later requests.
    pub fn set_reply(&self, reply: SttReply) {
        *lock(&self.shared.replies) = flatten(reply);
    }
}

/// A sequence as the queue of its replies (nested sequences inlined).
fn flatten(reply: SttReply) -> VecDeque<SttReply> {
    let mut out = VecDeque::new();
    let mut stack = vec![reply];
    while let Some(reply) = stack.pop() {
        match reply {
            SttReply::Sequence(replies) => stack.extend(replies.into_iter().rev()),
            other => out.push_back(other),
        }
    }
    out
}

fn next_reply(shared: &Shared) -> SttReply {
    let mut replies = lock(&shared.replies);
    let reply = if replies.len() > 1 {
        replies.pop_front()
    } else {
        replies.front().cloned()
    };
    reply.unwrap_or_else(|| SttReply::status(500, "the fake has no reply (an empty sequence)"))
}

async fn transcribe(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let parts = header("content-type")
        .and_then(|t| boundary(&t))
        .map(|b| form_parts(&body, &b))
        .unwrap_or_default();
    let field = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name)
            .map(|p| String::from_utf8_lossy(p.data).into_owned())
    };
    let file = parts.iter().find(|p| p.name == "file");
    let request = SttRequest {
        model: field("model").unwrap_or_default(),
        response_format: field("response_format"),
        filename: file.and_then(|f| f.filename.clone()),
        file_bytes: file.map_or(0, |f| f.data.len()),
        authorization: header("authorization"),
    };
    let verbose = request.response_format.as_deref() == Some("verbose_json");
    lock(&shared.requests).push(request);
    match next_reply(&shared) {
        SttReply::Transcript(t) if verbose => Json(verbose_json(&t)).into_response(),
        SttReply::Transcript(t) => Json(json!({"text": t.text})).into_response(),
        SttReply::TextOnly(text) => Json(json!({"text": text})).into_response(),
        SttReply::PlainText(text) => (
            StatusCode::OK,
            [("content-type", "text/plain; charset=utf-8")],
            text,
        )
            .into_response(),
        SttReply::Status { status, body } => {
            let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (code, [("content-type", "application/json")], body).into_response()
        }
        SttReply::Hang => loop {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        },
        // Flattened away when set; only an empty one could remain, and it is never stored.
        SttReply::Sequence(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn speak(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let request = SpeechRequest {
        body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    lock(&shared.speech).push(request);
    ([("content-type", "audio/ogg")], SPOKEN_AUDIO).into_response()
}

/// OpenAI's `verbose_json`, with the fields a real reply carries around the ones we read.
fn verbose_json(t: &Transcript) -> serde_json::Value {
    let segments: Vec<_> = t
        .segments
        .iter()
        .enumerate()
        .map(|(id, s)| {
            json!({"id": id, "seek": 0, "start": s.start, "end": s.end, "text": s.text,
                   "tokens": [], "temperature": 0.0, "avg_logprob": -0.2,
                   "compression_ratio": 1.3, "no_speech_prob": 0.01})
        })
        .collect();
    let mut reply = json!({"task": "transcribe", "language": "english", "text": t.text,
                           "segments": segments});
    if let Some(d) = t.duration_secs {
        reply["duration"] = json!(d);
    }
    reply
}

/// One part of a multipart form.
struct FormPart<'a> {
    name: String,
    filename: Option<String>,
    data: &'a [u8],
}

/// The boundary of a `multipart/form-data; boundary=…` content type.
fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

/// The parts of a multipart body (RFC 7578), enough for the fields a transcription request
/// has: each part after a `--boundary` line, headers up to a blank line, data up to the CRLF
/// before the next boundary.
fn form_parts<'a>(body: &'a [u8], boundary: &str) -> Vec<FormPart<'a>> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let Some(mut at) = find(body, &delimiter, 0) else {
        return parts;
    };
    loop {
        let after = at + delimiter.len();
        if body[after..].starts_with(b"--") {
            break;
        }
        let Some(line_end) = find(body, b"\r\n", after) else {
            break;
        };
        let start = line_end + 2;
        let next_delimiter = [b"\r\n".as_slice(), &delimiter].concat();
        let Some(end) = find(body, &next_delimiter, start) else {
            break;
        };
        if let Some(part) = form_part(&body[start..end]) {
            parts.push(part);
        }
        at = end + 2;
    }
    parts
}

fn form_part(part: &[u8]) -> Option<FormPart<'_>> {
    let split = find(part, b"\r\n\r\n", 0)?;
    let head = String::from_utf8_lossy(&part[..split]);
    let disposition = head.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-disposition")
            .then(|| value.to_string())
    })?;
    let param = |wanted: &str| {
        disposition.split(';').find_map(|p| {
            let (key, value) = p.split_once('=')?;
            (key.trim() == wanted).then(|| value.trim().trim_matches('"').to_string())
        })
    };
    Some(FormPart {
        name: param("name")?,
        filename: param("filename"),
        data: &part[split + 4..],
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_fields_are_found_by_name() {
        let body = b"--XyZ\r\n\
            Content-Disposition: form-data; name=\"file\"; filename=\"voice-message.ogg\"\r\n\
            Content-Type: audio/ogg\r\n\r\n\
            OggS\r\n--not-the-boundary\r\n\
            --XyZ\r\n\
            Content-Disposition: form-data; name=\"model\"\r\n\r\n\
            whisper-1\r\n\
            --XyZ--\r\n";
        let b = boundary("multipart/form-data; boundary=\"XyZ\"").expect("boundary");
        let parts = form_parts(body, &b);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "file");
        assert_eq!(parts[0].filename.as_deref(), Some("voice-message.ogg"));
        assert_eq!(parts[0].data, b"OggS\r\n--not-the-boundary");
        assert_eq!(
            (parts[1].name.as_str(), parts[1].data),
            ("model", &b"whisper-1"[..])
        );
        assert!(boundary("application/json").is_none());
    }

    #[test]
    fn sequences_keep_their_last_reply() {
        let shared = Shared {
            replies: Mutex::new(flatten(SttReply::Sequence(vec![
                SttReply::Hang,
                SttReply::Sequence(vec![SttReply::TextOnly("a".into())]),
                SttReply::TextOnly("b".into()),
            ]))),
            requests: Mutex::new(Vec::new()),
            speech: Mutex::new(Vec::new()),
        };
        let got: Vec<_> = (0..4).map(|_| next_reply(&shared)).collect();
        assert_eq!(
            got,
            vec![
                SttReply::Hang,
                SttReply::TextOnly("a".into()),
                SttReply::TextOnly("b".into()),
                SttReply::TextOnly("b".into()),
            ]
        );
    }
}
