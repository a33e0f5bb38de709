//! The interviewer's private panel: the picker, the open question's sheet with its marks and
//! note, and closing an answer with its peer score. Only the round's interviewer reaches here
//! (`on_button` checks), and every panel is ephemeral, so the candidate never sees the rubric.

use std::sync::Arc;

use serenity::all::{ChannelId, Context as Discord, ModalInteraction};
use tracing::warn;

use super::spawn_report;
use crate::app::pairs as app_pairs;
use crate::bot::render::pair::{self as view, Panel};
use crate::bot::{Bot, BotError};
use crate::interview::pair::{next_choices, peer_score};
use crate::store::pairs::{self, Pair, PairAnswer, PairStatus};

pub(super) fn finished_panel() -> Panel {
    let embed = crate::bot::render::limits::EmbedText::new("Round finished")
        .description("The report follows in the thread once the bot's second opinions are in.")
        .build()
        .colour(crate::bot::render::NEUTRAL);
    Panel {
        embed,
        components: Vec::new(),
    }
}

/// The round's open (unmarked) answer and its question.
pub(super) async fn open_answer(
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

pub(super) async fn reread(
    bot: &Bot,
    pair: &Pair,
    open: &PairAnswer,
) -> Result<PairAnswer, BotError> {
    let answers = pairs::answers(&bot.app.pool, pair.pair_id, pair.round).await?;
    Ok(answers
        .into_iter()
        .find(|a| a.position == open.position)
        .unwrap_or_else(|| open.clone()))
}

/// The sheet of the question still being marked, if one is: the panel shows it whatever was
/// clicked, so that one answer is marked before the next is asked.
async fn open_sheet(bot: &Bot, pair: &Pair) -> Result<Option<Panel>, BotError> {
    Ok(open_answer(bot, pair)
        .await?
        .map(|(open, q)| view::sheet(&q, &open.marks, open.note.as_deref(), 0, pair.pair_id)))
}

/// The panel as it stands: the open question's sheet, the picker, or the round's end.
pub(super) async fn panel(bot: &Bot, pair: &Pair) -> Result<Panel, BotError> {
    if let Some(sheet) = open_sheet(bot, pair).await? {
        return Ok(sheet);
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
pub(super) async fn choices(
    bot: &Bot,
    pair: &Pair,
) -> Result<Vec<Arc<crate::bank::Question>>, BotError> {
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
pub(super) async fn ask(
    ctx: &Discord,
    bot: &Bot,
    pair: &Pair,
    n: usize,
) -> Result<Panel, BotError> {
    if let Some(sheet) = open_sheet(bot, pair).await? {
        return Ok(sheet);
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
            warn!(pair_id = pair.pair_id, error = %crate::bot::error_chain(&e), "posting the question's marker failed");
        }
    }
    Ok(view::sheet(q, &Default::default(), None, 0, pair.pair_id))
}

/// Closes the open answer with the interviewer's marks. `Err` says why it cannot be yet.
pub(super) async fn done(
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
            warn!(pair_id = pair.pair_id, error = %crate::bot::error_chain(&e), "posting the mark failed");
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
