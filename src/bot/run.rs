//! Starting and stopping the bot: connect and migrate, sync the bank, build the poise framework
//! over a serenity client (through `DISCORD_API_BASE` when set), and once the gateway is ready
//! register the commands, resume open interviews and start the scoring workers and the sweeps.
//! Stops on SIGINT or SIGTERM: the shards close, the workers finish the job in hand.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use poise::{CreateReply, FrameworkError};
use serenity::all::{ClientBuilder, GatewayIntents, GuildId, HttpBuilder};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tracing::{error, info, warn};

use super::{commands, dispatch, events, http, qotd, quiet::QuietTimers, sweeps, worker};
use super::{error_chain, APOLOGY};
use super::{Bot, BotConfig, BotError};
use crate::app::questions::AskedQuestions;
use crate::app::App;
use crate::bank::Bank;
use crate::metrics::Metrics;
use crate::scoring::llm::{LlmError, LlmScorer};
use crate::scoring::Grader;
use crate::scoring::OfflineScorer;
use crate::store::{self, PgPool, StoreError};
use crate::style::Styles;

/// Why the bot could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("setting up the LLM scorer failed")]
    Llm(#[from] LlmError),
    #[error("setting up speech-to-text failed")]
    Speech(#[from] crate::speech::SpeechError),
    #[error("Discord client failed")]
    Discord(#[from] serenity::Error),
    #[error("cannot serve /healthz and /metrics on PORT={0}")]
    Port(u16, #[source] std::io::Error),
}

/// The gateway events the bot needs: guilds and channels, messages in threads with their text
/// (MESSAGE_CONTENT is privileged: switch it on in the developer portal), and reactions.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
        | GatewayIntents::GUILD_MESSAGE_REACTIONS
}

/// Effects of different threads post concurrently, this many at a time per process: enough
/// that one slow thread does not hold up the others.
const DISPATCH_LANES: usize = 4;

/// How long stopping waits for jobs in hand before leaving them to their leases.
const STOP_GRACE: Duration = Duration::from_secs(25);

/// Runs the bot until a signal stops it.
pub async fn run(config: BotConfig, bank: Bank, styles: Styles) -> Result<(), StartError> {
    let pool = store::connect(config.database_url.expose()).await?;
    store::migrate(&pool).await?;
    let synced = store::questions::sync_bank(&pool, bank.questions()).await?;
    info!(?synced, "question bank synced");
    let unknown = styles.unknown_tracks(|t| bank.has_track(t));
    if !unknown.is_empty() {
        warn!(
            ?unknown,
            "styles mix tracks the bank does not have; those tracks are never asked"
        );
    }
    let offline = Arc::new(OfflineScorer::for_bank(&bank));
    let grader = Arc::new(match &config.llm {
        Some(llm) => Grader::Llm(Box::new(LlmScorer::new(llm, offline)?)),
        None => Grader::Offline(offline),
    });
    info!(scorer = %grader.describe(), "scoring");
    let transcriber = match &config.stt {
        Some(stt) => {
            info!(model = %stt.model, "voice answers are transcribed");
            Some(Arc::new(crate::speech::Transcriber::new(stt.clone())?))
        }
        None => {
            info!("voice answers are refused: no STT_BASE_URL");
            None
        }
    };
    let speaker = match &config.tts {
        Some(tts) => {
            info!(model = %tts.model, voice = %tts.voice, "questions can be read aloud");
            Some(Arc::new(crate::speech::Speaker::new(tts.clone())?))
        }
        None => None,
    };
    let metrics = Arc::new(Metrics::new());
    let accepting = Arc::new(AtomicBool::new(true));
    let (stop, stopped) = watch::channel(false);
    let tasks = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));
    // The dispatcher stops after the workers, so that what they finished is posted.
    let (stop_posting, posting_stopped) = watch::channel(false);
    let lanes = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));

    let framework = framework(Ready {
        config: config.clone(),
        pool: pool.clone(),
        bank,
        styles,
        grader: Arc::clone(&grader),
        transcriber,
        speaker,
        metrics: Arc::clone(&metrics),
        accepting: Arc::clone(&accepting),
        stopped: stopped.clone(),
        tasks: Arc::clone(&tasks),
        posting_stopped,
        lanes: Arc::clone(&lanes),
    });
    let mut client = ClientBuilder::new_with_http(discord_http(&config), intents())
        .framework(framework)
        .await?;
    let listener = TcpListener::bind(("0.0.0.0", config.port))
        .await
        .map_err(|e| StartError::Port(config.port, e))?;
    if let Ok(addr) = listener.local_addr() {
        info!(%addr, "serving /healthz and /metrics");
    }
    let status = http::Status {
        pool: pool.clone(),
        metrics,
        grader,
        shards: Arc::clone(&client.shard_manager),
    };
    tokio::spawn(http::serve(listener, status, stopped));
    let shards = Arc::clone(&client.shard_manager);
    tokio::spawn(async move {
        shutdown_signal().await;
        info!("stopping: no new interviews, closing the shards, finishing jobs in hand");
        accepting.store(false, Ordering::SeqCst);
        let _ = stop.send(true);
        shards.shutdown_all().await;
    });
    let s = config.shards;
    info!(
        first = s.first,
        last = s.last,
        count = s.count,
        "starting shards"
    );
    // serenity's range end is inclusive here (it starts `end - start + 1` shards).
    #[allow(clippy::range_minus_one)]
    client.start_shard_range(s.first..s.last, s.count).await?;
    let mut tasks = tasks.lock().await;
    let drained = tokio::time::timeout(STOP_GRACE, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        warn!("jobs in hand did not finish in time; their leases hand them to another process");
    }
    let _ = stop_posting.send(true);
    let mut lanes = lanes.lock().await;
    let posted = tokio::time::timeout(dispatch::DRAIN, async {
        while lanes.join_next().await.is_some() {}
    })
    .await;
    if posted.is_err() {
        warn!("posts still waiting when stopping; another process (or the next start) posts them");
    }
    pool.close().await;
    info!("stopped");
    Ok(())
}

/// REST to Discord, through `DISCORD_API_BASE` when set.
fn discord_http(config: &BotConfig) -> serenity::all::Http {
    let mut http = HttpBuilder::new(config.discord_token.expose());
    if let Some(base) = &config.discord_api_base {
        // serenity ignores the proxy while its own rate limiter is on (serenity#1739); the
        // proxy (a shared rate-limiting proxy, or the fake Discord) is then in charge.
        http = http.proxy(base.as_str()).ratelimiter_disabled(true);
        info!(base = %base, "Discord REST goes through a proxy");
    }
    http.build()
}

/// What the framework's setup needs once the gateway is ready.
struct Ready {
    config: BotConfig,
    pool: PgPool,
    bank: Bank,
    styles: Styles,
    grader: Arc<Grader>,
    transcriber: Option<Arc<crate::speech::Transcriber>>,
    speaker: Option<Arc<crate::speech::Speaker>>,
    metrics: Arc<Metrics>,
    accepting: Arc<AtomicBool>,
    stopped: watch::Receiver<bool>,
    tasks: Arc<tokio::sync::Mutex<JoinSet<()>>>,
    posting_stopped: watch::Receiver<bool>,
    lanes: Arc<tokio::sync::Mutex<JoinSet<()>>>,
}

/// The poise framework: the commands, the error handler, the event handler, and a setup that
/// registers the commands and starts the background work once connected.
fn framework(r: Ready) -> poise::Framework<Arc<Bot>, BotError> {
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(on_error(error)),
            event_handler: |ctx, event| {
                Box::pin(events::handle(ctx.serenity_context, event, ctx.user_data))
            },
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                let commands = &framework.options().commands;
                match r.config.dev_guild_id {
                    Some(guild) => {
                        poise::builtins::register_in_guild(ctx, commands, GuildId::new(guild))
                            .await?;
                    }
                    None => poise::builtins::register_globally(ctx, commands).await?,
                }
                info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                let (handoff, handed) = dispatch::Handoff::new();
                let app = App {
                    pool: r.pool,
                    asked: AskedQuestions::new(&r.bank),
                    bank: Arc::new(r.bank),
                    styles: Arc::new(r.styles),
                    grader: r.grader,
                    metrics: r.metrics,
                    jobs_ready: Arc::new(Notify::new()),
                    effects_ready: Arc::new(Notify::new()),
                    worker_name: format!("{}-{}", hostname(), std::process::id()),
                    scoring_lease: r.config.scoring_lease,
                    design_round: r.config.design_round,
                };
                let bot = Arc::new(Bot {
                    app,
                    accepting: r.accepting,
                    http: Arc::clone(&ctx.http),
                    handoff,
                    quiet: QuietTimers::default(),
                    feedback_edits: Default::default(),
                    transcriber: r.transcriber,
                    speaker: r.speaker,
                });
                let mut tasks = r.tasks.lock().await;
                for i in 0..r.config.scoring_workers {
                    let name = format!("{}/{i}", bot.app.worker_name);
                    tasks.spawn(worker::run(Arc::clone(&bot), name, r.stopped.clone()));
                }
                tokio::spawn(dispatch::run_handoffs(Arc::clone(&bot), handed));
                let mut lanes = r.lanes.lock().await;
                for lane in 0..DISPATCH_LANES {
                    let stop = r.posting_stopped.clone();
                    lanes.spawn(dispatch::run(Arc::clone(&bot), lane, stop));
                }
                let every = r.config.sweep_interval;
                let sweeping = sweeps::Sweeps {
                    every,
                    purge_left_after: r.config.left_guild_purge_after,
                };
                tasks.spawn(sweeps::run(Arc::clone(&bot), sweeping, r.stopped.clone()));
                tasks.spawn(qotd::run(Arc::clone(&bot), every, r.stopped.clone()));
                if let Err(e) = sweeps::resume(&bot).await {
                    error!(error = %error_chain(&e), "resuming open interviews failed");
                }
                Ok(bot)
            })
        })
        .build()
}

/// The user sees an error meant for them; anything else is logged with context and the user
/// gets a short apology.
async fn on_error(error: FrameworkError<'_, Arc<Bot>, BotError>) {
    match error {
        FrameworkError::Command { error, ctx, .. } => {
            let text = match &error {
                BotError::User(text) => super::render::limits::content(text),
                other => {
                    error!(
                        command = %ctx.command().qualified_name,
                        guild_id = ?ctx.guild_id(),
                        error = %error_chain(other),
                        "command failed"
                    );
                    APOLOGY.to_owned()
                }
            };
            let reply = CreateReply::default().content(text).ephemeral(true);
            if let Err(e) = ctx.send(reply).await {
                warn!(error = %error_chain(&e), "could not tell the user about an error");
            }
        }
        FrameworkError::MissingUserPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            // Discord's app says "Manage Server" where the API says "Manage Guild".
            let needed = missing_permissions
                .map(|p| p.get_permission_names().join(" and "))
                .unwrap_or_else(|| "an organiser's".into())
                .replace("Manage Guild", "Manage Server");
            let text = format!(
                "`/{}` is for organisers: it needs the {needed} permission, which you don't have \
                 here.",
                ctx.command().qualified_name
            );
            let reply = CreateReply::default().content(text).ephemeral(true);
            if let Err(e) = ctx.send(reply).await {
                warn!(error = %error_chain(&e), "could not tell the user about missing permissions");
            }
        }
        FrameworkError::EventHandler { error, event, .. } => {
            error!(event = event.snake_case_name(), error = %error_chain(&error), "event failed");
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                warn!(error = %error_chain(&e), "error handler failed");
            }
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "mockingbird".into())
}
