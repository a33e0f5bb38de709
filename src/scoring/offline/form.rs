//! The answer's form — length, sentences, repetition, prose or list — and the feedback the
//! scorer writes from it.

use rustc_hash::FxHashSet as HashSet;

use super::Compiled;
use crate::scoring::text::Token;
use crate::scoring::{PointResult, Scores};

/// What the scorer measured of an answer's form, independent of the rubric's content.
pub(super) struct Form {
    pub(super) words: usize,
    pub(super) stop_ratio: f32,
    pub(super) sentences: usize,
    pub(super) diversity: f32,
    pub(super) copied_share: f32,
}

pub(super) fn measure_form(tokens: &[Token], usable: &[bool]) -> Form {
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

pub(super) fn mean(xs: &[f32]) -> f32 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f32>() / xs.len() as f32
    }
}

/// 0–1: long enough, in sentences of a readable length, without saying the same thing over.
pub(super) fn communication_quality(form: &Form) -> f32 {
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

pub(super) type Classified = (Vec<PointResult>, Vec<PointResult>, Vec<PointResult>);

pub(super) fn classify(c: &Compiled, coverage: &[f32], evidence: &[Option<String>]) -> Classified {
    let mut out: Classified = (Vec::new(), Vec::new(), Vec::new());
    for ((p, &cov), quote) in c.points.iter().zip(coverage).zip(evidence) {
        let r = PointResult {
            id: p.id.clone(),
            statement: p.statement.clone(),
            coverage: (cov * 100.0).round() / 100.0,
            evidence: if cov > 0.0 { quote.clone() } else { None },
        };
        match cov {
            x if x >= 0.99 => out.0.push(r),
            x if x > 0.0 => out.1.push(r),
            _ => out.2.push(r),
        }
    }
    out
}

pub(super) fn feedback(
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
