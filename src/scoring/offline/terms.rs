//! How rare each word is across the bank, so that rare terms weigh more when the scorer works
//! from statements and model answers rather than curated concepts.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use crate::scoring::text::tokenize;

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

/// Like `weighted_terms`, with the word each stem was first written as.
pub(super) fn weighted_words(
    text: &str,
    stats: &TermStats,
    limit: usize,
) -> Vec<(String, f32, String)> {
    let mut seen = HashSet::default();
    let mut terms: Vec<(String, f32, String)> = tokenize(text)
        .into_iter()
        .filter(|t| !t.stop && t.stem.chars().count() > 1)
        .filter(|t| seen.insert(t.stem.clone()))
        .map(|t| {
            let idf = stats.idf(&t.stem);
            (t.stem.to_string(), idf, text[t.span.clone()].to_lowercase())
        })
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(limit);
    terms
}

/// The distinct content stems of a text with their rarity, rarest first, at most `limit`.
pub(super) fn weighted_terms(text: &str, stats: &TermStats, limit: usize) -> Vec<(String, f32)> {
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
