//! Phase 2: open-loop answers at a fixed rate. A scheduler issues the i-th answer at
//! `start + i / rate` whatever the bot is doing; it takes the interview whose question has
//! waited longest, posts the answer as the candidate, waits a moment (the message must be
//! stored before Submit), notes the time and clicks Submit. One collector task reads the new
//! bot messages and matches each thread's feedback to its click; the next question makes the
//! interview ready again.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use mockingbird::fake_discord::FakeDiscord;

use super::start::Opened;
use super::track::{ms_between, Collector, Kind, Seen};

/// What every candidate answers: a realistic paragraph, about 110 words.
const ANSWER: &str = "An index is a separate structure, usually a B-tree, that keeps the \
    indexed column values in sorted order with pointers to the rows, so a lookup or a range scan \
    reads a few pages instead of the whole table. The cost is on writes: every insert, update or \
    delete must maintain each index too, and indexes take space and memory. I would index the \
    columns that appear in frequent WHERE clauses, joins and ORDER BY, check the plan with \
    EXPLAIN ANALYZE, and avoid indexing low-selectivity columns or write-heavy tables without a \
    measured need. A composite index helps when its leading column matches the query, and a \
    covering index can answer a query without touching the table at all.";

/// The figures of one rate.
#[derive(Debug, Default, Clone)]
pub struct Window {
    pub rate: f64,
    /// Answers the scheduler issued, and ticks it found no interview ready for.
    pub issued: usize,
    pub starved: usize,
    pub received: usize,
    pub errors: usize,
    pub error_samples: Vec<String>,
    /// Submit click → feedback recorded by the fake, ms.
    pub latencies: Vec<f64>,
    /// Submit click → feedback seen by the collector, ms.
    pub observed: Vec<f64>,
    /// Submit click → the bot's acknowledgement of it seen by the collector, ms: the gateway's
    /// delivery, the bot's look-up of the interview and its callback.
    pub to_ack: Vec<f64>,
    /// Per feedback received: the answer's message id, the click and the feedback (the
    /// fake's clock), for the stage breakdown.
    pub samples: Vec<(u64, DateTime<Utc>, DateTime<Utc>)>,
    pub first_click: Option<Instant>,
    pub last_feedback: Option<Instant>,
    /// Issued answers neither answered with feedback nor with an error yet.
    pub outstanding: usize,
    /// Interviews that reached their report.
    pub finished: usize,
}

impl Window {
    /// Feedback received per second, from the first click to the last feedback.
    pub fn achieved(&self) -> f64 {
        match (self.first_click, self.last_feedback) {
            (Some(a), Some(b)) if b > a => self.received as f64 / (b - a).as_secs_f64(),
            _ => 0.0,
        }
    }

    fn error(&mut self, text: String) {
        self.errors += 1;
        self.outstanding = self.outstanding.saturating_sub(1);
        if self.error_samples.len() < 5 && !self.error_samples.contains(&text) {
            self.error_samples.push(text);
        }
    }
}

/// A Submit click awaiting its feedback.
struct Click {
    at: DateTime<Utc>,
    instant: Instant,
    window: usize,
    /// The answer message it submits.
    message: u64,
}

struct Interview {
    opened: Opened,
    clicked: Option<Click>,
    /// An answer was issued and its feedback (or an error) has not come back.
    busy: bool,
}

/// Shared between the scheduler, the answer tasks and the collector.
#[derive(Default)]
struct Book {
    interviews: Vec<Interview>,
    by_thread: HashMap<u64, usize>,
    ready: VecDeque<usize>,
    windows: Vec<Window>,
    /// Clicks not acknowledged yet, by interaction id: the click and its window.
    unacked: HashMap<u64, (Instant, usize)>,
    /// Acknowledgements seen before their click's id was noted.
    early_acks: HashMap<u64, Instant>,
}

impl Book {
    fn window(&mut self) -> &mut Window {
        if self.windows.is_empty() {
            self.windows.push(Window::default());
        }
        let last = self.windows.len() - 1;
        &mut self.windows[last]
    }

    /// Applies what the collector found.
    fn apply_all(&mut self, polled: super::track::Polled) {
        let observed = polled.observed.unwrap_or_else(Instant::now);
        for id in polled.responded {
            match self.unacked.remove(&id) {
                Some((click, w)) => self.acked(w, click, observed),
                None => {
                    self.early_acks.insert(id, observed);
                }
            }
        }
        polled.messages.into_iter().for_each(|s| self.apply(s));
    }

    fn acked(&mut self, w: usize, click: Instant, at: Instant) {
        let ms = at.saturating_duration_since(click).as_secs_f64() * 1000.0;
        self.windows[w].to_ack.push(ms);
    }

    /// Notes a click's interaction id, unless its acknowledgement was already seen.
    fn clicked(&mut self, interaction: u64, click: Instant, w: usize) {
        match self.early_acks.remove(&interaction) {
            Some(at) => self.acked(w, click, at),
            None => {
                self.unacked.insert(interaction, (click, w));
            }
        }
    }

    /// Applies one bot message seen by the collector.
    fn apply(&mut self, seen: Seen) {
        let Some(&i) = self.by_thread.get(&seen.channel) else {
            return;
        };
        match seen.kind {
            Kind::Question { .. } => {
                self.interviews[i].opened.question = seen.id;
                if !self.interviews[i].busy {
                    self.ready.push_back(i);
                }
            }
            Kind::Feedback => {
                let iv = &mut self.interviews[i];
                iv.busy = false;
                if let Some(click) = iv.clicked.take() {
                    let window = &mut self.windows[click.window];
                    window.received += 1;
                    window.outstanding = window.outstanding.saturating_sub(1);
                    window.latencies.push(ms_between(click.at, seen.at));
                    window.samples.push((click.message, click.at, seen.at));
                    let observed = seen.observed.saturating_duration_since(click.instant);
                    window.observed.push(observed.as_secs_f64() * 1000.0);
                    window.last_feedback = Some(seen.observed);
                }
            }
            Kind::Report => self.window().finished += 1,
            Kind::Notice { text, ephemeral } => self.notice(i, text, ephemeral),
            Kind::Other => {}
        }
    }

    /// A notice in an interview's thread is an error; an ephemeral one answers the click, so
    /// the interview is answered again.
    fn notice(&mut self, i: usize, text: String, ephemeral: bool) {
        let iv = &mut self.interviews[i];
        match iv.clicked.take().filter(|_| ephemeral) {
            Some(click) => {
                iv.busy = false;
                self.ready.push_back(i);
                self.windows[click.window].error(text);
            }
            None => {
                let w = self.window();
                w.errors += 1;
                if w.error_samples.len() < 5 {
                    w.error_samples.push(text);
                }
            }
        }
    }
}

/// The answer phase: a book of interviews and the collector running over it.
pub struct Load {
    fake: FakeDiscord,
    book: Arc<Mutex<Book>>,
    stop: Arc<AtomicBool>,
    collector: tokio::task::JoinHandle<()>,
}

fn lock(book: &Mutex<Book>) -> MutexGuard<'_, Book> {
    book.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Load {
    /// Starts the collector over these interviews, all ready for their first answer.
    pub fn start(fake: &FakeDiscord, mut collector: Collector, opened: Vec<Opened>) -> Load {
        let mut book = Book::default();
        for (i, o) in opened.into_iter().enumerate() {
            book.by_thread.insert(o.thread, i);
            book.ready.push_back(i);
            book.interviews.push(Interview {
                opened: o,
                clicked: None,
                busy: false,
            });
        }
        let book = Arc::new(Mutex::new(book));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopped) = (Arc::clone(&book), Arc::clone(&stop));
        let collector = tokio::spawn(async move {
            while !stopped.load(Ordering::Relaxed) {
                let polled = collector.poll();
                if !polled.messages.is_empty() || !polled.responded.is_empty() {
                    lock(&shared).apply_all(polled);
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        });
        Load {
            fake: fake.clone(),
            book,
            stop,
            collector,
        }
    }

    /// Issues `rate` answers a second for `seconds`, then waits up to `drain` for the last
    /// feedback; the window's figures.
    pub async fn run(&self, rate: f64, seconds: f64, delay: Duration, drain: Duration) -> Window {
        let w = {
            let mut book = lock(&self.book);
            book.windows.push(Window {
                rate,
                ..Window::default()
            });
            book.windows.len() - 1
        };
        let total = (rate * seconds).round() as usize;
        let start = tokio::time::Instant::now();
        for i in 0..total {
            tokio::time::sleep_until(start + Duration::from_secs_f64(i as f64 / rate)).await;
            let next = {
                let mut book = lock(&self.book);
                let next = book.ready.pop_front();
                match next {
                    Some(n) => {
                        book.interviews[n].busy = true;
                        book.windows[w].issued += 1;
                        book.windows[w].outstanding += 1;
                    }
                    None => book.windows[w].starved += 1,
                }
                next.map(|n| book.interviews[n].opened.clone())
            };
            if let Some(job) = next {
                let (fake, book) = (self.fake.clone(), Arc::clone(&self.book));
                tokio::spawn(answer(fake, book, job, w, delay));
            }
        }
        let deadline = Instant::now() + drain;
        while lock(&self.book).windows[w].outstanding > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut book = lock(&self.book);
        for iv in &mut book.interviews {
            if iv.clicked.as_ref().is_some_and(|c| c.window == w) {
                iv.clicked = None;
            }
        }
        book.windows[w].clone()
    }

    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        self.collector.abort();
    }
}

/// One answer: the message as the candidate, a pause, then Submit.
async fn answer(fake: FakeDiscord, book: Arc<Mutex<Book>>, job: Opened, w: usize, delay: Duration) {
    let message = match fake.send_message(job.member, job.thread, ANSWER) {
        Ok(id) => id,
        Err(e) => {
            lock(&book).windows[w].error(format!("posting the answer: {e}"));
            return;
        }
    };
    tokio::time::sleep(delay).await;
    let submit = format!("iv:submit:{}", job.interview_id);
    let instant = Instant::now();
    {
        let mut book = lock(&book);
        if let Some(&i) = book.by_thread.get(&job.thread) {
            book.interviews[i].clicked = Some(Click {
                at: Utc::now(),
                instant,
                window: w,
                message,
            });
        }
        let window = &mut book.windows[w];
        window.first_click.get_or_insert(instant);
    }
    match fake.click(job.member, job.question, &submit) {
        Ok(interaction) => lock(&book).clicked(interaction, instant, w),
        Err(e) => {
            let mut book = lock(&book);
            if let Some(&i) = book.by_thread.get(&job.thread) {
                book.interviews[i].clicked = None;
            }
            book.windows[w].error(format!("clicking Submit: {e}"));
        }
    }
}
