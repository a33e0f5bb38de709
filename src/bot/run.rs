//! Starting and stopping the bot: connect and migrate, sync the bank, build the poise framework
//! over a serenity client (through `DISCORD_API_BASE` when set), and once the gateway is ready
//! register the commands, resume open interviews and start the scoring workers and the sweeps.
//! Stops on SIGINT or SIGTERM: the shards close, the workers finish the job in hand.

use std::sync::Arc;
use std::time::Duration;

use poise::{CreateReply, FrameworkError};
use serenity::all::{ClientBuilder, GatewayIntents, GuildId, HttpBuilder};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tracing::{error, info, warn};

use super::{commands, events, quiet::QuietTimers, sweeps, worker, Bot, BotConfig, BotError};
use super::{error_chain, Grader, APOLOGY};
use crate::bank::Bank;
use crate::scoring::llm::{LlmError, LlmScorer};
use crate::scoring::OfflineScorer;
use crate::store::{self, StoreError};

/// Why the bot could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("setting up the LLM scorer failed")]
    Llm(#[from] LlmError),
    #[error("Discord client failed")]
    Discord(#[from] serenity::Error),
}

/// The gateway events the bot needs: guilds and channels, messages in threads with their text
/// (MESSAGE_CONTENT is privileged: switch it on in the developer portal), and reactions.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
        | GatewayIntents::GUILD_MESSAGE_REACTIONS
}

/// Runs the bot until a signal stops it.
pub async fn run(config: BotConfig, bank: Bank) -> Result<(), StartError> {
    let pool = store::connect(config.database_url.expose()).await?;
    store::migrate(&pool).await?;
    let synced = store::questions::sync_bank(&pool, bank.questions()).await?;
    info!(?synced, "question bank synced");
    let offline = Arc::new(OfflineScorer::for_bank(&bank));
    let grader = match &config.llm {
        Some(llm) => Grader::Llm(Box::new(LlmScorer::new(llm, offline)?)),
        None => Grader::Offline(offline),
    };
    info!(scorer = %grader.describe(), "scoring");

    let mut http = HttpBuilder::new(config.discord_token.expose());
    if let Some(base) = &config.discord_api_base {
        // serenity ignores the proxy while its own rate limiter is on (serenity#1739); the
        // proxy (a shared rate-limiting proxy, or the fake Discord) is then in charge.
        http = http.proxy(base.as_str()).ratelimiter_disabled(true);
        info!(base = %base, "Discord REST goes through a proxy");
    }
    let (stop, stopped) = watch::channel(false);
    let tasks = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));
    let setup_tasks = Arc::clone(&tasks);
    let setup_config = config.clone();
    let framework = poise::Framework::builder()
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
                match setup_config.dev_guild_id {
                    Some(guild) => {
                        poise::builtins::register_in_guild(ctx, commands, GuildId::new(guild))
                            .await?;
                    }
                    None => poise::builtins::register_globally(ctx, commands).await?,
                }
                info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                let bot = Arc::new(Bot {
                    pool,
                    bank: Arc::new(bank),
                    grader,
                    http: Arc::clone(&ctx.http),
                    jobs_ready: Arc::new(Notify::new()),
                    quiet: QuietTimers::default(),
                    worker_name: format!("{}-{}", hostname(), std::process::id()),
                    scoring_lease: setup_config.scoring_lease,
                });
                let mut tasks = setup_tasks.lock().await;
                for i in 0..setup_config.scoring_workers {
                    let name = format!("{}/{i}", bot.worker_name);
                    tasks.spawn(worker::run(Arc::clone(&bot), name, stopped.clone()));
                }
                let every = setup_config.sweep_interval;
                tasks.spawn(sweeps::run(Arc::clone(&bot), every, stopped.clone()));
                if let Err(e) = sweeps::resume(&bot).await {
                    error!(error = %error_chain(&e), "resuming open interviews failed");
                }
                Ok(bot)
            })
        })
        .build();
    let mut client = ClientBuilder::new_with_http(http.build(), intents())
        .framework(framework)
        .await?;
    let shards = Arc::clone(&client.shard_manager);
    tokio::spawn(async move {
        shutdown_signal().await;
        info!("stopping: closing the shards, finishing jobs in hand");
        let _ = stop.send(true);
        shards.shutdown_all().await;
    });
    client.start().await?;
    let mut tasks = tasks.lock().await;
    let drained = tokio::time::timeout(Duration::from_secs(30), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        warn!("workers did not stop within 30 s; leaving their jobs to their leases");
    }
    info!("stopped");
    Ok(())
}

/// The user sees an error meant for them; anything else is logged with context and the user
/// gets a short apology.
async fn on_error(error: FrameworkError<'_, Arc<Bot>, BotError>) {
    match error {
        FrameworkError::Command { error, ctx, .. } => {
            let text = match &error {
                BotError::User(text) => text.clone(),
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
                warn!(error = %e, "could not tell the user about an error");
            }
        }
        FrameworkError::EventHandler { error, event, .. } => {
            error!(event = event.snake_case_name(), error = %error_chain(&error), "event failed");
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                warn!(error = %e, "error handler failed");
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
