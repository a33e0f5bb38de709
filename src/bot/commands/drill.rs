//! `/drill start|status|remind`: spaced-repetition review of questions the member answered
//! before. A drill is an interview (same thread, buttons, scoring and durability) over the
//! questions due today, with no follow-ups; its report says when each comes back.

use crate::bot::names::member_name;
use chrono::Utc;
use poise::CreateReply;

use super::opening::{admit, open, Opening};
use super::qotd::parse_time;
use crate::app::drills::{self, MAX_DRILL};
use crate::bot::render::drill::{nothing_due, status as status_text};
use crate::bot::render::limits::echo;
use crate::bot::{BotError, Context};
use crate::interview::TrackChoice;
use crate::store::{drills as stored, guilds};

/// Spaced repetition: review the questions you answered before, when they are due.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("start", "status", "remind"),
    subcommand_required
)]
pub async fn drill(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Answer the questions due for review today, in a thread of your own.
#[poise::command(slash_command, guild_only)]
async fn start(
    ctx: Context<'_>,
    #[description = "At most this many questions (1–5, default 5)"]
    #[min = 1]
    #[max = 5]
    questions: Option<u8>,
    #[description = "A private thread only you (and moderators) can see"] private: Option<bool>,
) -> Result<(), BotError> {
    let admitted = admit(ctx).await?;
    let (bot, user_id) = (ctx.data(), ctx.author().id.get());
    let schedule = drills::schedule(&bot.app, admitted.guild_id, user_id, Utc::now()).await?;
    let limit = questions.map_or(MAX_DRILL, usize::from).min(MAX_DRILL);
    let due = schedule.due(limit);
    let Some(first) = due.first() else {
        return Err(BotError::user(nothing_due(&schedule)));
    };
    let ids: Vec<String> = due.iter().map(|q| q.id.clone()).collect();
    let opening = Opening {
        track: TrackChoice::Mixed,
        difficulty: first.difficulty,
        plan: &ids,
        private: private.unwrap_or(admitted.settings.private_threads),
        adaptive: None,
        style: None,
        drill: true,
        design: None,
        spoken: false,
    };
    let thread = open(ctx, &admitted, &opening).await?;
    let plural = if ids.len() == 1 { "" } else { "s" };
    reply(
        ctx,
        format!(
            "Your drill is ready in <#{thread}>: {} question{plural} due.",
            ids.len()
        ),
    )
    .await
}

/// What is due for review today and next, your drill streak, and your reminder.
#[poise::command(slash_command, guild_only)]
async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let (bot, user_id) = (ctx.data(), ctx.author().id.get());
    let schedule = drills::schedule(&bot.app, guild_id, user_id, Utc::now()).await?;
    let reminder = stored::reminder(&bot.app.pool, guild_id, user_id).await?;
    reply(ctx, status_text(&schedule, reminder.as_ref())).await
}

/// A daily DM when questions are due (off until you turn it on).
#[poise::command(slash_command, guild_only)]
async fn remind(
    ctx: Context<'_>,
    #[description = "When, 24-hour HH:MM in your time zone, e.g. 08:30"] time: Option<String>,
    #[description = "Your time zone, e.g. Europe/Berlin (default: the server's)"] zone: Option<
        String,
    >,
    #[description = "Turn the reminder off"] off: Option<bool>,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let (bot, user_id) = (ctx.data(), ctx.author().id.get());
    if off == Some(true) {
        let was_on = stored::clear_reminder(&bot.app.pool, guild_id, user_id).await?;
        let text = match was_on {
            true => "Your drill reminder is off.",
            false => "Your drill reminder was already off.",
        };
        return reply(ctx, text).await;
    }
    let Some(time) = time else {
        return Err(BotError::user(
            "Give a `time` (24-hour HH:MM) for the reminder, or `off:True` to turn it off.",
        ));
    };
    let at = parse_time("time", &time)?;
    let zone = match zone.map(|z| z.trim().to_owned()).filter(|z| !z.is_empty()) {
        Some(z) => z,
        None => guilds::settings(&bot.app.pool, guild_id).await?.timezone,
    };
    if crate::qotd::time_zone(&zone).is_none() {
        return Err(BotError::user(format!(
            "zone \"{}\" is not a time zone I know: use an IANA name such as Europe/Berlin, \
             America/New_York or UTC.",
            echo(&zone)
        )));
    }
    let member = ctx.author_member().await;
    let display = member_name(
        ctx.author(),
        member.as_ref().and_then(|m| m.nick.as_deref()),
    );
    guilds::upsert_member(&bot.app.pool, guild_id, user_id, &display).await?;
    drills::remind(&bot.app, guild_id, user_id, at, &zone).await?;
    reply(
        ctx,
        format!(
            "I'll DM you at {} ({zone}) on days when questions are due for review. \
             Turn it off with `/drill remind off:True`.",
            at.format("%H:%M")
        ),
    )
    .await
}

fn guild(ctx: Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user("Drills run in a server; use this command in one."))
}

async fn reply(ctx: Context<'_>, text: impl Into<String>) -> Result<(), BotError> {
    ctx.send(CreateReply::default().content(text).ephemeral(true))
        .await?;
    Ok(())
}
