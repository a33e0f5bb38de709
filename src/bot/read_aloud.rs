//! Questions read aloud, for candidates who started with `spoken:` on a bot with
//! text-to-speech. The question's text is posted as always; its audio follows as an Ogg Opus
//! file that Discord plays inline. It runs after the question is posted and apart from it, so a
//! slow or failing speech server delays or drops only the audio, never the question.

use serenity::all::{ChannelId, CreateAttachment, CreateMessage};
use tracing::warn;

use super::Bot;
use crate::store::interviews;

/// Reads `prompt` aloud into `thread` when interview `interview_id` asked for it.
pub fn question(bot: &Bot, interview_id: i64, thread_id: u64, prompt: &str) {
    let Some(speaker) = bot.speaker.clone() else {
        return;
    };
    let (pool, http) = (bot.app.pool.clone(), bot.http.clone());
    let text = plain(prompt);
    tokio::spawn(async move {
        match interviews::speaks_questions(&pool, interview_id).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                warn!(interview_id, error = %super::error_chain(&e), "looking up spoken questions failed");
                return;
            }
        }
        let audio = match speaker.speak(&text).await {
            Ok(audio) => audio,
            Err(e) => {
                warn!(interview_id, error = %super::error_chain(&e), "reading a question aloud failed");
                return;
            }
        };
        let message = CreateMessage::new()
            .content("🔊 The question, read aloud.")
            .add_file(CreateAttachment::bytes(audio, "question.ogg"));
        if let Err(e) = ChannelId::new(thread_id)
            .send_message(&*http, message)
            .await
        {
            warn!(interview_id, error = %super::error_chain(&e), "posting a question's audio failed");
        }
    });
}

/// The prompt without Markdown's marks, which a voice would otherwise read or stumble on.
fn plain(prompt: &str) -> String {
    prompt
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '#' | '>'))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_marks_are_not_read() {
        assert_eq!(
            super::plain("**Design** a `rate limiter` for _one_ API."),
            "Design a rate limiter for one API."
        );
    }
}
