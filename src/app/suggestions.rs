//! A member's suggested question, from the form they filled in to a question of the guild's
//! pack. The draft is checked as a pack file is (the same checker and lints), so an organiser
//! only ever approves a question that would import; an approved question has no hand-written
//! phrasings: the offline scorer reads its point statements and model answer for meaning, and
//! the LLM scorer reads the rubric as written.

use serde::{Deserialize, Serialize};

use super::{App, AppError};
use crate::bank::{check_files, to_toml, Difficulty, FollowUp, Point, Problem, Question};
use crate::bank::{Origin, SourceFile};
use crate::scoring::lint::lint_all;
use crate::store::suggestions::{self, Status, Suggestion};
use crate::store::{guilds, questions, StoreError};

/// What a member wrote: the slash command's options and the form's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub track: String,
    pub difficulty: Difficulty,
    pub topic: String,
    pub prompt: String,
    pub model_answer: String,
    /// What a strong answer covers, one point per line.
    pub points: String,
    pub follow_up: String,
    /// What the follow-up's answer covers, one point per line.
    pub follow_up_points: String,
}

impl Draft {
    /// The question this draft makes under `id`, or every problem with it.
    pub fn question(&self, id: &str) -> Result<Question, Vec<Problem>> {
        let points = points_from("p", &self.points);
        let question = Question {
            id: id.to_owned(),
            track: slug(&self.track),
            topic: self.topic.trim().to_owned(),
            difficulty: self.difficulty,
            prompt: self.prompt.trim().to_owned(),
            tags: vec!["suggested".into()],
            related: Vec::new(),
            model_answer: self.model_answer.trim().to_owned(),
            follow_ups: vec![FollowUp {
                prompt: self.follow_up.trim().to_owned(),
                // The follow-up digs into the question as a whole.
                probes: points.iter().map(|p| p.id.clone()).collect(),
                model_answer: None,
                points: points_from("f", &self.follow_up_points),
            }],
            points,
            pitfalls: Vec::new(),
            good_answers: Vec::new(),
            bad_answers: Vec::new(),
            requirements: Vec::new(),
            estimates: Vec::new(),
            wrap_up: Vec::new(),
            origin: Origin::default(),
        };
        // Written out and read back: the checker that guards imports guards this too.
        let text = to_toml(&[&question]).map_err(|e| {
            vec![Problem {
                file: "suggestion".into(),
                line: 1,
                question: None,
                field: "question".into(),
                message: e.to_string(),
            }]
        })?;
        let mut report = check_files(&[SourceFile::new("suggestion", text)], &Default::default());
        report.problems.extend(lint_all(&report.questions));
        match (report.problems.is_empty(), report.questions.pop()) {
            (true, Some(q)) => Ok(q),
            _ => Err(report.problems),
        }
    }
}

/// Points from lines: list markers ("- ", "* ", "1. ") dropped, blank lines skipped.
fn points_from(prefix: &str, lines: &str) -> Vec<Point> {
    lines
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(['-', '*', '•'])
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start_matches(['.', ')'])
                .trim()
        })
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, statement)| Point {
            id: format!("{prefix}{}", i + 1),
            statement: statement.to_owned(),
            concepts: Vec::new(),
        })
        .collect()
}

/// A slug of `text`: lowercase ASCII letters and digits, words joined by single hyphens.
pub fn slug(text: &str) -> String {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}

/// The id an approved suggestion gets: its topic's slug (cut to a few words) and its number,
/// so it never collides with a bundled or an imported question.
fn question_id(draft: &Draft, suggestion_id: i64) -> String {
    let topic = slug(&draft.topic);
    let short: Vec<&str> = topic.split('-').filter(|w| !w.is_empty()).take(5).collect();
    match short.is_empty() {
        true => format!("suggested-{suggestion_id}"),
        false => format!("{}-s{suggestion_id}", short.join("-")),
    }
}

/// A member's suggestion, saved for review; `Err` holds what is wrong with the draft.
pub async fn submit(
    app: &App,
    guild_id: u64,
    member: (u64, &str),
    channel_id: u64,
    draft: &Draft,
) -> Result<Result<i64, Vec<Problem>>, AppError> {
    if let Err(problems) = draft.question("suggestion") {
        return Ok(Err(problems));
    }
    let json = serde_json::to_value(draft).map_err(|source| AppError::Json {
        what: "a suggestion's draft",
        source,
    })?;
    let mut tx = app.pool.begin().await?;
    guilds::upsert_member(&mut *tx, guild_id, member.0, member.1).await?;
    let id = suggestions::create(&mut *tx, guild_id, member.0, channel_id, &json).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// What deciding a suggestion came to.
#[derive(Debug)]
pub enum Decided {
    /// Approved: its question (under this id) is in the guild's pack.
    Approved(Suggestion, Box<Question>),
    Rejected(Suggestion),
    /// Someone decided it first.
    Already(Suggestion),
    Missing,
}

/// Approves (saving its question into the guild's pack, in the same transaction) or rejects
/// a suggestion; a suggestion is decided once.
pub async fn decide(
    app: &App,
    guild_id: u64,
    suggestion_id: i64,
    approve: bool,
) -> Result<Decided, AppError> {
    let mut tx = app.pool.begin().await?;
    let Some(suggestion) = suggestions::get(&mut *tx, guild_id, suggestion_id).await? else {
        return Ok(Decided::Missing);
    };
    if suggestion.status != Status::Open {
        return Ok(Decided::Already(suggestion));
    }
    if !approve {
        suggestions::decide(&mut *tx, suggestion_id, Status::Rejected, None).await?;
        tx.commit().await?;
        return Ok(Decided::Rejected(suggestion));
    }
    let draft = draft_of(&suggestion)?;
    let id = question_id(&draft, suggestion_id);
    let question = draft
        .question(&id)
        .map_err(|problems| AppError::Suggestion {
            suggestion_id,
            why: listed(&problems),
        })?;
    if !suggestions::decide(&mut *tx, suggestion_id, Status::Approved, Some(&id)).await? {
        return Ok(Decided::Already(suggestion));
    }
    questions::upsert_guild_question(&mut *tx, guild_id, &question).await?;
    tx.commit().await?;
    Ok(Decided::Approved(suggestion, Box::new(question)))
}

/// Replaces an open suggestion's draft with an organiser's edit; `Ok(Err)` holds what is wrong
/// with the edit, `None` when the suggestion is gone or decided.
pub async fn edit(
    app: &App,
    guild_id: u64,
    suggestion_id: i64,
    draft: &Draft,
) -> Result<Option<Result<Suggestion, Vec<Problem>>>, AppError> {
    if let Err(problems) = draft.question("suggestion") {
        return Ok(Some(Err(problems)));
    }
    let json = serde_json::to_value(draft).map_err(|source| AppError::Json {
        what: "a suggestion's draft",
        source,
    })?;
    if !suggestions::edit(&app.pool, suggestion_id, &json).await? {
        return Ok(None);
    }
    Ok(suggestions::get(&app.pool, guild_id, suggestion_id)
        .await?
        .map(Ok))
}

/// The draft a stored suggestion holds.
pub fn draft_of(suggestion: &Suggestion) -> Result<Draft, AppError> {
    serde_json::from_value(suggestion.draft.clone()).map_err(|e| {
        AppError::Store(StoreError::Corrupt(format!(
            "suggestion {}: {e}",
            suggestion.suggestion_id
        )))
    })
}

fn listed(problems: &[Problem]) -> String {
    let listed: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    listed.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            track: "Message Queues".into(),
            difficulty: Difficulty::Mid,
            topic: "Consumer groups in Kafka".into(),
            prompt: "How do consumer groups share the partitions of a topic?".into(),
            model_answer: "Each partition is read by one consumer of the group at a time; \
                           adding consumers past the partition count leaves some idle, and \
                           a rebalance moves partitions when members join or leave."
                .into(),
            points: "- one consumer per partition within a group\n\n2. extra consumers sit idle\n\
                     * a rebalance reassigns partitions"
                .into(),
            follow_up: "What happens to the offsets during a rebalance?".into(),
            follow_up_points: "committed offsets tell the new owner where to resume".into(),
        }
    }

    #[test]
    fn a_draft_becomes_a_question_that_passes_the_pack_checker() {
        let q = draft()
            .question("consumer-groups-s7")
            .expect("a valid question");
        assert_eq!(q.track, "message-queues");
        let statements: Vec<&str> = q.points.iter().map(|p| p.statement.as_str()).collect();
        assert_eq!(
            statements,
            [
                "one consumer per partition within a group",
                "extra consumers sit idle",
                "a rebalance reassigns partitions"
            ]
        );
        assert_eq!(q.follow_ups[0].probes, ["p1", "p2", "p3"]);
        assert_eq!(question_id(&draft(), 7), "consumer-groups-in-kafka-s7");
    }

    #[test]
    fn an_empty_point_list_is_named() {
        let mut d = draft();
        d.points = "\n  - \n".into();
        let problems = d.question("x").unwrap_err();
        assert!(
            problems.iter().any(|p| p.field.starts_with("points")),
            "{problems:?}"
        );
    }
}
