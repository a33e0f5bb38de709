//! `/interview start|hint|skip|end`. Start checks what the member can fix (one interview at a
//! time, a known track, the role the guild requires), plans from the member's history, opens
//! the thread and hands over to the session; hint, skip and end are the buttons as commands.

use std::time::Duration;

use poise::CreateReply;
use serenity::all::{
    AutoArchiveDuration, AutocompleteChoice, ChannelType, CreateAutocompleteResponse, CreateThread,
    GuildChannel, HttpError, Permissions,
};
use tracing::{error, info};

use super::super::session::{self, spoken};
use super::super::{Bot, BotError, Context};
use crate::app::interview::{self, Input};
use crate::bank::Difficulty;
use crate::bot::render::limits::{cut, echo};
use crate::interview::{
    build_candidates, build_plan, next_level, LastAnswer, PlanRequest, ADAPTIVE_START,
};
use crate::store::interviews::{self, InterviewRow, InterviewStatus, NewInterview};
use crate::store::{guilds, history, StoreError};

/// The track stored for an interview that mixes every track.
pub const MIXED_TRACK: &str = "mixed";

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DifficultyChoice {
    #[name = "junior"]
    Junior,
    #[name = "mid"]
    Mid,
    #[name = "senior"]
    Senior,
}

impl From<DifficultyChoice> for Difficulty {
    fn from(d: DifficultyChoice) -> Self {
        match d {
            DifficultyChoice::Junior => Difficulty::Junior,
            DifficultyChoice::Mid => Difficulty::Mid,
            DifficultyChoice::Senior => Difficulty::Senior,
        }
    }
}

/// Mock interviews: start one, or get a hint, skip or end inside its thread.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("start", "hint", "skip", "end"),
    subcommand_required
)]
pub async fn interview(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Start a mock interview in a thread of its own.
#[poise::command(slash_command, guild_only)]
async fn start(
    ctx: Context<'_>,
    #[description = "Which track (default: a mix of every track)"]
    #[autocomplete = "autocomplete_track"]
    track: Option<String>,
    #[description = "junior, mid or senior (default: starts at mid and follows your answers)"]
    difficulty: Option<DifficultyChoice>,
    #[description = "How many main questions (1–10, default 3)"]
    #[min = 1]
    #[max = 10]
    questions: Option<u8>,
    #[description = "A private thread only you (and moderators) can see"] private: Option<bool>,
    #[description = "The interviewer's style: voice, follow-ups, weights, time box (default: standard)"]
    #[autocomplete = "autocomplete_style"]
    style: Option<String>,
) -> Result<(), BotError> {
    let guild_id = ctx
        .guild_id()
        .ok_or_else(|| BotError::user(IN_A_SERVER))?
        .get();
    let bot = ctx.data();
    if !bot.accepting.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(BotError::user(
            "I'm restarting, so I can't start an interview right now. Try again in a minute.",
        ));
    }
    let author = ctx.author();
    ctx.defer_ephemeral().await?;
    let member = ctx.author_member().await;
    let display = member
        .as_ref()
        .map_or_else(|| author.name.clone(), |m| m.display_name().to_owned());
    guilds::upsert_member(&bot.app.pool, guild_id, author.id.get(), &display).await?;
    let settings = guilds::settings(&bot.app.pool, guild_id).await?;
    if let Some(role) = settings.interview_role_id {
        let has_role = member
            .as_ref()
            .is_some_and(|m| m.roles.iter().any(|r| r.get() == role));
        if !has_role {
            return Err(BotError::user(format!(
                "Only members with the <@&{role}> role can start interviews in this server."
            )));
        }
    }
    if let Some(active) = interviews::active_for(&bot.app.pool, guild_id, author.id.get()).await? {
        return Err(already_running(active.thread_id));
    }
    let per_hour = settings.interviews_per_hour;
    let wait = interview::wait_before_start(&bot.app, guild_id, author.id.get(), per_hour).await?;
    if let Some(wait) = wait {
        return Err(BotError::user(format!(
            "You have started {per_hour} interviews in the last hour, the most this server \
             allows. You can start the next one in {}.",
            spoken(Duration::from_secs(wait.as_secs().div_ceil(60) * 60))
        )));
    }
    let style = match style.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => Some(
            bot.app
                .styles
                .find(id)
                .map_err(|e| BotError::user(capitalised(&e)))?,
        ),
        None => None,
    };
    let track = track
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    let bank = crate::app::questions::for_guild(&bot.app, guild_id).await?;
    if let Some(t) = &track {
        if !bank.has_track(t) {
            return Err(BotError::user(format!(
                "There is no track \"{}\". Pick one of: {}.",
                echo(t),
                bank.tracks().join(", ")
            )));
        }
    }
    let past = history::for_planning(&bot.app.pool, guild_id, author.id.get()).await?;
    let hidden = crate::store::questions::hidden(&bot.app.pool, guild_id).await?;
    let request = PlanRequest {
        track: track.as_deref(),
        difficulty: difficulty.map(Difficulty::from),
        length: usize::from(questions.unwrap_or(3).clamp(1, 10)),
        seed: rand::random(),
        history: Some(&past),
        hidden: Some(&hidden),
        mix: style.map(|s| &s.mix),
    };
    // Without a difficulty the level adapts to the answers, from candidates of every level.
    let adaptive = difficulty.is_none();
    let plan = match adaptive {
        true => build_candidates(&bank, &request),
        false => build_plan(&bank, &request),
    };
    let plan = plan.map_err(|e| BotError::user(capitalised(&e)))?;

    let private = private.unwrap_or(settings.private_threads);
    let channel = ctx.guild_channel().await;
    let in_thread = channel.as_ref().is_some_and(|c: &GuildChannel| {
        matches!(
            c.kind,
            ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
        )
    });
    if in_thread {
        return Err(BotError::user(
            "Run `/interview start` in a text channel: the interview gets a thread of its own.",
        ));
    }
    let track_name = track.as_deref().unwrap_or(MIXED_TRACK);
    let name = thread_name(&display, track_name);
    let kind = if private {
        ChannelType::PrivateThread
    } else {
        ChannelType::PublicThread
    };
    let thread = CreateThread::new(name)
        .kind(kind)
        .auto_archive_duration(AutoArchiveDuration::OneDay);
    let thread = ctx
        .channel_id()
        .create_thread(ctx, thread)
        .await
        .map_err(|e| permission_error(e, private))?;
    if private {
        thread
            .id
            .add_thread_member(ctx, author.id)
            .await
            .map_err(|e| permission_error(e, private))?;
    }
    let ids: Vec<String> = plan.iter().map(|q| q.id.clone()).collect();
    // Kept with the interview as it is now: a style file changed later does not change it.
    let style_json = style
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| BotError::Internal(format!("the style cannot be stored: {e}")))?;
    let new = NewInterview {
        guild_id,
        user_id: author.id.get(),
        channel_id: ctx.channel_id().get(),
        thread_id: thread.id.get(),
        track: track_name,
        difficulty: match difficulty {
            Some(d) => Difficulty::from(d),
            None => {
                let start = adaptive_start(bot, guild_id, author.id.get()).await?;
                style.map_or(start, |s| s.start_level(start))
            }
        },
        plan: &ids,
        private,
        adaptive: adaptive.then(|| u8::try_from(request.length).unwrap_or(10)),
        style: style_json.as_ref(),
    };
    let interview_id = match interviews::start(&bot.app.pool, &new).await {
        Ok(id) => {
            bot.app.metrics.interviews_started.inc();
            info!(
                interview_id = id,
                guild_id,
                user_id = author.id.get(),
                track = track_name,
                "interview started"
            );
            id
        }
        Err(StoreError::InterviewActive { thread_id }) => {
            let _ = thread.id.delete(ctx).await;
            return Err(already_running(thread_id));
        }
        Err(e) => return Err(e.into()),
    };
    // If posting the first question fails, the interview is stored: the next start-up (or a
    // retry of this step) posts it.
    if let Err(e) = session::step(bot, interview_id, Input::Start).await {
        error!(interview_id, error = %super::super::error_chain(&e), "posting the first question failed");
    }
    let ready = format!(
        "Your interview is ready in <#{}>: {} question{}. Good luck!",
        thread.id,
        ids.len(),
        if ids.len() == 1 { "" } else { "s" }
    );
    ctx.send(CreateReply::default().content(ready).ephemeral(true))
        .await?;
    Ok(())
}

/// Show a hint for the question you are answering.
#[poise::command(slash_command, guild_only)]
async fn hint(ctx: Context<'_>) -> Result<(), BotError> {
    in_thread(ctx, Input::Hint, "Hint posted.").await
}

/// Skip the question you are answering.
#[poise::command(slash_command, guild_only)]
async fn skip(ctx: Context<'_>) -> Result<(), BotError> {
    in_thread(ctx, Input::Skip, "Skipped.").await
}

/// End your interview now and get the report.
#[poise::command(slash_command, guild_only)]
async fn end(ctx: Context<'_>) -> Result<(), BotError> {
    in_thread(
        ctx,
        Input::End,
        "Interview ended; your report is in the thread.",
    )
    .await
}

/// Applies a button's input from the candidate's own interview thread.
async fn in_thread(ctx: Context<'_>, input: Input, done: &str) -> Result<(), BotError> {
    let bot = ctx.data();
    let interview = interviews::by_thread(&bot.app.pool, ctx.channel_id().get()).await?;
    let interview = interview
        .filter(|i| i.status == InterviewStatus::Active)
        .ok_or_else(|| BotError::user("Use this inside your running interview's thread."))?;
    own(&interview, ctx.author().id.get())?;
    ctx.defer_ephemeral().await?;
    let outcome = session::step(bot, interview.interview_id, input).await?;
    let text = if outcome.notices.is_empty() {
        done.to_owned()
    } else {
        outcome.notices.join("\n")
    };
    ctx.send(CreateReply::default().content(text).ephemeral(true))
        .await?;
    Ok(())
}

fn own(interview: &InterviewRow, user_id: u64) -> Result<(), BotError> {
    if interview.user_id == user_id {
        Ok(())
    } else {
        Err(BotError::user(format!(
            "This is <@{}>'s interview. Start your own with `/interview start`.",
            interview.user_id
        )))
    }
}

fn already_running(thread_id: u64) -> BotError {
    BotError::user(format!(
        "You already have an interview running in <#{thread_id}>. Finish it there, or end it \
         with the End button, before starting another."
    ))
}

/// A failed thread request as the missing permission, when Discord refused for lack of one.
fn permission_error(error: serenity::Error, private: bool) -> BotError {
    let forbidden = matches!(
        &error,
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 403
    );
    if forbidden {
        BotError::user(missing_thread_permissions(private))
    } else {
        error.into()
    }
}

/// What to ask a server admin for when Discord refuses to open the thread.
fn missing_thread_permissions(private: bool) -> String {
    let needed = if private {
        Permissions::CREATE_PRIVATE_THREADS
    } else {
        Permissions::CREATE_PUBLIC_THREADS
    } | Permissions::SEND_MESSAGES_IN_THREADS;
    format!(
        "I can't open an interview thread here: I need the {} permissions in this channel. \
         Ask a server admin to grant them to my role.",
        needed.get_permission_names().join(" and ")
    )
}

/// Thread names are at most 100 characters.
fn thread_name(display: &str, track: &str) -> String {
    let name = format!("Interview: {display} ({track})");
    match name.char_indices().nth(99) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name,
    }
}

/// Where an adaptive interview starts: where the member's last answer would have taken the
/// level, or mid for a first interview.
async fn adaptive_start(bot: &Bot, guild_id: u64, user_id: u64) -> Result<Difficulty, BotError> {
    let last = history::last_main_answer(&bot.app.pool, guild_id, user_id).await?;
    Ok(last.map_or(ADAPTIVE_START, |(level, overall)| {
        next_level(level, LastAnswer::Scored(overall))
    }))
}

fn capitalised(e: &impl std::fmt::Display) -> String {
    let text = e.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => text,
    }
}

pub(super) async fn autocomplete_track(
    ctx: Context<'_>,
    partial: &str,
) -> CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let tracks = super::tracks_to_suggest(ctx.data(), ctx.guild_id().map(|g| g.get())).await;
    let choices = tracks
        .into_iter()
        .filter(|t| t.contains(&partial))
        .take(25)
        .map(|t| AutocompleteChoice::new(t.clone(), t))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

pub(super) async fn autocomplete_style(
    ctx: Context<'_>,
    partial: &str,
) -> CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let choices = ctx
        .data()
        .app
        .styles
        .all()
        .filter(|s| s.id.contains(&partial) || s.name.to_lowercase().contains(&partial))
        .take(25)
        .map(|s| {
            AutocompleteChoice::new(
                cut(&format!("{}: {}", s.name, s.description), 100),
                s.id.clone(),
            )
        })
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

const IN_A_SERVER: &str = "Interviews run in a server's threads; use this command in a server.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_to_discords_limit() {
        let name = thread_name(&"ü".repeat(120), "databases");
        assert_eq!(name.chars().count(), 100);
        assert!(name.ends_with('…'));
        assert_eq!(
            thread_name("Ada", "databases"),
            "Interview: Ada (databases)"
        );
    }

    #[test]
    fn a_forbidden_thread_names_the_permissions() {
        let public = missing_thread_permissions(false);
        assert!(public.contains("Create Public Threads"), "{public}");
        assert!(public.contains("Send Messages in Threads"), "{public}");
        let private = missing_thread_permissions(true);
        assert!(private.contains("Create Private Threads"), "{private}");
    }
}
