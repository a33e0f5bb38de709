//! The reveal's judgement: the best answers by a combined score (the scorer's overall score,
//! nudged by what peers thought), and which streaks reached a milestone.

/// One member's answer to a post, as the reveal sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RevealEntry {
    pub answer_id: i64,
    pub user_id: u64,
    /// The scorer's overall score, 0–10; `None` while unscored.
    pub overall: Option<f32>,
    /// Sum and count of peer review values.
    pub peer_total: i64,
    pub peer_count: i64,
}

/// An entry with its combined score.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedAnswer {
    pub entry: RevealEntry,
    pub combined: f32,
}

/// Each net peer point is worth half a point, up to two points either way: peers can lift a
/// good answer past a slightly better-scored one, but not turn a weak answer into the best.
const PEER_WEIGHT: f32 = 0.5;
const PEER_CAP: f32 = 2.0;

/// Scored answers, best first by combined score (earlier answers first on a tie).
pub fn rank_answers(entries: &[RevealEntry]) -> Vec<RankedAnswer> {
    let mut ranked: Vec<RankedAnswer> = entries
        .iter()
        .filter_map(|e| {
            let overall = e.overall?;
            let peers = (e.peer_total as f32 * PEER_WEIGHT).clamp(-PEER_CAP, PEER_CAP);
            Some(RankedAnswer {
                entry: e.clone(),
                combined: overall + peers,
            })
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.combined
            .total_cmp(&a.combined)
            .then(a.entry.answer_id.cmp(&b.entry.answer_id))
    });
    ranked
}

/// Streak lengths worth a mention.
const MILESTONES: [i32; 8] = [3, 7, 14, 30, 50, 100, 200, 365];

/// The milestone a streak of `current` days has just reached, if any.
pub fn streak_milestone(current: i32) -> Option<i32> {
    MILESTONES.contains(&current).then_some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, overall: Option<f32>, peer_total: i64) -> RevealEntry {
        RevealEntry {
            answer_id: id,
            user_id: id as u64,
            overall,
            peer_total,
            peer_count: peer_total.abs(),
        }
    }

    #[test]
    fn peers_can_lift_a_close_answer_but_not_a_weak_one() {
        let ranked = rank_answers(&[
            entry(1, Some(7.5), 0),
            entry(2, Some(7.0), 3),
            entry(3, Some(3.0), 40),
        ]);
        let order: Vec<i64> = ranked.iter().map(|r| r.entry.answer_id).collect();
        assert_eq!(order, vec![2, 1, 3]);
        assert_eq!(ranked[2].combined, 5.0, "peers add at most two points");
    }

    #[test]
    fn unscored_answers_are_not_ranked_and_ties_go_to_the_earlier() {
        let ranked = rank_answers(&[
            entry(5, Some(6.0), 0),
            entry(4, Some(6.0), 0),
            entry(6, None, 9),
        ]);
        let order: Vec<i64> = ranked.iter().map(|r| r.entry.answer_id).collect();
        assert_eq!(order, vec![4, 5]);
    }

    #[test]
    fn milestones_are_mentioned_once() {
        assert_eq!(streak_milestone(7), Some(7));
        assert_eq!(streak_milestone(8), None);
        assert_eq!(streak_milestone(1), None);
    }
}
