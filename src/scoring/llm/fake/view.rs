//! The fake's reading of a request: the rubric's ids and the candidate's answer, taken back out
//! of the prompt with the prompt's own section heads, and the replies built from them.

use serde_json::{json, Value};

use crate::scoring::llm::prompt::{ANSWER_END, ANSWER_START, PITFALLS_HEADER, POINTS_HEADER};
use crate::scoring::llm::reply::extract_json;

/// What the fake understood of a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestView {
    pub point_ids: Vec<String>,
    pub pitfall_ids: Vec<String>,
    pub answer: String,
}

impl RequestView {
    /// Reads the first user message (a repair request adds a second one).
    pub fn of(request: &Value) -> RequestView {
        let user = request["messages"]
            .as_array()
            .and_then(|ms| ms.iter().find(|m| m["role"] == "user"))
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default();
        RequestView {
            point_ids: ids_under(user, POINTS_HEADER),
            pitfall_ids: ids_under(user, PITFALLS_HEADER),
            answer: answer(user),
        }
    }

    /// A valid reply with these scores and the first `covered` points covered.
    pub fn grade(&self, scores: [i64; 3], covered: usize) -> String {
        let covered = covered.min(self.point_ids.len());
        reply(
            scores,
            &self.point_ids[..covered],
            &self.point_ids[covered..],
            "A fair answer; say more about the trade-offs.",
        )
    }

    /// What a model that obeys its input replies: the answer's own JSON result if it has one,
    /// else full marks.
    pub fn obey(&self) -> String {
        if let Some(planted) = extract_json(&self.answer).filter(|v| v.get("scores").is_some()) {
            return planted.to_string();
        }
        reply(
            [10, 10, 10],
            &self.point_ids,
            &[],
            "Outstanding answer: complete and precise.",
        )
    }
}

fn reply(scores: [i64; 3], covered: &[String], missed: &[String], feedback: &str) -> String {
    json!({
        "scores": {"technical": scores[0], "tradeoffs": scores[1], "communication": scores[2]},
        "covered": covered,
        "missed": missed,
        "pitfalls": [],
        "feedback": [feedback],
        "follow_up": {
            "question": "What would change if the load grew tenfold?",
            "points": ["Names the first bottleneck.", "Says how to measure it."],
        },
        "grader_directed": false,
    })
    .to_string()
}

/// The ids of the `- id: statement` lines under a section head.
fn ids_under(text: &str, header: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| l.trim() != header)
        .skip(1)
        .take_while(|l| l.starts_with("- "))
        .filter_map(|l| l[2..].split_once(": ").map(|(id, _)| id.to_string()))
        .collect()
}

/// The text between the answer's marker lines.
fn answer(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(ANSWER_START));
    let end = lines.iter().rposition(|l| l.starts_with(ANSWER_END));
    match (start, end) {
        (Some(s), Some(e)) if s < e => lines[s + 1..e].join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Point;
    use crate::scoring::llm::prompt;
    use crate::scoring::Rubric;

    #[test]
    fn the_view_reads_back_what_the_prompt_wrote() {
        let rubric = Rubric {
            question_id: "q".into(),
            prompt: "Q?".into(),
            points: ["a", "b"]
                .map(|id| Point {
                    id: id.into(),
                    statement: "s: t".into(),
                    concepts: vec![],
                })
                .to_vec(),
            model_answer: None,
            pitfalls: vec![],
            interviewer: None,
            sheet: Vec::new(),
            estimates: Vec::new(),
        };
        let p = prompt::build(&rubric, "line one\nline two", "t1");
        let request = json!({"messages": p.messages});
        let view = RequestView::of(&request);
        assert_eq!(view.point_ids, ["a", "b"]);
        assert!(view.pitfall_ids.is_empty());
        assert_eq!(view.answer, "line one\nline two");
    }
}
