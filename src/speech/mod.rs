//! Speech-to-text for voice-message answers: a candidate may answer out loud, and the bot
//! scores the transcript like a typed answer. `Transcriber` sends the recording to any
//! OpenAI-compatible `/v1/audio/transcriptions` endpoint (OpenAI's Whisper or a self-hosted
//! whisper server) configured by `STT_*` variables (`SttConfig`); `speaking` reads how the
//! answer was spoken (pace, fillers, long pauses) from the transcript, for feedback that a typed
//! answer cannot get. The module knows nothing of Discord: the bot hands it bytes and a
//! duration.
//!
//! `tts` reads questions aloud through an OpenAI-compatible `/v1/audio/speech` endpoint
//! (`TTS_*` variables), for members who ask for spoken questions.
//!
//! `fake` is an OpenAI-compatible transcription and speech server for tests, behind the `fake-llm`
//! feature like the fake LLM server.

mod client;
mod config;
#[cfg(feature = "fake-llm")]
pub mod fake;
mod speaking;
mod tts;

pub use client::{Segment, SpeechError, Transcriber, Transcript};
pub use config::SttConfig;
pub use speaking::{speaking, Speaking};
pub use tts::{Speaker, TtsConfig};
