//! Reading the model's reply: find the JSON (servers in text mode wrap it in prose or code
//! fences), then check every field against the rubric. Grammar-constrained output is still
//! only *shaped* like an assessment, so nothing is trusted: scores are clamped to 0–10, ids must
//! be the rubric's own, text is trimmed and defused. A reply naming a point the rubric does
//! not have, or cut off by the token limit, is invalid (and gets one repair attempt upstream).

use serde_json::Value;

use super::prompt::{pitfall_id, NONE_ID};
use crate::scoring::Rubric;

const MAX_FEEDBACK: usize = 3;
const MAX_FEEDBACK_CHARS: usize = 300;
const MAX_FOLLOW_UP_CHARS: usize = 400;
const MAX_FOLLOW_UP_POINTS: usize = 3;

/// Why a reply cannot be used. The text goes back to the model in the repair request, so it
/// says what to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReplyError {
    #[error("the reply was cut off at the token limit (finish_reason \"length\")")]
    Truncated,
    #[error("the reply is empty")]
    Empty,
    #[error("the reply contains no JSON object")]
    NoJson,
    #[error("field \"{0}\" is missing")]
    Missing(&'static str),
    #[error("field \"{field}\" must be {expected}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    #[error("\"{0}\" is not one of the rubric's point ids")]
    UnknownPoint(String),
    #[error("\"{0}\" is not one of the listed pitfall ids")]
    UnknownPitfall(String),
    #[error("point \"{0}\" is listed as both covered and missed")]
    Contradiction(String),
}

/// A validated assessment from the model, before the guard looks at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub technical: f32,
    pub tradeoffs: f32,
    pub communication: f32,
    /// Point ids, in the rubric's order.
    pub covered: Vec<String>,
    pub missed: Vec<String>,
    /// Indexes into the rubric's pitfalls.
    pub pitfalls: Vec<usize>,
    pub feedback: Vec<String>,
    pub follow_up: Option<(String, Vec<String>)>,
    pub grader_directed: bool,
    /// Scores that were outside 0–10 and were clamped.
    pub clamped: bool,
}

/// Parses and validates a reply's content.
pub fn parse(
    content: &str,
    finish_reason: Option<&str>,
    rubric: &Rubric,
) -> Result<Graded, ReplyError> {
    if finish_reason == Some("length") {
        return Err(ReplyError::Truncated);
    }
    if content.trim().is_empty() {
        return Err(ReplyError::Empty);
    }
    let value = extract_json(content).ok_or(ReplyError::NoJson)?;
    validate(&value, rubric)
}

/// The first JSON object in `text` that has a `scores` field (or else the first object).
pub fn extract_json(text: &str) -> Option<Value> {
    let trimmed = text.trim();
    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(trimmed) {
        return Some(v);
    }
    let mut first = None;
    for (start, _) in text.match_indices('{') {
        let Some(end) = balanced_end(&text[start..]) else {
            continue;
        };
        if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(&text[start..start + end]) {
            if v.get("scores").is_some() {
                return Some(v);
            }
            first.get_or_insert(v);
        }
    }
    first
}

/// The length of the balanced `{…}` at the start of `s`, aware of strings and escapes.
fn balanced_end(s: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in s.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn validate(v: &Value, rubric: &Rubric) -> Result<Graded, ReplyError> {
    let scores = v.get("scores").ok_or(ReplyError::Missing("scores"))?;
    if !scores.is_object() {
        return Err(ReplyError::WrongType {
            field: "scores",
            expected: "an object",
        });
    }
    let mut clamped = false;
    let mut score = |field: &'static str| -> Result<f32, ReplyError> {
        let (value, was_clamped) = score_value(scores.get(field), field)?;
        clamped |= was_clamped;
        Ok(value)
    };
    let (technical, tradeoffs, communication) = (
        score("technical")?,
        score("tradeoffs")?,
        score("communication")?,
    );
    let covered = point_ids(v, "covered", rubric)?;
    let missed = point_ids(v, "missed", rubric)?;
    if let Some(both) = covered.iter().find(|id| missed.contains(id)) {
        return Err(ReplyError::Contradiction(both.clone()));
    }
    // Points in neither list were not credited: they count as missed.
    let missed = rubric
        .points
        .iter()
        .map(|p| p.id.clone())
        .filter(|id| !covered.contains(id))
        .collect();
    Ok(Graded {
        technical,
        tradeoffs,
        communication,
        covered,
        missed,
        pitfalls: pitfalls(v, rubric)?,
        feedback: feedback(v)?,
        follow_up: follow_up(v),
        grader_directed: v.get("grader_directed").and_then(Value::as_bool) == Some(true),
        clamped,
    })
}

/// A score as a number 0–10 (numeric strings accepted; out-of-range values clamped).
fn score_value(v: Option<&Value>, field: &'static str) -> Result<(f32, bool), ReplyError> {
    let v = v.ok_or(ReplyError::Missing(field))?;
    let x = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|x| x.is_finite())
    .ok_or(ReplyError::WrongType {
        field,
        expected: "an integer from 0 to 10",
    })?;
    let clamped = x.clamp(0.0, 10.0);
    Ok((clamped.round() as f32, clamped != x))
}

/// The listed point ids, deduplicated, in the rubric's order; any id the rubric lacks is an
/// error.
fn point_ids(v: &Value, field: &'static str, rubric: &Rubric) -> Result<Vec<String>, ReplyError> {
    let items = string_list(v, field)?.ok_or(ReplyError::Missing(field))?;
    for id in &items {
        if !rubric.points.iter().any(|p| &p.id == id) && !is_none(id) {
            return Err(ReplyError::UnknownPoint(clean_text(id, 60)));
        }
    }
    Ok(rubric
        .points
        .iter()
        .filter(|p| items.contains(&p.id))
        .map(|p| p.id.clone())
        .collect())
}

fn pitfalls(v: &Value, rubric: &Rubric) -> Result<Vec<usize>, ReplyError> {
    let items = string_list(v, "pitfalls")?.unwrap_or_default();
    let mut found = Vec::new();
    for id in items.iter().filter(|id| !is_none(id)) {
        let index = (0..rubric.pitfalls.len())
            .find(|&i| pitfall_id(i).eq_ignore_ascii_case(id))
            .ok_or_else(|| ReplyError::UnknownPitfall(clean_text(id, 60)))?;
        if !found.contains(&index) {
            found.push(index);
        }
    }
    found.sort_unstable();
    Ok(found)
}

fn feedback(v: &Value) -> Result<Vec<String>, ReplyError> {
    let items = string_list(v, "feedback")?.unwrap_or_default();
    Ok(items
        .iter()
        .map(|s| clean_text(s, MAX_FEEDBACK_CHARS))
        .filter(|s| !s.is_empty())
        .take(MAX_FEEDBACK)
        .collect())
}

/// The written follow-up, when the reply has a usable one (it is optional: a reply without one
/// still grades the answer).
fn follow_up(v: &Value) -> Option<(String, Vec<String>)> {
    let f = v.get("follow_up")?;
    let question = clean_text(f.get("question")?.as_str()?, MAX_FOLLOW_UP_CHARS);
    let points: Vec<String> = f
        .get("points")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .map(|s| clean_text(s, MAX_FEEDBACK_CHARS))
        .filter(|s| !s.is_empty())
        .take(MAX_FOLLOW_UP_POINTS)
        .collect();
    (!question.is_empty() && !points.is_empty()).then_some((question, points))
}

/// `Ok(None)` when the field is absent; an error when it is not a list of strings.
fn string_list(v: &Value, field: &'static str) -> Result<Option<Vec<String>>, ReplyError> {
    let Some(items) = v.get(field) else {
        return Ok(None);
    };
    let wrong = ReplyError::WrongType {
        field,
        expected: "a list of strings",
    };
    let items = items.as_array().ok_or(wrong.clone())?;
    items
        .iter()
        .map(|i| {
            i.as_str()
                .map(|s| s.trim().to_string())
                .ok_or(wrong.clone())
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn is_none(id: &str) -> bool {
    id.eq_ignore_ascii_case(NONE_ID)
}

/// One line of plain text: control characters dropped, whitespace collapsed, Discord mass
/// mentions defused, at most `max` characters.
pub fn clean_text(s: &str, max: usize) -> String {
    let collapsed = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let defused = collapsed
        .replace("@everyone", "@\u{200B}everyone")
        .replace("@here", "@\u{200B}here")
        .replace("<@", "<@\u{200B}");
    crate::text::cut(&defused, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Pitfall, Point};

    fn rubric() -> Rubric {
        let point = |id: &str| Point {
            id: id.into(),
            statement: format!("{id} statement"),
            concepts: vec![],
        };
        Rubric {
            question_id: "q".into(),
            prompt: "Q?".into(),
            points: vec![point("a"), point("b"), point("c")],
            model_answer: None,
            pitfalls: vec![Pitfall {
                statement: "p".into(),
                phrases: vec![],
            }],
            interviewer: None,
            sheet: Vec::new(),
            estimates: Vec::new(),
        }
    }

    const GOOD: &str = r#"{"scores":{"technical":7,"tradeoffs":5,"communication":8},
        "covered":["c","a"],"missed":["b"],"pitfalls":["P1"],"feedback":["Good.","  Add   more. "],
        "follow_up":{"question":"Why?","points":["Because."]},"grader_directed":false}"#;

    #[test]
    fn a_valid_reply_is_read_in_rubric_order() {
        let g = parse(GOOD, Some("stop"), &rubric()).expect("valid");
        assert_eq!((g.technical, g.tradeoffs, g.communication), (7.0, 5.0, 8.0));
        assert_eq!(g.covered, vec!["a", "c"]);
        assert_eq!(g.missed, vec!["b"]);
        assert_eq!(g.pitfalls, vec![0]);
        assert_eq!(g.feedback, vec!["Good.", "Add more."]);
        assert_eq!(g.follow_up, Some(("Why?".into(), vec!["Because.".into()])));
        assert!(!g.clamped);
    }

    #[test]
    fn json_is_found_inside_prose_and_fences() {
        let text = format!("Sure! Here is the grade:\n```json\n{GOOD}\n```\nHope it helps {{}}.");
        assert!(parse(&text, None, &rubric()).is_ok());
    }

    #[test]
    fn out_of_range_scores_are_clamped() {
        let text = GOOD
            .replace("\"technical\":7", "\"technical\":14")
            .replace("\"tradeoffs\":5", "\"tradeoffs\":-3");
        let g = parse(&text, None, &rubric()).expect("valid");
        assert_eq!((g.technical, g.tradeoffs), (10.0, 0.0));
        assert!(g.clamped);
    }

    #[test]
    fn invalid_replies_say_what_is_wrong() {
        let r = rubric();
        let cases = [
            (
                GOOD.replace("\"c\",\"a\"", "\"c\",\"z\""),
                ReplyError::UnknownPoint("z".into()),
            ),
            (
                GOOD.replace("[\"P1\"]", "[\"P7\"]"),
                ReplyError::UnknownPitfall("P7".into()),
            ),
            (
                GOOD.replace("[\"b\"]", "[\"a\"]"),
                ReplyError::Contradiction("a".into()),
            ),
            (
                GOOD.replace("\"technical\":7,", ""),
                ReplyError::Missing("technical"),
            ),
            (
                GOOD.replace("\"tradeoffs\":5", "\"tradeoffs\":\"high\""),
                ReplyError::WrongType {
                    field: "tradeoffs",
                    expected: "an integer from 0 to 10",
                },
            ),
            ("{\"scores\": ".to_string(), ReplyError::NoJson),
            ("   ".to_string(), ReplyError::Empty),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(&text, None, &r), Err(expected), "{text}");
        }
        assert_eq!(parse(GOOD, Some("length"), &r), Err(ReplyError::Truncated));
    }

    #[test]
    fn text_is_defused_and_shortened() {
        let long = "x".repeat(500);
        assert_eq!(clean_text(&long, 10).chars().count(), 10);
        assert_eq!(
            clean_text("hi @everyone\n<@123>", 100),
            "hi @\u{200B}everyone <@\u{200B}123>"
        );
    }
}
