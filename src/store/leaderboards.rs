//! Leaderboards. A board reads the roll-ups (`member_totals` for all time, `member_days` for a
//! period, `qotd_streaks` for streaks), which the writes keep current, so a request touches one
//! row per member and day of the guild, never its answers. Ranks are competition ranks (equal
//! values share a rank; the next rank skips); within a rank, members are listed by user id.
//! A member with nothing to show for the metric (zero, or too few answers for an average) is
//! not ranked.

use chrono::{Datelike, Days, NaiveDate};
use sqlx::PgExecutor;

use super::{db_id, discord_id, StoreError, ALL_TRACKS};

/// What a board ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Average overall score (0–10) of the scored answers, for members with at least
    /// `min_answers` of them.
    AverageScore { min_answers: i32 },
    /// Sum of the overall scores of the scored answers.
    TotalPoints,
    /// Interviews completed (every planned question reached).
    InterviewsCompleted,
    /// Consecutive QOTD posts answered, up to the latest post (or the one before, while today's
    /// is still open); within a period, only the posts of the period count. Streaks are per
    /// guild, so this board ignores the track filter.
    QotdStreak,
    /// Reviews given to other members' answers.
    ReviewsGiven,
    /// Average peer-graded score (0–10): the interviewer's marks in peer interviews, apart
    /// from the bot's scores. Peer interviews carry no track, so this board ignores the track
    /// filter.
    PeerGraded,
    /// Peer interviews given: rounds in which the member interviewed and marked an answer.
    /// Ignores the track filter too.
    InterviewsGiven,
}

/// The periods the bot offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    ThisWeek,
    ThisMonth,
    AllTime,
}

impl Period {
    /// The period's first day, given today's date in the guild's time zone (weeks start on
    /// Monday). `None` for all time.
    pub fn since(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::ThisWeek => {
                let back = u64::from(today.weekday().num_days_from_monday());
                today.checked_sub_days(Days::new(back))
            }
            Period::ThisMonth => today.with_day(1),
            Period::AllTime => None,
        }
    }
}

/// One board request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoardQuery<'a> {
    pub guild_id: u64,
    pub metric: Metric,
    /// First local day of the period (see [`Period::since`]); `None` for all time.
    pub since: Option<NaiveDate>,
    pub track: Option<&'a str>,
    /// Entries to skip (page × page size) and to return.
    pub offset: i64,
    pub limit: i64,
    /// Whose own standing to return, wherever it is.
    pub caller: u64,
}

/// A member's place on a board.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub rank: i64,
    pub user_id: u64,
    pub display_name: String,
    /// In the metric's unit (score 0–10, points, count, days).
    pub value: f64,
    /// Scored answers counted (0 on the streak board).
    pub answers: i64,
}

/// A page of a board, how many members it ranks, and the caller's own standing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Board {
    pub entries: Vec<Standing>,
    pub ranked: i64,
    pub caller: Option<Standing>,
}

/// One page of a board and the caller's standing, as [`Row`]s: from a query whose CTEs end
/// in `valued` (user_id, answers, value; a NULL value is not ranked), this ranks the members
/// and keeps the page and the caller. $1 is the guild, $2 and $3 the page's offset and limit,
/// $4 the caller; the query's own parameters start at $5.
macro_rules! ranked_page {
    ($ex:expr, $q:expr, $valued:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Row,
            $valued
                + r#", ranked AS (
               SELECT user_id, answers, value, rank() OVER (ORDER BY value DESC) AS rank,
                      row_number() OVER (ORDER BY value DESC, user_id) AS pos
               FROM valued WHERE value IS NOT NULL
           )
           SELECT t.ranked AS "ranked!", p.user_id AS "user_id?", p.answers AS "answers?",
                  p.value AS "value?", p.rank AS "rank?", p.pos AS "pos?",
                  p.display_name AS "display_name?"
           FROM (SELECT count(*) AS ranked FROM ranked) t
           LEFT JOIN LATERAL (
               SELECT r.user_id, r.answers, r.value, r.rank, r.pos, m.display_name
               FROM ranked r JOIN members m ON m.guild_id = $1 AND m.user_id = r.user_id
               WHERE (r.pos > $2 AND r.pos <= $2 + $3) OR r.user_id = $4
           ) p ON true
           ORDER BY p.pos"#,
            db_id($q.guild_id),
            $q.offset,
            $q.limit,
            db_id($q.caller),
            $($arg),*
        )
        .fetch_all($ex)
        .await
        .map_err(StoreError::from)
    };
}

/// The rows every board query returns.
struct Row {
    ranked: i64,
    user_id: Option<i64>,
    answers: Option<i64>,
    value: Option<f64>,
    rank: Option<i64>,
    pos: Option<i64>,
    display_name: Option<String>,
}

/// One page of a board, with the caller's standing.
pub async fn board(ex: impl PgExecutor<'_>, q: &BoardQuery<'_>) -> Result<Board, StoreError> {
    let rows = match q.metric {
        Metric::AverageScore { min_answers } => counters(ex, q, "average", min_answers).await?,
        Metric::TotalPoints => counters(ex, q, "points", 1).await?,
        Metric::InterviewsCompleted => counters(ex, q, "interviews", 1).await?,
        Metric::ReviewsGiven => counters(ex, q, "reviews", 1).await?,
        Metric::QotdStreak => streaks(ex, q).await?,
        Metric::PeerGraded => peers(ex, q, "peer").await?,
        Metric::InterviewsGiven => peers(ex, q, "given").await?,
    };
    let mut board = Board::default();
    for row in rows {
        board.ranked = row.ranked;
        let (Some(user_id), Some(value), Some(rank), Some(pos), Some(name)) =
            (row.user_id, row.value, row.rank, row.pos, row.display_name)
        else {
            continue;
        };
        let standing = Standing {
            rank,
            user_id: discord_id(user_id),
            display_name: name,
            value,
            answers: row.answers.unwrap_or(0),
        };
        if standing.user_id == q.caller {
            board.caller = Some(standing.clone());
        }
        if pos > q.offset && pos <= q.offset.saturating_add(q.limit) {
            board.entries.push(standing);
        }
    }
    Ok(board)
}

/// The boards over the counters of the roll-ups: `metric` is "average", "points",
/// "interviews" or "reviews".
async fn counters(
    ex: impl PgExecutor<'_>,
    q: &BoardQuery<'_>,
    metric: &str,
    min_answers: i32,
) -> Result<Vec<Row>, StoreError> {
    ranked_page!(
        ex,
        q,
        r#"WITH agg AS (
               SELECT user_id, answers::int8 AS answers, points, interviews::int8 AS interviews,
                      reviews::int8 AS reviews
               FROM member_totals
               WHERE guild_id = $1 AND track = $5 AND $6::date IS NULL
               UNION ALL
               SELECT user_id, sum(answers)::int8, sum(points)::int8, sum(interviews)::int8,
                      sum(reviews)::int8
               FROM member_days
               WHERE guild_id = $1 AND track = $5 AND day >= $6
               GROUP BY user_id
           ), valued AS (
               SELECT user_id, answers, CASE $7::text
                   WHEN 'average' THEN
                       CASE WHEN answers >= $8 THEN points::float8 / answers::float8 / 10 END
                   WHEN 'points' THEN CASE WHEN points > 0 THEN points::float8 / 10 END
                   WHEN 'interviews' THEN CASE WHEN interviews > 0 THEN interviews::float8 END
                   ELSE CASE WHEN reviews > 0 THEN reviews::float8 END
               END AS value
               FROM agg
           )"#,
        q.track.unwrap_or(ALL_TRACKS),
        q.since,
        metric,
        i64::from(min_answers.max(1)),
    )
}

/// The QOTD streak board: live streaks only, cut to the period's posts.
async fn streaks(ex: impl PgExecutor<'_>, q: &BoardQuery<'_>) -> Result<Vec<Row>, StoreError> {
    ranked_page!(
        ex,
        q,
        r#"WITH recent AS (
               SELECT day FROM qotd_posts WHERE guild_id = $1 ORDER BY day DESC LIMIT 2
           ), bounds AS (
               SELECT max(day) AS latest, CASE WHEN count(*) = 2 THEN min(day) END AS prev
               FROM recent
           ), in_period AS (
               SELECT count(*) FILTER (WHERE p.day <= b.latest) AS n_latest,
                      count(*) FILTER (WHERE p.day <= b.prev) AS n_prev
               FROM qotd_posts p, bounds b
               WHERE p.guild_id = $1 AND p.day >= $5
           ), valued AS (
               -- A streak of 0 in the period is not ranked.
               SELECT s.user_id, 0::int8 AS answers, nullif(CASE
                   WHEN $5::date IS NULL THEN s.current
                   WHEN s.last_day = b.latest THEN least(s.current, n.n_latest)
                   ELSE least(s.current, n.n_prev) END, 0)::float8 AS value
               FROM qotd_streaks s, bounds b, in_period n
               WHERE s.guild_id = $1 AND (s.last_day = b.latest OR s.last_day = b.prev)
           )"#,
        q.since,
    )
}

/// The peer-interview boards: `metric` "peer" ranks candidates by their mean peer-graded
/// score, "given" ranks interviewers by the rounds they gave (answers marked, as the count).
/// A period counts answers marked on its days, in the guild's time zone.
async fn peers(
    ex: impl PgExecutor<'_>,
    q: &BoardQuery<'_>,
    metric: &str,
) -> Result<Vec<Row>, StoreError> {
    ranked_page!(
        ex,
        q,
        r#"WITH marked AS (
               SELECT CASE WHEN $6::text = 'peer' THEN a.user_id ELSE a.interviewer_id END
                          AS user_id,
                      a.pair_id, a.round, a.peer_score
               FROM pair_answers a JOIN guilds g ON g.guild_id = a.guild_id
               WHERE a.guild_id = $1 AND a.graded_at IS NOT NULL
                 AND ($5::date IS NULL OR (a.graded_at AT TIME ZONE g.timezone)::date >= $5)
           ), valued AS (
               SELECT user_id, count(*)::int8 AS answers,
                      CASE WHEN $6::text = 'peer' THEN avg(peer_score)::float8
                           ELSE count(DISTINCT (pair_id, round))::float8 END AS value
               FROM marked GROUP BY user_id
           )"#,
        q.since,
        metric,
    )
}
