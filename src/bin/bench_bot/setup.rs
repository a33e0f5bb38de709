//! Everything around the measurement: a database of its own on the server, the fake Discord's
//! world (one guild with enough members), the guild's settings, and the real `mockingbird run`
//! binary as a child process, with its log in a file and its memory and CPU read from `/proc`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};

use mockingbird::fake_discord::config::{ALL_PERMISSIONS, MEMBER_PERMISSIONS};
use mockingbird::fake_discord::{ids, FakeChannel, FakeConfig, FakeDiscord, FakeGuild, FakeMember};
use mockingbird::store::{self, guilds};

/// Member ids are `FIRST_MEMBER + i`.
pub const FIRST_MEMBER: u64 = 10_000;

/// A database created for this run and dropped at its end.
pub struct Database {
    pub pool: PgPool,
    pub name: String,
    admin: PgConnectOptions,
    server_url: String,
}

impl Database {
    /// Creates `mockingbird_bench_<pid>` on the server and applies the migrations.
    pub async fn create(server_url: &str) -> Result<Database> {
        let admin: PgConnectOptions = server_url
            .parse()
            .map_err(|_| anyhow::anyhow!("--database-url is not a postgres:// URL"))?;
        let admin = admin.disable_statement_logging();
        let name = format!("mockingbird_bench_{}", std::process::id());
        let mut conn = PgConnection::connect_with(&admin)
            .await
            .context("connecting to PostgreSQL")?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .connect_with(admin.clone().database(&name))
            .await?;
        store::migrate(&pool).await?;
        Ok(Database {
            pool,
            name,
            admin,
            server_url: server_url.to_owned(),
        })
    }

    /// The URL the bot connects with: the server's URL with this database in its path.
    pub fn url(&self) -> String {
        let (base, query) = match self.server_url.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (self.server_url.as_str(), String::new()),
        };
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        let server = match base[after_scheme..].find('/') {
            Some(i) => &base[..after_scheme + i],
            None => base,
        };
        format!("{server}/{}{query}", self.name)
    }

    pub async fn drop_it(self) -> Result<()> {
        self.pool.close().await;
        let mut conn = PgConnection::connect_with(&self.admin).await?;
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut conn)
        .await?;
        conn.close().await?;
        Ok(())
    }
}

/// One guild with `#general`, its owner, and `members` ordinary members.
pub fn world(members: usize) -> FakeConfig {
    let mut config = FakeConfig::default();
    let everyone = (0..members as u64).map(|i| {
        let name = format!("member{i}");
        FakeMember::new(FIRST_MEMBER + i, &name, MEMBER_PERMISSIONS)
    });
    config.guilds = vec![FakeGuild {
        id: ids::GUILD,
        name: "Study Group".to_owned(),
        owner_id: ids::ORGANISER,
        channels: vec![FakeChannel {
            id: ids::GENERAL,
            name: "general".to_owned(),
            no_threads_for_bot: false,
        }],
        roles: Vec::new(),
        members: std::iter::once(FakeMember::new(
            ids::ORGANISER,
            "organiser",
            ALL_PERMISSIONS,
        ))
        .chain(everyone)
        .collect(),
    }];
    config
}

/// Registers the guild and sets its quiet period to 0: only Submit submits an answer.
pub async fn prepare_guild(pool: &PgPool) -> Result<()> {
    guilds::upsert_member(pool, ids::GUILD, ids::ORGANISER, "organiser").await?;
    let mut settings = guilds::settings(pool, ids::GUILD).await?;
    settings.quiet_period = Duration::ZERO;
    guilds::save_settings(pool, ids::GUILD, &settings).await?;
    Ok(())
}

/// The bot as a child process.
pub struct Bot {
    child: Child,
    log: PathBuf,
}

impl Bot {
    /// Starts `binary run` with `env` (and PATH) and waits until it has registered its commands.
    pub async fn spawn(binary: &Path, env: &[(String, String)], fake: &FakeDiscord) -> Result<Bot> {
        if !binary.exists() {
            bail!(
                "{} not found: build it first with `cargo build --release`",
                binary.display()
            );
        }
        let log = std::env::temp_dir().join(format!("bench-bot-{}.log", std::process::id()));
        let file = std::fs::File::create(&log).context("creating the bot's log file")?;
        let registered_before = fake.read(|w| w.command_overwrites);
        let mut cmd = Command::new(binary);
        cmd.arg("run")
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file);
        if let Ok(path) = std::env::var("PATH") {
            cmd.env("PATH", path);
        }
        let child = cmd.spawn().context("starting the bot")?;
        let mut bot = Bot { child, log };
        let registered = fake
            .wait_until("command registration", Duration::from_secs(60), |w| {
                (w.command_overwrites > registered_before).then_some(())
            })
            .await;
        if let Err(e) = registered {
            bot.stop();
            bail!("the bot did not register its commands: {e}\n{}", bot.log());
        }
        Ok(bot)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the bot logged (warnings and errors only, at RUST_LOG=warn).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// (VmRSS, VmHWM) in KiB: resident memory now, and its peak so far.
    pub fn memory_kib(&self) -> Result<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .context("reading the bot's /proc status")?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<u64>().ok())
                .with_context(|| format!("{name} in /proc/{}/status", self.pid()))
        };
        Ok((field("VmRSS:")?, field("VmHWM:")?))
    }

    /// CPU time the bot has used so far (user + system), in seconds.
    pub fn cpu_secs(&self) -> Result<f64> {
        cpu_secs(&self.pid().to_string())
    }

    /// SIGTERM, then SIGKILL if it has not stopped within ten seconds.
    pub fn stop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Removes the log file (after a run that went well).
    pub fn remove_log(&self) {
        let _ = std::fs::remove_file(&self.log);
    }
}

/// CPU time (user + system) of process `pid` (or `self`) so far, in seconds.
pub fn cpu_secs(pid: &str) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat"))?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name and state.
    let (Some(user), Some(system)) = (ticks(11), ticks(12)) else {
        bail!("unexpected /proc/{pid}/stat");
    };
    Ok((user + system) as f64 / clock_ticks())
}

/// CPU time (user + system) of every `postgres` process on the machine, in seconds. Backends
/// that exit in between take their time with them, so this undercounts a little.
pub fn postgres_cpu_secs() -> Result<f64> {
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").context("listing /proc")? {
        let Ok(entry) = entry else { continue };
        let pid = entry.file_name().to_string_lossy().into_owned();
        if !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() == "postgres" {
            total += cpu_secs(&pid).unwrap_or(0.0);
        }
    }
    Ok(total)
}

/// The whole machine's CPU time so far: (busy, total) in ticks, from `/proc/stat`.
pub fn machine_ticks() -> Result<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").context("reading /proc/stat")?;
    let cpu = stat.lines().next().unwrap_or_default();
    let ticks: Vec<u64> = cpu
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    let total: u64 = ticks.iter().take(8).sum();
    Ok((total.saturating_sub(idle), total))
}

/// Kernel clock ticks per second (`getconf CLK_TCK`), 100 when it cannot be asked.
fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or(100.0)
}
