//! Waiting for the bot's effects. Every change to the recorded world bumps a version on a
//! `watch` channel; a waiter subscribes first, then checks, then sleeps until the next change
//! or its deadline, so no change between check and sleep is missed. Predicates see everything
//! recorded so far, not only what arrives after the call, so a fast bot cannot outrun a test.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::modals::RecordedModal;
use super::state::{InteractionResponse, RecordedMessage, RecordedReaction, RecordedThread, World};
use super::{FakeDiscord, FakeDiscordError};

impl FakeDiscord {
    /// Waits until `f` returns `Some` for the recorded world, or `timeout` passes.
    pub async fn wait_until<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut f: impl FnMut(&World) -> Option<T>,
    ) -> Result<T, FakeDiscordError> {
        let start = Instant::now();
        let mut changes = self.inner.changes.subscribe();
        loop {
            if let Some(found) = self.read(&mut f) {
                return Ok(found);
            }
            let timed_out = || FakeDiscordError::Timeout {
                what: what.to_owned(),
                waited_ms: start.elapsed().as_millis(),
            };
            match tokio::time::timeout_at(start + timeout, changes.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => return Err(timed_out()),
            }
        }
    }

    /// The first bot message (not deleted, in any channel) matching `pred`.
    pub async fn wait_for_message(
        &self,
        timeout: Duration,
        pred: impl Fn(&RecordedMessage) -> bool,
    ) -> Result<RecordedMessage, FakeDiscordError> {
        self.wait_until("a bot message", timeout, |w| {
            w.messages
                .iter()
                .find(|m| m.by_bot && !m.deleted && pred(m))
                .cloned()
        })
        .await
    }

    /// The first bot message in `channel` matching `pred`.
    pub async fn wait_for_message_in(
        &self,
        channel: u64,
        timeout: Duration,
        pred: impl Fn(&RecordedMessage) -> bool,
    ) -> Result<RecordedMessage, FakeDiscordError> {
        self.wait_for_message(timeout, |m| m.channel_id == channel && pred(m))
            .await
    }

    /// The first thread the bot opened matching `pred`.
    pub async fn wait_for_thread(
        &self,
        timeout: Duration,
        pred: impl Fn(&RecordedThread) -> bool,
    ) -> Result<RecordedThread, FakeDiscordError> {
        self.wait_until("a thread", timeout, |w| {
            w.threads.iter().find(|t| pred(t)).cloned()
        })
        .await
    }

    /// The first reaction (the bot's or a member's) matching `pred`.
    pub async fn wait_for_reaction(
        &self,
        timeout: Duration,
        pred: impl Fn(&RecordedReaction) -> bool,
    ) -> Result<RecordedReaction, FakeDiscordError> {
        self.wait_until("a reaction", timeout, |w| {
            w.reactions.iter().find(|r| pred(r)).cloned()
        })
        .await
    }

    /// The bot's callback to interaction `id` (defer, message, update, autocomplete, modal).
    pub async fn wait_for_interaction_response(
        &self,
        id: u64,
        timeout: Duration,
    ) -> Result<InteractionResponse, FakeDiscordError> {
        let what = format!("a response to interaction {id}");
        self.wait_until(&what, timeout, |w| {
            w.interaction_responses
                .iter()
                .find(|r| r.interaction_id == id)
                .cloned()
        })
        .await
    }

    /// The modal the bot answered interaction `id` with; fails if it answered otherwise.
    pub async fn wait_for_modal(
        &self,
        id: u64,
        timeout: Duration,
    ) -> Result<RecordedModal, FakeDiscordError> {
        let response = self.wait_for_interaction_response(id, timeout).await?;
        response.modal().ok_or(FakeDiscordError::NotAModal {
            interaction: id,
            kind: response.kind,
        })
    }

    /// The choices the bot answered autocomplete interaction `id` with.
    pub async fn wait_for_autocomplete(
        &self,
        id: u64,
        timeout: Duration,
    ) -> Result<Vec<Value>, FakeDiscordError> {
        let response = self.wait_for_interaction_response(id, timeout).await?;
        Ok(response.data["choices"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// The first message answering interaction `id`: its original response or a follow-up.
    pub async fn wait_for_reply(
        &self,
        id: u64,
        timeout: Duration,
    ) -> Result<RecordedMessage, FakeDiscordError> {
        use super::state::MessageSource::{Followup, InteractionResponse};
        self.wait_for_message(timeout, |m| match m.source {
            InteractionResponse { interaction_id } | Followup { interaction_id } => {
                interaction_id == id && m.flags & 128 == 0
            }
            _ => false,
        })
        .await
    }

    /// Until the bot has shown the typing indicator in `channel` at least once.
    pub async fn wait_for_typing(
        &self,
        channel: u64,
        timeout: Duration,
    ) -> Result<(), FakeDiscordError> {
        self.wait_until("typing", timeout, |w| {
            w.typing.contains(&channel).then_some(())
        })
        .await
    }

    /// Until a gateway session has been sent READY and GUILD_CREATE. The bot's `ready`
    /// handler may still be running: wait for an effect of it too if the test depends on one.
    pub async fn wait_for_gateway(&self, timeout: Duration) -> Result<(), FakeDiscordError> {
        self.wait_until("a gateway session", timeout, |w| {
            (w.gateway_sessions > 0).then_some(())
        })
        .await
    }

    /// Until the bot has registered commands (globally or in some guild); returns their names.
    pub async fn wait_for_commands(
        &self,
        timeout: Duration,
    ) -> Result<Vec<String>, FakeDiscordError> {
        self.wait_until("command registration", timeout, |w| {
            let names: Vec<String> = w
                .commands
                .iter()
                .flat_map(|r| &r.commands)
                .filter_map(|c| c["name"].as_str().map(str::to_owned))
                .collect();
            (!names.is_empty()).then_some(names)
        })
        .await
    }
}
