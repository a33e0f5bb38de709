//! Text as the offline scorer sees it: Unicode-normalised, lower-cased words reduced to their
//! stems, with sentence boundaries kept. Phrases from the rubric go through the same pipeline so
//! that "indexes" in an answer meets "index" in a concept.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use rustc_hash::FxHashMap as HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// A word's stem, and whether the word is a stop word.
type Stemmed = (Arc<str>, bool);

thread_local! {
    // Stemming dominates scoring time; answers reuse a small vocabulary, so a cache pays.
    static STEM_CACHE: RefCell<HashMap<Box<str>, Stemmed>> = RefCell::new(HashMap::default());
}

const STEM_CACHE_LIMIT: usize = 100_000;

/// Common English function words: they carry no topic, but their share tells prose from a list.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as",
    "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else",
    "even", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "let", "may", "me", "might", "more", "most", "much", "must", "my", "no", "nor", "not",
    "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over",
    "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
];

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub stem: Arc<str>,
    pub stop: bool,
    /// Index of the sentence the word is in.
    pub sentence: u32,
    /// Where the word is in the original text (bytes), so evidence can be quoted as written.
    pub span: Range<usize>,
}

/// The stem of a lower-case word, and whether it is a stop word.
fn stem(word: &str) -> Stemmed {
    STEM_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(word) {
            return s.clone();
        }
        if cache.len() >= STEM_CACHE_LIMIT {
            cache.clear();
        }
        let entry: Stemmed = (STEMMER.stem(word).into(), is_stop_word(word));
        cache.insert(word.into(), entry.clone());
        entry
    })
}

/// Lower-cased and compatibility-normalised ("ＪＷＴ" is "jwt", "ﬁ" is "fi").
fn normalise(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.to_lowercase()
    } else {
        text.nfkc().collect::<String>().to_lowercase()
    }
}

/// A punctuation or space character as its compatibility form ("．" is ".").
fn normalise_mark(c: char) -> char {
    if c.is_ascii() {
        c
    } else {
        c.nfkc().next().unwrap_or(c)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Splits text into words (runs of letters and digits) and sentences.
///
/// A sentence ends at `.`, `!`, `?`, `;`, a blank line or a list bullet at the start of a line;
/// a dot between two word characters ("e.g", "3.5", "node.js") does not end one.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut sentence = 0u32;
    let mut word_start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    let mut prev = ' ';
    let mut line_start = true;
    let mut pending_break = false;
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            if word_start.is_none() {
                if pending_break && !tokens.is_empty() {
                    sentence += 1;
                }
                word_start = Some(i);
            }
            pending_break = false;
            line_start = false;
        } else {
            if let Some(start) = word_start.take() {
                push_word(&mut tokens, text, start..i, sentence);
            }
            let c = normalise_mark(c);
            let next = chars.peek().map_or(' ', |&(_, n)| n);
            match c {
                '.' if prev.is_alphanumeric() && next.is_alphanumeric() => {}
                '.' | '!' | '?' | ';' => pending_break = true,
                '\n' => {
                    if line_start {
                        pending_break = true;
                    }
                    line_start = true;
                }
                '-' | '*' | '•' if line_start => pending_break = true,
                c if c.is_whitespace() => {}
                _ => line_start = false,
            }
        }
        prev = c;
    }
    if let Some(start) = word_start {
        push_word(&mut tokens, text, start..text.len(), sentence);
    }
    tokens
}

/// Pushes the words of one run of word characters (normalising may split it: "½" is "1⁄2").
fn push_word(tokens: &mut Vec<Token>, text: &str, span: Range<usize>, sentence: u32) {
    let normalised = normalise(&text[span.clone()]);
    for word in normalised.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let (stem, stop) = stem(word);
        tokens.push(Token {
            stem,
            stop,
            sentence,
            span: span.clone(),
        });
    }
}

/// The byte range of each sentence in the original text, from its first word to its last,
/// indexed by the tokens' `sentence`.
pub fn sentence_spans(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    for t in tokens {
        let i = t.sentence as usize;
        if i < spans.len() {
            spans[i].end = t.span.end;
        } else {
            spans.resize(i, 0..0);
            spans.push(t.span.clone());
        }
    }
    spans
}

/// The stems of a phrase, as the matcher compares them.
pub fn phrase_stems(phrase: &str) -> Vec<String> {
    tokenize(phrase)
        .into_iter()
        .map(|t| t.stem.to_string())
        .collect()
}

/// Where each stem occurs in a text, for fast phrase look-ups.
pub struct Index<'a> {
    tokens: &'a [Token],
    positions: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Index<'a> {
    /// Indexes the tokens that are not masked out (`usable[i] == false` hides token `i`).
    pub fn new(tokens: &'a [Token], usable: &[bool]) -> Index<'a> {
        let mut positions: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, t) in tokens.iter().enumerate() {
            if usable.get(i).copied().unwrap_or(true) {
                positions.entry(&t.stem).or_default().push(i);
            }
        }
        Index { tokens, positions }
    }

    /// Start positions of `phrase` (stems, adjacent, in order) among the usable tokens.
    pub fn find(&self, phrase: &[String]) -> Vec<usize> {
        let Some(first) = phrase.first() else {
            return Vec::new();
        };
        let Some(starts) = self.positions.get(first.as_str()) else {
            return Vec::new();
        };
        starts
            .iter()
            .copied()
            .filter(|&s| {
                phrase.iter().enumerate().skip(1).all(|(k, stem)| {
                    self.positions
                        .get(stem.as_str())
                        .is_some_and(|ps| ps.binary_search(&(s + k)).is_ok())
                })
            })
            .collect()
    }

    pub fn contains(&self, phrase: &[String]) -> bool {
        !self.find(phrase).is_empty()
    }

    pub fn tokens(&self) -> &'a [Token] {
        self.tokens
    }

    /// Positions of every usable token.
    pub fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.positions.values().flatten().copied()
    }

    pub fn contains_stem(&self, stem: &str) -> bool {
        self.positions.contains_key(stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn stems_make_inflections_meet() {
        assert_eq!(phrase_stems("indexes"), phrase_stems("index"));
        assert_eq!(phrase_stems("Indexing"), phrase_stems("index"));
        assert_eq!(phrase_stems("base-62"), phrase_stems("base 62"));
    }

    #[test]
    fn sentences_split_on_punctuation_and_bullets_but_not_inner_dots() {
        let t = tokenize("Use node.js here. Then stop!\n- a bullet\nplain");
        let sentences: Vec<u32> = t.iter().map(|t| t.sentence).collect();
        assert_eq!(sentences, vec![0, 0, 0, 0, 1, 1, 2, 2, 2]);
    }

    #[test]
    fn sentence_spans_quote_the_original_text() {
        let text = "Ｉｎｄｅｘｅｓ help. They cost writes!\n- café au lait";
        let tokens = tokenize(text);
        let quoted: Vec<&str> = sentence_spans(&tokens)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            quoted,
            ["Ｉｎｄｅｘｅｓ help", "They cost writes", "café au lait"]
        );
        assert_eq!(tokens[0].stem, phrase_stems("index")[0].as_str().into());
    }

    #[test]
    fn full_width_and_compatibility_characters_are_normalised() {
        assert_eq!(phrase_stems("ＪＷＴ"), phrase_stems("jwt"));
    }

    #[test]
    fn phrases_match_only_adjacent_and_in_order() {
        let tokens = tokenize("a full table scan reads rows");
        let index = Index::new(&tokens, &[]);
        assert!(index.contains(&phrase_stems("table scans")));
        assert!(!index.contains(&phrase_stems("scan table")));
        assert!(!index.contains(&phrase_stems("full scan")));
    }

    #[test]
    fn masked_tokens_are_invisible() {
        let tokens = tokenize("copied words then mine");
        let index = Index::new(&tokens, &[false, false, true, true]);
        assert!(!index.contains(&phrase_stems("copied")));
        assert!(index.contains(&phrase_stems("mine")));
    }
}
