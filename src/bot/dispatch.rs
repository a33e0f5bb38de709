//! The dispatcher: shows in Discord what interview steps left in the outbox, after their
//! transactions committed. No transaction is open while Discord answers.
//!
//! A step whose thread had nothing waiting gets its effects leased to it in the same commit,
//! and hands them here ([`Handoff`]) to be posted straight away, in order, by a task of their
//! own: no claim and no wake-up stand between an answer's score and its feedback. Everything
//! else (effects queued behind others, retries, a crashed process's leases) is taken by a few
//! lanes per process that claim one effect at a time from the store, which hands out only the
//! oldest effect of a thread: a thread's messages keep their order whichever process posts.
//!
//! Each effect is settled by what Discord answered:
//! - posted: deleted, with the feedback's message id recorded;
//! - 429, 5xx, a timeout or a dropped connection: tried again with backoff. A post carries the
//!   effect's nonce with `enforce_nonce`, so Discord answers a retry of a post that did land
//!   (its reply lost, or this process killed before recording it) with the first message
//!   instead of a second one;
//! - 403 or 404 (the thread deleted, the bot's access removed): the interview cannot go on, so
//!   it ends as abandoned and its remaining effects are dropped, once;
//! - any other refusal: the effect is dropped and logged (retrying a malformed post cannot help).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ChannelId, CreateMessage, EditThread, HttpError, Nonce};
use tokio::sync::{mpsc, watch};
use tracing::{error, info, info_span, warn, Instrument};

use super::session::{abandon_without_posting, spoken};
use super::{error_chain, render, Bot, BotError};
use crate::app::interview::{Delivery, DELIVERY_LEASE};
use crate::interview::Effect;
use crate::store::answers;
use crate::store::outbox::{self, PendingEffect};

/// How often an idle lane looks for effects it was not told about.
const POLL: Duration = Duration::from_secs(1);
/// How long one delivery may take before it is abandoned and tried again (serenity sets no
/// timeout of its own).
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// After this many failed tries (about three minutes of backoff), an effect is dropped.
const MAX_ATTEMPTS: i32 = 12;
/// How long a stopping lane goes on posting what is due (what the workers finished last).
pub const DRAIN: Duration = Duration::from_secs(5);

/// Where committed steps hand their deliveries; [`run_handoffs`] takes them.
#[derive(Debug, Clone)]
pub struct Handoff {
    sender: mpsc::UnboundedSender<Delivery>,
    /// Deliveries handed over and not yet settled, so that stopping can wait for them.
    in_flight: Arc<AtomicUsize>,
}

impl Handoff {
    pub fn new() -> (Handoff, mpsc::UnboundedReceiver<Delivery>) {
        let (sender, rx) = mpsc::unbounded_channel();
        let in_flight = Arc::new(AtomicUsize::new(0));
        (Handoff { sender, in_flight }, rx)
    }

    fn idle(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) == 0
    }

    /// Hands a delivery over; what cannot be (nobody takes deliveries here) goes back to the
    /// lanes of any process.
    pub async fn send(&self, bot: &Bot, delivery: Delivery) {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        if let Err(mpsc::error::SendError(d)) = self.sender.send(delivery) {
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            let ids: Vec<i64> = d.effects.iter().map(|p| p.effect_id).collect();
            if let Err(e) = outbox::release(&bot.app.pool, &ids).await {
                warn!(error = %error_chain(&e), "releasing effects failed; their lease runs out");
            }
            bot.app.effects_ready.notify_one();
        }
    }
}

/// Posts each delivery handed over, each in a task of its own (threads post concurrently, a
/// thread's effects in order), until the handoff closes.
pub async fn run_handoffs(bot: Arc<Bot>, mut handed: mpsc::UnboundedReceiver<Delivery>) {
    while let Some(delivery) = handed.recv().await {
        let bot = Arc::clone(&bot);
        let span = info_span!("deliver", interview_id = delivery.interview_id);
        tokio::spawn(async move { deliver(&bot, delivery).await }.instrument(span));
    }
}

async fn deliver(bot: &Bot, delivery: Delivery) {
    if delivery.typing {
        // Cosmetic: a failure is only logged.
        let thread = ChannelId::new(delivery.thread_id);
        if let Err(e) = thread.broadcast_typing(&bot.http).await {
            warn!(error = %error_chain(&e), "typing indicator failed");
        }
    }
    let waiting = match settle_in_order(bot, delivery.effects).await {
        Ok(waiting) => waiting,
        Err(e) => {
            error!(error = %error_chain(&e), "settling posted effects failed; their lease runs out");
            true
        }
    };
    bot.handoff.in_flight.fetch_sub(1, Ordering::SeqCst);
    if waiting {
        // Effects queued behind these are due now.
        bot.app.effects_ready.notify_one();
    }
}

/// Runs one dispatcher lane until `shutdown` turns true, then posts what is due for up to
/// [`DRAIN`] before it returns.
pub async fn run(bot: Arc<Bot>, lane: usize, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            // What is due, and what this process's last steps handed over.
            let _ = tokio::time::timeout(DRAIN, async {
                loop {
                    if let Ok(true) = dispatch_once(&bot).await {
                        continue;
                    }
                    if bot.handoff.idle() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
            .await;
            return;
        }
        match dispatch_once(&bot).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => error!(lane, error = %error_chain(&e), "dispatching an effect failed"),
        }
        tokio::select! {
            _ = bot.app.effects_ready.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Claims, shows and settles one effect; false when none was due.
pub async fn dispatch_once(bot: &Bot) -> Result<bool, BotError> {
    let Some(pending) = outbox::claim(&bot.app.pool, DELIVERY_LEASE).await? else {
        return Ok(false);
    };
    // Another lane may be idle while this one posts: let it look for another thread's effect.
    bot.app.effects_ready.notify_one();
    let span = info_span!("dispatch", interview_id = pending.interview_id);
    settle_in_order(bot, vec![pending]).instrument(span).await?;
    Ok(true)
}

/// Shows effects of one thread in order and settles them: those shown leave the outbox in one
/// statement; at the first failure, that effect is settled by its kind and the rest are
/// released to the lanes, behind it. True when effects of the thread wait for the lanes.
async fn settle_in_order(bot: &Bot, effects: Vec<PendingEffect>) -> Result<bool, BotError> {
    let mut shown = Vec::new();
    let mut feedback = Vec::new();
    let mut rest = effects.into_iter();
    let mut failed = None;
    for pending in rest.by_ref() {
        match attempt(bot, &pending).await {
            Ok(message_id) => {
                shown.push(pending.effect_id);
                if let (Effect::Feedback { answer_id, .. }, Some(message)) =
                    (&pending.effect, message_id)
                {
                    feedback.extend(answer_id.map(|answer| (answer, message)));
                }
            }
            Err(failure) => {
                failed = Some((pending, failure));
                break;
            }
        }
    }
    let waiting = outbox::done(&bot.app.pool, &shown, &feedback).await?;
    let Some((pending, failure)) = failed else {
        return Ok(waiting);
    };
    let behind: Vec<i64> = rest.map(|p| p.effect_id).collect();
    outbox::release(&bot.app.pool, &behind).await?;
    settle_failure(bot, &pending, failure).await?;
    Ok(true)
}

/// Shows one effect within the delivery timeout.
async fn attempt(bot: &Bot, pending: &PendingEffect) -> Result<Option<u64>, Failure> {
    let effect = complete(bot, &pending.effect).await?;
    let shown = show(
        bot,
        pending.interview_id,
        pending.thread_id,
        &effect,
        pending.effect_id,
    );
    match tokio::time::timeout(DELIVERY_TIMEOUT, shown).await {
        Ok(Ok(message_id)) => Ok(message_id),
        Ok(Err(e)) => Err(classify(&e)),
        Err(_) => Err(Failure::Passing(format!(
            "no answer from Discord within {}",
            spoken(DELIVERY_TIMEOUT)
        ))),
    }
}

/// The effect with what its stored form leaves out: a feedback's assessment, from its answer.
async fn complete(bot: &Bot, effect: &Effect) -> Result<Effect, Failure> {
    let Effect::Feedback {
        answer_id: Some(answer_id),
        assessment: None,
        hinted,
        remark,
    } = effect
    else {
        return Ok(effect.clone());
    };
    let answer = answers::get(&bot.app.pool, *answer_id)
        .await
        .map_err(|e| Failure::Passing(error_chain(&e)))?;
    let assessment = answer
        .and_then(|a| a.assessment())
        .ok_or_else(|| Failure::Refused(format!("answer {answer_id} has no assessment to show")))?;
    Ok(Effect::Feedback {
        answer_id: Some(*answer_id),
        assessment: Some(Box::new(assessment)),
        hinted: *hinted,
        remark: remark.clone(),
    })
}

async fn settle_failure(
    bot: &Bot,
    pending: &PendingEffect,
    failure: Failure,
) -> Result<(), BotError> {
    let id = pending.effect_id;
    match failure {
        Failure::Passing(why) if pending.attempts < MAX_ATTEMPTS => {
            let delay = backoff(pending.attempts);
            warn!(effect_id = id, attempt = pending.attempts, ?delay, %why, "posting failed; trying again");
            outbox::retry_later(&bot.app.pool, id, delay).await?;
            wake_after(bot, delay);
        }
        Failure::Passing(why) => {
            error!(effect_id = id, attempts = pending.attempts, %why, "posting kept failing; dropping the effect");
            let _ = outbox::done(&bot.app.pool, &[id], &[]).await?;
        }
        Failure::ThreadGone(why) => {
            let dropped = outbox::drop_thread(&bot.app.pool, pending.thread_id).await?;
            let ended = abandon_without_posting(bot, pending.interview_id).await?;
            info!(%why, dropped, ended, "the interview's thread is gone; interview abandoned");
        }
        Failure::Refused(why) => {
            error!(effect_id = id, effect = ?pending.effect, %why, "Discord refused a post; dropping it");
            let _ = outbox::done(&bot.app.pool, &[id], &[]).await?;
        }
    }
    Ok(())
}

/// Shows one effect; the id of the message it posted, if it posted one. The post's nonce is
/// the effect's id.
async fn show(
    bot: &Bot,
    interview_id: i64,
    thread_id: u64,
    effect: &Effect,
    effect_id: i64,
) -> Result<Option<u64>, serenity::Error> {
    let thread = ChannelId::new(thread_id);
    let message = match effect {
        Effect::Intro(intro) => render::interview::intro(intro, interview_id),
        Effect::Ask { prompt } => render::interview::question(prompt, interview_id),
        Effect::Hint { text } => render::interview::hint(text),
        Effect::Feedback {
            assessment: Some(assessment),
            hinted,
            remark,
            ..
        } => render::interview::feedback_message(assessment, *hinted, remark.as_deref()),
        // `complete` gives feedback its assessment before it comes here.
        Effect::Feedback {
            assessment: None, ..
        } => return Ok(None),
        Effect::Report {
            report,
            peer_scores,
            timed_out,
        } => {
            let chart = chart(interview_id, report).await;
            let mut message = render::interview::report_with_peers(report, chart, peer_scores);
            if let Some(t) = timed_out {
                message = message.content(format!(
                    "<@{}>, this interview had no activity for {}, so it has ended. Start a new \
                     one with `/interview start` whenever you like.",
                    t.user_id,
                    spoken(Duration::from_secs(t.idle_timeout_secs))
                ));
            }
            message
        }
        Effect::Unscored { user_id } => CreateMessage::new().content(format!(
            "<@{user_id}>, your last answer could not be scored, even after several tries. It is \
             kept without a score, and the interview goes on."
        )),
        Effect::QuestionRemoved {
            user_id,
            question_id,
        } => CreateMessage::new().content(format!(
            "<@{user_id}>, this interview asks a question that has been removed from the \
             question bank (`{question_id}`), so it has ended here. Your scored answers are \
             kept; start a new interview with `/interview start`."
        )),
        Effect::Archive => {
            let archive = EditThread::new().archived(true);
            thread.edit_thread(&bot.http, archive).await?;
            return Ok(None);
        }
    };
    let nonce = Nonce::String(format!("mb-{effect_id}"));
    let posted = thread
        .send_message(&bot.http, message.nonce(nonce).enforce_nonce(true))
        .await?;
    if let Effect::Ask { prompt } = effect {
        let said = match &prompt.lead {
            Some(lead) => format!("{lead}\n{}", prompt.text),
            None => prompt.text.clone(),
        };
        super::read_aloud::question(bot, interview_id, thread_id, &said);
    }
    Ok(Some(posted.id.get()))
}

/// Why a post failed, as far as what to do next goes.
#[derive(Debug)]
enum Failure {
    /// Rate-limited, Discord's own trouble, or the network: it may work later.
    Passing(String),
    /// The thread is deleted or out of the bot's reach.
    ThreadGone(String),
    /// Discord will never take this post.
    Refused(String),
}

fn classify(error: &serenity::Error) -> Failure {
    let why = error_chain(error);
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let status = r.status_code.as_u16();
            match status {
                429 | 500.. => Failure::Passing(why),
                403 | 404 => Failure::ThreadGone(why),
                _ => Failure::Refused(why),
            }
        }
        serenity::Error::Http(HttpError::Request(_)) | serenity::Error::Io(_) => {
            Failure::Passing(why)
        }
        _ => Failure::Refused(why),
    }
}

/// Discord's answer for a channel or thread that is deleted or out of the bot's reach.
pub fn is_gone(error: &serenity::Error) -> bool {
    matches!(classify(error), Failure::ThreadGone(_))
}

/// 250 ms, 500 ms, 1 s, … up to 32 s. (In production serenity's rate limiter has already
/// waited out a 429 as Discord told it; a 429 that still reaches here came through a proxy.)
fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(7);
    Duration::from_millis(250 << exponent)
}

/// Wakes a lane when a retry comes due, rather than at the next poll.
fn wake_after(bot: &Bot, delay: Duration) {
    let ready = std::sync::Arc::clone(&bot.app.effects_ready);
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        ready.notify_one();
    });
}

/// The report's chart; a chart that fails is left out, not the report.
async fn chart(interview_id: i64, report: &crate::interview::Report) -> Option<Vec<u8>> {
    let owned = report.clone();
    match tokio::task::spawn_blocking(move || crate::chart::interview_chart(&owned)).await {
        Ok(Ok(png)) => Some(png),
        Ok(Err(e)) => {
            warn!(interview_id, error = %crate::bot::error_chain(&e), "report chart failed");
            None
        }
        Err(e) => {
            warn!(interview_id, error = %crate::bot::error_chain(&e), "report chart task failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::backoff;

    #[test]
    fn retries_back_off_up_to_half_a_minute() {
        assert_eq!(backoff(1), Duration::from_millis(250));
        assert_eq!(backoff(3), Duration::from_secs(1));
        assert_eq!(backoff(40), Duration::from_secs(32));
    }
}
