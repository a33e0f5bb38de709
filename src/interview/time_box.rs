//! Durations in words, and a style's soft time box: how long an answer took, said against the
//! box. Shared by every adapter so a terminal and a thread say it the same way.

use std::time::Duration;

/// A duration as people say it: "30 minutes", "1 hour 30 minutes", "45 seconds".
pub fn spoken(d: Duration) -> String {
    let secs = d.as_secs();
    let unit = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let parts: Vec<String> = [(h, "hour"), (m, "minute"), (s, "second")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, one)| unit(n, one))
        .collect();
    if parts.is_empty() {
        "0 seconds".into()
    } else {
        parts.join(" ")
    }
}

/// How long an answer took, against the time box when there is one.
pub fn took(seconds: u32, time_box: Option<u32>) -> String {
    let taken = spoken(Duration::from_secs(seconds.into()));
    match time_box {
        Some(limit) if seconds > limit => format!(
            "{taken}, over the {} time box",
            spoken(Duration::from_secs(limit.into()))
        ),
        _ => taken,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(spoken(Duration::from_secs(1800)), "30 minutes");
        assert_eq!(spoken(Duration::from_secs(5400)), "1 hour 30 minutes");
        assert_eq!(spoken(Duration::from_secs(1)), "1 second");
        assert_eq!(spoken(Duration::ZERO), "0 seconds");
    }

    #[test]
    fn an_answer_over_the_box_says_so() {
        assert_eq!(
            took(130, Some(120)),
            "2 minutes 10 seconds, over the 2 minutes time box"
        );
        assert_eq!(took(90, Some(120)), "1 minute 30 seconds");
        assert_eq!(took(400, None), "6 minutes 40 seconds");
    }
}
