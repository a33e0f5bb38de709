//! An interview started without a difficulty finds the candidate's level as a human interviewer
//! does: it opens at mid, asks a harder question after a strong answer and an easier one after
//! a weak one (or a skip), and stays put when an answer could not be scored. Which question of
//! a level comes next is decided here too, from candidates planned at the start, so that a
//! replay of the same events asks the same questions.

use std::sync::Arc;

use crate::bank::{Difficulty, Question};

/// The level an adaptive interview opens at.
pub const START: Difficulty = Difficulty::Mid;
/// An overall score (0–10) at or above this moves up a level.
pub const UP: f32 = 7.0;
/// An overall score below this moves down a level.
pub const DOWN: f32 = 4.0;

/// How the last main question went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LastAnswer {
    Scored(f32),
    Skipped,
    /// Scoring failed: nothing to judge the level by.
    Unscored,
}

/// The level of the next main question.
pub fn next_level(current: Difficulty, last: LastAnswer) -> Difficulty {
    match last {
        LastAnswer::Scored(overall) if overall >= UP => harder(current),
        LastAnswer::Scored(overall) if overall < DOWN => easier(current),
        LastAnswer::Skipped => easier(current),
        LastAnswer::Scored(_) | LastAnswer::Unscored => current,
    }
}

fn harder(d: Difficulty) -> Difficulty {
    match d {
        Difficulty::Junior => Difficulty::Mid,
        Difficulty::Mid | Difficulty::Senior => Difficulty::Senior,
    }
}

fn easier(d: Difficulty) -> Difficulty {
    match d {
        Difficulty::Senior => Difficulty::Mid,
        Difficulty::Mid | Difficulty::Junior => Difficulty::Junior,
    }
}

/// The next question at `level` among `candidates` (in the planner's order): not asked yet,
/// preferring a topic not asked yet. When the level has none left, the nearest level's.
pub fn pick(
    candidates: &[Arc<Question>],
    asked: &[Arc<Question>],
    level: Difficulty,
) -> Option<Arc<Question>> {
    let fresh = |q: &&Arc<Question>| !asked.iter().any(|a| a.id == q.id);
    let new_topic = |q: &&Arc<Question>| !asked.iter().any(|a| a.topic == q.topic);
    nearest(level).into_iter().find_map(|d| {
        let at_level: Vec<&Arc<Question>> = candidates
            .iter()
            .filter(|q| q.difficulty == d)
            .filter(fresh)
            .collect();
        at_level
            .iter()
            .copied()
            .find(new_topic)
            .or_else(|| at_level.first().copied())
            .cloned()
    })
}

/// Levels from `level` outwards: itself, then the one below, then the one above (or, from
/// junior, mid then senior).
fn nearest(level: Difficulty) -> [Difficulty; 3] {
    match level {
        Difficulty::Junior => [Difficulty::Junior, Difficulty::Mid, Difficulty::Senior],
        Difficulty::Mid => [Difficulty::Mid, Difficulty::Junior, Difficulty::Senior],
        Difficulty::Senior => [Difficulty::Senior, Difficulty::Mid, Difficulty::Junior],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Difficulty::{Junior, Mid, Senior};

    #[test]
    fn strong_answers_move_up_weak_ones_and_skips_down_and_the_ends_hold() {
        assert_eq!(next_level(Mid, LastAnswer::Scored(8.0)), Senior);
        assert_eq!(next_level(Senior, LastAnswer::Scored(9.5)), Senior);
        assert_eq!(next_level(Mid, LastAnswer::Scored(2.0)), Junior);
        assert_eq!(next_level(Junior, LastAnswer::Scored(0.0)), Junior);
        assert_eq!(next_level(Senior, LastAnswer::Skipped), Mid);
        assert_eq!(next_level(Mid, LastAnswer::Scored(5.5)), Mid);
        assert_eq!(next_level(Junior, LastAnswer::Unscored), Junior);
        assert_eq!(next_level(Mid, LastAnswer::Scored(UP)), Senior);
        assert_eq!(next_level(Mid, LastAnswer::Scored(DOWN)), Mid);
    }
}
