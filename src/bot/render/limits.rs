//! Discord's size limits, and the one place text is cut to fit them. Discord refuses a whole
//! message when any part of an embed is too long, so every renderer builds its embed through
//! [`EmbedText`], which cuts each part on a character boundary with "…" and then shares the
//! embed's 6000-character total among the parts, longest first.

use serenity::all::{CreateEmbed, CreateEmbedFooter};

pub use crate::text::cut;
use crate::text::ELLIPSIS;

pub const TITLE: usize = 256;
pub const DESCRIPTION: usize = 4096;
pub const FIELD_NAME: usize = 256;
pub const FIELD_VALUE: usize = 1024;
pub const FOOTER: usize = 2048;
pub const FIELDS: usize = 25;
pub const EMBED_TOTAL: usize = 6000;
pub const CONTENT: usize = 2000;
pub const CUSTOM_ID: usize = 100;
pub const THREAD_NAME: usize = 100;

/// Discord refuses empty field names and values; a zero-width space shows as nothing.
const BLANK: &str = "\u{200b}";

/// What a member typed, quoted back in a reply: cut, so that a long option never pushes the
/// reply past Discord's limits (a reply that is refused tells the member nothing).
pub fn echo(text: &str) -> String {
    cut(text.trim(), ECHO)
}

/// The most of a member's own text a reply quotes back.
const ECHO: usize = 60;

/// Message content cut to Discord's limit.
pub fn content(text: &str) -> String {
    cut(text, CONTENT)
}

/// A bulleted list of at most `max` characters: whole items while they fit, then "… and N
/// more", so a long list still says how much was left out. An item longer than a line's share
/// is cut itself.
pub fn bullets<S: AsRef<str>>(items: &[S], max: usize) -> String {
    // Room kept for the "… and N more" line whenever an item might not fit.
    const MORE: usize = 24;
    let mut out = String::new();
    let mut used = 0;
    for (i, item) in items.iter().enumerate() {
        let left = items.len() - i - 1;
        let reserve = if left > 0 { MORE } else { 0 };
        let room = max.saturating_sub(used + reserve + usize::from(!out.is_empty()));
        // An item that others follow may take half the list at most, so one long item does
        // not hide the rest; a short line is always worth trying.
        let share = if left > 0 { room.min(max / 2) } else { room };
        let line = cut(&format!("• {}", item.as_ref()), share.max(80));
        let len = line.chars().count();
        if len > room {
            push_line(
                &mut out,
                &format!("{ELLIPSIS} and {} more", items.len() - i),
            );
            return cut(&out, max);
        }
        push_line(&mut out, &line);
        used += len + usize::from(used > 0);
    }
    out
}

fn push_line(out: &mut String, line: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(line);
}

/// An embed's text, assembled freely and cut to Discord's limits by [`EmbedText::build`].
/// Colour, image and the like go on the built `CreateEmbed`: they do not count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedText {
    title: String,
    description: Option<String>,
    fields: Vec<(String, String, bool)>,
    footer: Option<String>,
}

impl EmbedText {
    pub fn new(title: impl Into<String>) -> EmbedText {
        EmbedText {
            title: title.into(),
            ..EmbedText::default()
        }
    }

    pub fn description(mut self, text: impl Into<String>) -> EmbedText {
        self.description = Some(text.into());
        self
    }

    pub fn field(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        inline: bool,
    ) -> Self {
        self.fields.push((name.into(), value.into(), inline));
        self
    }

    pub fn footer(mut self, text: impl Into<String>) -> EmbedText {
        self.footer = Some(text.into());
        self
    }

    /// The embed, every part within its limit and the whole within 6000 characters.
    pub fn build(mut self) -> CreateEmbed {
        self.fields.truncate(FIELDS);
        let cap = self.share_cap();
        let fit = |text: &str, limit: usize| cut(text, limit.min(cap));
        let mut embed = CreateEmbed::new().title(fit(&self.title, TITLE));
        if let Some(text) = self.description.as_deref().filter(|t| !t.is_empty()) {
            embed = embed.description(fit(text, DESCRIPTION));
        }
        for (name, value, inline) in &self.fields {
            embed = embed.field(
                non_empty(fit(name, FIELD_NAME)),
                non_empty(fit(value, FIELD_VALUE)),
                *inline,
            );
        }
        if let Some(text) = self.footer.as_deref().filter(|t| !t.is_empty()) {
            embed = embed.footer(CreateEmbedFooter::new(fit(text, FOOTER)));
        }
        embed
    }

    /// Every part's length after its own limit.
    fn lengths(&self) -> Vec<usize> {
        let len = |text: &str, limit: usize| text.chars().count().min(limit);
        let mut lengths = vec![len(&self.title, TITLE)];
        lengths.extend(self.description.as_deref().map(|t| len(t, DESCRIPTION)));
        lengths.extend(self.footer.as_deref().map(|t| len(t, FOOTER)));
        for (name, value, _) in &self.fields {
            lengths.push(len(name, FIELD_NAME).max(1));
            lengths.push(len(value, FIELD_VALUE).max(1));
        }
        lengths
    }

    /// The longest any part may be so that the whole fits in 6000 characters: the largest cap
    /// that fits, so short parts stay whole and only the longest are cut.
    fn share_cap(&self) -> usize {
        let lengths = self.lengths();
        let total = |cap: usize| lengths.iter().map(|&l| l.min(cap)).sum::<usize>();
        if total(usize::MAX) <= EMBED_TOTAL {
            return usize::MAX;
        }
        // At most 53 parts, so a cap of 1 always fits; search for the largest that does.
        let (mut fits, mut too_big) = (1, DESCRIPTION);
        while too_big - fits > 1 {
            let mid = (fits + too_big) / 2;
            if total(mid) <= EMBED_TOTAL {
                fits = mid;
            } else {
                too_big = mid;
            }
        }
        fits
    }
}

fn non_empty(text: String) -> String {
    if text.trim().is_empty() {
        BLANK.to_owned()
    } else {
        text
    }
}

/// Characters an embed counts against its 6000, read back from its JSON: for tests.
#[cfg(test)]
pub fn embed_chars(embed: &serde_json::Value) -> usize {
    let len = |v: &serde_json::Value| v.as_str().map_or(0, |s| s.chars().count());
    let fields = embed["fields"].as_array().map_or(0, |fields| {
        fields
            .iter()
            .map(|f| len(&f["name"]) + len(&f["value"]))
            .sum()
    });
    len(&embed["title"]) + len(&embed["description"]) + len(&embed["footer"]["text"]) + fields
}

/// Asserts every limit Discord puts on an embed, from its JSON: for tests.
#[cfg(test)]
pub fn assert_valid_embed(embed: &serde_json::Value) {
    let len = |v: &serde_json::Value| v.as_str().map_or(0, |s| s.chars().count());
    assert!(len(&embed["title"]) <= TITLE, "title too long");
    assert!(
        len(&embed["description"]) <= DESCRIPTION,
        "description too long"
    );
    assert!(len(&embed["footer"]["text"]) <= FOOTER, "footer too long");
    let fields = embed["fields"].as_array().cloned().unwrap_or_default();
    assert!(fields.len() <= FIELDS, "too many fields");
    for field in &fields {
        assert!(
            (1..=FIELD_NAME).contains(&len(&field["name"])),
            "bad field name"
        );
        assert!(
            (1..=FIELD_VALUE).contains(&len(&field["value"])),
            "bad field value"
        );
    }
    assert!(
        embed_chars(embed) <= EMBED_TOTAL,
        "embed over 6000 characters"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_content_stays_under_two_thousand_characters() {
        assert_eq!(content(&"ß".repeat(5000)).chars().count(), CONTENT);
    }

    #[test]
    fn a_short_list_is_shown_whole() {
        assert_eq!(bullets(&["one", "two"], 100), "• one\n• two");
        assert_eq!(bullets::<&str>(&[], 100), "");
    }

    #[test]
    fn a_long_list_says_how_many_items_it_left_out() {
        let items: Vec<String> = (0..40)
            .map(|i| format!("point {i}: {}", "x".repeat(60)))
            .collect();
        let out = bullets(&items, FIELD_VALUE);
        assert!(out.chars().count() <= FIELD_VALUE);
        let shown = out.lines().filter(|l| l.starts_with('•')).count();
        assert!(shown >= 10, "{out}");
        assert!(
            out.ends_with(&format!("… and {} more", 40 - shown)),
            "{out}"
        );
    }

    #[test]
    fn one_very_long_item_is_cut_rather_than_dropped() {
        let out = bullets(&["y".repeat(5000)], FIELD_VALUE);
        assert!(out.starts_with("• yyy"));
        assert!(out.chars().count() <= FIELD_VALUE);
    }

    #[test]
    fn every_part_of_an_embed_is_cut_to_its_limit() {
        let embed = EmbedText::new("t".repeat(400))
            .description("d".repeat(5000))
            .field("n".repeat(300), "v".repeat(2000), false)
            .field("", "", true)
            .footer("f".repeat(3000))
            .build();
        let json = serde_json::to_value(&embed).unwrap();
        assert_valid_embed(&json);
        assert_eq!(json["fields"][1]["name"], BLANK);
    }

    #[test]
    fn an_embed_over_six_thousand_characters_cuts_its_longest_parts_first() {
        let mut text = EmbedText::new("Feedback").description("d".repeat(4096));
        for i in 0..30 {
            text = text.field(format!("field {i}"), "v".repeat(1024), false);
        }
        let json = serde_json::to_value(text.footer("short footer").build()).unwrap();
        assert_valid_embed(&json);
        assert_eq!(json["fields"].as_array().map(Vec::len), Some(FIELDS));
        assert_eq!(json["title"], "Feedback");
        assert_eq!(json["footer"]["text"], "short footer");
        assert!(
            embed_chars(&json) > EMBED_TOTAL - 60,
            "the budget is used, not wasted"
        );
    }
}
