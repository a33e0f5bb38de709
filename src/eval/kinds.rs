//! Results by kind of answer, for data sets whose rows say what kind of answer each is (a strong
//! answer in everyday words, a buzzword list, a confident misconception…): how each kind
//! scores on average, and how often the scorer orders two kinds of answer to the same question
//! the way the human grades do.

use std::collections::BTreeMap;

use serde::Serialize;

/// One scored row: the human grade and the scorer's, on the human scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredRow {
    pub line: u64,
    pub question: String,
    pub kind: Option<String>,
    pub human: f64,
    pub predicted: f64,
    /// The scorer flagged the answer (an LLM guard's cap).
    pub flagged: bool,
}

/// How one kind of answer fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindSummary {
    pub kind: String,
    pub n: usize,
    pub mean_human: f64,
    pub mean_predicted: f64,
    pub flagged: usize,
}

/// How often the scorer ranks `higher`'s answer above `lower`'s on the same question, over the
/// questions that have one of each and where the human grades differ that way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindOrdering {
    pub higher: String,
    pub lower: String,
    pub questions: usize,
    pub share: f64,
}

pub fn summaries(rows: &[ScoredRow]) -> Vec<KindSummary> {
    let mut by_kind: BTreeMap<&str, Vec<&ScoredRow>> = BTreeMap::new();
    for r in rows {
        if let Some(k) = &r.kind {
            by_kind.entry(k).or_default().push(r);
        }
    }
    by_kind
        .into_iter()
        .map(|(kind, rs)| {
            let n = rs.len();
            let mean = |f: fn(&ScoredRow) -> f64| rs.iter().map(|r| f(r)).sum::<f64>() / n as f64;
            KindSummary {
                kind: kind.to_string(),
                n,
                mean_human: mean(|r| r.human),
                mean_predicted: mean(|r| r.predicted),
                flagged: rs.iter().filter(|r| r.flagged).count(),
            }
        })
        .collect()
}

/// Every pair of kinds whose mean human grades differ, the better kind first.
pub fn orderings(rows: &[ScoredRow]) -> Vec<KindOrdering> {
    let summaries = summaries(rows);
    let mut out = Vec::new();
    for a in &summaries {
        for b in &summaries {
            if a.mean_human > b.mean_human {
                if let Some(o) = ordering(rows, &a.kind, &b.kind) {
                    out.push(o);
                }
            }
        }
    }
    out.sort_by(|x, y| (&x.higher, &x.lower).cmp(&(&y.higher, &y.lower)));
    out
}

fn ordering(rows: &[ScoredRow], higher: &str, lower: &str) -> Option<KindOrdering> {
    let of_kind = |kind: &str| -> BTreeMap<&str, &ScoredRow> {
        rows.iter()
            .filter(|r| r.kind.as_deref() == Some(kind))
            .map(|r| (r.question.as_str(), r))
            .collect()
    };
    let (highs, lows) = (of_kind(higher), of_kind(lower));
    let pairs: Vec<(&ScoredRow, &ScoredRow)> = highs
        .iter()
        .filter_map(|(q, h)| lows.get(q).map(|l| (*h, *l)))
        .filter(|(h, l)| h.human > l.human)
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let right = pairs
        .iter()
        .filter(|(h, l)| h.predicted > l.predicted)
        .count();
    Some(KindOrdering {
        higher: higher.to_string(),
        lower: lower.to_string(),
        questions: pairs.len(),
        share: right as f64 / pairs.len() as f64,
    })
}

/// The tables for the terminal (nothing when no row has a kind).
pub fn render(rows: &[ScoredRow], scale: u32) -> Vec<String> {
    let summaries = summaries(rows);
    if summaries.is_empty() {
        return Vec::new();
    }
    let width = summaries
        .iter()
        .map(|s| s.kind.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut lines = vec![
        String::new(),
        format!("By kind of answer (scores on the human scale, 0–{scale}):"),
        format!(
            "  {:<width$}  {:>4}  {:>6}  {:>6}  {:>7}",
            "kind", "n", "human", "scorer", "flagged"
        ),
    ];
    for s in &summaries {
        lines.push(format!(
            "  {:<width$}  {:>4}  {:>6.2}  {:>6.2}  {:>7}",
            s.kind, s.n, s.mean_human, s.mean_predicted, s.flagged
        ));
    }
    let orders = orderings(rows);
    if !orders.is_empty() {
        lines.push(String::new());
        lines.push("Same question, better kind scored higher:".to_string());
        for o in orders {
            lines.push(format!(
                "  {} > {}: {:.0}% of {} questions",
                o.higher,
                o.lower,
                o.share * 100.0,
                o.questions
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(question: &str, kind: &str, human: f64, predicted: f64) -> ScoredRow {
        ScoredRow {
            line: 2,
            question: question.into(),
            kind: Some(kind.into()),
            human,
            predicted,
            flagged: false,
        }
    }

    #[test]
    fn orderings_count_questions_where_the_scorer_agrees() {
        let rows = [
            row("q1", "strong", 5.0, 4.0),
            row("q1", "list", 0.0, 1.0),
            row("q2", "strong", 5.0, 1.0),
            row("q2", "list", 0.0, 2.0),
            // Humans graded these two the same: the pair does not count.
            row("q3", "strong", 3.0, 1.0),
            row("q3", "list", 3.0, 2.0),
        ];
        let o = orderings(&rows);
        assert_eq!(o.len(), 1);
        assert_eq!(
            (o[0].higher.as_str(), o[0].lower.as_str()),
            ("strong", "list")
        );
        assert_eq!(o[0].questions, 2);
        assert!((o[0].share - 0.5).abs() < 1e-9);
        let s = summaries(&rows);
        assert_eq!(s[1].kind, "strong");
        assert!((s[1].mean_predicted - 2.0).abs() < 1e-9);
    }
}
