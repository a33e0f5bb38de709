//! A guild's own questions (its pack): importing a question file, checked exactly as
//! `mockingbird questions check` checks the bank and saved all or nothing, idempotent by id and
//! content. A changed question keeps its id, so its history and boards stay with it; what
//! interviews and posts already asked stays as asked (see `questions`).

use std::collections::HashSet;

use super::{App, AppError};
use crate::bank::{check_files, Problem, Question, SourceFile};
use crate::scoring::lint::lint_all;
use crate::store::questions::{self, Saved};

/// The most questions a guild's pack may hold: a pack is a study group's own material, and a
/// bound keeps one guild's upload from growing every interview start's bank without limit.
pub const MAX_PACK_QUESTIONS: usize = 500;

/// What an import saved, by question id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Imported {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    /// Ids the pack shares with the bundled bank: this guild now asks its own version.
    pub overriding: Vec<String>,
}

/// Checks a pack file and, when nothing is wrong with it, saves every question in it; `Err`
/// holds every problem found (and nothing was saved).
pub async fn import(
    app: &App,
    guild_id: u64,
    file_name: &str,
    text: &str,
) -> Result<Result<Imported, Vec<Problem>>, AppError> {
    let own: HashSet<String> = questions::guild_questions(&app.pool, guild_id)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let questions = match check(app, file_name, text, &own) {
        Ok(questions) => questions,
        Err(problems) => return Ok(Err(problems)),
    };
    let mut imported = Imported::default();
    let mut tx = app.pool.begin().await?;
    for q in &questions {
        let list = match questions::upsert_guild_question(&mut *tx, guild_id, q).await? {
            Saved::Added => &mut imported.added,
            Saved::Changed => &mut imported.changed,
            Saved::Unchanged => &mut imported.unchanged,
        };
        list.push(q.id.clone());
        if app.bank.get(&q.id).is_some() {
            imported.overriding.push(q.id.clone());
        }
    }
    tx.commit().await?;
    Ok(Ok(imported))
}

/// The pack's questions, or every problem with them: the checker's, the lints', and a pack
/// that would take the guild past [`MAX_PACK_QUESTIONS`].
fn check(
    app: &App,
    file_name: &str,
    text: &str,
    own: &HashSet<String>,
) -> Result<Vec<Question>, Vec<Problem>> {
    let mut known: HashSet<String> = app.bank.questions().iter().map(|q| q.id.clone()).collect();
    known.extend(own.iter().cloned());
    let report = check_files(&[SourceFile::new(file_name, text)], &known);
    let mut problems = report.problems;
    problems.extend(lint_all(&report.questions));
    let after: HashSet<&str> = own
        .iter()
        .map(String::as_str)
        .chain(report.questions.iter().map(|q| q.id.as_str()))
        .collect();
    if after.len() > MAX_PACK_QUESTIONS {
        problems.push(Problem {
            file: file_name.into(),
            line: 1,
            question: None,
            field: "questions".into(),
            message: format!(
                "this server's pack would hold {} questions; it may hold {MAX_PACK_QUESTIONS}",
                after.len()
            ),
        });
    }
    if problems.is_empty() {
        Ok(report.questions)
    } else {
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(problems)
    }
}
