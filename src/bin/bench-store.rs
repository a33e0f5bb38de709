//! `bench-store`: measures the store at community scale. It creates its own database, fills it
//! (1,000 guilds, 100,000 members, 1,000,000 answers and 300,000 reviews at `--answers 1000000`;
//! everything scales with `--answers`), then times the read paths the bot serves (every
//! leaderboard metric × period with the caller's rank, a history page, a profile) and the
//! scoring queue's throughput (submit → claim → complete, no-op scorer) against PostgreSQL's own
//! single-row insert rate on the same machine. The database is dropped at the end.
//!
//! The data is made by set-based SQL (generate_series) here, not through the store, so a million
//! answers take a minute rather than an hour; the roll-ups are then built by the store's own
//! `rollups::rebuild`, and every timed call is the store's public API.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use clap::Parser;
use rand::seq::IndexedRandom;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};

use mockingbird::bank::Bank;
use mockingbird::scoring::{Assessment, Scores};
use mockingbird::store::history::{self, Shown};
use mockingbird::store::jobs;
use mockingbird::store::leaderboards::{self, BoardQuery, Metric, Period};
use mockingbird::store::{self, answers, questions, rollups};

/// Benchmark the PostgreSQL store: leaderboards, history, profile and the scoring queue.
#[derive(Parser)]
struct Args {
    /// Answers to generate; guilds, members and reviews scale with it.
    #[arg(long, default_value_t = 1_000_000)]
    answers: u64,
    /// The server to use (a database is created on it, and dropped at the end).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    database_url: String,
    /// Timed calls per query kind.
    #[arg(long, default_value_t = 400)]
    samples: usize,
    /// Answers per worker pushed through the queue in each throughput run.
    #[arg(long, default_value_t = 1_000)]
    queue_answers: usize,
}

/// Row counts at the requested scale.
struct Scale {
    answers: u64,
    guilds: u64,
    members: u64,
    reviews: u64,
    /// Interviews of four answers each carry 80 % of the answers; QOTD answers the rest.
    interviews: u64,
}

impl Scale {
    fn new(answers: u64) -> Scale {
        let f = answers as f64 / 1_000_000.0;
        let at_least = |n: f64, min: u64| (n.round() as u64).max(min);
        Scale {
            answers,
            guilds: at_least(1_000.0 * f, 1),
            members: at_least(100_000.0 * f, 10),
            reviews: at_least(300_000.0 * f, 1),
            interviews: at_least(answers as f64 * 0.8 / 4.0, 1),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    let admin = parse_url(&args.database_url)?;
    let name = format!("mockingbird_bench_{}", std::process::id());
    let mut conn = PgConnection::connect_with(&admin)
        .await
        .context("connecting to PostgreSQL")?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let outcome = run(admin.clone().database(&name), &args).await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    outcome
}

/// Parses the URL without ever echoing it (it may hold a password).
fn parse_url(url: &str) -> Result<PgConnectOptions> {
    let opts: PgConnectOptions = url
        .parse()
        .map_err(|_| anyhow::anyhow!("--database-url is not a postgres:// URL"))?;
    Ok(opts.disable_statement_logging())
}

async fn run(opts: PgConnectOptions, args: &Args) -> Result<()> {
    let scale = Scale::new(args.answers);
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect_with(opts.clone())
        .await?;
    store::migrate(&pool).await?;
    let started = Instant::now();
    generate(&pool, &scale).await?;
    let generated = started.elapsed();
    print_header(&pool, &scale, generated).await?;
    let callers: Vec<(u64, u64)> =
        sqlx::query_as::<_, (i64, i64)>("SELECT guild_id, user_id FROM members")
            .fetch_all(&pool)
            .await?
            .into_iter()
            .map(|(g, u)| (g as u64, u as u64))
            .collect();
    reads(&pool, &callers, args.samples).await?;
    queue(&opts, &pool, args.queue_answers, scale.interviews).await?;
    pool.close().await;
    Ok(())
}

/// The data, in dependency order. `$1`…`$5`: guilds, members, answers, reviews, interviews.
const GENERATE: &[&str] = &[
    "SELECT setseed(0.42)",
    "INSERT INTO guilds (guild_id, timezone)
     SELECT g, (ARRAY['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'])[1 + g % 4]
     FROM generate_series(1, $1::int8) g",
    // Guild sizes are skewed: the largest guild has about 3 % of all members.
    "CREATE UNLOGGED TABLE bench_members AS
     SELECT m AS n, 1 + floor($1::int8 * power(random(), 2))::int8 AS guild_id, 1000000 + m AS user_id
     FROM generate_series(1, $2::int8) m",
    "CREATE UNIQUE INDEX ON bench_members (n)",
    "INSERT INTO guilds (guild_id) SELECT DISTINCT guild_id FROM bench_members ON CONFLICT DO NOTHING",
    "INSERT INTO members (guild_id, user_id, display_name)
     SELECT guild_id, user_id, 'member ' || n FROM bench_members",
    "CREATE UNLOGGED TABLE bench_guild_members AS
     SELECT guild_id, user_id, row_number() OVER (PARTITION BY guild_id ORDER BY user_id) AS idx,
            count(*) OVER (PARTITION BY guild_id) AS size
     FROM bench_members",
    "CREATE UNIQUE INDEX ON bench_guild_members (guild_id, idx)",
    "CREATE UNLOGGED TABLE bench_questions AS
     SELECT question_key, id, track, row_number() OVER (PARTITION BY track ORDER BY id) AS idx,
            count(*) OVER (PARTITION BY track) AS n,
            dense_rank() OVER (ORDER BY track) - 1 AS track_no
     FROM questions",
    "INSERT INTO interviews (guild_id, user_id, channel_id, thread_id, track, difficulty, plan,
                             status, started_at, last_activity_at, finished_at)
     SELECT m.guild_id, m.user_id, 1, x.i, q.track, 'mid', '[]', CASE WHEN x.r < 0.6 THEN 'completed'
            WHEN x.r < 0.85 THEN 'ended' ELSE 'abandoned' END, x.s, x.s, x.s + interval '30 min'
     FROM (SELECT i, 1 + floor($2::int8 * random())::int8 AS mn, random() AS r, random() AS t,
                  now() - random() * interval '365 days' AS s
           FROM generate_series(1, $5::int8) i) x
     JOIN bench_members m ON m.n = x.mn
     JOIN (SELECT DISTINCT track, track_no FROM bench_questions) q
       ON q.track_no = floor(x.t * (SELECT count(DISTINCT track) FROM bench_questions))",
    "INSERT INTO answers (guild_id, user_id, interview_id, question_key, question_id, track, turn,
                          body, message_ids, status, technical, tradeoffs, communication, overall,
                          points, scorer, day, created_at, submitted_at, scored_at)
     SELECT guild_id, user_id, interview_id, question_key, id, track, k, 'an answer',
            ARRAY[interview_id * 4 + k], 'scored', sc, sc, sc, sc, round(sc * 10), 'offline',
            (at AT TIME ZONE timezone)::date, at, at, at
     FROM (SELECT iv.guild_id, iv.user_id, iv.interview_id, q.question_key, q.id, iv.track, k,
                  g.timezone, iv.started_at + k * interval '5 min' AS at,
                  round((random() * 10)::numeric, 1)::real AS sc
           FROM interviews iv
           JOIN guilds g ON g.guild_id = iv.guild_id
           CROSS JOIN generate_series(0, 3) k
           JOIN bench_questions q ON q.track = iv.track AND q.idx = 1 + (iv.interview_id + k) % q.n) a",
    "INSERT INTO qotd_posts (guild_id, day, question_key, question_id, revealed)
     SELECT g.guild_id, current_date - d, q.question_key, q.id, d > 0
     FROM guilds g CROSS JOIN generate_series(0, 89) d
     JOIN bench_questions q ON q.track_no = 0 AND q.idx = 1 + (g.guild_id + d) % q.n",
    // One member in ten is a QOTD regular; regulars answer about one post in 4.5.
    "INSERT INTO answers (guild_id, user_id, qotd_post_id, question_key, question_id, track, turn,
                          body, message_ids, status, technical, tradeoffs, communication, overall,
                          points, scorer, day, created_at, submitted_at, scored_at)
     SELECT guild_id, user_id, qotd_post_id, question_key, question_id, track, 0, 'a qotd answer',
            ARRAY[qotd_post_id], 'scored', sc, sc, sc, sc, round(sc * 10), 'offline', day, at, at, at
     FROM (SELECT m.guild_id, m.user_id, p.qotd_post_id, p.question_key, p.question_id, q.track,
                  p.day, (p.day + time '12:00') AT TIME ZONE g.timezone AS at,
                  round((random() * 10)::numeric, 1)::real AS sc
           FROM bench_members m
           JOIN guilds g ON g.guild_id = m.guild_id
           JOIN qotd_posts p ON p.guild_id = m.guild_id
           JOIN questions q ON q.question_key = p.question_key
           WHERE m.n % 10 = 0 AND random() < $3::int8 * 0.2 / ($2::int8 * 0.1 * 90)) a",
    "INSERT INTO scoring_jobs (answer_id, status, attempts, run_after, locked_by, finished_at)
     SELECT answer_id, 'done', 1, submitted_at, 'bench', scored_at FROM answers",
    "INSERT INTO reviews (answer_id, reviewer_id, guild_id, value, emoji, day, created_at, updated_at)
     SELECT a.answer_id, gm.user_id, a.guild_id, 1, '👍', a.day, a.submitted_at, a.submitted_at
     FROM (SELECT 1 + floor((SELECT max(answer_id) FROM answers) * random())::int8 AS aid,
                  random() AS r
           FROM generate_series(1, ($4::int8 * 1.2)::int8)) x
     JOIN answers a ON a.answer_id = x.aid
     JOIN bench_guild_members gm ON gm.guild_id = a.guild_id
      AND gm.idx = 1 + floor(x.r * (SELECT size FROM bench_guild_members s
                                    WHERE s.guild_id = a.guild_id AND s.idx = 1))
     WHERE gm.user_id <> a.user_id
     LIMIT $4::int8
     ON CONFLICT DO NOTHING",
];

async fn generate(pool: &PgPool, s: &Scale) -> Result<()> {
    questions::sync_bank(pool, Bank::bundled()?.questions()).await?;
    let mut conn = pool.acquire().await?;
    for (i, sql) in GENERATE.iter().enumerate() {
        let step = Instant::now();
        let params = [s.guilds, s.members, s.answers, s.reviews, s.interviews];
        let mut q = sqlx::query(sql);
        for p in params.iter().take(count_params(sql)) {
            q = q.bind(*p as i64);
        }
        q.execute(&mut *conn)
            .await
            .with_context(|| format!("generation step {i}"))?;
        eprintln!("  step {i:>2}: {:>6.1} s", step.elapsed().as_secs_f64());
    }
    rollups::rebuild(pool).await?;
    sqlx::query("ANALYZE").execute(&mut *conn).await?;
    Ok(())
}

/// How many of the five parameters a statement uses (PostgreSQL wants exactly those).
fn count_params(sql: &str) -> usize {
    (1..=5)
        .rev()
        .find(|i| sql.contains(&format!("${i}")))
        .unwrap_or(0)
}

async fn print_header(pool: &PgPool, s: &Scale, took: Duration) -> Result<()> {
    let (version, sync): (String, String) = sqlx::query_as(
        "SELECT split_part(version(), ' on ', 1), current_setting('synchronous_commit')",
    )
    .fetch_one(pool)
    .await?;
    let counts: (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM guilds), (SELECT count(*) FROM members),
                (SELECT count(*) FROM answers), (SELECT count(*) FROM reviews),
                (SELECT max(n) FROM (SELECT count(*) AS n FROM members GROUP BY guild_id) m)",
    )
    .fetch_one(pool)
    .await?;
    println!(
        "store benchmark — {version}, synchronous_commit={sync}, {} cores",
        num_cpus()
    );
    println!(
        "data: {} guilds, {} members, {} answers, {} reviews (asked: {} answers, {} reviews); largest guild {} members; generated in {:.0} s\n",
        counts.0, counts.1, counts.2, counts.3, s.answers, s.reviews, counts.4, took.as_secs_f64()
    );
    Ok(())
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// p50 and p99 of a set of timings, in milliseconds.
fn percentiles(mut t: Vec<Duration>) -> (f64, f64) {
    t.sort_unstable();
    let at = |q: f64| {
        let i = ((t.len() as f64 * q).ceil() as usize).clamp(1, t.len()) - 1;
        t[i].as_secs_f64() * 1_000.0
    };
    (at(0.50), at(0.99))
}

async fn reads(pool: &PgPool, callers: &[(u64, u64)], samples: usize) -> Result<()> {
    let metrics = [
        ("average (min 5)", Metric::AverageScore { min_answers: 5 }),
        ("total points", Metric::TotalPoints),
        ("interviews completed", Metric::InterviewsCompleted),
        ("QOTD streak", Metric::QotdStreak),
        ("reviews given", Metric::ReviewsGiven),
    ];
    let periods = [
        ("week", Period::ThisWeek),
        ("month", Period::ThisMonth),
        ("all time", Period::AllTime),
    ];
    println!(
        "{:<46} {:>8} {:>8}",
        "read (top 10 + caller's rank)", "p50 ms", "p99 ms"
    );
    let mut worst: f64 = 0.0;
    for (mname, metric) in metrics {
        for (pname, period) in periods {
            let (p50, p99) = time_board(pool, callers, metric, period, None, samples).await?;
            worst = worst.max(p99);
            println!(
                "{:<46} {p50:>8.2} {p99:>8.2}",
                format!("leaderboard {mname}, {pname}")
            );
        }
    }
    let track = Some("databases");
    for (mname, metric) in [metrics[0], metrics[1]] {
        let (p50, p99) =
            time_board(pool, callers, metric, Period::ThisMonth, track, samples).await?;
        worst = worst.max(p99);
        println!(
            "{:<46} {p50:>8.2} {p99:>8.2}",
            format!("leaderboard {mname}, month, one track")
        );
    }
    let biggest = largest_guild(callers);
    let (p50, p99) =
        time_board(pool, &biggest, metrics[0].1, Period::AllTime, None, samples).await?;
    worst = worst.max(p99);
    println!(
        "{:<46} {p50:>8.2} {p99:>8.2}",
        "leaderboard average, all time, largest guild"
    );
    println!("{:<46} {:>8} {worst:>8.2}", "worst leaderboard p99", "");
    history_reads(pool, callers, samples).await
}

/// p50 and p99 of one board for random callers (a tenth more calls first, to warm up).
async fn time_board(
    pool: &PgPool,
    callers: &[(u64, u64)],
    metric: Metric,
    period: Period,
    track: Option<&str>,
    samples: usize,
) -> Result<(f64, f64)> {
    let since = period.since(Utc::now().date_naive());
    let mut rng = rand::rng();
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples + samples / 10 {
        let &(guild_id, caller) = callers.choose(&mut rng).context("no members")?;
        let (offset, limit) = (0, 10);
        let q = BoardQuery {
            guild_id,
            metric,
            since,
            track,
            offset,
            limit,
            caller,
        };
        let t = Instant::now();
        leaderboards::board(pool, &q).await?;
        if i >= samples / 10 {
            times.push(t.elapsed());
        }
    }
    Ok(percentiles(times))
}

/// The members of the guild with the most members.
fn largest_guild(callers: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let mut sizes = std::collections::HashMap::new();
    for &(g, _) in callers {
        *sizes.entry(g).or_insert(0usize) += 1;
    }
    let biggest = sizes.into_iter().max_by_key(|&(_, n)| n).map(|(g, _)| g);
    callers
        .iter()
        .copied()
        .filter(|&(g, _)| Some(g) == biggest)
        .collect()
}

async fn history_reads(pool: &PgPool, callers: &[(u64, u64)], samples: usize) -> Result<()> {
    let mut rng = rand::rng();
    let (mut first, mut next, mut profile) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..samples {
        let &(g, u) = callers.choose(&mut rng).context("no members")?;
        let t = Instant::now();
        let page = history::page(pool, g, u, None, 10, Shown::Everything).await?;
        first.push(t.elapsed());
        if let Some(cursor) = page.next {
            let t = Instant::now();
            history::page(pool, g, u, Some(cursor), 10, Shown::Everything).await?;
            next.push(t.elapsed());
        }
        let t = Instant::now();
        history::profile(pool, g, u, Shown::Everything).await?;
        profile.push(t.elapsed());
    }
    for (label, times) in [
        ("history, first page of 10", first),
        ("history, next page (keyset)", next),
        ("profile (tracks × dimensions, trend)", profile),
    ] {
        if times.is_empty() {
            continue;
        }
        let (p50, p99) = percentiles(times);
        println!("{label:<46} {p50:>8.2} {p99:>8.2}");
    }
    println!();
    Ok(())
}

async fn queue(
    opts: &PgConnectOptions,
    pool: &PgPool,
    per_worker: usize,
    interviews: u64,
) -> Result<()> {
    sqlx::query(
        "CREATE TABLE bench_plain (id bigserial PRIMARY KEY, payload text NOT NULL,
                                   created_at timestamptz NOT NULL DEFAULT now())",
    )
    .execute(pool)
    .await?;
    println!(
        "{:<8} {:>8} {:>16} {:>16} {:>7} {:>16} {:>7}",
        "workers",
        "answers",
        "plain inserts/s",
        "queue/s, 1 by 1",
        "ratio",
        "queue/s, by 16",
        "ratio"
    );
    let mut run = 0;
    for workers in [1usize, 2, 8] {
        let n = (per_worker * workers).min(interviews as usize);
        let conns = PgPoolOptions::new()
            .max_connections(workers as u32)
            .min_connections(workers as u32)
            .connect_with(opts.clone())
            .await?;
        let rounds = rounds(pool, &conns, workers, n, &mut run).await?;
        conns.close().await;
        let m: Vec<f64> = (0..5)
            .map(|k| median(rounds.iter().map(|r| r[k])))
            .collect();
        println!(
            "{workers:<8} {n:>8} {:>16.0} {:>16.0} {:>6.0}% {:>16.0} {:>6.0}%",
            m[0],
            m[1],
            100.0 * m[3],
            m[2],
            100.0 * m[4]
        );
    }
    println!("(medians of {ROUNDS} rounds; ratios are queue ÷ yardstick within a round)");
    Ok(())
}

const ROUNDS: usize = 3;

/// The shared disk's flush time drifts from minute to minute, so the yardstick and the queue
/// take turns, `ROUNDS` times; each ratio compares runs of the same round. Per round: plain
/// inserts/s, queue/s one by one, queue/s by 16, and the two ratios.
async fn rounds(
    pool: &PgPool,
    conns: &PgPool,
    workers: usize,
    n: usize,
    run: &mut i16,
) -> Result<Vec<[f64; 5]>> {
    let mut rounds = Vec::new();
    for _ in 0..ROUNDS {
        let plain = plain_run(conns, workers, n).await?;
        let mut rates = [0.0; 2];
        for (rate, batch) in rates.iter_mut().zip([1, 16]) {
            *run += 1;
            let ids = open_answers(pool, n, *run).await?;
            *rate = queue_run(conns, workers, batch, ids).await?;
        }
        rounds.push([
            plain,
            rates[0],
            rates[1],
            rates[0] / plain,
            rates[1] / plain,
        ]);
    }
    Ok(rounds)
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// `n` open answers (one per interview, on a turn no other run uses), ready to submit.
async fn open_answers(pool: &PgPool, n: usize, run: i16) -> Result<Vec<i64>> {
    let ids = sqlx::query_scalar(
        "INSERT INTO answers (guild_id, user_id, interview_id, question_key, question_id, track,
                              turn, body, message_ids)
         SELECT iv.guild_id, iv.user_id, iv.interview_id, q.question_key, q.id, iv.track, $2,
                'a queued answer', ARRAY[iv.interview_id]
         FROM interviews iv JOIN bench_questions q ON q.track = iv.track AND q.idx = 1
         WHERE iv.interview_id <= $1
         RETURNING answer_id",
    )
    .bind(n as i64)
    .bind(100 + run)
    .fetch_all(pool)
    .await?;
    Ok(ids)
}

/// Every answer submitted, claimed and completed by `workers` workers; answers per second.
async fn queue_run(pool: &PgPool, workers: usize, batch: usize, ids: Vec<i64>) -> Result<f64> {
    let total = ids.len();
    let (ids, next, done) = (
        Arc::new(ids),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..workers {
        let (pool, ids, next, done) = (pool.clone(), ids.clone(), next.clone(), done.clone());
        tasks.spawn(async move {
            worker(&pool, &format!("bench-{w}"), batch, &ids, &next, &done).await
        });
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    anyhow::ensure!(done.load(Ordering::SeqCst) == total, "the queue lost jobs");
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// One worker: submits the next `batch` answers (one commit each, as the bot does on messages),
/// then claims what is due (up to `batch`) and completes it with a no-op score as one batch,
/// until every answer is scored. With `batch` 1 every job goes through alone.
async fn worker(
    pool: &PgPool,
    name: &str,
    batch: usize,
    ids: &[i64],
    next: &AtomicUsize,
    done: &AtomicUsize,
) -> Result<()> {
    let assessment = Assessment {
        scores: Scores {
            technical: 5.0,
            tradeoffs: 5.0,
            communication: 5.0,
            overall: 5.0,
        },
        covered: vec![],
        partial: vec![],
        missed: vec![],
        pitfalls: vec![],
        feedback: vec![],
        scorer: mockingbird::scoring::ScorerKind::Offline,
        model: None,
        ..Default::default()
    };
    let mut spent = [Duration::ZERO; 3];
    let mut calls = [0u32; 3];
    while done.load(Ordering::SeqCst) < ids.len() {
        for _ in 0..batch {
            let Some(&id) = ids.get(next.fetch_add(1, Ordering::SeqCst)) else {
                break;
            };
            let t = Instant::now();
            answers::submit(pool, id, false, Utc::now()).await?;
            spent[0] += t.elapsed();
            calls[0] += 1;
        }
        let t = Instant::now();
        let claimed = jobs::claim(pool, name, batch as i64, Duration::from_secs(60)).await?;
        spent[1] += t.elapsed();
        calls[1] += 1;
        if claimed.is_empty() {
            tokio::task::yield_now().await;
            continue;
        }
        let batch: Vec<_> = claimed.iter().map(|j| (&j.lease, &assessment)).collect();
        let t = Instant::now();
        let completed = jobs::complete_many(pool, &batch).await?;
        spent[2] += t.elapsed();
        calls[2] += 1;
        done.fetch_add(completed.len(), Ordering::SeqCst);
    }
    if std::env::var_os("BENCH_STAGES").is_some() {
        let avg = |k: usize| spent[k].as_secs_f64() * 1e3 / f64::from(calls[k].max(1));
        eprintln!(
            "{name}: submit {:.2} ms ×{}, claim {:.2} ms ×{}, complete {:.2} ms ×{}",
            avg(0),
            calls[0],
            avg(1),
            calls[1],
            avg(2),
            calls[2]
        );
    }
    Ok(())
}

/// The yardstick: `n` single-row INSERTs (one commit each) over `workers` connections.
async fn plain_run(pool: &PgPool, workers: usize, n: usize) -> Result<f64> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let (pool, next) = (pool.clone(), next.clone());
        tasks.spawn(async move {
            while next.fetch_add(1, Ordering::SeqCst) < n {
                sqlx::query("INSERT INTO bench_plain (payload) VALUES ($1)")
                    .bind("an answer")
                    .execute(&pool)
                    .await?;
            }
            Ok::<_, sqlx::Error>(())
        });
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}
