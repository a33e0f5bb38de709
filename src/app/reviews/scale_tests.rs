use super::*;

fn scale(pairs: &[(&str, i16)]) -> BTreeMap<String, i16> {
    pairs.iter().map(|(e, v)| (e.to_string(), *v)).collect()
}

#[test]
fn the_default_scale_is_thumbs_up_thumbs_down_and_star() {
    let s = Scale::new(None);
    assert_eq!(s.value("👍"), Some(1));
    assert_eq!(s.value("👎"), Some(-1));
    assert_eq!(s.value("⭐"), Some(2));
    assert_eq!(s.value("🔥"), None);
    assert_eq!(
        s.entries(),
        [
            ("⭐".to_owned(), 2),
            ("👍".to_owned(), 1),
            ("👎".to_owned(), -1)
        ]
    );
}

#[test]
fn a_variation_selector_does_not_change_the_emoji() {
    let s = Scale::new(None);
    assert_eq!(s.value("⭐\u{fe0f}"), Some(2));
    assert_eq!(s.value("👍\u{fe0e}"), Some(1));
    let hearts = scale(&[("❤\u{fe0f}", 3)]);
    assert_eq!(Scale::new(Some(&hearts)).value("❤"), Some(3));
}

#[test]
fn every_skin_tone_of_a_thumb_counts_as_the_thumb() {
    let s = Scale::new(None);
    for tone in ["👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"] {
        assert_eq!(s.value(tone), Some(1), "{tone}");
    }
    assert_eq!(s.value("👎🏿"), Some(-1));
}

#[test]
fn custom_emoji_match_by_id_whatever_their_name() {
    let configured = scale(&[("blobyes:123", 2)]);
    let s = Scale::new(Some(&configured));
    assert_eq!(s.value("blobyes:123"), Some(2));
    assert_eq!(s.value("renamed:123"), Some(2), "a rename keeps the id");
    assert_eq!(s.value("blobyes:124"), None);
    assert_eq!(
        s.value("👍"),
        None,
        "a configured scale replaces the default"
    );
    assert_eq!(s.entries(), [("<:blobyes:123>".to_owned(), 2)]);
}

#[test]
fn an_empty_configured_scale_counts_nothing() {
    let s = Scale::new(Some(&BTreeMap::new()));
    assert!(s.is_empty());
    assert_eq!(s.value("👍"), None);
}

#[test]
fn what_an_organiser_types_is_kept_in_one_form() {
    assert_eq!(canonical("⭐\u{fe0f}").unwrap(), "⭐");
    assert_eq!(canonical(" 👍🏽 ").unwrap(), "👍");
    assert_eq!(canonical("<:blobyes:123>").unwrap(), "blobyes:123");
    assert_eq!(canonical("<a:party:456>").unwrap(), "party:456");
    assert_eq!(canonical("party:456").unwrap(), "party:456");
    assert_eq!(canonical("1\u{fe0f}\u{20e3}").unwrap(), "1\u{20e3}");
    assert_eq!(canonical("🇫🇷").unwrap(), "🇫🇷");
    let family = "👩\u{200d}👩\u{200d}👧";
    assert_eq!(canonical(family).unwrap(), family);
}

#[test]
fn text_that_is_not_one_emoji_is_refused_by_name() {
    for text in [
        "",
        "thumbsup",
        ":thumbsup:",
        "+1",
        "👍👎",
        "👍 👎",
        "é",
        "🇫",
        "<:x:>",
        "<:no spaces:12>",
    ] {
        assert_eq!(
            canonical(text),
            Err(ScaleError::NotAnEmoji(text.trim().to_owned())),
            "{text:?}"
        );
    }
    let message = ScaleError::NotAnEmoji("thumbsup".into()).to_string();
    assert!(
        message.starts_with("`thumbsup` is not an emoji"),
        "{message}"
    );
}

#[test]
fn setting_an_emoji_starts_from_the_default_and_replaces_any_spelling_of_it() {
    let set = with_emoji(None, "🔥", 3).unwrap();
    assert_eq!(set, scale(&[("👍", 1), ("👎", -1), ("⭐", 2), ("🔥", 3)]));
    let again = with_emoji(Some(&set), "⭐\u{fe0f}", 5).unwrap();
    assert_eq!(again.len(), 4, "{again:?}");
    assert_eq!(Scale::new(Some(&again)).value("⭐"), Some(5));
    let renamed = with_emoji(Some(&scale(&[("old:9", 1)])), "<:new:9>", 2).unwrap();
    assert_eq!(renamed, scale(&[("new:9", 2)]));
}

#[test]
fn values_outside_minus_five_to_five_are_refused() {
    assert!(with_emoji(None, "🔥", -5).is_ok());
    assert!(with_emoji(None, "🔥", 5).is_ok());
    for value in [-6, 6, i64::from(i16::MAX) + 1, i64::MIN] {
        assert_eq!(
            with_emoji(None, "🔥", value),
            Err(ScaleError::OutOfRange { value })
        );
    }
    let message = ScaleError::OutOfRange { value: 7 }.to_string();
    assert_eq!(
        message,
        "7 is out of range: an emoji is worth from -5 to 5."
    );
}

#[test]
fn a_scale_holds_at_most_ten_emoji_but_a_full_one_can_still_change_a_value() {
    let full: BTreeMap<String, i16> = (0..10).map(|i| (format!("e{i}:{i}"), 1)).collect();
    assert_eq!(with_emoji(Some(&full), "🔥", 1), Err(ScaleError::TooMany));
    let changed = with_emoji(Some(&full), "<:e3:3>", -2).unwrap();
    assert_eq!(changed.len(), 10);
    assert_eq!(changed.get("e3:3"), Some(&-2));
}

#[test]
fn removing_an_emoji_matches_any_spelling_and_names_one_not_there() {
    let removed = without_emoji(None, "👎🏾").unwrap();
    assert_eq!(removed, scale(&[("👍", 1), ("⭐", 2)]));
    assert_eq!(
        without_emoji(Some(&removed), "🔥"),
        Err(ScaleError::NotOnScale("🔥".into()))
    );
    assert_eq!(
        without_emoji(None, "blob:5"),
        Err(ScaleError::NotOnScale("<:blob:5>".into()))
    );
}
