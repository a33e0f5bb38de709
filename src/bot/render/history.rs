//! `/history`: a member's answers, newest first, ten to a page, with Older/Newer buttons. The
//! buttons are stateless: each carries who may page (the member who ran the command), whose
//! history it is, the page number and the keyset cursor to continue from, so any process can
//! answer a click after any restart. The first page also shows the member's scores by day, and
//! every answer its peer score beside the scorer's.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate};
use serenity::all::{ButtonStyle, CreateActionRow, CreateAttachment, CreateButton, CreateEmbed};

use super::limits::EmbedText;
use super::{score, turn_label, Page, NEUTRAL};
use crate::app::reviews::peer_score;
use crate::chart::ScorePoint;
use crate::store::answers::AnswerStatus;
use crate::store::history::{Cursor, HistoryItem};
use crate::store::pairs::PeerGraded;
use crate::store::progress::DayScores;
use crate::store::reviews::ReviewSummary;

/// Answers per page.
pub const PAGE_SIZE: i64 = 10;
/// The file name of the chart on the first page.
pub const HISTORY_CHART: &str = "history.png";

/// Which way a button pages, from which answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The answers older than the cursor.
    Older,
    /// The answers newer than the cursor.
    Newer,
}

/// What an Older/Newer button carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryButton {
    /// Who ran the command: the only one who may page.
    pub viewer: u64,
    /// Whose history it is.
    pub member: u64,
    /// The number of the page the click leads to (1 is the newest).
    pub page: u32,
    pub direction: Direction,
    pub from: Cursor,
}

impl HistoryButton {
    /// `hist:{viewer}:{member}:{page}:{o|n}:{created_at µs}:{answer_id}`: at most 92 characters.
    pub fn custom_id(&self) -> String {
        let way = match self.direction {
            Direction::Older => 'o',
            Direction::Newer => 'n',
        };
        format!(
            "hist:{}:{}:{}:{way}:{}:{}",
            self.viewer,
            self.member,
            self.page,
            self.from.created_at.timestamp_micros(),
            self.from.answer_id
        )
    }

    /// The button a custom id names; `None` for any other component.
    pub fn parse(custom_id: &str) -> Option<HistoryButton> {
        let mut parts = custom_id.strip_prefix("hist:")?.split(':');
        let viewer = parts.next()?.parse().ok()?;
        let member = parts.next()?.parse().ok()?;
        let page = parts.next()?.parse().ok()?;
        let direction = match parts.next()? {
            "o" => Direction::Older,
            "n" => Direction::Newer,
            _ => return None,
        };
        let created_at = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
        let answer_id = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        let from = Cursor {
            created_at,
            answer_id,
        };
        Some(HistoryButton {
            viewer,
            member,
            page,
            direction,
            from,
        })
    }
}

/// One page of a member's history, as the renderer needs it.
#[derive(Debug, Clone)]
pub struct HistoryView<'a> {
    /// The member's name, for the title.
    pub name: &'a str,
    pub viewer: u64,
    pub member: u64,
    /// 1 for the newest answers.
    pub page: u32,
    pub items: &'a [HistoryItem],
    /// The peer reviews of those answers, by answer id (unreviewed answers are absent).
    pub reviews: &'a HashMap<i64, ReviewSummary>,
    /// Where the next older page starts, when there may be one.
    pub older: Option<Cursor>,
    /// The chart of scores by day, on the first page.
    pub chart: Option<Vec<u8>>,
}

/// A page of history with its buttons and, on the first page, the chart.
pub fn history_page(view: HistoryView<'_>) -> Page {
    let lines: Vec<String> = view
        .items
        .iter()
        .map(|item| history_line(item, view.reviews.get(&item.answer_id)))
        .collect();
    let description = if lines.is_empty() {
        "No older answers.".to_owned()
    } else {
        lines.join("\n")
    };
    let mut embed = EmbedText::new(format!("History: {}", view.name))
        .description(description)
        .footer(format!("Page {} · newest first", view.page))
        .build()
        .colour(NEUTRAL);
    let components = paging_buttons(&view);
    let mut attachment = None;
    if let Some(png) = view.chart {
        embed = embed.image(format!("attachment://{HISTORY_CHART}"));
        attachment = Some(CreateAttachment::bytes(png, HISTORY_CHART));
    }
    Page {
        embed,
        components,
        attachment,
    }
}

fn paging_buttons(view: &HistoryView<'_>) -> Vec<CreateActionRow> {
    let button = |direction, page, from: Option<Cursor>, label| {
        let Some(from) = from else {
            // A disabled button keeps the row's layout steady; its id only has to be unique.
            return CreateButton::new(format!("hist:none:{label}"))
                .label(label)
                .style(ButtonStyle::Secondary)
                .disabled(true);
        };
        let id = HistoryButton {
            viewer: view.viewer,
            member: view.member,
            page,
            direction,
            from,
        };
        CreateButton::new(id.custom_id())
            .label(label)
            .style(ButtonStyle::Secondary)
    };
    let newest = view.items.first().map(cursor_of);
    let newer_from = newest.filter(|_| view.page > 1);
    let previous = view.page.saturating_sub(1).max(1);
    vec![CreateActionRow::Buttons(vec![
        button(Direction::Newer, previous, newer_from, "Newer"),
        button(
            Direction::Older,
            view.page.saturating_add(1),
            view.older,
            "Older",
        ),
    ])]
}

fn cursor_of(item: &HistoryItem) -> Cursor {
    Cursor {
        created_at: item.created_at,
        answer_id: item.answer_id,
    }
}

/// "date · track · `question` · turn · score · peers +3 (2) · hinted", the date in the
/// reader's own zone; the peer score only once someone reviewed the answer.
pub fn history_line(item: &HistoryItem, reviews: Option<&ReviewSummary>) -> String {
    let result = match (item.status, item.overall) {
        (AnswerStatus::Scored, Some(overall)) => format!("**{}**", score(overall)),
        (AnswerStatus::Submitted, _) | (AnswerStatus::Open, _) => "scoring…".to_owned(),
        (AnswerStatus::Scored, None) | (AnswerStatus::Failed, _) => "not scored".to_owned(),
    };
    let peers = reviews
        .and_then(peer_score)
        .map_or_else(String::new, |p| format!(" · {p}"));
    let hinted = if item.hinted { " · hinted" } else { "" };
    format!(
        "<t:{}:d> · {} · `{}` · {} · {result}{peers}{hinted}",
        item.created_at.timestamp(),
        item.track,
        item.question_id,
        turn_label(item.turn)
    )
}

/// What a member with no answers yet sees.
pub fn empty_history(name: &str, own: bool) -> CreateEmbed {
    let text = if own {
        "You have no answers yet. Start a mock interview with `/interview start`, or answer \
         the question of the day; your answers and scores will show up here."
            .to_owned()
    } else {
        format!(
            "{name} has no answers yet. They can start a mock interview with `/interview start`."
        )
    };
    EmbedText::new(format!("History: {name}"))
        .description(text)
        .build()
        .colour(NEUTRAL)
}

/// The chart's points: one per day, labelled with the date.
pub fn chart_points(days: &[DayScores]) -> Vec<ScorePoint> {
    days.iter()
        .map(|d| ScorePoint {
            label: day_label(d.day),
            scores: d.scores,
        })
        .collect()
}

fn day_label(day: NaiveDate) -> String {
    day.format("%b %-d").to_string()
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;

/// The member's peer-graded answers, apart from the bot's scores: a field for the first page
/// of their history. `None` when they have neither been interviewed nor interviewed anyone.
pub fn peer_rounds(graded: &[PeerGraded], given: i64) -> Option<(String, String)> {
    if graded.is_empty() && given == 0 {
        return None;
    }
    let mut lines: Vec<String> = graded
        .iter()
        .map(|g| {
            let bot = g
                .bot_score
                .map_or_else(String::new, |b| format!(" · bot {}", score(b)));
            format!(
                "<t:{}:d> · `{}` · peer-graded **{}**{bot} · by <@{}>",
                g.graded_at.timestamp(),
                g.question_id,
                score(g.peer_score),
                g.interviewer_id
            )
        })
        .collect();
    let plural = if given == 1 { "" } else { "s" };
    lines.push(format!("Peer interviews given: {given} round{plural}."));
    Some((
        "Peer interviews (peer-graded)".to_owned(),
        super::limits::bullets(&lines, super::limits::FIELD_VALUE),
    ))
}
