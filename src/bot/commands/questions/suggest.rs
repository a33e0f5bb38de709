//! `/questions suggest`: any member proposes a question through a form; it lands in the
//! server's review channel with Approve / Edit / Reject buttons for organisers (Manage
//! Server), and the author hears the outcome by DM (or, with DMs closed, in the channel they
//! suggested from). Forms and buttons carry everything in their ids and the suggestion is in
//! the database, so a restart between a click and the next loses nothing.

use crate::bot::names::member_name;
use serenity::all::{
    ChannelId, ComponentInteraction, Context as Discord, CreateAllowedMentions,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage, Member,
    ModalInteraction, UserId,
};
use tracing::warn;

use super::form::{draft_from, form, problems_text};
use super::guild;
use crate::app::suggestions::{self, slug, Decided, Draft};
use crate::bank::Difficulty;
use crate::bot::commands::interview::DifficultyChoice;
use crate::bot::render::suggestions::{self as render, PREFIX};
use crate::bot::{error_chain, Bot, BotError, Context};
use crate::store::guilds;
use crate::store::suggestions::Status;

/// Suggest a question for this server's interviews; the organisers review it.
#[poise::command(slash_command, guild_only)]
pub async fn suggest(
    ctx: Context<'_>,
    #[description = "The track it belongs to (a new one is fine)"]
    #[autocomplete = "crate::bot::commands::interview::autocomplete_track"]
    track: String,
    #[description = "Who it is for"] level: DifficultyChoice,
) -> Result<(), BotError> {
    let guild_id = guild(ctx)?;
    let settings = guilds::settings(&ctx.data().app.pool, guild_id).await?;
    if settings.suggestion_channel_id.is_none() {
        return Err(BotError::user(
            "This server does not take question suggestions yet: an organiser turns them on \
             with `/config suggestions channel:<channel>`.",
        ));
    }
    let track = slug(&track);
    if track.is_empty() {
        return Err(BotError::user("Name the track with letters or digits."));
    }
    let level = Difficulty::from(level);
    // The form carries the command's options in its id: ids are at most 100 characters.
    let custom_id = format!("{PREFIX}new:{level}:{}", cut_slug(&track, 60));
    let poise::Context::Application(app_ctx) = ctx else {
        return Err(BotError::user(
            "Use `/questions suggest` as a slash command.",
        ));
    };
    let form = form(custom_id, "Suggest a question", None);
    app_ctx
        .interaction
        .create_response(ctx.serenity_context(), form)
        .await?;
    Ok(())
}

/// Whether a form or button belongs here.
pub fn is_suggestion_event(custom_id: &str) -> bool {
    custom_id.starts_with(PREFIX)
}

/// A submitted form: a new suggestion, or an organiser's edit of one.
pub async fn on_suggestion_modal(
    ctx: &Discord,
    bot: &Bot,
    modal: &ModalInteraction,
) -> Result<(), BotError> {
    let guild_id = modal
        .guild_id
        .ok_or_else(|| BotError::user("Suggestions are made in a server."))?
        .get();
    let id = &modal.data.custom_id;
    if let Some(rest) = id.strip_prefix(PREFIX).and_then(|r| r.strip_prefix("new:")) {
        let (level, track) = rest.split_once(':').unwrap_or(("mid", rest));
        let difficulty = level.parse().unwrap_or(Difficulty::Mid);
        let draft = draft_from(&modal.data, track.to_owned(), difficulty);
        return submitted(ctx, bot, guild_id, modal, &draft).await;
    }
    let Some(suggestion_id) = number_after(id, "edit:") else {
        return Ok(());
    };
    if !may_review(modal.member.as_ref()) {
        return reply(ctx, modal, NOT_ORGANISER).await;
    }
    let Some(stored) =
        crate::store::suggestions::get(&bot.app.pool, guild_id, suggestion_id).await?
    else {
        return reply(ctx, modal, GONE).await;
    };
    let old = suggestions::draft_of(&stored)?;
    let draft = draft_from(&modal.data, old.track, old.difficulty);
    match suggestions::edit(&bot.app, guild_id, suggestion_id, &draft).await? {
        None => {
            reply(
                ctx,
                modal,
                "Someone decided this suggestion before your edit.",
            )
            .await
        }
        Some(Err(problems)) => reply(ctx, modal, &problems_text(&problems)).await,
        Some(Ok(s)) => {
            let status = format!("Open — edited by {}.", modal.user.name);
            let update = CreateInteractionResponseMessage::new()
                .embed(render::review(&draft, s.user_id, &status))
                .components(render::review_buttons(suggestion_id));
            modal
                .create_response(ctx, CreateInteractionResponse::UpdateMessage(update))
                .await?;
            Ok(())
        }
    }
}

/// A new suggestion: saved and posted for review, or sent back with what is wrong with it.
async fn submitted(
    ctx: &Discord,
    bot: &Bot,
    guild_id: u64,
    modal: &ModalInteraction,
    draft: &Draft,
) -> Result<(), BotError> {
    let settings = guilds::settings(&bot.app.pool, guild_id).await?;
    let Some(review_channel) = settings.suggestion_channel_id.map(ChannelId::new) else {
        return reply(ctx, modal, "This server stopped taking suggestions.").await;
    };
    let nick = modal.member.as_ref().and_then(|m| m.nick.as_deref());
    let name = member_name(&modal.user, nick);
    let member = (modal.user.id.get(), name.as_str());
    let channel = modal.channel_id.get();
    let suggestion_id =
        match suggestions::submit(&bot.app, guild_id, member, channel, draft).await? {
            Ok(id) => id,
            Err(problems) => return reply(ctx, modal, &problems_text(&problems)).await,
        };
    let post = CreateMessage::new()
        .embed(render::review(
            draft,
            member.0,
            "Open: waiting for an organiser.",
        ))
        .components(render::review_buttons(suggestion_id))
        .allowed_mentions(CreateAllowedMentions::new());
    match review_channel.send_message(&bot.http, post).await {
        Ok(message) => {
            crate::store::suggestions::set_review_message(
                &bot.app.pool,
                suggestion_id,
                review_channel.get(),
                message.id.get(),
            )
            .await?;
            let thanks = "Thank you! Your question went to the organisers; you will hear \
                          whether it is taken.";
            reply(ctx, modal, thanks).await
        }
        Err(e) => {
            warn!(guild_id, error = %error_chain(&e), "posting a suggestion for review failed");
            let text = "Your question is saved, but I cannot post in the organisers' review \
                        channel: ask them to check `/config suggestions`.";
            reply(ctx, modal, text).await
        }
    }
}

/// Approve, Edit or Reject on a suggestion's review message.
pub async fn on_review_button(
    ctx: &Discord,
    bot: &Bot,
    component: &ComponentInteraction,
) -> Result<(), BotError> {
    let id = component.data.custom_id.as_str();
    let guild_id = component
        .guild_id
        .ok_or_else(|| BotError::user("Suggestions are reviewed in a server."))?
        .get();
    if !may_review(component.member.as_ref()) {
        return Err(BotError::user(NOT_ORGANISER));
    }
    if let Some(suggestion_id) = number_after(id, "edit:") {
        let Some(stored) =
            crate::store::suggestions::get(&bot.app.pool, guild_id, suggestion_id).await?
        else {
            return Err(BotError::user(GONE));
        };
        if stored.status != Status::Open {
            return Err(BotError::user("This suggestion has been decided already."));
        }
        let draft = suggestions::draft_of(&stored)?;
        let form = form(
            format!("{PREFIX}edit:{suggestion_id}"),
            "Edit the suggestion",
            Some(&draft),
        );
        component.create_response(ctx, form).await?;
        return Ok(());
    }
    let (approve, suggestion_id) = match (number_after(id, "approve:"), number_after(id, "reject:"))
    {
        (Some(n), _) => (true, n),
        (_, Some(n)) => (false, n),
        _ => return Ok(()),
    };
    let decided = suggestions::decide(&bot.app, guild_id, suggestion_id, approve).await?;
    let by = &component.user.name;
    let (suggestion, status, note) = match decided {
        Decided::Missing => return Err(BotError::user(GONE)),
        Decided::Already(s) => {
            let status = match s.status {
                Status::Approved => "Approved earlier.",
                _ => "Rejected earlier.",
            };
            (s, status.to_owned(), None)
        }
        Decided::Approved(s, q) => {
            let status = format!("Approved by {by}: asked here as `{}`.", q.id);
            (s, status, Some(render::approved_note(&q)))
        }
        Decided::Rejected(s) => {
            let draft = suggestions::draft_of(&s)?;
            (
                s,
                format!("Rejected by {by}."),
                Some(render::rejected_note(&draft)),
            )
        }
    };
    let draft = suggestions::draft_of(&suggestion)?;
    let update = CreateInteractionResponseMessage::new()
        .embed(render::review(&draft, suggestion.user_id, &status))
        .components(Vec::new());
    component
        .create_response(ctx, CreateInteractionResponse::UpdateMessage(update))
        .await?;
    if let Some(note) = note {
        tell_author(bot, suggestion.user_id, suggestion.channel_id, &note).await;
    }
    Ok(())
}

/// By DM; with DMs closed, in the channel the member suggested from. Failing both is logged.
async fn tell_author(bot: &Bot, user_id: u64, channel_id: u64, note: &str) {
    let dm = UserId::new(user_id)
        .direct_message(&bot.http, CreateMessage::new().content(note))
        .await;
    if dm.is_ok() {
        return;
    }
    let mention = CreateMessage::new()
        .content(format!("<@{user_id}> {note}"))
        .allowed_mentions(CreateAllowedMentions::new().users([UserId::new(user_id)]));
    if let Err(e) = ChannelId::new(channel_id)
        .send_message(&bot.http, mention)
        .await
    {
        warn!(user_id, error = %error_chain(&e), "telling a member about their suggestion failed");
    }
}

const NOT_ORGANISER: &str = "Only members with Manage Server review suggestions.";
const GONE: &str = "This suggestion no longer exists (its author may have erased their data).";

fn may_review(member: Option<&Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild() || p.administrator())
}

fn number_after(custom_id: &str, action: &str) -> Option<i64> {
    custom_id
        .strip_prefix(PREFIX)?
        .strip_prefix(action)?
        .parse()
        .ok()
}

fn cut_slug(track: &str, max: usize) -> String {
    let cut: String = track.chars().take(max).collect();
    cut.trim_end_matches('-').to_owned()
}

async fn reply(ctx: &Discord, modal: &ModalInteraction, text: &str) -> Result<(), BotError> {
    let message = CreateInteractionResponseMessage::new()
        .content(text)
        .ephemeral(true);
    modal
        .create_response(ctx, CreateInteractionResponse::Message(message))
        .await?;
    Ok(())
}
