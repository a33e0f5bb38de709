//! Evidence by meaning: which of the answer's sentences say what a point says, in whatever
//! words. A point is represented by its statement and by the model answer's sentences that
//! state it; an answer sentence earns the point by coming close enough to one of them. A rubric
//! without points (a reference answer alone) is matched sentence by sentence and word by word.
//!
//! Only claims count: a sentence needs enough words, and function words among them, to say
//! something, so a list of the rubric's terms earns nothing here. Closeness in meaning is not
//! truth: a confident misconception in the right words comes as close as a correct claim, which
//! is why the feedback calls an offline grade provisional.

use std::ops::Range;

use rustc_hash::FxHashSet as HashSet;

use super::CompiledPoint;
use crate::scoring::meaning::{Encoder, Vector};
use crate::scoring::text::{sentence_spans, tokenize, Index, Token};

/// Similarity at which a sentence starts to earn a point at the earliest (the background may set
/// it higher), and how much closer it must come to earn all of it. Unrelated sentences of the
/// same field sit around 0.5–0.6 with this model.
const POINT_RAMP_START: f32 = 0.70;
const POINT_RAMP_WIDTH: f32 = 0.10;
/// The same for a sentence of a reference answer, which is shorter and more specific.
const REFERENCE_RAMP: (f32, f32) = (0.65, 0.90);
/// The same for one word against another ("memory" for "RAM").
const WORD_RAMP: (f32, f32) = (0.30, 0.70);
/// What clearing a point's ramp start is worth by itself.
const CLEARED_SHARE: f32 = 0.3;
/// How much closer to another point a claim may be and still earn this one.
const POINT_TIE: f32 = 0.03;
/// The share of a reference answer's sentences, or of its weighted terms, that counts as all.
const REFERENCE_FULL: f32 = 0.6;
/// A sentence shorter than this many words is not a claim…
const CLAIM_WORDS: usize = 5;
/// …nor is one with fewer than this share of function words (a keyword list).
const CLAIM_STOP_SHARE: f32 = 0.15;

fn ramp(sim: f32, (lo, hi): (f32, f32)) -> f32 {
    ((sim - lo) / (hi - lo)).clamp(0.0, 1.0)
}

/// The share of a point a claim earns: nothing below the ramp; clearing its start (closer than
/// nearly every sentence about other questions) is already good evidence, worth
/// `CLEARED_SHARE`; the rest grows with closeness.
fn earned(sim: f32, r: (f32, f32)) -> f32 {
    if sim < r.0 {
        0.0
    } else {
        CLEARED_SHARE + (1.0 - CLEARED_SHARE) * ramp(sim, r)
    }
}

/// Sentences about other things: every model answer in the bank, by question. How close they
/// come to a point is how close an answer to another question would come, so a point is only
/// earned by a sentence closer to it than nearly all of them.
#[derive(Default)]
pub(super) struct Background {
    /// (question id, a sentence of one of its model answers)
    sentences: Vec<(String, Vector)>,
}

/// The share of background sentences a claim must come closer than to start earning a point.
const BACKGROUND_QUANTILE: f64 = 0.995;

impl Background {
    /// `texts` are (question id, model answer) pairs.
    pub fn new<'a>(
        encoder: &Encoder,
        texts: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Background {
        let mut sentences = Vec::new();
        for (owner, text) in texts {
            let tokens = tokenize(text);
            let spans = sentence_spans(&tokens);
            for v in encoder.embed_parts(text, &spans).into_iter().flatten() {
                sentences.push((owner.to_string(), v));
            }
        }
        Background { sentences }
    }

    /// How close the background comes to `targets` (its quantile), leaving out the sentences
    /// of `owner`, the question the targets belong to.
    fn reach(&self, targets: &[Vector], owner: &str) -> Option<f32> {
        let mut sims: Vec<f32> = self
            .sentences
            .iter()
            .filter(|(o, _)| o != owner)
            .map(|(_, v)| targets.iter().map(|t| t.cosine(v)).fold(f32::MIN, f32::max))
            .collect();
        if sims.is_empty() {
            return None;
        }
        sims.sort_by(f32::total_cmp);
        let at = ((sims.len() - 1) as f64 * BACKGROUND_QUANTILE).round() as usize;
        Some(sims[at])
    }
}

/// What a rubric looks like to meaning evidence.
#[derive(Default)]
pub(super) struct RubricMeaning {
    /// Per point: the vectors an answer sentence is compared with.
    targets: Vec<Vec<Vector>>,
    /// Per point: the similarity at which a claim starts to earn it, and earns all of it.
    ramps: Vec<(f32, f32)>,
    /// The question and the model answer's sentences: what "on topic" means.
    topic: Vec<Vector>,
    /// The model answer's sentences, for rubrics without points.
    reference: Vec<Vector>,
    /// The model answer's weighted terms with their vectors, for rubrics without points.
    terms: Vec<(String, f32, Option<Vector>)>,
}

/// The rubric's vectors. `reference_terms` are the model answer's (stem, weight, word).
pub(super) fn compile(
    encoder: &Encoder,
    background: &Background,
    owner: &str,
    prompt: &str,
    model_answer: &str,
    points: &[CompiledPoint],
    reference_terms: &[(String, f32, String)],
) -> RubricMeaning {
    let tokens = tokenize(model_answer);
    let spans = sentence_spans(&tokens);
    let sentences: Vec<Option<Vector>> = encoder.embed_parts(model_answer, &spans);
    let index = Index::new(&tokens, &[]);
    let targets: Vec<Vec<Vector>> = points
        .iter()
        .map(|p| {
            let stating = sentences_stating(p, &index);
            encoder
                .embed(&p.statement)
                .into_iter()
                .chain(
                    sentences
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| stating.contains(&(*i as u32)))
                        .filter_map(|(_, v)| v.clone()),
                )
                .collect()
        })
        .collect();
    let ramps = targets
        .iter()
        .map(|t| {
            let lo = background
                .reach(t, owner)
                .map_or(POINT_RAMP_START, |r| r.max(POINT_RAMP_START));
            (lo, lo + POINT_RAMP_WIDTH)
        })
        .collect();
    let reference: Vec<Vector> = sentences.into_iter().flatten().collect();
    let topic = encoder
        .embed(prompt)
        .into_iter()
        .chain(reference.iter().cloned())
        .collect();
    let terms = reference_terms
        .iter()
        .map(|(stem, weight, word)| (stem.clone(), *weight, encoder.embed(word)))
        .collect();
    RubricMeaning {
        targets,
        ramps,
        topic,
        reference,
        terms,
    }
}

/// The model answer's sentences in which some of the point's concepts are found.
fn sentences_stating(p: &CompiledPoint, index: &Index<'_>) -> HashSet<u32> {
    let tokens = index.tokens();
    p.groups
        .iter()
        .flatten()
        .flat_map(|alt| index.find(alt))
        .map(|pos| tokens[pos].sentence)
        .collect()
}

/// One sentence of the answer that makes a claim.
pub(super) struct Claim {
    pub span: Range<usize>,
    vector: Option<Vector>,
}

/// The answer's sentences that are claims (with their vectors when there is an encoder), and
/// the share of the answer's usable words they hold.
pub(super) fn claims(
    encoder: Option<&Encoder>,
    answer: &str,
    tokens: &[Token],
    usable: &[bool],
) -> (Vec<Claim>, f32) {
    let spans = sentence_spans(tokens);
    let mut words = vec![0usize; spans.len()];
    let mut stops = vec![0usize; spans.len()];
    for (tok, _) in tokens.iter().zip(usable).filter(|(_, &u)| u) {
        words[tok.sentence as usize] += 1;
        stops[tok.sentence as usize] += usize::from(tok.stop);
    }
    let is_claim =
        |i: usize| words[i] >= CLAIM_WORDS && stops[i] as f32 >= CLAIM_STOP_SHARE * words[i] as f32;
    let total: usize = words.iter().sum();
    let in_claims: usize = (0..spans.len())
        .filter(|&i| is_claim(i))
        .map(|i| words[i])
        .sum();
    let spans: Vec<Range<usize>> = spans
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| is_claim(i))
        .map(|(_, span)| span)
        .collect();
    let vectors = match encoder {
        Some(e) => e.embed_parts(answer, &spans),
        None => vec![None; spans.len()],
    };
    let claims = spans
        .into_iter()
        .zip(vectors)
        .map(|(span, vector)| Claim { vector, span })
        .collect();
    let share = if total == 0 {
        0.0
    } else {
        in_claims as f32 / total as f32
    };
    (claims, share)
}

/// The highest similarity of any claim to any of `targets`, and that claim.
fn closest(claims: &[Claim], targets: &[Vector]) -> Option<(f32, usize)> {
    claims
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.vector.as_ref().map(|v| (i, v)))
        .flat_map(|(i, v)| targets.iter().map(move |t| (t.cosine(v), i)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Per point: the share of it the best claim earns (0–1) and that claim's index. A claim earns
/// only the points it is closest to (within `POINT_TIE`): one sentence about writes is evidence
/// that writes cost something, not also that lookups are logarithmic.
pub(super) fn coverage(m: &RubricMeaning, claims: &[Claim]) -> Vec<(f32, Option<usize>)> {
    // sims[c][p]: how close claim c comes to point p.
    let sims: Vec<Vec<f32>> = claims
        .iter()
        .map(|c| {
            m.targets
                .iter()
                .map(|targets| match &c.vector {
                    Some(v) => targets.iter().map(|t| t.cosine(v)).fold(f32::MIN, f32::max),
                    None => f32::MIN,
                })
                .collect()
        })
        .collect();
    (0..m.targets.len())
        .map(|p| {
            let mut best = (0.0, None);
            for (c, row) in sims.iter().enumerate() {
                let top = row.iter().copied().fold(f32::MIN, f32::max);
                if row[p] < top - POINT_TIE {
                    continue;
                }
                let earned = earned(row[p], m.ramps[p]);
                if earned > best.0 {
                    best = (earned, Some(c));
                }
            }
            best
        })
        .collect()
}

/// How close the answer's closest claim comes to the question's topic (cosine; 0 with no
/// claim).
pub(super) fn relevance(m: &RubricMeaning, claims: &[Claim]) -> f32 {
    closest(claims, &m.topic).map_or(0.0, |(sim, _)| sim.max(0.0))
}

/// For a rubric without points: how much of the reference answer the answer restates, by its
/// sentences and by its words (0–1).
pub(super) fn reference_coverage(
    m: &RubricMeaning,
    encoder: &Encoder,
    answer: &str,
    index: &Index<'_>,
    claims: &[Claim],
) -> f32 {
    let by_sentence = if m.reference.is_empty() {
        0.0
    } else {
        let earned: f32 = m
            .reference
            .iter()
            .map(|r| {
                closest(claims, std::slice::from_ref(r))
                    .map_or(0.0, |(s, _)| ramp(s, REFERENCE_RAMP))
            })
            .sum();
        (earned / m.reference.len() as f32 / REFERENCE_FULL).min(1.0)
    };
    let by_word = soft_term_coverage(m, encoder, answer, index);
    // Words carry more of a short answer than whole sentences do.
    (2.0 * by_word + by_sentence) / 3.0
}

/// Weighted share of the model answer's terms that the answer uses, or says with a word close
/// in meaning, scaled so that `REFERENCE_FULL` of the weight counts as all.
fn soft_term_coverage(
    m: &RubricMeaning,
    encoder: &Encoder,
    answer: &str,
    index: &Index<'_>,
) -> f32 {
    let total: f32 = m.terms.iter().map(|(_, w, _)| w).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let tokens = index.tokens();
    let mut seen = HashSet::default();
    let mut positions: Vec<usize> = index
        .positions()
        .filter(|&i| !tokens[i].stop && seen.insert(tokens[i].stem.clone()))
        .collect();
    positions.sort_unstable();
    let spans: Vec<Range<usize>> = positions.iter().map(|&i| tokens[i].span.clone()).collect();
    let words: Vec<Vector> = encoder
        .embed_parts(answer, &spans)
        .into_iter()
        .flatten()
        .collect();
    let found: f32 = m
        .terms
        .iter()
        .map(|(stem, w, v)| match v {
            _ if index.contains_stem(stem) => *w,
            Some(v) => {
                let best = words.iter().map(|a| a.cosine(v)).fold(f32::MIN, f32::max);
                w * ramp(best, WORD_RAMP)
            }
            None => 0.0,
        })
        .sum();
    (found / total / REFERENCE_FULL).min(1.0)
}
