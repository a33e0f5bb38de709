//! Errors as the log shows them: the whole chain of causes on one line, with the secrets an
//! error may carry taken out; and as a member reads them: one capitalised sentence.

/// A reason (an error's message, "the last answer is still being scored") as a sentence for a
/// member: capital first letter, closing full stop.
pub fn sentence(why: &str) -> String {
    let mut chars = why.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut text: String = first.to_uppercase().chain(chars).collect();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

/// An error and its causes, one after another, for the log. Interaction tokens are blanked:
/// an HTTP error names the URL it failed on, and a webhook or interaction URL carries a token
/// that lets anyone answer as the bot for 15 minutes.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    without_tokens(&text)
}

/// `text` with the token of every webhook or interaction URL replaced by `[token]`.
pub fn without_tokens(text: &str) -> String {
    static TOKEN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(/(?:webhooks|interactions)/\d+/)[^/\s?)]+").expect("valid regex")
    });
    TOKEN.replace_all(text, "${1}[token]").into_owned()
}

#[cfg(test)]
mod tests {
    use super::{sentence, without_tokens};

    #[test]
    fn reasons_read_as_sentences() {
        assert_eq!(
            sentence("the last answer is still being scored"),
            "The last answer is still being scored."
        );
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(sentence("  unknown track \"x\"  "), "Unknown track \"x\".");
        assert_eq!(sentence("really?"), "Really?");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn interaction_tokens_are_blanked_in_logged_errors() {
        let error = "error sending request for url \
            (https://discord.com/api/v10/webhooks/100/aW50ZXJhY3Rpb246MTIz.x-y_z/messages/@original): \
            connection reset; POST /api/v10/interactions/555/c2VjcmV0/callback failed";
        let clean = without_tokens(error);
        assert!(!clean.contains("aW50ZXJhY3Rpb246MTIz"), "{clean}");
        assert!(!clean.contains("c2VjcmV0"), "{clean}");
        assert!(
            clean.contains("/webhooks/100/[token]/messages/@original"),
            "{clean}"
        );
        assert!(
            clean.contains("/interactions/555/[token]/callback"),
            "{clean}"
        );
        assert_eq!(
            without_tokens("channel 42: Missing Access"),
            "channel 42: Missing Access"
        );
    }
}
