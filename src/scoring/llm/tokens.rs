//! Token counts with OpenAI's `o200k_base` encoding (tiktoken-rs): for the budget check before
//! a call, and for usage when a server reports none. Other models' tokenizers differ by a few
//! per cent, which is close enough for a daily budget. The encoding is built on first use
//! (a few hundred milliseconds), so processes that never need a count never pay for it.

use super::prompt::Message;

/// Tokens a chat request's messages take: their text plus OpenAI's documented overhead of
/// about 3 tokens per message and 3 for the reply's priming.
pub fn count_messages(messages: &[Message]) -> u32 {
    let text: u32 = messages.iter().map(|m| count(&m.content) + 3).sum();
    text + 3
}

/// Tokens in a text.
pub fn count(text: &str) -> u32 {
    let bpe = tiktoken_rs::o200k_base_singleton();
    u32::try_from(bpe.encode_ordinary(text).len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_plausible() {
        assert_eq!(count(""), 0);
        let n = count("An index is a separate data structure, usually a B-tree.");
        assert!((10..=16).contains(&n), "{n}");
        let m = [Message {
            role: "user",
            content: "hello".into(),
        }];
        assert_eq!(count_messages(&m), count("hello") + 6);
    }
}
