//! Gateway events outside slash commands: the candidate's messages in their interview thread
//! (filed as their answer), and button clicks (interview buttons here; paging buttons go to
//! their commands). Other members' messages in an interview thread are not answers: they are
//! left alone, so peers can talk and react.

use std::sync::Arc;

use serenity::all::{
    Builder, ComponentInteraction, Context as Discord, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage, FullEvent,
    Interaction, InteractionId, Message, ModalInteraction,
};
use tracing::{debug, error, info, warn};

use super::quiet::Waiting;
use super::render::interview::{parse_interview_button, InterviewButton};
use super::session;
use super::{attachments, commands, edits, pair, qotd, reviews, voice, Bot, BotError};
use crate::app::interview::{self, Filed, Input, ThreadMessage};
use crate::interview::ANSWER_LIMIT;
use crate::speech::Speaking;
use crate::store::interviews::InterviewStatus;
use crate::store::qotd_posts;
use crate::store::{guilds, interviews, spoken};

/// Dispatches the events the bot cares about.
pub async fn handle(ctx: &Discord, event: &FullEvent, bot: &Arc<Bot>) -> Result<(), BotError> {
    match event {
        FullEvent::Message { new_message } => on_message(ctx, bot, new_message).await,
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(component),
        } => {
            if let Err(e) = on_component(ctx, bot, component).await {
                let failed = Failed {
                    id: component.id,
                    token: &component.token,
                    custom_id: &component.data.custom_id,
                };
                apologise(ctx, failed, e).await;
            }
            Ok(())
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Modal(modal),
        } => {
            if let Err(e) = on_modal(ctx, bot, modal).await {
                let failed = Failed {
                    id: modal.id,
                    token: &modal.token,
                    custom_id: &modal.data.custom_id,
                };
                apologise(ctx, failed, e).await;
            }
            Ok(())
        }
        FullEvent::MessageUpdate { event, .. } => edits::on_edit(ctx, bot, event).await,
        FullEvent::MessageDelete {
            deleted_message_id,
            guild_id,
            ..
        } => edits::on_delete(bot, guild_id.map(|g| g.get()), deleted_message_id.get()).await,
        FullEvent::ThreadDelete { thread, .. } => on_thread_deleted(bot, thread.id.get()).await,
        FullEvent::Ready { data_about_bot } => on_ready(ctx, bot, data_about_bot).await,
        // Sent for every guild the bot is in at each connection, and when it is added: a
        // guild it had left keeps its data. Handlers run concurrently, so this one may run
        // after a later GUILD_DELETE's; the cache, updated in the order events arrive, says
        // whether the bot is still in the guild.
        FullEvent::GuildCreate { guild, .. } => {
            if ctx.cache.guild(guild.id).is_some() {
                crate::store::privacy::mark_present(&bot.app.pool, guild.id.get()).await?;
            }
            Ok(())
        }
        // An outage says `unavailable`; a removal does not.
        FullEvent::GuildDelete { incomplete, .. } if !incomplete.unavailable => {
            on_removed(bot, incomplete.id.get()).await
        }
        FullEvent::ReactionAdd { add_reaction } => {
            reviews::on_reaction(ctx, bot, add_reaction, true).await
        }
        FullEvent::ReactionRemove { removed_reaction } => {
            reviews::on_reaction(ctx, bot, removed_reaction, false).await
        }
        _ => Ok(()),
    }
}

/// A guild that removed the bot while no process was connected sends no GUILD_DELETE: at
/// READY, this shard's stored guilds that Discord no longer lists are marked as left, so their
/// data is purged after the grace period like any other's.
async fn on_ready(ctx: &Discord, bot: &Bot, ready: &serenity::all::Ready) -> Result<(), BotError> {
    let (shard, shards) = ready.shard.map_or((0, 1), |s| (s.id.0, s.total));
    // A guild that added the bot since READY is in the cache, not in READY's list.
    let listed = ready.guilds.iter().map(|g| g.id);
    let present: Vec<u64> = listed.chain(ctx.cache.guilds()).map(|g| g.get()).collect();
    let at = chrono::Utc::now();
    let marked =
        crate::store::privacy::mark_absent_left(&bot.app.pool, &present, shard, shards, at).await?;
    if marked > 0 {
        info!(
            shard,
            marked, "guilds no longer listed by Discord are marked as left"
        );
    }
    Ok(())
}

/// Removed from a guild: its scheduled work stops, and no timer posts into it again.
async fn on_removed(bot: &Bot, guild_id: u64) -> Result<(), BotError> {
    let left = crate::app::guilds::left(&bot.app, guild_id).await?;
    debug!(guild_id, ?left, "left a guild");
    Ok(())
}

/// A deleted interview thread ends its interview: there is nowhere left to post the report.
async fn on_thread_deleted(bot: &Bot, thread_id: u64) -> Result<(), BotError> {
    let Some(interview) = interviews::by_thread(&bot.app.pool, thread_id).await? else {
        return Ok(());
    };
    if interview.status == InterviewStatus::Active
        && session::abandon_without_posting(bot, interview.interview_id).await?
    {
        info!(
            interview_id = interview.interview_id,
            "interview thread deleted; interview abandoned"
        );
    }
    Ok(())
}

/// A message in a thread that holds an interview, by its candidate: part of their answer. In a
/// question of the day's thread, any member's message is part of theirs.
async fn on_message(ctx: &Discord, bot: &Arc<Bot>, message: &Message) -> Result<(), BotError> {
    if message.author.bot || message.guild_id.is_none() {
        return Ok(());
    }
    let (thread_id, author_id) = (message.channel_id.get(), message.author.id.get());
    let body = if message.attachments.is_empty() {
        message.content.clone()
    } else if voice::is_spoken(message) {
        match voice::transcribe(bot, message).await {
            None => return Ok(()),
            Some(voice::Spoken::Refused(note)) => {
                reply(ctx, message, &note).await;
                return Ok(());
            }
            Some(voice::Spoken::Transcribed {
                text,
                shown,
                speaking,
            }) => {
                reply(ctx, message, &shown).await;
                // Kept before the part is filed: a submit right after it must find it.
                keep_speaking(bot, message, &speaking).await;
                text
            }
        }
    } else {
        // Files are read only where they can be an answer: a file posted anywhere else is
        // none of the bot's business.
        if !interview::takes_answers_from(&bot.app, thread_id, author_id).await? {
            return Ok(());
        }
        match attachments::message_text(message).await {
            Ok(text) => text,
            Err(note) => {
                reply(ctx, message, &note).await;
                return Ok(());
            }
        }
    };
    if body.trim().is_empty() {
        return Ok(());
    }
    if pair::on_message(bot, thread_id, author_id, message.id.get(), &body).await? {
        return Ok(());
    }
    let filed = interview::file_message(
        &bot.app,
        &ThreadMessage {
            thread_id,
            author_id,
            message_id: message.id.get(),
            body: &body,
        },
    )
    .await?;
    match filed {
        Filed::NoInterview => {
            // Perhaps a question of the day's thread.
            if let Some(post) = qotd_posts::by_thread(&bot.app.pool, thread_id).await? {
                return qotd::on_message(ctx, bot, message, &body, &post).await;
            }
        }
        Filed::NotTheCandidate => {}
        Filed::Added {
            interview_id,
            quiet,
        } => bot.quiet.arm(bot, Waiting::Interview(interview_id), quiet),
        Filed::StillScoring => {
            let note = "Your last answer is still being scored, so this message is not part \
                        of it. The feedback comes next.";
            reply(ctx, message, note).await;
        }
        Filed::AlreadySubmitted => {
            let note = "That answer was already submitted, so this message is not part of it.";
            reply(ctx, message, note).await;
        }
        Filed::Full { interview_id } => {
            reply(ctx, message, &answer_full_note()).await;
            bot.quiet.cancel(Waiting::Interview(interview_id));
            session::step(bot, interview_id, Input::Submit).await?;
        }
        Filed::TooLong => reply(ctx, message, &too_long_note()).await,
    }
    Ok(())
}

/// Keeps how a voice message about to become part of an answer was spoken, for its feedback.
/// The member is registered first: a first answer to a question of the day may be theirs. A
/// failure loses only that line of feedback, never the answer.
async fn keep_speaking(bot: &Bot, message: &Message, said: &Speaking) {
    let Some(guild) = message.guild_id.map(|g| g.get()) else {
        return;
    };
    let (user, id) = (message.author.id.get(), message.id.get());
    let nick = message.member.as_ref().and_then(|m| m.nick.as_deref());
    let name = crate::bot::names::member_name(&message.author, nick);
    let kept = match guilds::upsert_member(&bot.app.pool, guild, user, &name).await {
        Ok(()) => spoken::record(&bot.app.pool, guild, user, id, said).await,
        Err(e) => Err(e),
    };
    if let Err(e) = kept {
        warn!(message_id = id, error = %crate::bot::error_chain(&e), "keeping how an answer was spoken failed");
    }
}

/// Said once, when a message would take an answer past its limit.
pub fn answer_full_note() -> String {
    format!(
        "Your answer has reached its limit ({}), so I submitted it as it stood; this last \
         message is not part of it.",
        ANSWER_LIMIT.describe()
    )
}

/// Said when one message is longer than a whole answer may be.
pub fn too_long_note() -> String {
    format!(
        "This message is longer than an answer may be ({}), so it is not part of your \
         answer. Please shorten it.",
        ANSWER_LIMIT.describe()
    )
}

/// A submitted form: a question suggestion, or a peer interviewer's note. (A poise command's
/// own forms are answered by poise, which waits for them itself.)
async fn on_modal(ctx: &Discord, bot: &Arc<Bot>, modal: &ModalInteraction) -> Result<(), BotError> {
    let id = modal.data.custom_id.as_str();
    if commands::questions::is_suggestion_event(id) {
        commands::questions::on_suggestion_modal(ctx, bot, modal).await
    } else if pair::is_note_form(id) {
        pair::on_note_form(ctx, bot, modal).await
    } else {
        Ok(())
    }
}

/// A button: the interview's own, or a paging button of a board or a history.
async fn on_component(
    ctx: &Discord,
    bot: &Arc<Bot>,
    component: &ComponentInteraction,
) -> Result<(), BotError> {
    let id = component.data.custom_id.as_str();
    if id.starts_with("lb:") {
        return commands::leaderboard::on_button(ctx, bot, component).await;
    }
    if id.starts_with("hist:") {
        return commands::history::on_button(ctx, bot, component).await;
    }
    if commands::privacy::is_button(id) {
        return commands::privacy::on_button(ctx, bot, component).await;
    }
    if commands::questions::is_suggestion_event(id) {
        return commands::questions::on_review_button(ctx, bot, component).await;
    }
    if pair::is_button(id) {
        return pair::on_button(ctx, bot, component).await;
    }
    if qotd::is_again_button(id) {
        return qotd::on_again_button(ctx, bot, component).await;
    }
    let Some((button, interview_id)) = parse_interview_button(id) else {
        debug!(custom_id = id, "unknown button");
        return Ok(());
    };
    let interview = interviews::by_thread(&bot.app.pool, component.channel_id.get()).await?;
    let interview = interview.filter(|i| i.interview_id == interview_id);
    let Some(interview) = interview.filter(|i| i.status == InterviewStatus::Active) else {
        return ephemeral(ctx, component, "This interview is over.").await;
    };
    if interview.user_id != component.user.id.get() {
        let text = format!(
            "Only <@{}> can use this interview's buttons. Start your own with `/interview start`.",
            interview.user_id
        );
        return ephemeral(ctx, component, &text).await;
    }
    // Acknowledge first: the step may take longer than the three seconds Discord allows.
    component
        .create_response(ctx, CreateInteractionResponse::Acknowledge)
        .await?;
    let input = match button {
        InterviewButton::Submit => {
            bot.quiet.cancel(Waiting::Interview(interview_id));
            Input::Submit
        }
        InterviewButton::Hint => Input::Hint,
        InterviewButton::Skip => Input::Skip,
        InterviewButton::End => Input::End,
    };
    let outcome = session::step(bot, interview_id, input).await?;
    for notice in outcome.notices {
        let followup = CreateInteractionResponseFollowup::new()
            .content(notice)
            .ephemeral(true);
        component.create_followup(ctx, followup).await?;
    }
    Ok(())
}

/// A short private reply to a click.
pub(super) async fn ephemeral(
    ctx: &Discord,
    component: &ComponentInteraction,
    text: &str,
) -> Result<(), BotError> {
    let message = CreateInteractionResponseMessage::new()
        .content(text)
        .ephemeral(true);
    component
        .create_response(ctx, CreateInteractionResponse::Message(message))
        .await?;
    Ok(())
}

/// A button or a form that failed: which interaction, and its custom id for the log.
struct Failed<'a> {
    id: InteractionId,
    token: &'a str,
    custom_id: &'a str,
}

/// Logs a failed button or form and tells the member, briefly; the details stay in the log.
async fn apologise(ctx: &Discord, failed: Failed<'_>, error: BotError) {
    let text = match &error {
        BotError::User(text) => text.clone(),
        other => {
            error!(custom_id = %failed.custom_id, error = %super::error_chain(other), "button or form failed");
            super::APOLOGY.to_owned()
        }
    };
    // It may or may not have been acknowledged yet; try a response, then a follow-up.
    let message = CreateInteractionResponseMessage::new()
        .content(text.clone())
        .ephemeral(true);
    let responded = CreateInteractionResponse::Message(message)
        .execute(ctx, (failed.id, failed.token))
        .await;
    if responded.is_err() {
        let followup = CreateInteractionResponseFollowup::new()
            .content(text)
            .ephemeral(true);
        let _ = followup.execute(ctx, (None, failed.token)).await;
    }
}

/// A short reply to a message in its thread; failing to send it is only logged.
async fn reply(ctx: &Discord, message: &Message, text: &str) {
    let reply = CreateMessage::new()
        .content(text)
        .reference_message(message);
    if let Err(e) = message.channel_id.send_message(ctx, reply).await {
        error!(channel_id = %message.channel_id, error = %crate::bot::error_chain(&e), "reply failed");
    }
}
