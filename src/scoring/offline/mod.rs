//! The offline rubric scorer: deterministic, no network, the default and the LLM's fallback.
//!
//! It looks for the rubric's concepts in the answer (stemmed phrase matching), and when a
//! rubric has no concepts it works from the point statements and the model answer, weighting
//! rare terms more. Padding must not pay, so it ignores text pasted from the question, credits
//! only as many concepts per sentence as the sentence has words to say something about them,
//! and discounts answers that are keyword lists rather than prose.

mod clarify;
mod evidence;
mod form;
mod meaning;
mod terms;

use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;
use rustc_hash::{FxHashSet as HashSet, FxHasher};

use super::llm::reply::clean_text;
use super::meaning::Encoder;
use super::text::{phrase_stems, sentence_spans, tokenize, Index};
use super::{clamp_score, Assessment, Rubric, Scorer, Scores, Substance, Weights};
pub use clarify::ANSWERED as CLARIFY_ANSWERED;
use evidence::{
    asserts, concept_share, mask_copied, point_coverage, runs, term_coverage, PADDING_SHARE,
};
use form::{classify, communication_quality, feedback, mean, measure_form};
pub use terms::TermStats;
use terms::{weighted_terms, weighted_words};

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

/// The model answer's rarest terms that stand for it when a rubric has nothing else.
const REFERENCE_TERMS: usize = 30;

/// A quoted sentence of evidence is cut to this many characters.
const QUOTE_CHARS: usize = 140;

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
    meaning: meaning::RubricMeaning,
}

/// The deterministic rubric scorer.
pub struct OfflineScorer {
    stats: Arc<TermStats>,
    /// The bundled embedding model; `None` only if it failed to load, which leaves phrase
    /// evidence alone (and is logged).
    encoder: Option<&'static Encoder>,
    background: meaning::Background,
    /// Rubrics compiled so far, most recently used kept: the bank's rubrics stay in, and the
    /// one-off rubrics of follow-ups the LLM wrote cannot grow it without bound.
    compiled: Mutex<LruCache<u64, Arc<Compiled>>>,
}

/// How many compiled rubrics the scorer keeps: the bundled bank's main questions and follow-ups
/// (about 300) with room to spare.
const COMPILED_RUBRICS: NonZeroUsize = match NonZeroUsize::new(512) {
    Some(n) => n,
    None => NonZeroUsize::MIN,
};

impl Default for OfflineScorer {
    fn default() -> Self {
        OfflineScorer::new(TermStats::default())
    }
}

impl OfflineScorer {
    pub fn new(stats: TermStats) -> OfflineScorer {
        let encoder = match Encoder::bundled() {
            Ok(e) => Some(e),
            Err(e) => {
                tracing::error!(error = %crate::errors::error_chain(&e), "the bundled embedding model did not load; scoring by phrases only");
                None
            }
        };
        OfflineScorer {
            stats: Arc::new(stats),
            encoder,
            background: meaning::Background::default(),
            compiled: Mutex::new(LruCache::new(COMPILED_RUBRICS)),
        }
    }

    /// A scorer whose term weights come from this bank's questions and model answers.
    pub fn for_bank(bank: &crate::bank::Bank) -> OfflineScorer {
        let docs: Vec<String> = bank
            .questions()
            .iter()
            .map(|q| format!("{}\n{}", q.prompt, q.model_answer))
            .collect();
        let mut scorer =
            OfflineScorer::new(TermStats::from_documents(docs.iter().map(String::as_str)));
        if let Some(encoder) = scorer.encoder {
            let answers = bank.questions().iter().flat_map(|q| {
                std::iter::once((q.id.as_str(), q.model_answer.as_str())).chain(
                    q.follow_ups
                        .iter()
                        .filter_map(|f| f.model_answer.as_deref())
                        .map(|m| (q.id.as_str(), m)),
                )
            });
            scorer.background = meaning::Background::new(encoder, answers);
        }
        scorer
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
            .get_or_insert(key, || {
                Arc::new(compile(rubric, &self.stats, self.encoder, &self.background))
            })
            .clone()
    }

    /// How many compiled rubrics are kept now.
    pub fn compiled_rubrics(&self) -> usize {
        self.compiled
            .lock()
            .map_or_else(|p| p.into_inner().len(), |c| c.len())
    }
}

fn compile(
    rubric: &Rubric,
    stats: &TermStats,
    encoder: Option<&Encoder>,
    background: &meaning::Background,
) -> Compiled {
    let prompt_tokens = tokenize(&rubric.prompt);
    let prompt_stems: HashSet<&str> = prompt_tokens.iter().map(|t| &*t.stem).collect();
    let points: Vec<CompiledPoint> = rubric
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
        .map(|a| weighted_terms(a, stats, REFERENCE_TERMS))
        .unwrap_or_default();
    let meaning = encoder
        .map(|e| {
            let model = rubric.model_answer.as_deref().unwrap_or("");
            let words = weighted_words(model, stats, REFERENCE_TERMS);
            // A follow-up ("q#2") is about its question: its sentences are not background.
            let owner = rubric.question_id.split('#').next().unwrap_or_default();
            meaning::compile(e, background, owner, &rubric.prompt, model, &points, &words)
        })
        .unwrap_or_default();
    Compiled {
        meaning,
        points,
        pitfalls,
        prompt_runs: runs(&prompt_tokens),
        reference,
        markers: JUDGEMENT_MARKERS.iter().map(|m| phrase_stems(m)).collect(),
    }
}

impl Scorer for OfflineScorer {
    fn score(&self, rubric: &Rubric, answer: &str) -> Assessment {
        let mut assessment = if rubric.sheet.is_empty() {
            let compiled = self.compiled(rubric);
            score_compiled(&compiled, answer, self.encoder, rubric.weights())
        } else {
            clarify::score(self.encoder, rubric, answer)
        };
        super::estimates::check(&mut assessment, rubric, answer);
        assessment
    }
}

/// Per point: the larger of its phrase and meaning coverage, and a quote of the candidate's
/// sentence that earned it.
fn strongest_evidence(
    answer: &str,
    tokens: &[crate::scoring::text::Token],
    by_phrase: &[(f32, Option<u32>)],
    by_meaning: &[(f32, Option<usize>)],
    claims: &[meaning::Claim],
) -> (Vec<f32>, Vec<Option<String>>) {
    let spans = sentence_spans(tokens);
    let quote = |span: &std::ops::Range<usize>| clean_text(&answer[span.clone()], QUOTE_CHARS);
    by_phrase
        .iter()
        .enumerate()
        .map(|(i, &(phrase, sentence))| {
            let (meant, claim) = by_meaning.get(i).copied().unwrap_or((0.0, None));
            let quoted = if phrase >= meant {
                sentence.and_then(|s| spans.get(s as usize)).map(quote)
            } else {
                claim.map(|k| quote(&claims[k].span))
            };
            (phrase.max(meant), quoted)
        })
        .unzip()
}

/// What every offline grade says of itself.
const PROVISIONAL: &str = "Scored offline: a provisional grade. It matches the meaning of your \
    answer to the rubric loosely and cannot check that a claim is true; an LLM grader gives a \
    fuller one.";

fn score_compiled(
    c: &Compiled,
    answer: &str,
    encoder: Option<&Encoder>,
    weights: Weights,
) -> Assessment {
    let tokens = tokenize(answer);
    let usable = mask_copied(&tokens, &c.prompt_runs);
    let index = Index::new(&tokens, &usable);
    let form = measure_form(&tokens, &usable);
    let by_phrase = point_coverage(c, &index, &usable);
    let (claims, claim_share) = meaning::claims(encoder, answer, &tokens, &usable);
    let by_meaning = meaning::coverage(&c.meaning, &claims);
    let (coverage_by_point, evidence) =
        strongest_evidence(answer, &tokens, &by_phrase, &by_meaning, &claims);
    let reference = match encoder {
        Some(e) => meaning::reference_coverage(&c.meaning, e, answer, &index, &claims),
        None => term_coverage(&c.reference, &index, 0.6),
    };
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
            overall: weights.overall(t, j, m),
        }
    };
    let (covered, partial, missed) = classify(c, &coverage_by_point, &evidence);
    let feedback = feedback(&scores, &form, prose, judgement, &pitfalls, &missed);
    Assessment {
        scores,
        covered,
        partial,
        missed,
        pitfalls,
        feedback,
        scorer: crate::scoring::ScorerKind::Offline,
        model: None,
        notes: vec![PROVISIONAL.to_string()],
        substance: Some(Substance {
            relevance: meaning::relevance(&c.meaning, &claims),
            claim_share,
            words: form.words,
        }),
        ..Default::default()
    }
}
