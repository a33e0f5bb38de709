//! `/reviews show|set|remove|reset`: the emoji scale members review answers with. Anyone may
//! see it; organisers (Manage Server) change it. Each change loads the guild's settings, edits
//! the scale through the pure rules of `app::reviews::scale` (which name what is wrong), and
//! saves them back. Reviews already made keep their value: the scale applies to new reactions.

use std::collections::BTreeMap;

use crate::app::reviews::scale::{self, Scale, ScaleError};
use crate::bot::{BotError, Context};
use crate::store::guilds;

/// Peer review: react to an answer to review it. See or change the emoji scale.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("show", "set", "remove", "reset"),
    subcommand_required
)]
pub async fn reviews(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// The emoji that count as a review, and what each is worth.
#[poise::command(slash_command, guild_only, ephemeral)]
async fn show(ctx: Context<'_>) -> Result<(), BotError> {
    let settings = guilds::settings(&ctx.data().app.pool, guild(&ctx)?).await?;
    let text = describe(settings.review_scale.as_ref(), "Reviews");
    ctx.say(text).await?;
    Ok(())
}

/// Set what an emoji is worth as a review (−5 to 5). Organisers only.
#[poise::command(slash_command, guild_only, ephemeral)]
async fn set(
    ctx: Context<'_>,
    #[description = "The emoji, e.g. 👍 or one of this server's emoji"] emoji: String,
    #[description = "What a reaction with it is worth, from -5 to 5"]
    #[min = -5]
    #[max = 5]
    value: i64,
) -> Result<(), BotError> {
    let changed = change(&ctx, |current| scale::with_emoji(current, &emoji, value)).await?;
    let shown = scale::display(&scale::canonical(&emoji).unwrap_or_default());
    let text = describe(Some(&changed), &format!("{shown} is now worth {value:+}"));
    ctx.say(text).await?;
    Ok(())
}

/// Take an emoji off the scale: reactions with it no longer count. Organisers only.
#[poise::command(slash_command, guild_only, ephemeral)]
async fn remove(
    ctx: Context<'_>,
    #[description = "The emoji to take off the scale"] emoji: String,
) -> Result<(), BotError> {
    let changed = change(&ctx, |current| scale::without_emoji(current, &emoji)).await?;
    let shown = scale::display(&scale::canonical(&emoji).unwrap_or_default());
    let text = describe(Some(&changed), &format!("{shown} no longer counts"));
    ctx.say(text).await?;
    Ok(())
}

/// Go back to the default scale: 👍 +1, 👎 −1, ⭐ +2. Organisers only.
#[poise::command(slash_command, guild_only, ephemeral)]
async fn reset(ctx: Context<'_>) -> Result<(), BotError> {
    let bot = ctx.data();
    let guild_id = guild(&ctx)?;
    guilds::update_settings(&bot.app.pool, guild_id, |s| {
        s.review_scale = None;
        Ok::<_, BotError>(())
    })
    .await?;
    ctx.say(describe(None, "Back to the default scale")).await?;
    Ok(())
}

fn guild(ctx: &Context<'_>) -> Result<u64, BotError> {
    ctx.guild_id()
        .map(|g| g.get())
        .ok_or_else(|| BotError::user("`/reviews` works in a server."))
}

/// Loads the guild's settings, applies `edit` to its scale and saves the result; the new scale.
async fn change(
    ctx: &Context<'_>,
    edit: impl FnOnce(Option<&BTreeMap<String, i16>>) -> Result<BTreeMap<String, i16>, ScaleError>,
) -> Result<BTreeMap<String, i16>, BotError> {
    let bot = ctx.data();
    let guild_id = guild(ctx)?;
    let (changed, _) = guilds::update_settings(&bot.app.pool, guild_id, |s| {
        let changed = edit(s.review_scale.as_ref()).map_err(|e| BotError::user(e.to_string()))?;
        s.review_scale = Some(changed.clone());
        Ok::<_, BotError>(changed)
    })
    .await?;
    Ok(changed)
}

/// "{headline}. React to an answer…" and the scale, one emoji to a line.
pub fn describe(configured: Option<&BTreeMap<String, i16>>, headline: &str) -> String {
    let scale = Scale::new(configured);
    let mut text = format!("**{headline}.**\n");
    if scale.is_empty() {
        text.push_str(
            "No emoji count as reviews here: an organiser can add one with `/reviews set`.",
        );
        return text;
    }
    text.push_str(
        "React to someone's answer in an interview or question-of-the-day thread to review it \
         (your latest reaction counts):\n",
    );
    let lines: Vec<String> = scale
        .entries()
        .into_iter()
        .map(|(emoji, value)| format!("{emoji} {value:+}"))
        .collect();
    text.push_str(&lines.join("\n"));
    if configured.is_none() {
        text.push_str("\n*The default scale.*");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::reviews::scale::{MAX_VALUE, MIN_VALUE};

    #[test]
    fn the_default_scale_is_described_highest_first() {
        let text = describe(None, "Reviews");
        assert!(text.starts_with("**Reviews.**\n"), "{text}");
        assert!(text.contains("⭐ +2\n👍 +1\n👎 -1"), "{text}");
        assert!(text.ends_with("*The default scale.*"), "{text}");
    }

    #[test]
    fn an_empty_scale_says_how_to_add_an_emoji() {
        let text = describe(Some(&BTreeMap::new()), "🔥 no longer counts");
        assert!(text.contains("`/reviews set`"), "{text}");
    }

    #[test]
    fn custom_emoji_show_as_emoji() {
        let configured = BTreeMap::from([("blob:7".to_owned(), 0)]);
        let text = describe(Some(&configured), "<:blob:7> is now worth +0");
        assert!(text.contains("<:blob:7> +0"), "{text}");
    }

    #[test]
    fn the_bounds_in_the_option_match_the_scale() {
        // `#[min]`/`#[max]` above must be literals; keep them in step with the scale's.
        assert_eq!((MIN_VALUE, MAX_VALUE), (-5, 5));
    }
}
