//! Opening an interview's thread, shared by `/interview start` and `/drill start`: who may open
//! one now (the bot is accepting, the guild's role, one interview at a time, the hourly
//! allowance), and the thread, the stored interview and its first step.

use crate::bot::names::member_name;
use std::time::Duration;

use serenity::all::{
    AutoArchiveDuration, ChannelType, CreateThread, GuildChannel, HttpError, Permissions,
};
use tracing::{error, info};

use super::super::render::limits::THREAD_NAME;
use super::super::session::{self, spoken};
use super::super::{BotError, Context};
use crate::app::interview::{self, Input};
use crate::bank::Difficulty;
use crate::interview::TrackChoice;
use crate::store::guilds::{self, GuildSettings};
use crate::store::interviews::{self, NewInterview};
use crate::store::StoreError;

const IN_A_SERVER: &str = "Interviews run in a server's threads; use this command in a server.";

/// A member allowed to open an interview now.
pub(super) struct Admitted {
    pub guild_id: u64,
    pub settings: GuildSettings,
    /// The member's name in this guild, for the thread's name.
    pub display: String,
}

/// What the interview to open is.
pub(super) struct Opening<'a> {
    pub track: TrackChoice<'a>,
    pub difficulty: Difficulty,
    pub plan: &'a [String],
    pub private: bool,
    pub adaptive: Option<u8>,
    pub style: Option<&'a serde_json::Value>,
    pub drill: bool,
    /// A design round's time boxes.
    pub design: Option<&'a serde_json::Value>,
    /// Each question is also read aloud (the caller checked that the bot can).
    pub spoken: bool,
}

/// Checks what the member can fix before anything is planned, and acknowledges the command
/// (ephemerally) since planning and opening the thread take a while.
pub(super) async fn admit(ctx: Context<'_>) -> Result<Admitted, BotError> {
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
    let display = member_name(author, member.as_ref().and_then(|m| m.nick.as_deref()));
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
    let channel = ctx.guild_channel().await;
    let in_thread = channel.as_ref().is_some_and(|c: &GuildChannel| {
        matches!(
            c.kind,
            ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
        )
    });
    if in_thread {
        return Err(BotError::user(
            "Run this in a text channel: the interview gets a thread of its own.",
        ));
    }
    Ok(Admitted {
        guild_id,
        settings,
        display,
    })
}

/// Opens the thread, stores the interview and posts its first step; the thread's id.
pub(super) async fn open(
    ctx: Context<'_>,
    admitted: &Admitted,
    o: &Opening<'_>,
) -> Result<u64, BotError> {
    let (bot, author) = (ctx.data(), ctx.author());
    let private = o.private;
    let name = thread_name(&admitted.display, o.track.label());
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
    let guild_id = admitted.guild_id;
    let new = NewInterview {
        guild_id,
        user_id: author.id.get(),
        channel_id: ctx.channel_id().get(),
        thread_id: thread.id.get(),
        track: o.track.label(),
        difficulty: o.difficulty,
        plan: o.plan,
        private,
        adaptive: o.adaptive,
        style: o.style,
        drill: o.drill,
        design: o.design,
    };
    let interview_id = match interviews::start(&bot.app.pool, &new).await {
        Ok(id) => {
            bot.app.metrics.interviews_started.inc();
            info!(
                interview_id = id,
                guild_id,
                user_id = author.id.get(),
                track = o.track.label(),
                drill = o.drill,
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
    if o.spoken {
        interviews::speak_questions(&bot.app.pool, interview_id).await?;
    }
    // If posting the first question fails, the interview is stored: the next start-up (or a
    // retry of this step) posts it.
    if let Err(e) = session::step(bot, interview_id, Input::Start).await {
        error!(interview_id, error = %super::super::error_chain(&e), "posting the first question failed");
    }
    Ok(thread.id.get())
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
    crate::text::cut(&format!("Interview: {display} ({track})"), THREAD_NAME)
}

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
