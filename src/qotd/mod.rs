//! The question of the day, as pure decisions: when a guild's post is due in its own time zone
//! (correct across daylight-saving changes), when the previous post is revealed, which question
//! comes next (no repeats until the pool is used up), and who ranks best at the reveal. The bot's
//! scheduler (`bot::qotd`) asks these with the time it was given, so tests can give any time.

mod pick;
mod reveal;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

pub use pick::pick_question;
pub use reveal::{rank_answers, streak_milestone, RankedAnswer, RevealEntry};

/// A guild's time zone by IANA name, as the scheduler needs it.
pub fn time_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// The guild's local date at `now`.
pub fn local_day(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The local day whose post is due at `now`, if one is: today, once the local clock has
/// reached `post_at`. On the day clocks spring forward past `post_at` (02:30 that never
/// happens), the post goes out as soon as the clock is past it (03:00); on the day they fall
/// back, the first 01:30 counts and the store's one-post-per-day claim refuses the second.
pub fn post_due(now: DateTime<Utc>, tz: Tz, post_at: NaiveTime) -> Option<NaiveDate> {
    let local = now.with_timezone(&tz);
    (local.time() >= post_at).then(|| local.date_naive())
}

/// Whether a post of `post_day` is due to be revealed at `now`: at `reveal_at` local time on
/// its day, or on any later day; never when the guild reveals with the next post instead
/// (`reveal_at` is `None`).
pub fn reveal_due(
    now: DateTime<Utc>,
    tz: Tz,
    post_day: NaiveDate,
    reveal_at: Option<NaiveTime>,
) -> bool {
    let Some(reveal_at) = reveal_at else {
        return false;
    };
    let local = now.with_timezone(&tz);
    let today = local.date_naive();
    today > post_day || (today == post_day && local.time() >= reveal_at)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn nine_local_stays_nine_local_across_the_spring_change() {
        let paris = time_zone("Europe/Paris").unwrap();
        // Saturday 28 March 2026: UTC+1, so 09:00 local is 08:00 UTC.
        assert_eq!(post_due(utc(2026, 3, 28, 7, 59), paris, at(9, 0)), None);
        assert_eq!(
            post_due(utc(2026, 3, 28, 8, 0), paris, at(9, 0)),
            Some(day(2026, 3, 28))
        );
        // Sunday 29 March: clocks went forward at 02:00; 09:00 local is 07:00 UTC.
        assert_eq!(post_due(utc(2026, 3, 29, 6, 59), paris, at(9, 0)), None);
        assert_eq!(
            post_due(utc(2026, 3, 29, 7, 0), paris, at(9, 0)),
            Some(day(2026, 3, 29))
        );
    }

    #[test]
    fn a_time_the_spring_change_skips_posts_once_the_clock_is_past_it() {
        let paris = time_zone("Europe/Paris").unwrap();
        // 02:30 does not exist on 29 March 2026; 00:59 UTC is 01:59 local, 01:00 UTC is 03:00.
        assert_eq!(post_due(utc(2026, 3, 29, 0, 59), paris, at(2, 30)), None);
        assert_eq!(
            post_due(utc(2026, 3, 29, 1, 0), paris, at(2, 30)),
            Some(day(2026, 3, 29))
        );
    }

    #[test]
    fn the_autumn_change_keeps_nine_local() {
        let new_york = time_zone("America/New_York").unwrap();
        // 1 November 2026, clocks back at 02:00: 09:00 EST is 14:00 UTC (it was 13:00 UTC).
        assert_eq!(post_due(utc(2026, 11, 1, 13, 30), new_york, at(9, 0)), None);
        assert!(post_due(utc(2026, 11, 1, 14, 0), new_york, at(9, 0)).is_some());
    }

    #[test]
    fn the_local_day_is_the_guilds_not_utcs() {
        let tokyo = time_zone("Asia/Tokyo").unwrap();
        // 20:00 UTC on the 1st is 05:00 on the 2nd in Tokyo.
        assert_eq!(local_day(utc(2026, 6, 1, 20, 0), tokyo), day(2026, 6, 2));
        assert_eq!(
            post_due(utc(2026, 6, 1, 20, 0), tokyo, at(5, 0)),
            Some(day(2026, 6, 2))
        );
    }

    #[test]
    fn reveals_happen_at_their_time_or_any_later_day() {
        let utc_tz = time_zone("UTC").unwrap();
        let post = day(2026, 6, 1);
        assert!(!reveal_due(
            utc(2026, 6, 1, 17, 59),
            utc_tz,
            post,
            Some(at(18, 0))
        ));
        assert!(reveal_due(
            utc(2026, 6, 1, 18, 0),
            utc_tz,
            post,
            Some(at(18, 0))
        ));
        assert!(reveal_due(
            utc(2026, 6, 2, 1, 0),
            utc_tz,
            post,
            Some(at(18, 0))
        ));
        assert!(!reveal_due(utc(2026, 6, 9, 0, 0), utc_tz, post, None));
    }

    #[test]
    fn unknown_zones_are_refused() {
        assert!(time_zone("Mars/Olympus").is_none());
        assert!(time_zone("Europe/Paris").is_some());
    }
}
