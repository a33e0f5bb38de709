//! How the candidate spoke, as opposed to what they said: pace, filler words and long pauses,
//! for a line of feedback on spoken answers. It reads only the transcript, so it is cheap and
//! deterministic; it is meant as a nudge, not a grade, and no score depends on it.
//!
//! The filler count is deliberately conservative: a transcript cannot hear intonation, and
//! telling a candidate they said "like" when they said "I like Redis" would cost more trust
//! than a missed filler costs feedback. Ambiguous words ("like", "you know", "kind of", "I
//! mean") count only in the shapes that are nearly always fillers.
//!
//! One voice message gives one [`Speaking`]; an answer spoken in several messages, or an
//! interview's spoken answers, are their [`Speaking::combine`]d sum.

use super::client::Transcript;

/// How the candidate spoke, over one or more voice messages.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Speaking {
    /// The voice messages (or, combined over an interview, the answers) this covers.
    pub messages: usize,
    /// Words said in the messages whose length is known, and that length: the pace is
    /// measured over these alone.
    pub timed_words: usize,
    pub timed_secs: f64,
    /// Each filler said, with its count, most frequent first; none said means empty.
    pub fillers: Vec<(String, usize)>,
    /// Gaps of [`LONG_PAUSE_SECS`] or more between segments.
    pub long_pauses: usize,
}

/// A pause this long mid-answer reads as lost thread rather than a breath.
const LONG_PAUSE_SECS: f64 = 2.0;
/// About the pace of conversational English; outside it, the summary says so.
const USUAL_PACE: std::ops::RangeInclusive<u32> = 120..=160;

/// The fillers, in the order ties are listed.
const FILLERS: [&str; 12] = [
    "um",
    "uh",
    "erm",
    "er",
    "hmm",
    "like",
    "you know",
    "sort of",
    "kind of",
    "basically",
    "actually",
    "I mean",
];

/// `duration_secs`: the voice message's own length (Discord's attachment `duration_secs`),
/// else the transcript's; under a second, or not finite, counts as unknown. Fillers: "um",
/// "uh", "erm", "er", "hmm", "like" (only as a filler), "you know", "sort of", "kind of",
/// "basically", "actually", "I mean", case-insensitive whole words, most frequent first. Long
/// pauses: gaps of 2 s or more between one segment's end and the next one's start.
pub fn speaking(transcript: &Transcript, duration_secs: Option<f64>) -> Speaking {
    let words = Words::of(&transcript.text);
    let duration = duration_secs
        .filter(|d| d.is_finite() && *d >= 1.0)
        .or(transcript.duration_secs)
        .filter(|d| d.is_finite() && *d >= 1.0);
    let long_pauses = transcript
        .segments
        .windows(2)
        .filter(|pair| pair[1].start - pair[0].end >= LONG_PAUSE_SECS)
        .count();
    Speaking {
        messages: 1,
        timed_words: if duration.is_some() { words.len() } else { 0 },
        timed_secs: duration.unwrap_or(0.0),
        fillers: words.fillers(),
        long_pauses,
    }
}

impl Speaking {
    /// Words over minutes, over the messages whose length is known; `None` when under a
    /// second of them is.
    pub fn words_per_minute(&self) -> Option<u32> {
        (self.timed_secs.is_finite() && self.timed_secs >= 1.0).then(|| {
            let wpm = self.timed_words as f64 / (self.timed_secs / 60.0);
            wpm.round().min(f64::from(u32::MAX)) as u32
        })
    }

    /// The sum of several: their messages, timed words and seconds, pauses and fillers (most
    /// frequent first, ties in the list's order). `None` for none.
    pub fn combine(all: impl IntoIterator<Item = Speaking>) -> Option<Speaking> {
        let mut all = all.into_iter();
        let mut sum = all.next()?;
        let mut counts = [0usize; FILLERS.len()];
        let mut add = |fillers: &[(String, usize)]| {
            for (filler, n) in fillers {
                if let Some(k) = FILLERS.iter().position(|f| f == filler) {
                    counts[k] += n;
                }
            }
        };
        add(&sum.fillers);
        for s in all {
            sum.messages += s.messages;
            sum.timed_words += s.timed_words;
            sum.timed_secs += s.timed_secs;
            sum.long_pauses += s.long_pauses;
            add(&s.fillers);
        }
        sum.fillers = ranked(counts);
        Some(sum)
    }

    /// One line for the candidate, e.g. "Pace: 142 words a minute · fillers: um ×2, you know
    /// ×1 · 1 long pause". The pace is left out when unknown, and pauses when there were none
    /// (a server without timed segments cannot tell); a pace outside the usual conversational
    /// range gets a short hint.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(wpm) = self.words_per_minute() {
            let hint = if wpm < *USUAL_PACE.start() {
                " (on the slow side; about 120–160 is usual in conversation)"
            } else if wpm > *USUAL_PACE.end() {
                " (on the fast side; about 120–160 is usual in conversation)"
            } else {
                ""
            };
            parts.push(format!("pace: {wpm} words a minute{hint}"));
        }
        if self.fillers.is_empty() {
            parts.push("no fillers".to_string());
        } else {
            let list: Vec<String> = self
                .fillers
                .iter()
                .map(|(filler, n)| format!("{filler} ×{n}"))
                .collect();
            parts.push(format!("fillers: {}", list.join(", ")));
        }
        match self.long_pauses {
            0 => {}
            1 => parts.push("1 long pause".to_string()),
            n => parts.push(format!("{n} long pauses")),
        }
        let line = parts.join(" · ");
        let mut chars = line.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => line,
        }
    }
}

/// Counts in [`FILLERS`]' order as (filler, count), most frequent first, ties in that order.
fn ranked(counts: [usize; FILLERS.len()]) -> Vec<(String, usize)> {
    let mut fillers: Vec<(String, usize)> = FILLERS
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(f, n)| (f.to_string(), n))
        .collect();
    // Stable: ties keep the list's order.
    fillers.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    fillers
}

/// A transcript as lower-case words, with what stands between them, so that phrases can be
/// required to be unbroken ("you know", not "you. Know") and a comma after a word noticed.
struct Words {
    words: Vec<String>,
    /// `gaps[i]` is the punctuation before word `i` (whitespace removed); `gaps[len]` is what
    /// follows the last word.
    gaps: Vec<String>,
}

impl Words {
    fn of(text: &str) -> Words {
        let (mut words, mut gaps) = (Vec::new(), vec![String::new()]);
        let mut word = String::new();
        // Apostrophes and hyphens inside a word keep it whole: "don't", "B-tree".
        let inner = |c: char| matches!(c, '\'' | '’' | '-');
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let joins = c.is_alphanumeric()
                || (inner(c)
                    && !word.is_empty()
                    && chars.peek().is_some_and(|n| n.is_alphanumeric()));
            if joins {
                word.extend(c.to_lowercase().map(|c| if c == '’' { '\'' } else { c }));
                continue;
            }
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
                gaps.push(String::new());
            }
            if !c.is_whitespace() {
                if let Some(gap) = gaps.last_mut() {
                    gap.push(c);
                }
            }
        }
        if !word.is_empty() {
            words.push(word);
            gaps.push(String::new());
        }
        Words { words, gaps }
    }

    fn len(&self) -> usize {
        self.words.len()
    }

    fn word(&self, i: usize) -> &str {
        self.words.get(i).map_or("", String::as_str)
    }

    /// Word `i` is followed by punctuation or ends the text.
    fn ends_clause(&self, i: usize) -> bool {
        i + 1 >= self.len() || !self.gaps[i + 1].is_empty()
    }

    /// Word `i` follows punctuation or starts the text.
    fn starts_clause(&self, i: usize) -> bool {
        i == 0 || !self.gaps[i].is_empty()
    }

    fn comma_after(&self, i: usize) -> bool {
        self.gaps.get(i + 1).is_some_and(|g| g.contains(','))
    }

    /// Word `i` and the one after it are said as one phrase, nothing between them.
    fn joined(&self, i: usize) -> bool {
        i + 1 < self.len() && self.gaps[i + 1].is_empty()
    }

    /// Word `i` is followed by `next`, as one phrase.
    fn followed_by(&self, i: usize, next: &str) -> bool {
        self.joined(i) && self.word(i + 1) == next
    }

    /// The word before `i`, when nothing stands between them.
    fn word_before(&self, i: usize) -> Option<&str> {
        (i > 0 && self.gaps[i].is_empty()).then(|| self.word(i - 1))
    }

    fn fillers(&self) -> Vec<(String, usize)> {
        let mut counts = [0usize; FILLERS.len()];
        let mut count = |filler: &str| {
            if let Some(k) = FILLERS.iter().position(|f| *f == filler) {
                counts[k] += 1;
            }
        };
        for i in 0..self.len() {
            let w = self.word(i);
            if let Some(hesitation) = hesitation(w) {
                count(hesitation);
            }
            match w {
                "basically" | "actually" => count(w),
                "like" if self.filler_like(i) => count("like"),
                "you" if self.filler_you_know(i) => count("you know"),
                "sort" if self.filler_kind_of(i) => count("sort of"),
                "kind" if self.filler_kind_of(i) => count("kind of"),
                "i" if self.filler_i_mean(i) => count("I mean"),
                _ => {}
            }
        }
        ranked(counts)
    }

    /// "like," ("it's like, a cache") or "I mean, like", but not the verb ("I like Redis",
    /// "I'd like, say, …") or a comparison ("looks like, um, a tree").
    fn filler_like(&self, i: usize) -> bool {
        let after_i_mean = i >= 2
            && self.word(i - 2) == "i"
            && self.word(i - 1) == "mean"
            && self.joined(i - 2)
            && self.comma_after(i - 1);
        if after_i_mean {
            return true;
        }
        const VERB_CONTEXT: [&str; 24] = [
            "i", "you", "we", "they", "would", "really", "don't", "didn't", "do", "does",
            "doesn't", "i'd", "we'd", "you'd", "they'd", "look", "looks", "looked", "feel",
            "feels", "seem", "seems", "sound", "sounds",
        ];
        let verb = self
            .word_before(i)
            .is_some_and(|before| VERB_CONTEXT.contains(&before));
        self.comma_after(i) && !verb
    }

    /// "…, you know, …" or "…, you know." — not "do you know the answer?" or "you know
    /// the cost".
    fn filler_you_know(&self, i: usize) -> bool {
        const ASKING: [&str; 13] = [
            "do", "don't", "did", "didn't", "does", "if", "would", "will", "can", "could", "what",
            "as", "that",
        ];
        let asked = self.word_before(i).is_some_and(|b| ASKING.contains(&b));
        self.followed_by(i, "know") && self.ends_clause(i + 1) && !asked
    }

    /// A hedge ("it's kind of slow"), not a category ("what kind of index", "this sort of
    /// problem").
    fn filler_kind_of(&self, i: usize) -> bool {
        const DETERMINERS: [&str; 27] = [
            "a",
            "an",
            "the",
            "this",
            "that",
            "these",
            "those",
            "what",
            "which",
            "some",
            "any",
            "every",
            "each",
            "one",
            "no",
            "same",
            "other",
            "another",
            "different",
            "right",
            "wrong",
            "particular",
            "certain",
            "my",
            "your",
            "our",
            "their",
        ];
        let category = self
            .word_before(i)
            .is_some_and(|b| DETERMINERS.contains(&b));
        self.followed_by(i, "of") && !category
    }

    /// "I mean, …" or "…. I mean it's …" at the start of a clause — not "what I mean is" or
    /// "I mean that …".
    fn filler_i_mean(&self, i: usize) -> bool {
        if !self.followed_by(i, "mean") {
            return false;
        }
        if self.comma_after(i + 1) {
            return true;
        }
        const MEANING: [&str; 8] = ["that", "to", "by", "what", "it", "is", "when", "the"];
        self.starts_clause(i) && !self.ends_clause(i + 1) && !MEANING.contains(&self.word(i + 2))
    }
}

/// "um", "umm", "uh", "uhh", "hm", "hmm", "erm", "er" as their filler; anything else `None`.
fn hesitation(word: &str) -> Option<&'static str> {
    let rest_all = |first: char, repeated: char| {
        let mut chars = word.chars();
        chars.next() == Some(first) && {
            let rest = chars.as_str();
            !rest.is_empty() && rest.chars().all(|c| c == repeated)
        }
    };
    if rest_all('u', 'm') {
        Some("um")
    } else if rest_all('u', 'h') {
        Some("uh")
    } else if rest_all('h', 'm') {
        Some("hmm")
    } else {
        match word {
            "erm" => Some("erm"),
            "er" => Some("er"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::Segment;

    fn transcript(text: &str) -> Transcript {
        Transcript {
            text: text.to_string(),
            duration_secs: None,
            segments: Vec::new(),
        }
    }

    fn fillers(text: &str) -> Vec<(String, usize)> {
        speaking(&transcript(text), None).fillers
    }

    fn owned(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(f, n)| (f.to_string(), *n)).collect()
    }

    #[test]
    fn pace_is_words_over_minutes() {
        let text = "word ".repeat(150);
        let mut t = transcript(&text);
        assert_eq!(speaking(&t, Some(60.0)).words_per_minute(), Some(150));
        assert_eq!(speaking(&t, Some(45.0)).words_per_minute(), Some(200));
        // No duration of its own: the transcript's.
        assert_eq!(speaking(&t, None).words_per_minute(), None);
        t.duration_secs = Some(90.0);
        assert_eq!(speaking(&t, None).words_per_minute(), Some(100));
        // The message's own length wins over the transcript's.
        assert_eq!(speaking(&t, Some(60.0)).words_per_minute(), Some(150));
        // Under a second, or nonsense, is no pace.
        t.duration_secs = None;
        assert_eq!(speaking(&t, Some(0.5)).words_per_minute(), None);
        assert_eq!(speaking(&t, Some(f64::NAN)).words_per_minute(), None);
        // Words, not punctuation or hyphenated halves.
        let t = transcript("A B-tree — it's, well, fast.");
        assert_eq!(speaking(&t, Some(60.0)).words_per_minute(), Some(5));
    }

    #[test]
    fn fillers_are_counted_case_insensitively_most_frequent_first() {
        assert_eq!(
            fillers("Um, so an index is, uh, basically a B-tree. Umm, you know, it's UM sorted."),
            owned(&[("um", 3), ("uh", 1), ("you know", 1), ("basically", 1)])
        );
        assert_eq!(
            fillers("Hmm. Er, erm, actually it's sort of slow and kind of costly. I mean, yeah."),
            owned(&[
                ("erm", 1),
                ("er", 1),
                ("hmm", 1),
                ("sort of", 1),
                ("kind of", 1),
                ("actually", 1),
                ("I mean", 1),
            ])
        );
        assert!(fillers("An index speeds up reads at the cost of writes.").is_empty());
        // Whole words only.
        assert!(fillers("The umbrella, the user, the hummus, the error.").is_empty());
    }

    #[test]
    fn like_counts_only_as_a_filler() {
        assert!(fillers("I like Redis because it is fast.").is_empty());
        assert!(fillers("I like, really like Redis.").is_empty());
        assert!(fillers("It looks like, a tree.").is_empty());
        assert!(fillers("Systems like Redis and Memcached.").is_empty());
        assert_eq!(
            fillers("It's like, a cache, like, in memory."),
            owned(&[("like", 2)])
        );
        assert_eq!(
            fillers("I mean, like it stores keys."),
            owned(&[("like", 1), ("I mean", 1)])
        );
    }

    #[test]
    fn ambiguous_phrases_count_only_as_fillers() {
        assert!(fillers("Do you know the answer?").is_empty());
        assert!(fillers("You know the cost of a scan.").is_empty());
        assert!(fillers("What kind of index is this sort of problem?").is_empty());
        assert!(fillers("What I mean is that it is sorted.").is_empty());
        assert!(fillers("I mean that literally.").is_empty());
        assert_eq!(fillers("It is fast, you know."), owned(&[("you know", 1)]));
        assert_eq!(fillers("It is, you know, fast."), owned(&[("you know", 1)]));
        assert_eq!(fillers("I mean it's sorted."), owned(&[("I mean", 1)]));
        // Broken by punctuation, it is not the phrase.
        assert!(fillers("Did you? Know what, no.").is_empty());
    }

    #[test]
    fn long_pauses_are_gaps_between_segments() {
        let seg = |start: f64, end: f64| Segment {
            start,
            end,
            text: "x".into(),
        };
        let mut t = transcript("x x x x");
        t.segments = vec![seg(0.0, 2.0), seg(4.0, 5.0), seg(6.9, 8.0), seg(11.5, 12.0)];
        assert_eq!(speaking(&t, None).long_pauses, 2);
        t.segments.clear();
        assert_eq!(speaking(&t, None).long_pauses, 0);
    }

    fn said(wpm: Option<u32>, fillers: &[(&str, usize)], long_pauses: usize) -> Speaking {
        Speaking {
            messages: 1,
            timed_words: wpm.map_or(0, |w| w as usize),
            timed_secs: if wpm.is_some() { 60.0 } else { 0.0 },
            fillers: owned(fillers),
            long_pauses,
        }
    }

    #[test]
    fn summaries() {
        let d = said(Some(142), &[("um", 2), ("you know", 1)], 1);
        assert_eq!(
            d.summary(),
            "Pace: 142 words a minute · fillers: um ×2, you know ×1 · 1 long pause"
        );
        assert_eq!(said(None, &[], 0).summary(), "No fillers");
        assert_eq!(
            said(Some(190), &[], 3).summary(),
            "Pace: 190 words a minute (on the fast side; about 120–160 is usual in \
             conversation) · no fillers · 3 long pauses"
        );
        let slow = said(Some(90), &[], 0);
        assert!(slow.summary().contains("slow side"), "{}", slow.summary());
    }

    #[test]
    fn combined_pace_counts_only_timed_messages() {
        let timed = speaking(&transcript(&"word ".repeat(100)), Some(30.0));
        let untimed = speaking(&transcript(&"word ".repeat(500)), None);
        let both = Speaking::combine([timed.clone(), untimed.clone(), timed]).expect("three");
        assert_eq!(both.messages, 3);
        // 200 words over a minute; the untimed message's 500 words do not dilute it.
        assert_eq!(both.words_per_minute(), Some(200));
        assert_eq!(
            Speaking::combine([untimed]).and_then(|s| s.words_per_minute()),
            None
        );
        assert_eq!(Speaking::combine(Vec::new()), None);
    }

    #[test]
    fn combined_fillers_and_pauses_add_up() {
        let a = said(None, &[("like", 1), ("um", 1)], 1);
        let b = said(None, &[("um", 2), ("I mean", 1)], 2);
        let c = said(None, &[("like", 1)], 0);
        let sum = Speaking::combine([a, b, c]).expect("three");
        assert_eq!(sum.fillers, owned(&[("um", 3), ("like", 2), ("I mean", 1)]));
        assert_eq!(sum.long_pauses, 3);
    }
}
