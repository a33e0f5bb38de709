//! Peer interviews: the invitation, the session in its thread, and each question of each round
//! with the candidate's answer, the interviewer's marks and the bot's second opinion. Every
//! change of state is one conditional statement, so two clicks (or two processes) racing
//! cannot accept twice, grade a graded answer, or post a report twice.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use super::{db_id, discord_id, StoreError};
use crate::interview::pair::{Mark, Marks};

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

/// One question of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct PairAnswer {
    pub pair_id: i64,
    pub round: u32,
    pub position: u32,
    pub interviewer_id: u64,
    pub user_id: u64,
    pub question_id: String,
    pub body: String,
    pub marks: Marks,
    pub note: Option<String>,
    pub peer_score: Option<f32>,
    pub graded: bool,
    pub assessment: Option<serde_json::Value>,
}

/// Which question of which round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerKey {
    pub pair_id: i64,
    pub round: u32,
    pub position: u32,
}

impl PairAnswer {
    pub fn key(&self) -> AnswerKey {
        AnswerKey {
            pair_id: self.pair_id,
            round: self.round,
            position: self.position,
        }
    }
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

/// Asks `question_id` as the next question of the pair's round; `None` when the round's last
/// question is still ungraded (a second click on the picker) or the pair is not active.
pub async fn ask(
    ex: impl PgExecutor<'_>,
    pair: &Pair,
    question_id: &str,
) -> Result<Option<AnswerKey>, StoreError> {
    let position = sqlx::query_scalar!(
        r#"INSERT INTO pair_answers (pair_id, round, position, guild_id, interviewer_id, user_id,
                                     question_id)
           SELECT p.pair_id, p.round,
                  coalesce((SELECT max(position) FROM pair_answers a
                            WHERE a.pair_id = p.pair_id AND a.round = p.round), 0) + 1,
                  p.guild_id, $2, $3, $4
           FROM pairs p
           WHERE p.pair_id = $1 AND p.status = 'active' AND p.round = $5 AND NOT p.reporting
             AND NOT EXISTS (SELECT 1 FROM pair_answers a
                             WHERE a.pair_id = p.pair_id AND a.round = p.round
                               AND a.graded_at IS NULL)
           ON CONFLICT DO NOTHING
           RETURNING position"#,
        pair.pair_id,
        db_id(pair.interviewer()),
        db_id(pair.candidate()),
        question_id,
        int(pair.round)
    )
    .fetch_optional(ex)
    .await?;
    Ok(position.map(|p| AnswerKey {
        pair_id: pair.pair_id,
        round: pair.round,
        position: count(p),
    }))
}

macro_rules! answer_from_row {
    ($r:expr) => {
        PairAnswer {
            pair_id: $r.pair_id,
            round: count($r.round),
            position: count($r.position),
            interviewer_id: discord_id($r.interviewer_id),
            user_id: discord_id($r.user_id),
            question_id: $r.question_id,
            body: $r.body,
            marks: serde_json::from_value($r.marks)
                .map_err(|e| StoreError::Corrupt(format!("pair marks: {e}")))?,
            note: $r.note,
            peer_score: $r.peer_score,
            graded: $r.graded,
            assessment: $r.assessment,
        }
    };
}

/// The questions of round `round`, in the order asked.
pub async fn answers(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
    round: u32,
) -> Result<Vec<PairAnswer>, StoreError> {
    let rows = sqlx::query!(
        r#"SELECT pair_id, round, position, interviewer_id, user_id, question_id, body, marks,
                  note, peer_score, graded_at IS NOT NULL AS "graded!", assessment
           FROM pair_answers WHERE pair_id = $1 AND round = $2 ORDER BY position"#,
        pair_id,
        int(round)
    )
    .fetch_all(ex)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(answer_from_row!(r));
    }
    Ok(out)
}

/// Every question ever asked in the pair, for not asking one twice.
pub async fn asked(ex: impl PgExecutor<'_>, pair_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar!(
        "SELECT question_id FROM pair_answers WHERE pair_id = $1",
        pair_id
    )
    .fetch_all(ex)
    .await?)
}

/// Adds the candidate's message to the round's open (ungraded) question; whether there was
/// one to add it to.
pub async fn append(
    ex: impl PgExecutor<'_>,
    pair_id: i64,
    user_id: u64,
    message_id: u64,
    text: &str,
    limit_chars: usize,
) -> Result<bool, StoreError> {
    let added = sqlx::query!(
        "UPDATE pair_answers a
         SET body = CASE WHEN a.body = '' THEN $4 ELSE a.body || E'\n' || $4 END,
             message_ids = a.message_ids || $3::bigint
         FROM pairs p
         WHERE p.pair_id = $1 AND a.pair_id = p.pair_id AND a.round = p.round
           AND a.user_id = $2 AND a.graded_at IS NULL
           AND char_length(a.body) + char_length($4) + 1 <= $5",
        pair_id,
        db_id(user_id),
        db_id(message_id),
        text,
        i32::try_from(limit_chars).unwrap_or(i32::MAX)
    )
    .execute(ex)
    .await?;
    Ok(added.rows_affected() > 0)
}

/// Marks one point of an ungraded answer; whether it was still open to marking.
pub async fn mark(
    ex: impl PgExecutor<'_>,
    key: AnswerKey,
    point_id: &str,
    mark: Mark,
) -> Result<bool, StoreError> {
    let value = serde_json::to_value(mark).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let done = sqlx::query!(
        "UPDATE pair_answers SET marks = marks || jsonb_build_object($4::text, $5::jsonb)
         WHERE pair_id = $1 AND round = $2 AND position = $3 AND graded_at IS NULL",
        key.pair_id,
        int(key.round),
        int(key.position),
        point_id,
        value
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The interviewer's note on an answer (kept short by the form that takes it).
pub async fn set_note(
    ex: impl PgExecutor<'_>,
    key: AnswerKey,
    note: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE pair_answers SET note = NULLIF(btrim($4), '')
         WHERE pair_id = $1 AND round = $2 AND position = $3",
        key.pair_id,
        int(key.round),
        int(key.position),
        note
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Closes the answer with its peer score; whether this call graded it (an answer with no
/// text yet, or graded already, is not).
pub async fn grade(
    ex: impl PgExecutor<'_>,
    key: AnswerKey,
    peer_score: f32,
) -> Result<bool, StoreError> {
    let done = sqlx::query!(
        "UPDATE pair_answers SET graded_at = now(), peer_score = $4
         WHERE pair_id = $1 AND round = $2 AND position = $3 AND graded_at IS NULL
           AND body <> ''",
        key.pair_id,
        int(key.round),
        int(key.position),
        peer_score
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A graded answer waiting for the bot's second opinion.
#[derive(Debug, Clone, PartialEq)]
pub struct ToScore {
    pub key: AnswerKey,
    pub guild_id: u64,
    pub question_id: String,
    pub body: String,
}

/// Takes graded answers without a second opinion (of one pair, or of all) that nobody took up
/// within `stale`: a process that died while scoring leaves them to the next sweep.
pub async fn claim_scoring(
    ex: impl PgExecutor<'_>,
    pair_id: Option<i64>,
    stale: std::time::Duration,
) -> Result<Vec<ToScore>, StoreError> {
    let rows = sqlx::query!(
        "UPDATE pair_answers SET scoring_since = now()
         WHERE graded_at IS NOT NULL AND assessment IS NULL
           AND ($1::bigint IS NULL OR pair_id = $1)
           AND (scoring_since IS NULL OR scoring_since < now() - make_interval(secs => $2))
         RETURNING pair_id, round, position, guild_id, question_id, body",
        pair_id,
        stale.as_secs_f64()
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ToScore {
            key: AnswerKey {
                pair_id: r.pair_id,
                round: count(r.round),
                position: count(r.position),
            },
            guild_id: discord_id(r.guild_id),
            question_id: r.question_id,
            body: r.body,
        })
        .collect())
}

/// Keeps the bot's second opinion.
pub async fn set_assessment(
    ex: impl PgExecutor<'_>,
    key: AnswerKey,
    assessment: &serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query!(
        "UPDATE pair_answers SET assessment = $4
         WHERE pair_id = $1 AND round = $2 AND position = $3",
        key.pair_id,
        int(key.round),
        int(key.position),
        assessment
    )
    .execute(ex)
    .await?;
    Ok(())
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
