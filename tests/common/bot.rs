//! The bot under test: the real `mockingbird run` binary, as a child process, against the fake
//! Discord, a fresh PostgreSQL database and (optionally) the fake LLM, all on localhost. A
//! process, so a test can kill it outright (SIGKILL, no clean-up) and start it again. Its log
//! goes to a file that is printed when a test fails.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use mockingbird::bank::Bank;
use mockingbird::fake_discord::{ids, FakeConfig, FakeDiscord, RecordedMessage, SlashCommand};
use mockingbird::scoring::llm::fake::{FakeLlm, Reply};
use mockingbird::store::answers::{self, AnswerStatus};
use mockingbird::store::guilds;
use mockingbird::store::interviews::{self, InterviewStatus};

use super::pg::TestDb;

/// Long enough for a debug build on a busy two-core machine.
pub const WAIT: Duration = Duration::from_secs(30);

pub struct Harness {
    pub db: TestDb,
    pub discord: FakeDiscord,
    pub llm: Option<FakeLlm>,
    bot: Option<Child>,
    log: tempfile::NamedTempFile,
    extra_env: Vec<(String, String)>,
    /// More bot processes (a scaled-out deployment), each with its log.
    others: Vec<(Child, tempfile::NamedTempFile)>,
}

impl Harness {
    /// A database, a fake Discord, the fake LLM when `llm` is given, and the bot, started and
    /// with its commands registered.
    pub async fn start(llm: Option<Reply>) -> Harness {
        Harness::start_with(llm, &[]).await
    }

    pub async fn start_with(llm: Option<Reply>, env: &[(&str, &str)]) -> Harness {
        let mut harness = Harness::without_bot(FakeConfig::default(), llm, env).await;
        harness.spawn().await;
        harness
    }

    /// Everything but the bot, over this fake Discord world.
    pub async fn without_bot(
        config: FakeConfig,
        llm: Option<Reply>,
        env: &[(&str, &str)],
    ) -> Harness {
        let db = TestDb::new().await;
        let discord = FakeDiscord::start(config)
            .await
            .expect("the fake Discord starts");
        let llm = match llm {
            Some(reply) => Some(FakeLlm::start(reply).await.expect("the fake LLM starts")),
            None => None,
        };
        Harness {
            db,
            discord,
            llm,
            bot: None,
            log: tempfile::NamedTempFile::new().expect("a log file"),
            extra_env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            others: Vec::new(),
        }
    }

    /// Starts one more bot process with these settings on top of the harness's, logging to
    /// its own file; it is killed with the harness. Returns its index for [`Harness::other_log`].
    pub fn spawn_other(&mut self, env: &[(&str, &str)]) -> usize {
        let log = tempfile::NamedTempFile::new().expect("a log file");
        let mut vars = self.env();
        vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mockingbird"));
        cmd.arg("run")
            .env_clear()
            .envs(vars)
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("the log file"));
        if let Ok(path) = std::env::var("PATH") {
            cmd.env("PATH", path);
        }
        self.others
            .push((cmd.spawn().expect("the bot starts"), log));
        self.others.len() - 1
    }

    /// What bot process `index` (from [`Harness::spawn_other`]) logged so far.
    pub fn other_log(&self, index: usize) -> String {
        self.others
            .get(index)
            .and_then(|(_, log)| std::fs::read_to_string(log.path()).ok())
            .unwrap_or_default()
    }

    /// The environment the bot runs with.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("DISCORD_TOKEN".into(), "fake-discord-token-0123".into()),
            ("DATABASE_URL".into(), self.db.url()),
            ("DISCORD_API_BASE".into(), self.discord.base_url().into()),
            ("DEV_GUILD_ID".into(), ids::GUILD.to_string()),
            ("SWEEP_INTERVAL_SECS".into(), "0.3".into()),
            ("SCORING_LEASE_SECS".into(), "2".into()),
            ("RUST_LOG".into(), "info,mockingbird=debug".into()),
            ("NO_PROXY".into(), "127.0.0.1,localhost".into()),
            // Any free port: tests run side by side.
            ("PORT".into(), "0".into()),
        ];
        if let Some(llm) = &self.llm {
            env.push(("LLM_BASE_URL".into(), llm.base_url()));
            env.push(("LLM_MODEL".into(), "fake-model".into()));
            env.push(("LLM_API_KEY".into(), "sk-fake-llm-key-4567".into()));
            env.push(("LLM_TIMEOUT_SECS".into(), "20".into()));
        }
        env.extend(self.extra_env.iter().cloned());
        env
    }

    /// Starts the bot process and waits until it is connected with its commands registered.
    pub async fn spawn(&mut self) {
        assert!(self.bot.is_none(), "the bot is already running");
        let registered_before = self.discord.read(|w| w.command_overwrites);
        let log = self.log.reopen().expect("the log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mockingbird"));
        cmd.arg("run")
            .env_clear()
            .envs(self.env())
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        if let Ok(path) = std::env::var("PATH") {
            cmd.env("PATH", path);
        }
        self.bot = Some(cmd.spawn().expect("the bot starts"));
        let registered = self
            .discord
            .wait_until("command registration", WAIT, |w| {
                (w.command_overwrites > registered_before).then_some(())
            })
            .await;
        if let Err(e) = registered {
            panic!("the bot did not register its commands: {e}\n{}", self.log());
        }
    }

    /// Kills the bot outright, as a crash or an OOM kill would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.bot.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends SIGTERM and waits for the bot to exit; its exit status.
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.bot.take()?;
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        child.wait().ok()
    }

    /// The address the bot serves /healthz and /metrics on, read from its log.
    pub async fn http_addr(&self) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let log = self.log();
            let found = log
                .lines()
                .rev()
                .filter(|l| l.contains("serving /healthz and /metrics"))
                .filter_map(|l| l.split("addr=").nth(1))
                .find_map(|rest| rest.split_whitespace().next());
            if let Some(addr) = found {
                return addr.replace("0.0.0.0", "127.0.0.1");
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no HTTP address in:\n{log}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the bot logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    pub fn log_path(&self) -> PathBuf {
        self.log.path().to_owned()
    }

    /// Sets one guild setting before a member starts anything (quiet period, idle timeout).
    pub async fn configure(&self, change: impl FnOnce(&mut guilds::GuildSettings)) {
        guilds::upsert_member(&self.db.pool, ids::GUILD, ids::ORGANISER, "organiser")
            .await
            .expect("register the guild");
        let mut settings = guilds::settings(&self.db.pool, ids::GUILD)
            .await
            .expect("read settings");
        change(&mut settings);
        guilds::save_settings(&self.db.pool, ids::GUILD, &settings)
            .await
            .expect("save settings");
    }

    /// The bot messages in `channel` so far, oldest first.
    pub fn messages_in(&self, channel: u64) -> Vec<RecordedMessage> {
        self.discord.read(|w| {
            w.messages
                .iter()
                .filter(|m| m.channel_id == channel && m.by_bot && !m.deleted)
                .cloned()
                .collect()
        })
    }

    /// Waits for the `n`-th (1-based) bot message in `channel` whose first embed title starts
    /// with `title`.
    pub async fn nth_titled(&self, channel: u64, title: &str, n: usize) -> RecordedMessage {
        let found = self
            .discord
            .wait_until(&format!("message {n} titled {title:?}"), WAIT, |w| {
                w.messages
                    .iter()
                    .filter(|m| m.channel_id == channel && m.by_bot && !m.deleted)
                    .filter(|m| m.embed_titles().iter().any(|t| t.starts_with(title)))
                    .nth(n - 1)
                    .cloned()
            })
            .await;
        match found {
            Ok(m) => m,
            Err(e) => panic!(
                "{e}\nmessages in the thread: {:#?}\nbot log:\n{}",
                self.messages_in(channel)
                    .iter()
                    .map(|m| (m.embed_titles().join("|"), m.content.clone()))
                    .collect::<Vec<_>>(),
                self.log()
            ),
        }
    }
}

/// `/interview start track:{track} questions:{questions}`.
pub fn start_command(track: &str, questions: i64) -> SlashCommand {
    SlashCommand::new("interview start")
        .option("track", track)
        .option("questions", questions)
}

/// The interview id in a question's buttons.
pub fn interview_id(question: &RecordedMessage) -> i64 {
    question
        .custom_ids()
        .iter()
        .find_map(|id| id.strip_prefix("iv:submit:"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a Submit button: {:?}", question.custom_ids()))
}

impl Harness {
    /// `member` runs slash command `cmd` in #general; returns the bot's first reply.
    pub async fn command(&self, member: u64, cmd: SlashCommand) -> RecordedMessage {
        let sent = self
            .discord
            .slash_command(member, ids::GENERAL, &cmd)
            .unwrap();
        self.discord
            .wait_for_reply(sent, WAIT)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", self.log()))
    }

    pub async fn member_starts(&self, member: u64, cmd: &SlashCommand) -> u64 {
        let sent = self
            .discord
            .slash_command(member, ids::GENERAL, cmd)
            .unwrap();
        let reply = self.discord.wait_for_reply(sent, WAIT).await;
        let reply = reply.unwrap_or_else(|e| panic!("{e}\n{}", self.log()));
        assert!(reply.is_ephemeral(), "{reply:?}");
        let thread = reply
            .content
            .split("<#")
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .and_then(|id| id.parse::<u64>().ok())
            .unwrap_or_else(|| panic!("the reply links the thread: {}", reply.content));
        let opened = self
            .discord
            .read(|w| w.thread(thread).map(|t| (t.parent_id, t.owner_id)));
        assert_eq!(
            opened,
            Some((ids::GENERAL, ids::BOT)),
            "a thread of #general"
        );
        thread
    }

    /// The model answer of the question the interview waits on (its first, at the start), cut
    /// in two at a sentence.
    pub async fn model_answer_halves(&self, interview: i64) -> (String, String) {
        let answer = self.model_answer(interview).await;
        let cut = answer
            .match_indices(". ")
            .map(|(i, _)| i + 1)
            .find(|&i| i >= answer.len() / 3)
            .unwrap_or_else(|| {
                answer
                    .char_indices()
                    .nth(answer.chars().count() / 2)
                    .map_or(0, |(i, _)| i)
            });
        let (a, b) = answer.split_at(cut);
        (a.trim().to_owned(), b.trim().to_owned())
    }

    /// The model answer of the main question the interview waits on.
    pub async fn model_answer(&self, interview: i64) -> String {
        let id = self.awaited_question(interview).await;
        let bank = Bank::bundled().unwrap();
        bank.get(&id).unwrap().model_answer.clone()
    }

    /// The id of the question the interview waits on an answer to.
    pub async fn awaited_question(&self, interview: i64) -> String {
        let row = interviews::lock(&self.db.pool, interview)
            .await
            .unwrap()
            .unwrap();
        let journal = mockingbird::interview::Journal::from_json(&row.state).unwrap();
        journal.awaiting.expect("a question waiting").question_id
    }

    /// Waits until the stored answer to the awaited turn holds `n` messages.
    pub async fn wait_for_parts(&self, interview: i64, n: usize) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let stored = answers::for_interview(&self.db.pool, interview)
                .await
                .unwrap();
            if stored
                .iter()
                .any(|a| a.status == AnswerStatus::Open && a.message_ids.len() == n)
            {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "answer with {n} parts never stored\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `member` answers the question `asked` in `thread` with `text` and submits it; returns the
    /// bot's next question or report.
    pub async fn answer(
        &self,
        member: u64,
        thread: u64,
        asked: &RecordedMessage,
        text: &str,
    ) -> RecordedMessage {
        let id = interview_id(asked);
        self.discord.send_message(member, thread, text).unwrap();
        self.wait_for_parts(id, 1).await;
        self.discord
            .click(member, asked.id, &format!("iv:submit:{id}"))
            .unwrap();
        self.next_turn_or_report(thread, asked.id).await
    }

    /// The first question or report the bot posted in `thread` after message `after`.
    pub async fn next_turn_or_report(&self, thread: u64, after: u64) -> RecordedMessage {
        let found = self
            .discord
            .wait_until("the next question or the report", WAIT, |w| {
                w.messages
                    .iter()
                    .filter(|m| m.channel_id == thread && m.by_bot && m.id > after)
                    .find(|m| {
                        m.embed_titles().iter().any(|t| {
                            t.starts_with("Follow-up")
                                || t.starts_with("Question")
                                || t.starts_with("Stage")
                                || *t == "Interview report"
                        })
                    })
                    .cloned()
            })
            .await;
        found.unwrap_or_else(|e| panic!("{e}\n{}", self.log()))
    }

    /// Waits until the interview in `thread` has this status (committed with the step that ends
    /// it, before its report is posted).
    pub async fn wait_for_status(&self, thread: u64, status: InterviewStatus) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let row = interviews::by_thread(&self.db.pool, thread)
                .await
                .unwrap()
                .unwrap();
            if row.status == status {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "still {:?}, never {status:?}",
                row.status
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.kill();
        for (child, _) in &mut self.others {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            eprintln!("--- bot log ---\n{}", self.log());
            for i in 0..self.others.len() {
                eprintln!("--- bot process {i} log ---\n{}", self.other_log(i));
            }
        }
    }
}

/// A bot in this process, sharing the harness's database and fake Discord over REST (no
/// gateway): for driving the QOTD scheduler with a clock the test chooses (start the harness
/// without a bot process, whose scheduler would follow the real clock). Each call is a
/// separate "process": its own pool and HTTP client.
pub async fn scheduler_bot(h: &Harness) -> std::sync::Arc<mockingbird::bot::Bot> {
    use std::sync::Arc;

    use mockingbird::app::App;
    use mockingbird::bot::{quiet::QuietTimers, Bot};
    use mockingbird::metrics::Metrics;
    use mockingbird::scoring::{Grader, OfflineScorer};
    use serenity::all::HttpBuilder;

    let bank = Bank::bundled().expect("the bundled bank");
    let pool = mockingbird::store::connect(&h.db.url())
        .await
        .expect("connect");
    // What a bot process does at start: posts refer to the bank's rows.
    mockingbird::store::questions::sync_bank(&pool, bank.questions())
        .await
        .expect("sync the bank");
    let http = HttpBuilder::new("fake-discord-token-0123")
        .proxy(h.discord.base_url())
        .ratelimiter_disabled(true)
        .build();
    let app = App {
        pool,
        grader: Arc::new(Grader::Offline(Arc::new(OfflineScorer::for_bank(&bank)))),
        metrics: Arc::new(Metrics::new()),
        asked: mockingbird::app::questions::AskedQuestions::new(&bank),
        bank: Arc::new(bank),
        styles: Arc::new(mockingbird::style::Styles::bundled_with(&[]).expect("the styles")),
        jobs_ready: Arc::new(tokio::sync::Notify::new()),
        effects_ready: Arc::new(tokio::sync::Notify::new()),
        worker_name: "test-scheduler".into(),
        scoring_lease: Duration::from_secs(30),
        design_round: Default::default(),
    };
    Arc::new(Bot {
        app,
        accepting: Arc::new(std::sync::atomic::AtomicBool::new(true)),
        http: Arc::new(http),
        // Nobody takes deliveries here: what a step would post goes to the lanes of the bot.
        handoff: mockingbird::bot::dispatch::Handoff::new().0,
        quiet: QuietTimers::default(),
        feedback_edits: Default::default(),
        transcriber: None,
        speaker: None,
    })
}
