//! Rebuilding the leaderboard roll-ups from the facts (scored answers, completed interviews,
//! reviews, QOTD answers). The writes keep the roll-ups current on their own; a rebuild is for
//! repair (after a restore, a bulk import, or a guild changing its time zone) and for erasing a
//! member, whose reviews counted on other members' rows. It takes the roll-up tables' locks for
//! its duration, so concurrent writes wait and then apply on top. Rows are written in key
//! order, so each guild's rows sit together on disk and a board reads a few pages.

use sqlx::{PgConnection, PgPool};

use super::{db_id, StoreError};

/// Recomputes `member_days`, `member_totals` and `qotd_streaks` from scratch, in one transaction.
pub async fn rebuild(pool: &PgPool) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!("TRUNCATE member_days, member_totals, qotd_streaks")
        .execute(&mut *tx)
        .await?;
    insert_from_facts(&mut tx, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Blocks every roll-up write until the caller's transaction ends (writers apply their
/// increments on top of what it leaves), while boards stay readable.
pub(crate) async fn lock(tx: &mut PgConnection) -> Result<(), StoreError> {
    sqlx::query!("LOCK TABLE member_days, member_totals, qotd_streaks IN SHARE ROW EXCLUSIVE MODE")
        .execute(tx)
        .await?;
    Ok(())
}

/// Recomputes one guild's roll-ups inside the caller's transaction, which holds [`lock`].
pub(crate) async fn rebuild_guild(tx: &mut PgConnection, guild_id: u64) -> Result<(), StoreError> {
    let guild = db_id(guild_id);
    sqlx::query!("DELETE FROM member_days WHERE guild_id = $1", guild)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM member_totals WHERE guild_id = $1", guild)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM qotd_streaks WHERE guild_id = $1", guild)
        .execute(&mut *tx)
        .await?;
    insert_from_facts(tx, Some(guild)).await
}

/// Writes the roll-ups of one guild, or of all (`None`), from the facts; their rows must be
/// gone already.
async fn insert_from_facts(tx: &mut PgConnection, guild: Option<i64>) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO member_days (guild_id, user_id, track, day, answers, points, interviews,
                                  reviews)
         SELECT e.guild_id, e.user_id, t.track, e.day, sum(e.answers), sum(e.points),
                sum(e.interviews), sum(e.reviews)
         FROM (
             SELECT guild_id, user_id, track, day, 1 AS answers, points, 0 AS interviews,
                    0 AS reviews
             FROM answers WHERE status = 'scored'
             UNION ALL
             SELECT i.guild_id, i.user_id, i.track, (i.finished_at AT TIME ZONE g.timezone)::date,
                    0, 0, 1, 0
             FROM interviews i JOIN guilds g ON g.guild_id = i.guild_id
             WHERE i.status = 'completed'
             UNION ALL
             SELECT r.guild_id, r.reviewer_id, a.track, r.day, 0, 0, 0, 1
             FROM reviews r JOIN answers a ON a.answer_id = r.answer_id
         ) e
         CROSS JOIN LATERAL (VALUES (''), (e.track)) AS t(track)
         WHERE $1::int8 IS NULL OR e.guild_id = $1
         GROUP BY e.guild_id, e.user_id, t.track, e.day
         ORDER BY e.guild_id, t.track, e.day, e.user_id",
        guild,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO member_totals (guild_id, user_id, track, answers, points, interviews, reviews)
         SELECT guild_id, user_id, track, sum(answers), sum(points), sum(interviews), sum(reviews)
         FROM member_days
         WHERE $1::int8 IS NULL OR guild_id = $1
         GROUP BY guild_id, user_id, track
         ORDER BY guild_id, track, user_id",
        guild,
    )
    .execute(&mut *tx)
    .await?;
    insert_streaks(tx, guild).await
}

/// Streaks are islands of consecutive posts answered: a post's number in its guild minus its
/// number among the member's answered posts is constant along a run.
async fn insert_streaks(tx: &mut PgConnection, guild: Option<i64>) -> Result<(), StoreError> {
    sqlx::query!(
        "WITH posts AS (
             SELECT qotd_post_id, guild_id, day,
                    row_number() OVER (PARTITION BY guild_id ORDER BY day) AS seq
             FROM qotd_posts
             WHERE $1::int8 IS NULL OR guild_id = $1
         ), answered AS (
             SELECT a.guild_id, a.user_id, p.day,
                    p.seq - row_number() OVER (PARTITION BY a.guild_id, a.user_id
                                               ORDER BY p.seq) AS island
             FROM answers a JOIN posts p ON p.qotd_post_id = a.qotd_post_id
             WHERE a.status <> 'open'
         ), islands AS (
             SELECT guild_id, user_id, count(*)::int4 AS len, max(day) AS last_day
             FROM answered
             GROUP BY guild_id, user_id, island
         )
         INSERT INTO qotd_streaks (guild_id, user_id, current, best, last_day)
         SELECT DISTINCT ON (guild_id, user_id) guild_id, user_id, len,
                max(len) OVER (PARTITION BY guild_id, user_id), last_day
         FROM islands
         ORDER BY guild_id, user_id, last_day DESC",
        guild,
    )
    .execute(tx)
    .await?;
    Ok(())
}
