use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::*;
use crate::bot::render::limits::{assert_valid_embed, CUSTOM_ID};
use crate::interview::Turn;
use crate::scoring::Scores;

fn at(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap()
}

fn item(answer_id: i64, status: AnswerStatus, overall: Option<f32>, hinted: bool) -> HistoryItem {
    HistoryItem {
        answer_id,
        interview_id: Some(1),
        qotd_post_id: None,
        question_id: "what-is-an-index".into(),
        track: "databases".into(),
        turn: Turn::Main,
        status,
        overall,
        hinted,
        created_at: at(1_700_000_000_000_000 + answer_id),
        submitted_at: at(1_700_000_000_000_000 + answer_id),
    }
}

fn buttons(page: &Page) -> Vec<Value> {
    let json = serde_json::to_value(&page.components).unwrap();
    json[0]["components"].as_array().unwrap().clone()
}

#[test]
fn a_button_id_round_trips_and_stays_under_discords_limit() {
    let button = HistoryButton {
        viewer: u64::MAX,
        member: u64::MAX,
        page: u32::MAX,
        direction: Direction::Newer,
        from: Cursor {
            created_at: at(4_102_444_800_123_456), // 2100-01-01, to the microsecond
            answer_id: i64::MAX,
        },
    };
    let id = button.custom_id();
    assert!(id.len() <= CUSTOM_ID, "{} characters: {id}", id.len());
    assert_eq!(HistoryButton::parse(&id), Some(button));
    let older = HistoryButton {
        direction: Direction::Older,
        page: 2,
        ..button
    };
    assert_eq!(HistoryButton::parse(&older.custom_id()), Some(older));
}

#[test]
fn other_ids_are_not_history_buttons() {
    for id in [
        "",
        "iv:hint:1",
        "hist:none:Older",
        "hist:1:2:3:x:4:5",
        "hist:1:2:3:o:4",
        "hist:1:2:3:o:4:5:6",
        "hist:-1:2:3:o:4:5",
    ] {
        assert_eq!(HistoryButton::parse(id), None, "{id}");
    }
}

#[test]
fn a_line_shows_date_track_question_turn_score_and_hint() {
    let line = history_line(&item(1, AnswerStatus::Scored, Some(7.5), true), None);
    assert_eq!(
        line,
        "<t:1700000000:d> · databases · `what-is-an-index` · main · **7.5** · hinted"
    );
    let mut follow_up = item(2, AnswerStatus::Submitted, None, false);
    follow_up.turn = Turn::FollowUp { index: 0 };
    assert_eq!(
        history_line(&follow_up, None),
        "<t:1700000000:d> · databases · `what-is-an-index` · follow-up · scoring…"
    );
    let failed = history_line(&item(3, AnswerStatus::Failed, None, false), None);
    assert!(failed.ends_with("· not scored"), "{failed}");
}

#[test]
fn a_reviewed_answer_shows_its_peer_score_beside_its_score() {
    let reviewed = ReviewSummary { count: 2, total: 3 };
    let line = history_line(
        &item(1, AnswerStatus::Scored, Some(7.4), true),
        Some(&reviewed),
    );
    assert!(
        line.ends_with("· **7.4** · peers +3 (2) · hinted"),
        "{line}"
    );
    let unreviewed = history_line(
        &item(2, AnswerStatus::Scored, Some(7.4), false),
        Some(&ReviewSummary::default()),
    );
    assert!(unreviewed.ends_with("· **7.4**"), "{unreviewed}");
}

#[test]
fn a_page_puts_each_answers_reviews_on_its_own_line() {
    let items = vec![
        item(2, AnswerStatus::Scored, Some(6.0), false),
        item(1, AnswerStatus::Scored, Some(5.0), false),
    ];
    let reviews = HashMap::from([(
        1,
        ReviewSummary {
            count: 1,
            total: -1,
        },
    )]);
    let page = history_page(HistoryView {
        name: "Ada",
        viewer: 5,
        member: 5,
        page: 1,
        items: &items,
        reviews: &reviews,
        older: None,
        chart: None,
    });
    let embed = serde_json::to_value(&page.embed).unwrap();
    let lines: Vec<&str> = embed["description"].as_str().unwrap().lines().collect();
    assert!(!lines[0].contains("peers"), "{lines:?}");
    assert!(lines[1].ends_with("· peers -1 (1)"), "{lines:?}");
}

#[test]
fn the_first_page_shows_the_chart_and_only_an_older_button() {
    let items: Vec<HistoryItem> = (0..10)
        .map(|i| item(100 - i, AnswerStatus::Scored, Some(6.0), false))
        .collect();
    let older = Cursor {
        created_at: items[9].created_at,
        answer_id: items[9].answer_id,
    };
    let page = history_page(HistoryView {
        name: "Ada",
        viewer: 5,
        member: 6,
        page: 1,
        items: &items,
        reviews: &HashMap::new(),
        older: Some(older),
        chart: Some(vec![137, 80, 78, 71]),
    });
    let embed = serde_json::to_value(&page.embed).unwrap();
    assert_valid_embed(&embed);
    assert_eq!(embed["title"], "History: Ada");
    assert_eq!(embed["description"].as_str().unwrap().lines().count(), 10);
    assert_eq!(embed["footer"]["text"], "Page 1 · newest first");
    assert_eq!(embed["image"]["url"], "attachment://history.png");
    assert_eq!(
        page.attachment.as_ref().map(|a| a.filename.as_str()),
        Some("history.png")
    );
    let buttons = buttons(&page);
    assert_eq!(buttons[0]["label"], "Newer");
    assert_eq!(buttons[0]["disabled"], true);
    assert_eq!(buttons[1]["label"], "Older");
    assert_eq!(buttons[1]["disabled"], false);
    let id = buttons[1]["custom_id"].as_str().unwrap();
    let parsed = HistoryButton::parse(id).unwrap();
    assert_eq!((parsed.viewer, parsed.member, parsed.page), (5, 6, 2));
    assert_eq!(parsed.direction, Direction::Older);
    assert_eq!(parsed.from, older);
}

#[test]
fn a_later_page_pages_newer_from_its_first_answer_and_has_no_chart() {
    let items = vec![item(40, AnswerStatus::Scored, Some(3.0), false)];
    let page = history_page(HistoryView {
        name: "Ada",
        viewer: 5,
        member: 5,
        page: 3,
        items: &items,
        reviews: &HashMap::new(),
        older: None,
        chart: None,
    });
    assert!(page.attachment.is_none());
    let buttons = buttons(&page);
    let newer = HistoryButton::parse(buttons[0]["custom_id"].as_str().unwrap()).unwrap();
    assert_eq!(newer.direction, Direction::Newer);
    assert_eq!(newer.page, 2);
    assert_eq!(newer.from.answer_id, 40);
    assert_eq!(buttons[1]["disabled"], true, "no older page");
}

#[test]
fn an_empty_history_says_how_to_start() {
    let own = serde_json::to_value(empty_history("Ada", true)).unwrap();
    assert!(own["description"]
        .as_str()
        .unwrap()
        .contains("`/interview start`"));
    let theirs = serde_json::to_value(empty_history("Bob", false)).unwrap();
    assert!(theirs["description"]
        .as_str()
        .unwrap()
        .starts_with("Bob has no answers yet"));
}

#[test]
fn chart_points_are_labelled_with_their_dates() {
    let day = |d| chrono::NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
    let days = [
        DayScores {
            day: day(4),
            answers: 2,
            scores: Scores::default(),
        },
        DayScores {
            day: day(12),
            answers: 1,
            scores: Scores::default(),
        },
    ];
    let labels: Vec<String> = chart_points(&days).into_iter().map(|p| p.label).collect();
    assert_eq!(labels, ["Mar 4", "Mar 12"]);
}
