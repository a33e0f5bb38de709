//! Reading the bot's effects cheaply. `World.messages` only grows, so one collector keeps a
//! cursor and, every few milliseconds, copies out the few fields it needs from the messages
//! added since its last look, under the fake's lock for a moment. Hundreds of `wait_until`
//! waiters would instead each scan the whole world on every change.

use std::time::Instant;

use chrono::{DateTime, Utc};

use mockingbird::fake_discord::{FakeDiscord, MessageSource, RecordedMessage};

/// What a bot message is, for the benchmark.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A question or follow-up waiting for an answer; `first` for "Question 1 of …".
    Question { first: bool },
    /// "Feedback: …", the score of an answer.
    Feedback,
    /// "Interview report": the interview is over.
    Report,
    /// A message to the clicker or candidate with text and no embed (an ephemeral notice such
    /// as "Nothing to submit yet", an apology, "That answer was already submitted").
    Notice { text: String, ephemeral: bool },
    /// Anything else (the rules, a hint, a deferred placeholder).
    Other,
}

/// A bot message as the collector saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub id: u64,
    pub channel: u64,
    pub kind: Kind,
    /// The interview id in its Submit button, for questions.
    pub interview_id: Option<i64>,
    /// When the fake recorded it (its REST handler's clock).
    pub at: DateTime<Utc>,
    /// When the collector saw it.
    pub observed: Instant,
}

impl Seen {
    fn of(m: &RecordedMessage, observed: Instant) -> Seen {
        let title = m.embed_titles().first().map(|t| t.to_string());
        let kind = match title.as_deref() {
            Some(t) if t.starts_with("Question") || t.starts_with("Follow-up") => Kind::Question {
                first: t.starts_with("Question 1 of"),
            },
            Some(t) if t.starts_with("Feedback:") => Kind::Feedback,
            Some("Interview report") => Kind::Report,
            None if !m.content.is_empty() && !matches!(m.source, MessageSource::Member) => {
                Kind::Notice {
                    text: m.content.chars().take(120).collect(),
                    ephemeral: m.is_ephemeral(),
                }
            }
            _ => Kind::Other,
        };
        let interview_id = m
            .custom_ids()
            .iter()
            .find_map(|id| id.strip_prefix("iv:submit:"))
            .and_then(|id| id.parse().ok());
        let at = DateTime::parse_from_rfc3339(&m.timestamp)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|_| Utc::now());
        Seen {
            id: m.id,
            channel: m.channel_id,
            kind,
            interview_id,
            at,
            observed,
        }
    }
}

/// The collector's cursors into the fake's message and interaction-response lists.
pub struct Collector {
    fake: FakeDiscord,
    cursor: usize,
    responses: usize,
}

/// What the collector found in one look.
#[derive(Default)]
pub struct Polled {
    /// The bot's new messages, oldest first.
    pub messages: Vec<Seen>,
    /// Interactions the bot answered (acknowledged a click, say) since the last look.
    pub responded: Vec<u64>,
    pub observed: Option<Instant>,
}

impl Collector {
    pub fn new(fake: FakeDiscord) -> Collector {
        Collector {
            fake,
            cursor: 0,
            responses: 0,
        }
    }

    /// Everything recorded since the last call.
    pub fn poll(&mut self) -> Polled {
        let (from, from_responses) = (self.cursor, self.responses);
        let observed = Instant::now();
        let (polled, len, responses) = self.fake.read(|w| {
            let new = w.messages.get(from..).unwrap_or_default();
            let messages: Vec<Seen> = new
                .iter()
                .filter(|m| m.by_bot)
                .map(|m| Seen::of(m, observed))
                .collect();
            let answered = w.interaction_responses.get(from_responses..);
            let responded = answered
                .unwrap_or_default()
                .iter()
                .map(|r| r.interaction_id)
                .collect();
            let polled = Polled {
                messages,
                responded,
                observed: Some(observed),
            };
            (polled, w.messages.len(), w.interaction_responses.len())
        });
        self.cursor = len;
        self.responses = responses;
        polled
    }
}

/// p-th percentile (0–100) of sorted values, nearest rank; 0 when there are none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * p / 100.0).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Milliseconds from `from` to `to` (negative if `to` is earlier).
pub fn ms_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from)
        .num_microseconds()
        .map_or(f64::MAX, |us| us as f64 / 1000.0)
}
