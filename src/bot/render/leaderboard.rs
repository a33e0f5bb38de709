//! `/leaderboard`: a page of a board, the reader's own standing wherever it is, and the
//! Previous/Next buttons. The buttons are stateless — `lb:{period}:{metric}:{page}:{track}` —
//! so anyone may page and any process can answer; the standing shown is always the clicker's.

use serenity::all::{ButtonStyle, CreateActionRow, CreateButton};

use super::limits::{EmbedText, CUSTOM_ID};
use super::{escape, Page, NEUTRAL};
use crate::store::leaderboards::{Board, Metric, Period, Standing};

/// Members per page.
pub const PAGE_SIZE: i64 = 10;
/// Scored answers a member needs before the average-score board ranks them.
pub const MIN_ANSWERS_FOR_AVERAGE: i32 = 3;

/// The periods `/leaderboard` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum BoardPeriod {
    #[name = "this week"]
    ThisWeek,
    #[name = "this month"]
    ThisMonth,
    #[name = "all time"]
    AllTime,
}

impl BoardPeriod {
    const ALL: [BoardPeriod; 3] = [
        BoardPeriod::ThisWeek,
        BoardPeriod::ThisMonth,
        BoardPeriod::AllTime,
    ];

    pub fn period(self) -> Period {
        match self {
            BoardPeriod::ThisWeek => Period::ThisWeek,
            BoardPeriod::ThisMonth => Period::ThisMonth,
            BoardPeriod::AllTime => Period::AllTime,
        }
    }

    fn code(self) -> &'static str {
        match self {
            BoardPeriod::ThisWeek => "w",
            BoardPeriod::ThisMonth => "m",
            BoardPeriod::AllTime => "a",
        }
    }

    fn label(self) -> &'static str {
        match self {
            BoardPeriod::ThisWeek => "this week",
            BoardPeriod::ThisMonth => "this month",
            BoardPeriod::AllTime => "all time",
        }
    }
}

/// What `/leaderboard` can rank by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, poise::ChoiceParameter)]
pub enum BoardMetric {
    #[name = "average score"]
    AverageScore,
    #[name = "total points"]
    TotalPoints,
    #[name = "interviews completed"]
    InterviewsCompleted,
    #[name = "QOTD streak"]
    QotdStreak,
    #[name = "reviews given"]
    ReviewsGiven,
    #[name = "peer-graded score"]
    PeerGraded,
    #[name = "peer interviews given"]
    InterviewsGiven,
}

impl BoardMetric {
    const ALL: [BoardMetric; 7] = [
        BoardMetric::AverageScore,
        BoardMetric::TotalPoints,
        BoardMetric::InterviewsCompleted,
        BoardMetric::QotdStreak,
        BoardMetric::ReviewsGiven,
        BoardMetric::PeerGraded,
        BoardMetric::InterviewsGiven,
    ];

    pub fn metric(self) -> Metric {
        match self {
            BoardMetric::AverageScore => Metric::AverageScore {
                min_answers: MIN_ANSWERS_FOR_AVERAGE,
            },
            BoardMetric::TotalPoints => Metric::TotalPoints,
            BoardMetric::InterviewsCompleted => Metric::InterviewsCompleted,
            BoardMetric::QotdStreak => Metric::QotdStreak,
            BoardMetric::ReviewsGiven => Metric::ReviewsGiven,
            BoardMetric::PeerGraded => Metric::PeerGraded,
            BoardMetric::InterviewsGiven => Metric::InterviewsGiven,
        }
    }

    fn code(self) -> &'static str {
        match self {
            BoardMetric::AverageScore => "avg",
            BoardMetric::TotalPoints => "pts",
            BoardMetric::InterviewsCompleted => "int",
            BoardMetric::QotdStreak => "qotd",
            BoardMetric::ReviewsGiven => "rev",
            BoardMetric::PeerGraded => "peer",
            BoardMetric::InterviewsGiven => "given",
        }
    }

    fn label(self) -> &'static str {
        match self {
            BoardMetric::AverageScore => "average score",
            BoardMetric::TotalPoints => "total points",
            BoardMetric::InterviewsCompleted => "interviews completed",
            BoardMetric::QotdStreak => "QOTD streak",
            BoardMetric::ReviewsGiven => "reviews given",
            BoardMetric::PeerGraded => "peer-graded score",
            BoardMetric::InterviewsGiven => "peer interviews given",
        }
    }

    /// A standing's value in words: "7.4 average (12 answers)", "5 days", ….
    pub fn value(self, s: &Standing) -> String {
        let plural = |n: f64, one: &str, many: &str| {
            let n = n.round() as i64;
            format!("{n} {}", if n == 1 { one } else { many })
        };
        match self {
            BoardMetric::AverageScore => format!(
                "{:.1} average ({})",
                s.value,
                plural(s.answers as f64, "answer", "answers")
            ),
            BoardMetric::TotalPoints => format!("{:.1} points", s.value),
            BoardMetric::InterviewsCompleted => plural(s.value, "interview", "interviews"),
            BoardMetric::QotdStreak => plural(s.value, "day", "days"),
            BoardMetric::ReviewsGiven => plural(s.value, "review", "reviews"),
            BoardMetric::PeerGraded => format!(
                "{:.1} peer-graded ({})",
                s.value,
                plural(s.answers as f64, "answer", "answers")
            ),
            BoardMetric::InterviewsGiven => format!(
                "{} ({} marked)",
                plural(s.value, "interview", "interviews"),
                plural(s.answers as f64, "answer", "answers")
            ),
        }
    }
}

/// A board and page, as a Previous/Next button carries them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardButton {
    pub period: BoardPeriod,
    pub metric: BoardMetric,
    /// 1-based page the click leads to.
    pub page: u32,
    pub track: Option<String>,
}

impl BoardButton {
    /// `lb:{period}:{metric}:{page}:{track}`; `None` when a long track name would not fit in
    /// Discord's 100 characters (the board then shows without paging).
    pub fn custom_id(&self) -> Option<String> {
        let id = format!(
            "lb:{}:{}:{}:{}",
            self.period.code(),
            self.metric.code(),
            self.page,
            self.track.as_deref().unwrap_or("")
        );
        (id.chars().count() <= CUSTOM_ID).then_some(id)
    }

    /// The button a custom id names; `None` for any other component. The track is last, so
    /// it may hold any character.
    pub fn parse(custom_id: &str) -> Option<BoardButton> {
        let mut parts = custom_id.strip_prefix("lb:")?.splitn(4, ':');
        let period = parts.next()?;
        let period = *BoardPeriod::ALL.iter().find(|p| p.code() == period)?;
        let metric = parts.next()?;
        let metric = *BoardMetric::ALL.iter().find(|m| m.code() == metric)?;
        let page = parts.next()?.parse().ok().filter(|&p| p >= 1)?;
        let track = Some(parts.next()?)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        Some(BoardButton {
            period,
            metric,
            page,
            track,
        })
    }
}

/// One page of a board, as the renderer needs it.
#[derive(Debug, Clone)]
pub struct BoardView<'a> {
    pub period: BoardPeriod,
    pub metric: BoardMetric,
    pub track: Option<&'a str>,
    /// 1-based.
    pub page: u32,
    pub board: &'a Board,
    /// Who is reading: their line is marked, and their standing shown below.
    pub reader: u64,
}

/// Pages a board of `ranked` members fills (at least one).
pub fn page_count(ranked: i64) -> u32 {
    let pages = (ranked.max(1) + PAGE_SIZE - 1) / PAGE_SIZE;
    u32::try_from(pages).unwrap_or(u32::MAX)
}

/// A page of the board with the reader's standing and the paging buttons.
pub fn board_page(view: &BoardView<'_>) -> Page {
    let pages = page_count(view.board.ranked);
    let track = view.track.map_or(String::new(), |t| format!(" · {t}"));
    let title = format!(
        "Leaderboard: {} · {}{track}",
        view.metric.label(),
        view.period.label()
    );
    let mut text = EmbedText::new(title)
        .description(entries(view))
        .footer(footer(view, pages));
    text = text.field("Your standing", standing(view), false);
    Page {
        embed: text.build().colour(NEUTRAL),
        components: paging_buttons(view, pages),
        attachment: None,
    }
}

fn entries(view: &BoardView<'_>) -> String {
    if view.board.ranked == 0 {
        return "Nobody is on this board yet. Answer questions with `/interview start` or the \
                question of the day to get on it."
            .to_owned();
    }
    if view.board.entries.is_empty() {
        return "No one on this page: the board has fewer members now.".to_owned();
    }
    view.board
        .entries
        .iter()
        .map(|s| {
            let you = if s.user_id == view.reader {
                " ← you"
            } else {
                ""
            };
            format!(
                "**#{}** {} · {}{you}",
                s.rank,
                escape(&s.display_name),
                view.metric.value(s)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn standing(view: &BoardView<'_>) -> String {
    match &view.board.caller {
        Some(s) => format!(
            "**#{}** of {} · {}",
            s.rank,
            view.board.ranked,
            view.metric.value(s)
        ),
        None if view.metric == BoardMetric::AverageScore => format!(
            "Not ranked yet: it takes {MIN_ANSWERS_FOR_AVERAGE} scored answers in this period."
        ),
        None => "Not ranked yet.".to_owned(),
    }
}

fn footer(view: &BoardView<'_>, pages: u32) -> String {
    let period = match view.period {
        BoardPeriod::ThisWeek => " · weeks start on Monday, server time",
        BoardPeriod::ThisMonth => " · server time",
        BoardPeriod::AllTime => "",
    };
    let streaks = if view.metric == BoardMetric::QotdStreak && view.track.is_some() {
        " · streaks count every track"
    } else {
        ""
    };
    format!(
        "Page {} of {pages} · {} ranked{period}{streaks}",
        view.page.min(pages),
        view.board.ranked
    )
}

fn paging_buttons(view: &BoardView<'_>, pages: u32) -> Vec<CreateActionRow> {
    let button = |page: Option<u32>, label: &str| {
        let id = page.and_then(|page| {
            BoardButton {
                period: view.period,
                metric: view.metric,
                page,
                track: view.track.map(str::to_owned),
            }
            .custom_id()
        });
        match id {
            Some(id) => CreateButton::new(id)
                .label(label)
                .style(ButtonStyle::Secondary),
            // A disabled button keeps the row's layout steady; its id only has to be unique.
            None => CreateButton::new(format!("lb:none:{label}"))
                .label(label)
                .style(ButtonStyle::Secondary)
                .disabled(true),
        }
    };
    let previous = (view.page > 1).then(|| view.page.min(pages.saturating_add(1)) - 1);
    let next = (view.page < pages).then(|| view.page + 1);
    vec![CreateActionRow::Buttons(vec![
        button(previous, "Previous"),
        button(next, "Next"),
    ])]
}

#[cfg(test)]
#[path = "leaderboard_tests.rs"]
mod tests;
