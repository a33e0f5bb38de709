//! Which questions an interview asks: filtered by track and difficulty, no repeats, reproducible
//! from a seed, and — when the candidate has a history — weakest and least-seen topics first.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::bank::{Bank, Difficulty, Question};
use crate::style::Mix;

/// What the candidate has done before, as far as planning cares.
#[derive(Debug, Clone, Default)]
pub struct CandidateHistory {
    /// Times each question (by id) was asked before.
    pub seen_questions: HashMap<String, u32>,
    /// Per topic: how many answers and their average overall score (0–10).
    pub topics: HashMap<String, TopicRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopicRecord {
    pub answers: u32,
    pub average: f32,
}

/// Which track an interview draws from: the one the member chose, or every track mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackChoice<'a> {
    Mixed,
    Only(&'a str),
}

impl<'a> TrackChoice<'a> {
    /// From a command's optional track: none chosen mixes every track.
    pub fn new(track: Option<&'a str>) -> TrackChoice<'a> {
        track.map_or(TrackChoice::Mixed, TrackChoice::Only)
    }

    /// The track as an interview stores and shows it ("mixed" for every track).
    pub fn label(self) -> &'a str {
        match self {
            TrackChoice::Mixed => "mixed",
            TrackChoice::Only(track) => track,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PlanRequest<'a> {
    pub track: Option<&'a str>,
    pub difficulty: Option<Difficulty>,
    /// Number of main questions wanted.
    pub length: usize,
    pub seed: u64,
    pub history: Option<&'a CandidateHistory>,
    /// Ids the guild took out of its interviews (`/questions disable`).
    pub hidden: Option<&'a HashSet<String>>,
    /// A style's mix: its tracks when `track` is unset, and the levels an adaptive interview
    /// draws from.
    pub mix: Option<&'a Mix>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    #[error("unknown track \"{track}\"; tracks: {}", known.join(", "))]
    UnknownTrack { track: String, known: Vec<String> },
    #[error("no {difficulty} questions in {}", track.as_deref().map_or("the bank".to_string(), |t| format!("track \"{t}\"")))]
    NoQuestions {
        track: Option<String>,
        difficulty: Difficulty,
    },
    #[error("an interview needs at least one question")]
    ZeroLength,
    #[error("no design round in track \"{track}\"; tracks with design rounds: {}", tracks.join(", "))]
    NoDesignRound { track: String, tracks: Vec<String> },
    #[error("every question {} is disabled on this server", track.as_deref().map_or("that fits".to_string(), |t| format!("of track \"{t}\" that fits")))]
    AllHidden { track: Option<String> },
}

/// Picks `length` distinct questions (fewer if the filters leave fewer).
pub fn build_plan(bank: &Bank, req: &PlanRequest<'_>) -> Result<Vec<Arc<Question>>, PlanError> {
    if req.length == 0 {
        return Err(PlanError::ZeroLength);
    }
    if let Some(track) = req.track {
        if !bank.has_track(track) {
            return Err(PlanError::UnknownTrack {
                track: track.to_string(),
                known: bank.tracks().into_iter().map(String::from).collect(),
            });
        }
    }
    let pool = bank.questions().to_vec();
    pick(pool, req)
}

/// A system-design round's question: one with a requirements sheet, picked as `build_plan`
/// picks (track, difficulty, hidden, history, seed).
pub fn build_design_plan(
    bank: &Bank,
    req: &PlanRequest<'_>,
) -> Result<Vec<Arc<Question>>, PlanError> {
    let pool: Vec<Arc<Question>> = bank
        .questions()
        .iter()
        .filter(|q| q.has_design_round())
        .cloned()
        .collect();
    if let Some(track) = req.track {
        if !pool.iter().any(|q| q.track == track) {
            let with_rounds: std::collections::BTreeSet<&str> =
                pool.iter().map(|q| q.track.as_str()).collect();
            return Err(PlanError::NoDesignRound {
                track: track.to_string(),
                tracks: with_rounds.into_iter().map(String::from).collect(),
            });
        }
    }
    pick(
        pool,
        &PlanRequest {
            length: 1,
            ..req.clone()
        },
    )
}

/// Filters `pool` by the request and orders it: shuffled by the seed, then (with a history)
/// least-seen and weakest topics first, spread over topics.
fn pick(pool: Vec<Arc<Question>>, req: &PlanRequest<'_>) -> Result<Vec<Arc<Question>>, PlanError> {
    let mut pool: Vec<Arc<Question>> = pool
        .into_iter()
        .filter(|q| q.fits(req.track, req.difficulty))
        // A style's tracks only when the member chose none.
        .filter(|q| match (req.track, req.mix) {
            (None, Some(mix)) => mix.tracks.is_empty() || mix.tracks.contains(&q.track),
            _ => true,
        })
        .collect();
    let fitting = pool.len();
    pool.retain(|q| req.hidden.is_none_or(|hidden| !hidden.contains(&q.id)));
    if pool.is_empty() && fitting > 0 {
        return Err(PlanError::AllHidden {
            track: req.track.map(String::from),
        });
    }
    if pool.is_empty() {
        // Only reachable with a difficulty filter: a known track always has questions.
        return Err(PlanError::NoQuestions {
            track: req.track.map(String::from),
            difficulty: req.difficulty.unwrap_or(Difficulty::Mid),
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(req.seed);
    pool.shuffle(&mut rng);
    if let Some(history) = req.history {
        // Stable sort: the shuffle decides among equals, so the seed still varies the plan.
        pool.sort_by(|a, b| priority(history, a).total_cmp(&priority(history, b)));
    }
    Ok(spread_topics(pool, req.length))
}

/// An adaptive interview's candidates (see `levels`): up to `length` questions of each level,
/// each level planned as `build_plan` plans it, so that whichever levels the answers lead to,
/// every main question can be asked. `req.difficulty` is ignored.
pub fn build_candidates(
    bank: &Bank,
    req: &PlanRequest<'_>,
) -> Result<Vec<Arc<Question>>, PlanError> {
    // The errors a whole-bank plan would give (unknown track, all hidden) come first.
    build_plan(
        bank,
        &PlanRequest {
            difficulty: None,
            ..req.clone()
        },
    )?;
    let mut candidates = Vec::new();
    let levels = Difficulty::ALL
        .into_iter()
        .enumerate()
        .filter(|(_, level)| {
            req.mix
                .is_none_or(|m| m.levels.is_empty() || m.levels.contains(level))
        });
    for (i, level) in levels {
        let at_level = PlanRequest {
            difficulty: Some(level),
            // Each level its own order: the same seed would otherwise line topics up.
            seed: req.seed.wrapping_add(i as u64),
            ..req.clone()
        };
        match build_plan(bank, &at_level) {
            Ok(plan) => candidates.extend(plan),
            Err(PlanError::NoQuestions { .. } | PlanError::AllHidden { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    if candidates.is_empty() {
        // A style's levels the track has nothing of (or nothing left enabled).
        let level = req
            .mix
            .and_then(|m| m.levels.first().copied())
            .unwrap_or(Difficulty::Mid);
        return Err(PlanError::NoQuestions {
            track: req.track.map(String::from),
            difficulty: level,
        });
    }
    Ok(candidates)
}

/// Lower comes first: never-asked questions, then unseen topics, then weak topics.
fn priority(history: &CandidateHistory, q: &Question) -> f32 {
    let seen = history.seen_questions.get(&q.id).copied().unwrap_or(0) as f32;
    let topic = match history.topics.get(&q.topic) {
        None => -1.0,
        Some(t) => t.average.clamp(0.0, 10.0) / 10.0 + (t.answers.min(20) as f32) / 100.0,
    };
    seen * 10.0 + topic
}

/// Takes questions in order, preferring a topic not yet in the plan.
fn spread_topics(pool: Vec<Arc<Question>>, length: usize) -> Vec<Arc<Question>> {
    let mut plan = Vec::with_capacity(length);
    let mut topics = HashSet::new();
    let mut rest = Vec::new();
    for q in pool {
        if plan.len() < length && topics.insert(q.topic.clone()) {
            plan.push(q);
        } else {
            rest.push(q);
        }
    }
    plan.extend(rest.into_iter().take(length - plan.len()));
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::tests::sample_bank;

    fn req(length: usize, seed: u64) -> PlanRequest<'static> {
        PlanRequest {
            track: None,
            difficulty: None,
            length,
            seed,
            history: None,
            hidden: None,
            mix: None,
        }
    }

    fn ids(plan: &[Arc<Question>]) -> Vec<&str> {
        plan.iter().map(|q| q.id.as_str()).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_plan_and_another_seed_usually_differs() {
        let bank = sample_bank(12);
        let a = build_plan(&bank, &req(5, 7)).unwrap();
        let b = build_plan(&bank, &req(5, 7)).unwrap();
        assert_eq!(ids(&a), ids(&b));
        let differs = (8..20).any(|s| ids(&build_plan(&bank, &req(5, s)).unwrap()) != ids(&a));
        assert!(differs);
    }

    #[test]
    fn a_plan_never_repeats_a_question_and_has_the_length_asked() {
        let bank = sample_bank(12);
        let plan = build_plan(&bank, &req(10, 1)).unwrap();
        let unique: HashSet<&str> = ids(&plan).into_iter().collect();
        assert_eq!(plan.len(), 10);
        assert_eq!(unique.len(), 10);
    }

    #[test]
    fn a_plan_longer_than_the_pool_takes_the_whole_pool() {
        let bank = sample_bank(4);
        assert_eq!(build_plan(&bank, &req(10, 1)).unwrap().len(), 4);
    }

    #[test]
    fn filters_keep_only_the_track_and_difficulty_asked() {
        let bank = sample_bank(12);
        let mut r = req(10, 3);
        r.track = Some("beta");
        r.difficulty = Some(Difficulty::Senior);
        let plan = build_plan(&bank, &r).unwrap();
        assert!(!plan.is_empty());
        assert!(plan
            .iter()
            .all(|q| q.track == "beta" && q.difficulty == Difficulty::Senior));
    }

    #[test]
    fn an_unknown_track_is_an_error_that_lists_the_tracks() {
        let bank = sample_bank(4);
        let mut r = req(3, 1);
        r.track = Some("cooking");
        let err = build_plan(&bank, &r).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown track \"cooking\"; tracks: alpha, beta"
        );
    }

    #[test]
    fn zero_questions_is_refused() {
        assert_eq!(
            build_plan(&sample_bank(4), &req(0, 1)).unwrap_err(),
            PlanError::ZeroLength
        );
    }

    #[test]
    fn history_puts_never_seen_questions_and_weak_topics_first() {
        let bank = sample_bank(6);
        let mut history = CandidateHistory::default();
        for q in bank.questions() {
            history.seen_questions.insert(q.id.clone(), 1);
            history.topics.insert(
                q.topic.clone(),
                TopicRecord {
                    answers: 3,
                    average: 8.0,
                },
            );
        }
        history.seen_questions.remove("q4");
        history.topics.insert(
            "topic 2".into(),
            TopicRecord {
                answers: 3,
                average: 2.0,
            },
        );
        let mut r = req(2, 5);
        r.history = Some(&history);
        let plan = build_plan(&bank, &r).unwrap();
        assert_eq!(ids(&plan), vec!["q4", "q2"]);
    }

    #[test]
    fn topics_are_spread_before_any_repeats() {
        let bank = sample_bank(12); // topics repeat every 6 questions
        let plan = build_plan(&bank, &req(6, 9)).unwrap();
        let topics: HashSet<&str> = plan.iter().map(|q| q.topic.as_str()).collect();
        assert_eq!(topics.len(), 6);
    }

    #[test]
    fn a_disabled_question_is_never_planned_and_disabling_all_is_named() {
        let bank = sample_bank(12);
        let first = bank.questions()[0].id.clone();
        let hidden: HashSet<String> = [first.clone()].into();
        for seed in 0..20 {
            let plan = build_plan(
                &bank,
                &PlanRequest {
                    hidden: Some(&hidden),
                    ..req(12, seed)
                },
            )
            .unwrap();
            assert!(!ids(&plan).contains(&first.as_str()));
            assert_eq!(plan.len(), 11);
        }
        let all: HashSet<String> = bank.questions().iter().map(|q| q.id.clone()).collect();
        let err = build_plan(
            &bank,
            &PlanRequest {
                hidden: Some(&all),
                ..req(3, 1)
            },
        )
        .unwrap_err();
        assert_eq!(err, PlanError::AllHidden { track: None });
    }

    #[test]
    fn a_styles_mix_limits_tracks_unless_one_is_chosen_and_levels_of_candidates() {
        let bank = sample_bank(18);
        let mix = Mix {
            tracks: vec!["beta".into()],
            levels: vec![Difficulty::Senior],
        };
        let styled = PlanRequest {
            mix: Some(&mix),
            ..req(6, 3)
        };
        let plan = build_plan(&bank, &styled).unwrap();
        assert!(plan.iter().all(|q| q.track == "beta"), "{:?}", ids(&plan));
        let chosen = PlanRequest {
            track: Some("alpha"),
            ..styled.clone()
        };
        let plan = build_plan(&bank, &chosen).unwrap();
        assert!(plan.iter().all(|q| q.track == "alpha"), "{:?}", ids(&plan));
        let candidates = build_candidates(&bank, &styled).unwrap();
        assert!(!candidates.is_empty());
        assert!(candidates
            .iter()
            .all(|q| q.track == "beta" && q.difficulty == Difficulty::Senior));
    }

    #[test]
    fn a_style_whose_levels_the_track_lacks_is_refused_not_started_empty() {
        let bank = Bank::from_questions(
            (0..6)
                .map(crate::interview::tests::question)
                .filter(|q| q.difficulty != Difficulty::Senior)
                .collect(),
        );
        let mix = Mix {
            tracks: vec![],
            levels: vec![Difficulty::Senior],
        };
        let err = build_candidates(
            &bank,
            &PlanRequest {
                mix: Some(&mix),
                ..req(3, 1)
            },
        )
        .unwrap_err();
        assert_eq!(
            err,
            PlanError::NoQuestions {
                track: None,
                difficulty: Difficulty::Senior
            }
        );
    }

    #[test]
    fn a_design_plan_is_one_question_with_a_sheet_from_a_track_that_has_them() {
        let bank = crate::bank::Bank::bundled().expect("the bundled bank loads");
        let plan = build_design_plan(&bank, &req(3, 5)).expect("design questions exist");
        assert_eq!(plan.len(), 1);
        assert!(plan[0].has_design_round());
        let databases = PlanRequest {
            track: Some("databases"),
            ..req(1, 5)
        };
        match build_design_plan(&bank, &databases) {
            Err(PlanError::NoDesignRound { track, tracks }) => {
                assert_eq!(track, "databases");
                assert_eq!(tracks, ["system-design"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
