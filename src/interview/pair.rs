//! Peer interviews, the pure part: how an interviewer's marks on a rubric's points become a
//! peer score, where the bot's second opinion disagrees with them, which questions the
//! interviewer may pick next, and a round's report. The adapter keeps the marks and asks
//! the scorer; everything here is arithmetic on what it hands over.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bank::{Difficulty, Point};
use crate::scoring::Assessment;

/// How many questions the interviewer picks from at each turn.
pub const CHOICES_PER_QUESTION: usize = 3;

/// The interviewer's mark on one rubric point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Covered,
    Partly,
    Not,
}

impl Mark {
    /// What the mark is worth, as the scorers' coverage is: 1, ½ or 0.
    pub fn value(self) -> f32 {
        match self {
            Mark::Covered => 1.0,
            Mark::Partly => 0.5,
            Mark::Not => 0.0,
        }
    }

    /// The word a member reads.
    pub fn word(self) -> &'static str {
        match self {
            Mark::Covered => "covered",
            Mark::Partly => "partly",
            Mark::Not => "not covered",
        }
    }

    /// The short code in a button's custom id.
    pub fn code(self) -> char {
        match self {
            Mark::Covered => 'c',
            Mark::Partly => 'p',
            Mark::Not => 'n',
        }
    }

    pub fn from_code(code: &str) -> Option<Mark> {
        match code {
            "c" => Some(Mark::Covered),
            "p" => Some(Mark::Partly),
            "n" => Some(Mark::Not),
            _ => None,
        }
    }
}

/// The interviewer's marks, by point id. A point left unmarked counts as not covered.
pub type Marks = BTreeMap<String, Mark>;

/// The peer score out of 10: the mean of the points' marks (every point weighs the same, as
/// in the rubric), to one decimal. A question without points scores 0.
pub fn peer_score(points: &[Point], marks: &Marks) -> f32 {
    if points.is_empty() {
        return 0.0;
    }
    let sum: f32 = points.iter().map(|p| mark_of(marks, &p.id).value()).sum();
    (sum / points.len() as f32 * 100.0).round() / 10.0
}

fn mark_of(marks: &Marks, point_id: &str) -> Mark {
    marks.get(point_id).copied().unwrap_or(Mark::Not)
}

/// The bot's reading of a point, in the interviewer's terms: covered, partly or not.
pub fn bot_mark(assessment: &Assessment, point_id: &str) -> Mark {
    let has = |list: &[crate::scoring::PointResult]| list.iter().any(|p| p.id == point_id);
    if has(&assessment.covered) {
        Mark::Covered
    } else if has(&assessment.partial) {
        Mark::Partly
    } else {
        Mark::Not
    }
}

/// A point the interviewer and the bot marked differently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    pub statement: String,
    pub peer: Mark,
    pub bot: Mark,
}

impl Disagreement {
    /// Covered against not covered, rather than a half step apart.
    pub fn is_wide(&self) -> bool {
        (self.peer.value() - self.bot.value()).abs() > 0.5
    }
}

/// Every point the two marked differently, in the rubric's order.
pub fn disagreements(points: &[Point], marks: &Marks, bot: &Assessment) -> Vec<Disagreement> {
    points
        .iter()
        .filter_map(|p| {
            let (peer, bot) = (mark_of(marks, &p.id), bot_mark(bot, &p.id));
            (peer != bot).then(|| Disagreement {
                statement: p.statement.clone(),
                peer,
                bot,
            })
        })
        .collect()
}

/// The questions the interviewer may ask next: the first [`CHOICES_PER_QUESTION`] of
/// `choices` not yet `asked`, in the planner's order (so the first is the plan's).
pub fn next_choices<'a>(choices: &'a [String], asked: &[String]) -> Vec<&'a str> {
    choices
        .iter()
        .filter(|c| !asked.contains(c))
        .take(CHOICES_PER_QUESTION)
        .map(String::as_str)
        .collect()
}

/// One question of a round, as its report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundAnswer {
    pub position: u32,
    pub topic: String,
    pub difficulty: Difficulty,
    /// `None` until the interviewer graded it.
    pub peer: Option<f32>,
    /// The bot's overall score, `None` until its second opinion came.
    pub bot: Option<f32>,
    pub disagreements: Vec<Disagreement>,
    pub note: Option<String>,
}

/// A round's report: who interviewed whom, each question with both grades, and the means.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundReport {
    pub round: u32,
    pub interviewer_id: u64,
    pub candidate_id: u64,
    pub answers: Vec<RoundAnswer>,
}

impl RoundReport {
    /// The mean peer score over the graded answers.
    pub fn peer_mean(&self) -> Option<f32> {
        mean(self.answers.iter().filter_map(|a| a.peer))
    }

    /// The mean of the bot's scores over the graded answers it scored.
    pub fn bot_mean(&self) -> Option<f32> {
        mean(
            self.answers
                .iter()
                .filter(|a| a.peer.is_some())
                .filter_map(|a| a.bot),
        )
    }

    /// How many points, over the round, the two marked a whole step apart.
    pub fn wide_disagreements(&self) -> usize {
        self.answers
            .iter()
            .flat_map(|a| &a.disagreements)
            .filter(|d| d.is_wide())
            .count()
    }
}

fn mean(values: impl Iterator<Item = f32>) -> Option<f32> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| (sum / n as f32 * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::PointResult;

    fn points(ids: &[&str]) -> Vec<Point> {
        ids.iter()
            .map(|id| Point {
                id: (*id).to_owned(),
                statement: format!("point {id}"),
                concepts: Vec::new(),
            })
            .collect()
    }

    fn marks(list: &[(&str, Mark)]) -> Marks {
        list.iter().map(|(id, m)| ((*id).to_owned(), *m)).collect()
    }

    fn result(id: &str, coverage: f32) -> PointResult {
        PointResult {
            id: id.to_owned(),
            statement: format!("point {id}"),
            coverage,
            evidence: None,
        }
    }

    #[test]
    fn the_peer_score_is_the_mean_mark_with_unmarked_points_not_covered() {
        let p = points(&["a", "b", "c", "d"]);
        assert_eq!(peer_score(&p, &Marks::new()), 0.0);
        let all = marks(&[
            ("a", Mark::Covered),
            ("b", Mark::Covered),
            ("c", Mark::Covered),
            ("d", Mark::Covered),
        ]);
        assert_eq!(peer_score(&p, &all), 10.0);
        let some = marks(&[("a", Mark::Covered), ("b", Mark::Partly), ("c", Mark::Not)]);
        assert_eq!(peer_score(&p, &some), 3.8);
        // A mark on a point the rubric does not have counts for nothing.
        let stray = marks(&[("zz", Mark::Covered)]);
        assert_eq!(peer_score(&p, &stray), 0.0);
        assert_eq!(peer_score(&[], &all), 0.0);
    }

    #[test]
    fn disagreements_name_each_point_marked_differently() {
        let p = points(&["a", "b", "c"]);
        let bot = Assessment {
            covered: vec![result("a", 1.0)],
            partial: vec![result("b", 0.5)],
            missed: vec![result("c", 0.0)],
            ..Assessment::default()
        };
        let peer = marks(&[
            ("a", Mark::Covered),
            ("b", Mark::Covered),
            ("c", Mark::Covered),
        ]);
        let found = disagreements(&p, &peer, &bot);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].statement, "point b");
        assert_eq!((found[0].peer, found[0].bot), (Mark::Covered, Mark::Partly));
        assert!(!found[0].is_wide());
        assert_eq!((found[1].peer, found[1].bot), (Mark::Covered, Mark::Not));
        assert!(found[1].is_wide());
        let agreed = marks(&[("a", Mark::Covered), ("b", Mark::Partly)]);
        assert!(disagreements(&p, &agreed, &bot).is_empty());
    }

    #[test]
    fn choices_skip_what_was_asked_and_keep_the_planners_order() {
        let all: Vec<String> = ["q1", "q2", "q3", "q4", "q5"].map(String::from).to_vec();
        assert_eq!(next_choices(&all, &[]), ["q1", "q2", "q3"]);
        let asked = vec!["q2".to_owned()];
        assert_eq!(next_choices(&all, &asked), ["q1", "q3", "q4"]);
        let most: Vec<String> = ["q1", "q2", "q3", "q4"].map(String::from).to_vec();
        assert_eq!(next_choices(&all, &most), ["q5"]);
        assert!(next_choices(&all, &all).is_empty());
    }

    #[test]
    fn round_means_count_graded_answers_only() {
        let answer = |peer: Option<f32>, bot: Option<f32>| RoundAnswer {
            position: 1,
            topic: "indexing".into(),
            difficulty: Difficulty::Mid,
            peer,
            bot,
            disagreements: Vec::new(),
            note: None,
        };
        let report = RoundReport {
            round: 1,
            interviewer_id: 1,
            candidate_id: 2,
            answers: vec![
                answer(Some(6.0), Some(7.0)),
                answer(Some(8.0), None),
                answer(None, Some(2.0)),
            ],
        };
        assert_eq!(report.peer_mean(), Some(7.0));
        assert_eq!(report.bot_mean(), Some(7.0));
        let empty = RoundReport {
            answers: Vec::new(),
            ..report
        };
        assert_eq!(empty.peer_mean(), None);
    }
}
