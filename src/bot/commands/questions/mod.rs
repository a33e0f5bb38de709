//! `/questions`: organisers (Manage Server) look through the questions their server draws from
//! (the bundled bank with the server's own pack over it), read a rubric before members meet it,
//! take a question out of (or back into) their interviews and question of the day, and import
//! and export their pack (`pack`); any member may suggest a question for the organisers to
//! review (`suggest`). Nothing here changes another server's questions; a question already
//! asked stays in history and on the boards as it was asked.

mod form;
mod pack;
mod suggest;

use std::collections::HashSet;
use std::sync::Arc;

use poise::CreateReply;

use crate::app;
use crate::bank::{Bank, Question};
use crate::bot::render::limits::echo;
use crate::bot::render::questions::{self as render, Listing};
use crate::bot::{Bot, BotError, Context};
use crate::store::questions;

pub use suggest::{is_suggestion_event, on_review_button, on_suggestion_modal};

/// Browse, choose, import and export this server's questions, or suggest one.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "list",
        "show",
        "disable",
        "enable",
        "pack::export",
        "pack::import",
        "suggest::suggest"
    ),
    subcommand_required
)]
pub async fn questions(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Which questions `/questions list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum Source {
    #[name = "all"]
    All,
    #[name = "this server's own"]
    Server,
    #[name = "bundled"]
    Bundled,
}

/// The server's tracks, or one track's questions, with what this server added and disabled.
#[poise::command(slash_command, guild_only)]
async fn list(
    ctx: Context<'_>,
    #[description = "Only this track's questions"] track: Option<String>,
    #[description = "Only the server's own questions, or only the bundled ones"] source: Option<
        Source,
    >,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let bot = ctx.data();
    let served = Served::load(bot, guild_id).await?;
    let source = source.unwrap_or(Source::All);
    let chosen: Vec<&Question> = served
        .bank
        .questions()
        .iter()
        .map(|q| q.as_ref())
        .filter(|q| match source {
            Source::All => true,
            Source::Server => served.own.contains(&q.id),
            Source::Bundled => !served.own.contains(&q.id),
        })
        .collect();
    let listing = Listing {
        hidden: &served.hidden,
        own: &served.own,
    };
    let embed = match track.as_deref().map(|t| t.trim().to_lowercase()) {
        None => render::tracks(&chosen, &listing),
        Some(t) if served.bank.has_track(&t) => {
            let mut in_track: Vec<&Question> =
                chosen.into_iter().filter(|q| q.track == t).collect();
            in_track.sort_by(|a, b| (a.difficulty, &a.id).cmp(&(b.difficulty, &b.id)));
            render::track(&t, &in_track, &listing)
        }
        Some(t) => return Err(no_track(&served.bank, &t)),
    };
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}

/// One question with its rubric and model answer (only you see it).
#[poise::command(slash_command, guild_only)]
async fn show(
    ctx: Context<'_>,
    #[description = "The question's id, as /questions list shows it"] id: String,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let served = Served::load(ctx.data(), guild_id).await?;
    let q = served.known(&id)?;
    let listing = Listing {
        hidden: &served.hidden,
        own: &served.own,
    };
    let embed = render::question(q, &listing);
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}

/// Take a question out of this server's interviews and question of the day.
#[poise::command(slash_command, guild_only)]
async fn disable(
    ctx: Context<'_>,
    #[description = "The question's id, as /questions list shows it"] id: String,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let served = Served::load(ctx.data(), guild_id).await?;
    let id = served.known(&id)?.id.clone();
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
#[poise::command(slash_command, guild_only)]
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

/// What a server is served: the bank with its pack over it, its own ids, and what it disabled.
struct Served {
    bank: Bank,
    own: HashSet<String>,
    hidden: HashSet<String>,
}

impl Served {
    async fn load(bot: &Bot, guild_id: u64) -> Result<Served, BotError> {
        let pack: Vec<Arc<Question>> = app::questions::pack(&bot.app, guild_id).await?;
        let own = pack.iter().map(|q| q.id.clone()).collect();
        Ok(Served {
            bank: bot.app.bank.with_pack(pack),
            own,
            hidden: questions::hidden(&bot.app.pool, guild_id).await?,
        })
    }

    /// The question with this id, or a refusal that says where ids are listed.
    fn known(&self, id: &str) -> Result<&Question, BotError> {
        let id = id.trim();
        self.bank.get(id).map(|q| q.as_ref()).ok_or_else(|| {
            BotError::user(format!(
                "There is no question \"{}\". `/questions list track:<name>` shows the ids.",
                echo(id)
            ))
        })
    }
}

fn no_track(bank: &Bank, track: &str) -> BotError {
    BotError::user(format!(
        "There is no track \"{}\". Pick one of: {}.",
        echo(track),
        bank.tracks().join(", ")
    ))
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
