//! `/history [member]`: a member's answers, newest first, ten to a page, each with its peer
//! score, and a chart of their scores by day on the first page. Older/Newer clicks arrive at
//! [`on_button`]; only the member who ran the command may page, and the page is rebuilt from the
//! button's own id.

use std::collections::HashMap;

use serenity::all::{
    ComponentInteraction, Context as SerenityContext, CreateInteractionResponse,
    CreateInteractionResponseMessage, User,
};
use tracing::warn;

use crate::bot::render::history::{
    chart_points, empty_history, history_page, peer_rounds, Direction, HistoryButton, HistoryView,
    PAGE_SIZE,
};
use crate::bot::render::Page;
use crate::bot::{Bot, BotError, Context};
use crate::chart::render_scores;
use crate::store::history::{self, Cursor, HistoryItem, Shown};
use crate::store::progress;
use crate::store::reviews::{self, ReviewSummary};
use crate::store::{guilds, pairs};

/// Peer-graded answers listed on the first page.
const PEER_LINES: i64 = 5;

/// Days of scores the first page's chart covers (the member's most recent active days).
const CHART_DAYS: i64 = 30;

/// Your answers and scores, newest first (or another member's).
#[poise::command(slash_command, guild_only)]
pub async fn history(
    ctx: Context<'_>,
    #[description = "Whose history (default: yours)"] member: Option<User>,
) -> Result<(), BotError> {
    let guild_id = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("`/history` works in a server."))?
        .get();
    let member = member.as_ref().unwrap_or_else(|| ctx.author());
    let viewer = ctx.author().id.get();
    ctx.defer().await?;
    let name = member.display_name();
    let reply = match first_page(ctx.data(), guild_id, viewer, member.id.get(), name).await? {
        Some(page) => page.into_reply(),
        None => poise::CreateReply::default().embed(empty_history(name, member.id.get() == viewer)),
    };
    ctx.send(reply).await?;
    Ok(())
}

/// Answers an Older/Newer click by replacing the page with the one it asks for.
pub async fn on_button(
    ctx: &SerenityContext,
    bot: &Bot,
    component: &ComponentInteraction,
) -> Result<(), BotError> {
    let (button, guild_id) = super::clicked(component, "history button", HistoryButton::parse)?;
    if component.user.id.get() != button.viewer {
        let refusal = CreateInteractionResponseMessage::new()
            .content(
                "Only the member who ran this `/history` can page it. Run `/history` to see \
                 yours, or `/history member:` for someone else's.",
            )
            .ephemeral(true);
        let response = CreateInteractionResponse::Message(refusal);
        component.create_response(&ctx.http, response).await?;
        return Ok(());
    }
    let title = component
        .message
        .embeds
        .first()
        .and_then(|e| e.title.as_deref());
    let name = name_in_title(title);
    let page = match button.direction {
        Direction::Older => older_page(bot, guild_id, &button, name).await?,
        Direction::Newer => newer_page(bot, guild_id, &button, name).await?,
    };
    let update = match page {
        Some(page) => page.into_update(),
        None => Page {
            embed: empty_history(name, button.member == button.viewer),
            components: vec![],
            attachment: None,
        }
        .into_update(),
    };
    component.create_response(&ctx.http, update).await?;
    Ok(())
}

/// The member's name, read back from the title of the page being paged ("History: {name}").
fn name_in_title(title: Option<&str>) -> &str {
    title
        .and_then(|t| t.strip_prefix("History: "))
        .filter(|name| !name.is_empty())
        .unwrap_or("this member")
}

/// The newest answers with the chart; `None` when the member has no answers.
async fn first_page(
    bot: &Bot,
    guild_id: u64,
    viewer: u64,
    member: u64,
    name: &str,
) -> Result<Option<Page>, BotError> {
    let shown = shown(bot, guild_id, viewer, member).await?;
    let page = history::page(&bot.app.pool, guild_id, member, None, PAGE_SIZE, shown).await?;
    let (graded, given) = pairs::peer_history(&bot.app.pool, guild_id, member, PEER_LINES).await?;
    let peer = peer_rounds(&graded, given);
    if page.items.is_empty() {
        // Peer interviews alone still make a history.
        return Ok(peer.map(|(title, value)| Page {
            embed: empty_history(name, viewer == member).field(title, value, false),
            components: Vec::new(),
            attachment: None,
        }));
    }
    let chart = chart(bot, guild_id, member, shown).await?;
    let reviews = reviews_of(bot, &page.items).await?;
    let mut first = history_page(HistoryView {
        name,
        viewer,
        member,
        page: 1,
        items: &page.items,
        reviews: &reviews,
        older: page.next,
        chart,
    });
    if let Some((title, value)) = peer {
        first.embed = first.embed.field(title, value, false);
    }
    Ok(Some(first))
}

async fn older_page(
    bot: &Bot,
    guild_id: u64,
    button: &HistoryButton,
    name: &str,
) -> Result<Option<Page>, BotError> {
    let page = history::page(
        &bot.app.pool,
        guild_id,
        button.member,
        Some(button.from),
        PAGE_SIZE,
        shown(bot, guild_id, button.viewer, button.member).await?,
    )
    .await?;
    let reviews = reviews_of(bot, &page.items).await?;
    Ok(Some(history_page(HistoryView {
        name,
        viewer: button.viewer,
        member: button.member,
        page: button.page.max(2),
        items: &page.items,
        reviews: &reviews,
        older: page.next,
        chart: None,
    })))
}

/// The page newer than the button's answer; the first page (with its chart) once nothing
/// newer is left beyond it, so paging back always ends where `/history` began.
async fn newer_page(
    bot: &Bot,
    guild_id: u64,
    button: &HistoryButton,
    name: &str,
) -> Result<Option<Page>, BotError> {
    let (items, more) = progress::newer_history(
        &bot.app.pool,
        guild_id,
        button.member,
        button.from,
        PAGE_SIZE,
        shown(bot, guild_id, button.viewer, button.member).await?,
    )
    .await?;
    if !more {
        return first_page(bot, guild_id, button.viewer, button.member, name).await;
    }
    let older = items.last().map(|last| Cursor {
        created_at: last.created_at,
        answer_id: last.answer_id,
    });
    let reviews = reviews_of(bot, &items).await?;
    Ok(Some(history_page(HistoryView {
        name,
        viewer: button.viewer,
        member: button.member,
        page: button.page.max(2),
        items: &items,
        reviews: &reviews,
        older,
        chart: None,
    })))
}

/// What `viewer` may see of `member`'s answers: their private interviews only if it is them,
/// or the guild shares private interviews.
pub(crate) async fn shown(
    bot: &Bot,
    guild_id: u64,
    viewer: u64,
    member: u64,
) -> Result<Shown, BotError> {
    if viewer == member {
        return Ok(Shown::Everything);
    }
    let share = guilds::settings(&bot.app.pool, guild_id)
        .await?
        .share_private_history;
    Ok(Shown::to(viewer, member, share))
}

/// The peer reviews of a page's answers, in one query.
async fn reviews_of(
    bot: &Bot,
    items: &[HistoryItem],
) -> Result<HashMap<i64, ReviewSummary>, BotError> {
    let ids: Vec<i64> = items.iter().map(|item| item.answer_id).collect();
    Ok(reviews::summaries(&bot.app.pool, &ids).await?)
}

/// The chart of the member's scores by day; `None` (and a warning) if drawing it fails, since
/// the page is worth showing without it.
async fn chart(
    bot: &Bot,
    guild_id: u64,
    member: u64,
    shown: Shown,
) -> Result<Option<Vec<u8>>, BotError> {
    let pool = &bot.app.pool;
    let days = progress::daily_scores(pool, guild_id, member, CHART_DAYS, shown).await?;
    if days.is_empty() {
        return Ok(None);
    }
    let points = chart_points(&days);
    // Drawing is CPU work: keep it off the async workers.
    let drawn = tokio::task::spawn_blocking(move || render_scores("Scores by day", &points)).await;
    match drawn {
        Ok(Ok(png)) => Ok(Some(png)),
        Ok(Err(e)) => {
            warn!(guild_id, member, error = %crate::bot::error_chain(&e), "history chart failed");
            Ok(None)
        }
        Err(e) => {
            warn!(guild_id, member, error = %crate::bot::error_chain(&e), "history chart task failed");
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_members_name_is_read_back_from_the_page_title() {
        assert_eq!(name_in_title(Some("History: Ada")), "Ada");
        assert_eq!(name_in_title(Some("History: ")), "this member");
        assert_eq!(name_in_title(Some("Something else")), "this member");
        assert_eq!(name_in_title(None), "this member");
    }
}
