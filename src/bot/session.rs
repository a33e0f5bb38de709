//! Interview steps as the bot runs them: the use case (`crate::app::interview`) commits the
//! step, then this hands what it left to show to the dispatcher and wakes whoever waits for
//! it. No Discord call happens before the commit.

pub use crate::interview::spoken;
use tracing::{info_span, Instrument};

use super::quiet::Waiting;
use super::{Bot, BotError};
use crate::app::interview::{self, Input, StepResult};

/// Applies one input to a running interview and starts showing what it left. `Ok` with
/// nothing applied when the interview is not running any more (another process may have
/// ended it).
pub async fn step(bot: &Bot, interview_id: i64, input: Input) -> Result<StepResult, BotError> {
    let span = info_span!("interview_step", interview_id, ?input);
    let stepped = interview::apply(&bot.app, interview_id, input)
        .instrument(span)
        .await?;
    if stepped.queued_scoring {
        bot.app.jobs_ready.notify_one();
    }
    if stepped.queued_behind {
        bot.app.effects_ready.notify_one();
    }
    if let Some(delivery) = stepped.delivery {
        if delivery.typing || !delivery.effects.is_empty() {
            bot.handoff.send(bot, delivery).await;
        }
    }
    Ok(stepped.outcome)
}

/// Ends an interview whose thread cannot be posted to any more.
pub async fn abandon_without_posting(bot: &Bot, interview_id: i64) -> Result<bool, BotError> {
    let ended = interview::abandon(&bot.app, interview_id).await?;
    bot.quiet.cancel(Waiting::Interview(interview_id));
    Ok(ended)
}
