//! Peer interviews in Discord: the invited member's answer, the interviewer's private panel
//! (pick, sheet, marks, note, done), the candidate's messages as their answer, the round's
//! report once the bot's second opinions are in, swapping roles, and the sweep that expires
//! unanswered invitations and finishes what a restart interrupted.

use std::sync::Arc;

use serenity::all::{
    AutoArchiveDuration, ChannelId, ChannelType, ComponentInteraction, Context as Discord,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateThread,
    EditInteractionResponse, EditMessage, MessageId,
};
use tracing::{error, warn};

mod panel;

pub use panel::on_note_form;
use panel::{ask, done, finished_panel, open_answer, panel, reread};

use super::events::ephemeral;
use super::render::pair::{self as view, PairButton, POINTS_PER_PAGE};
use super::{Bot, BotError};
use crate::app::pairs::{self as app_pairs, INVITATION_STANDS};
use crate::interview::ANSWER_LIMIT;
use crate::store::pairs::{self, Pair, PairStatus};

pub fn is_button(custom_id: &str) -> bool {
    custom_id.starts_with(view::PREFIX) && !custom_id.starts_with(view::NOTE_FORM)
}

pub fn is_note_form(custom_id: &str) -> bool {
    custom_id.starts_with(view::NOTE_FORM)
}

/// A button of a peer interview.
pub async fn on_button(
    ctx: &Discord,
    bot: &Arc<Bot>,
    component: &ComponentInteraction,
) -> Result<(), BotError> {
    let Some((button, pair_id)) = PairButton::parse(&component.data.custom_id) else {
        return Ok(());
    };
    let Some(pair) = pairs::get(&bot.app.pool, pair_id).await? else {
        return ephemeral(ctx, component, "This peer interview is no longer here.").await;
    };
    let user = component.user.id.get();
    match button {
        PairButton::Accept | PairButton::Decline => {
            return answer_invitation(ctx, bot, component, &pair, button == PairButton::Accept)
                .await
        }
        PairButton::Swap | PairButton::End if !pair.is_member(user) => {
            let text = "Only the two members of this peer interview can swap roles or end it.";
            return ephemeral(ctx, component, text).await;
        }
        PairButton::Swap => return swap(ctx, bot, component, &pair).await,
        PairButton::End => return end(ctx, bot, component, &pair).await,
        _ => {}
    }
    if user != pair.interviewer() {
        let text = format!(
            "Only <@{}>, this round's interviewer, uses the panel. <@{}>, your answer goes in \
             the thread.",
            pair.interviewer(),
            pair.candidate()
        );
        return ephemeral(ctx, component, &text).await;
    }
    if pair.status != PairStatus::Active || pair.reporting {
        return ephemeral(
            ctx,
            component,
            "This round is over: its report is in the thread.",
        )
        .await;
    }
    let update = button != PairButton::Panel;
    let panel = match button {
        PairButton::Panel => panel(bot, &pair).await?,
        PairButton::Ask(n) => ask(ctx, bot, &pair, n).await?,
        PairButton::Mark(n, mark) => {
            let Some((open, q)) = open_answer(bot, &pair).await? else {
                return ephemeral(ctx, component, "No answer is open for marking.").await;
            };
            let point = q
                .points
                .get(n)
                .ok_or_else(|| BotError::user("No such point."))?;
            pairs::mark(&bot.app.pool, open.key(), &point.id, mark).await?;
            let marked = reread(bot, &pair, &open).await?;
            view::sheet(
                &q,
                &marked.marks,
                marked.note.as_deref(),
                n / POINTS_PER_PAGE,
                pair.pair_id,
            )
        }
        PairButton::Page(page) => {
            let Some((open, q)) = open_answer(bot, &pair).await? else {
                return ephemeral(ctx, component, "No answer is open for marking.").await;
            };
            view::sheet(&q, &open.marks, open.note.as_deref(), page, pair.pair_id)
        }
        PairButton::Note => {
            let Some((open, _)) = open_answer(bot, &pair).await? else {
                return ephemeral(ctx, component, "No answer is open for marking.").await;
            };
            let form = view::note_form(pair.pair_id, open.note.as_deref());
            component.create_response(ctx, form).await?;
            return Ok(());
        }
        PairButton::Done => match done(ctx, bot, &pair).await? {
            Ok(panel) => panel,
            Err(text) => return ephemeral(ctx, component, &text).await,
        },
        PairButton::Finish => {
            pairs::finish_round(&bot.app.pool, pair.pair_id, false).await?;
            spawn_report(bot, pair.pair_id);
            finished_panel()
        }
        PairButton::Accept | PairButton::Decline | PairButton::Swap | PairButton::End => {
            return Ok(())
        }
    };
    component
        .create_response(ctx, panel.into_response(update))
        .await?;
    Ok(())
}

/// The invited member accepts (the thread opens) or declines; an invitation past its time
/// is expired instead.
async fn answer_invitation(
    ctx: &Discord,
    bot: &Arc<Bot>,
    component: &ComponentInteraction,
    pair: &Pair,
    accept: bool,
) -> Result<(), BotError> {
    if component.user.id.get() != pair.guest_id {
        let text = format!("Only <@{}> can answer this invitation.", pair.guest_id);
        return ephemeral(ctx, component, &text).await;
    }
    let status = pairs::respond(&bot.app.pool, pair.pair_id, accept, INVITATION_STANDS).await?;
    let text = match status {
        None => return ephemeral(ctx, component, "This invitation was already answered.").await,
        Some(PairStatus::Expired) => expired_text(pair),
        Some(PairStatus::Declined) => format!(
            "<@{}> declined <@{}>'s invitation to a peer interview.",
            pair.guest_id, pair.host_id
        ),
        Some(_) => {
            // Opening the thread takes several calls: the click is acknowledged first, within
            // Discord's three seconds, and the invitation edited once the thread is there.
            component.defer(ctx).await?;
            let text = match open_thread(ctx, bot, pair).await {
                Ok(thread) => format!(
                    "<@{}> accepted: <@{}> interviews them in <#{thread}>.",
                    pair.guest_id, pair.host_id
                ),
                Err(e) => {
                    error!(pair_id = pair.pair_id, error = %super::error_chain(&e), "opening a peer interview's thread failed");
                    pairs::finish_round(&bot.app.pool, pair.pair_id, true).await?;
                    "I could not open a thread for this peer interview here (I need the Create \
                     Public Threads and Send Messages in Threads permissions). Ask a server \
                     admin, then invite again."
                        .to_owned()
                }
            };
            let closed = EditInteractionResponse::new()
                .content(text)
                .components(Vec::new());
            component.edit_response(ctx, closed).await?;
            return Ok(());
        }
    };
    let closed = CreateInteractionResponseMessage::new()
        .content(text)
        .components(Vec::new());
    component
        .create_response(ctx, CreateInteractionResponse::UpdateMessage(closed))
        .await?;
    Ok(())
}

fn expired_text(pair: &Pair) -> String {
    format!(
        "<@{}>'s invitation to <@{}> expired after {} minutes without an answer.",
        pair.host_id,
        pair.guest_id,
        INVITATION_STANDS.as_secs() / 60
    )
}

/// The pair's thread, with the first round's opening in it.
async fn open_thread(ctx: &Discord, bot: &Bot, pair: &Pair) -> Result<u64, BotError> {
    let name = format!("Peer interview #{}", pair.pair_id);
    let thread = CreateThread::new(name)
        .kind(ChannelType::PublicThread)
        .auto_archive_duration(AutoArchiveDuration::OneDay);
    let thread = ChannelId::new(pair.channel_id)
        .create_thread(ctx, thread)
        .await?;
    pairs::set_thread(&bot.app.pool, pair.pair_id, thread.id.get()).await?;
    thread
        .id
        .send_message(ctx, view::round_opening(pair))
        .await?;
    Ok(thread.id.get())
}

/// Either member ends the pair: the round's report follows with what was marked.
async fn end(
    ctx: &Discord,
    bot: &Arc<Bot>,
    component: &ComponentInteraction,
    pair: &Pair,
) -> Result<(), BotError> {
    if !pairs::finish_round(&bot.app.pool, pair.pair_id, true).await? {
        return ephemeral(ctx, component, "This peer interview is already over.").await;
    }
    spawn_report(bot, pair.pair_id);
    ephemeral(
        ctx,
        component,
        "Ended. The report follows with the answers marked so far.",
    )
    .await
}

/// Either member starts the next round with the roles reversed.
async fn swap(
    ctx: &Discord,
    bot: &Arc<Bot>,
    component: &ComponentInteraction,
    pair: &Pair,
) -> Result<(), BotError> {
    let Some(_) = pairs::swap(&bot.app.pool, pair.pair_id).await? else {
        return ephemeral(
            ctx,
            component,
            "The roles were already swapped, or this round is still going.",
        )
        .await;
    };
    let Some(pair) = pairs::get(&bot.app.pool, pair.pair_id).await? else {
        return Ok(());
    };
    if let Some(thread) = pair.thread_id {
        ChannelId::new(thread)
            .send_message(ctx, view::round_opening(&pair))
            .await?;
    }
    ephemeral(
        ctx,
        component,
        "Swapped: a new round has started in the thread.",
    )
    .await
}

/// Gets the second opinions and posts the report when it is due, in the background: the
/// click is answered meanwhile.
fn spawn_report(bot: &Arc<Bot>, pair_id: i64) {
    let bot = Arc::clone(bot);
    tokio::spawn(async move {
        if let Err(e) = report_when_due(&bot, pair_id).await {
            error!(pair_id, error = %super::error_chain(&e), "a peer interview's report failed");
        }
    });
}

/// Scores what awaits a second opinion, then posts the round's report if it is due and
/// nobody posted it.
async fn report_when_due(bot: &Bot, pair_id: i64) -> Result<(), BotError> {
    app_pairs::second_opinions(&bot.app, Some(pair_id)).await?;
    let Some(round) = pairs::claim_report(&bot.app.pool, pair_id).await? else {
        return Ok(());
    };
    let Some(pair) = pairs::get(&bot.app.pool, pair_id).await? else {
        return Ok(());
    };
    let Some(thread) = pair.thread_id else {
        return Ok(());
    };
    let report = app_pairs::round_report(&bot.app, &pair, round).await?;
    let message = view::report(&report, pair_id);
    ChannelId::new(thread)
        .send_message(&*bot.http, message)
        .await?;
    Ok(())
}

/// A message in a peer interview's thread: the candidate's is part of the open answer. Whether
/// the thread holds a peer interview (then no interview or question of the day is there).
pub async fn on_message(
    bot: &Bot,
    thread_id: u64,
    author_id: u64,
    message_id: u64,
    body: &str,
) -> Result<bool, BotError> {
    let Some(pair) = pairs::by_thread(&bot.app.pool, thread_id).await? else {
        return Ok(false);
    };
    if pair.status == PairStatus::Active && author_id == pair.candidate() {
        pairs::append(
            &bot.app.pool,
            pair.pair_id,
            author_id,
            message_id,
            body,
            ANSWER_LIMIT.chars,
        )
        .await?;
    }
    Ok(true)
}

/// Expires unanswered invitations, scores marked answers left without a second opinion, and
/// posts the reports a restart left due.
pub async fn sweep(bot: &Bot) -> Result<(), BotError> {
    let before =
        chrono::Utc::now() - chrono::Duration::from_std(INVITATION_STANDS).unwrap_or_default();
    let expired = pairs::expire_before(&bot.app.pool, before).await?;
    {
        let http = &*bot.http;
        for (pair_id, channel, message) in expired {
            let (Some(message), Some(pair)) = (message, pairs::get(&bot.app.pool, pair_id).await?)
            else {
                continue;
            };
            let edit = EditMessage::new()
                .content(expired_text(&pair))
                .components(Vec::new());
            let edited = ChannelId::new(channel)
                .edit_message(http, MessageId::new(message), edit)
                .await;
            if let Err(e) = edited {
                warn!(pair_id, error = %super::error_chain(&e), "closing an expired invitation failed");
            }
        }
    }
    app_pairs::second_opinions(&bot.app, None).await?;
    for pair_id in pairs::reports_due(&bot.app.pool).await? {
        report_when_due(bot, pair_id).await?;
    }
    Ok(())
}
