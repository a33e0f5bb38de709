//! How long an answer may grow. An answer spans the candidate's messages until it is submitted;
//! without a limit it would grow with every message, be rewritten whole on each, and go whole
//! into the LLM's prompt. The limit is generous for a spoken-length answer (a strong one runs
//! 150–600 words, under 4,000 characters) and a message past it is never cut silently: it is
//! left out, the candidate is told, and the answer is submitted as it stood.

/// The most an answer may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimit {
    /// Characters (Unicode scalar values), counting one line break between messages.
    pub chars: usize,
    pub messages: usize,
}

/// The limit for interview and question-of-the-day answers.
pub const ANSWER_LIMIT: AnswerLimit = AnswerLimit {
    chars: 8_000,
    messages: 40,
};

impl AnswerLimit {
    /// How the limit reads to a candidate.
    pub fn describe(&self) -> String {
        format!(
            "{} characters or {} messages",
            thousands(self.chars),
            self.messages
        )
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_reads_with_thousands_separated() {
        assert_eq!(ANSWER_LIMIT.describe(), "8,000 characters or 40 messages");
    }
}
