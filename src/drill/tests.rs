use super::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

fn review(d: u32, score: f32) -> Review {
    Review { day: day(d), score }
}

#[test]
fn good_answers_come_back_after_one_then_six_days_then_further_apart() {
    let first = Card::from_reviews(&[review(1, 8.0)]).unwrap();
    assert_eq!((first.interval_days, first.due), (1, day(2)));
    let second = first.reviewed(review(2, 8.0));
    assert_eq!((second.interval_days, second.due), (6, day(8)));
    let third = second.reviewed(review(8, 8.0));
    // 6 days × an ease of 2.5 (quality 4 leaves the ease as it was).
    assert_eq!(third.ease, 2.5);
    assert_eq!((third.interval_days, third.due), (15, day(23)));
}

#[test]
fn a_weak_answer_starts_the_question_over_and_makes_it_less_easy() {
    let card = Card::from_reviews(&[review(1, 9.5), review(2, 9.5), review(8, 3.0)]).unwrap();
    assert_eq!(
        (card.repetitions, card.interval_days, card.due),
        (0, 1, day(9))
    );
    assert!(card.ease < 2.6, "{}", card.ease);
    // The ease never drops under 1.3, however often the answer fails.
    let failing: Vec<Review> = (1..=20).map(|d| review(d, 0.0)).collect();
    assert_eq!(Card::from_reviews(&failing).unwrap().ease, 1.3);
}

#[test]
fn quality_follows_the_score_and_six_is_the_pass_mark() {
    let q: Vec<u8> = [0.0, 2.0, 4.0, 5.9, 6.0, 7.5, 9.0, 10.0]
        .into_iter()
        .map(quality)
        .collect();
    assert_eq!(q, [0, 1, 2, 2, 3, 4, 5, 5]);
}

#[test]
fn due_questions_come_most_overdue_first_within_the_limit() {
    let card = |due: u32, score: f32| Card {
        repetitions: 1,
        interval_days: 1,
        ease: 2.5,
        last_review: day(1),
        due: day(due),
        last_score: score,
    };
    let cards = [
        ("later", card(9, 5.0)),
        ("old", card(2, 8.0)),
        ("weak", card(4, 2.0)),
        ("same-day-strong", card(4, 7.0)),
    ];
    let due_now = due(cards, day(5), 2);
    let ids: Vec<&str> = due_now.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, ["old", "weak"]);
}

#[test]
fn the_streak_counts_days_in_a_row_and_survives_until_today_is_done() {
    assert_eq!(streak(vec![day(3), day(4), day(5)], day(5)), 3);
    assert_eq!(
        streak(vec![day(3), day(4)], day(5)),
        2,
        "today not done yet"
    );
    assert_eq!(streak(vec![day(2), day(4), day(4)], day(5)), 1);
    assert_eq!(streak(vec![day(1), day(2)], day(5)), 0);
    assert_eq!(streak(vec![], day(5)), 0);
}

#[test]
fn two_answers_on_one_day_count_once_the_last() {
    let twice = Card::from_reviews(&[review(1, 8.0), review(1, 9.0)]).unwrap();
    let once = Card::from_reviews(&[review(1, 9.0)]).unwrap();
    assert_eq!(twice, once);
    assert_eq!(twice.due, day(2));
}
