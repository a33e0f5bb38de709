//! Rendering: everything a member sees from the bot — embeds, buttons and their text — built as
//! serenity builders by pure functions, cut to Discord's limits (`limits`). Nothing here does I/O,
//! so every message is unit-tested by serializing it and reading what a user would read.

pub mod drill;
pub mod help;
pub mod history;
pub mod interview;
pub mod leaderboard;
pub mod limits;
pub mod pair;
pub mod profile;
pub mod qotd;
pub mod questions;
pub mod report_sections;
pub mod suggestions;

use serenity::all::{
    Colour, CreateActionRow, CreateAttachment, CreateEmbed, CreateInteractionResponse,
    CreateInteractionResponseMessage,
};

use crate::interview::Turn;

/// Discord's blurple: for messages that carry no score.
pub const NEUTRAL: Colour = Colour(0x5865F2);
const POOR: Colour = Colour(0xE53935);
const FAIR: Colour = Colour(0xFFB300);
const GOOD: Colour = Colour(0x43A047);

/// Red below 4, amber below 7, green from 7: the same bands as the terminal's colours.
pub fn score_colour(overall: f32) -> Colour {
    if overall >= 7.0 {
        GOOD
    } else if overall >= 4.0 {
        FAIR
    } else {
        POOR
    }
}

/// A score as shown everywhere: one decimal.
pub fn score(value: f32) -> String {
    format!("{value:.1}")
}

/// A name or other text from users, with Discord's markdown characters escaped so it shows as
/// typed (a name like `*star*` must not turn the rest of a line bold).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// How a turn is named in lists.
pub fn turn_label(turn: Turn) -> &'static str {
    match turn {
        Turn::Main => "main",
        Turn::FollowUp { .. } => "follow-up",
        Turn::Written => "written follow-up",
        Turn::Stage { stage } => stage.name(),
    }
}

/// One screen of a paged view (history, leaderboard): the embed, its buttons, and a picture
/// to attach when the screen shows one. The same page is sent as a command's reply or as the
/// update after a button click.
#[derive(Debug, Clone)]
pub struct Page {
    pub embed: CreateEmbed,
    pub components: Vec<CreateActionRow>,
    pub attachment: Option<CreateAttachment>,
}

impl Page {
    /// The page as a command's reply.
    pub fn into_reply(self) -> poise::CreateReply {
        let mut reply = poise::CreateReply::default()
            .embed(self.embed)
            .components(self.components);
        if let Some(file) = self.attachment {
            reply = reply.attachment(file);
        }
        reply
    }

    /// The page replacing the message whose button was clicked. Attachments are always set, so
    /// a page without a picture removes the previous page's.
    pub fn into_update(self) -> CreateInteractionResponse {
        let message = CreateInteractionResponseMessage::new()
            .embed(self.embed)
            .components(self.components)
            .files(self.attachment);
        CreateInteractionResponse::UpdateMessage(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_coloured_in_three_bands() {
        assert_eq!(score_colour(3.9), POOR);
        assert_eq!(score_colour(4.0), FAIR);
        assert_eq!(score_colour(6.9), FAIR);
        assert_eq!(score_colour(7.0), GOOD);
    }

    #[test]
    fn markdown_in_names_is_escaped() {
        assert_eq!(escape("*star*_x_"), "\\*star\\*\\_x\\_");
        assert_eq!(escape("Jean-Luc #1"), "Jean-Luc #1");
    }

    #[test]
    fn an_update_without_a_picture_clears_the_old_one() {
        let page = Page {
            embed: CreateEmbed::new().title("t"),
            components: vec![],
            attachment: None,
        };
        let json = serde_json::to_value(page.into_update()).unwrap();
        assert_eq!(json["type"], 7);
        assert_eq!(json["data"]["attachments"], serde_json::json!([]));
    }
}
