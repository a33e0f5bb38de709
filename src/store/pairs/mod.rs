//! Peer interviews: the invitation, the session in its thread, and each question of each round
//! with the candidate's answer, the interviewer's marks and the bot's second opinion. Every
//! change of state is one conditional statement, so two clicks (or two processes) racing
//! cannot accept twice, grade a graded answer, or post a report twice.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

mod answers;

pub use answers::{
    answers, append, ask, asked, claim_scoring, grade, mark, set_assessment, set_note, AnswerKey,
    PairAnswer, ToScore,
};

use super::{db_id, discord_id, StoreError};

/// What becomes of an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairStatus {
    Invited,
    Declined,
    Expired,
    Active,
    Ended,
}

impl PairStatus {
    fn parse(s: &str) -> Result<PairStatus, StoreError> {
        Ok(match s {
            "invited" => PairStatus::Invited,
            "declined" => PairStatus::Declined,
            "expired" => PairStatus::Expired,
            "active" => PairStatus::Active,
            "ended" => PairStatus::Ended,
            other => return Err(StoreError::Corrupt(format!("pair status {other:?}"))),
        })
    }
}

/// A peer interview.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub pair_id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    pub invite_message_id: Option<u64>,
    pub thread_id: Option<u64>,
    /// Who invited (round 1's interviewer) and whom (round 1's candidate).
    pub host_id: u64,
    pub guest_id: u64,
    pub track: Option<String>,
    pub difficulty: Option<String>,
    pub questions: u32,
    pub choices: Vec<String>,
    pub status: PairStatus,
    pub round: u32,
    pub reporting: bool,
    pub reported_round: u32,
}

impl Pair {
    /// This round's interviewer: the host in odd rounds, the guest in even ones.
    pub fn interviewer(&self) -> u64 {
        if self.round % 2 == 1 {
            self.host_id
        } else {
            self.guest_id
        }
    }

    /// This round's candidate.
    pub fn candidate(&self) -> u64 {
        if self.round % 2 == 1 {
            self.guest_id
        } else {
            self.host_id
        }
    }

    pub fn is_member(&self, user_id: u64) -> bool {
        user_id == self.host_id || user_id == self.guest_id
    }
}

/// An invitation to store.
pub struct NewPair<'a> {
    pub guild_id: u64,
    pub channel_id: u64,
    pub host_id: u64,
    pub guest_id: u64,
    pub track: Option<&'a str>,
    pub difficulty: Option<&'a str>,
    pub questions: u32,
    pub choices: &'a [String],
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Stores an invitation; its id.
pub async fn invite(ex: impl PgExecutor<'_>, new: &NewPair<'_>) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar!(
        "INSERT INTO pairs (guild_id, channel_id, host_id, guest_id, track, difficulty,
                            questions, choices)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING pair_id",
        db_id(new.guild_id),
        db_id(new.channel_id),
        db_id(new.host_id),
        db_id(new.guest_id),
        new.track,
        new.difficulty,
        int(new.questions),
        new.choices
    )
    .fetch_one(ex)
    .await?;
    Ok(id)
}

pub async fn set_invite_message(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
    message_id: u64,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE pairs SET invite_message_id = $2 WHERE pair_id = $1",
        pair_id,
        db_id(message_id)
    )
    .execute(ex)
    .await?;
    Ok(())
}

macro_rules! pair_from_row {
    ($r:expr) => {
        Pair {
            pair_id: $r.pair_id,
            guild_id: discord_id($r.guild_id),
            channel_id: discord_id($r.channel_id),
            invite_message_id: $r.invite_message_id.map(discord_id),
            thread_id: $r.thread_id.map(discord_id),
            host_id: discord_id($r.host_id),
            guest_id: discord_id($r.guest_id),
            track: $r.track,
            difficulty: $r.difficulty,
            questions: count($r.questions),
            choices: $r.choices,
            status: PairStatus::parse(&$r.status)?,
            round: count($r.round),
            reporting: $r.reporting,
            reported_round: count($r.reported_round),
        }
    };
}

pub async fn get(ex: impl PgExecutor<'_>, pair_id: i64) -> Result<Option<Pair>, StoreError> {
    let row = sqlx::query!(
        "SELECT pair_id, guild_id, channel_id, invite_message_id, thread_id, host_id, guest_id,
                track, difficulty, questions, choices, status, round, reporting, reported_round
         FROM pairs WHERE pair_id = $1",
        pair_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(match row {
        Some(r) => Some(pair_from_row!(r)),
        None => None,
    })
}

/// The peer interview held in `thread_id`, if any.
pub async fn by_thread(
    ex: impl PgExecutor<'_>,
    thread_id: u64,
) -> Result<Option<Pair>, StoreError> {
    let row = sqlx::query!(
        "SELECT pair_id, guild_id, channel_id, invite_message_id, thread_id, host_id, guest_id,
                track, difficulty, questions, choices, status, round, reporting, reported_round
         FROM pairs WHERE thread_id = $1",
        db_id(thread_id)
    )
    .fetch_optional(ex)
    .await?;
    Ok(match row {
        Some(r) => Some(pair_from_row!(r)),
        None => None,
    })
}

/// The invited member's answer, taken only while the invitation stands: `Active` (accepted),
/// `Declined`, or `Expired` when it is older than `expires_after`. `None` when it was already
/// answered (or is unknown).
pub async fn respond(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
    accept: bool,
    expires_after: std::time::Duration,
) -> Result<Option<PairStatus>, StoreError> {
    let answered = if accept { "active" } else { "declined" };
    let secs = expires_after.as_secs_f64();
    let status = sqlx::query_scalar!(
        "UPDATE pairs
         SET status = CASE WHEN invited_at < now() - make_interval(secs => $3) THEN 'expired'
                           ELSE $2 END
         WHERE pair_id = $1 AND status = 'invited'
         RETURNING status",
        pair_id,
        answered,
        secs
    )
    .fetch_optional(ex)
    .await?;
    status.as_deref().map(PairStatus::parse).transpose()
}

/// The accepted pair's thread.
pub async fn set_thread(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
    thread_id: u64,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE pairs SET thread_id = $2 WHERE pair_id = $1",
        pair_id,
        db_id(thread_id)
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Invitations unanswered since before `before`, marked expired: (pair, channel, invite
/// message) for each, to edit the invitation.
pub async fn expire_before(
    ex: impl PgExecutor<'_>,
    before: DateTime<Utc>,
) -> Result<Vec<(i64, u64, Option<u64>)>, StoreError> {
    let rows = sqlx::query!(
        "UPDATE pairs SET status = 'expired'
         WHERE status = 'invited' AND invited_at < $1
         RETURNING pair_id, channel_id, invite_message_id",
        before
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.pair_id,
                discord_id(r.channel_id),
                r.invite_message_id.map(discord_id),
            )
        })
        .collect())
}

/// The current round is over (every question graded, or the members ended it): its report is
/// due. `end` also ends the pair. Whether the pair was active.
pub async fn finish_round(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
    end: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE pairs SET reporting = true,
                          status = CASE WHEN $2 THEN 'ended' ELSE status END
         WHERE pair_id = $1 AND status = 'active'",
        pair_id,
        end
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Claims the round's report for posting, once every graded answer has its second opinion:
/// the round, to this caller alone. Ungraded questions are left out of the report.
pub async fn claim_report(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
) -> Result<Option<u32>, StoreError> {
    let round = sqlx::query_scalar!(
        "UPDATE pairs p SET reported_round = p.round
         WHERE p.pair_id = $1 AND p.reporting AND p.reported_round < p.round
           AND NOT EXISTS (SELECT 1 FROM pair_answers a
                           WHERE a.pair_id = p.pair_id AND a.round = p.round
                             AND a.graded_at IS NOT NULL AND a.assessment IS NULL)
         RETURNING p.round",
        pair_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(round.map(count))
}

/// Pairs whose report is due and not yet posted.
pub async fn reports_due(ex: impl PgExecutor<'_>) -> Result<Vec<i64>, StoreError> {
    Ok(
        sqlx::query_scalar!("SELECT pair_id FROM pairs WHERE reporting AND reported_round < round")
            .fetch_all(ex)
            .await?,
    )
}

/// Starts the next round with the roles swapped, once this round's report is out; the new
/// round, or `None` when it is not time (or someone swapped first).
pub async fn swap(ex: impl PgExecutor<'_>, pair_id: i64) -> Result<Option<u32>, StoreError> {
    let round = sqlx::query_scalar!(
        "UPDATE pairs SET round = round + 1, reporting = false, status = 'active'
         WHERE pair_id = $1 AND reporting AND reported_round = round
           AND status IN ('active', 'ended')
         RETURNING round",
        pair_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(round.map(count))
}

/// One peer-graded answer, for the member's history.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerGraded {
    pub question_id: String,
    pub peer_score: f32,
    /// The bot's second opinion, once it came.
    pub bot_score: Option<f32>,
    pub graded_at: DateTime<Utc>,
    pub interviewer_id: u64,
}

/// The member's latest peer-graded answers, newest first, and how many peer interviews (rounds
/// in which they marked an answer) they have given.
pub async fn peer_history(
    pool: &sqlx::PgPool,
    guild_id: u64,
    user_id: u64,
    limit: i64,
) -> Result<(Vec<PeerGraded>, i64), StoreError> {
    let rows = sqlx::query!(
        r#"SELECT question_id, peer_score AS "peer_score!", graded_at AS "graded_at!",
                  interviewer_id, (assessment -> 'scores' ->> 'overall')::float4 AS bot_score
           FROM pair_answers
           WHERE guild_id = $1 AND user_id = $2 AND graded_at IS NOT NULL
             AND peer_score IS NOT NULL
           ORDER BY graded_at DESC
           LIMIT $3"#,
        db_id(guild_id),
        db_id(user_id),
        limit
    )
    .fetch_all(pool)
    .await?;
    let given = sqlx::query_scalar!(
        r#"SELECT count(DISTINCT (pair_id, round)) AS "given!" FROM pair_answers
           WHERE guild_id = $1 AND interviewer_id = $2 AND graded_at IS NOT NULL"#,
        db_id(guild_id),
        db_id(user_id)
    )
    .fetch_one(pool)
    .await?;
    let graded = rows
        .into_iter()
        .map(|r| PeerGraded {
            question_id: r.question_id,
            peer_score: r.peer_score,
            bot_score: r.bot_score,
            graded_at: r.graded_at,
            interviewer_id: discord_id(r.interviewer_id),
        })
        .collect();
    Ok((graded, given))
}
