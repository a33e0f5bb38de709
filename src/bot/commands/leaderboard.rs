//! `/leaderboard [period] [metric] [track]`: the server's board, ten to a page, always with the
//! reader's own standing. Periods follow the server's time zone. Previous/Next clicks arrive at
//! [`on_button`]; anyone may page, and each reader sees their own standing.

use serenity::all::{
    AutocompleteChoice, ComponentInteraction, Context as SerenityContext,
    CreateAutocompleteResponse,
};

use crate::bot::render::leaderboard::{
    board_page, BoardButton, BoardMetric, BoardPeriod, BoardView, PAGE_SIZE,
};
use crate::bot::render::limits::echo;
use crate::bot::render::Page;
use crate::bot::{Bot, BotError, Context};
use crate::store::leaderboards::{self, BoardQuery};
use crate::store::progress;

/// The server's leaderboard: average score, points, interviews, QOTD streak or reviews.
#[poise::command(slash_command, guild_only)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "Which period (default: all time)"] period: Option<BoardPeriod>,
    #[description = "What to rank by (default: average score)"] metric: Option<BoardMetric>,
    #[description = "Only this track (default: every track)"]
    #[autocomplete = "autocomplete_track"]
    track: Option<String>,
) -> Result<(), BotError> {
    let guild_id = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("`/leaderboard` works in a server."))?
        .get();
    let bot = ctx.data();
    let track = track.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let tracks = super::tracks_for(bot, Some(guild_id)).await?;
    let tracks: Vec<&str> = tracks.iter().map(String::as_str).collect();
    if let Some(problem) = track.as_deref().and_then(|t| unknown_track(&tracks, t)) {
        return Err(BotError::user(problem));
    }
    let button = BoardButton {
        period: period.unwrap_or(BoardPeriod::AllTime),
        metric: metric.unwrap_or(BoardMetric::AverageScore),
        page: 1,
        track,
    };
    let page = board(bot, guild_id, ctx.author().id.get(), &button).await?;
    ctx.send(page.into_reply()).await?;
    Ok(())
}

/// Answers a Previous/Next click with that page, showing the clicker's own standing.
pub async fn on_button(
    ctx: &SerenityContext,
    bot: &Bot,
    component: &ComponentInteraction,
) -> Result<(), BotError> {
    let (button, guild_id) = super::clicked(component, "leaderboard button", BoardButton::parse)?;
    let page = board(bot, guild_id, component.user.id.get(), &button).await?;
    component
        .create_response(&ctx.http, page.into_update())
        .await?;
    Ok(())
}

/// One page of the board the button names, as `reader` sees it.
async fn board(
    bot: &Bot,
    guild_id: u64,
    reader: u64,
    button: &BoardButton,
) -> Result<Page, BotError> {
    let today = progress::today(&bot.app.pool, guild_id).await?;
    let query = BoardQuery {
        guild_id,
        metric: button.metric.metric(),
        since: button.period.period().since(today),
        track: button.track.as_deref(),
        offset: i64::from(button.page.saturating_sub(1)).saturating_mul(PAGE_SIZE),
        limit: PAGE_SIZE,
        caller: reader,
    };
    let board = leaderboards::board(&bot.app.pool, &query).await?;
    Ok(board_page(&BoardView {
        period: button.period,
        metric: button.metric,
        track: button.track.as_deref(),
        page: button.page,
        board: &board,
        reader,
    }))
}

/// What is wrong with a track the bank does not know, naming the ones it does.
fn unknown_track(tracks: &[&str], track: &str) -> Option<String> {
    (!tracks.contains(&track)).then(|| {
        format!(
            "There is no track \"{}\". Tracks: {}.",
            echo(track),
            tracks.join(", ")
        )
    })
}

/// The tracks matching what the member has typed so far (Discord shows at most 25).
fn matching_tracks<'a>(tracks: &[&'a str], partial: &str) -> Vec<&'a str> {
    let partial = partial.trim().to_lowercase();
    tracks
        .iter()
        .copied()
        .filter(|t| t.to_lowercase().contains(&partial))
        .take(25)
        .collect()
}

async fn autocomplete_track(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let tracks = super::tracks_to_suggest(ctx.data(), ctx.guild_id().map(|g| g.get())).await;
    let tracks: Vec<&str> = tracks.iter().map(String::as_str).collect();
    let choices = matching_tracks(&tracks, partial)
        .into_iter()
        .map(|t| AutocompleteChoice::new(t, t))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACKS: [&str; 3] = ["backend", "databases", "system-design"];

    #[test]
    fn a_known_track_passes_and_an_unknown_one_lists_the_tracks() {
        assert_eq!(unknown_track(&TRACKS, "databases"), None);
        assert_eq!(
            unknown_track(&TRACKS, "cooking").as_deref(),
            Some("There is no track \"cooking\". Tracks: backend, databases, system-design.")
        );
    }

    #[test]
    fn autocomplete_offers_the_tracks_containing_what_was_typed() {
        assert_eq!(matching_tracks(&TRACKS, "  DATA"), ["databases"]);
        assert_eq!(
            matching_tracks(&TRACKS, "s"),
            ["databases", "system-design"]
        );
        assert_eq!(matching_tracks(&TRACKS, "").len(), 3);
    }
}
