//! `/profile`: a member's standing over the three assessment dimensions, per track, the trend
//! of their last ten scored answers against the ten before, and the topics they score lowest
//! on — what to practise next.

use serenity::all::CreateEmbed;

use super::limits::{bullets, EmbedText, FIELD_VALUE};
use super::{score, score_colour, NEUTRAL};
use crate::store::history::ProfileLine;
use crate::store::progress::TopicScore;

/// A change in average this small reads as steady.
const STEADY: f64 = 0.05;

/// A member's profile; `lines` as `store::history::profile` returns them (one per track, then
/// the line over every track). `own`: the reader is the member.
pub fn profile(
    name: &str,
    own: bool,
    lines: &[ProfileLine],
    weakest: &[TopicScore],
) -> CreateEmbed {
    let Some(all) = lines.iter().find(|l| l.track.is_none()) else {
        return empty_profile(name, own);
    };
    let description = format!(
        "Overall **{}/10** over {}.\nTrend: {}",
        score(all.overall as f32),
        answers(all.answers),
        trend(all.trend())
    );
    let mut text = EmbedText::new(format!("Profile: {name}"))
        .description(description)
        .field(
            "Technical",
            format!("{}/10", score(all.technical as f32)),
            true,
        )
        .field(
            "Trade-offs",
            format!("{}/10", score(all.tradeoffs as f32)),
            true,
        )
        .field(
            "Communication",
            format!("{}/10", score(all.communication as f32)),
            true,
        );
    let tracks: Vec<String> = lines.iter().filter_map(track_line).collect();
    if !tracks.is_empty() {
        text = text.field("By track", bullets(&tracks, FIELD_VALUE), false);
    }
    let topics: Vec<String> = weakest.iter().map(topic_line).collect();
    if !topics.is_empty() {
        text = text.field("Weakest topics", bullets(&topics, FIELD_VALUE), false);
    }
    text.footer("Trend: the last 10 scored answers against the 10 before them")
        .build()
        .colour(score_colour(all.overall as f32))
}

/// What a member with no scored answers yet sees.
pub fn empty_profile(name: &str, own: bool) -> CreateEmbed {
    let text = if own {
        "No scored answers yet. Start a mock interview with `/interview start`; your profile \
         fills in as your answers are scored."
            .to_owned()
    } else {
        format!("{name} has no scored answers yet.")
    };
    EmbedText::new(format!("Profile: {name}"))
        .description(text)
        .build()
        .colour(NEUTRAL)
}

fn answers(n: i64) -> String {
    if n == 1 {
        "1 scored answer".to_owned()
    } else {
        format!("{n} scored answers")
    }
}

/// "▲ +0.8", "▼ -1.2", "steady", or why there is none yet.
pub fn trend(change: Option<f64>) -> String {
    match change {
        None => "not enough answers yet (it compares the last 10 with the 10 before)".to_owned(),
        Some(d) if d >= STEADY => format!("▲ +{d:.1}"),
        Some(d) if d <= -STEADY => format!("▼ {d:.1}"),
        Some(_) => "steady".to_owned(),
    }
}

fn track_line(line: &ProfileLine) -> Option<String> {
    let track = line.track.as_deref()?;
    let change = match line.trend() {
        Some(d) if d.abs() >= STEADY => format!(" · {}", trend(Some(d))),
        _ => String::new(),
    };
    Some(format!(
        "**{track}** {}/10 over {}{change}",
        score(line.overall as f32),
        answers(line.answers)
    ))
}

fn topic_line(topic: &TopicScore) -> String {
    format!(
        "{} ({}): {}/10 over {}",
        topic.topic,
        topic.track,
        score(topic.overall as f32),
        answers(topic.answers)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::render::limits::assert_valid_embed;

    fn line(track: Option<&str>, overall: f64, previous: Option<f64>) -> ProfileLine {
        ProfileLine {
            track: track.map(str::to_owned),
            answers: 14,
            technical: 6.0,
            tradeoffs: 5.0,
            communication: 7.5,
            overall,
            recent: overall,
            previous,
        }
    }

    #[test]
    fn a_profile_shows_the_dimensions_tracks_trend_and_weakest_topics() {
        let lines = [
            line(Some("backend"), 7.0, None),
            line(Some("databases"), 5.0, Some(4.0)),
            line(None, 6.0, Some(5.2)),
        ];
        let weakest = [TopicScore {
            track: "databases".into(),
            topic: "indexing".into(),
            answers: 3,
            overall: 3.5,
        }];
        let embed = serde_json::to_value(profile("Ada", true, &lines, &weakest)).unwrap();
        assert_valid_embed(&embed);
        assert_eq!(embed["title"], "Profile: Ada");
        assert_eq!(
            embed["description"],
            "Overall **6.0/10** over 14 scored answers.\nTrend: ▲ +0.8"
        );
        assert_eq!(embed["fields"][0]["value"], "6.0/10");
        assert_eq!(embed["fields"][2]["value"], "7.5/10");
        assert_eq!(embed["fields"][3]["name"], "By track");
        assert_eq!(
            embed["fields"][3]["value"],
            "• **backend** 7.0/10 over 14 scored answers\n\
             • **databases** 5.0/10 over 14 scored answers · ▲ +1.0"
        );
        assert_eq!(embed["fields"][4]["name"], "Weakest topics");
        assert_eq!(
            embed["fields"][4]["value"],
            "• indexing (databases): 3.5/10 over 3 scored answers"
        );
        assert_eq!(embed["color"], 0xFFB300);
    }

    #[test]
    fn trends_read_up_down_steady_or_not_yet() {
        assert_eq!(trend(Some(1.0)), "▲ +1.0");
        assert_eq!(trend(Some(-0.5)), "▼ -0.5");
        assert_eq!(trend(Some(0.01)), "steady");
        assert!(trend(None).starts_with("not enough answers yet"));
    }

    #[test]
    fn no_scored_answers_says_how_to_start() {
        let embed = serde_json::to_value(profile("Ada", true, &[], &[])).unwrap();
        let text = embed["description"].as_str().unwrap();
        assert!(text.contains("`/interview start`"), "{text}");
        let theirs = serde_json::to_value(empty_profile("Bob", false)).unwrap();
        assert_eq!(theirs["description"], "Bob has no scored answers yet.");
    }
}
