//! `/config show|interviews|budget|retention|suggestions`: organisers (Manage Server) tune how
//! interviews run in their server — the quiet period before an answer is submitted, the idle
//! timeout, private threads, archiving, who may start interviews — the daily LLM token budget,
//! how long answers' text is kept, and where members' suggested questions are reviewed. Each
//! option left out keeps its value; each value out of range is named.

use std::time::Duration;

use poise::CreateReply;
use serenity::all::{GuildChannel, Role};

use crate::bot::session::spoken;
use crate::bot::{BotError, Context};
use crate::store::guilds::{self, GuildSettings};

/// Server settings for interviews and the LLM budget.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("show", "interviews", "budget", "retention", "suggestions"),
    subcommand_required
)]
pub async fn config(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Show this server's settings.
#[poise::command(slash_command, guild_only)]
async fn show(ctx: Context<'_>) -> Result<(), BotError> {
    let settings = guilds::settings(&ctx.data().app.pool, guild(ctx)?).await?;
    reply(ctx, describe(&settings)).await
}

/// How interviews run here; options left out keep their value.
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
async fn interviews(
    ctx: Context<'_>,
    #[description = "Seconds of quiet before an answer is submitted (0: Submit button only)"]
    #[min = 0]
    #[max = 600]
    quiet_period_secs: Option<u32>,
    #[description = "Minutes without activity before an interview ends as abandoned"]
    #[min = 5]
    #[max = 1440]
    idle_timeout_mins: Option<u32>,
    #[description = "Open interviews in private threads by default"] private_threads: Option<bool>,
    #[description = "Archive an interview's thread when it ends"] archive_on_finish: Option<bool>,
    #[description = "Show private-thread interviews in other members' /history and /profile"]
    share_private_history: Option<bool>,
    #[description = "Only members with this role may start interviews"] role: Option<Role>,
    #[description = "Let every member start interviews again"] everyone: Option<bool>,
    #[description = "How many interviews a member may start in an hour"]
    #[min = 1]
    #[max = 60]
    per_hour: Option<u8>,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    if role.is_some() && everyone == Some(true) {
        return Err(BotError::user(
            "Pick either a role or everyone: true, not both.",
        ));
    }
    let pool = &ctx.data().app.pool;
    let ((), s) = guilds::update_settings(pool, guild_id, |s| {
        if let Some(secs) = quiet_period_secs {
            s.quiet_period = Duration::from_secs(u64::from(secs.min(600)));
        }
        if let Some(mins) = idle_timeout_mins {
            s.idle_timeout = Duration::from_secs(u64::from(mins.clamp(5, 1440)) * 60);
        }
        if let Some(private) = private_threads {
            s.private_threads = private;
        }
        if let Some(archive) = archive_on_finish {
            s.archive_on_finish = archive;
        }
        if let Some(share) = share_private_history {
            s.share_private_history = share;
        }
        if let Some(n) = per_hour {
            s.interviews_per_hour = n.clamp(1, 60);
        }
        match (&role, everyone) {
            (Some(role), _) => s.interview_role_id = Some(role.id.get()),
            (None, Some(true)) => s.interview_role_id = None,
            _ => {}
        }
        Ok::<_, BotError>(())
    })
    .await?;
    reply(ctx, format!("Saved.\n{}", describe(&s))).await
}

/// The LLM tokens this server may use a day (0 or less: no limit).
#[poise::command(slash_command, guild_only)]
async fn budget(
    ctx: Context<'_>,
    #[description = "Tokens per day; 0 for no limit"] tokens: i64,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let pool = &ctx.data().app.pool;
    let ((), s) = guilds::update_settings(pool, guild_id, |s| {
        s.daily_token_budget = (tokens > 0).then_some(tokens);
        Ok::<_, BotError>(())
    })
    .await?;
    reply(ctx, format!("Saved.\n{}", describe(&s))).await
}

/// How long answers' text is kept here; scores stay for the boards.
#[poise::command(slash_command, guild_only)]
async fn retention(
    ctx: Context<'_>,
    #[description = "Erase answers' text after this many days (scores stay)"]
    #[min = 1]
    #[max = 3650]
    days: Option<u16>,
    #[description = "Keep answers' text until members erase it (the default)"] keep: Option<bool>,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let retention = match (days, keep) {
        (Some(_), Some(true)) => {
            return Err(BotError::user("Pick either days or keep: true, not both."))
        }
        (Some(days), _) => Some(days.clamp(1, 3650)),
        (None, Some(true)) => None,
        (None, _) => {
            return Err(BotError::user(
                "Give `days` (1 to 3650) to erase answers' text after that many days, or \
                 `keep: true` to keep it.",
            ))
        }
    };
    let pool = &ctx.data().app.pool;
    let ((), s) = guilds::update_settings(pool, guild_id, |s| {
        s.answer_retention_days = retention;
        Ok::<_, BotError>(())
    })
    .await?;
    reply(ctx, format!("Saved.\n{}", describe(&s))).await
}

/// Where members' suggested questions (`/questions suggest`) are reviewed.
#[poise::command(slash_command, guild_only)]
async fn suggestions(
    ctx: Context<'_>,
    #[description = "The channel organisers review suggestions in"]
    #[channel_types("Text")]
    channel: Option<GuildChannel>,
    #[description = "Stop taking suggestions"] off: Option<bool>,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let chosen = match (channel, off) {
        (Some(_), Some(true)) => {
            return Err(BotError::user(
                "Pick either a channel or off: true, not both.",
            ))
        }
        (Some(c), _) => Some(c.id.get()),
        (None, Some(true)) => None,
        (None, _) => {
            return Err(BotError::user(
                "Give `channel` to take suggestions there, or `off: true` to stop.",
            ))
        }
    };
    let pool = &ctx.data().app.pool;
    let ((), s) = guilds::update_settings(pool, guild_id, |s| {
        s.suggestion_channel_id = chosen;
        Ok::<_, BotError>(())
    })
    .await?;
    reply(ctx, format!("Saved.\n{}", describe(&s))).await
}

/// The settings, one per line, in the words members see.
fn describe(s: &GuildSettings) -> String {
    let quiet = if s.quiet_period.is_zero() {
        "only with the Submit button".to_owned()
    } else {
        format!("after {} of quiet, or with Submit", spoken(s.quiet_period))
    };
    let who = s.interview_role_id.map_or_else(
        || "every member".to_owned(),
        |r| format!("members with <@&{r}>"),
    );
    let budget = s
        .daily_token_budget
        .map_or_else(|| "no limit".to_owned(), |t| format!("{t} tokens a day"));
    [
        format!("• Answers are submitted {quiet}."),
        format!(
            "• An interview ends after {} without activity.",
            spoken(s.idle_timeout)
        ),
        format!(
            "• Threads are {} by default, and {} when the interview ends.",
            if s.private_threads {
                "private"
            } else {
                "public"
            },
            if s.archive_on_finish {
                "archived"
            } else {
                "left open"
            }
        ),
        format!(
            "• Interviews in private threads {} in other members' `/history` and `/profile`.",
            if s.share_private_history {
                "show"
            } else {
                "do not show"
            }
        ),
        format!(
            "• Who may start interviews: {who}, at most {} an hour each.",
            s.interviews_per_hour
        ),
        format!("• LLM budget: {budget}."),
        match s.answer_retention_days {
            None => "• Answers' text is kept until a member erases theirs (`/privacy delete`)."
                .to_owned(),
            Some(days) => {
                format!("• Answers' text is erased {days} days after it was written; scores stay.")
            }
        },
        match s.suggestion_channel_id {
            None => "• Members cannot suggest questions (`/config suggestions` turns it on)."
                .to_owned(),
            Some(c) => format!("• Members suggest questions with `/questions suggest`; organisers review them in <#{c}>."),
        },
        format!("• Time zone: {}.", s.timezone),
    ]
    .join("\n")
}

fn guild(ctx: Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user("Settings belong to a server: use this in one."))
}

async fn reply(ctx: Context<'_>, text: String) -> Result<(), BotError> {
    ctx.send(CreateReply::default().content(text).ephemeral(true))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_read_as_sentences() {
        let mut s = GuildSettings::default();
        let text = describe(&s);
        assert!(
            text.contains("after 20 seconds of quiet, or with Submit"),
            "{text}"
        );
        assert!(
            text.contains("ends after 30 minutes without activity"),
            "{text}"
        );
        assert!(text.contains("every member"), "{text}");
        s.quiet_period = Duration::ZERO;
        s.interview_role_id = Some(9);
        s.daily_token_budget = Some(50_000);
        let text = describe(&s);
        assert!(text.contains("only with the Submit button"), "{text}");
        assert!(text.contains("members with <@&9>"), "{text}");
        assert!(text.contains("50000 tokens a day"), "{text}");
        assert!(
            text.contains("text is kept until a member erases"),
            "{text}"
        );
        s.answer_retention_days = Some(90);
        assert!(
            describe(&s).contains("erased 90 days after"),
            "{}",
            describe(&s)
        );
    }
}
