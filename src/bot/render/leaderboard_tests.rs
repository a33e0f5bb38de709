use serde_json::Value;

use super::*;
use crate::bot::render::limits::assert_valid_embed;

fn standing(rank: i64, user_id: u64, name: &str, value: f64) -> Standing {
    Standing {
        rank,
        user_id,
        display_name: name.into(),
        value,
        answers: 12,
    }
}

fn render(view: &BoardView<'_>) -> (Value, Vec<Value>) {
    let page = board_page(view);
    let embed = serde_json::to_value(&page.embed).unwrap();
    assert_valid_embed(&embed);
    let rows = serde_json::to_value(&page.components).unwrap();
    let buttons = rows[0]["components"].as_array().unwrap().clone();
    (embed, buttons)
}

fn view(board: &Board, page: u32) -> BoardView<'_> {
    BoardView {
        period: BoardPeriod::ThisWeek,
        metric: BoardMetric::AverageScore,
        track: Some("databases"),
        page,
        board,
        reader: 7,
    }
}

#[test]
fn button_ids_round_trip_with_any_track() {
    for track in [None, Some("databases"), Some("a:b:c")] {
        for metric in BoardMetric::ALL {
            let button = BoardButton {
                period: BoardPeriod::ThisMonth,
                metric,
                page: 3,
                track: track.map(str::to_owned),
            };
            let id = button.custom_id().unwrap();
            assert_eq!(BoardButton::parse(&id), Some(button), "{id}");
        }
    }
    assert_eq!(
        BoardButton::parse("lb:w:avg:2:"),
        Some(BoardButton {
            period: BoardPeriod::ThisWeek,
            metric: BoardMetric::AverageScore,
            page: 2,
            track: None
        })
    );
}

#[test]
fn other_ids_are_not_board_buttons() {
    for id in [
        "",
        "lb:none:Next",
        "lb:x:avg:1:",
        "lb:w:xyz:1:",
        "lb:w:avg:0:",
        "lb:w:avg:1",
        "iv:end:1",
    ] {
        assert_eq!(BoardButton::parse(id), None, "{id}");
    }
}

#[test]
fn a_track_too_long_for_a_custom_id_gives_no_id() {
    let button = BoardButton {
        period: BoardPeriod::AllTime,
        metric: BoardMetric::TotalPoints,
        page: 1,
        track: Some("t".repeat(95)),
    };
    assert_eq!(button.custom_id(), None);
}

#[test]
fn a_page_lists_ranks_names_and_values_and_marks_the_reader() {
    let board = Board {
        entries: vec![
            standing(1, 3, "Ada", 8.3),
            standing(2, 7, "*Bob*", 7.0),
            standing(2, 9, "Cy", 7.0),
        ],
        ranked: 23,
        caller: Some(standing(2, 7, "*Bob*", 7.0)),
    };
    // Ties share a rank, names are escaped, the reader's line is marked and their standing
    // has its own field; Previous is disabled on page 1 and Next names page 2.
    let (embed, buttons) = render(&view(&board, 1));
    insta::assert_json_snapshot!(serde_json::json!({ "embed": embed, "buttons": buttons }));
}

#[test]
fn the_reader_sees_their_standing_even_off_the_page() {
    let board = Board {
        entries: vec![standing(11, 1, "Ada", 5.0)],
        ranked: 30,
        caller: Some(standing(27, 7, "Bob", 2.0)),
    };
    let (embed, buttons) = render(&view(&board, 2));
    assert!(!embed["description"].as_str().unwrap().contains("you"));
    assert_eq!(
        embed["fields"][0]["value"],
        "**#27** of 30 · 2.0 average (12 answers)"
    );
    assert_eq!(buttons[0]["custom_id"], "lb:w:avg:1:databases");
    assert_eq!(buttons[1]["custom_id"], "lb:w:avg:3:databases");
}

#[test]
fn the_last_page_has_no_next_and_an_unranked_reader_is_told_why() {
    let board = Board {
        entries: vec![standing(21, 1, "Ada", 5.0)],
        ranked: 21,
        caller: None,
    };
    let (embed, buttons) = render(&view(&board, 3));
    assert_eq!(buttons[1]["disabled"], true);
    let standing = embed["fields"][0]["value"].as_str().unwrap();
    assert!(standing.contains("3 scored answers"), "{standing}");
}

#[test]
fn an_empty_board_says_how_to_get_on_it() {
    let board = Board::default();
    let mut v = view(&board, 1);
    v.metric = BoardMetric::QotdStreak;
    v.period = BoardPeriod::AllTime;
    let (embed, buttons) = render(&v);
    assert!(embed["description"]
        .as_str()
        .unwrap()
        .contains("Nobody is on this board yet"));
    assert_eq!(embed["fields"][0]["value"], "Not ranked yet.");
    assert!(embed["footer"]["text"]
        .as_str()
        .unwrap()
        .contains("streaks count every track"));
    assert_eq!(buttons[0]["disabled"], true);
    assert_eq!(buttons[1]["disabled"], true);
}

#[test]
fn values_read_in_each_metrics_unit() {
    let one = standing(1, 1, "Ada", 1.0);
    let many = standing(1, 1, "Ada", 12.0);
    assert_eq!(BoardMetric::TotalPoints.value(&many), "12.0 points");
    assert_eq!(BoardMetric::InterviewsCompleted.value(&one), "1 interview");
    assert_eq!(BoardMetric::QotdStreak.value(&many), "12 days");
    assert_eq!(BoardMetric::ReviewsGiven.value(&one), "1 review");
}

#[test]
fn pages_are_counted_from_the_members_ranked() {
    assert_eq!(page_count(0), 1);
    assert_eq!(page_count(10), 1);
    assert_eq!(page_count(11), 2);
}
