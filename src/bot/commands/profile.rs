//! `/profile [member]`: a member's averages per track and per dimension, their trend and their
//! weakest topics, from their scored answers in this server.

use serenity::all::User;

use crate::bot::render::profile::{empty_profile, profile as render_profile};
use crate::bot::{BotError, Context};
use crate::store::{history, progress};

/// Weakest topics shown.
const WEAKEST: i64 = 3;

/// Your averages per track and dimension, trend and weakest topics (or another member's).
#[poise::command(slash_command, guild_only)]
pub async fn profile(
    ctx: Context<'_>,
    #[description = "Whose profile (default: yours)"] member: Option<User>,
) -> Result<(), BotError> {
    let guild_id = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("`/profile` works in a server."))?
        .get();
    let member = member.as_ref().unwrap_or_else(|| ctx.author());
    let own = member.id == ctx.author().id;
    let pool = &ctx.data().app.pool;
    let user_id = member.id.get();
    let shown = super::history::shown(ctx.data(), guild_id, ctx.author().id.get(), user_id).await?;
    let lines = history::profile(pool, guild_id, user_id, shown).await?;
    let embed = if lines.is_empty() {
        empty_profile(member.display_name(), own)
    } else {
        let weakest = progress::weakest_topics(pool, guild_id, user_id, WEAKEST, shown).await?;
        render_profile(member.display_name(), own, &lines, &weakest)
    };
    ctx.send(poise::CreateReply::default().embed(embed)).await?;
    Ok(())
}
