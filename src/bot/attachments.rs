//! Answers sent as files. Discord turns a long paste into a `message.txt` attachment, so a
//! message with no text may still be (part of) an answer: a text file within the answer limit
//! is read as the message's text. Anything else is refused with a message that says what the
//! bot can read, rather than ignored, so the candidate does not wait for a score that never
//! comes.

use std::time::Duration;

use serenity::all::{Attachment, Message};

use crate::interview::ANSWER_LIMIT;

/// How long Discord's CDN may take to send a file.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most bytes an answer's text can take in UTF-8 (four bytes a character at most).
const MAX_BYTES: usize = ANSWER_LIMIT.chars * 4;

/// The message's text and its text files, in order; `Err` holds what to tell the member when a
/// file cannot be read as text.
pub async fn message_text(message: &Message) -> Result<String, String> {
    let mut parts = Vec::new();
    if !message.content.trim().is_empty() {
        parts.push(message.content.clone());
    }
    for attachment in &message.attachments {
        parts.push(read_text(attachment).await?);
    }
    Ok(parts.join("\n"))
}

/// A text file, by its type or, when Discord sends none, its name.
fn is_text(a: &Attachment) -> bool {
    let by_type = a
        .content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("text/"));
    let name = a.filename.to_lowercase();
    by_type || [".txt", ".md"].iter().any(|ext| name.ends_with(ext))
}

async fn read_text(a: &Attachment) -> Result<String, String> {
    let refuse = |why: &str| {
        let name: String = a.filename.chars().filter(|c| *c != '`').take(80).collect();
        format!(
            "I could not read `{name}` as part of your answer: {why}. I read text files (like \
             the message.txt Discord makes of a long paste) of up to {}; otherwise, paste \
             your answer as messages.",
            ANSWER_LIMIT.describe()
        )
    };
    if !is_text(a) {
        return Err(refuse("it is not a text file"));
    }
    if usize::try_from(a.size).unwrap_or(usize::MAX) > MAX_BYTES {
        return Err(refuse("it is longer than an answer may be"));
    }
    let bytes = match tokio::time::timeout(READ_TIMEOUT, a.download()).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            tracing::warn!(attachment_id = %a.id, error = %crate::bot::error_chain(&e), "reading an answer's file failed");
            return Err(refuse("Discord did not send it"));
        }
        Err(_) => return Err(refuse("Discord did not send it in time")),
    };
    let text = String::from_utf8(bytes).map_err(|_| refuse("it is not UTF-8 text"))?;
    if text.chars().count() > ANSWER_LIMIT.chars {
        return Err(refuse("it is longer than an answer may be"));
    }
    Ok(text)
}
