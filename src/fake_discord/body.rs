//! Request bodies and error answers for the REST side. serenity sends JSON, or
//! `multipart/form-data` with a `payload_json` part when a message carries files (the bot's
//! score charts), so one extractor reads both. Errors take Discord's `{"message","code"}`
//! shape; the reason rides along as a response extension so the recording middleware can say
//! why a request went unhandled.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::payloads;

/// A file from a multipart upload.
pub struct UploadedFile {
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A request body: its JSON (`Null` when empty) and any uploaded files.
pub struct Payload {
    pub json: Value,
    pub files: Vec<UploadedFile>,
}

/// Why a request failed, answered in Discord's error shape.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub code: u64,
}

/// The failure reason, for the middleware that records failed requests.
#[derive(Debug, Clone)]
pub struct FailureReason(pub String);

impl ApiError {
    pub fn not_found(message: impl Into<String>, code: u64) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            code,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            code: 50035,
        }
    }

    pub fn missing_permissions() -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            message: "Missing Permissions".into(),
            code: 50013,
        }
    }

    pub fn unknown_channel() -> Self {
        Self::not_found("Unknown Channel", 10003)
    }

    pub fn unknown_message() -> Self {
        Self::not_found("Unknown Message", 10008)
    }

    pub fn unknown_interaction() -> Self {
        Self::not_found("Unknown interaction", 10062)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, Json(payloads::error(&self.message, self.code))).into_response();
        response
            .extensions_mut()
            .insert(FailureReason(self.message));
        response
    }
}

impl<S: Send + Sync> FromRequest<S> for Payload {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if multipart {
            let form = Multipart::from_request(req, state)
                .await
                .map_err(|e| ApiError::bad_request(e.body_text()))?;
            return read_multipart(form).await;
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        Ok(Self {
            json: parse_json(&bytes)?,
            files: Vec::new(),
        })
    }
}

fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))
}

/// `payload_json` becomes the JSON; every part with a file name becomes a file.
async fn read_multipart(mut form: Multipart) -> Result<Payload, ApiError> {
    let mut payload = Payload {
        json: Value::Null,
        files: Vec::new(),
    };
    let bad = |e: axum::extract::multipart::MultipartError| ApiError::bad_request(e.body_text());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.map_err(bad)?;
        match filename {
            Some(filename) => payload.files.push(UploadedFile {
                filename,
                content_type,
                bytes: bytes.to_vec(),
            }),
            None if name == "payload_json" => payload.json = parse_json(&bytes)?,
            None => {}
        }
    }
    Ok(payload)
}
