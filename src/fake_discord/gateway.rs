//! The gateway: HELLO, then IDENTIFY answered with READY and one GUILD_CREATE per configured
//! guild, heartbeats acknowledged, and from then on every dispatch the driver sends. Frames are
//! uncompressed text (serenity does not implement zlib-stream), and every dispatch carries a
//! per-session sequence number `s` (serenity rejects a dispatch without one).
//!
//! A test can drop every connection at once ([`FakeDiscord::drop_gateway`], as Discord does
//! when it moves a session): each is closed with code 4000 and parked with the events sent to
//! it since, and a client that RESUMEs it (by session id and last sequence number) is sent
//! what it missed, then RESUMED. Resuming an unknown session is answered with INVALID_SESSION,
//! so the client identifies afresh.

use std::collections::VecDeque;
use std::sync::PoisonError;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use super::payloads::Shard;
use super::{payloads, Dispatch, FakeDiscord};

const DISPATCH: u64 = 0;
const HEARTBEAT: u64 = 1;
const IDENTIFY: u64 = 2;
const RESUME: u64 = 6;
const INVALID_SESSION: u64 = 9;
const HELLO: u64 = 10;
const HEARTBEAT_ACK: u64 = 11;
/// Discord's "unknown error" close code: the client may resume.
const CLOSE_RESUMABLE: u16 = 4000;
/// How many sent dispatches a session keeps to replay to a client that resumes behind them.
const REPLAYABLE: usize = 256;

/// A session whose connection dropped: what it needs to go on where it stopped.
pub(crate) struct Parked {
    shard: Shard,
    seq: u64,
    sent: VecDeque<(u64, Value)>,
    /// Still subscribed: events sent meanwhile wait here.
    events: Receiver<Dispatch>,
}

/// How a client opened its session.
enum Opening {
    Identify(Shard),
    Resume { session_id: String, seq: u64 },
}

/// Why a session ended; logged, never surfaced to tests.
#[derive(Debug, thiserror::Error)]
enum SessionEnd {
    #[error("client closed the connection")]
    Closed,
    #[error("websocket error: {0}")]
    Socket(#[from] axum::Error),
    #[error("the test dropped the connection")]
    Dropped,
}

pub(crate) async fn upgrade(State(fake): State<FakeDiscord>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| async move {
        let result = Session {
            fake: fake.clone(),
            socket,
            seq: 0,
            shard: Shard::ONLY,
            session_id: String::new(),
            sent: VecDeque::new(),
        }
        .run()
        .await;
        tracing::debug!(?result, "fake gateway session ended");
    })
}

pub(crate) fn hello_frame(heartbeat_interval_ms: u64) -> Value {
    json!({"op": HELLO, "d": {"heartbeat_interval": heartbeat_interval_ms}})
}

pub(crate) fn heartbeat_ack_frame() -> Value {
    json!({"op": HEARTBEAT_ACK, "d": null})
}

/// `d: false`: the session cannot be resumed; identify again.
pub(crate) fn invalid_session_frame() -> Value {
    json!({"op": INVALID_SESSION, "d": false})
}

pub(crate) fn dispatch_frame(seq: u64, event: &str, data: Value) -> Value {
    json!({"op": DISPATCH, "s": seq, "t": event, "d": data})
}

/// What woke a session up.
enum Step {
    Frame(Option<Result<Message, axum::Error>>),
    Event(Result<Dispatch, RecvError>),
}

/// A received frame as JSON: `None` for frames to skip (ping, binary); a text frame that is
/// not JSON becomes `Null` (no opcode, so it is ignored).
fn frame_json(frame: Option<Result<Message, axum::Error>>) -> Result<Option<Value>, SessionEnd> {
    match frame {
        None | Some(Ok(Message::Close(_))) => Err(SessionEnd::Closed),
        Some(Err(e)) => Err(e.into()),
        Some(Ok(Message::Text(text))) => Ok(Some(
            serde_json::from_str(text.as_str()).unwrap_or(Value::Null),
        )),
        Some(Ok(_)) => Ok(None),
    }
}

struct Session {
    fake: FakeDiscord,
    socket: WebSocket,
    seq: u64,
    /// From IDENTIFY: this session only gets its shard's guilds' events.
    shard: Shard,
    session_id: String,
    /// The last dispatches sent, with their sequence numbers.
    sent: VecDeque<(u64, Value)>,
}

impl Session {
    async fn run(mut self) -> Result<(), SessionEnd> {
        self.send(&hello_frame(self.fake.config().heartbeat_interval_ms))
            .await?;
        let mut events = loop {
            match self.until_opened().await? {
                Opening::Identify(shard) => {
                    self.shard = shard;
                    // Subscribe before READY so nothing the driver sends after READY is missed.
                    let events = self.fake.inner.dispatch.subscribe();
                    self.greet().await?;
                    self.fake.update(|w| w.identifies += 1);
                    break events;
                }
                Opening::Resume { session_id, seq } => {
                    if let Some(events) = self.resume(session_id, seq).await? {
                        break events;
                    }
                    self.send(&invalid_session_frame()).await?;
                }
            }
        };
        self.fake.update(|w| w.gateway_sessions += 1);
        let result = self.serve(&mut events).await;
        self.fake
            .update(|w| w.gateway_sessions = w.gateway_sessions.saturating_sub(1));
        if let Err(SessionEnd::Dropped) = result {
            self.park(events).await;
        }
        result
    }

    /// Answers heartbeats until the client identifies or resumes.
    async fn until_opened(&mut self) -> Result<Opening, SessionEnd> {
        loop {
            let frame = self.receive().await?;
            match self.answer_control(&frame).await? {
                Some(IDENTIFY) => {
                    let shard = &frame["d"]["shard"];
                    return Ok(Opening::Identify(
                        match (shard[0].as_u64(), shard[1].as_u64()) {
                            (Some(id), Some(count)) => Shard { id, count },
                            _ => Shard::ONLY,
                        },
                    ));
                }
                Some(RESUME) => {
                    return Ok(Opening::Resume {
                        session_id: frame["d"]["session_id"].as_str().unwrap_or("").to_owned(),
                        seq: frame["d"]["seq"].as_u64().unwrap_or(0),
                    })
                }
                _ => {}
            }
        }
    }

    /// Takes up a parked session: what the client missed, then RESUMED. `None` when there is
    /// no such session to resume.
    async fn resume(
        &mut self,
        session_id: String,
        seq: u64,
    ) -> Result<Option<Receiver<Dispatch>>, SessionEnd> {
        let parked = self
            .fake
            .inner
            .parked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&session_id);
        let Some(parked) = parked else {
            return Ok(None);
        };
        self.session_id = session_id;
        self.shard = parked.shard;
        self.seq = parked.seq;
        self.sent = parked.sent;
        let missed: Vec<Value> = self
            .sent
            .iter()
            .filter(|(s, _)| *s > seq)
            .map(|(_, frame)| frame.clone())
            .collect();
        for frame in &missed {
            self.send(frame).await?;
        }
        self.dispatch("RESUMED", Value::Null).await?;
        self.fake.update(|w| w.resumes += 1);
        Ok(Some(parked.events))
    }

    /// Keeps a dropped session, still subscribed, for its client to resume.
    async fn park(mut self, events: Receiver<Dispatch>) {
        let close = CloseFrame {
            code: CLOSE_RESUMABLE,
            reason: "the test dropped the connection".into(),
        };
        let _ = self.socket.send(Message::Close(Some(close))).await;
        let parked = Parked {
            shard: self.shard,
            seq: self.seq,
            sent: std::mem::take(&mut self.sent),
            events,
        };
        self.fake
            .inner
            .parked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(std::mem::take(&mut self.session_id), parked);
    }

    /// READY, then GUILD_CREATE for each guild with the threads still open.
    async fn greet(&mut self) -> Result<(), SessionEnd> {
        let config = self.fake.config().clone();
        self.session_id = format!("fake-session-{}", self.fake.update(|w| w.next_id()));
        let ready = payloads::ready_for_shard(
            &config,
            &self.session_id,
            &self.fake.gateway_url(),
            self.shard,
        );
        self.dispatch("READY", ready).await?;
        let threads = self.fake.threads();
        let shard = self.shard;
        for guild in config.guilds.iter().filter(|g| shard.serves(g.id)) {
            self.dispatch(
                "GUILD_CREATE",
                payloads::guild_create(&config, guild, &threads),
            )
            .await?;
        }
        Ok(())
    }

    async fn serve(&mut self, events: &mut Receiver<Dispatch>) -> Result<(), SessionEnd> {
        let mut drops = self.fake.inner.drops.subscribe();
        drops.mark_unchanged();
        loop {
            let step = tokio::select! {
                frame = self.socket.recv() => Step::Frame(frame),
                event = events.recv() => Step::Event(event),
                _ = drops.changed() => return Err(SessionEnd::Dropped),
            };
            match step {
                Step::Frame(frame) => {
                    if let Some(frame) = frame_json(frame)? {
                        self.answer_control(&frame).await?;
                    }
                }
                Step::Event(Ok(event)) => {
                    // Guild events go to the shard that serves the guild only.
                    let guild = event.data["guild_id"].as_str().and_then(|g| g.parse().ok());
                    if guild.is_none_or(|g| self.shard.serves(g)) {
                        self.dispatch(event.event, event.data).await?;
                    }
                }
                Step::Event(Err(RecvError::Lagged(missed))) => {
                    tracing::warn!(missed, "fake gateway session lagged");
                }
                Step::Event(Err(RecvError::Closed)) => return Ok(()),
            }
        }
    }

    /// Answers a heartbeat; returns the opcode seen (`None` for a non-JSON frame).
    async fn answer_control(&mut self, frame: &Value) -> Result<Option<u64>, SessionEnd> {
        let op = frame["op"].as_u64();
        if op == Some(HEARTBEAT) {
            self.send(&heartbeat_ack_frame()).await?;
        }
        Ok(op)
    }

    /// The next text frame as JSON; pings and binary frames are skipped.
    async fn receive(&mut self) -> Result<Value, SessionEnd> {
        loop {
            if let Some(frame) = frame_json(self.socket.recv().await)? {
                return Ok(frame);
            }
        }
    }

    async fn dispatch(&mut self, event: &str, data: Value) -> Result<(), SessionEnd> {
        self.seq += 1;
        let frame = dispatch_frame(self.seq, event, data);
        if self.sent.len() == REPLAYABLE {
            self.sent.pop_front();
        }
        self.sent.push_back((self.seq, frame.clone()));
        self.send(&frame).await
    }

    async fn send(&mut self, frame: &Value) -> Result<(), SessionEnd> {
        self.socket
            .send(Message::Text(frame.to_string().into()))
            .await?;
        Ok(())
    }
}
