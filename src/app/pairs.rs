//! Peer interviews, between the bot and the store: the questions an invitation offers, the
//! bot's second opinion on each marked answer, and a round's report. The second opinion is
//! the scorer the bot uses for its own interviews (LLM or offline), within the guild's daily
//! LLM budget; a process that dies while scoring leaves the answer to the next sweep.

use std::sync::Arc;
use std::time::Duration;

use tracing::warn;

use super::{App, AppError};
use crate::bank::{Difficulty, Question};
use crate::errors::error_chain;
use crate::interview::pair::{self, RoundAnswer, RoundReport, CHOICES_PER_QUESTION};
use crate::interview::{build_plan, PlanRequest};
use crate::scoring::{Assessment, Rubric};
use crate::store::pairs::{self, Pair};
use crate::store::{history, usage};

/// How long an invitation stands.
pub const INVITATION_STANDS: Duration = Duration::from_secs(10 * 60);
/// A second opinion nobody finished within this is taken up again.
const SCORING_STALE: Duration = Duration::from_secs(5 * 60);
/// The tokens held for one second opinion, as for an interview's answer.
const CALL_ALLOWANCE: i64 = 8_000;

/// What the invitation asks for.
pub struct PairRequest<'a> {
    pub guild_id: u64,
    pub candidate_id: u64,
    pub track: Option<&'a str>,
    pub difficulty: Option<Difficulty>,
    pub questions: usize,
}

/// The questions to pick from, several per question asked, planned from the candidate's
/// history like their own interviews; fewer when the bank has fewer, and an error naming what
/// is missing when it has not even one per question.
pub async fn choices(app: &App, r: &PairRequest<'_>) -> Result<Vec<String>, PairPlanError> {
    let bank = super::questions::for_guild(app, r.guild_id).await?;
    let past = history::for_planning(&app.pool, r.guild_id, r.candidate_id).await?;
    let hidden = crate::store::questions::hidden(&app.pool, r.guild_id).await?;
    let request = |length| PlanRequest {
        track: r.track,
        difficulty: r.difficulty,
        length,
        seed: rand::random(),
        history: Some(&past),
        hidden: Some(&hidden),
        mix: None,
    };
    let wide = build_plan(&bank, &request(r.questions * CHOICES_PER_QUESTION));
    let plan = match wide {
        Ok(plan) => plan,
        Err(_) => build_plan(&bank, &request(r.questions)).map_err(PairPlanError::Plan)?,
    };
    Ok(plan.iter().map(|q| q.id.clone()).collect())
}

#[derive(Debug, thiserror::Error)]
pub enum PairPlanError {
    #[error(transparent)]
    Plan(crate::interview::PlanError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::store::StoreError> for PairPlanError {
    fn from(e: crate::store::StoreError) -> Self {
        PairPlanError::App(AppError::Store(e))
    }
}

/// A question of the guild's bank (its own questions included).
pub async fn question(
    app: &App,
    guild_id: u64,
    id: &str,
) -> Result<Option<Arc<Question>>, AppError> {
    let bank = super::questions::for_guild(app, guild_id).await?;
    Ok(bank.get(id).cloned())
}

/// Scores the marked answers still without a second opinion (of `pair_id`, or of every pair);
/// the pairs whose answers it scored.
pub async fn second_opinions(app: &App, pair_id: Option<i64>) -> Result<Vec<i64>, AppError> {
    let claimed = pairs::claim_scoring(&app.pool, pair_id, SCORING_STALE).await?;
    let mut scored = Vec::new();
    for job in claimed {
        let Some(q) = question(app, job.guild_id, &job.question_id).await? else {
            warn!(pair_id = job.key.pair_id, question = %job.question_id, "a peer interview's question left the bank; no second opinion");
            let none = serde_json::json!({ "missing": true });
            pairs::set_assessment(&app.pool, job.key, &none).await?;
            scored.push(job.key.pair_id);
            continue;
        };
        let assessment = assess(app, job.guild_id, &Rubric::for_question(&q), &job.body).await;
        let json = serde_json::to_value(&assessment).map_err(|source| AppError::Json {
            what: "a second opinion",
            source,
        })?;
        pairs::set_assessment(&app.pool, job.key, &json).await?;
        scored.push(job.key.pair_id);
    }
    scored.dedup();
    Ok(scored)
}

/// One call of the guild's scorer, within its daily LLM budget.
async fn assess(app: &App, guild_id: u64, rubric: &Rubric, body: &str) -> Assessment {
    let held = if app.grader.calls_llm() {
        match usage::reserve(&app.pool, guild_id, CALL_ALLOWANCE).await {
            Ok(held) => Some(held),
            Err(e) => {
                warn!(guild_id, error = %error_chain(&e), "reserving the LLM budget failed");
                None
            }
        }
    } else {
        None
    };
    let budget = held
        .as_ref()
        .filter(|h| h.limited)
        .map(|h| u64::try_from(h.tokens).unwrap_or(0));
    let assessment = app.grader.assess(rubric, body, budget).await;
    if let Some(held) = held {
        let (p, c) = assessment.usage.map_or((0, 0), |u| {
            (i64::from(u.prompt_tokens), i64::from(u.completion_tokens))
        });
        if let Err(e) = usage::settle(&app.pool, guild_id, &held, p, c).await {
            warn!(guild_id, error = %error_chain(&e), "recording LLM usage failed");
        }
    }
    assessment
}

/// Round `round`'s report: each question with the interviewer's and the bot's grades, and the
/// points they marked differently.
pub async fn round_report(app: &App, pair: &Pair, round: u32) -> Result<RoundReport, AppError> {
    let answers = pairs::answers(&app.pool, pair.pair_id, round).await?;
    let mut out = Vec::with_capacity(answers.len());
    for a in &answers {
        let q = question(app, pair.guild_id, &a.question_id).await?;
        let bot: Option<Assessment> = a
            .assessment
            .as_ref()
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        let disagreements = match (&q, &bot, a.graded) {
            (Some(q), Some(bot), true) => pair::disagreements(&q.points, &a.marks, bot),
            _ => Vec::new(),
        };
        out.push(RoundAnswer {
            position: a.position,
            topic: q
                .as_ref()
                .map_or(a.question_id.clone(), |q| q.topic.clone()),
            difficulty: q.as_ref().map_or(Difficulty::Mid, |q| q.difficulty),
            peer: a.peer_score.filter(|_| a.graded),
            bot: bot.map(|b| b.scores.overall),
            disagreements,
            note: a.note.clone(),
        });
    }
    let (interviewer_id, candidate_id) = answers
        .first()
        .map_or((pair.interviewer(), pair.candidate()), |a| {
            (a.interviewer_id, a.user_id)
        });
    Ok(RoundReport {
        round,
        interviewer_id,
        candidate_id,
        answers: out,
    })
}
