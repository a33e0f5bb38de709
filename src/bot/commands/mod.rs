//! Every slash command, in one list: `all()` is the only registry. A command's `///` comment is
//! its description in Discord.

pub mod config;
pub mod help;
pub mod history;
pub mod interview;
pub mod leaderboard;
pub mod privacy;
pub mod profile;
pub mod qotd;
pub mod questions;
pub mod reviews;

use std::sync::Arc;

use super::{Bot, BotError};
use crate::bank::Bank;

/// The commands the bot registers.
pub fn all() -> Vec<poise::Command<Arc<Bot>, BotError>> {
    vec![
        interview::interview(),
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

/// The bank a server draws from: the bundled questions with its own pack over them; outside a
/// server, the bundled bank.
pub(crate) async fn bank_for(bot: &Bot, guild_id: Option<u64>) -> Result<Bank, BotError> {
    match guild_id {
        Some(g) => Ok(crate::app::questions::for_guild(&bot.app, g).await?),
        None => Ok(bot.app.bank.as_ref().clone()),
    }
}

/// The server's tracks, for autocomplete: the bundled bank's when the server's pack cannot be
/// read (a suggestion list is no place for a database error).
pub(crate) async fn tracks_for(bot: &Bot, guild_id: Option<u64>) -> Vec<String> {
    let bank = bank_for(bot, guild_id)
        .await
        .unwrap_or_else(|_| bot.app.bank.as_ref().clone());
    bank.tracks().into_iter().map(str::to_owned).collect()
}
