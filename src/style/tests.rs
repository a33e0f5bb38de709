use super::load::parse_all;
use super::*;
use crate::bank::{Bank, SourceFile};

fn bundled() -> Styles {
    Styles::bundled_with(&[]).expect("the bundled styles load")
}

#[test]
fn the_bundled_styles_load_and_mix_only_tracks_the_bank_has() {
    let styles = bundled();
    assert!(styles.all().count() >= 5);
    let bank = Bank::bundled().expect("bank");
    assert_eq!(
        styles.unknown_tracks(|t| bank.has_track(t)),
        Vec::<String>::new()
    );
    // Styles differ in what they weigh, or the choice would be cosmetic.
    let weights: std::collections::HashSet<_> = styles.all().map(|s| s.weights).collect();
    assert!(weights.len() >= 3, "{weights:?}");
    assert!(styles.all().any(|s| s.follow_ups.challenge));
    assert!(styles.all().any(|s| s.time_box_secs.is_some()));
}

#[test]
fn a_broken_style_file_names_the_file_and_the_field() {
    let text = std::fs::read_to_string("styles/mentor.toml").expect("mentor.toml");
    let broken = text.replace("[follow_ups]", "[follow_ups]\npushes = true");
    let Err(StyleError::Invalid(problems)) =
        parse_all(&[SourceFile::new("mine/mentor.toml", broken)])
    else {
        panic!("a broken file must be refused");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("mine/mentor.toml: "),
        "{problems:?}"
    );
    assert!(
        problems[0].contains("unknown field `pushes`"),
        "{problems:?}"
    );
    assert!(problems[0].contains("line "), "{problems:?}");

    let heavy = text.replace("technical = 50", "technical = 70");
    let Err(StyleError::Invalid(problems)) =
        parse_all(&[SourceFile::new("mine/mentor.toml", heavy)])
    else {
        panic!("weights over 100 must be refused");
    };
    assert_eq!(
        problems,
        ["mine/mentor.toml: style \"mentor\": weights: the three weights add up to 120, not 100"]
    );
}

#[test]
fn an_unknown_style_lists_the_known_ones() {
    let styles = bundled();
    let e = styles.find("gentle").expect_err("no such style");
    let text = e.to_string();
    assert!(text.contains("\"gentle\""), "{text}");
    assert!(
        text.contains("bar-raiser") && text.contains("mentor"),
        "{text}"
    );
    assert_eq!(
        styles.find(" Mentor ").expect("case and spaces").id,
        "mentor"
    );
}

#[test]
fn remarks_follow_the_score_and_challenges_quote_the_claim() {
    let styles = bundled();
    let raiser = styles.find("bar-raiser").expect("bar-raiser");
    assert_eq!(raiser.remark(8.0), raiser.messages.strong);
    assert_eq!(raiser.remark(5.0), raiser.messages.fair);
    assert_eq!(raiser.remark(1.0), raiser.messages.weak);
    let lead = raiser
        .follow_up_lead(Some("a B-tree makes every lookup O(1)"))
        .expect("a lead-in");
    assert!(
        lead.contains("\"a B-tree makes every lookup O(1)\""),
        "{lead}"
    );
    // Without a claim to quote, the plain lead-in.
    assert_eq!(raiser.follow_up_lead(None), raiser.messages.follow_up);
    // A style that does not challenge never quotes.
    let mentor = styles.find("mentor").expect("mentor");
    assert_eq!(
        mentor.follow_up_lead(Some("anything")),
        mentor.messages.follow_up
    );
}

#[test]
fn the_bar_is_compared_dimension_by_dimension() {
    let styles = bundled();
    let panel = styles.find("staff-panel").expect("staff-panel");
    let profile = Scores {
        technical: 8.0,
        tradeoffs: 6.0,
        communication: 7.0,
        overall: 7.2,
    };
    let cleared: Vec<(&str, bool)> = panel
        .against_bar(&profile)
        .iter()
        .map(|a| (a.dimension, a.clears()))
        .collect();
    assert_eq!(
        cleared,
        [
            ("technical", true),
            ("trade-offs", false),
            ("communication", true)
        ]
    );
}

#[test]
fn an_adaptive_start_moves_into_the_styles_levels() {
    use crate::bank::Difficulty::{Junior, Mid, Senior};
    let styles = bundled();
    let panel = styles.find("staff-panel").expect("staff-panel");
    assert_eq!(panel.start_level(Mid), Senior);
    let screen = styles.find("phone-screen").expect("phone-screen");
    assert_eq!(screen.start_level(Senior), Mid);
    assert_eq!(screen.start_level(Junior), Junior);
    let cto = styles.find("startup-cto").expect("startup-cto");
    assert_eq!(cto.start_level(Senior), Senior);
}
