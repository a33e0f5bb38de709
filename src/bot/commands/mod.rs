//! Every slash command, in one list: `all()` is the only registry. A command's `///` comment is
//! its description in Discord.

pub mod config;
pub mod drill;
pub mod help;
pub mod history;
pub mod interview;
pub mod leaderboard;
mod opening;
mod pair;
pub mod privacy;
pub mod profile;
pub mod qotd;
pub mod questions;
pub mod reviews;

use std::sync::Arc;

use super::{Bot, BotError};

/// The commands the bot registers.
pub fn all() -> Vec<poise::Command<Arc<Bot>, BotError>> {
    vec![
        interview::interview(),
        drill::drill(),
        history::history(),
        profile::profile(),
        leaderboard::leaderboard(),
        qotd::qotd(),
        config::config(),
        questions::questions(),
        reviews::reviews(),
        privacy::privacy(),
        help::help(),
    ]
}

/// The server's tracks (the bundled bank's outside a server), for choosing and checking a
/// track without reading whole questions.
pub(crate) async fn tracks_for(bot: &Bot, guild_id: Option<u64>) -> Result<Vec<String>, BotError> {
    match guild_id {
        Some(g) => Ok(crate::app::questions::tracks(&bot.app, g).await?),
        None => Ok(bot
            .app
            .bank
            .tracks()
            .into_iter()
            .map(str::to_owned)
            .collect()),
    }
}

/// The server's tracks for autocomplete: the bundled bank's when the server's cannot be read
/// (a suggestion list is no place for a database error).
pub(crate) async fn tracks_to_suggest(bot: &Bot, guild_id: Option<u64>) -> Vec<String> {
    match tracks_for(bot, guild_id).await {
        Ok(tracks) => tracks,
        Err(_) => bot
            .app
            .bank
            .tracks()
            .into_iter()
            .map(str::to_owned)
            .collect(),
    }
}
