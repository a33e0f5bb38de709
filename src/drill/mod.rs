//! Drills by spaced repetition: every scored answer to a main question is a review of that
//! question, and the member's reviews of a question decide when it is next due. The schedule is
//! SM-2 (Woźniak's SuperMemo 2 algorithm, 1990): a question answered well comes back after 1,
//! then 6 days, then at intervals growing by its ease factor; one answered badly starts over at
//! 1 day and becomes a little less easy. It is derived from the reviews each time rather than
//! stored, so erasing an answer (or a member) leaves nothing stale behind, and the terminal and
//! Discord compute it the same way.
//!
//! A small implementation rather than a crate: the FSRS crates either train models (a large
//! dependency) or carry no licence, and SM-2 is a dozen lines with a well-known definition.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// One scored answer to a question, on the day it was given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub day: NaiveDate,
    /// The answer's overall score, 0–10.
    pub score: f32,
}

/// Where a question stands in a member's schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Card {
    /// Successful reviews in a row.
    pub repetitions: u32,
    /// Days from the last review to the next.
    pub interval_days: u32,
    /// SM-2's ease factor (2.5 to start, never under 1.3).
    pub ease: f32,
    pub last_review: NaiveDate,
    pub due: NaiveDate,
    pub last_score: f32,
}

const START_EASE: f32 = 2.5;
const MIN_EASE: f32 = 1.3;

/// SM-2's recall quality (0–5) for an answer's score. 6/10 or more counts as recalled (3+): it
/// covers more than half of the rubric; below that the question starts over.
pub fn quality(score: f32) -> u8 {
    match score {
        s if s >= 9.0 => 5,
        s if s >= 7.5 => 4,
        s if s >= 6.0 => 3,
        s if s >= 4.0 => 2,
        s if s >= 2.0 => 1,
        _ => 0,
    }
}

impl Card {
    /// The card after its first review.
    fn first(review: Review) -> Card {
        Card {
            repetitions: 0,
            interval_days: 0,
            ease: START_EASE,
            last_review: review.day,
            due: review.day,
            last_score: review.score,
        }
        .reviewed(review)
    }

    /// SM-2's step: this card after one more review.
    pub fn reviewed(self, review: Review) -> Card {
        let q = quality(review.score);
        let (repetitions, interval_days) = if q >= 3 {
            let interval = match self.repetitions {
                0 => 1,
                1 => 6,
                _ => (self.interval_days as f32 * self.ease).round() as u32,
            };
            (self.repetitions + 1, interval.max(1))
        } else {
            (0, 1)
        };
        let miss = f32::from(5 - q);
        let ease = (self.ease + 0.1 - miss * (0.08 + miss * 0.02)).max(MIN_EASE);
        Card {
            repetitions,
            interval_days,
            ease,
            last_review: review.day,
            due: review
                .day
                .checked_add_days(Days::new(interval_days.into()))
                .unwrap_or(NaiveDate::MAX),
            last_score: review.score,
        }
    }

    /// A question's card from all its reviews, oldest first; `None` before the first. Of
    /// several reviews on one day only the last counts: answering twice in a day (a question
    /// of the day and an interview, say) is not two days of recall.
    pub fn from_reviews(reviews: &[Review]) -> Option<Card> {
        let mut daily: Vec<Review> = Vec::with_capacity(reviews.len());
        for r in reviews {
            match daily.last_mut() {
                Some(last) if last.day == r.day => *last = *r,
                _ => daily.push(*r),
            }
        }
        let (first, rest) = daily.split_first()?;
        Some(
            rest.iter()
                .fold(Card::first(*first), |card, r| card.reviewed(*r)),
        )
    }

    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.due <= today
    }
}

/// The questions due on `today`, most overdue first (then the weaker last answer first), at
/// most `limit`; each with its card.
pub fn due<'a, I>(cards: I, today: NaiveDate, limit: usize) -> Vec<(&'a str, Card)>
where
    I: IntoIterator<Item = (&'a str, Card)>,
{
    let mut due: Vec<(&str, Card)> = cards.into_iter().filter(|(_, c)| c.is_due(today)).collect();
    due.sort_by(|(a, x), (b, y)| {
        x.due
            .cmp(&y.due)
            .then(x.last_score.total_cmp(&y.last_score))
            .then(a.cmp(b))
    });
    due.truncate(limit);
    due
}

/// Days in a row, ending today or yesterday, with at least one drill answered.
pub fn streak(mut drill_days: Vec<NaiveDate>, today: NaiveDate) -> u32 {
    drill_days.sort_unstable();
    drill_days.dedup();
    let mut expected = today;
    let mut count = 0;
    for day in drill_days.into_iter().rev() {
        if count == 0 && day < today {
            // A streak survives until today's drill is done.
            expected = today.pred_opt().unwrap_or(today);
        }
        if day != expected {
            break;
        }
        count += 1;
        expected = day.pred_opt().unwrap_or(day);
    }
    count
}

#[cfg(test)]
mod tests;
