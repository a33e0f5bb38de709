//! `/questions import` and `/questions export`: a server's pack travels as a question file in
//! the bank's TOML format. An import is checked as `mockingbird questions check` checks the
//! bank and saved only when the whole file is right, with every problem listed as
//! `file:line: question "id": field: message`; an export imports back unchanged.

use poise::CreateReply;
use serenity::all::{Attachment, CreateAttachment};

use super::{guild, no_track, Served};
use crate::app::packs::{self, Imported};
use crate::bank::{to_toml, Problem, Question};
use crate::bot::render::limits::echo;
use crate::bot::{BotError, Context};

/// The largest pack file taken: the whole bundled bank, exported, is about 1.4 MB.
const MAX_PACK_BYTES: u32 = 2 * 1024 * 1024;

/// Problems listed in the reply itself; more go in an attached text file.
const PROBLEMS_INLINE: usize = 1500;

/// Add or update this server's own questions from a question file (TOML, as exported).
#[poise::command(slash_command, guild_only)]
pub async fn import(
    ctx: Context<'_>,
    #[description = "A question file (.toml), in the format /questions export writes"]
    file: Attachment,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    if file.size > MAX_PACK_BYTES {
        return Err(BotError::user(format!(
            "`{}` is {} KB; a pack file may be {} KB at most. Split it into several files.",
            echo(&file.filename),
            file.size / 1024,
            MAX_PACK_BYTES / 1024
        )));
    }
    // Downloading and checking may take longer than the three seconds Discord allows.
    ctx.defer_ephemeral().await?;
    let bytes = file.download().await.map_err(|e| {
        BotError::user(format!(
            "I could not download `{}` from Discord ({e}). Try uploading it again.",
            echo(&file.filename)
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        BotError::user(format!(
            "`{}` is not a text file: a pack is TOML, as `/questions export` writes it.",
            echo(&file.filename)
        ))
    })?;
    let bot = ctx.data();
    let reply = match packs::import(&bot.app, guild_id, &file.filename, &text).await? {
        Ok(imported) => CreateReply::default().content(imported_text(&file.filename, &imported)),
        Err(problems) => refusal(&file.filename, &problems),
    };
    ctx.send(reply.ephemeral(true)).await?;
    Ok(())
}

/// This server's own questions (or, on request, with the bundled ones) as a question file.
#[poise::command(slash_command, guild_only)]
pub async fn export(
    ctx: Context<'_>,
    #[description = "Only this track's questions"] track: Option<String>,
    #[description = "Include the bundled questions (to start a pack from them)"] bundled: Option<
        bool,
    >,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let served = Served::load(ctx.data(), guild_id).await?;
    let track = track.map(|t| t.trim().to_lowercase());
    if let Some(t) = track.as_deref().filter(|t| !served.bank.has_track(t)) {
        return Err(no_track(&served.bank, t));
    }
    let bundled = bundled.unwrap_or(false);
    let chosen: Vec<&Question> = served
        .bank
        .questions()
        .iter()
        .map(|q| q.as_ref())
        .filter(|q| bundled || served.own.contains(&q.id))
        .filter(|q| q.fits(track.as_deref(), None))
        .collect();
    if chosen.is_empty() {
        return Err(BotError::user(
            "This server has no questions of its own there yet. `/questions export \
             bundled:true` writes the bundled ones, to start a pack from.",
        ));
    }
    let text = to_toml(&chosen).map_err(|e| BotError::Internal(e.to_string()))?;
    let scope = if bundled { "questions" } else { "pack" };
    let name = format!("{scope}-{}.toml", track.as_deref().unwrap_or("all"));
    let reply = CreateReply::default()
        .ephemeral(true)
        .content(format!(
            "{} questions, in the format `/questions import` and `mockingbird questions check` \
             read.",
            chosen.len()
        ))
        .attachment(CreateAttachment::bytes(text.into_bytes(), name));
    ctx.send(reply).await?;
    Ok(())
}

fn imported_text(file: &str, imported: &Imported) -> String {
    let mut text = format!(
        "Imported `{}`: {} added, {} changed, {} unchanged.",
        echo(file),
        imported.added.len(),
        imported.changed.len(),
        imported.unchanged.len()
    );
    if !imported.changed.is_empty() {
        text.push_str(
            " A changed question keeps its history; interviews already running finish with \
             the version they started with.",
        );
    }
    if !imported.overriding.is_empty() {
        text.push_str(&format!(
            "\nThis server now asks its own version of {} bundled question(s): {}.",
            imported.overriding.len(),
            ids(&imported.overriding)
        ));
    }
    text.push_str("\n`/questions list source:this server's own` lists them.");
    text
}

/// Nothing was imported: every problem, in the reply when short, else as a text file.
fn refusal(file: &str, problems: &[Problem]) -> CreateReply {
    let head = format!(
        "Nothing was imported: `{}` has {} problem(s). Fix them and upload it again.",
        echo(file),
        problems.len()
    );
    let listed: String = problems.iter().map(|p| format!("{p}\n")).collect();
    if listed.len() <= PROBLEMS_INLINE {
        return CreateReply::default()
            .content(format!("{head}\n```\n{}```", listed.replace("```", "'''")));
    }
    CreateReply::default()
        .content(format!("{head} They are listed in the attached file."))
        .attachment(CreateAttachment::bytes(listed.into_bytes(), "problems.txt"))
}

fn ids(ids: &[String]) -> String {
    let shown: Vec<String> = ids.iter().take(10).map(|id| format!("`{id}`")).collect();
    match ids.len() {
        n if n > 10 => format!("{} and {} more", shown.join(", "), n - 10),
        _ => shown.join(", "),
    }
}
