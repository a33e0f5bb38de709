//! What a peer interview looks like: the invitation, the thread's opening, the interviewer's
//! private panel (the question picker, then the question's sheet with its marking buttons),
//! the markers posted in the thread, and a round's report beside the bot's second opinion.

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateInputText,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage, CreateModal,
    InputTextStyle,
};

use super::limits::{bullets, cut, EmbedText, FIELD_VALUE};
use super::{score, score_colour, NEUTRAL};
use crate::bank::Question;
use crate::interview::pair::{Mark, Marks, RoundReport};
use crate::store::pairs::Pair;

/// Every peer-interview button's custom id starts with this.
pub const PREFIX: &str = "pair:";
/// The note form's custom id prefix, and its one field.
pub const NOTE_FORM: &str = "pair:noteform:";
const NOTE_FIELD: &str = "note";
/// Points shown (and marked) per page of the sheet: four rows of buttons and a row of
/// controls fill Discord's five action rows.
pub const POINTS_PER_PAGE: usize = 4;

/// A peer-interview button, with what it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairButton {
    Accept,
    Decline,
    /// Opens the interviewer's panel: the picker, or the open question's sheet.
    Panel,
    /// Asks choice `n` (0-based) of the picker.
    Ask(usize),
    /// Marks point `n` (0-based, in the rubric's order).
    Mark(usize, Mark),
    /// Shows page `n` of the sheet.
    Page(usize),
    Note,
    /// Closes the answer's marking.
    Done,
    /// Ends the round and posts its report.
    Finish,
    /// Starts the next round with the roles reversed.
    Swap,
    /// Ends the pair.
    End,
}

impl PairButton {
    pub fn id(self, pair_id: i64) -> String {
        match self {
            PairButton::Accept => format!("{PREFIX}accept:{pair_id}"),
            PairButton::Decline => format!("{PREFIX}decline:{pair_id}"),
            PairButton::Panel => format!("{PREFIX}panel:{pair_id}"),
            PairButton::Ask(n) => format!("{PREFIX}ask:{pair_id}:{n}"),
            PairButton::Mark(n, m) => format!("{PREFIX}mark:{pair_id}:{n}:{}", m.code()),
            PairButton::Page(n) => format!("{PREFIX}page:{pair_id}:{n}"),
            PairButton::Note => format!("{PREFIX}note:{pair_id}"),
            PairButton::Done => format!("{PREFIX}done:{pair_id}"),
            PairButton::Finish => format!("{PREFIX}finish:{pair_id}"),
            PairButton::Swap => format!("{PREFIX}swap:{pair_id}"),
            PairButton::End => format!("{PREFIX}end:{pair_id}"),
        }
    }

    /// The button and its pair, from a custom id; `None` for anything else.
    pub fn parse(custom_id: &str) -> Option<(PairButton, i64)> {
        let rest = custom_id.strip_prefix(PREFIX)?;
        let mut parts = rest.split(':');
        let verb = parts.next()?;
        let pair_id: i64 = parts.next()?.parse().ok()?;
        let mut number = || parts.next().and_then(|n| n.parse::<usize>().ok());
        let button = match verb {
            "accept" => PairButton::Accept,
            "decline" => PairButton::Decline,
            "panel" => PairButton::Panel,
            "ask" => PairButton::Ask(number()?),
            "mark" => {
                let point = number()?;
                PairButton::Mark(point, Mark::from_code(parts.next()?)?)
            }
            "page" => PairButton::Page(number()?),
            "note" => PairButton::Note,
            "done" => PairButton::Done,
            "finish" => PairButton::Finish,
            "swap" => PairButton::Swap,
            "end" => PairButton::End,
            _ => return None,
        };
        Some((button, pair_id))
    }

    fn button(self, pair_id: i64, label: &str, style: ButtonStyle) -> CreateButton {
        CreateButton::new(self.id(pair_id))
            .label(label)
            .style(style)
    }
}

/// What the invitation says about the interview.
pub struct Invitation<'a> {
    pub host_id: u64,
    pub guest_id: u64,
    pub track: &'a str,
    pub level: &'a str,
    pub questions: u32,
    pub expires_mins: u64,
}

/// The invitation, with Accept and Decline for the invited member.
pub fn invitation(i: &Invitation<'_>, pair_id: i64) -> CreateMessage {
    let plural = if i.questions == 1 { "" } else { "s" };
    let text = format!(
        "<@{}>, <@{}> invites you to a peer mock interview: they interview you on {} \
         question{plural} ({}, {}), marking your answers against the rubric, with the bot's \
         scorer as a second opinion. You can swap roles afterwards. Accept within {} minutes.",
        i.guest_id, i.host_id, i.questions, i.track, i.level, i.expires_mins
    );
    let row = CreateActionRow::Buttons(vec![
        PairButton::Accept.button(pair_id, "Accept", ButtonStyle::Success),
        PairButton::Decline.button(pair_id, "Decline", ButtonStyle::Secondary),
    ]);
    CreateMessage::new().content(text).components(vec![row])
}

/// The opening of the pair's current round in the thread, with the interviewer's panel button.
pub fn round_opening(pair: &Pair) -> CreateMessage {
    let (round, questions, pair_id) = (pair.round, pair.questions, pair.pair_id);
    let (interviewer, candidate) = (pair.interviewer(), pair.candidate());
    let plural = if questions == 1 { "" } else { "s" };
    let text = format!(
        "<@{interviewer}> interviews <@{candidate}>: {questions} question{plural}.\n\n\
         **Interviewer:** press **Interviewer's panel** to pick a question and see its rubric, \
         model answer and follow-ups (only you see them). Ask it in your own words, then mark \
         each point covered, partly or not, and press **Done**.\n\
         **Candidate:** answer here; your messages until the interviewer marks the answer are \
         your answer.\n\n\
         The bot scores each answer too, as a second opinion; the round's report shows both, \
         and where they differ."
    );
    let embed = EmbedText::new(format!("Peer interview, round {round}"))
        .description(text)
        .build()
        .colour(NEUTRAL);
    let row = CreateActionRow::Buttons(vec![
        PairButton::Panel.button(pair_id, "Interviewer's panel", ButtonStyle::Primary),
        PairButton::End.button(pair_id, "End", ButtonStyle::Danger),
    ]);
    CreateMessage::new()
        .content(format!("<@{interviewer}> <@{candidate}>"))
        .embed(embed)
        .components(vec![row])
}

/// An ephemeral panel message, or the update of the one clicked.
pub struct Panel {
    pub embed: CreateEmbed,
    pub components: Vec<CreateActionRow>,
}

impl Panel {
    pub fn into_response(self, update: bool) -> CreateInteractionResponse {
        let message = CreateInteractionResponseMessage::new()
            .embed(self.embed)
            .components(self.components);
        if update {
            CreateInteractionResponse::UpdateMessage(message)
        } else {
            CreateInteractionResponse::Message(message.ephemeral(true))
        }
    }
}

/// The picker: the next questions to choose from (the first is the plan's).
pub fn picker(choices: &[&Question], position: u32, total: u32, pair_id: i64) -> Panel {
    let lines: Vec<String> = choices
        .iter()
        .enumerate()
        .map(|(n, q)| {
            format!(
                "**{}. {}** ({}, {})\n{}",
                n + 1,
                q.topic,
                q.track,
                q.difficulty,
                cut(&q.prompt, 300)
            )
        })
        .collect();
    let embed = EmbedText::new(format!("Pick question {position} of {total}"))
        .description(lines.join("\n\n"))
        .footer("Only you see this. The first is the plan's pick.")
        .build()
        .colour(NEUTRAL);
    let buttons = choices
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let label = cut(&format!("{}. {}", n + 1, q.topic), 80);
            PairButton::Ask(n).button(pair_id, &label, ButtonStyle::Primary)
        })
        .collect();
    Panel {
        embed,
        components: vec![CreateActionRow::Buttons(buttons)],
    }
}

/// The interviewer's sheet for the open question: its prompt, model answer, pitfalls and
/// follow-ups, each point with its mark, and the marking buttons for `page`'s points.
pub fn sheet(q: &Question, marks: &Marks, note: Option<&str>, page: usize, pair_id: i64) -> Panel {
    let points: Vec<String> = q
        .points
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let mark = marks.get(&p.id).map_or("unmarked", |m| m.word());
            format!("{}. {} — *{mark}*", n + 1, p.statement)
        })
        .collect();
    let mut text = EmbedText::new(format!("Sheet: {}", q.topic))
        .description(format!(
            "**Ask (in your own words):** {}\n\n**Points to listen for**\n{}",
            q.prompt,
            points.join("\n")
        ))
        .field("Model answer", cut(&q.model_answer, FIELD_VALUE), false);
    let pitfalls: Vec<&str> = q.pitfalls.iter().map(|p| p.statement.as_str()).collect();
    if !pitfalls.is_empty() {
        text = text.field("Pitfalls", bullets(&pitfalls, FIELD_VALUE), false);
    }
    let follow_ups: Vec<&str> = q.follow_ups.iter().map(|f| f.prompt.as_str()).collect();
    if !follow_ups.is_empty() {
        text = text.field(
            "Follow-ups to try",
            bullets(&follow_ups, FIELD_VALUE),
            false,
        );
    }
    if let Some(note) = note {
        text = text.field("Your note", cut(note, FIELD_VALUE), false);
    }
    let embed = text
        .footer("Only you see this. Unmarked points count as not covered.")
        .build()
        .colour(NEUTRAL);
    Panel {
        embed,
        components: marking_rows(q.points.len(), marks, q, page, pair_id),
    }
}

fn marking_rows(
    count: usize,
    marks: &Marks,
    q: &Question,
    page: usize,
    pair_id: i64,
) -> Vec<CreateActionRow> {
    let pages = count.div_ceil(POINTS_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let first = page * POINTS_PER_PAGE;
    let mut rows: Vec<CreateActionRow> = (first..count.min(first + POINTS_PER_PAGE))
        .map(|n| {
            let marked = q.points.get(n).and_then(|p| marks.get(&p.id)).copied();
            let buttons = [
                (Mark::Covered, "covered"),
                (Mark::Partly, "partly"),
                (Mark::Not, "not"),
            ]
            .into_iter()
            .map(|(mark, word)| {
                let style = if marked == Some(mark) {
                    ButtonStyle::Success
                } else {
                    ButtonStyle::Secondary
                };
                PairButton::Mark(n, mark).button(pair_id, &format!("{}: {word}", n + 1), style)
            })
            .collect();
            CreateActionRow::Buttons(buttons)
        })
        .collect();
    let mut controls = Vec::new();
    if page > 0 {
        controls.push(PairButton::Page(page - 1).button(
            pair_id,
            "◀ Points",
            ButtonStyle::Secondary,
        ));
    }
    if page + 1 < pages {
        controls.push(PairButton::Page(page + 1).button(
            pair_id,
            "Points ▶",
            ButtonStyle::Secondary,
        ));
    }
    controls.push(PairButton::Note.button(pair_id, "Note", ButtonStyle::Secondary));
    controls.push(PairButton::Done.button(pair_id, "Done", ButtonStyle::Success));
    rows.push(CreateActionRow::Buttons(controls));
    rows
}

/// The panel once the answer is marked: the next question, or the round's end.
pub fn marked(position: u32, total: u32, peer: f32, pair_id: i64) -> Panel {
    let last = position >= total;
    let next = if last {
        "That was the round's last question: **Finish** posts the report."
    } else {
        "Open the panel again for the next question, or **Finish** the round here."
    };
    let embed = EmbedText::new(format!("Question {position} marked: {}/10", score(peer)))
        .description(next)
        .build()
        .colour(score_colour(peer));
    let mut buttons = Vec::new();
    if !last {
        buttons.push(PairButton::Panel.button(pair_id, "Next question", ButtonStyle::Primary));
    }
    buttons.push(PairButton::Finish.button(pair_id, "Finish round", ButtonStyle::Success));
    Panel {
        embed,
        components: vec![CreateActionRow::Buttons(buttons)],
    }
}

/// The form for the interviewer's note on the open answer.
pub fn note_form(pair_id: i64, note: Option<&str>) -> CreateInteractionResponse {
    let mut input = CreateInputText::new(
        InputTextStyle::Paragraph,
        "Note for the candidate",
        NOTE_FIELD,
    )
    .max_length(500)
    .required(false)
    .placeholder("What went well, what to work on");
    if let Some(note) = note {
        input = input.value(note);
    }
    CreateInteractionResponse::Modal(
        CreateModal::new(format!("{NOTE_FORM}{pair_id}"), "Note on this answer")
            .components(vec![CreateActionRow::InputText(input)]),
    )
}

/// The note typed into the form.
pub fn note_of(data: &serenity::all::ModalInteractionData) -> String {
    data.components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|c| match c {
            serenity::all::ActionRowComponent::InputText(t) if t.custom_id == NOTE_FIELD => {
                t.value.clone()
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// Posted in the thread when the interviewer asks a question (its text stays theirs to say).
pub fn asked(
    position: u32,
    total: u32,
    q: &Question,
    interviewer: u64,
    candidate: u64,
) -> CreateMessage {
    let embed = EmbedText::new(format!("Question {position} of {total}: {}", q.topic))
        .description(format!(
            "<@{interviewer}> asks a {} question on {}. <@{candidate}>, answer here.",
            q.difficulty, q.track
        ))
        .build()
        .colour(NEUTRAL);
    CreateMessage::new().embed(embed)
}

/// Posted in the thread when the interviewer has marked an answer.
pub fn marked_note(position: u32, peer: f32, interviewer: u64) -> CreateMessage {
    CreateMessage::new().content(format!(
        "<@{interviewer}> marked answer {position}: **{}/10**. The bot's second opinion comes \
         with the report.",
        score(peer)
    ))
}

/// A round's report: each question with both grades, and the points they disagree on.
pub fn report(r: &RoundReport, pair_id: i64) -> CreateMessage {
    let mut lines = Vec::new();
    for a in &r.answers {
        let peer = a
            .peer
            .map_or("not marked".to_owned(), |p| format!("{}/10", score(p)));
        let bot = a.bot.map_or("—".to_owned(), |b| format!("{}/10", score(b)));
        lines.push(format!(
            "**Q{}** {} ({}): peer {peer} · bot {bot}",
            a.position, a.topic, a.difficulty
        ));
    }
    let means = match (r.peer_mean(), r.bot_mean()) {
        (Some(p), Some(b)) => format!(
            "Peer-graded: **{}/10** · bot: **{}/10**",
            score(p),
            score(b)
        ),
        (Some(p), None) => format!("Peer-graded: **{}/10**", score(p)),
        _ => "No answer was marked.".to_owned(),
    };
    let mut text =
        EmbedText::new(format!("Peer interview report, round {}", r.round)).description(format!(
            "<@{}> interviewed <@{}>.\n{means}\n\n{}",
            r.interviewer_id,
            r.candidate_id,
            lines.join("\n")
        ));
    let differ: Vec<String> = r
        .answers
        .iter()
        .flat_map(|a| {
            a.disagreements.iter().map(move |d| {
                let wide = if d.is_wide() { "⚠️ " } else { "" };
                format!(
                    "{wide}Q{}: {} — peer: {}, bot: {}",
                    a.position,
                    d.statement,
                    d.peer.word(),
                    d.bot.word()
                )
            })
        })
        .collect();
    let agreement = if differ.is_empty() {
        "The interviewer and the bot marked every point alike.".to_owned()
    } else {
        bullets(&differ, FIELD_VALUE)
    };
    text = text.field("Where the grades differ", agreement, false);
    let notes: Vec<String> = r
        .answers
        .iter()
        .filter_map(|a| a.note.as_ref().map(|n| format!("Q{}: {n}", a.position)))
        .collect();
    if !notes.is_empty() {
        text = text.field("Interviewer's notes", bullets(&notes, FIELD_VALUE), false);
    }
    let embed = text
        .footer("Peer-graded results count on the peer board, apart from the bot's scores.")
        .build()
        .colour(score_colour(r.peer_mean().unwrap_or(0.0)));
    let row = CreateActionRow::Buttons(vec![PairButton::Swap.button(
        pair_id,
        "Swap roles for another round",
        ButtonStyle::Primary,
    )]);
    CreateMessage::new().embed(embed).components(vec![row])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_button_reads_back_as_itself() {
        let all = [
            PairButton::Accept,
            PairButton::Decline,
            PairButton::Panel,
            PairButton::Ask(2),
            PairButton::Mark(11, Mark::Partly),
            PairButton::Mark(0, Mark::Covered),
            PairButton::Mark(3, Mark::Not),
            PairButton::Page(1),
            PairButton::Note,
            PairButton::Done,
            PairButton::Finish,
            PairButton::Swap,
            PairButton::End,
        ];
        for b in all {
            let id = b.id(42);
            assert!(id.len() <= super::super::limits::CUSTOM_ID, "{id}");
            assert_eq!(PairButton::parse(&id), Some((b, 42)), "{id}");
        }
        assert_eq!(PairButton::parse("pair:mark:1:2:x"), None);
        assert_eq!(PairButton::parse("pair:fly:1"), None);
        assert_eq!(PairButton::parse("iv:submit:1"), None);
    }
}
