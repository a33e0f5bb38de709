//! The clarify stage of a design round, graded offline: which entries of the hidden requirements
//! sheet the candidate's questions asked about. A question earns an entry by using one of its
//! cue words ("how long" for retention), by naming its topic ("what about analytics?"), by
//! sharing its words ("how many links a month?" against "100 million new links a month"), or,
//! in part, by being closer in meaning to it than to any other entry. An entry is asked about
//! fully or in part; the interviewer answers both, and the grade credits them.
//!
//! Questions are short and need no claim, unlike answers, so the answer scorer's rules for
//! claims and padding do not apply here.

use rustc_hash::FxHashSet as HashSet;

use super::form::{communication_quality, measure_form};
use crate::bank::Requirement;
use crate::scoring::llm::reply::clean_text;
use crate::scoring::meaning::{Encoder, Vector};
use crate::scoring::text::{phrase_stems, sentence_spans, tokenize, Token};
use crate::scoring::{clamp_score, Assessment, PointResult, Rubric, Scores, Substance};

/// Similarity of a question to a sheet entry (its topic and answer) at which it asks about the
/// entry in part, and in full, when no other entry is closer to it. The bundled model puts
/// questions about other entries of the same sheet at 0.55–0.68, so meaning alone rarely gives
/// full credit: the entry's cue words do.
const MEANING_PARTLY: f32 = 0.66;
const MEANING_FULLY: f32 = 0.80;
/// Share of an entry's answer words (content words, at least two of them) a question must
/// share to ask about it in part, and in full.
const WORDS_PARTLY: f32 = 0.25;
const WORDS_FULLY: f32 = 0.45;
/// Share of the sheet asked about (counting partly as half) that earns a full technical score:
/// a strong candidate asks about most of it, not every line.
const FULL_SHARE: f32 = 0.7;
/// What coverage the interviewer answers: an entry asked about at least in part.
pub const ANSWERED: f32 = 0.5;

/// One question of the candidate's: its sentence's span, its stems, and its meaning.
struct Asked<'a> {
    span: std::ops::Range<usize>,
    /// Every word's stem, in order (cue phrases are runs of them).
    words: Vec<&'a str>,
    /// The content words' stems.
    stems: HashSet<&'a str>,
    vector: Option<Vector>,
    /// The entry this question is closest to in meaning.
    nearest: Option<usize>,
}

pub(super) fn score(encoder: Option<&Encoder>, rubric: &Rubric, answer: &str) -> Assessment {
    let tokens = tokenize(answer);
    let targets: Vec<Option<Vector>> = rubric
        .sheet
        .iter()
        .map(|e| encoder.and_then(|enc| enc.embed(&format!("{}. {}", e.topic, e.answer))))
        .collect();
    let asked = questions(encoder, answer, &tokens, &targets);
    let usable = vec![true; tokens.len()];
    let form = measure_form(&tokens, &usable);
    let mut covered = Vec::new();
    let mut partial = Vec::new();
    let mut missed = Vec::new();
    let mut earned = 0.0;
    for (point, (coverage, best)) in
        rubric
            .points
            .iter()
            .zip(entries_asked(&rubric.sheet, &targets, &asked))
    {
        earned += coverage;
        let result = PointResult {
            id: point.id.clone(),
            statement: point.statement.clone(),
            coverage,
            evidence: best.map(|i| clean_text(&answer[asked[i].span.clone()], 140)),
        };
        match coverage {
            c if c >= 1.0 => covered.push(result),
            c if c > 0.0 => partial.push(result),
            _ => missed.push(PointResult {
                evidence: None,
                ..result
            }),
        }
    }
    let share = earned / rubric.sheet.len().max(1) as f32;
    let technical = clamp_score(10.0 * (share / FULL_SHARE).min(1.0));
    // Asking about the non-obvious entries is the judgement this stage shows; breadth stands
    // for it, a little below the technical credit.
    let tradeoffs = clamp_score(technical * 0.9);
    let communication = clamp_score(10.0 * communication_quality(&form).max(0.5 * share));
    let scores = if form.words == 0 {
        Scores::default()
    } else {
        Scores {
            technical,
            tradeoffs,
            communication,
            overall: rubric
                .weights()
                .overall(technical, tradeoffs, communication),
        }
    };
    let feedback = feedback(covered.len() + partial.len(), rubric.sheet.len());
    Assessment {
        scores,
        covered,
        partial,
        missed,
        feedback,
        scorer: crate::scoring::ScorerKind::Offline,
        notes: vec![
            "Scored offline: your questions were matched to the brief by their words and meaning."
                .into(),
        ],
        // Questions are what this stage asks for: any question is on the subject, so the LLM
        // guard's relevance check (made for answers) has nothing to catch here.
        substance: Some(Substance {
            relevance: if asked.is_empty() { 0.0 } else { 1.0 },
            claim_share: if asked.is_empty() { 0.0 } else { 1.0 },
            words: form.words,
        }),
        ..Default::default()
    }
}

/// How far the questions asked about each entry, and the question that asked most.
fn entries_asked(
    sheet: &[Requirement],
    targets: &[Option<Vector>],
    asked: &[Asked<'_>],
) -> Vec<(f32, Option<usize>)> {
    let by_entry: Vec<Vec<f32>> = sheet
        .iter()
        .enumerate()
        .map(|(i, entry)| asked_about(i, entry, targets[i].as_ref(), asked))
        .collect();
    // A question that plainly asks about one entry asks only in passing, if at all, about the
    // entries it brushes against ("what is the limit?" is not about the stricter limits).
    let plain: Vec<bool> = (0..asked.len())
        .map(|s| by_entry.iter().any(|row| row[s] >= 1.0))
        .collect();
    narrowest_names(sheet, asked, by_entry)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .map(|(s, c)| {
                    if plain[s] && c < 1.0 {
                        (0.0, s)
                    } else {
                        (c, s)
                    }
                })
                .fold((0.0_f32, None), |(bc, bs), (c, s)| {
                    if c > bc {
                        (c, Some(s))
                    } else {
                        (bc, bs)
                    }
                })
        })
        .collect()
}

/// The candidate's sentences, each a question (or an assumption stated for the interviewer to
/// confirm).
fn questions<'a>(
    encoder: Option<&Encoder>,
    answer: &str,
    tokens: &'a [Token],
    targets: &[Option<Vector>],
) -> Vec<Asked<'a>> {
    let spans = sentence_spans(tokens);
    let vectors = match encoder {
        Some(e) => e.embed_parts(answer, &spans),
        None => vec![None; spans.len()],
    };
    spans
        .into_iter()
        .zip(vectors)
        .enumerate()
        .map(|(i, (span, vector))| {
            let mine = || tokens.iter().filter(move |t| t.sentence as usize == i);
            let nearest = vector.as_ref().and_then(|v| {
                targets
                    .iter()
                    .enumerate()
                    .filter_map(|(e, t)| t.as_ref().map(|t| (e, t.cosine(v))))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(e, _)| e)
            });
            Asked {
                span,
                words: mine().map(|t| &*t.stem).collect(),
                stems: mine().filter(|t| !t.stop).map(|t| &*t.stem).collect(),
                vector,
                nearest,
            }
        })
        .collect()
}

/// How far each question asked about entry `index`: 0, 0.5 or 1.
fn asked_about(
    index: usize,
    entry: &Requirement,
    target: Option<&Vector>,
    asked: &[Asked<'_>],
) -> Vec<f32> {
    let topic = content_stems(&entry.topic);
    let words = content_stems(&entry.answer);
    let cues: Vec<Vec<String>> = entry
        .asks
        .iter()
        .map(|c| phrase_stems(c))
        .filter(|c| !c.is_empty())
        .collect();
    asked
        .iter()
        .map(|q| {
            let cued = cues.iter().any(|c| has_run(&q.words, c));
            let named = share_in(&topic, &q.stems);
            let shared = share_in(&words, &q.stems);
            let meaning = match (target, &q.vector) {
                (Some(t), Some(v)) => t.cosine(v),
                _ => 0.0,
            };
            let by_words = if shared * (words.len() as f32) < 2.0 {
                0.0
            } else {
                level(shared, WORDS_PARTLY, WORDS_FULLY)
            };
            let by_meaning = if q.nearest == Some(index) {
                level(meaning, MEANING_PARTLY, MEANING_FULLY)
            } else {
                0.0
            };
            if cued { 1.0_f32 } else { 0.0 }
                .max(level(named, 0.5, 1.0))
                .max(by_words)
                .max(by_meaning)
        })
        .collect()
}

/// A question that names "offline users" names "users" too: where one entry's topic words are
/// part of another's and a question names the longer one, it asks about that one only.
fn narrowest_names(
    sheet: &[Requirement],
    asked: &[Asked<'_>],
    mut by_entry: Vec<Vec<f32>>,
) -> Vec<Vec<f32>> {
    let topics: Vec<Vec<String>> = sheet.iter().map(|e| content_stems(&e.topic)).collect();
    for (s, q) in asked.iter().enumerate() {
        let named: Vec<bool> = topics
            .iter()
            .map(|t| !t.is_empty() && share_in(t, &q.stems) >= 1.0)
            .collect();
        for (a, row) in by_entry.iter_mut().enumerate() {
            let wider = topics.iter().enumerate().any(|(b, t)| {
                b != a
                    && named[a]
                    && named[b]
                    && t.len() > topics[a].len()
                    && topics[a].iter().all(|w| t.contains(w))
            });
            if wider {
                row[s] = 0.0;
            }
        }
    }
    by_entry
}

/// Whether `phrase` occurs as a run of `words`.
fn has_run(words: &[&str], phrase: &[String]) -> bool {
    words
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| *a == b.as_str()))
}

/// 1 at or above `fully`, a half at or above `partly`, else 0.
fn level(x: f32, partly: f32, fully: f32) -> f32 {
    if x >= fully {
        1.0
    } else if x >= partly {
        ANSWERED
    } else {
        0.0
    }
}

fn content_stems(text: &str) -> Vec<String> {
    let mut stems: Vec<String> = tokenize(text)
        .into_iter()
        .filter(|t| !t.stop && t.stem.chars().any(char::is_alphabetic))
        .map(|t| t.stem.to_string())
        .collect();
    stems.sort();
    stems.dedup();
    stems
}

/// The share of `stems` found in a question.
fn share_in(stems: &[String], question: &HashSet<&str>) -> f32 {
    if stems.is_empty() {
        return 0.0;
    }
    let found = stems
        .iter()
        .filter(|s| question.contains(s.as_str()))
        .count();
    found as f32 / stems.len() as f32
}

fn feedback(asked: usize, of: usize) -> Vec<String> {
    let mut lines = vec![format!(
        "You asked about {asked} of the {of} things the brief settles."
    )];
    if asked * 2 < of {
        lines.push(
            "Before designing, ask about features, scale, latency, availability and \
             consistency: the numbers decide the design."
                .into(),
        );
    }
    lines
}
