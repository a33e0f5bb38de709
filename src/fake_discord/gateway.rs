//! The gateway: HELLO, then IDENTIFY answered with READY and one GUILD_CREATE per configured
//! guild, heartbeats acknowledged, and from then on every dispatch the driver sends. Frames are
//! uncompressed text (serenity does not implement zlib-stream), and every dispatch carries a
//! per-connection sequence number `s` (serenity rejects a dispatch without one). RESUME is
//! answered with INVALID_SESSION so a reconnecting client identifies afresh.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
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

/// Why a session ended; logged, never surfaced to tests.
#[derive(Debug, thiserror::Error)]
enum SessionEnd {
    #[error("client closed the connection")]
    Closed,
    #[error("websocket error: {0}")]
    Socket(#[from] axum::Error),
}

pub(crate) async fn upgrade(State(fake): State<FakeDiscord>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| async move {
        let result = Session {
            fake: fake.clone(),
            socket,
            seq: 0,
            shard: Shard::ONLY,
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
}

impl Session {
    async fn run(mut self) -> Result<(), SessionEnd> {
        self.send(&hello_frame(self.fake.config().heartbeat_interval_ms))
            .await?;
        self.until_identified().await?;
        // Subscribe before READY so nothing the driver sends after READY is missed.
        let mut events = self.fake.inner.dispatch.subscribe();
        self.greet().await?;
        self.fake.update(|w| {
            w.gateway_sessions += 1;
            w.identifies += 1;
        });
        let result = self.serve(&mut events).await;
        self.fake
            .update(|w| w.gateway_sessions = w.gateway_sessions.saturating_sub(1));
        result
    }

    /// Answers heartbeats and resumes until the client identifies; notes its shard.
    async fn until_identified(&mut self) -> Result<(), SessionEnd> {
        loop {
            let frame = self.receive().await?;
            if self.answer_control(&frame).await? == Some(IDENTIFY) {
                let shard = &frame["d"]["shard"];
                if let (Some(id), Some(count)) = (shard[0].as_u64(), shard[1].as_u64()) {
                    self.shard = Shard { id, count };
                }
                return Ok(());
            }
        }
    }

    /// READY, then GUILD_CREATE for each guild with the threads still open.
    async fn greet(&mut self) -> Result<(), SessionEnd> {
        let config = self.fake.config().clone();
        let session_id = format!("fake-session-{}", self.fake.update(|w| w.next_id()));
        let ready =
            payloads::ready_for_shard(&config, &session_id, &self.fake.gateway_url(), self.shard);
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
        loop {
            let step = tokio::select! {
                frame = self.socket.recv() => Step::Frame(frame),
                event = events.recv() => Step::Event(event),
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

    /// Answers heartbeat and resume; returns the opcode seen (`None` for a non-JSON frame).
    async fn answer_control(&mut self, frame: &Value) -> Result<Option<u64>, SessionEnd> {
        let op = frame["op"].as_u64();
        match op {
            Some(HEARTBEAT) => self.send(&heartbeat_ack_frame()).await?,
            Some(RESUME) => self.send(&invalid_session_frame()).await?,
            _ => {}
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
        self.send(&dispatch_frame(self.seq, event, data)).await
    }

    async fn send(&mut self, frame: &Value) -> Result<(), SessionEnd> {
        self.socket
            .send(Message::Text(frame.to_string().into()))
            .await?;
        Ok(())
    }
}
