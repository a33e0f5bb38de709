//! Answers spoken as voice messages. A candidate's recording (Discord's voice message, or any
//! audio file) in their interview, peer interview or question-of-the-day thread is transcribed
//! through the configured OpenAI-compatible speech-to-text server, the transcript is shown
//! back to them with how they spoke (pace, fillers, long pauses), and from there it is text
//! like any typed part of an answer. The audio is read once and never stored.

use std::time::Duration;

use serenity::all::{Attachment, Message, MessageFlags};

use super::render::limits::{cut, CONTENT};
use super::Bot;
use crate::app::interview::takes_answers_from;
use crate::speech::{speaking, Speaking, SpeechError, Transcriber};
use crate::store::interviews;
use crate::store::pairs::{self, PairStatus};

/// How long Discord's CDN may take to send a recording.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(20);

/// What became of a voice message.
pub enum Spoken {
    /// The transcript, to file as the answer's text; what to show the candidate; and how
    /// they spoke, to keep with the answer.
    Transcribed {
        text: String,
        shown: String,
        speaking: Speaking,
    },
    /// Why it was not transcribed, for the candidate.
    Refused(String),
}

/// Whether the message is a recording: Discord's voice message, or an audio file.
pub fn is_spoken(message: &Message) -> bool {
    let voice = message
        .flags
        .is_some_and(|f| f.contains(MessageFlags::IS_VOICE_MESSAGE));
    voice || message.attachments.iter().any(is_audio)
}

fn is_audio(a: &Attachment) -> bool {
    let by_type = a
        .content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("audio/"));
    let name = a.filename.to_lowercase();
    let by_name = [
        ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".wav", ".webm", ".flac",
    ]
    .iter()
    .any(|ext| name.ends_with(ext));
    by_type || by_name || a.duration_secs.is_some()
}

/// A voice message in `thread`: transcribed when it is the candidate's and speech-to-text is
/// configured; else refused with a reason. `None`: not a thread that takes answers.
pub async fn transcribe(bot: &Bot, message: &Message) -> Option<Spoken> {
    let (thread, author) = (message.channel_id.get(), message.author.id.get());
    let candidate = interviews::candidate_in_thread(&bot.app.pool, thread).await;
    let takes = match candidate {
        Ok(Some(candidate)) if candidate != author => {
            return Some(Spoken::Refused(format!(
                "Only <@{candidate}> answers in this interview, so I did not transcribe this \
                 voice message."
            )))
        }
        Ok(Some(_)) => Ok(true),
        // Anywhere but an interview, only a peer interview's candidate or an open question of
        // the day takes answers; a recording posted anywhere else is none of the bot's
        // business.
        Ok(None) => match pairs::by_thread(&bot.app.pool, thread).await {
            Ok(Some(pair)) => Ok(pair.status == PairStatus::Active && pair.candidate() == author),
            Ok(None) => takes_answers_from(&bot.app, thread, author).await,
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(e.into()),
    };
    match takes {
        Ok(true) => {}
        Ok(false) => return None,
        Err(e) => {
            tracing::error!(error = %crate::bot::error_chain(&e), "looking up the thread's candidate failed");
            return Some(Spoken::Refused(super::APOLOGY.to_owned()));
        }
    }
    let Some(transcriber) = bot.transcriber.as_deref() else {
        return Some(Spoken::Refused(
            "Voice answers need speech-to-text, and this bot has none configured (its host \
             can set STT_BASE_URL). Please type your answer instead."
                .to_owned(),
        ));
    };
    let audio = message.attachments.iter().find(|a| is_audio(a))?;
    Some(spoken(transcriber, audio).await)
}

async fn spoken(transcriber: &Transcriber, audio: &Attachment) -> Spoken {
    let limits = transcriber.config();
    if audio.duration_secs.unwrap_or(0.0) > f64::from(limits.max_duration_secs) {
        return Spoken::Refused(format!(
            "That voice message is longer than the {} I transcribe. Please answer in shorter \
             messages; an answer may span several.",
            crate::interview::spoken(Duration::from_secs(limits.max_duration_secs.into()))
        ));
    }
    if u64::from(audio.size) > limits.max_bytes {
        return Spoken::Refused(format!(
            "That recording is larger than the {} MB I transcribe. Please answer in shorter \
             messages.",
            limits.max_bytes / 1_000_000
        ));
    }
    let bytes = match tokio::time::timeout(DOWNLOAD_TIMEOUT, audio.download()).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            tracing::warn!(attachment_id = %audio.id, error = %crate::bot::error_chain(&e), "downloading a voice message failed");
            return Spoken::Refused(
                "Discord did not send me your voice message. Please try again.".to_owned(),
            );
        }
        Err(_) => {
            return Spoken::Refused(
                "Discord did not send me your voice message in time. Please try again.".to_owned(),
            )
        }
    };
    let filename = audio.filename.clone();
    match transcriber
        .transcribe(bytes, &filename, audio.content_type.as_deref())
        .await
    {
        Ok(transcript) => {
            let said = speaking(&transcript, audio.duration_secs);
            let how = said.summary();
            let head = "🎙️ **Transcript of your answer** (this is what will be scored):\n>>> ";
            // The whole transcript is filed; a long one is shown cut to fit one message.
            let room = CONTENT.saturating_sub(head.len() + how.len() + 4);
            let shown = format!("{head}{}\n\n{how}", cut(transcript.text.trim(), room));
            Spoken::Transcribed {
                text: transcript.text.trim().to_owned(),
                shown,
                speaking: said,
            }
        }
        Err(SpeechError::Empty) => Spoken::Refused(
            "I could not hear any words in that voice message. Please try again, or type your \
             answer."
                .to_owned(),
        ),
        Err(e) => {
            tracing::warn!(error = %crate::bot::error_chain(&e), "transcribing a voice message failed");
            Spoken::Refused(
                "Speech-to-text failed for that voice message, so it is not part of your \
                 answer. Please try again in a moment, or type your answer."
                    .to_owned(),
            )
        }
    }
}
