//! The review scale: which reactions count as a review and what each is worth. A guild keeps
//! its own scale (emoji → value, −5..5, at most ten emoji) or uses the default (👍 +1, 👎 −1,
//! ⭐ +2). Emoji are matched by what they mean rather than by their exact characters: Discord
//! clients send "⭐" with or without the variation selector U+FE0F, and a 👍🏽 is a 👍 whatever
//! its skin tone; a server's custom emoji (`name:id`) is matched by its id, which survives a
//! rename. Pure, so every rule here is a unit test.

use std::collections::BTreeMap;

/// The lowest value an emoji can be worth.
pub const MIN_VALUE: i16 = -5;
/// The highest value an emoji can be worth.
pub const MAX_VALUE: i16 = 5;
/// The most emoji a scale can hold: enough for a rubric, few enough to read at a glance.
pub const MAX_EMOJI: usize = 10;

/// The scale a guild that never configured one uses.
pub fn default_scale() -> BTreeMap<String, i16> {
    BTreeMap::from([
        ("👍".to_owned(), 1),
        ("👎".to_owned(), -1),
        ("⭐".to_owned(), 2),
    ])
}

/// What an organiser's change to the scale got wrong, in words they can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaleError {
    #[error(
        "`{0}` is not an emoji. Give one emoji, such as 👍, or one of this server's own emoji."
    )]
    NotAnEmoji(String),
    #[error("{value} is out of range: an emoji is worth from {MIN_VALUE} to {MAX_VALUE}.")]
    OutOfRange { value: i64 },
    #[error(
        "The scale already holds {MAX_EMOJI} emoji, the most it can. Remove one first with \
         `/reviews remove`."
    )]
    TooMany,
    #[error("{0} is not on the scale, so there is nothing to remove.")]
    NotOnScale(String),
}

/// An emoji reduced to what identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    /// A Unicode emoji without variation selectors or skin tones.
    Unicode(String),
    /// A server's custom emoji, by id.
    Custom(u64),
}

/// A scale ready for matching reactions against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    entries: Vec<(String, Key, i16)>,
}

impl Scale {
    /// The guild's configured scale, or the default one when it has none.
    pub fn new(configured: Option<&BTreeMap<String, i16>>) -> Scale {
        let map = configured.cloned().unwrap_or_else(default_scale);
        let entries = map
            .into_iter()
            // A scale is only ever saved through `with_emoji`, so every entry parses; one that
            // does not (edited by hand) is simply never matched.
            .filter_map(|(emoji, value)| key(&emoji).map(|key| (emoji, key, value)))
            .collect();
        Scale { entries }
    }

    /// What a reaction with this emoji (`👍🏽`, `⭐\u{fe0f}`, `name:id`) is worth; `None` when
    /// it is not on the scale.
    pub fn value(&self, emoji: &str) -> Option<i16> {
        let wanted = key(emoji)?;
        self.entries
            .iter()
            .find(|(_, key, _)| *key == wanted)
            .map(|(_, _, value)| *value)
    }

    /// The emoji, each as Discord shows it in a message, with its value; highest value first.
    pub fn entries(&self) -> Vec<(String, i16)> {
        let mut shown: Vec<(String, i16)> = self
            .entries
            .iter()
            .map(|(emoji, _, value)| (display(emoji), *value))
            .collect();
        shown.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        shown
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The guild's scale with `emoji` set to `value`: replaces the same emoji in any spelling (a
/// ⭐ set again as "⭐\u{fe0f}" is one entry, not two), starting from the default scale when the
/// guild has none.
pub fn with_emoji(
    configured: Option<&BTreeMap<String, i16>>,
    emoji: &str,
    value: i64,
) -> Result<BTreeMap<String, i16>, ScaleError> {
    let stored = canonical(emoji)?;
    let value = i16::try_from(value)
        .ok()
        .filter(|v| (MIN_VALUE..=MAX_VALUE).contains(v))
        .ok_or(ScaleError::OutOfRange { value })?;
    let mut map = without_key(configured, &stored);
    if map.len() >= MAX_EMOJI {
        return Err(ScaleError::TooMany);
    }
    map.insert(stored, value);
    Ok(map)
}

/// The guild's scale without `emoji` (in any spelling).
pub fn without_emoji(
    configured: Option<&BTreeMap<String, i16>>,
    emoji: &str,
) -> Result<BTreeMap<String, i16>, ScaleError> {
    let stored = canonical(emoji)?;
    let before = configured.map_or_else(|| default_scale().len(), BTreeMap::len);
    let map = without_key(configured, &stored);
    if map.len() == before {
        return Err(ScaleError::NotOnScale(display(&stored)));
    }
    Ok(map)
}

/// The configured (or default) scale minus any entry with the same key as `stored`.
fn without_key(configured: Option<&BTreeMap<String, i16>>, stored: &str) -> BTreeMap<String, i16> {
    let mut map = configured.cloned().unwrap_or_else(default_scale);
    let wanted = key(stored);
    map.retain(|emoji, _| key(emoji) != wanted);
    map
}

/// How an emoji typed by an organiser is kept on the scale: a Unicode emoji in its base form,
/// a custom emoji as `name:id` (what a slash command receives as `<:name:id>` or `<a:name:id>`).
pub fn canonical(input: &str) -> Result<String, ScaleError> {
    let text = input.trim();
    if let Some((name, id)) = custom_parts(text) {
        return Ok(format!("{name}:{id}"));
    }
    let base = base_form(text);
    if is_one_emoji(&base) {
        Ok(base)
    } else {
        Err(ScaleError::NotAnEmoji(text.to_owned()))
    }
}

/// An emoji as a message shows it: a custom `name:id` becomes `<:name:id>`.
pub fn display(emoji: &str) -> String {
    match custom_parts(emoji) {
        Some((name, id)) => format!("<:{name}:{id}>"),
        None => emoji.to_owned(),
    }
}

fn key(emoji: &str) -> Option<Key> {
    if let Some((_, id)) = custom_parts(emoji.trim()) {
        return Some(Key::Custom(id));
    }
    let base = base_form(emoji.trim());
    (!base.is_empty()).then_some(Key::Unicode(base))
}

/// `name:id`, `<:name:id>` or `<a:name:id>` → (name, id).
fn custom_parts(text: &str) -> Option<(&str, u64)> {
    let inner = match text.strip_prefix('<') {
        Some(rest) => {
            let rest = rest.strip_suffix('>')?;
            rest.strip_prefix("a:").or_else(|| rest.strip_prefix(':'))?
        }
        None => text,
    };
    let (name, id) = inner.rsplit_once(':')?;
    let name_ok = name.len() <= 32 && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    if !(name_ok && id_ok) {
        return None;
    }
    Some((name, id.parse().ok()?))
}

/// Variation selectors only pick text or picture presentation, and skin tones only the colour:
/// neither changes what a reaction says.
fn base_form(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}'))
        .collect()
}

const ZWJ: char = '\u{200D}';
const KEYCAP: char = '\u{20E3}';

/// Whether `base` (already without variation selectors) is a single emoji. Without a Unicode
/// segmentation table this is an approximation that errs towards accepting: no letters, digits
/// (but keycaps), spaces or ASCII; one symbol, or symbols joined by ZWJ, or one flag.
fn is_one_emoji(base: &str) -> bool {
    let chars: Vec<char> = base.chars().collect();
    if chars.is_empty() || chars.len() > 16 {
        return false;
    }
    if let [first, KEYCAP] = chars[..] {
        return first.is_ascii_digit() || first == '#' || first == '*';
    }
    let plain = |c: &char| c.is_ascii() || c.is_alphanumeric() || c.is_whitespace();
    if chars.iter().any(|c| plain(c) || c.is_control()) {
        return false;
    }
    let regional = |c: &char| ('\u{1F1E6}'..='\u{1F1FF}').contains(c);
    if chars.iter().all(regional) {
        return chars.len() == 2;
    }
    let tag = |c: &char| ('\u{E0020}'..='\u{E007F}').contains(c);
    // Symbols that start a new emoji: not a joiner, not a tag, not right after a joiner.
    let mut starts = 0;
    for (i, c) in chars.iter().enumerate() {
        let joined = i > 0 && chars[i - 1] == ZWJ;
        if *c != ZWJ && !tag(c) && !joined {
            starts += 1;
        }
    }
    starts == 1
}

#[cfg(test)]
#[path = "scale_tests.rs"]
mod tests;
