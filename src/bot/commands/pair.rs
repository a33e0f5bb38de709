//! `/interview pair candidate:@member`: invites a member to a peer interview, with the
//! questions to pick from planned from the candidate's history. The invitation is a message in
//! the channel with Accept and Decline for the invited member; it stands for ten minutes.

use crate::bot::names::member_name;
use poise::CreateReply;
use serenity::all::{ChannelType, User};

use super::interview::{autocomplete_track, DifficultyChoice};
use crate::app::pairs::{self as app_pairs, PairPlanError, PairRequest, INVITATION_STANDS};
use crate::bank::Difficulty;
use crate::bot::render::pair::{invitation, Invitation};
use crate::bot::{BotError, Context};
use crate::errors::sentence;
use crate::interview::TrackChoice;
use crate::store::guilds;
use crate::store::pairs::{self, NewPair};

/// Interview another member yourself: you mark their answers, the bot gives a second opinion.
#[poise::command(slash_command, guild_only)]
pub(super) async fn pair(
    ctx: Context<'_>,
    #[description = "The member you will interview"] candidate: User,
    #[description = "Which track (default: a mix of every track)"]
    #[autocomplete = "autocomplete_track"]
    track: Option<String>,
    #[description = "junior, mid or senior (default: any)"] difficulty: Option<DifficultyChoice>,
    #[description = "How many questions (1–10, default 3)"]
    #[min = 1]
    #[max = 10]
    questions: Option<u8>,
) -> Result<(), BotError> {
    let guild_id = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("Peer interviews run in a server."))?
        .get();
    let host = ctx.author();
    if candidate.bot {
        return Err(BotError::user(
            "Bots cannot be interviewed. For a mock interview by the bot, use `/interview start`.",
        ));
    }
    if candidate.id == host.id {
        return Err(BotError::user(
            "You cannot interview yourself: pick another member, or use `/interview start`.",
        ));
    }
    let in_thread = ctx.guild_channel().await.is_some_and(|c| {
        matches!(
            c.kind,
            ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
        )
    });
    if in_thread {
        return Err(BotError::user(
            "Run this in a text channel: the peer interview gets a thread of its own.",
        ));
    }
    ctx.defer_ephemeral().await?;
    let bot = ctx.data();
    let host_member = ctx.author_member().await;
    let host_name = member_name(host, host_member.as_ref().and_then(|m| m.nick.as_deref()));
    guilds::upsert_member(&bot.app.pool, guild_id, host.id.get(), &host_name).await?;
    guilds::upsert_member(
        &bot.app.pool,
        guild_id,
        candidate.id.get(),
        &member_name(&candidate, None),
    )
    .await?;
    let bank = crate::app::questions::for_guild(&bot.app, guild_id).await?;
    let track = super::known_track(&bank, track)?;
    let difficulty = difficulty.map(Difficulty::from);
    let questions = u32::from(questions.unwrap_or(3).clamp(1, 10));
    let request = PairRequest {
        guild_id,
        candidate_id: candidate.id.get(),
        track: track.as_deref(),
        difficulty,
        questions: questions as usize,
    };
    let choices = match app_pairs::choices(&bot.app, &request).await {
        Ok(choices) => choices,
        Err(PairPlanError::Plan(e)) => return Err(BotError::user(sentence(&e.to_string()))),
        Err(PairPlanError::App(e)) => return Err(e.into()),
    };
    // The bank may hold fewer questions than asked for: the invitation says how many.
    let questions = questions.min(u32::try_from(choices.len()).unwrap_or(u32::MAX));
    let level = difficulty.map_or("any level".to_owned(), |d| d.to_string());
    let difficulty_name = difficulty.map(|d| d.to_string());
    let new = NewPair {
        guild_id,
        channel_id: ctx.channel_id().get(),
        host_id: host.id.get(),
        guest_id: candidate.id.get(),
        track: track.as_deref(),
        difficulty: difficulty_name.as_deref(),
        questions,
        choices: &choices,
    };
    let pair_id = pairs::invite(&bot.app.pool, &new).await?;
    let message = invitation(
        &Invitation {
            host_id: host.id.get(),
            guest_id: candidate.id.get(),
            track: TrackChoice::new(track.as_deref()).label(),
            level: &level,
            questions,
            expires_mins: INVITATION_STANDS.as_secs() / 60,
        },
        pair_id,
    );
    let posted = ctx.channel_id().send_message(ctx, message).await?;
    pairs::set_invite_message(&bot.app.pool, pair_id, posted.id.get()).await?;
    let sent = format!(
        "Invitation sent to <@{}>. It stands for {} minutes.",
        candidate.id,
        INVITATION_STANDS.as_secs() / 60
    );
    ctx.send(CreateReply::default().content(sent).ephemeral(true))
        .await?;
    Ok(())
}
