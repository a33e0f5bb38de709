//! `/help`: what the bot does and every command, read from the registered commands so the list
//! is always the one Discord offers.

use std::sync::Arc;

use crate::bot::render::help::{help as render_help, usage, CommandHelp};
use crate::bot::{Bot, BotError, Context};

/// What Mockingbird does, and every command.
#[poise::command(slash_command, guild_only)]
pub async fn help(ctx: Context<'_>) -> Result<(), BotError> {
    let commands = command_help(&ctx.framework().options().commands);
    let styles: Vec<(String, String)> = ctx
        .data()
        .app
        .styles
        .all()
        .map(|s| (s.id.clone(), s.description.clone()))
        .collect();
    let reply = poise::CreateReply::default()
        .embed(render_help(&commands, &styles))
        .ephemeral(true);
    ctx.send(reply).await?;
    Ok(())
}

/// Every slash command and subcommand, as `/help` lists them.
fn command_help(commands: &[poise::Command<Arc<Bot>, BotError>]) -> Vec<CommandHelp> {
    let mut out = Vec::new();
    for command in commands
        .iter()
        .filter(|c| !c.hide_in_help && !c.owners_only)
    {
        let organiser = !command.default_member_permissions.is_empty()
            || !command.required_permissions.is_empty();
        if command.subcommands.is_empty() {
            if command.slash_action.is_some() {
                out.push(entry(&command.name, command, organiser));
            }
            continue;
        }
        for sub in command.subcommands.iter().filter(|s| !s.hide_in_help) {
            let sub_organiser = organiser
                || !sub.default_member_permissions.is_empty()
                || !sub.required_permissions.is_empty();
            out.push(entry(
                &format!("{} {}", command.name, sub.name),
                sub,
                sub_organiser,
            ));
        }
    }
    out
}

fn entry(name: &str, command: &poise::Command<Arc<Bot>, BotError>, organiser: bool) -> CommandHelp {
    let arguments = command
        .parameters
        .iter()
        .map(|p| (p.name.as_ref(), p.required));
    CommandHelp {
        usage: usage(name, arguments),
        description: command.description.as_deref().unwrap_or("").to_owned(),
        organiser,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_the_commands_with_their_arguments_and_descriptions() {
        let commands = vec![
            crate::bot::commands::history::history(),
            crate::bot::commands::leaderboard::leaderboard(),
            help(),
        ];
        let listed = command_help(&commands);
        let usages: Vec<&str> = listed.iter().map(|c| c.usage.as_str()).collect();
        assert_eq!(
            usages,
            [
                "/history [member]",
                "/leaderboard [period] [metric] [track]",
                "/help"
            ]
        );
        assert!(listed[0].description.starts_with("Your answers"));
        assert!(listed.iter().all(|c| !c.organiser));
    }

    #[test]
    fn descriptions_fit_discords_hundred_characters() {
        let commands = [
            crate::bot::commands::history::history(),
            crate::bot::commands::leaderboard::leaderboard(),
            crate::bot::commands::profile::profile(),
            help(),
        ];
        for command in &commands {
            let description = command.description.as_deref().unwrap_or("");
            assert!(
                (1..=100).contains(&description.chars().count()),
                "{description}"
            );
            for p in &command.parameters {
                let text = p.description.as_deref().unwrap_or("");
                assert!((1..=100).contains(&text.chars().count()), "{text}");
            }
        }
    }
}
