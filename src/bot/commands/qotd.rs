//! `/qotd setup|now|pause|resume|status`: organisers (Manage Server) set up and run the daily
//! question. Setup validates everything a member can get wrong — the time, the zone, the track —
//! and names it; `now` posts today's question at once (still once per day).

use chrono::{NaiveTime, Utc};
use poise::CreateReply;
use serenity::all::{ChannelType, GuildChannel, Permissions, Role};

use super::interview::DifficultyChoice;
use crate::bank::Difficulty;
use crate::bot::qotd::{self, Posted};
use crate::bot::render::limits::echo;
use crate::bot::{BotError, Context};
use crate::qotd::{local_day, time_zone};
use crate::store::guilds::{self, GuildSettings, QotdSchedule};
use crate::store::qotd_posts;

/// The question of the day: set it up, post now, pause, resume, see its status.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("setup", "now", "pause", "resume", "status"),
    subcommand_required
)]
pub async fn qotd(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Post a question every day at a local time, in a channel, with answers in a thread.
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
async fn setup(
    ctx: Context<'_>,
    #[description = "Where to post"]
    #[channel_types("Text")]
    channel: GuildChannel,
    #[description = "Local time, 24-hour HH:MM, e.g. 09:00"] time: String,
    #[description = "IANA time zone, e.g. Europe/Paris or America/New_York"] timezone: String,
    #[description = "Only questions of this track"]
    #[autocomplete = "super::interview::autocomplete_track"]
    track: Option<String>,
    #[description = "Only questions of this difficulty"] difficulty: Option<DifficultyChoice>,
    #[description = "A role to mention with each post"] ping_role: Option<Role>,
    #[description = "Hide scores in the thread until the reveal"] hide_scores: Option<bool>,
    #[description = "Reveal at this local time (default: with the next post)"] reveal_time: Option<
        String,
    >,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let bot = ctx.data();
    let time = parse_time("time", &time)?;
    let reveal_time = reveal_time
        .as_deref()
        .map(|t| parse_time("reveal_time", t))
        .transpose()?;
    let zone = timezone.trim();
    if time_zone(zone).is_none() {
        return Err(BotError::user(format!(
            "timezone \"{}\" is not a time zone I know: use an IANA name such as \
             Europe/Paris, America/New_York or Asia/Kolkata.",
            echo(zone)
        )));
    }
    let track = track
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    let tracks = super::tracks_for(bot, ctx.guild_id().map(|g| g.get())).await?;
    if let Some(t) = track.as_deref().filter(|t| !tracks.iter().any(|k| k == t)) {
        return Err(BotError::user(format!(
            "There is no track \"{}\". Pick one of: {}.",
            echo(t),
            tracks.join(", ")
        )));
    }
    if channel.kind != ChannelType::Text {
        return Err(BotError::user(
            "Pick a text channel for the question of the day.",
        ));
    }
    if let Some(missing) = missing_permissions(ctx, &channel, ping_role.as_ref()) {
        return Err(BotError::user(format!(
            "I can't run the question of the day in <#{}>: I need the {} permission{} there. \
             Give it to me in that channel (or pick another), then run `/qotd setup` again.",
            channel.id,
            missing.join(" and "),
            if missing.len() == 1 { "" } else { "s" },
        )));
    }
    let ((), settings) = guilds::update_settings(&bot.app.pool, guild_id, |s| {
        s.timezone = zone.to_owned();
        s.qotd.channel_id = Some(channel.id.get());
        s.qotd.time = time;
        s.qotd.track = track;
        s.qotd.difficulty = difficulty.map(Difficulty::from);
        s.qotd.ping_role_id = ping_role.map(|r| r.id.get());
        s.qotd.hide_scores = hide_scores.unwrap_or(false);
        s.qotd.reveal_time = reveal_time;
        s.qotd.paused = false;
        Ok::<_, BotError>(())
    })
    .await?;
    let text = format!(
        "Question of the day set up: {}\nThe server's time zone is now {zone} (leaderboard \
         weeks and months follow it too).",
        describe(&settings)
    );
    reply(ctx, text).await
}

/// Post today's question now (if today's is not out yet).
#[poise::command(slash_command, guild_only)]
async fn now(ctx: Context<'_>) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let bot = ctx.data();
    ctx.defer_ephemeral().await?;
    let settings = guilds::settings(&bot.app.pool, guild_id).await?;
    let (Some(_), Some(tz)) = (settings.qotd.channel_id, time_zone(&settings.timezone)) else {
        return Err(BotError::user(NOT_SET_UP));
    };
    let now = Utc::now();
    let day = local_day(now, tz);
    let schedule = QotdSchedule {
        guild_id,
        timezone: settings.timezone.clone(),
        qotd: settings.qotd.clone(),
    };
    let Posted { posted, .. } = qotd::post_for_day(bot, &schedule, day, now).await?;
    if posted {
        return reply(ctx, "Today's question is posted.").await;
    }
    let link = qotd_posts::for_day(&bot.app.pool, guild_id, day)
        .await?
        .and_then(|p| p.thread_id)
        .map_or_else(String::new, |t| format!(" Answers go in <#{t}>."));
    reply(ctx, format!("Today's question is already out.{link}")).await
}

/// Stop posting until resumed.
#[poise::command(slash_command, guild_only)]
async fn pause(ctx: Context<'_>) -> Result<(), BotError> {
    set_paused(ctx, true).await
}

/// Post again every day.
#[poise::command(slash_command, guild_only)]
async fn resume(ctx: Context<'_>) -> Result<(), BotError> {
    set_paused(ctx, false).await
}

/// How the question of the day is set up.
#[poise::command(slash_command, guild_only)]
async fn status(ctx: Context<'_>) -> Result<(), BotError> {
    let settings = guilds::settings(&ctx.data().app.pool, guild(ctx)?).await?;
    if settings.qotd.channel_id.is_none() {
        return Err(BotError::user(NOT_SET_UP));
    }
    reply(ctx, describe(&settings)).await
}

async fn set_paused(ctx: Context<'_>, paused: bool) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let bot = ctx.data();
    let ((), settings) = guilds::update_settings(&bot.app.pool, guild_id, |s| {
        if s.qotd.channel_id.is_none() {
            return Err(BotError::user(NOT_SET_UP));
        }
        s.qotd.paused = paused;
        Ok(())
    })
    .await?;
    reply(ctx, describe(&settings)).await
}

/// What the bot lacks in `channel` to post the question, open its thread, answer there and
/// ping `role`; `None` when nothing is missing, or when the cache cannot tell (then posting
/// will say so the first time).
fn missing_permissions(
    ctx: Context<'_>,
    channel: &GuildChannel,
    role: Option<&Role>,
) -> Option<Vec<&'static str>> {
    let me = ctx.cache().current_user().id;
    let guild = ctx.guild()?;
    let cached = guild.channels.get(&channel.id)?;
    let member = guild.members.get(&me)?;
    let has = guild.user_permissions_in(cached, member);
    let mut needed = Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::CREATE_PUBLIC_THREADS
        | Permissions::SEND_MESSAGES_IN_THREADS;
    if role.is_some_and(|r| !r.mentionable) {
        // A role that is not mentionable by everyone pings only for who may mention all.
        needed |= Permissions::MENTION_EVERYONE;
    }
    let missing = needed - has;
    (!missing.is_empty()).then(|| missing.get_permission_names())
}

/// One paragraph on the guild's question of the day.
fn describe(s: &GuildSettings) -> String {
    let q = &s.qotd;
    let Some(channel) = q.channel_id else {
        return NOT_SET_UP.to_owned();
    };
    let mut text = format!(
        "{} at {} ({}) in <#{channel}>",
        if q.paused {
            "Paused; was every day"
        } else {
            "Every day"
        },
        q.time.format("%H:%M"),
        s.timezone
    );
    let filters: Vec<String> = [q.track.clone(), q.difficulty.map(|d| d.as_str().to_owned())]
        .into_iter()
        .flatten()
        .collect();
    if !filters.is_empty() {
        text.push_str(&format!(", {} questions", filters.join(" ")));
    }
    if let Some(role) = q.ping_role_id {
        text.push_str(&format!(", mentioning <@&{role}>"));
    }
    text.push_str(match (q.hide_scores, q.reveal_time) {
        (true, _) => "; scores stay hidden until the reveal",
        (false, _) => "; scores are shown as answers are scored",
    });
    match q.reveal_time {
        Some(t) => text.push_str(&format!(
            "; revealed at {} the same day.",
            t.format("%H:%M")
        )),
        None => text.push_str("; revealed with the next question."),
    }
    if let (true, Some(reason)) = (q.paused, q.paused_reason.as_deref()) {
        text.push_str(&format!(
            "\nIt paused itself: Discord refused to post it {} times in a row ({reason}). \
             Check that I can send messages and open threads in <#{channel}> (or pick another \
             channel with `/qotd setup`), then `/qotd resume`.",
            guilds::QOTD_REFUSALS_TO_PAUSE
        ));
    }
    text
}

/// A 24-hour `HH:MM` time; the error names the option.
pub(super) fn parse_time(option: &str, text: &str) -> Result<NaiveTime, BotError> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        BotError::user(format!(
            "{option} \"{}\" is not a time I can read: use 24-hour HH:MM, e.g. 09:00 or 18:30.",
            echo(text)
        ))
    })
}

fn guild(ctx: Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user("The question of the day runs in a server."))
}

async fn reply(ctx: Context<'_>, text: impl Into<String>) -> Result<(), BotError> {
    ctx.send(CreateReply::default().content(text).ephemeral(true))
        .await?;
    Ok(())
}

const NOT_SET_UP: &str =
    "The question of the day is not set up here yet: an organiser can run `/qotd setup`.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_24_hour_and_errors_name_the_option() {
        assert_eq!(
            parse_time("time", " 09:30 ").unwrap(),
            NaiveTime::from_hms_opt(9, 30, 0).unwrap()
        );
        let err = parse_time("reveal_time", "9am").unwrap_err().to_string();
        assert!(err.starts_with("reveal_time \"9am\""), "{err}");
    }

    #[test]
    fn the_status_reads_as_a_sentence() {
        let mut s = GuildSettings::default();
        assert_eq!(describe(&s), NOT_SET_UP);
        s.timezone = "Europe/Paris".into();
        s.qotd.channel_id = Some(7);
        s.qotd.track = Some("databases".into());
        s.qotd.hide_scores = true;
        let text = describe(&s);
        assert!(
            text.starts_with("Every day at 09:00 (Europe/Paris) in <#7>, databases questions"),
            "{text}"
        );
        assert!(text.contains("hidden until the reveal"), "{text}");
    }
}
