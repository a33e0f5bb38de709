//! The estimate stage's arithmetic check: the figures a design round's requirements imply
//! (writes per second, storage over ten years) against the numbers in the candidate's answer.
//! Estimates are orders of magnitude, so a figure counts as reached when some number of the
//! same kind in the answer is within a factor of [`TOLERANCE`] of it, however it is written
//! ("40/s", "4k", "12 billion", "6 TB", "40 Gbps", "1.2e10").
//!
//! Both scorers run it after grading, so the check and its share of the technical score are the
//! same whichever graded the rest.

use std::sync::LazyLock;

use regex::Regex;

use super::{clamp_score, Assessment, PointResult, Rubric};
use crate::bank::{Estimate, EstimateUnit};

/// How far off a number may be and still reach a figure (either way).
pub const TOLERANCE: f64 = 2.0;
/// The share of the technical score the figures decide; the grader's reading of the reasoning
/// decides the rest.
const FIGURES_SHARE: f32 = 0.5;

/// A number in an answer, in its unit's base.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub kind: Kind,
    /// The number as the candidate wrote it.
    pub text: String,
}

/// What a number in an answer measures, as far as its unit says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Bytes,
    Bits,
    /// A size whose "b" could be bits or bytes ("5 gb").
    Either,
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<num>\d+(?:[,_]\d{3})*(?:\.\d+)?)
        (?:\s*(?:[eE]|\s?[x×*]\s?10\^)\s*(?P<exp>[+-]?\d+)|\^(?P<pow>\d+))?
        (?:\s*(?P<mult>thousand|million|billion|trillion|bn|mn|[kKmMbBtT])\b)?
        (?:\s*(?P<prefix>kilo|mega|giga|tera|peta|[kKmMgGtTpPeE])?i?(?P<unit>bytes?|bits?|bps|b/s|B|b)\b)?",
    )
    .expect("the number pattern is valid")
});

/// The numbers an answer states, with their units.
pub fn figures(answer: &str) -> Vec<Figure> {
    NUMBER
        .captures_iter(answer)
        .filter_map(|c| {
            let digits: String = c["num"]
                .chars()
                .filter(|ch| *ch != ',' && *ch != '_')
                .collect();
            let mut value: f64 = digits.parse().ok()?;
            if let Some(exp) = c.name("exp") {
                value *= 10f64.powi(exp.as_str().parse().ok()?);
            }
            if let Some(pow) = c.name("pow") {
                value = value.powi(pow.as_str().parse().ok()?);
            }
            if let Some(mult) = c.name("mult") {
                value *= multiplier(mult.as_str());
            }
            let kind = match c.name("unit") {
                None => Kind::Plain,
                Some(unit) => {
                    if let Some(prefix) = c.name("prefix") {
                        value *= scale(prefix.as_str());
                    }
                    unit_kind(unit.as_str())
                }
            };
            value.is_finite().then(|| Figure {
                value,
                kind,
                text: c[0].trim().to_string(),
            })
        })
        .collect()
}

fn multiplier(word: &str) -> f64 {
    match word {
        "thousand" | "k" | "K" => 1e3,
        "million" | "mn" | "m" | "M" => 1e6,
        "billion" | "bn" | "b" | "B" => 1e9,
        "trillion" | "t" | "T" => 1e12,
        _ => 1.0,
    }
}

fn scale(prefix: &str) -> f64 {
    match prefix.to_ascii_lowercase().as_str() {
        "k" | "kilo" => 1e3,
        "m" | "mega" => 1e6,
        "g" | "giga" => 1e9,
        "t" | "tera" => 1e12,
        "p" | "peta" => 1e15,
        "e" => 1e18,
        _ => 1.0,
    }
}

fn unit_kind(unit: &str) -> Kind {
    match unit {
        "B" | "byte" | "bytes" => Kind::Bytes,
        "bit" | "bits" | "bps" | "b/s" => Kind::Bits,
        _ => Kind::Either,
    }
}

/// The figure's value if `figure` can stand for `unit`, converted to it.
fn as_unit(figure: &Figure, unit: EstimateUnit) -> Option<f64> {
    match (unit, figure.kind) {
        (EstimateUnit::Count, Kind::Plain) => Some(figure.value),
        (EstimateUnit::Bytes, Kind::Bytes | Kind::Either) => Some(figure.value),
        (EstimateUnit::Bits, Kind::Bits | Kind::Either) => Some(figure.value),
        // A bandwidth given in bytes per second.
        (EstimateUnit::Bits, Kind::Bytes) => Some(figure.value * 8.0),
        _ => None,
    }
}

/// The candidate's number that reaches `estimate`, if one does.
pub fn reached<'a>(estimate: &Estimate, stated: &'a [Figure]) -> Option<&'a Figure> {
    stated
        .iter()
        .filter_map(|f| as_unit(f, estimate.unit).map(|v| (f, (v / estimate.value).ln().abs())))
        .filter(|(_, off)| *off <= TOLERANCE.ln() + 1e-9)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(f, _)| f)
}

/// A figure as people write it: "12,000", "6 TB", "40 Gbit/s", "12 billion".
pub fn display(value: f64, unit: EstimateUnit) -> String {
    let (steps, suffix): (&[(f64, &str)], &str) = match unit {
        EstimateUnit::Count => (
            &[(1e12, " trillion"), (1e9, " billion"), (1e6, " million")],
            "",
        ),
        EstimateUnit::Bytes => (
            &[
                (1e15, " PB"),
                (1e12, " TB"),
                (1e9, " GB"),
                (1e6, " MB"),
                (1e3, " KB"),
            ],
            " bytes",
        ),
        EstimateUnit::Bits => (
            &[
                (1e12, " Tbit/s"),
                (1e9, " Gbit/s"),
                (1e6, " Mbit/s"),
                (1e3, " kbit/s"),
            ],
            " bit/s",
        ),
    };
    for (step, name) in steps {
        if value >= *step {
            return format!("{}{name}", short(value / step));
        }
    }
    format!("{}{suffix}", with_commas(value))
}

fn short(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn with_commas(x: f64) -> String {
    let digits = format!("{:.0}", x.round());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Adds the rubric's figures to `assessment` as points reached or missed, and lets the share
/// reached decide part of the technical score. Does nothing for a rubric without figures.
pub fn check(assessment: &mut Assessment, rubric: &Rubric, answer: &str) {
    if rubric.estimates.is_empty() {
        return;
    }
    let stated = figures(answer);
    let mut hits = 0usize;
    for (i, estimate) in rubric.estimates.iter().enumerate() {
        let found = reached(estimate, &stated);
        let result = PointResult {
            id: format!("figure-{}", i + 1),
            statement: format!(
                "{} ≈ {} ({})",
                estimate.quantity,
                display(estimate.value, estimate.unit),
                estimate.how
            ),
            coverage: if found.is_some() { 1.0 } else { 0.0 },
            evidence: found.map(|f| f.text.clone()),
        };
        if found.is_some() {
            hits += 1;
            assessment.covered.push(result);
        } else {
            assessment.missed.push(result);
        }
    }
    let share = hits as f32 / rubric.estimates.len() as f32;
    let scores = &mut assessment.scores;
    if scores.communication > 0.0 || scores.technical > 0.0 {
        scores.technical =
            clamp_score((1.0 - FIGURES_SHARE) * scores.technical + FIGURES_SHARE * 10.0 * share);
        scores.overall =
            rubric
                .weights()
                .overall(scores.technical, scores.tradeoffs, scores.communication);
    }
    assessment.feedback.insert(
        0,
        format!(
            "Your numbers against the brief: {hits} of {} figures within a factor of {TOLERANCE}.",
            rubric.estimates.len()
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(value: f64, unit: EstimateUnit) -> Estimate {
        Estimate {
            quantity: "q".into(),
            value,
            unit,
            how: "h".into(),
        }
    }

    fn values(answer: &str) -> Vec<(f64, Kind)> {
        figures(answer)
            .into_iter()
            .map(|f| (f.value, f.kind))
            .collect()
    }

    #[test]
    fn numbers_are_read_however_they_are_written() {
        assert_eq!(values("about 4,000 a second"), vec![(4000.0, Kind::Plain)]);
        assert_eq!(values("4k/s"), vec![(4000.0, Kind::Plain)]);
        assert_eq!(values("12 billion links"), vec![(12e9, Kind::Plain)]);
        assert_eq!(values("1.2e10 rows"), vec![(1.2e10, Kind::Plain)]);
        assert_eq!(values("62^7 codes"), vec![(62f64.powi(7), Kind::Plain)]);
        assert_eq!(values("6 TB"), vec![(6e12, Kind::Bytes)]);
        assert_eq!(values("40 Gbps"), vec![(4e10, Kind::Bits)]);
        assert_eq!(values("500 bytes"), vec![(500.0, Kind::Bytes)]);
        assert_eq!(values("10 terabytes"), vec![(1e13, Kind::Bytes)]);
        assert_eq!(values("5 gb a day"), vec![(5e9, Kind::Either)]);
        assert_eq!(values("2.5M seconds"), vec![(2.5e6, Kind::Plain)]);
    }

    #[test]
    fn a_figure_is_reached_within_a_factor_of_two_in_its_own_unit() {
        let stated = figures("40 writes/s, 12k redirects at peak, 6 TB over ten years");
        assert!(reached(&estimate(40.0, EstimateUnit::Count), &stated).is_some());
        assert!(reached(&estimate(6e12, EstimateUnit::Bytes), &stated).is_some());
        // 6 TB is not a count, and 12k is not within a factor of two of 40k.
        assert!(reached(&estimate(6.0, EstimateUnit::Count), &stated).is_none());
        assert!(reached(&estimate(40_000.0, EstimateUnit::Count), &stated).is_none());
        // A bandwidth in bytes per second reaches a figure in bits.
        let bytes = figures("5 GB/s out");
        assert!(reached(&estimate(4e10, EstimateUnit::Bits), &bytes).is_some());
    }

    #[test]
    fn figures_display_as_people_write_them() {
        assert_eq!(display(12_000.0, EstimateUnit::Count), "12,000");
        assert_eq!(display(1.2e10, EstimateUnit::Count), "12 billion");
        assert_eq!(display(6e12, EstimateUnit::Bytes), "6 TB");
        assert_eq!(display(4.6e8, EstimateUnit::Bits), "460 Mbit/s");
    }
}
