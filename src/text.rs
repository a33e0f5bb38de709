//! Text cut to a size for a reader: on a character boundary (never inside a multi-byte
//! character, which would panic), with trailing space dropped, and ending in "…" so the reader
//! can tell something was left out. Discord's limits, which this serves most, are counted in
//! characters, so `max` is too. (Text cut for a machine, a TTS input or a slug, takes no
//! ellipsis and is cut where it is used.)

/// The mark that ends text which was cut.
pub const ELLIPSIS: char = '…';

/// `text` cut to at most `max` characters, ending in "…" when anything was cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let Some(kept) = max.checked_sub(1) else {
        return String::new();
    };
    // The kept part is one character short of `max`: the ellipsis takes the last place.
    let end = text
        .char_indices()
        .nth(kept)
        .map_or(text.len(), |(at, _)| at);
    let mut out = text[..end].trim_end().to_owned();
    out.push(ELLIPSIS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_left_alone() {
        assert_eq!(cut("hello", 5), "hello");
        assert_eq!(cut("", 3), "");
    }

    #[test]
    fn long_text_is_cut_to_the_limit_with_an_ellipsis() {
        let out = cut("abcdefghij", 5);
        assert_eq!(out, "abcd…");
        assert_eq!(out.chars().count(), 5);
        assert_eq!(cut("abc", 0), "");
    }

    #[test]
    fn multi_byte_text_is_cut_on_a_character_boundary() {
        let text = "é".repeat(300) + "日本語のテキスト🙂🙂🙂";
        let out = cut(&text, 256);
        assert_eq!(out.chars().count(), 256);
        assert!(out.ends_with('…'));
        assert_eq!(cut("🙂🙂🙂🙂", 3), "🙂🙂…");
    }

    #[test]
    fn space_before_the_cut_is_dropped() {
        assert_eq!(cut("one two three", 5), "one…");
    }
}
