//! Peer scores: how the reviews of one answer read wherever an answer's score is shown (the
//! feedback, the interview report, `/history`, the QOTD reveal), so the wording is the same
//! everywhere: "peers +3 (2)" is a total of +3 from two reviews.

use crate::store::reviews::ReviewSummary;

/// "peers +3 (2)": the reviews' total, signed, and how many there are; `None` when nobody has
/// reviewed the answer, so an unreviewed answer shows nothing rather than a zero.
pub fn peer_score(summary: &ReviewSummary) -> Option<String> {
    if summary.count <= 0 {
        return None;
    }
    let total = match summary.total {
        0 => "±0".to_owned(),
        total => format!("{total:+}"),
    };
    Some(format!("peers {total} ({})", summary.count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(count: i64, total: i64) -> ReviewSummary {
        ReviewSummary { count, total }
    }

    #[test]
    fn a_peer_score_is_the_signed_total_and_the_number_of_reviews() {
        assert_eq!(peer_score(&summary(2, 3)).as_deref(), Some("peers +3 (2)"));
        assert_eq!(peer_score(&summary(1, -1)).as_deref(), Some("peers -1 (1)"));
        assert_eq!(peer_score(&summary(2, 0)).as_deref(), Some("peers ±0 (2)"));
    }

    #[test]
    fn an_answer_nobody_reviewed_has_no_peer_score() {
        assert_eq!(peer_score(&ReviewSummary::default()), None);
    }
}
