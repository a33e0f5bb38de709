//! `bench-bot`: the Discord bot end to end, through the fake Discord with an instant fake LLM.
//!
//! It creates its own database (`mockingbird_bench_<pid>`, dropped at the end), starts the fake
//! Discord (one guild with `--interviews` members) and the fake LLM (an instant valid grade) in
//! this process, and runs the real release binary `mockingbird run` beside this one as a child
//! process. Then:
//!
//! 1. every member runs `/interview start track:… questions:…` at once; the time until every
//!    thread has its first question, and the bot's resident memory with all of them open;
//! 2. for each `--rate`, in turn: answers at that rate (open loop) for `--seconds`, each posted
//!    as the candidate and submitted with the Submit button; the latency from the click to the
//!    feedback message in the thread (p50, p90, p99, max), the rate achieved, and errors.
//!
//! Latencies use the fake's own record of when the bot's feedback request arrived (its REST
//! handler's clock) against the wall clock read just before the click; the collector's own
//! observation (polling every 2 ms) is printed beside them as a check. Each rate also shows
//! where the time went (the click's acknowledgement, then the database's own timestamps of the
//! submission and the stored score) and the CPU the bot, this process and PostgreSQL used per
//! answer, read from `/proc`.

#[path = "bench_bot/load.rs"]
mod load;
#[path = "bench_bot/report.rs"]
mod report;
#[path = "bench_bot/setup.rs"]
mod setup;
#[path = "bench_bot/stages.rs"]
mod stages;
#[path = "bench_bot/start.rs"]
mod start;
#[path = "bench_bot/track.rs"]
mod track;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Parser;

use mockingbird::fake_discord::{ids, FakeDiscord, SlashCommand};
use mockingbird::scoring::llm::fake::{FakeLlm, Reply};

use load::Load;
use report::{Figures, Usage};
use setup::{Bot, Database, FIRST_MEMBER};
use start::start_all;
use track::Collector;

/// Benchmark the Discord bot end to end: interviews started at once, answers per second and
/// Submit → feedback latency, resident memory.
#[derive(Parser)]
#[command(after_help = "`cargo build --release` builds both this bench and the \
                        `mockingbird` binary it runs, which it looks for beside itself.")]
struct Args {
    /// Interviews open at once (one member each).
    #[arg(long, default_value_t = 500)]
    interviews: usize,
    /// Answers per second; several, comma-separated, run one after the other.
    #[arg(long, value_delimiter = ',', default_value = "100")]
    rate: Vec<f64>,
    /// How long each rate is held.
    #[arg(long, default_value_t = 30.0)]
    seconds: f64,
    /// Pause between posting an answer and clicking Submit (the message must be stored first).
    #[arg(long, default_value_t = 50)]
    submit_delay_ms: u64,
    #[arg(long, default_value = "databases")]
    track: String,
    /// Main questions per interview (1–10).
    #[arg(long, default_value_t = 10)]
    questions: i64,
    /// The server to use (a database is created on it, and dropped at the end).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    database_url: String,
    /// How long the first phase may take.
    #[arg(long, default_value_t = 180)]
    start_timeout_secs: u64,
    /// How long to wait for the last feedback after each rate.
    #[arg(long, default_value_t = 15)]
    drain_secs: u64,
    /// Extra environment for the bot, e.g. `--bot-env SCORING_WORKERS=8` (repeatable).
    #[arg(long = "bot-env", value_parser = key_value)]
    bot_env: Vec<(String, String)>,
    /// SQL to run on the bench database before the bot starts, for experiments (e.g. dropping
    /// an index to see what it costs).
    #[arg(long)]
    setup_sql: Option<String>,
    /// Keep the database at the end (its name is printed), to look at what the bot stored.
    #[arg(long)]
    keep_database: bool,
    /// Also write every answer's timings to this CSV file.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// The bot binary (default: `mockingbird` beside this executable).
    #[arg(long)]
    bot: Option<PathBuf>,
}

fn key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("{s:?} is not KEY=VALUE"))
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if args.rate.iter().any(|r| r.is_nan() || *r <= 0.0) || args.interviews == 0 {
        bail!("--rate values and --interviews must be positive");
    }
    // The fake's own warnings (a gateway session that lagged) are worth seeing.
    tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_writer(std::io::stderr)
        .init();
    let db = Database::create(&args.database_url).await?;
    let outcome = with_database(&args, &db).await;
    if args.keep_database {
        eprintln!("kept the database {}", db.name);
        return outcome;
    }
    let dropped = db.drop_it().await;
    outcome?;
    dropped.context("dropping the bench database")
}

async fn with_database(args: &Args, db: &Database) -> Result<()> {
    setup::prepare_guild(&db.pool).await?;
    if let Some(sql) = &args.setup_sql {
        sqlx::raw_sql(sql)
            .execute(&db.pool)
            .await
            .context("running --setup-sql")?;
    }
    let fake = FakeDiscord::start(setup::world(args.interviews)).await?;
    let grade = Reply::Grade {
        scores: [6, 6, 6],
        covered: 2,
    };
    let llm = FakeLlm::start(grade).await?;
    let binary = match &args.bot {
        Some(path) => path.clone(),
        None => std::env::current_exe()?.with_file_name("mockingbird"),
    };
    let mut bot = Bot::spawn(&binary, &bot_env(args, db, &fake, &llm), &fake).await?;
    let outcome = measure(args, &fake, &bot, db).await;
    bot.stop();
    let unhandled = fake.unhandled();
    fake.shutdown();
    if let Err(e) = &outcome {
        eprintln!("--- bot log ---\n{}\n--- error: {e:#}", bot.log());
        return outcome;
    }
    let log = bot.log();
    if !log.trim().is_empty() {
        eprintln!("--- bot warnings and errors ---\n{log}");
    }
    bot.remove_log();
    if !unhandled.is_empty() {
        bail!("the fake Discord could not answer some requests: {unhandled:#?}");
    }
    outcome
}

/// The bot's environment, as the end-to-end tests set it (less logging).
fn bot_env(args: &Args, db: &Database, fake: &FakeDiscord, llm: &FakeLlm) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = [
        ("DISCORD_TOKEN", "fake-discord-token-0123".to_owned()),
        ("DATABASE_URL", db.url()),
        ("DISCORD_API_BASE", fake.base_url().to_owned()),
        ("DEV_GUILD_ID", ids::GUILD.to_string()),
        ("LLM_BASE_URL", llm.base_url()),
        ("LLM_MODEL", "fake-model".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
        ("NO_PROXY", "127.0.0.1,localhost".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    env.extend(args.bot_env.iter().cloned());
    env
}

async fn measure(args: &Args, fake: &FakeDiscord, bot: &Bot, db: &Database) -> Result<()> {
    let members: Vec<u64> = (0..args.interviews as u64)
        .map(|i| FIRST_MEMBER + i)
        .collect();
    let cmd = SlashCommand::new("interview start")
        .option("track", args.track.as_str())
        .option("questions", args.questions);
    let mut collector = Collector::new(fake.clone());
    collector.poll();
    let timeout = Duration::from_secs(args.start_timeout_secs);
    let (started, opened) =
        start_all(fake, &mut collector, &db.pool, &members, &cmd, timeout).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (rss_open, _) = bot.memory_kib()?;
    let load = Load::start(fake, collector, opened);
    let delay = Duration::from_millis(args.submit_delay_ms);
    let drain = Duration::from_secs(args.drain_secs);
    let mut rates = Vec::new();
    for &rate in &args.rate {
        let before = Usage::now(bot)?;
        let window = load.run(rate, args.seconds, delay, drain).await;
        let used = Usage::now(bot)?.since(&before);
        let stages = stages::breakdown(&db.pool, &window.samples).await?;
        eprintln!(
            "rate {rate}/s: {} feedback, p99 {:.1} ms",
            window.received,
            report::p(&window.latencies, 99.0)
        );
        let rss_kib = bot.memory_kib()?.0;
        rates.push(Figures {
            window,
            used,
            rss_kib,
            stages,
        });
    }
    load.stop();
    let (_, peak) = bot.memory_kib()?;
    report::print(args.interviews, &started, rss_open, peak, &rates);
    if let Some(path) = &args.csv {
        let stages: Vec<(f64, &stages::Stages)> =
            rates.iter().map(|f| (f.window.rate, &f.stages)).collect();
        stages::write_csv(path, &stages).context("writing the CSV")?;
    }
    Ok(())
}
