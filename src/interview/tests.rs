//! Unit tests for the engine's rules, on a small synthetic bank.

use std::sync::Arc;

use super::*;
use crate::bank::{Bank, Difficulty, FollowUp, Origin, Point, Question};
use crate::scoring::{PointResult, Scores};

fn point(id: &str) -> Point {
    Point {
        id: id.into(),
        statement: format!("statement of {id}"),
        concepts: vec![vec![format!("{id} concept")], vec![format!("{id} other")]],
    }
}

fn follow_up(probes: &[&str]) -> FollowUp {
    FollowUp {
        prompt: format!("follow-up on {}", probes.join("+")),
        probes: probes.iter().map(|p| p.to_string()).collect(),
        model_answer: None,
        points: vec![point("fu")],
    }
}

pub(crate) fn question(i: usize) -> Question {
    Question {
        id: format!("q{i}"),
        track: if i % 2 == 0 { "alpha" } else { "beta" }.into(),
        topic: format!("topic {}", i % 6),
        difficulty: Difficulty::ALL[i % 3],
        prompt: format!("prompt {i}"),
        tags: vec![],
        related: vec![],
        model_answer: "model".into(),
        points: vec![point("a"), point("b"), point("c")],
        pitfalls: vec![],
        follow_ups: vec![follow_up(&["a"]), follow_up(&["b", "c"]), follow_up(&["c"])],
        good_answers: Vec::new(),
        bad_answers: Vec::new(),
        requirements: Vec::new(),
        estimates: Vec::new(),
        wrap_up: Vec::new(),
        origin: Origin {
            file: "test.toml".into(),
            line: 1,
        },
    }
}

pub(crate) fn sample_bank(n: usize) -> Bank {
    Bank::from_questions((0..n).map(question).collect())
}

fn interview(n: usize, settings: Settings) -> Interview {
    Interview::new((0..n).map(|i| Arc::new(question(i))).collect(), settings)
}

/// An assessment where each named point has the given coverage; others are missed.
pub(super) fn assessment(coverage: &[(&str, f32)], overall: f32) -> Assessment {
    let results = |pred: fn(f32) -> bool| {
        coverage
            .iter()
            .filter(|(_, c)| pred(*c))
            .map(|(id, c)| PointResult {
                id: id.to_string(),
                statement: format!("statement of {id}"),
                coverage: *c,
                evidence: None,
            })
            .collect()
    };
    Assessment {
        scores: Scores {
            technical: overall,
            tradeoffs: overall,
            communication: overall,
            overall,
        },
        covered: results(|c| c >= 0.99),
        partial: results(|c| c > 0.0 && c < 0.99),
        missed: results(|c| c == 0.0),
        pitfalls: vec![],
        feedback: vec![],
        scorer: crate::scoring::ScorerKind::Offline,
        model: None,
        ..Default::default()
    }
}

pub(super) fn asked(actions: &[Action]) -> Option<&Prompt> {
    actions.iter().find_map(|a| match a {
        Action::Ask(p) => Some(p),
        _ => None,
    })
}

pub(super) fn report(actions: &[Action]) -> Option<&Report> {
    actions.iter().find_map(|a| match a {
        Action::Finish(r) => Some(r),
        _ => None,
    })
}

pub(super) fn answer(iv: &mut Interview, coverage: &[(&str, f32)], overall: f32) -> Vec<Action> {
    let actions = iv
        .handle(Event::AnswerSubmitted("my answer".into()))
        .unwrap();
    assert!(matches!(actions[0], Action::Score { .. }));
    iv.handle(Event::AnswerScored(Box::new(assessment(coverage, overall))))
        .unwrap()
}

#[test]
fn start_asks_the_first_main_question() {
    let mut iv = interview(2, Settings::default());
    let actions = iv.handle(Event::Start).unwrap();
    let p = asked(&actions).unwrap();
    assert_eq!((p.number, p.of, p.turn), (1, 2, Turn::Main));
    assert_eq!(p.text, "prompt 0");
    assert_eq!(iv.handle(Event::Start), Err(EngineError::AlreadyStarted));
}

#[test]
fn an_empty_plan_cannot_start() {
    let mut iv = interview(0, Settings::default());
    assert_eq!(iv.handle(Event::Start), Err(EngineError::EmptyPlan));
}

#[test]
fn a_submitted_answer_is_scored_against_the_question_rubric() {
    let mut iv = interview(1, Settings::default());
    iv.handle(Event::Start).unwrap();
    let actions = iv.handle(Event::AnswerSubmitted("B-trees".into())).unwrap();
    match &actions[..] {
        [Action::Score { rubric, answer }] => {
            assert_eq!(rubric.question_id, "q0");
            assert_eq!(answer, "B-trees");
        }
        other => panic!("unexpected {other:?}"),
    }
    // While scoring, another answer is refused rather than lost silently.
    assert!(matches!(
        iv.handle(Event::AnswerSubmitted("more".into())),
        Err(EngineError::NotNow(_))
    ));
}

#[test]
fn an_empty_answer_is_not_scored() {
    let mut iv = interview(1, Settings::default());
    iv.handle(Event::Start).unwrap();
    let actions = iv.handle(Event::AnswerSubmitted("  \n".into())).unwrap();
    assert!(matches!(&actions[..], [Action::Notice(_)]));
    assert!(iv.is_awaiting_answer());
}

#[test]
fn the_follow_up_probing_the_most_missed_points_comes_next() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    // a covered, b and c missed: follow-up 1 probes b+c (gap 2) and beats 2 (gap 1).
    let actions = answer(&mut iv, &[("a", 1.0), ("b", 0.0), ("c", 0.0)], 4.0);
    assert!(matches!(actions[0], Action::ShowFeedback { .. }));
    let p = asked(&actions).unwrap();
    assert_eq!(p.turn, Turn::FollowUp { index: 1 });
    assert_eq!(p.number, 1);
}

#[test]
fn follow_ups_are_capped_per_main_question_and_never_repeated() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    let a = answer(&mut iv, &[("a", 0.0), ("b", 0.0), ("c", 0.0)], 1.0);
    let first = asked(&a).unwrap().turn;
    let b = answer(&mut iv, &[("fu", 1.0)], 8.0);
    let second = asked(&b).unwrap().turn;
    assert!(matches!(second, Turn::FollowUp { .. }));
    assert_ne!(first, second);
    // The cap (2) is reached: the next turn is the next main question.
    let c = answer(&mut iv, &[("fu", 1.0)], 8.0);
    let p = asked(&c).unwrap();
    assert_eq!((p.number, p.turn), (2, Turn::Main));
}

#[test]
fn a_complete_answer_gets_no_follow_up() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    let actions = answer(&mut iv, &[("a", 1.0), ("b", 1.0), ("c", 1.0)], 9.0);
    assert_eq!(asked(&actions).unwrap().turn, Turn::Main);
    assert_eq!(asked(&actions).unwrap().number, 2);
}

#[test]
fn zero_follow_ups_setting_goes_straight_on() {
    let settings = Settings {
        max_follow_ups: 0,
        ..Settings::default()
    };
    let mut iv = interview(2, settings);
    iv.handle(Event::Start).unwrap();
    let actions = answer(&mut iv, &[("a", 0.0)], 1.0);
    assert_eq!(asked(&actions).unwrap().turn, Turn::Main);
}

#[test]
fn hint_reveals_a_concept_and_marks_the_answer_hinted() {
    let mut iv = interview(1, Settings::default());
    iv.handle(Event::Start).unwrap();
    let actions = iv.handle(Event::Hint).unwrap();
    assert_eq!(
        actions,
        vec![Action::ShowHint("Think about: a concept, a other.".into())]
    );
    let second = iv.handle(Event::Hint).unwrap();
    assert_eq!(
        second,
        vec![Action::ShowHint("Think about: b concept, b other.".into())]
    );
    iv.handle(Event::AnswerSubmitted("x".into())).unwrap();
    let actions = iv
        .handle(Event::AnswerScored(Box::new(assessment(
            &[("a", 1.0)],
            5.0,
        ))))
        .unwrap();
    assert!(matches!(
        actions[0],
        Action::ShowFeedback { hinted: true, .. }
    ));
    assert!(iv.records()[0].hinted);
}

#[test]
fn hints_run_out_with_a_notice() {
    let mut iv = interview(1, Settings::default());
    iv.handle(Event::Start).unwrap();
    for _ in 0..3 {
        iv.handle(Event::Hint).unwrap();
    }
    assert!(matches!(
        &iv.handle(Event::Hint).unwrap()[..],
        [Action::Notice(_)]
    ));
}

#[test]
fn a_follow_up_answer_is_not_hinted_by_hints_on_the_main_question() {
    let mut iv = interview(1, Settings::default());
    iv.handle(Event::Start).unwrap();
    iv.handle(Event::Hint).unwrap();
    answer(&mut iv, &[("a", 0.0), ("b", 0.0), ("c", 0.0)], 2.0);
    let actions = answer(&mut iv, &[("fu", 1.0)], 8.0);
    assert!(matches!(
        actions[0],
        Action::ShowFeedback { hinted: false, .. }
    ));
}

#[test]
fn skip_moves_to_the_next_main_question_and_counts_as_zero() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    let actions = iv.handle(Event::Skip).unwrap();
    assert_eq!(asked(&actions).unwrap().number, 2);
    let done = answer(&mut iv, &[("a", 1.0), ("b", 1.0), ("c", 1.0)], 10.0);
    let r = report(&done).unwrap();
    assert_eq!(r.outcome, Ending::Completed);
    assert!(r.results[0].skipped);
    assert_eq!(r.profile.overall, 5.0);
}

#[test]
fn skipping_every_question_ends_the_interview_without_completing_it() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    iv.handle(Event::Skip).unwrap();
    let actions = iv.handle(Event::Skip).unwrap();
    let r = report(&actions).unwrap();
    assert_eq!(
        r.outcome,
        Ending::Ended,
        "nothing was answered: not completed"
    );
    assert_eq!((r.planned, r.reached), (2, 2));
}

#[test]
fn a_last_answer_that_could_not_be_scored_moves_on_without_a_follow_up() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    iv.handle(Event::AnswerSubmitted("an answer".into()))
        .unwrap();
    let actions = iv.handle(Event::ScoringFailed).unwrap();
    let p = asked(&actions).unwrap();
    assert_eq!((p.number, p.turn), (2, Turn::Main));
    assert_eq!(
        iv.handle(Event::ScoringFailed),
        Err(EngineError::NotNow("no answer is waiting for a score"))
    );
}

#[test]
fn skipping_a_follow_up_skips_the_rest_of_that_question() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    answer(&mut iv, &[("a", 0.0), ("b", 0.0), ("c", 0.0)], 1.0);
    let actions = iv.handle(Event::Skip).unwrap();
    let p = asked(&actions).unwrap();
    assert_eq!((p.number, p.turn), (2, Turn::Main));
}

#[test]
fn end_finishes_early_with_a_report_and_nothing_more_is_accepted() {
    let mut iv = interview(3, Settings::default());
    iv.handle(Event::Start).unwrap();
    answer(&mut iv, &[("a", 1.0), ("b", 1.0), ("c", 1.0)], 9.0);
    let actions = iv.handle(Event::End).unwrap();
    let r = report(&actions).unwrap();
    assert_eq!(r.outcome, Ending::Ended);
    // The second question was asked when the candidate ended the interview.
    assert_eq!((r.planned, r.reached), (3, 2));
    assert!(iv.is_finished());
    assert_eq!(iv.handle(Event::Hint), Err(EngineError::Finished));
}

#[test]
fn timeout_abandons_the_interview() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    let actions = iv.handle(Event::Timeout).unwrap();
    assert_eq!(report(&actions).unwrap().outcome, Ending::Abandoned);
}

#[test]
fn the_last_answer_completes_the_interview_with_a_report() {
    let mut iv = interview(1, Settings::default());
    iv.handle(Event::Start).unwrap();
    let actions = answer(&mut iv, &[("a", 1.0), ("b", 0.5), ("c", 0.0)], 6.0);
    // A follow-up is due (c missed, b half): answer it, then the interview completes.
    assert!(asked(&actions).is_some());
    let actions = answer(&mut iv, &[("fu", 0.0)], 2.0);
    let actions = if report(&actions).is_none() {
        answer(&mut iv, &[("fu", 0.0)], 2.0)
    } else {
        actions
    };
    let r = report(&actions).unwrap();
    assert_eq!(r.outcome, Ending::Completed);
    assert_eq!(r.results.len(), 3);
    assert!(r.gaps.contains(&"statement of c".to_string()));
    assert_eq!(r.study_next, vec!["topic 0: statement of c".to_string()]);
}

#[test]
fn events_out_of_turn_are_refused() {
    let mut iv = interview(1, Settings::default());
    assert!(matches!(
        iv.handle(Event::Hint),
        Err(EngineError::NotNow(_))
    ));
    iv.handle(Event::Start).unwrap();
    assert!(matches!(
        iv.handle(Event::AnswerScored(Box::new(assessment(&[], 1.0)))),
        Err(EngineError::NotNow(_))
    ));
}

#[test]
fn a_follow_up_written_from_the_answer_comes_first_and_counts_against_the_cap() {
    let mut iv = interview(2, Settings::default());
    iv.handle(Event::Start).unwrap();
    iv.handle(Event::AnswerSubmitted("my answer".into()))
        .unwrap();
    let mut scored = assessment(&[("a", 0.0), ("b", 0.0), ("c", 0.0)], 3.0);
    scored.follow_up = Some(crate::scoring::WrittenFollowUp {
        prompt: "You said you would shard by user id; what happens to a celebrity?".into(),
        points: vec![point("hot-key")],
    });
    let actions = iv.handle(Event::AnswerScored(Box::new(scored))).unwrap();
    let p = asked(&actions).unwrap();
    assert_eq!(p.turn, Turn::Written);
    assert!(p.text.contains("celebrity"));
    let actions = iv
        .handle(Event::AnswerSubmitted("hot shards".into()))
        .unwrap();
    match &actions[..] {
        [Action::Score { rubric, .. }] => {
            assert_eq!(rubric.points[0].id, "hot-key");
            assert_eq!(rubric.question_id, "q0#written");
        }
        other => panic!("unexpected {other:?}"),
    }
    // A written follow-up's own follow-up suggestion is not asked; one bank follow-up fills
    // the cap of two.
    let mut again = assessment(&[("hot-key", 1.0)], 8.0);
    again.follow_up = Some(crate::scoring::WrittenFollowUp {
        prompt: "nested".into(),
        points: vec![],
    });
    let actions = iv.handle(Event::AnswerScored(Box::new(again))).unwrap();
    assert!(matches!(
        asked(&actions).unwrap().turn,
        Turn::FollowUp { .. }
    ));
    let actions = answer(&mut iv, &[("fu", 1.0)], 8.0);
    assert_eq!(asked(&actions).unwrap().turn, Turn::Main);
}

#[test]
fn without_a_fixed_level_the_next_question_follows_the_last_answer() {
    let candidates: Vec<Arc<Question>> = (0..12).map(|i| Arc::new(question(i))).collect();
    let settings = Settings {
        max_follow_ups: 0,
        adaptive: Some(Adaptive {
            questions: 4,
            start: Difficulty::Mid,
        }),
        ..Settings::default()
    };
    let mut iv = Interview::new(candidates, settings);
    let level = |actions: &[Action]| asked(actions).and_then(|p| p.difficulty);
    let first = iv.handle(Event::Start).unwrap();
    assert_eq!(asked(&first).map(|p| (p.number, p.of)), Some((1, 4)));
    assert_eq!(level(&first), Some(Difficulty::Mid), "opens at mid");
    let after_strong = answer(&mut iv, &[], 9.0);
    assert_eq!(level(&after_strong), Some(Difficulty::Senior));
    let after_weak = answer(&mut iv, &[], 1.5);
    assert_eq!(level(&after_weak), Some(Difficulty::Mid));
    let after_skip = iv.handle(Event::Skip).unwrap();
    assert_eq!(level(&after_skip), Some(Difficulty::Junior));
    let done = answer(&mut iv, &[], 6.0);
    let report = report(&done).expect("four questions, then the report");
    assert_eq!(report.planned, 4);
    let levels: Vec<_> = report.results.iter().map(|r| r.difficulty).collect();
    use Difficulty::{Junior, Mid, Senior};
    assert_eq!(levels, [Some(Mid), Some(Senior), Some(Mid), Some(Junior)]);
    let ids: std::collections::HashSet<_> = report.results.iter().map(|r| &r.question_id).collect();
    assert_eq!(ids.len(), 4, "no question twice");
}

#[test]
fn an_adaptive_interview_with_one_level_left_asks_from_the_nearest() {
    // Only senior questions: every pick falls back to them, and the interview still runs.
    let candidates: Vec<Arc<Question>> = (0..6)
        .map(question)
        .filter(|q| q.difficulty == Difficulty::Senior)
        .map(Arc::new)
        .collect();
    let settings = Settings {
        max_follow_ups: 0,
        adaptive: Some(Adaptive {
            questions: 3,
            start: Difficulty::Senior,
        }),
        ..Settings::default()
    };
    let mut iv = Interview::new(candidates, settings);
    let first = iv.handle(Event::Start).unwrap();
    assert_eq!(asked(&first).map(|p| p.of), Some(2), "only two candidates");
    answer(&mut iv, &[], 1.0);
    let done = answer(&mut iv, &[], 1.0);
    assert_eq!(report(&done).map(|r| r.results.len()), Some(2));
}

fn styled(id: &str) -> Settings {
    let styles = crate::style::Styles::bundled_with(&[]).expect("styles");
    Settings::default().styled(styles.find(id).expect("style").clone())
}

#[test]
fn a_challenging_style_quotes_the_candidates_claim_and_weighs_by_its_weights() {
    let settings = styled("bar-raiser");
    let mut iv = interview(1, settings);
    let first = iv.handle(Event::Start).unwrap();
    assert_eq!(asked(&first).unwrap().time_box_secs, Some(300));
    let actions = iv
        .handle(Event::AnswerSubmitted("my answer".into()))
        .unwrap();
    let Action::Score { rubric, .. } = &actions[0] else {
        panic!("expected a score request: {actions:?}");
    };
    let interviewer = rubric
        .interviewer
        .as_ref()
        .expect("the style's interviewer");
    assert_eq!(interviewer.weights.tradeoffs, 35);
    assert!(interviewer.challenge);
    // A complete answer still gets a follow-up (min_gap 0), opened with the claim behind it.
    let mut scored = assessment(&[("a", 1.0), ("b", 1.0), ("c", 1.0)], 9.0);
    // The first follow-up probes point a: her sentence behind a is the one quoted.
    scored.covered[0].evidence = Some("Writes go to the leader first".into());
    scored.covered[1].evidence = Some("Replicas replay the log".into());
    let actions = iv.handle(Event::AnswerScored(Box::new(scored))).unwrap();
    let Action::ShowFeedback { remark, .. } = &actions[0] else {
        panic!("expected feedback: {actions:?}");
    };
    assert_eq!(remark.as_deref(), Some("Acceptable."));
    let follow_up = asked(&actions).expect("a follow-up");
    assert!(matches!(follow_up.turn, Turn::FollowUp { .. }));
    assert_eq!(
        follow_up.lead.as_deref(),
        Some("You said: \"Writes go to the leader first\". Defend that and take it further.")
    );
}

#[test]
fn a_screen_asks_no_follow_ups_and_an_unstyled_interview_has_no_voice() {
    let mut iv = interview(2, styled("phone-screen"));
    iv.handle(Event::Start).unwrap();
    let actions = answer(&mut iv, &[("a", 0.0)], 1.0);
    assert_eq!(asked(&actions).unwrap().turn, Turn::Main);
    let mut plain = interview(2, Settings::default());
    plain.handle(Event::Start).unwrap();
    let actions = answer(&mut plain, &[("a", 0.0)], 1.0);
    let p = asked(&actions).unwrap();
    assert!(matches!(p.turn, Turn::FollowUp { .. }), "{p:?}");
    assert_eq!((&p.lead, p.time_box_secs), (&None, None));
    assert!(matches!(
        actions[0],
        Action::ShowFeedback { remark: None, .. }
    ));
}

#[test]
fn a_styled_report_compares_the_profile_with_the_bar() {
    let mut iv = interview(1, styled("mentor"));
    iv.handle(Event::Start).unwrap();
    let actions = answer(&mut iv, &[("a", 1.0), ("b", 1.0), ("c", 1.0)], 6.2);
    let actions = match asked(&actions) {
        Some(_) => iv.handle(Event::End).unwrap(),
        None => actions,
    };
    let Some(Action::Finish(report)) = actions.last() else {
        panic!("expected the report: {actions:?}");
    };
    let verdict = report.style.as_ref().expect("a verdict");
    assert_eq!(verdict.name, "Warm mentor");
    let cleared: Vec<bool> = verdict.bar.iter().map(|b| b.clears()).collect();
    // 6.2 everywhere against the mentor's bar of 6.0, 5.0 and 6.5.
    assert_eq!(cleared, [true, true, false]);
}

#[test]
fn skipping_cannot_clear_a_styles_bar() {
    let mut settings = styled("mentor");
    settings.max_follow_ups = 0;
    let mut iv = interview(2, settings);
    iv.handle(Event::Start).unwrap();
    answer(&mut iv, &[("a", 1.0), ("b", 1.0), ("c", 1.0)], 9.0);
    let actions = iv.handle(Event::Skip).unwrap();
    let Some(Action::Finish(report)) = actions.last() else {
        panic!("expected the report: {actions:?}");
    };
    // One answer at 9.0 and one skipped: 4.5 on each dimension, under every bar.
    let verdict = report.style.as_ref().expect("a verdict");
    let scores: Vec<f32> = verdict.bar.iter().map(|b| b.score).collect();
    assert_eq!(scores, [4.5, 4.5, 4.5]);
    assert!(verdict.bar.iter().all(|b| !b.clears()));
}
