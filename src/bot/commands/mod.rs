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

use serenity::all::Permissions;

use super::{Bot, BotError};

type Command = poise::Command<Arc<Bot>, BotError>;

/// Who may run what, in one place. These families are the organisers' alone: Discord hides
/// them from members by default, and each of their subcommands checks for Manage Server when
/// it runs.
const ORGANISER_FAMILIES: [&str; 2] = ["qotd", "config"];
/// And these subcommands of families members use: the check when they run (Discord cannot
/// hide one subcommand).
const ORGANISER_COMMANDS: [&str; 9] = [
    "reviews set",
    "reviews remove",
    "reviews reset",
    "questions list",
    "questions show",
    "questions disable",
    "questions enable",
    "questions export",
    "questions import",
];
const ORGANISER: Permissions = Permissions::MANAGE_GUILD;

/// The commands the bot registers, with who may run them.
pub fn all() -> Vec<Command> {
    let mut commands = vec![
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
    ];
    for command in &mut commands {
        guard(command);
    }
    commands
}

/// Applies [`ORGANISER_FAMILIES`] and [`ORGANISER_COMMANDS`] to one command and its
/// subcommands.
fn guard(command: &mut Command) {
    let family = ORGANISER_FAMILIES.contains(&&*command.name);
    if family {
        command.default_member_permissions = ORGANISER;
        command.required_permissions = ORGANISER;
    }
    let name = command.name.clone();
    for sub in &mut command.subcommands {
        let path = format!("{name} {}", sub.name);
        if family || ORGANISER_COMMANDS.contains(&path.as_str()) {
            sub.required_permissions = ORGANISER;
        }
    }
}

/// A button click's id, read by `parse`, and the server it was clicked in. Both are the
/// bot's own making, so a failure is logged as ours (naming `what`), not shown as the member's.
pub(crate) fn clicked<T>(
    component: &serenity::all::ComponentInteraction,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<(T, u64), BotError> {
    let id = &component.data.custom_id;
    let button = parse(id).ok_or_else(|| BotError::Internal(format!("not a {what}: {id}")))?;
    let guild_id = component
        .guild_id
        .ok_or_else(|| BotError::Internal(format!("a {what} outside a server")))?;
    Ok((button, guild_id.get()))
}

/// The track a member typed, trimmed and lower-cased (`None` for none), or an error naming
/// the tracks `bank` has when it has no such track.
pub(crate) fn known_track(
    bank: &crate::bank::Bank,
    typed: Option<String>,
) -> Result<Option<String>, BotError> {
    let track = typed
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    match &track {
        Some(t) if !bank.has_track(t) => Err(BotError::user(format!(
            "There is no track \"{}\". Pick one of: {}.",
            crate::bot::render::limits::echo(t),
            bank.tracks().join(", ")
        ))),
        _ => Ok(track),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command a member can type, as "family sub" (or "command"), with whether it needs
    /// Manage Server when it runs.
    fn leaves() -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for c in all() {
            if c.subcommands.is_empty() {
                out.push((c.name.to_string(), !c.required_permissions.is_empty()));
            }
            for sub in &c.subcommands {
                let needs = !sub.required_permissions.is_empty();
                out.push((format!("{} {}", c.name, sub.name), needs));
            }
        }
        out
    }

    #[test]
    fn organiser_commands_need_manage_server_and_member_commands_do_not() {
        // Written out here, apart from the lists the code applies, so that a command added to
        // an organiser family or left off the list shows up.
        let organisers = [
            "qotd setup",
            "qotd now",
            "qotd pause",
            "qotd resume",
            "qotd status",
            "config show",
            "config interviews",
            "config budget",
            "config retention",
            "config suggestions",
            "reviews set",
            "reviews remove",
            "reviews reset",
            "questions list",
            "questions show",
            "questions disable",
            "questions enable",
            "questions export",
            "questions import",
        ];
        let all = leaves();
        for (path, needs) in &all {
            let expected = organisers.contains(&path.as_str());
            assert_eq!(*needs, expected, "{path}: needs Manage Server = {needs}");
        }
        for path in organisers {
            assert!(all.iter().any(|(p, _)| p == path), "no command {path}");
        }
        // Members still have their own: a sample that must stay open.
        for open in [
            "interview start",
            "interview pair",
            "reviews show",
            "questions suggest",
        ] {
            assert!(all.iter().any(|(p, needs)| p == open && !needs), "{open}");
        }
    }

    #[test]
    fn organiser_families_are_hidden_from_members_by_default() {
        for c in all() {
            let hidden = c.default_member_permissions == ORGANISER;
            let family = ORGANISER_FAMILIES.contains(&&*c.name);
            assert_eq!(hidden, family, "/{}", c.name);
        }
    }
}
