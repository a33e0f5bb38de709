//! `mockingbird run` (the bot), `migrate` and `purge`: the commands that need PostgreSQL.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;

use mockingbird::bank::Bank;
use mockingbird::bot::config::RunArgs;
use mockingbird::bot::{self, BotConfig};
use mockingbird::store;
use mockingbird::style::Styles;

#[derive(Args)]
pub struct MigrateArgs {
    /// The PostgreSQL database, e.g. postgres://user:password@host:5432/mockingbird
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: String,
}

#[derive(Args)]
pub struct PurgeArgs {
    /// The server's id (Discord: right-click the server, Copy Server ID).
    #[arg(long = "guild", value_name = "ID")]
    pub guild_id: u64,
    /// The PostgreSQL database, e.g. postgres://user:password@host:5432/mockingbird
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: String,
}

/// `args` come with .env already read (see [`parse`]), which the logging settings rely on too.
pub fn run_bot(bank: Bank, styles: Styles, args: RunArgs) -> Result<ExitCode> {
    init_logging()?;
    let config = BotConfig::from_args(args)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(bot::run(config, bank, styles))?;
    Ok(ExitCode::SUCCESS)
}

/// Logs to stderr: readable lines by default, one JSON object per line with LOG_FORMAT=json.
/// RUST_LOG filters (default: info for Mockingbird, warnings for the libraries).
pub fn init_logging() -> Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,serenity=warn,poise=warn,sqlx=warn,tracing=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal());
    let format = std::env::var("LOG_FORMAT").unwrap_or_default();
    let installed = match format.trim() {
        "json" => builder.json().try_init(),
        // A blank value (a .env line left empty) is unset, like every other setting.
        "text" | "" => builder.try_init(),
        other => bail!("LOG_FORMAT={other:?} is not valid: text (the default) or json"),
    };
    installed.map_err(|e| anyhow::anyhow!("cannot set up logging: {e}"))
}

pub fn purge(args: &PurgeArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let pool = store::connect(&args.database_url).await?;
        let known = store::privacy::purge_guild(&pool, args.guild_id).await?;
        pool.close().await;
        if known {
            eprintln!(
                "purged server {}: nothing of it is stored any more",
                args.guild_id
            );
            Ok(ExitCode::SUCCESS)
        } else {
            eprintln!(
                "server {} is not in this database; nothing to purge",
                args.guild_id
            );
            Ok(ExitCode::FAILURE)
        }
    })
}

pub fn migrate(bank: &Bank, database_url: &str) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let pool = store::connect(database_url).await?;
        store::migrate(&pool).await?;
        let synced = store::questions::sync_bank(&pool, bank.questions()).await?;
        eprintln!(
            "migrations applied; questions: {} new, {} changed, {} unchanged, {} retired",
            synced.inserted, synced.updated, synced.unchanged, synced.retired
        );
        pool.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
