//! Peer interviews in Discord: the invited member's answer, the interviewer's private panel
//! (pick, sheet, marks, note, done), the candidate's messages as their answer, the round's
//! report once the bot's second opinions are in, swapping roles, and the sweep that expires
//! unanswered invitations and finishes what a restart interrupted.

use std::sync::Arc;

use serenity::all::{
    AutoArchiveDuration, ChannelId, ChannelType, ComponentInteraction, Context as Discord,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateThread, EditMessage,
    MessageId, ModalInteraction,
};
use tracing::{error, warn};

use super::render::pair::{self as view, PairButton, Panel, POINTS_PER_PAGE};
use super::{Bot, BotError};
use crate::app::pairs::{self as app_pairs, INVITATION_STANDS};
use crate::interview::pair::{next_choices, peer_score};
use crate::interview::ANSWER_LIMIT;
use crate::store::pairs::{self, Pair, PairAnswer, PairStatus};

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
        return say(ctx, component, "This peer interview is no longer here.").await;
    };
    let user = component.user.id.get();
    match button {
        PairButton::Accept | PairButton::Decline => {
            return answer_invitation(ctx, bot, component, &pair, button == PairButton::Accept)
                .await
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
        return say(ctx, component, &text).await;
    }
    if pair.status != PairStatus::Active || pair.reporting {
        return say(
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
                return say(ctx, component, "No answer is open for marking.").await;
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
                return say(ctx, component, "No answer is open for marking.").await;
            };
            view::sheet(&q, &open.marks, open.note.as_deref(), page, pair.pair_id)
        }
        PairButton::Note => {
            let Some((open, _)) = open_answer(bot, &pair).await? else {
                return say(ctx, component, "No answer is open for marking.").await;
            };
            let form = view::note_form(pair.pair_id, open.note.as_deref());
            component.create_response(ctx, form).await?;
            return Ok(());
        }
        PairButton::Done => match done(ctx, bot, &pair).await? {
            Ok(panel) => panel,
            Err(text) => return say(ctx, component, &text).await,
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

/// A short private reply to a click.
async fn say(ctx: &Discord, component: &ComponentInteraction, text: &str) -> Result<(), BotError> {
    let message = CreateInteractionResponseMessage::new()
        .content(text)
        .ephemeral(true);
    component
        .create_response(ctx, CreateInteractionResponse::Message(message))
        .await?;
    Ok(())
}

fn finished_panel() -> Panel {
    let embed = super::render::limits::EmbedText::new("Round finished")
        .description("The report follows in the thread once the bot's second opinions are in.")
        .build()
        .colour(super::render::NEUTRAL);
    Panel {
        embed,
        components: Vec::new(),
    }
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
        return say(ctx, component, &text).await;
    }
    let status = pairs::respond(&bot.app.pool, pair.pair_id, accept, INVITATION_STANDS).await?;
    let text = match status {
        None => return say(ctx, component, "This invitation was already answered.").await,
        Some(PairStatus::Expired) => expired_text(pair),
        Some(PairStatus::Declined) => format!(
            "<@{}> declined <@{}>'s invitation to a peer interview.",
            pair.guest_id, pair.host_id
        ),
        Some(_) => match open_thread(ctx, bot, pair).await {
            Ok(thread) => format!(
                "<@{}> accepted: <@{}> interviews them in <#{thread}>.",
                pair.guest_id, pair.host_id
            ),
            Err(e) => {
                error!(pair_id = pair.pair_id, error = %super::error_chain(&e), "opening a peer interview's thread failed");
                pairs::finish_round(&bot.app.pool, pair.pair_id, true).await?;
                "I could not open a thread for this peer interview here (I need the Create \
                 Public Threads and Send Messages in Threads permissions). Ask a server admin, \
                 then invite again."
                    .to_owned()
            }
        },
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
    let opening = view::round_opening(
        pair.round,
        pair.interviewer(),
        pair.candidate(),
        pair.questions,
        pair.pair_id,
    );
    thread.id.send_message(ctx, opening).await?;
    Ok(thread.id.get())
}

/// The round's open (unmarked) answer and its question.
async fn open_answer(
    bot: &Bot,
    pair: &Pair,
) -> Result<Option<(PairAnswer, Arc<crate::bank::Question>)>, BotError> {
    let answers = pairs::answers(&bot.app.pool, pair.pair_id, pair.round).await?;
    let Some(open) = answers.into_iter().find(|a| !a.graded) else {
        return Ok(None);
    };
    let q = app_pairs::question(&bot.app, pair.guild_id, &open.question_id)
        .await?
        .ok_or_else(|| BotError::user("This question has left the bank; press Done to skip it."))?;
    Ok(Some((open, q)))
}

async fn reread(bot: &Bot, pair: &Pair, open: &PairAnswer) -> Result<PairAnswer, BotError> {
    let answers = pairs::answers(&bot.app.pool, pair.pair_id, pair.round).await?;
    Ok(answers
        .into_iter()
        .find(|a| a.position == open.position)
        .unwrap_or_else(|| open.clone()))
}

/// The panel as it stands: the open question's sheet, the picker, or the round's end.
async fn panel(bot: &Bot, pair: &Pair) -> Result<Panel, BotError> {
    if let Some((open, q)) = open_answer(bot, pair).await? {
        return Ok(view::sheet(
            &q,
            &open.marks,
            open.note.as_deref(),
            0,
            pair.pair_id,
        ));
    }
    let answers = pairs::answers(&bot.app.pool, pair.pair_id, pair.round).await?;
    let position = u32::try_from(answers.len()).unwrap_or(u32::MAX) + 1;
    let choices = choices(bot, pair).await?;
    if position > pair.questions || choices.is_empty() {
        let last = answers.last().and_then(|a| a.peer_score).unwrap_or(0.0);
        return Ok(view::marked(
            pair.questions,
            pair.questions,
            last,
            pair.pair_id,
        ));
    }
    let shown: Vec<&crate::bank::Question> = choices.iter().map(|q| q.as_ref()).collect();
    Ok(view::picker(&shown, position, pair.questions, pair.pair_id))
}

/// The questions the interviewer may pick now.
async fn choices(bot: &Bot, pair: &Pair) -> Result<Vec<Arc<crate::bank::Question>>, BotError> {
    let asked = pairs::asked(&bot.app.pool, pair.pair_id).await?;
    let mut found = Vec::new();
    for id in next_choices(&pair.choices, &asked) {
        if let Some(q) = app_pairs::question(&bot.app, pair.guild_id, id).await? {
            found.push(q);
        }
    }
    Ok(found)
}

/// Asks choice `n`: the marker in the thread, and the sheet in the panel.
async fn ask(ctx: &Discord, bot: &Bot, pair: &Pair, n: usize) -> Result<Panel, BotError> {
    if let Some((open, q)) = open_answer(bot, pair).await? {
        return Ok(view::sheet(
            &q,
            &open.marks,
            open.note.as_deref(),
            0,
            pair.pair_id,
        ));
    }
    let choices = choices(bot, pair).await?;
    let q = choices
        .get(n)
        .ok_or_else(|| BotError::user("That choice is gone; open the panel again."))?;
    let Some(key) = pairs::ask(&bot.app.pool, pair, &q.id).await? else {
        return Err(BotError::user(
            "A question is already open; open the panel again.",
        ));
    };
    if let Some(thread) = pair.thread_id {
        let marker = view::asked(
            key.position,
            pair.questions,
            q,
            pair.interviewer(),
            pair.candidate(),
        );
        if let Err(e) = ChannelId::new(thread).send_message(ctx, marker).await {
            warn!(pair_id = pair.pair_id, error = %super::error_chain(&e), "posting the question's marker failed");
        }
    }
    Ok(view::sheet(q, &Default::default(), None, 0, pair.pair_id))
}

/// Closes the open answer with the interviewer's marks. `Err` says why it cannot be yet.
async fn done(
    ctx: &Discord,
    bot: &Arc<Bot>,
    pair: &Pair,
) -> Result<Result<Panel, String>, BotError> {
    let Some((open, q)) = open_answer(bot, pair).await? else {
        return Ok(Err("No answer is open for marking.".to_owned()));
    };
    if open.body.trim().is_empty() {
        return Ok(Err(format!(
            "<@{}> has not answered yet: their messages in the thread are the answer.",
            open.user_id
        )));
    }
    let peer = peer_score(&q.points, &open.marks);
    if !pairs::grade(&bot.app.pool, open.key(), peer).await? {
        return Ok(Err("This answer was already marked.".to_owned()));
    }
    if let Some(thread) = pair.thread_id {
        let note = view::marked_note(open.position, peer, pair.interviewer());
        if let Err(e) = ChannelId::new(thread).send_message(ctx, note).await {
            warn!(pair_id = pair.pair_id, error = %super::error_chain(&e), "posting the mark failed");
        }
    }
    let last = open.position >= pair.questions;
    if last {
        pairs::finish_round(&bot.app.pool, pair.pair_id, false).await?;
    }
    spawn_report(bot, pair.pair_id);
    Ok(Ok(if last {
        finished_panel()
    } else {
        view::marked(open.position, pair.questions, peer, pair.pair_id)
    }))
}

/// The note form's submission: the note goes with the open answer, and the sheet shows it.
pub async fn on_note_form(
    ctx: &Discord,
    bot: &Arc<Bot>,
    modal: &ModalInteraction,
) -> Result<(), BotError> {
    let pair_id: i64 = modal
        .data
        .custom_id
        .strip_prefix(view::NOTE_FORM)
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| BotError::Internal("a note form without its pair".into()))?;
    let pair = pairs::get(&bot.app.pool, pair_id)
        .await?
        .filter(|p| p.interviewer() == modal.user.id.get() && p.status == PairStatus::Active)
        .ok_or_else(|| BotError::user("This round is over."))?;
    let Some((open, q)) = open_answer(bot, &pair).await? else {
        return Err(BotError::user("No answer is open for marking."));
    };
    pairs::set_note(&bot.app.pool, open.key(), &view::note_of(&modal.data)).await?;
    let noted = reread(bot, &pair, &open).await?;
    let sheet = view::sheet(&q, &noted.marks, noted.note.as_deref(), 0, pair.pair_id);
    modal
        .create_response(ctx, sheet.into_response(true))
        .await?;
    Ok(())
}

/// Either member ends the pair: the round's report follows with what was marked.
async fn end(
    ctx: &Discord,
    bot: &Arc<Bot>,
    component: &ComponentInteraction,
    pair: &Pair,
) -> Result<(), BotError> {
    if !pair.is_member(component.user.id.get()) {
        return say(
            ctx,
            component,
            "Only the two members of this peer interview can end it.",
        )
        .await;
    }
    if !pairs::finish_round(&bot.app.pool, pair.pair_id, true).await? {
        return say(ctx, component, "This peer interview is already over.").await;
    }
    spawn_report(bot, pair.pair_id);
    say(
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
    if !pair.is_member(component.user.id.get()) {
        return say(
            ctx,
            component,
            "Only the two members of this peer interview can swap.",
        )
        .await;
    }
    let Some(_) = pairs::swap(&bot.app.pool, pair.pair_id).await? else {
        return say(
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
        let opening = view::round_opening(
            pair.round,
            pair.interviewer(),
            pair.candidate(),
            pair.questions,
            pair.pair_id,
        );
        ChannelId::new(thread).send_message(ctx, opening).await?;
    }
    say(
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
