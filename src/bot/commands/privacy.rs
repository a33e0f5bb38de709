//! `/privacy export|delete`: what Mockingbird keeps about the member who asks, in this server.
//! Export sends it all as a JSON file only they see. Delete asks first, with buttons only they
//! can press; on "Erase", their interviews, answers, QOTD answers and reviews are gone and the
//! boards are recomputed without them. Both are every member's right, so neither needs a role.

use serde_json::Value;
use serenity::all::{
    ButtonStyle, ComponentInteraction, Context as SerenityContext, CreateActionRow,
    CreateAttachment, CreateButton, CreateInteractionResponse, EditInteractionResponse,
};

use crate::bot::{Bot, BotError, Context};
use crate::store::privacy::{self, Erased};

/// The prefix of the confirmation buttons' ids: `privacy:erase:{user}`, `privacy:keep:{user}`.
const BUTTON: &str = "privacy:";

/// See or erase what Mockingbird keeps about you in this server.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("export", "delete"),
    subcommand_required
)]
pub async fn privacy(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Everything stored about you in this server, as a JSON file only you see.
#[poise::command(slash_command, guild_only)]
async fn export(ctx: Context<'_>) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let user_id = ctx.author().id.get();
    ctx.defer_ephemeral().await?;
    let data = privacy::export_member(&ctx.data().app.pool, guild_id, user_id).await?;
    let json = serde_json::to_vec_pretty(&data)
        .map_err(|e| BotError::Internal(format!("writing the export: {e}")))?;
    let file = CreateAttachment::bytes(json, format!("mockingbird-{guild_id}-{user_id}.json"));
    let reply = poise::CreateReply::default()
        .ephemeral(true)
        .content(describe_export(&data))
        .attachment(file);
    ctx.send(reply).await?;
    Ok(())
}

/// Erase everything stored about you in this server (you confirm first).
#[poise::command(slash_command, guild_only)]
async fn delete(ctx: Context<'_>) -> Result<(), BotError> {
    guild(ctx)?;
    let user_id = ctx.author().id.get();
    let buttons = CreateActionRow::Buttons(vec![
        CreateButton::new(format!("{BUTTON}erase:{user_id}"))
            .label("Erase my data")
            .style(ButtonStyle::Danger),
        CreateButton::new(format!("{BUTTON}keep:{user_id}"))
            .label("Keep it")
            .style(ButtonStyle::Secondary),
    ]);
    let reply = poise::CreateReply::default()
        .ephemeral(true)
        .content(
            "This erases, in this server, your interviews, your answers and their scores and \
             feedback, your question-of-the-day answers and streak, and the reviews you gave; \
             the boards are recomputed without them. It cannot be undone. `/privacy export` \
             first if you want a copy.",
        )
        .components(vec![buttons]);
    ctx.send(reply).await?;
    Ok(())
}

/// Whether a button is one of `/privacy delete`'s.
pub fn is_button(custom_id: &str) -> bool {
    custom_id.starts_with(BUTTON)
}

/// Answers "Erase my data" or "Keep it", from the member who ran `/privacy delete` only.
pub async fn on_button(
    ctx: &SerenityContext,
    bot: &Bot,
    component: &ComponentInteraction,
) -> Result<(), BotError> {
    let ((erase, owner), guild_id) = super::clicked(component, "privacy button", parse_button)?;
    if component.user.id.get() != owner {
        // Ephemeral messages are seen by their owner alone, so this is a forged or stale id.
        return Err(BotError::user("Only the member who asked can answer this."));
    }
    // Acknowledge first: erasing waits for the boards' writers and may pass Discord's three
    // seconds; the message is edited once it is done.
    component
        .create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
        .await?;
    let text = if erase {
        describe_erased(privacy::erase_member(&bot.app.pool, guild_id, owner).await?)
    } else {
        "Nothing was erased.".to_owned()
    };
    let done = EditInteractionResponse::new()
        .content(text)
        .components(vec![]);
    component.edit_response(&ctx.http, done).await?;
    Ok(())
}

/// `(erase, member)` from a button id.
fn parse_button(id: &str) -> Option<(bool, u64)> {
    let rest = id.strip_prefix(BUTTON)?;
    let (action, user) = rest.split_once(':')?;
    let erase = match action {
        "erase" => true,
        "keep" => false,
        _ => return None,
    };
    Some((erase, user.parse().ok()?))
}

fn describe_export(data: &Value) -> String {
    let count = |key: &str| data[key].as_array().map_or(0, Vec::len);
    format!(
        "Everything Mockingbird keeps about you in this server: {} interviews, {} answers, {} \
         question-of-the-day answers, {} reviews given and {} received (`schema_version` {} \
         describes the layout). `/privacy delete` erases it.",
        count("interviews"),
        count("answers"),
        count("qotd_answers"),
        count("reviews_given"),
        count("reviews_received"),
        privacy::EXPORT_SCHEMA_VERSION,
    )
}

fn describe_erased(erased: Erased) -> String {
    if erased.is_empty() {
        return "Nothing of yours was stored here besides your name, and that is gone too."
            .to_owned();
    }
    format!(
        "Erased: {} interviews, {} answers, {} question-of-the-day answers and {} reviews you \
         gave. The boards no longer count them.",
        erased.interviews, erased.answers, erased.qotd_answers, erased.reviews_given
    )
}

fn guild(ctx: Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user("Your data here belongs to a server: use this in one."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_name_their_action_and_member() {
        assert_eq!(parse_button("privacy:erase:42"), Some((true, 42)));
        assert_eq!(parse_button("privacy:keep:42"), Some((false, 42)));
        assert_eq!(parse_button("privacy:burn:42"), None);
        assert_eq!(parse_button("privacy:erase:me"), None);
        assert!(!is_button("hist:older:1"));
    }
}
