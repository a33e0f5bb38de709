//! A fake Discord on localhost that the real serenity client connects to: REST under
//! `/api/v10/...` and the gateway over WebSocket at `/ws`, in one axum server.
//!
//! Why: the bot's Discord layer is only worth trusting if the real serenity/poise code runs
//! against something, and the real Discord cannot be used from tests or CI. The fake plays
//! Discord's part — it answers the REST calls serenity and poise make, records every effect the
//! bot had (messages, embeds, components, threads, reactions, interaction responses and modals,
//! typing), and drives the bot as a given member (slash commands with files, autocomplete,
//! messages, button clicks, modal submits, reactions) through the gateway. Tests then wait for
//! effects with timeouts instead of sleeping.
//!
//! Pointing serenity at it (see `notes/fake-discord` in the shared notes for why each piece):
//!
//! ```ignore
//! let fake = FakeDiscord::start(FakeConfig::default()).await?;
//! let http = HttpBuilder::new("any-token").proxy(fake.base_url()).ratelimiter_disabled(true).build();
//! let client = ClientBuilder::new_with_http(http, intents).event_handler(handler).await?;
//! ```
//!
//! Requests the fake does not understand are answered `404 {"message":..,"code":0}` (or 400
//! for a malformed body) and kept in [`FakeDiscord::unhandled`], so a test can fail on them.
//! The standalone binary `fake-discord` serves the same thing plus the control API of
//! [`control`] for running the bot locally without Discord.

mod body;
pub mod config;
pub mod control;
mod dms;
mod driver;
pub mod faults;
mod gateway;
pub mod interactions;
mod messages;
pub mod modals;
pub mod payloads;
mod rest;
pub mod state;
mod threads;
mod wait;

#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod payload_tests;

use axum::serve::ListenerExt;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

pub use config::{ids, FakeChannel, FakeConfig, FakeGuild, FakeMember, FakeRole};
pub use driver::{MemberFile, MODAL_READING_TIME};
pub use faults::{Fault, FaultKind};
pub use interactions::{OptionValue, SlashCommand};
pub use modals::{ModalField, RecordedModal};
pub use state::{
    InteractionResponse, MessageSource, RecordedAttachment, RecordedMessage, RecordedReaction,
    RecordedThread, RegisteredCommands, UnhandledRequest, World,
};

/// What can go wrong starting or driving the fake.
#[derive(Debug, thiserror::Error)]
pub enum FakeDiscordError {
    #[error("could not bind the fake Discord to {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("no gateway session is connected: is the bot running and identified?")]
    NoGatewaySession,
    #[error("unknown member {0} (not in any configured guild)")]
    UnknownMember(u64),
    #[error("unknown channel {0} (neither configured nor a thread the bot created)")]
    UnknownChannel(u64),
    #[error("member {member} is not in the guild of channel {channel}")]
    NotInGuild { member: u64, channel: u64 },
    #[error("unknown message {0}")]
    UnknownMessage(u64),
    #[error("the bot showed member {member} no modal with custom_id {custom_id:?}")]
    UnknownModal { custom_id: String, member: u64 },
    #[error("modal {custom_id:?} cannot be submitted: {reason}")]
    ModalRejected { custom_id: String, reason: String },
    #[error("the bot answered interaction {interaction} with callback type {kind}, not a modal")]
    NotAModal { interaction: u64, kind: u64 },
    #[error("timed out after {waited_ms} ms waiting for {what}")]
    Timeout { what: String, waited_ms: u128 },
}

/// One gateway dispatch (`op` 0): the event name and its `d`.
#[derive(Debug, Clone)]
pub(crate) struct Dispatch {
    pub event: &'static str,
    pub data: Value,
}

pub(crate) struct Inner {
    config: FakeConfig,
    world: Mutex<World>,
    changes: watch::Sender<u64>,
    dispatch: broadcast::Sender<Dispatch>,
    /// Bumped to make every gateway connection drop (see [`FakeDiscord::drop_gateway`]).
    drops: watch::Sender<u64>,
    /// Sessions whose connection dropped, by session id, waiting to be resumed.
    parked: Mutex<HashMap<String, gateway::Parked>>,
    base_url: String,
    server: Mutex<Option<JoinHandle<()>>>,
}

/// A handle to a running fake Discord; cheap to clone, shared with its own server.
#[derive(Clone)]
pub struct FakeDiscord {
    inner: Arc<Inner>,
}

impl FakeDiscord {
    /// Starts the fake on `127.0.0.1` with a free port.
    pub async fn start(config: FakeConfig) -> Result<Self, FakeDiscordError> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts the fake on a given address (the dev binary's `--addr`).
    pub async fn start_on(config: FakeConfig, addr: SocketAddr) -> Result<Self, FakeDiscordError> {
        let bind = |source| FakeDiscordError::Bind { addr, source };
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(bind)?;
        let local = listener.local_addr().map_err(bind)?;
        let (dispatch, _) = broadcast::channel(1024);
        let fake = Self {
            inner: Arc::new(Inner {
                config,
                world: Mutex::new(World::default()),
                changes: watch::channel(0).0,
                dispatch,
                drops: watch::channel(0).0,
                parked: Mutex::new(HashMap::new()),
                base_url: format!("http://{local}"),
                server: Mutex::new(None),
            }),
        };
        let app = rest::router(fake.clone());
        let server = tokio::spawn(async move {
            // Without TCP_NODELAY a gateway event written while the previous one is unacknowledged
            // waits for the client's delayed ACK (up to 40 ms): latency the real Discord does not add.
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "fake Discord server stopped");
            }
        });
        *fake
            .inner
            .server
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(server);
        Ok(fake)
    }

    /// Stops the server; open gateway connections drop with it.
    pub fn shutdown(&self) {
        if let Some(server) = self
            .inner
            .server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            server.abort();
        }
    }

    /// `http://127.0.0.1:PORT`: what to pass to serenity's `HttpBuilder::proxy`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The gateway URL the fake hands out from `GET /api/v10/gateway`.
    pub fn gateway_url(&self) -> String {
        format!("{}/ws", self.inner.base_url.replacen("http://", "ws://", 1))
    }

    pub fn config(&self) -> &FakeConfig {
        &self.inner.config
    }

    /// Reads the recorded world under its lock; keep `f` short and synchronous.
    pub fn read<T>(&self, f: impl FnOnce(&World) -> T) -> T {
        f(&self
            .inner
            .world
            .lock()
            .unwrap_or_else(PoisonError::into_inner))
    }

    /// Changes the world and wakes every waiter.
    pub(crate) fn update<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        let out = f(&mut self
            .inner
            .world
            .lock()
            .unwrap_or_else(PoisonError::into_inner));
        self.inner.changes.send_modify(|version| *version += 1);
        out
    }

    /// Sends a dispatch to every identified gateway session.
    pub(crate) fn dispatch(
        &self,
        event: &'static str,
        data: Value,
    ) -> Result<(), FakeDiscordError> {
        self.inner
            .dispatch
            .send(Dispatch { event, data })
            .map(|_| ())
            .map_err(|_| FakeDiscordError::NoGatewaySession)
    }

    /// Every message the bot created (not deleted), oldest first.
    pub fn bot_messages(&self) -> Vec<RecordedMessage> {
        self.read(|w| {
            w.messages
                .iter()
                .filter(|m| m.by_bot && !m.deleted)
                .cloned()
                .collect()
        })
    }

    /// Any message, the bot's or a member's, by id.
    pub fn message(&self, id: u64) -> Option<RecordedMessage> {
        self.read(|w| w.message(id).cloned())
    }

    pub fn threads(&self) -> Vec<RecordedThread> {
        self.read(|w| w.threads.clone())
    }

    /// Reactions currently on messages, the bot's and members'.
    pub fn reactions(&self) -> Vec<RecordedReaction> {
        self.read(|w| w.reactions.clone())
    }

    pub fn interaction_responses(&self) -> Vec<InteractionResponse> {
        self.read(|w| w.interaction_responses.clone())
    }

    /// Every modal the bot opened, oldest first.
    pub fn modals(&self) -> Vec<RecordedModal> {
        self.read(|w| {
            w.interaction_responses
                .iter()
                .filter_map(InteractionResponse::modal)
                .collect()
        })
    }

    /// Channel ids of every typing call, in order.
    pub fn typing(&self) -> Vec<u64> {
        self.read(|w| w.typing.clone())
    }

    /// Requests the fake could not answer; a test should assert this is empty.
    pub fn unhandled(&self) -> Vec<UnhandledRequest> {
        self.read(|w| w.unhandled.clone())
    }

    pub fn registered_commands(&self) -> Vec<RegisteredCommands> {
        self.read(|w| w.commands.clone())
    }
}
