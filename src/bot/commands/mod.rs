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
