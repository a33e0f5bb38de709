//! What an answer shows of a rubric: which concepts it states (and where), which pitfalls it
//! asserts rather than negates, how much of it is the rubric's own phrases, and which of its
//! words were pasted from the question.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};

use super::Compiled;
use crate::scoring::text::{Index, Token};

/// Copies of the question this long (in words) are ignored.
const COPY_RUN: usize = 5;

/// Above this share of rubric phrases among its words, an answer reads as a list of buzzwords.
pub(super) const PADDING_SHARE: f32 = 0.45;

/// A sentence earns one concept plus one per this many content words.
const WORDS_PER_CONCEPT: usize = 3;

pub(super) fn run_hash(stems: &[Token]) -> u64 {
    let mut h = FxHasher::default();
    for t in stems {
        t.stem.hash(&mut h);
    }
    h.finish()
}

/// Hashes of every run of `COPY_RUN` consecutive words.
pub(super) fn runs(tokens: &[Token]) -> HashSet<u64> {
    tokens.windows(COPY_RUN).map(run_hash).collect()
}

/// Marks words of the answer that are part of a run copied from the question.
pub(super) fn mask_copied(tokens: &[Token], prompt_runs: &HashSet<u64>) -> Vec<bool> {
    let mut usable = vec![true; tokens.len()];
    for (i, w) in tokens.windows(COPY_RUN).enumerate() {
        if prompt_runs.contains(&run_hash(w)) {
            usable[i..i + COPY_RUN].iter_mut().for_each(|u| *u = false);
        }
    }
    usable
}

/// How much of each point the answer covers, crediting each sentence for at most as many
/// concepts as it has words to say something about them; and the sentence that earned the most
/// of it, as evidence.
pub(super) fn point_coverage(
    c: &Compiled,
    index: &Index<'_>,
    usable: &[bool],
) -> Vec<(f32, Option<u32>)> {
    let tokens = index.tokens();
    let mut capacity: HashMap<u32, usize> = HashMap::default();
    for (t, _) in tokens.iter().zip(usable).filter(|(t, &u)| u && !t.stop) {
        *capacity.entry(t.sentence).or_default() += 1;
    }
    for cap in capacity.values_mut() {
        *cap = 1 + *cap / WORDS_PER_CONCEPT;
    }
    c.points
        .iter()
        .map(|p| {
            if p.groups.is_empty() {
                return (term_coverage(&p.terms, index, 0.6), None);
            }
            let mut credit = 0.0;
            let mut earned_by: HashMap<u32, usize> = HashMap::default();
            for (group, &echo) in p.groups.iter().zip(&p.echoes_prompt) {
                let mut sentences: Vec<u32> = group
                    .iter()
                    .flat_map(|alt| index.find(alt))
                    .map(|pos| tokens[pos].sentence)
                    .collect();
                sentences.sort_unstable();
                sentences.dedup();
                let best = sentences
                    .into_iter()
                    .max_by_key(|s| capacity.get(s).copied().unwrap_or(0));
                if let Some((s, cap)) = best.and_then(|s| capacity.get_mut(&s).map(|c| (s, c))) {
                    if *cap > 0 {
                        *cap -= 1;
                        credit += if echo { 0.5 } else { 1.0 };
                        *earned_by.entry(s).or_default() += 1;
                    }
                }
            }
            let evidence = earned_by
                .into_iter()
                .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
                .map(|(s, _)| s);
            // Half a point is worth less than half: the parts of a point make sense together.
            ((credit / p.groups.len() as f32).powf(1.5), evidence)
        })
        .collect()
}

/// Words that, shortly before a pitfall phrase in the same sentence, turn it around: "never
/// index every column", "don't store the JWT in localStorage", "rather than always use 301".
/// `t` is what is left of "n't" once "don't" is split into words.
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "t", "cannot", "avoid", "rather", "instead", "without", "nor",
];

/// How many words before a phrase a negation still reaches.
const NEGATION_REACH: usize = 4;

/// Whether the answer states `phrase` rather than negating it.
pub(super) fn asserts(index: &Index<'_>, phrase: &[String]) -> bool {
    let tokens = index.tokens();
    index.find(phrase).into_iter().any(|start| {
        let sentence = tokens[start].sentence;
        !tokens[start.saturating_sub(NEGATION_REACH)..start]
            .iter()
            .any(|t| t.sentence == sentence && NEGATIONS.contains(&&*t.stem))
    })
}

/// Share of the answer's content words that belong to rubric phrases.
pub(super) fn concept_share(c: &Compiled, index: &Index<'_>) -> f32 {
    let tokens = index.tokens();
    let content = index.positions().filter(|&i| !tokens[i].stop).count();
    if content == 0 {
        return 0.0;
    }
    let mut covered = HashSet::default();
    for alt in c.points.iter().flat_map(|p| p.groups.iter().flatten()) {
        for start in index.find(alt) {
            covered.extend((start..start + alt.len()).filter(|&i| !tokens[i].stop));
        }
    }
    covered.len() as f32 / content as f32
}

/// Weighted share of `terms` found, scaled so that `full` of the weight counts as complete.
pub(super) fn term_coverage(terms: &[(String, f32)], index: &Index<'_>, full: f32) -> f32 {
    let total: f32 = terms.iter().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let found: f32 = terms
        .iter()
        .filter(|(s, _)| index.contains_stem(s))
        .map(|(_, w)| w)
        .sum();
    (found / total / full).min(1.0)
}
