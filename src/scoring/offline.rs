//! The offline rubric scorer: deterministic, no network, the default and the LLM's fallback.
//!
//! It looks for the rubric's concepts in the answer (stemmed phrase matching), and when a
//! rubric has no concepts it works from the point statements and the model answer, weighting
//! rare terms more. Padding must not pay, so it ignores text pasted from the question, credits
//! only as many concepts per sentence as the sentence has words to say something about them,
//! and discounts answers that are keyword lists rather than prose.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};

use super::text::{phrase_stems, tokenize, Index, Token};
use super::{clamp_score, Assessment, PointResult, Rubric, Scorer, Scores};

/// How rare each word stem is across a corpus (the bank), so rare terms weigh more.
#[derive(Debug, Clone, Default)]
pub struct TermStats {
    idf: HashMap<String, f32>,
    unseen_idf: f32,
}

impl TermStats {
    /// Inverse document frequency of every content stem over `documents`.
    pub fn from_documents<'a>(documents: impl IntoIterator<Item = &'a str>) -> TermStats {
        let mut df: HashMap<String, u32> = HashMap::default();
        let mut n = 0u32;
        for doc in documents {
            n += 1;
            let stems: HashSet<Arc<str>> = tokenize(doc)
                .into_iter()
                .filter(|t| !t.stop)
                .map(|t| t.stem)
                .collect();
            for s in stems {
                *df.entry(s.to_string()).or_default() += 1;
            }
        }
        let total = n as f32 + 1.0;
        let idf = df
            .into_iter()
            .map(|(s, d)| (s, (total / d as f32).ln() + 1.0))
            .collect();
        TermStats {
            idf,
            unseen_idf: total.ln() + 1.0,
        }
    }

    pub fn idf(&self, stem: &str) -> f32 {
        self.idf
            .get(stem)
            .copied()
            .unwrap_or(if self.idf.is_empty() {
                1.0
            } else {
                self.unseen_idf
            })
    }
}

/// Words that signal weighing options; distinct ones count, repeats do not.
const JUDGEMENT_MARKERS: &[&str] = &[
    "trade-off",
    "tradeoff",
    "trade off",
    "because",
    "however",
    "but",
    "whereas",
    "instead",
    "rather than",
    "depends",
    "downside",
    "drawback",
    "cost",
    "benefit",
    "advantage",
    "disadvantage",
    "on the other hand",
    "in contrast",
    "unless",
    "prefer",
    "choose",
    "alternative",
    "at the expense",
    "risk",
    "overhead",
    "worth",
    "which means",
    "so that",
    "avoid",
    "compared",
    "versus",
    "pros and cons",
    "when",
    "otherwise",
    "limitation",
];

/// Copies of the question this long (in words) are ignored.
const COPY_RUN: usize = 5;
/// Above this share of rubric phrases among its words, an answer reads as a list of buzzwords.
const PADDING_SHARE: f32 = 0.45;
/// A sentence earns one concept plus one per this many content words.
const WORDS_PER_CONCEPT: usize = 3;

struct CompiledPoint {
    id: String,
    statement: String,
    /// Concept groups → alternatives → stems.
    groups: Vec<Vec<Vec<String>>>,
    /// Whether every alternative of a group is already in the question (weaker evidence).
    echoes_prompt: Vec<bool>,
    /// For points without concepts: the statement's content stems and their weights.
    terms: Vec<(String, f32)>,
}

struct Compiled {
    points: Vec<CompiledPoint>,
    pitfalls: Vec<(String, Vec<Vec<String>>)>,
    prompt_runs: HashSet<u64>,
    reference: Vec<(String, f32)>,
    markers: Vec<Vec<String>>,
}

/// The deterministic rubric scorer.
pub struct OfflineScorer {
    stats: Arc<TermStats>,
    compiled: Mutex<HashMap<u64, Arc<Compiled>>>,
}

impl Default for OfflineScorer {
    fn default() -> Self {
        OfflineScorer::new(TermStats::default())
    }
}

impl OfflineScorer {
    pub fn new(stats: TermStats) -> OfflineScorer {
        OfflineScorer {
            stats: Arc::new(stats),
            compiled: Mutex::new(HashMap::default()),
        }
    }

    /// A scorer whose term weights come from this bank's questions and model answers.
    pub fn for_bank(bank: &crate::bank::Bank) -> OfflineScorer {
        let docs: Vec<String> = bank
            .questions()
            .iter()
            .map(|q| format!("{}\n{}", q.prompt, q.model_answer))
            .collect();
        OfflineScorer::new(TermStats::from_documents(docs.iter().map(String::as_str)))
    }

    fn compiled(&self, rubric: &Rubric) -> Arc<Compiled> {
        let mut hasher = FxHasher::default();
        rubric.hash(&mut hasher);
        let key = hasher.finish();
        let mut cache = match self.compiled.lock() {
            Ok(cache) => cache,
            // A panic elsewhere cannot leave a half-written entry: entries are inserted whole.
            Err(poisoned) => poisoned.into_inner(),
        };
        cache
            .entry(key)
            .or_insert_with(|| Arc::new(compile(rubric, &self.stats)))
            .clone()
    }
}

fn compile(rubric: &Rubric, stats: &TermStats) -> Compiled {
    let prompt_tokens = tokenize(&rubric.prompt);
    let prompt_stems: HashSet<&str> = prompt_tokens.iter().map(|t| &*t.stem).collect();
    let points = rubric
        .points
        .iter()
        .map(|p| {
            let groups: Vec<Vec<Vec<String>>> = p
                .concepts
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|alt| phrase_stems(alt))
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .collect();
            let echoes_prompt = groups
                .iter()
                .map(|g: &Vec<Vec<String>>| {
                    g.iter()
                        .all(|alt| alt.iter().all(|s| prompt_stems.contains(s.as_str())))
                })
                .collect();
            CompiledPoint {
                id: p.id.clone(),
                statement: p.statement.clone(),
                groups,
                echoes_prompt,
                terms: weighted_terms(&p.statement, stats, usize::MAX),
            }
        })
        .collect();
    let pitfalls = rubric
        .pitfalls
        .iter()
        .map(|p| {
            let phrases = p.phrases.iter().map(|ph| phrase_stems(ph)).collect();
            (p.statement.clone(), phrases)
        })
        .collect();
    let reference = rubric
        .model_answer
        .as_deref()
        .map(|a| weighted_terms(a, stats, 30))
        .unwrap_or_default();
    Compiled {
        points,
        pitfalls,
        prompt_runs: runs(&prompt_tokens),
        reference,
        markers: JUDGEMENT_MARKERS.iter().map(|m| phrase_stems(m)).collect(),
    }
}

/// The distinct content stems of a text with their rarity, rarest first, at most `limit`.
fn weighted_terms(text: &str, stats: &TermStats, limit: usize) -> Vec<(String, f32)> {
    let mut seen = HashSet::default();
    let mut terms: Vec<(String, f32)> = tokenize(text)
        .into_iter()
        .filter(|t| !t.stop && t.stem.chars().count() > 1)
        .filter(|t| seen.insert(t.stem.clone()))
        .map(|t| {
            let idf = stats.idf(&t.stem);
            (t.stem.to_string(), idf)
        })
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(limit);
    terms
}

fn run_hash(stems: &[Token]) -> u64 {
    let mut h = FxHasher::default();
    for t in stems {
        t.stem.hash(&mut h);
    }
    h.finish()
}

/// Hashes of every run of `COPY_RUN` consecutive words.
fn runs(tokens: &[Token]) -> HashSet<u64> {
    tokens.windows(COPY_RUN).map(run_hash).collect()
}

/// Marks words of the answer that are part of a run copied from the question.
fn mask_copied(tokens: &[Token], prompt_runs: &HashSet<u64>) -> Vec<bool> {
    let mut usable = vec![true; tokens.len()];
    for (i, w) in tokens.windows(COPY_RUN).enumerate() {
        if prompt_runs.contains(&run_hash(w)) {
            usable[i..i + COPY_RUN].iter_mut().for_each(|u| *u = false);
        }
    }
    usable
}

/// What the scorer measured of an answer's form, independent of the rubric's content.
struct Form {
    words: usize,
    stop_ratio: f32,
    sentences: usize,
    diversity: f32,
    copied_share: f32,
}

fn measure_form(tokens: &[Token], usable: &[bool]) -> Form {
    let kept: Vec<&Token> = tokens
        .iter()
        .zip(usable)
        .filter_map(|(t, &u)| u.then_some(t))
        .collect();
    let words = kept.len();
    let stops = kept.iter().filter(|t| t.stop).count();
    let content: Vec<&str> = kept.iter().filter(|t| !t.stop).map(|t| &*t.stem).collect();
    let distinct: HashSet<&str> = content.iter().copied().collect();
    let sentences: HashSet<u32> = kept.iter().map(|t| t.sentence).collect();
    Form {
        words,
        stop_ratio: if words == 0 {
            0.0
        } else {
            stops as f32 / words as f32
        },
        sentences: sentences.len(),
        diversity: if content.len() < 10 {
            1.0
        } else {
            distinct.len() as f32 / content.len() as f32
        },
        copied_share: if tokens.is_empty() {
            0.0
        } else {
            1.0 - words as f32 / tokens.len() as f32
        },
    }
}

/// How much of each point the answer covers, crediting each sentence for at most as many
/// concepts as it has words to say something about them.
fn point_coverage(c: &Compiled, index: &Index<'_>, usable: &[bool]) -> Vec<f32> {
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
                return term_coverage(&p.terms, index, 0.6);
            }
            let mut credit = 0.0;
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
                if let Some(cap) = best.and_then(|s| capacity.get_mut(&s)) {
                    if *cap > 0 {
                        *cap -= 1;
                        credit += if echo { 0.5 } else { 1.0 };
                    }
                }
            }
            // Half a point is worth less than half: the parts of a point make sense together.
            (credit / p.groups.len() as f32).powf(1.5)
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
fn asserts(index: &Index<'_>, phrase: &[String]) -> bool {
    let tokens = index.tokens();
    index.find(phrase).into_iter().any(|start| {
        let sentence = tokens[start].sentence;
        !tokens[start.saturating_sub(NEGATION_REACH)..start]
            .iter()
            .any(|t| t.sentence == sentence && NEGATIONS.contains(&&*t.stem))
    })
}

/// Share of the answer's content words that belong to rubric phrases.
fn concept_share(c: &Compiled, index: &Index<'_>) -> f32 {
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
fn term_coverage(terms: &[(String, f32)], index: &Index<'_>, full: f32) -> f32 {
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

impl Scorer for OfflineScorer {
    fn score(&self, rubric: &Rubric, answer: &str) -> Assessment {
        let compiled = self.compiled(rubric);
        score_compiled(&compiled, answer)
    }
}

fn score_compiled(c: &Compiled, answer: &str) -> Assessment {
    let tokens = tokenize(answer);
    let usable = mask_copied(&tokens, &c.prompt_runs);
    let index = Index::new(&tokens, &usable);
    let form = measure_form(&tokens, &usable);
    let coverage_by_point = point_coverage(c, &index, &usable);
    let reference = term_coverage(&c.reference, &index, 0.6);
    let coverage = match (coverage_by_point.is_empty(), c.reference.is_empty()) {
        (true, _) => reference,
        (false, true) => mean(&coverage_by_point),
        (false, false) => 0.9 * mean(&coverage_by_point) + 0.1 * reference,
    };
    // Prose has a third or more function words; a keyword list has next to none.
    let prose = ((form.stop_ratio - 0.10) / 0.15).clamp(0.0, 1.0);
    // An answer that is little but the rubric's own phrases names things without saying
    // anything about them.
    let share = concept_share(c, &index);
    let padding = ((share - PADDING_SHARE) / 0.3).clamp(0.0, 1.0);
    let substance = coverage * (0.25 + 0.75 * prose) * (1.0 - 0.8 * padding);
    // Judgement and clarity about something other than the question are worth little.
    let relevance = (substance / 0.6).min(1.0).powi(2);
    let pitfalls: Vec<String> = c
        .pitfalls
        .iter()
        .filter(|(_, phrases)| phrases.iter().any(|p| asserts(&index, p)))
        .map(|(s, _)| s.clone())
        .collect();
    let markers = c.markers.iter().filter(|m| index.contains(m)).count();
    let judgement = (markers as f32 / 5.0).min(1.0);
    let pit = pitfalls.len() as f32;

    let technical = 10.0 * (substance / 0.9).min(1.0) - pit.min(3.0);
    let tradeoffs = 10.0 * relevance * (0.4 + 0.6 * judgement) - 2.5 * pit;
    let communication = 10.0 * communication_quality(&form) * (0.3 + 0.7 * relevance);
    let scores = if form.words == 0 {
        Scores::default()
    } else {
        let (t, j, m) = (
            clamp_score(technical),
            clamp_score(tradeoffs),
            clamp_score(communication),
        );
        Scores {
            technical: t,
            tradeoffs: j,
            communication: m,
            overall: clamp_score(0.6 * t + 0.25 * j + 0.15 * m),
        }
    };
    let (covered, partial, missed) = classify(c, &coverage_by_point);
    let feedback = feedback(&scores, &form, prose, judgement, &pitfalls, &missed);
    Assessment {
        scores,
        covered,
        partial,
        missed,
        pitfalls,
        feedback,
        scorer: "offline".into(),
        model: None,
        ..Default::default()
    }
}

fn mean(xs: &[f32]) -> f32 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f32>() / xs.len() as f32
    }
}

/// 0–1: long enough, in sentences of a readable length, without saying the same thing over.
fn communication_quality(form: &Form) -> f32 {
    if form.words == 0 {
        return 0.0;
    }
    let length = (form.words as f32 / 80.0).min(1.0);
    let avg_sentence = form.words as f32 / form.sentences.max(1) as f32;
    let structure = if avg_sentence < 8.0 {
        avg_sentence / 8.0
    } else if avg_sentence > 30.0 {
        30.0 / avg_sentence
    } else {
        1.0
    };
    let diversity = ((form.diversity - 0.3) / 0.3).clamp(0.0, 1.0);
    let prose = ((form.stop_ratio - 0.10) / 0.15).clamp(0.0, 1.0);
    0.3 * length + 0.25 * structure + 0.2 * diversity + 0.25 * prose
}

type Classified = (Vec<PointResult>, Vec<PointResult>, Vec<PointResult>);

fn classify(c: &Compiled, coverage: &[f32]) -> Classified {
    let mut out: Classified = (Vec::new(), Vec::new(), Vec::new());
    for (p, &cov) in c.points.iter().zip(coverage) {
        let r = PointResult {
            id: p.id.clone(),
            statement: p.statement.clone(),
            coverage: (cov * 100.0).round() / 100.0,
        };
        match cov {
            x if x >= 0.99 => out.0.push(r),
            x if x > 0.0 => out.1.push(r),
            _ => out.2.push(r),
        }
    }
    out
}

fn feedback(
    scores: &Scores,
    form: &Form,
    prose: f32,
    judgement: f32,
    pitfalls: &[String],
    missed: &[PointResult],
) -> Vec<String> {
    let mut lines = Vec::new();
    if form.words == 0 {
        lines.push("No answer was given.".to_string());
        return lines;
    }
    lines.push(
        match scores.technical {
            t if t >= 8.0 => "Accurate and thorough: it covers what the question is after.",
            t if t >= 5.0 => "A solid start that leaves out part of what the question is after.",
            t if t > 0.0 => "The answer misses most of what the question is after.",
            _ => "The answer does not address the question.",
        }
        .to_string(),
    );
    if form.copied_share > 0.3 {
        lines.push("Much of the answer repeats the question, which earns nothing.".into());
    }
    if prose < 0.5 {
        lines.push(
            "Write full sentences: a list of keywords does not show how the pieces fit.".into(),
        );
    }
    if form.diversity < 0.4 {
        lines.push("The answer repeats itself; say each thing once, clearly.".into());
    }
    if judgement < 0.6 && scores.technical >= 3.0 {
        lines.push("Weigh the options: say when you would choose each and what it costs.".into());
    }
    for p in pitfalls {
        lines.push(format!("Watch out: {p}"));
    }
    if let Some(m) = missed.first() {
        lines.push(format!("Next time, cover: {}", m.statement));
    }
    lines
}
