//! A fake Discord to run the bot against locally, without a Discord account or network.
//!
//! ```text
//! cargo run --bin fake-discord -- --addr 127.0.0.1:3030
//! DISCORD_TOKEN=fake DISCORD_API_BASE=http://127.0.0.1:3030 DEV_GUILD_ID=1000 cargo run -- run
//! ```
//!
//! It serves Discord's REST API under `/api/v10`, the gateway at `/ws`, and a JSON control API
//! under `/control` to act as a member and list what the bot posted:
//!
//! ```text
//! curl -s localhost:3030/control/command -d '{"member":3001,"channel":2000,"command":"interview start","options":{"track":"backend"}}' -H 'content-type: application/json'
//! curl -s localhost:3030/control/messages
//! ```
//!
//! The routes, bodies and the default world (guild 1000, `#general` 2000, `#qotd` 2001,
//! organiser 3000, members alice 3001, bob 3002, carol 3003, bot 100) are documented in
//! `mockingbird::fake_discord::control` and `notes/readme-fake-discord.md`. `--config FILE`
//! loads another world from JSON (the shape of `FakeConfig`).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use mockingbird::fake_discord::{FakeConfig, FakeDiscord};

#[derive(Parser)]
#[command(about = "A fake Discord (REST + gateway + control API) for running the bot locally")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3030")]
    addr: SocketAddr,
    /// A JSON file with the guilds, channels and members (FakeConfig); the default has one guild.
    #[arg(long)]
    config: Option<PathBuf>,
}

fn load_config(path: Option<&PathBuf>) -> anyhow::Result<FakeConfig> {
    let Some(path) = path else {
        return Ok(FakeConfig::default());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("parsing {} as a fake Discord config", path.display()))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let config = load_config(args.config.as_ref())?;
    let summary = serde_json::to_string_pretty(&config)?;
    let fake = FakeDiscord::start_on(config, args.addr).await?;
    println!("fake Discord listening on {}", fake.base_url());
    println!("  REST base (DISCORD_API_BASE): {}", fake.base_url());
    println!("  gateway: {}", fake.gateway_url());
    println!(
        "  control API: {}/control (see notes/readme-fake-discord.md)",
        fake.base_url()
    );
    println!("world:\n{summary}");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    fake.shutdown();
    Ok(())
}
