//! `/questions list|show|disable|enable|export`: organisers (Manage Server) look through the
//! bank their server draws from, read a question's rubric before members meet it, take a
//! question out of (or back into) their interviews and question of the day, and download the
//! bank (or a track) as a question file to start a pack of their own from. Disabling changes
//! nothing for other servers; a question already asked stays in history and on the boards.

use poise::CreateReply;
use serenity::all::CreateAttachment;

use crate::bot::render::limits::echo;
use crate::bot::render::questions as render;
use crate::bot::{BotError, Context};
use crate::store::questions;

/// Browse the question bank and choose which questions this server asks.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("list", "show", "disable", "enable", "export"),
    subcommand_required,
    required_permissions = "MANAGE_GUILD",
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn questions(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// The bank's tracks, or one track's questions, with what this server disabled.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
async fn list(
    ctx: Context<'_>,
    #[description = "Only this track's questions"] track: Option<String>,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let bot = ctx.data();
    let hidden = questions::hidden(&bot.app.pool, guild_id).await?;
    let bank = &bot.app.bank;
    let embed = match track.as_deref().map(|t| t.trim().to_lowercase()) {
        None => render::tracks(bank, &hidden),
        Some(t) if bank.has_track(&t) => {
            let mut in_track: Vec<_> = bank
                .questions()
                .iter()
                .filter(|q| q.track == t)
                .map(|q| q.as_ref())
                .collect();
            in_track.sort_by(|a, b| (a.difficulty, &a.id).cmp(&(b.difficulty, &b.id)));
            render::track(&t, &in_track, &hidden)
        }
        Some(t) => {
            return Err(BotError::user(format!(
                "There is no track \"{}\". Pick one of: {}.",
                echo(&t),
                bank.tracks().join(", ")
            )))
        }
    };
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}

/// One question with its rubric and model answer (only you see it).
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
async fn show(
    ctx: Context<'_>,
    #[description = "The question's id, as /questions list shows it"] id: String,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let bot = ctx.data();
    let q = known(ctx, &id)?;
    let hidden = questions::hidden(&bot.app.pool, guild_id).await?;
    let embed = render::question(q, hidden.contains(&q.id));
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}

/// Take a question out of this server's interviews and question of the day.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
async fn disable(
    ctx: Context<'_>,
    #[description = "The question's id, as /questions list shows it"] id: String,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let id = known(ctx, &id)?.id.clone();
    let changed = questions::hide(&ctx.data().app.pool, guild_id, &id).await?;
    let text = if changed {
        format!(
            "`{id}` is disabled here: new interviews and questions of the day skip it. \
             `/questions enable id:{id}` brings it back."
        )
    } else {
        format!("`{id}` was already disabled here.")
    };
    reply(ctx, text).await
}

/// Put a disabled question back into this server's interviews and question of the day.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
async fn enable(
    ctx: Context<'_>,
    #[description = "The question's id, as /questions list shows it"] id: String,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let id = id.trim();
    // A question that left the bank may still be disabled: enabling it is always allowed.
    let changed = questions::unhide(&ctx.data().app.pool, guild_id, id).await?;
    let text = if changed {
        format!("`{}` is asked here again.", echo(id))
    } else {
        format!("`{}` was not disabled here.", echo(id))
    };
    reply(ctx, text).await
}

/// The bank (or one track) as a question file, in the format `questions check` reads.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
async fn export(
    ctx: Context<'_>,
    #[description = "Only this track's questions"] track: Option<String>,
) -> Result<(), BotError> {
    guild(ctx)?;
    let bank = &ctx.data().app.bank;
    let track = track.map(|t| t.trim().to_lowercase());
    if let Some(t) = track.as_deref().filter(|t| !bank.has_track(t)) {
        return Err(BotError::user(format!(
            "There is no track \"{}\". Pick one of: {}.",
            echo(t),
            bank.tracks().join(", ")
        )));
    }
    let chosen: Vec<_> = bank
        .questions()
        .iter()
        .filter(|q| track.as_deref().is_none_or(|t| q.track == t))
        .map(|q| q.as_ref())
        .collect();
    let text = crate::bank::to_toml(&chosen).map_err(|e| BotError::Internal(e.to_string()))?;
    let name = format!("questions-{}.toml", track.as_deref().unwrap_or("all"));
    let reply = CreateReply::default()
        .ephemeral(true)
        .content(format!(
            "{} questions, in the format `mockingbird questions check` reads.",
            chosen.len()
        ))
        .attachment(CreateAttachment::bytes(text.into_bytes(), name));
    ctx.send(reply).await?;
    Ok(())
}

/// The bank's question with this id, or a refusal that says where ids are listed.
fn known<'a>(ctx: Context<'a>, id: &str) -> Result<&'a crate::bank::Question, BotError> {
    let id = id.trim();
    ctx.data()
        .app
        .bank
        .get(id)
        .map(|q| q.as_ref())
        .ok_or_else(|| {
            BotError::user(format!(
                "There is no question \"{}\". `/questions list track:<name>` shows the ids.",
                echo(id)
            ))
        })
}

fn guild(ctx: Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user("Questions are chosen per server: use this in one."))
}

async fn reply(ctx: Context<'_>, text: String) -> Result<(), BotError> {
    ctx.send(CreateReply::default().content(text).ephemeral(true))
        .await?;
    Ok(())
}
