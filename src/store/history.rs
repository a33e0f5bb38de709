//! A member's own record: their answers, newest first, paged by keyset (a page costs the same at
//! the thousandth answer as at the first), and their profile per track and per dimension with a
//! trend (the last ten scored answers against the ten before). History is ordered by when an
//! answer was begun (`created_at`), the column its index holds; see the migration for why.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use super::answers::{turn_from_number, AnswerStatus};
use super::{db_id, difficulty, StoreError};
use crate::bank::Difficulty;
use crate::interview::{CandidateHistory, TopicRecord, Turn};

/// Where the next page starts: the last item of this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: DateTime<Utc>,
    pub answer_id: i64,
}

/// One answer in a member's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    pub answer_id: i64,
    pub interview_id: Option<i64>,
    pub qotd_post_id: Option<i64>,
    pub question_id: String,
    pub track: String,
    pub turn: Turn,
    pub status: AnswerStatus,
    pub overall: Option<f32>,
    pub hinted: bool,
    /// When the first message of the answer arrived.
    pub created_at: DateTime<Utc>,
    pub submitted_at: DateTime<Utc>,
}

/// A page of history, and the cursor of the next one when there may be more.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPage {
    pub items: Vec<HistoryItem>,
    pub next: Option<Cursor>,
}

/// Averages over a set of scored answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileLine {
    /// The track; `None` for the line over every track.
    pub track: Option<String>,
    pub answers: i64,
    pub technical: f64,
    pub tradeoffs: f64,
    pub communication: f64,
    pub overall: f64,
    /// Average overall of the last ten scored answers.
    pub recent: f64,
    /// Average overall of the ten before them, when there are any.
    pub previous: Option<f64>,
}

impl ProfileLine {
    /// Recent minus previous: positive when the member is improving.
    pub fn trend(&self) -> Option<f64> {
        self.previous.map(|p| self.recent - p)
    }
}

/// Which of a member's answers a viewer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Everything: the member themself, or a guild that shares private interviews.
    Everything,
    /// All but the answers of interviews held in private threads.
    NotPrivate,
}

impl Shown {
    /// What `viewer` sees of `member`'s answers, given whether the guild shares private
    /// interviews.
    pub fn to(viewer: u64, member: u64, share_private: bool) -> Shown {
        if viewer == member || share_private {
            Shown::Everything
        } else {
            Shown::NotPrivate
        }
    }

    /// Whether private interviews' answers are included (the queries' flag).
    pub(super) fn private(self) -> bool {
        self == Shown::Everything
    }
}

/// A member's submitted answers in a guild, newest first, `limit` at a time.
pub async fn page(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    after: Option<Cursor>,
    limit: i64,
    shown: Shown,
) -> Result<HistoryPage, StoreError> {
    let (at, id) = after.map_or((None, None), |c| (Some(c.created_at), Some(c.answer_id)));
    let rows = sqlx::query!(
        r#"SELECT answer_id, interview_id, qotd_post_id, question_id, track, turn, status,
                  overall, hinted, created_at, submitted_at AS "submitted_at!"
           FROM answers
           WHERE guild_id = $1 AND user_id = $2
             AND (created_at, answer_id) < (coalesce($3, 'infinity'::timestamptz),
                                            coalesce($4, 9223372036854775807))
             AND submitted_at IS NOT NULL
             AND ($6 OR NOT EXISTS (SELECT 1 FROM interviews i
                                   WHERE i.interview_id = answers.interview_id AND i.private))
           ORDER BY created_at DESC, answer_id DESC
           LIMIT $5"#,
        db_id(guild_id),
        db_id(user_id),
        at,
        id,
        limit,
        shown.private()
    )
    .fetch_all(ex)
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(HistoryItem {
                answer_id: r.answer_id,
                interview_id: r.interview_id,
                qotd_post_id: r.qotd_post_id,
                question_id: r.question_id,
                track: r.track,
                turn: turn_from_number(r.turn),
                status: AnswerStatus::parse(&r.status)?,
                overall: r.overall,
                hinted: r.hinted,
                created_at: r.created_at,
                submitted_at: r.submitted_at,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let full = i64::try_from(items.len()).is_ok_and(|n| n == limit);
    let next = items.last().filter(|_| full).map(|last| Cursor {
        created_at: last.created_at,
        answer_id: last.answer_id,
    });
    Ok(HistoryPage { items, next })
}

/// A member's profile in a guild: one line per track, then the line over every track.
pub async fn profile(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    shown: Shown,
) -> Result<Vec<ProfileLine>, StoreError> {
    let rows = sqlx::query!(
        r#"WITH scored AS (
               SELECT track, technical, tradeoffs, communication, overall,
                      row_number() OVER (PARTITION BY track
                                         ORDER BY scored_at DESC, answer_id DESC) AS in_track,
                      row_number() OVER (ORDER BY scored_at DESC, answer_id DESC) AS in_all
               FROM answers
               WHERE guild_id = $1 AND user_id = $2 AND status = 'scored'
                 AND ($3 OR NOT EXISTS (SELECT 1 FROM interviews i
                                           WHERE i.interview_id = answers.interview_id AND i.private))
           )
           SELECT track AS "track?", count(*) AS "answers!",
                  avg(technical)::float8 AS "technical!", avg(tradeoffs)::float8 AS "tradeoffs!",
                  avg(communication)::float8 AS "communication!",
                  avg(overall)::float8 AS "overall!",
                  CASE WHEN GROUPING(track) = 0
                       THEN avg(overall) FILTER (WHERE in_track <= 10)
                       ELSE avg(overall) FILTER (WHERE in_all <= 10) END::float8 AS "recent!",
                  CASE WHEN GROUPING(track) = 0
                       THEN avg(overall) FILTER (WHERE in_track > 10 AND in_track <= 20)
                       ELSE avg(overall) FILTER (WHERE in_all > 10 AND in_all <= 20)
                  END::float8 AS previous
           FROM scored
           GROUP BY GROUPING SETS ((track), ())
           HAVING count(*) > 0
           ORDER BY GROUPING(track), track"#,
        db_id(guild_id),
        db_id(user_id),
        shown.private()
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProfileLine {
            track: r.track,
            answers: r.answers,
            technical: r.technical,
            tradeoffs: r.tradeoffs,
            communication: r.communication,
            overall: r.overall,
            recent: r.recent,
            previous: r.previous,
        })
        .collect())
}

/// What planning an interview needs of a member's past in a guild: how often each question was
/// put to them (main turns, interviews and QOTD alike), and per topic how many of those answers
/// were scored and their average.
/// The level and overall score of the member's latest scored answer to an interview's main
/// question: where their next adaptive interview picks up.
pub async fn last_main_answer(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
) -> Result<Option<(Difficulty, f32)>, StoreError> {
    let row = sqlx::query!(
        r#"SELECT q.difficulty, a.overall AS "overall!"
           FROM answers a
           JOIN questions q ON q.question_key = a.question_key
           WHERE a.guild_id = $1 AND a.user_id = $2 AND a.turn = 0
             AND a.interview_id IS NOT NULL AND a.overall IS NOT NULL
           ORDER BY a.scored_at DESC NULLS LAST, a.answer_id DESC
           LIMIT 1"#,
        db_id(guild_id),
        db_id(user_id)
    )
    .fetch_optional(ex)
    .await?;
    row.map(|r| Ok((difficulty(&r.difficulty)?, r.overall)))
        .transpose()
}

pub async fn for_planning(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
) -> Result<CandidateHistory, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT a.question_id, q.topic, count(*) AS "asked!",
                  count(a.overall) AS "scored!", avg(a.overall)::float4 AS average
           FROM answers a
           JOIN questions q ON q.question_key = a.question_key
           WHERE a.guild_id = $1 AND a.user_id = $2 AND a.turn = 0
           GROUP BY a.question_id, q.topic"#,
        db_id(guild_id),
        db_id(user_id)
    )
    .fetch_all(ex)
    .await?;
    let mut history = CandidateHistory::default();
    for r in rows {
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        *history.seen_questions.entry(r.question_id).or_default() += count(r.asked);
        if let (Some(average), scored @ 1..) = (r.average, r.scored) {
            let topic = history.topics.entry(r.topic).or_insert(TopicRecord {
                answers: 0,
                average: 0.0,
            });
            let total = topic.average * topic.answers as f32 + average * scored as f32;
            topic.answers += count(scored);
            topic.average = total / topic.answers as f32;
        }
    }
    Ok(history)
}
