//! A validated reply as an `Assessment`: the rubric's own point statements for the ids the
//! model named, the overall score computed here (not taken from the model) with the rubric's
//! weights, as the offline scorer does, and the written follow-up's points given slug ids so the follow-up's
//! answer can be scored against them like any rubric.

use super::prompt::PROMPT_VERSION;
use super::reply::Graded;
use crate::bank::Point;
use crate::scoring::{Assessment, PointResult, Rubric, ScorerKind, Scores, WrittenFollowUp};

/// The LLM's assessment, before the guard's cross-check (`model` and `usage` are the caller's).
pub fn to_assessment(rubric: &Rubric, g: &Graded) -> Assessment {
    let result = |id: &String, coverage: f32| {
        rubric
            .points
            .iter()
            .find(|p| &p.id == id)
            .map(|p| PointResult {
                id: p.id.clone(),
                statement: p.statement.clone(),
                coverage,
                evidence: None,
            })
    };
    Assessment {
        scores: Scores {
            technical: g.technical,
            tradeoffs: g.tradeoffs,
            communication: g.communication,
            overall: rubric
                .weights()
                .overall(g.technical, g.tradeoffs, g.communication),
        },
        covered: g.covered.iter().filter_map(|id| result(id, 1.0)).collect(),
        missed: g.missed.iter().filter_map(|id| result(id, 0.0)).collect(),
        pitfalls: g
            .pitfalls
            .iter()
            .filter_map(|&i| rubric.pitfalls.get(i))
            .map(|p| p.statement.clone())
            .collect(),
        feedback: g.feedback.clone(),
        scorer: ScorerKind::Llm,
        prompt_version: Some(PROMPT_VERSION.to_string()),
        follow_up: g
            .follow_up
            .as_ref()
            .map(|(q, points)| written_follow_up(q, points)),
        ..Assessment::default()
    }
}

fn written_follow_up(question: &str, statements: &[String]) -> WrittenFollowUp {
    let mut ids: Vec<String> = Vec::new();
    let points = statements
        .iter()
        .enumerate()
        .map(|(i, statement)| {
            let mut id = slug(statement).unwrap_or_else(|| format!("point-{}", i + 1));
            if ids.contains(&id) {
                id = format!("{id}-{}", i + 1);
            }
            ids.push(id.clone());
            // No concepts: the offline scorer works from the statement when it has to step in.
            Point {
                id,
                statement: statement.clone(),
                concepts: Vec::new(),
            }
        })
        .collect();
    WrittenFollowUp {
        prompt: question.to_string(),
        points,
    }
}

/// The first few words of a statement as an id: `a-z`, `0-9` and `-`.
fn slug(statement: &str) -> Option<String> {
    let words: Vec<String> = statement
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .map(str::to_ascii_lowercase)
        .collect();
    let slug = words.join("-");
    (!slug.is_empty()).then(|| {
        slug.chars()
            .take(40)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_up_points_get_slug_ids() {
        let f = written_follow_up(
            "Why?",
            &[
                "Writes get slower: every index is updated.".into(),
                "Это важно".into(),
                "Writes get slower: every index is updated.".into(),
            ],
        );
        let ids: Vec<&str> = f.points.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "writes-get-slower-every-index",
                "point-2",
                "writes-get-slower-every-index-3"
            ]
        );
    }
}
