//! Which question a guild's next post asks: none again until every question of the pool has
//! been asked once (a cycle), then a new cycle — and never the same question two days running.

use std::collections::HashSet;
use std::sync::Arc;

use rand::seq::IndexedRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::bank::Question;

/// The next question from `pool`, given the ids of the guild's earlier posts, newest first.
/// `seed` makes the choice reproducible (the guild and day, say). `None` for an empty pool.
pub fn pick_question<'a>(
    pool: &'a [Arc<Question>],
    posted_newest_first: &[String],
    seed: u64,
) -> Option<&'a Arc<Question>> {
    let in_pool: HashSet<&str> = pool.iter().map(|q| q.id.as_str()).collect();
    // Replay the posts in order; a cycle ends when it has covered the whole pool.
    let mut cycle: HashSet<&str> = HashSet::new();
    for id in posted_newest_first.iter().rev() {
        if in_pool.contains(id.as_str()) {
            cycle.insert(id);
            if cycle.len() == in_pool.len() {
                cycle.clear();
            }
        }
    }
    let last = posted_newest_first.first().map(String::as_str);
    let fresh: Vec<&Arc<Question>> = pool
        .iter()
        .filter(|q| !cycle.contains(q.id.as_str()))
        .collect();
    let not_yesterdays: Vec<&Arc<Question>> = fresh
        .iter()
        .copied()
        .filter(|q| Some(q.id.as_str()) != last)
        .collect();
    let candidates = if not_yesterdays.is_empty() {
        fresh
    } else {
        not_yesterdays
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    candidates.choose(&mut rng).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    fn pool(n: usize) -> Vec<Arc<Question>> {
        let bank = Bank::bundled().expect("the bundled bank loads");
        bank.questions().iter().take(n).cloned().collect()
    }

    #[test]
    fn no_question_repeats_until_the_pool_is_used_up() {
        let pool = pool(5);
        let mut posted: Vec<String> = Vec::new();
        for day in 0..15u64 {
            let q = pick_question(&pool, &posted, day).unwrap();
            posted.insert(0, q.id.clone());
        }
        // Oldest first, in cycles of five: each cycle asks every question once.
        let chronological: Vec<&String> = posted.iter().rev().collect();
        for cycle in chronological.chunks(5) {
            let distinct: HashSet<&&String> = cycle.iter().collect();
            assert_eq!(distinct.len(), 5, "{cycle:?}");
        }
        // And never the same question two days running, across cycle boundaries too.
        assert!(chronological.windows(2).all(|w| w[0] != w[1]));
    }

    #[test]
    fn questions_that_left_the_pool_do_not_count() {
        let pool = pool(3);
        let posted = vec!["retired-question".to_string(), pool[0].id.clone()];
        let next = pick_question(&pool, &posted, 7).unwrap();
        assert_ne!(next.id, pool[0].id);
    }

    #[test]
    fn an_empty_pool_has_no_question() {
        assert!(pick_question(&[], &[], 1).is_none());
    }

    #[test]
    fn a_pool_of_one_asks_it_every_day() {
        let pool = pool(1);
        let posted = vec![pool[0].id.clone()];
        assert_eq!(pick_question(&pool, &posted, 1).unwrap().id, pool[0].id);
    }
}
