//! The design round's rules in the engine: stages in order, the interviewer answering only what
//! the clarify stage asked, probes chosen from the weakest points, and the stage report.

use std::sync::Arc;

use super::design::{DesignRound, Stage};
use super::tests::{answer, asked, assessment, question, report};
use super::*;
use crate::bank::{Estimate, EstimateUnit, Requirement};

fn design_question() -> Question {
    let mut q = question(0);
    q.points = ["clarify", "estimate", "api", "design", "tradeoffs"]
        .iter()
        .map(|id| crate::bank::Point {
            id: id.to_string(),
            statement: format!("statement of {id}"),
            concepts: vec![],
        })
        .collect();
    q.follow_ups[0].probes = vec!["api".into()];
    q.follow_ups[1].probes = vec!["design".into()];
    q.follow_ups[2].probes = vec!["estimate".into()];
    q.requirements = ["Scale", "Latency", "Abuse"]
        .iter()
        .map(|t| Requirement {
            topic: t.to_string(),
            asks: vec![],
            answer: format!("the {t} answer"),
        })
        .collect();
    q.estimates = vec![Estimate {
        quantity: "writes per second".into(),
        value: 40.0,
        unit: EstimateUnit::Count,
        how: "100M / 2.6M s".into(),
    }];
    q
}

fn round() -> Interview {
    let settings = Settings {
        design: Some(DesignRound::default()),
        ..Settings::default()
    };
    Interview::new(vec![Arc::new(design_question())], settings)
}

fn stage(p: &Prompt) -> Option<Stage> {
    design::stage_of(p.turn)
}

#[test]
fn a_round_runs_its_stages_in_order_and_reports_each() {
    let mut iv = round();
    let first = iv.handle(Event::Start).unwrap();
    let p = asked(&first).unwrap();
    assert_eq!(stage(p), Some(Stage::Clarify));
    assert!(p.text.starts_with("prompt 0"), "{}", p.text);
    assert_eq!(p.time_box_secs, Some(300));

    // The clarify stage asked about scale in full and latency in part, not about abuse.
    let next = answer(
        &mut iv,
        &[("ask-1", 1.0), ("ask-2", 0.5), ("ask-3", 0.0)],
        6.0,
    );
    let p = asked(&next).unwrap();
    assert_eq!(stage(p), Some(Stage::Estimate));
    let lead = p.lead.as_deref().unwrap();
    assert!(lead.contains("the Scale answer") && lead.contains("the Latency answer"));
    assert!(
        !lead.contains("Abuse"),
        "volunteered what was not asked: {lead}"
    );

    let next = answer(&mut iv, &[("estimate", 1.0)], 7.0);
    assert_eq!(stage(asked(&next).unwrap()), Some(Stage::Design));
    assert_eq!(asked(&next).unwrap().time_box_secs, Some(900));

    // The design covered the API but missed the design point: its probe comes first.
    let next = answer(&mut iv, &[("api", 1.0), ("design", 0.0)], 5.0);
    let p = asked(&next).unwrap();
    assert_eq!(p.turn, Turn::FollowUp { index: 1 });
    assert!(p.lead.as_deref().unwrap().contains("Deep dive, 1 of 2"));
    let next = answer(&mut iv, &[("fu", 1.0)], 8.0);
    // Then the untested tradeoffs… no probe asks about them; the estimate was covered, so the
    // API probe and the estimate probe tie at nothing missed: one of them is asked.
    let p = asked(&next).unwrap();
    assert!(matches!(p.turn, Turn::FollowUp { index: 0 | 2 }));
    let next = answer(&mut iv, &[("fu", 0.0)], 2.0);
    assert_eq!(stage(asked(&next).unwrap()), Some(Stage::WrapUp));

    let done = answer(&mut iv, &[("tradeoffs", 1.0)], 9.0);
    let r = report(&done).unwrap();
    assert_eq!(r.outcome, Ending::Completed);
    let scores: Vec<Option<f32>> = r.stages.iter().map(|s| s.score).collect();
    assert_eq!(
        scores,
        vec![Some(6.0), Some(7.0), Some(5.0), Some(5.0), Some(9.0)]
    );
    // The clarify stage's report reveals what was never asked, now that the round is over.
    let clarify = &r.stages[0];
    assert_eq!(clarify.strong, vec!["Abuse: the Abuse answer".to_string()]);
}

#[test]
fn stages_are_scored_against_their_own_points() {
    let mut iv = round();
    iv.handle(Event::Start).unwrap();
    let actions = iv
        .handle(Event::AnswerSubmitted("questions".into()))
        .unwrap();
    let Action::Score { rubric, .. } = &actions[0] else {
        panic!("{actions:?}")
    };
    let ids: Vec<&str> = rubric.points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["ask-1", "ask-2", "ask-3"]);
    assert!(
        rubric.model_answer.is_none(),
        "the model answer would leak the sheet"
    );
    assert!(rubric
        .points
        .iter()
        .all(|p| !p.statement.contains("answer")));
    iv.handle(Event::AnswerScored(Box::new(assessment(&[], 3.0))))
        .unwrap();
    let actions = iv.handle(Event::AnswerSubmitted("numbers".into())).unwrap();
    let Action::Score { rubric, .. } = &actions[0] else {
        panic!("{actions:?}")
    };
    let ids: Vec<&str> = rubric.points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["estimate"]);
    assert_eq!(rubric.estimates.len(), 1);
}

#[test]
fn skipping_a_probe_skips_the_deep_dive_and_nothing_asked_gets_no_answers() {
    let mut iv = round();
    iv.handle(Event::Start).unwrap();
    let next = iv.handle(Event::Skip).unwrap();
    let p = asked(&next).unwrap();
    assert_eq!(stage(p), Some(Stage::Estimate));
    assert!(p.lead.as_deref().unwrap().contains("nothing to add"));
    answer(&mut iv, &[("estimate", 0.5)], 5.0);
    let next = answer(&mut iv, &[("api", 0.0), ("design", 0.0)], 3.0);
    assert!(matches!(asked(&next).unwrap().turn, Turn::FollowUp { .. }));
    let next = iv.handle(Event::Skip).unwrap();
    assert_eq!(stage(asked(&next).unwrap()), Some(Stage::WrapUp));
    let done = iv.handle(Event::Skip).unwrap();
    let r = report(&done).unwrap();
    assert!(r.stages[0].skipped && r.stages[4].skipped);
    assert_eq!(r.stages[0].strong.len(), 3, "every entry unasked");
}

#[test]
fn a_clarify_hint_names_a_topic_to_ask_about_and_never_its_answer() {
    let mut iv = round();
    iv.handle(Event::Start).unwrap();
    let actions = iv.handle(Event::Hint).unwrap();
    assert_eq!(
        actions,
        vec![Action::ShowHint("Think about asking about: Scale.".into())]
    );
}
