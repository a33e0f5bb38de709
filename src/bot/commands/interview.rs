//! `/interview start|hint|skip|end`. Start checks what the member can fix (one interview at a
//! time, a known track, the role the guild requires), plans from the member's history, opens
//! the thread and hands over to the session; hint, skip and end are the buttons as commands.

use poise::CreateReply;
use serenity::all::{AutocompleteChoice, CreateAutocompleteResponse};

use super::super::session;
use super::super::{Bot, BotError, Context};
use super::opening::{admit, open, Opening};
use super::pair::pair;
use crate::app::interview::Input;
use crate::bank::Difficulty;
use crate::bot::render::limits::cut;
use crate::errors::sentence;
use crate::interview::{
    build_candidates, build_design_plan, build_plan, next_level, LastAnswer, PlanRequest,
    TrackChoice, ADAPTIVE_START,
};
use crate::store::history;
use crate::store::interviews::{self, InterviewRow, InterviewStatus};

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum DifficultyChoice {
    #[name = "junior"]
    Junior,
    #[name = "mid"]
    Mid,
    #[name = "senior"]
    Senior,
}

/// What kind of interview `/interview start` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum ModeChoice {
    #[name = "questions"]
    Questions,
    #[name = "design"]
    Design,
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
    subcommands("start", "pair", "hint", "skip", "end"),
    subcommand_required
)]
pub async fn interview(_: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Start a mock interview in a thread of its own.
#[poise::command(slash_command, guild_only)]
// Poise declares each of the command's options as an argument.
#[allow(clippy::too_many_arguments)]
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
    #[description = "questions (default), or design: one system-design question in five timed stages"]
    mode: Option<ModeChoice>,
    #[description = "Also read each question aloud, as audio (when the bot has text-to-speech)"]
    spoken: Option<bool>,
) -> Result<(), BotError> {
    let design = mode == Some(ModeChoice::Design);
    if design && questions.is_some_and(|n| n != 1) {
        return Err(BotError::user(
            "A system-design round is one question worked through in five stages, so \
             `questions` does not apply to it. Start it again without `questions`.",
        ));
    }
    let spoken = spoken.unwrap_or(false);
    if spoken && ctx.data().speaker.is_none() {
        return Err(BotError::user(
            "Spoken questions need text-to-speech, and this bot has none configured (its host \
             can set TTS_BASE_URL). Start without `spoken`, and the questions come as text.",
        ));
    }
    let admitted = admit(ctx).await?;
    let (guild_id, bot) = (admitted.guild_id, ctx.data());
    let author = ctx.author();
    let style = match style.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => Some(
            bot.app
                .styles
                .find(id)
                .map_err(|e| BotError::user(sentence(&e.to_string())))?,
        ),
        None => None,
    };
    let bank = crate::app::questions::for_guild(&bot.app, guild_id).await?;
    let track = super::known_track(&bank, track)?;
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
    let adaptive = difficulty.is_none() && !design;
    let plan = match (design, adaptive) {
        (true, _) => build_design_plan(&bank, &request),
        (false, true) => build_candidates(&bank, &request),
        (false, false) => build_plan(&bank, &request),
    };
    let plan = plan.map_err(|e| BotError::user(sentence(&e.to_string())))?;
    // The round's time boxes as they are now, kept with it like the style.
    let design_json = design
        .then(|| serde_json::to_value(bot.app.design_round))
        .transpose()
        .map_err(|e| BotError::Internal(format!("the design round cannot be stored: {e}")))?;

    let ids: Vec<String> = plan.iter().map(|q| q.id.clone()).collect();
    // Kept with the interview as it is now: a style file changed later does not change it.
    let style_json = style
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| BotError::Internal(format!("the style cannot be stored: {e}")))?;
    let difficulty = match (difficulty, plan.first()) {
        (_, Some(q)) if design => q.difficulty,
        (Some(d), _) => Difficulty::from(d),
        (None, _) => {
            let start = adaptive_start(bot, guild_id, author.id.get()).await?;
            style.map_or(start, |s| s.start_level(start))
        }
    };
    let opening = Opening {
        track: TrackChoice::new(track.as_deref()),
        difficulty,
        plan: &ids,
        private: private.unwrap_or(admitted.settings.private_threads),
        adaptive: adaptive.then(|| u8::try_from(request.length).unwrap_or(10)),
        style: style_json.as_ref(),
        drill: false,
        design: design_json.as_ref(),
        spoken,
    };
    let thread = open(ctx, &admitted, &opening).await?;
    let ready = if design {
        format!("Your system-design round is ready in <#{thread}>. Good luck!")
    } else {
        format!(
            "Your interview is ready in <#{}>: {} question{}. Good luck!",
            thread,
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        )
    };
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

/// Where an adaptive interview starts: where the member's last answer would have taken the
/// level, or mid for a first interview.
async fn adaptive_start(bot: &Bot, guild_id: u64, user_id: u64) -> Result<Difficulty, BotError> {
    let last = history::last_main_answer(&bot.app.pool, guild_id, user_id).await?;
    Ok(last.map_or(ADAPTIVE_START, |(level, overall)| {
        next_level(level, LastAnswer::Scored(overall))
    }))
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
