//! What `/history`, `/profile` and `/leaderboard` read beyond `history` and `leaderboards`: a
//! member's scores day by day (for their chart), their weakest topics, the history page newer
//! than a cursor (paging back towards the newest answers), and the guild's local date, which a
//! board's period starts from. Days are the guild's local dates, computed by PostgreSQL from the
//! guild's time zone, the same way the answers' `day` and the roll-ups' days are.

use chrono::NaiveDate;
use sqlx::PgExecutor;

use crate::scoring::Scores;
use crate::store::answers::{turn_from_number, AnswerStatus};
use crate::store::history::{Cursor, HistoryItem, Shown};
use crate::store::{db_id, StoreError};

/// A member's average scores on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayScores {
    pub day: NaiveDate,
    pub answers: i64,
    pub scores: Scores,
}

/// A topic and how a member scores on it.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicScore {
    pub track: String,
    pub topic: String,
    pub answers: i64,
    pub overall: f64,
}

/// The member's averages per day over their last `days` days with a scored answer, oldest
/// first.
pub async fn daily_scores(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    days: i64,
    shown: Shown,
) -> Result<Vec<DayScores>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT day AS "day!", count(*) AS "answers!",
                  coalesce(avg(technical), 0)::float4 AS "technical!",
                  coalesce(avg(tradeoffs), 0)::float4 AS "tradeoffs!",
                  coalesce(avg(communication), 0)::float4 AS "communication!",
                  avg(overall)::float4 AS "overall!"
           FROM answers
           WHERE guild_id = $1 AND user_id = $2 AND status = 'scored' AND day IS NOT NULL
             AND ($4 OR NOT EXISTS (SELECT 1 FROM interviews i
                                   WHERE i.interview_id = answers.interview_id AND i.private))
           GROUP BY day
           ORDER BY day DESC
           LIMIT $3"#,
        db_id(guild_id),
        db_id(user_id),
        days,
        shown.private()
    )
    .fetch_all(ex)
    .await?;
    let mut out: Vec<DayScores> = rows
        .into_iter()
        .map(|r| DayScores {
            day: r.day,
            answers: r.answers,
            scores: Scores {
                technical: r.technical,
                tradeoffs: r.tradeoffs,
                communication: r.communication,
                overall: r.overall,
            },
        })
        .collect();
    out.reverse();
    Ok(out)
}

/// The member's `limit` topics with the lowest average overall score, lowest first.
pub async fn weakest_topics(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    limit: i64,
    shown: Shown,
) -> Result<Vec<TopicScore>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT q.track, q.topic, count(*) AS "answers!", avg(a.overall)::float8 AS "overall!"
           FROM answers a
           JOIN questions q ON q.question_key = a.question_key
           WHERE a.guild_id = $1 AND a.user_id = $2 AND a.status = 'scored'
             AND ($4 OR NOT EXISTS (SELECT 1 FROM interviews i
                                   WHERE i.interview_id = a.interview_id AND i.private))
           GROUP BY q.track, q.topic
           ORDER BY avg(a.overall), count(*) DESC, q.topic
           LIMIT $3"#,
        db_id(guild_id),
        db_id(user_id),
        limit,
        shown.private()
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TopicScore {
            track: r.track,
            topic: r.topic,
            answers: r.answers,
            overall: r.overall,
        })
        .collect())
}

/// The page just newer than `than`: at most `limit` answers, newest first, and whether there
/// are newer ones still.
pub async fn newer_history(
    ex: impl PgExecutor<'_>,
    guild_id: u64,
    user_id: u64,
    than: Cursor,
    limit: i64,
    shown: Shown,
) -> Result<(Vec<HistoryItem>, bool), StoreError> {
    let rows = sqlx::query!(
        r#"SELECT answer_id, interview_id, qotd_post_id, question_id, track, turn, status,
                  overall, hinted, created_at, submitted_at AS "submitted_at!"
           FROM answers
           WHERE guild_id = $1 AND user_id = $2
             AND (created_at, answer_id) > ($3, $4)
             AND submitted_at IS NOT NULL
             AND ($6 OR NOT EXISTS (SELECT 1 FROM interviews i
                                   WHERE i.interview_id = answers.interview_id AND i.private))
           ORDER BY created_at, answer_id
           LIMIT $5"#,
        db_id(guild_id),
        db_id(user_id),
        than.created_at,
        than.answer_id,
        limit.saturating_add(1),
        shown.private()
    )
    .fetch_all(ex)
    .await?;
    let more = i64::try_from(rows.len()).is_ok_and(|n| n > limit);
    let mut items = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(0))
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
    items.reverse();
    Ok((items, more))
}

/// Today's date in the guild's time zone (UTC for a guild never configured).
pub async fn today(ex: impl PgExecutor<'_>, guild_id: u64) -> Result<NaiveDate, StoreError> {
    let today = sqlx::query_scalar!(
        r#"SELECT (now() AT TIME ZONE
                   coalesce((SELECT timezone FROM guilds WHERE guild_id = $1), 'UTC')
                  )::date AS "today!""#,
        db_id(guild_id)
    )
    .fetch_one(ex)
    .await?;
    Ok(today)
}
