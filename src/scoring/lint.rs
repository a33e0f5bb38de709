//! Checks that a rubric and its model answer agree, as the offline scorer reads them: every
//! concept group is found in the model answer, and no pitfall phrase is. A rubric that fails
//! this would grade its own model answer down, so `questions check` reports it.

use crate::bank::{Point, Problem, Question};

use super::text::{phrase_stems, tokenize, Index};

/// Everything `questions check` reports beyond parsing, for a set of questions checked together
/// (the bank, or a pack): each rubric against its model answers, its wording, and phrasings
/// borrowed across the set. Sorted by file and line.
pub fn lint_all(questions: &[Question]) -> Vec<Problem> {
    let mut problems: Vec<Problem> = questions
        .iter()
        .flat_map(|q| {
            let mut found = lint_question(q);
            found.extend(super::wording::lint_wording(q));
            found
        })
        .collect();
    problems.extend(super::wording::lint_borrowed(questions));
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    problems
}

/// Every disagreement between the question's rubric and its model answers.
pub fn lint_question(q: &Question) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |field: String, message: String| {
        problems.push(Problem {
            file: q.origin.file.clone(),
            line: q.origin.line,
            question: Some(q.id.clone()),
            field,
            message,
        })
    };
    let tokens = tokenize(&q.model_answer);
    let answer = Index::new(&tokens, &[]);
    for (field, message) in missing_concepts(&q.points, &answer, "points", "model_answer") {
        report(field, message);
    }
    for (i, pitfall) in q.pitfalls.iter().enumerate() {
        for (k, phrase) in pitfall.phrases.iter().enumerate() {
            if answer.contains(&phrase_stems(phrase)) {
                report(
                    format!("pitfalls[{i}].phrases[{k}]"),
                    format!("\"{phrase}\" appears in the model answer, which would be flagged"),
                );
            }
        }
    }
    for (i, f) in q.follow_ups.iter().enumerate() {
        let Some(model) = &f.model_answer else {
            continue;
        };
        let tokens = tokenize(model);
        let answer = Index::new(&tokens, &[]);
        let path = format!("follow_ups[{i}].points");
        let where_ = format!("follow_ups[{i}].model_answer");
        for (field, message) in missing_concepts(&f.points, &answer, &path, &where_) {
            report(field, message);
        }
    }
    problems
}

fn missing_concepts(
    points: &[Point],
    answer: &Index<'_>,
    path: &str,
    where_: &str,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, p) in points.iter().enumerate() {
        for (g, group) in p.concepts.iter().enumerate() {
            if !group.iter().any(|alt| answer.contains(&phrase_stems(alt))) {
                out.push((
                    format!("{path}[{i}].concepts[{g}]"),
                    format!(
                        "none of {} is in the {where_} (point \"{}\")",
                        quoted(group),
                        p.id
                    ),
                ));
            }
        }
    }
    out
}

fn quoted(group: &[String]) -> String {
    group
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
