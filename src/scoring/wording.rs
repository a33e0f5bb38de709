//! Lints on a rubric's wording: concept phrasings that would pay a wrong answer. Three kinds:
//! a point the question's own prompt covers (an answer that repeats the question earns it),
//! a lone common word (it matches text on any subject: "the rest of", "commit to"), and a
//! phrase borrowed from another question's rubric that this question's own text never touches
//! (a phrasing copied across, which credits answers to the other question). `questions check`
//! reports all three as problems.

use std::collections::{HashMap, HashSet};

use crate::bank::{Point, Problem, Question};

use super::text::{is_stop_word, phrase_stems, tokenize, Index};

/// Words too common to stand alone as a concept: each matches answers on any subject. Stems
/// are compared, so "changes" and "changed" are caught by "change".
const COMMON: &[&str] = &[
    "access",
    "action",
    "add",
    "answer",
    "approach",
    "area",
    "balance",
    "build",
    "call",
    "case",
    "change",
    "check",
    "choice",
    "clear",
    "code",
    "commit",
    "common",
    "control",
    "cost",
    "credit",
    "data",
    "decide",
    "declare",
    "design",
    "detail",
    "different",
    "easy",
    "effect",
    "end",
    "error",
    "event",
    "example",
    "fail",
    "fast",
    "feature",
    "file",
    "fix",
    "flow",
    "form",
    "good",
    "group",
    "handle",
    "help",
    "high",
    "idea",
    "impact",
    "important",
    "improve",
    "issue",
    "item",
    "job",
    "keep",
    "key",
    "know",
    "large",
    "level",
    "limit",
    "line",
    "list",
    "load",
    "long",
    "low",
    "make",
    "manage",
    "message",
    "method",
    "model",
    "move",
    "need",
    "new",
    "number",
    "open",
    "order",
    "own",
    "page",
    "part",
    "path",
    "people",
    "plan",
    "point",
    "problem",
    "process",
    "product",
    "question",
    "quick",
    "rate",
    "reason",
    "record",
    "relationship",
    "request",
    "rest",
    "result",
    "risk",
    "role",
    "rule",
    "run",
    "safe",
    "save",
    "scale",
    "send",
    "service",
    "set",
    "share",
    "side",
    "simple",
    "size",
    "slow",
    "small",
    "solution",
    "speed",
    "start",
    "state",
    "step",
    "stop",
    "store",
    "system",
    "take",
    "task",
    "team",
    "test",
    "thing",
    "time",
    "tool",
    "track",
    "type",
    "update",
    "use",
    "user",
    "value",
    "view",
    "way",
    "work",
    "write",
];

/// The prompt-echo and common-word problems of one question.
pub fn lint_wording(q: &Question) -> Vec<Problem> {
    let mut problems = Vec::new();
    let common: Vec<String> = COMMON.iter().flat_map(|w| phrase_stems(w)).collect();
    let mut lint = |points: &[Point], path: &str, prompt: &str| {
        let prompt = tokenize(prompt);
        let prompt = Index::new(&prompt, &[]);
        for (i, p) in points.iter().enumerate() {
            // Terms the question names may well appear in a good answer; what must not happen
            // is a point that repeating the question covers whole.
            let echoes: Vec<&String> = p
                .concepts
                .iter()
                .filter_map(|group| group.iter().find(|alt| prompt.contains(&phrase_stems(alt))))
                .collect();
            if !p.concepts.is_empty() && echoes.len() == p.concepts.len() {
                let quoted: Vec<String> = echoes.iter().map(|e| format!("\"{e}\"")).collect();
                problems.push(problem(
                    q,
                    format!("{path}[{i}].concepts"),
                    format!(
                        "the prompt holds {}, so repeating the question covers point \"{}\"; \
                         give at least one group only an answer would have",
                        quoted.join(", "),
                        p.id
                    ),
                ));
            }
            for (g, group) in p.concepts.iter().enumerate() {
                for (k, alt) in group.iter().enumerate() {
                    let stems = phrase_stems(alt);
                    if stems.len() == 1 && common.contains(&stems[0]) {
                        problems.push(problem(
                            q,
                            format!("{path}[{i}].concepts[{g}][{k}]"),
                            format!(
                                "\"{alt}\" alone is too common a word: it matches answers on \
                                 any subject; use a phrase"
                            ),
                        ));
                    }
                }
            }
        }
    };
    lint(&q.points, "points", &q.prompt);
    for (i, f) in q.follow_ups.iter().enumerate() {
        lint(&f.points, &format!("follow_ups[{i}].points"), &f.prompt);
    }
    problems
}

/// Phrasings borrowed across questions: an alternative of one question's points that another
/// question (not declared related) has in its rubric and its model answer, while nothing this
/// question says, in its prompt, model answers or sample answers, uses any of the phrase's
/// words. Such a phrase describes the other question's subject ("missed messages" in a file
/// upload rubric), and an answer to that one would earn it here. Shared terminology ("time to
/// live" in two caching rubrics) is not reported: its words are the question's own.
pub fn lint_borrowed(questions: &[Question]) -> Vec<Problem> {
    let answers: Vec<Vec<_>> = questions
        .iter()
        .map(|q| tokenize(&q.model_answer))
        .collect();
    let indexes: Vec<Index<'_>> = answers.iter().map(|t| Index::new(t, &[])).collect();
    // Which questions use each phrase in both their rubric and their model answer.
    let mut owners: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
    for (n, q) in questions.iter().enumerate() {
        for alt in alternatives(q) {
            let stems = phrase_stems(alt);
            if indexes[n].contains(&stems) {
                owners.entry(stems).or_default().push(n);
            }
        }
    }
    let mut problems = Vec::new();
    for (n, q) in questions.iter().enumerate() {
        let own = own_words(q);
        for (i, p) in q.points.iter().enumerate() {
            for (g, group) in p.concepts.iter().enumerate() {
                for (k, alt) in group.iter().enumerate() {
                    // A single word is a term ("cdn", "serializable"), and a term is right
                    // wherever its subject comes up; a phrase is someone's wording.
                    let stems = phrase_stems(alt);
                    if stems.len() < 2 || stems.iter().any(|s| !is_stop_word(s) && own.contains(s))
                    {
                        continue;
                    }
                    let lender = owners.get(&stems).into_iter().flatten().find(|&&o| {
                        let other = &questions[o];
                        o != n && !q.related.contains(&other.id) && !other.related.contains(&q.id)
                    });
                    if let Some(&o) = lender {
                        problems.push(problem(
                            q,
                            format!("points[{i}].concepts[{g}][{k}]"),
                            format!(
                                "\"{alt}\" uses no word of this question's own text but is in \
                                 the rubric and model answer of \"{}\": it would credit answers \
                                 to that question",
                                questions[o].id
                            ),
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// The stems of everything a question says in its own voice.
fn own_words(q: &Question) -> HashSet<String> {
    let follow_ups = q
        .follow_ups
        .iter()
        .flat_map(|f| std::iter::once(&f.prompt).chain(&f.model_answer));
    let statements = q
        .points
        .iter()
        .chain(q.follow_ups.iter().flat_map(|f| &f.points))
        .map(|p| &p.statement);
    [&q.prompt, &q.model_answer]
        .into_iter()
        .chain(&q.good_answers)
        .chain(follow_ups)
        .chain(statements)
        .flat_map(|t| phrase_stems(t))
        .collect()
}

fn alternatives(q: &Question) -> impl Iterator<Item = &String> {
    q.points.iter().flat_map(|p| p.concepts.iter().flatten())
}

fn problem(q: &Question, field: String, message: String) -> Problem {
    Problem {
        file: q.origin.file.clone(),
        line: q.origin.line,
        question: Some(q.id.clone()),
        field,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    #[test]
    fn the_common_words_are_single_words() {
        for w in COMMON {
            assert_eq!(phrase_stems(w).len(), 1, "{w}");
        }
    }

    #[test]
    fn an_echo_of_the_prompt_and_a_lone_common_word_are_reported() {
        let bank = Bank::bundled().expect("the bundled bank");
        let mut q = (*bank.questions()[0]).clone();
        q.prompt = "Explain optimistic locking.".into();
        q.points[0].concepts = vec![vec!["optimistic locking".into(), "commit".into()]];
        q.points[1].concepts = vec![
            vec!["optimistic locking".into()],
            vec!["version column".into()],
        ];
        let fields: Vec<String> = lint_wording(&q).into_iter().map(|p| p.field).collect();
        assert!(
            fields.contains(&"points[0].concepts".to_owned()),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"points[0].concepts[0][1]".to_owned()),
            "{fields:?}"
        );
        // A point the prompt covers only in part is fine.
        assert!(
            !fields.contains(&"points[1].concepts".to_owned()),
            "{fields:?}"
        );
    }

    #[test]
    fn another_questions_wording_is_reported_and_shared_terms_are_not() {
        let bank = Bank::bundled().expect("the bundled bank");
        let mut questions: Vec<Question> = bank.questions().iter().map(|q| (**q).clone()).collect();
        assert!(lint_borrowed(&questions).is_empty());
        let upload = questions
            .iter_mut()
            .find(|q| q.id == "file-upload-service")
            .expect("file-upload-service");
        // The caching rubrics' wording, which no file-upload answer has reason to use.
        upload.points[0].concepts[0].push("thundering herd".into());
        // A single word is a term, right wherever its subject comes up.
        upload.points[0].concepts[0].push("heartbeat".into());
        let found: Vec<String> = lint_borrowed(&questions)
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("\"thundering herd\""), "{found:?}");
    }
}
