//! The bundled bank as a whole: its size and breadth, the topics it must cover, and whether the
//! offline scorer can tell each question's model answer from the rest of the bank.

use std::collections::{BTreeSet, HashSet};

use mockingbird::bank::{Bank, Difficulty};
use mockingbird::scoring::{lint, wording, OfflineScorer, Rubric, Scorer};

fn bank() -> Bank {
    Bank::bundled().expect("the bundled bank is valid")
}

#[test]
fn the_bank_is_large_and_broad_enough() {
    let bank = bank();
    assert!(bank.len() >= 140, "{} questions", bank.len());
    assert!(bank.tracks().len() >= 13, "tracks: {:?}", bank.tracks());
    let levels: HashSet<Difficulty> = bank.questions().iter().map(|q| q.difficulty).collect();
    assert_eq!(levels.len(), 3);
    for track in bank.tracks() {
        let levels: BTreeSet<Difficulty> = bank
            .questions()
            .iter()
            .filter(|q| q.track == track)
            .map(|q| q.difficulty)
            .collect();
        // Levels follow merit, not a quota: a track may lack one (few design rounds are
        // junior), but none is all one level.
        assert!(levels.len() >= 2, "track {track} has only {levels:?}");
    }
    for q in bank.questions() {
        assert!(q.follow_ups.len() >= 2, "{} has too few follow-ups", q.id);
        assert!(q.points.len() >= 3, "{} has too few points", q.id);
        assert!(!q.pitfalls.is_empty(), "{} has no pitfalls", q.id);
    }
}

#[test]
fn every_required_topic_is_in_the_bank() {
    let bank = bank();
    let required = [
        ("complex-project-led", "behavioral"),
        ("keeping-up-with-the-field", "behavioral"),
        ("rest-vs-graphql", "apis"),
        ("sql-vs-nosql", "databases"),
        ("url-shortener", "system-design"),
        ("authn-authz-sessions-jwt", "security"),
        ("debugging-slow-query", "databases"),
        ("concurrency-vs-parallelism", "concurrency"),
        ("containers-vs-vms", "infrastructure"),
        ("microservices-vs-monolith", "architecture"),
        ("news-site-caching", "system-design"),
        ("real-time-chat", "system-design"),
        ("http-methods-idempotency-status-codes", "apis"),
        ("queues-vs-event-streams", "architecture"),
        ("transaction-isolation-levels", "databases"),
        ("api-rate-limiter", "system-design"),
        ("logs-metrics-traces", "observability"),
        ("test-pyramid-levels", "testing"),
        ("ci-cd-pipeline-design", "infrastructure"),
        ("xss-prevention", "security"),
        ("api-versioning-compatibility", "apis"),
    ];
    for (id, track) in required {
        let q = bank
            .get(id)
            .unwrap_or_else(|| panic!("missing question {id}"));
        assert_eq!(q.track, track, "{id}");
    }
}

#[test]
fn every_rubric_agrees_with_its_model_answer() {
    let problems: Vec<String> = bank()
        .questions()
        .iter()
        .flat_map(|q| lint::lint_question(q))
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// No rubric pays for repeating its prompt, for a word found in any text, or for another
/// question's wording.
#[test]
fn every_rubric_passes_the_wording_lints() {
    let bank = bank();
    let questions: Vec<_> = bank.questions().iter().map(|q| (**q).clone()).collect();
    let problems: Vec<String> = questions
        .iter()
        .flat_map(wording::lint_wording)
        .chain(wording::lint_borrowed(&questions))
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn model_answers_score_high_and_empty_answers_zero() {
    let bank = bank();
    let scorer = OfflineScorer::for_bank(&bank);
    for q in bank.questions() {
        let rubric = Rubric::for_question(q);
        let own = scorer.score(&rubric, &q.model_answer).scores.overall;
        assert!(own >= 8.0, "{}: its model answer scores {own}", q.id);
        assert_eq!(scorer.score(&rubric, "").scores.overall, 0.0, "{}", q.id);
        for (i, f) in q.follow_ups.iter().enumerate() {
            let Some(model) = &f.model_answer else {
                continue;
            };
            let rubric = Rubric::for_follow_up(q, i, f);
            let s = scorer.score(&rubric, model).scores.overall;
            assert!(
                s >= 7.0,
                "{} follow-up {}: its model answer scores {s}",
                q.id,
                i + 1
            );
        }
    }
}

/// An answer to another question must not pass for an answer to this one. The offline scorer
/// credits meaning, not only the rubric's words, so a model answer from another track that
/// shares ground (HTTP/2 connections in a load balancer's answer, isolation levels in a
/// database-testing answer) earns part of a point here and there; what must hold is that such
/// answers stay far below the question's own, and nearly all of them low.
#[test]
fn a_model_answer_from_another_track_scores_far_below_the_question_own() {
    let bank = bank();
    let scorer = OfflineScorer::for_bank(&bank);
    let mut failures = Vec::new();
    let mut scores = Vec::new();
    for q in bank.questions() {
        let rubric = Rubric::for_question(q);
        let own = scorer.score(&rubric, &q.model_answer).scores.overall;
        for other in bank.questions().iter().filter(|o| o.track != q.track) {
            // Questions declared related cover overlapping ground on purpose.
            if q.related.contains(&other.id) || other.related.contains(&q.id) {
                continue;
            }
            let s = scorer.score(&rubric, &other.model_answer).scores.overall;
            scores.push(s);
            if s > own - 3.0 {
                failures.push(format!(
                    "{} answered with {}'s model answer: {s} (its own: {own})",
                    q.id, other.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    scores.sort_by(f32::total_cmp);
    let at = |p: f64| scores[((scores.len() - 1) as f64 * p) as usize];
    assert!(at(0.5) <= 1.0, "median {}", at(0.5));
    assert!(at(0.99) <= 3.0, "99th percentile {}", at(0.99));
}

#[test]
fn a_related_question_answer_still_scores_below_the_question_own() {
    let bank = bank();
    let scorer = OfflineScorer::for_bank(&bank);
    for q in bank.questions() {
        let rubric = Rubric::for_question(q);
        let own = scorer.score(&rubric, &q.model_answer).scores.overall;
        for id in &q.related {
            let other = bank.get(id).expect("related ids are checked");
            let s = scorer.score(&rubric, &other.model_answer).scores.overall;
            assert!(
                s <= own - 2.0,
                "{} answered with {id}'s model answer: {s} vs {own}",
                q.id
            );
        }
    }
}

/// Each question's good answers (right in other words) pass, and its bad answers (the topic's
/// words, wrong or empty) score low and below every good one: the scorer credits
/// understanding, not vocabulary.
#[test]
fn good_answers_in_other_words_pass_and_bad_answers_in_the_right_words_do_not() {
    let bank = bank();
    let scorer = OfflineScorer::for_bank(&bank);
    let mut failures = Vec::new();
    let mut checked = 0;
    for q in bank.questions() {
        let rubric = Rubric::for_question(q);
        let score = |a: &String| scorer.score(&rubric, a).scores.overall;
        let good: Vec<f32> = q.good_answers.iter().map(score).collect();
        let bad: Vec<f32> = q.bad_answers.iter().map(score).collect();
        if good.is_empty() && bad.is_empty() {
            continue;
        }
        checked += 1;
        let lowest_good = good.iter().copied().fold(f32::INFINITY, f32::min);
        let highest_bad = bad.iter().copied().fold(0.0, f32::max);
        if lowest_good < 4.5 || highest_bad > 3.5 || lowest_good < highest_bad + 2.0 {
            failures.push(format!("{}: good {good:?}, bad {bad:?}", q.id));
        }
    }
    assert!(
        checked >= 50,
        "only {checked} questions have sample answers"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A design round hands over nothing up front: its requirements wait in a sheet for the
/// candidate to ask, and its points credit asking, estimating, the API and the data model.
#[test]
fn design_rounds_keep_their_requirements_for_the_candidate_to_ask() {
    let bank = bank();
    let rounds: Vec<_> = bank
        .questions()
        .iter()
        .filter(|q| q.track == "system-design")
        .collect();
    assert!(rounds.len() >= 15, "{} design rounds", rounds.len());
    for q in rounds {
        assert!(q.requirements.len() >= 5, "{}: a thin sheet", q.id);
        let words = q.prompt.split_whitespace().count();
        assert!(
            words <= 40,
            "{}: the prompt hands over too much ({words} words)",
            q.id
        );
        let statements: String = q
            .points
            .iter()
            .map(|p| p.statement.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        for part in ["requirement", "estimat", "api", "data model"] {
            assert!(statements.contains(part), "{}: no point on {part}", q.id);
        }
    }
}
