//! The rubric an answer is scored against, whether it comes from a bank question, one of its
//! follow-ups, or only a reference answer (custom data in `eval`).

use super::{Interviewer, Weights};
use crate::bank::{Estimate, FollowUp, Pitfall, Point, Question, Requirement};

#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Rubric {
    /// The question id; follow-ups use `<question>#<n>`.
    pub question_id: String,
    pub prompt: String,
    pub points: Vec<Point>,
    pub model_answer: Option<String>,
    pub pitfalls: Vec<Pitfall>,
    /// A styled interview's interviewer (absent: the standard weights and voice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interviewer: Option<Interviewer>,
    /// A design round's clarify stage: the answer is the candidate's questions, and point `i`
    /// stands for entry `i` of this sheet, earned by asking about it. The sheet's answers never
    /// reach an LLM or the feedback: the points name only the topics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sheet: Vec<Requirement>,
    /// A design round's estimate stage: the figures the answer's numbers are checked against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub estimates: Vec<Estimate>,
}

impl Rubric {
    /// The weights of the overall score.
    pub fn weights(&self) -> Weights {
        self.interviewer
            .as_ref()
            .map_or(Weights::STANDARD, |i| i.weights)
    }

    pub fn for_question(q: &Question) -> Rubric {
        Rubric {
            question_id: q.id.clone(),
            prompt: q.prompt.clone(),
            points: q.points.clone(),
            model_answer: Some(q.model_answer.clone()),
            pitfalls: q.pitfalls.clone(),
            interviewer: None,
            sheet: Vec::new(),
            estimates: Vec::new(),
        }
    }

    /// A follow-up's rubric: its own points; the parent's pitfalls still apply.
    pub fn for_follow_up(q: &Question, index: usize, f: &FollowUp) -> Rubric {
        Rubric {
            question_id: format!("{}#{}", q.id, index + 1),
            prompt: f.prompt.clone(),
            points: f.points.clone(),
            model_answer: f.model_answer.clone(),
            pitfalls: q.pitfalls.clone(),
            interviewer: None,
            sheet: Vec::new(),
            estimates: Vec::new(),
        }
    }

    /// The rubric of a follow-up the scorer wrote: its own points, the parent's pitfalls.
    pub fn for_written_follow_up(q: &Question, f: &super::WrittenFollowUp) -> Rubric {
        Rubric {
            question_id: format!("{}#written", q.id),
            prompt: f.prompt.clone(),
            points: f.points.clone(),
            model_answer: None,
            pitfalls: q.pitfalls.clone(),
            interviewer: None,
            sheet: Vec::new(),
            estimates: Vec::new(),
        }
    }

    /// A rubric made of a reference answer alone, for questions outside the bank.
    pub fn from_reference(prompt: &str, reference_answer: &str) -> Rubric {
        Rubric {
            question_id: String::new(),
            prompt: prompt.to_string(),
            points: Vec::new(),
            model_answer: Some(reference_answer.to_string()),
            pitfalls: Vec::new(),
            interviewer: None,
            sheet: Vec::new(),
            estimates: Vec::new(),
        }
    }
}
