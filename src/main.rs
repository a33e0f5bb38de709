//! The `mockingbird` command line: practice in a terminal, score one answer, evaluate the scorer,
//! and check or list the question bank.

use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use mockingbird::bank::{self, Bank, Difficulty, Question};
use mockingbird::bot::config::{config_error, RunArgs};
use mockingbird::bot::{self, BotConfig};
use mockingbird::chart;
use mockingbird::eval;
use mockingbird::interview::design::DesignRound;
use mockingbird::interview::{
    build_candidates, build_design_plan, build_plan, Adaptive, Interview, PlanRequest, Settings,
    ADAPTIVE_START,
};
use mockingbird::practice;
use mockingbird::practice::DrillState;
use mockingbird::scoring::llm::cli::{CliScorer, ScorerChoice};
use mockingbird::scoring::{lint, Rubric, Scorer};
use mockingbird::store;
use mockingbird::style::Styles;

/// Mock technical interviews for study groups: a Discord bot, and a practice mode in your terminal.
#[derive(Parser)]
#[command(name = "mockingbird", version, about, long_about = None)]
struct Cli {
    /// A folder of question files (*.toml) to add to the bundled bank; a question with the id of
    /// a bundled one replaces it. May be given more than once.
    #[arg(
        long = "questions",
        value_name = "DIR",
        env = "MOCKINGBIRD_QUESTIONS",
        global = false
    )]
    question_dirs: Vec<PathBuf>,

    /// A folder of interviewer style files (*.toml) to add to the bundled styles; a style with
    /// the id of a bundled one replaces it. May be given more than once.
    #[arg(long = "styles", value_name = "DIR", env = "MOCKINGBIRD_STYLES")]
    style_dirs: Vec<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Discord bot. Its settings are environment variables (a .env file is read too) or
    /// flags: `mockingbird run --help` lists them.
    Run(RunArgs),
    /// Run a mock interview in this terminal. Piped input works too.
    Practice(PracticeArgs),
    /// Score one answer against a question's rubric (to try out a rubric).
    Score(ScoreArgs),
    /// Measure the scorer against human grades in a CSV file.
    Eval(EvalArgs),
    /// List the interviewer styles `practice --style` and `/interview start style:` take.
    Styles,
    /// Check or list the question bank.
    #[command(subcommand)]
    Questions(QuestionsCommand),
    /// Apply the database migrations and sync the question bank (the bot does both at start).
    Migrate(MigrateArgs),
    /// Delete everything stored for one Discord server at once: settings, members, interviews,
    /// answers, reviews, QOTD posts, its questions, LLM usage and boards.
    Purge(PurgeArgs),
}

#[derive(Args)]
struct PracticeArgs {
    /// Only questions from this track (see `mockingbird questions list`).
    #[arg(long, short)]
    track: Option<String>,
    /// Only questions of this difficulty: junior, mid or senior. Without it the interview starts
    /// at mid and moves up after strong answers and down after weak ones.
    #[arg(long, short)]
    difficulty: Option<Difficulty>,
    /// Number of main questions.
    #[arg(long = "questions", short = 'n', default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
    count: u16,
    /// Seed for the choice of questions (the same seed asks the same questions).
    #[arg(long)]
    seed: Option<u64>,
    /// The interviewer's style (see `mockingbird styles`): its voice, follow-ups, weights,
    /// tracks, levels, time box and bar.
    #[arg(long)]
    style: Option<String>,
    /// Drill by spaced repetition: ask the questions due today from your drill state (or, with
    /// none due, questions you have not drilled), with no follow-ups, and schedule each one's
    /// next review from its score.
    #[arg(long, conflicts_with_all = ["json", "chart", "style", "difficulty"])]
    drill: bool,
    /// The drill state file (default: drill.json in Mockingbird's folder of your data directory).
    #[arg(long, value_name = "FILE", requires = "drill")]
    drill_state: Option<PathBuf>,
    /// The day to drill for, YYYY-MM-DD (default: today), e.g. to catch up on a missed day.
    #[arg(long, value_name = "DATE", requires = "drill")]
    today: Option<chrono::NaiveDate>,
    /// `design`: one system-design question in stages (clarify, estimate, design, deep dive,
    /// wrap-up), each scored on its own; the interviewer answers only what you ask.
    #[arg(long, value_enum, default_value_t = Mode::Questions, conflicts_with_all = ["drill", "count"])]
    mode: Mode,
    /// Ask this question (by id, see `mockingbird questions list`) rather than planning.
    #[arg(long, value_name = "ID", conflicts_with_all = ["drill", "track", "difficulty", "count"])]
    question: Option<String>,
    /// A design round's soft time box per stage, in minutes: clarify, estimate, design, each
    /// deep-dive probe, wrap-up.
    #[arg(long, value_name = "MINUTES", default_value = "5,5,15,5,5", value_parser = DesignRound::from_minutes)]
    stage_minutes: DesignRound,
    /// At most this many follow-ups after each main question (default 2, or the style's).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=5))]
    follow_ups: Option<u8>,
    /// Who scores: the LLM at LLM_BASE_URL (default when it is set) or the offline scorer.
    #[arg(long, value_enum)]
    scorer: Option<ScorerChoice>,
    /// Print the final report as JSON on stdout (the transcript goes to stderr).
    #[arg(long)]
    json: bool,
    /// Also save a PNG chart of the scores, answer by answer, to this file.
    #[arg(long, value_name = "FILE.png")]
    chart: Option<PathBuf>,
}

/// What kind of interview `practice` runs.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Mode {
    /// Main questions with follow-ups.
    Questions,
    /// A staged system-design round.
    Design,
}

#[derive(Args)]
struct ScoreArgs {
    /// The question id; `ID#N` scores against its N-th follow-up.
    #[arg(long)]
    question: String,
    /// Read the answer from this file instead of standard input.
    #[arg(long, value_name = "FILE")]
    answer_file: Option<PathBuf>,
    /// Who scores: the LLM at LLM_BASE_URL (default when it is set) or the offline scorer.
    #[arg(long, value_enum)]
    scorer: Option<ScorerChoice>,
    /// Print the assessment as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct EvalArgs {
    /// CSV with columns question, reference_answer, answer, human_score.
    #[arg(long, value_name = "FILE.csv")]
    data: PathBuf,
    /// The top of the human grading scale (grades run from 0 to this).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    scale: u32,
    /// Who scores: the LLM at LLM_BASE_URL (default when it is set) or the offline scorer.
    #[arg(long, value_enum)]
    scorer: Option<ScorerChoice>,
    /// Print the metrics as JSON.
    #[arg(long)]
    json: bool,
    /// Also write every row's human and scorer grade to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    rows: Option<PathBuf>,
}

#[derive(Args)]
struct MigrateArgs {
    /// The PostgreSQL database, e.g. postgres://user:password@host:5432/mockingbird
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: String,
}

#[derive(Args)]
struct PurgeArgs {
    /// The server's id (Discord: right-click the server, Copy Server ID).
    #[arg(long = "guild", value_name = "ID")]
    guild_id: u64,
    /// The PostgreSQL database, e.g. postgres://user:password@host:5432/mockingbird
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: String,
}

#[derive(Subcommand)]
enum QuestionsCommand {
    /// Validate question files or folders (default: the bundled bank); exit status 1 on any error.
    Check {
        /// Files or folders of *.toml question files.
        paths: Vec<PathBuf>,
    },
    /// List the questions as a table, or as JSON.
    List {
        /// Only this track.
        #[arg(long, short)]
        track: Option<String>,
        /// Print JSON objects instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match run(cli) {
        Ok(code) => code,
        // `mockingbird questions list | head` closes the pipe early: that is not a failure.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The command line. `run` also reads a .env file, which only it does (the other commands read
/// the plain environment, as they always have), and clap reads `run`'s variables when it
/// parses: so the line is parsed once to learn the subcommand and, for `run`, again once .env has
/// filled in the environment (so `run` now also sees .env's MOCKINGBIRD_QUESTIONS and
/// MOCKINGBIRD_STYLES). The environment wins over .env: dotenvy sets only what is unset.
fn parse() -> Result<Cli, ExitCode> {
    let cli = parse_once()?;
    if !matches!(cli.command, Command::Run(_)) {
        return Ok(cli);
    }
    // A missing .env is normal (the environment itself may hold everything); a broken one is not.
    match dotenvy::dotenv() {
        Ok(_) => {}
        Err(e) if e.not_found() => {}
        // dotenvy's message quotes the line, which may hold the token: name the line's
        // variable only, and only when it looks like one (a pasted token alone would not).
        Err(dotenvy::Error::LineParse(line, _)) => {
            let name = line.split('=').next().unwrap_or_default().trim();
            let named = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && name.len() <= 40;
            let which = if named {
                format!("the line for {name}")
            } else {
                "a line".into()
            };
            eprintln!(
                "error: .env cannot be read: {which} is not NAME=value (the line is not shown, \
                 as it may hold a secret)"
            );
            return Err(ExitCode::FAILURE);
        }
        Err(e) => {
            eprintln!("error: .env cannot be read: {e}");
            return Err(ExitCode::FAILURE);
        }
    }
    parse_once()
}

fn parse_once() -> Result<Cli, ExitCode> {
    Cli::try_parse().map_err(|err| match config_error(&err) {
        // A bad `run` setting reads as it always has, `SCORING_WORKERS="many" is not valid: …`,
        // and fails like the other configuration errors, rather than in clap's words with
        // clap's usage exit code.
        Some(config) => {
            eprintln!("error: {config}");
            ExitCode::FAILURE
        }
        None => err.exit(),
    })
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Writes a line to standard output, as an error rather than a panic when the pipe is closed.
fn out(text: impl std::fmt::Display) -> Result<()> {
    use std::io::Write;
    writeln!(io::stdout().lock(), "{text}")?;
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run(args) => {
            let bank = Bank::bundled_with(&cli.question_dirs)?;
            let styles = Styles::bundled_with(&cli.style_dirs)?;
            run_bot(bank, styles, args)
        }
        Command::Questions(QuestionsCommand::Check { paths }) => check(&paths),
        Command::Migrate(args) => {
            let bank = Bank::bundled_with(&cli.question_dirs)?;
            migrate(&bank, &args.database_url)
        }
        Command::Purge(args) => purge(&args),
        Command::Questions(QuestionsCommand::List { track, json }) => {
            let bank = Bank::bundled_with(&cli.question_dirs)?;
            list(&bank, track.as_deref(), json)
        }
        Command::Practice(args) => {
            let bank = Bank::bundled_with(&cli.question_dirs)?;
            let styles = Styles::bundled_with(&cli.style_dirs)?;
            practice(&bank, &styles, args)
        }
        Command::Styles => {
            let styles = Styles::bundled_with(&cli.style_dirs)?;
            list_styles(&styles)
        }
        Command::Score(args) => {
            let bank = Bank::bundled_with(&cli.question_dirs)?;
            score(&bank, args)
        }
        Command::Eval(args) => {
            let bank = Bank::bundled_with(&cli.question_dirs)?;
            evaluate(&bank, args)
        }
    }
}

fn check(paths: &[PathBuf]) -> Result<ExitCode> {
    let report = bank::check_paths(paths)?;
    let mut problems = report.problems;
    problems.extend(lint::lint_all(&report.questions));
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    for p in &problems {
        out(format_args!("{p}"))?;
    }
    let tracks: std::collections::BTreeSet<&str> =
        report.questions.iter().map(|q| q.track.as_str()).collect();
    if problems.is_empty() {
        eprintln!(
            "ok: {} questions in {} file(s), {} track(s)",
            report.questions.len(),
            report.files,
            tracks.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} problem(s) in {} file(s)", problems.len(), report.files);
        Ok(ExitCode::FAILURE)
    }
}

fn list(bank: &Bank, track: Option<&str>, json: bool) -> Result<ExitCode> {
    if let Some(t) = track {
        if !bank.has_track(t) {
            bail!(
                "unknown track \"{t}\"; tracks: {}",
                bank.tracks().join(", ")
            );
        }
    }
    let questions: Vec<_> = bank
        .questions()
        .iter()
        .filter(|q| q.fits(track, None))
        .collect();
    if json {
        let rows: Vec<serde_json::Value> = questions
            .iter()
            .map(|q| {
                serde_json::json!({
                    "id": q.id, "track": q.track, "topic": q.topic, "difficulty": q.difficulty,
                    "points": q.points.len(), "follow_ups": q.follow_ups.len(),
                    "pitfalls": q.pitfalls.len(), "tags": q.tags, "prompt": q.prompt,
                })
            })
            .collect();
        out(format_args!("{}", serde_json::to_string_pretty(&rows)?))?;
        return Ok(ExitCode::SUCCESS);
    }
    let id_width = questions.iter().map(|q| q.id.len()).max().unwrap_or(2);
    let track_width = questions.iter().map(|q| q.track.len()).max().unwrap_or(5);
    out(format_args!(
        "{:<id_width$} {:<track_width$} {:<28} {:<7} {:>6} {:>10}",
        "ID", "TRACK", "TOPIC", "LEVEL", "POINTS", "FOLLOW-UPS"
    ))?;
    for q in &questions {
        out(format_args!(
            "{:<id_width$} {:<track_width$} {:<28} {:<7} {:>6} {:>10}",
            q.id,
            q.track,
            mockingbird::text::cut(&q.topic, 28),
            q.difficulty,
            q.points.len(),
            q.follow_ups.len()
        ))?;
    }
    eprintln!("{} question(s)", questions.len());
    Ok(ExitCode::SUCCESS)
}

fn practice(bank: &Bank, styles: &Styles, args: PracticeArgs) -> Result<ExitCode> {
    if args.drill {
        return drill(bank, args);
    }
    let seed = args.seed.unwrap_or_else(random_seed);
    let style = args
        .style
        .as_deref()
        .map(|id| styles.find(id))
        .transpose()?;
    let request = PlanRequest {
        track: args.track.as_deref(),
        difficulty: args.difficulty,
        length: args.count.into(),
        seed,
        history: None,
        hidden: None,
        mix: style.map(|s| &s.mix),
    };
    // Without --difficulty the level follows the answers, as in Discord.
    let design = args.mode == Mode::Design;
    let adaptive = args.difficulty.is_none() && !design;
    let plan = match (&args.question, design, adaptive) {
        (Some(id), _, _) => vec![chosen(bank, id, design)?],
        (None, true, _) => build_design_plan(bank, &request)?,
        (None, false, true) => build_candidates(bank, &request)?,
        (None, false, false) => build_plan(bank, &request)?,
    };
    let adaptive = adaptive && args.question.is_none();
    let mut settings = Settings {
        adaptive: adaptive.then_some(Adaptive {
            questions: request.length,
            start: style.map_or(ADAPTIVE_START, |s| s.start_level(ADAPTIVE_START)),
        }),
        design: design.then_some(args.stage_minutes),
        ..Settings::default()
    };
    if let Some(style) = style {
        settings = settings.styled(style.clone());
    }
    if let Some(n) = args.follow_ups {
        settings.max_follow_ups = n.into();
    }
    let interview = Interview::new(plan, settings);
    let scorer = CliScorer::from_env(args.scorer, bank)?;
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let report = if args.json {
        let mut transcript = anstream::stderr().lock();
        let report = practice::run(
            interview,
            &scorer,
            args.track.as_deref(),
            &mut input,
            &mut transcript,
        )?;
        out(format_args!("{}", serde_json::to_string_pretty(&report)?))?;
        report
    } else {
        let mut transcript = anstream::stdout().lock();
        practice::run(
            interview,
            &scorer,
            args.track.as_deref(),
            &mut input,
            &mut transcript,
        )?
    };
    if let Some(path) = &args.chart {
        save_chart(&report, path)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The question `practice --question` names; a design round needs one with a requirements sheet.
fn chosen(bank: &Bank, id: &str, design: bool) -> Result<Arc<Question>> {
    let q = bank.get(id).ok_or_else(|| {
        anyhow!("no question \"{id}\" in the bank (see `mockingbird questions list`)")
    })?;
    if design && !q.has_design_round() {
        let rounds: Vec<&str> = bank
            .questions()
            .iter()
            .filter(|q| q.has_design_round())
            .map(|q| q.id.as_str())
            .collect();
        bail!(
            "question \"{id}\" has no requirements sheet, so it cannot run as a design round; \
             these can: {}",
            rounds.join(", ")
        );
    }
    Ok(q.clone())
}

/// `practice --drill`: today's due questions from the drill state, then their next reviews.
fn drill(bank: &Bank, args: PracticeArgs) -> Result<ExitCode> {
    let path = match args.drill_state.clone() {
        Some(path) => path,
        None => practice::default_drill_state()
            .context("no data directory to keep the drill state in: pass --drill-state FILE")?,
    };
    let mut state = DrillState::load(&path)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let limit = usize::from(args.count);
    if let Some(track) = args.track.as_deref().filter(|t| !bank.has_track(t)) {
        bail!(
            "unknown track \"{track}\"; tracks: {}",
            bank.tracks().join(", ")
        );
    }
    let track = args.track.as_deref();
    let plan = practice::drill_plan(bank, &state, today, limit, track, |history| {
        let request = PlanRequest {
            track: args.track.as_deref(),
            difficulty: None,
            length: bank.len(),
            seed: args.seed.unwrap_or_else(random_seed),
            history: Some(history),
            hidden: None,
            mix: None,
        };
        // The track is known, so only an empty bank leaves nothing to plan.
        build_plan(bank, &request).unwrap_or_default()
    });
    if plan.questions.is_empty() {
        out("Nothing to drill: every question has been drilled and none is due today.")?;
        return Ok(ExitCode::SUCCESS);
    }
    let label = match plan.due {
        0 => "drill (nothing due today: new questions)".to_owned(),
        n => format!("drill ({n} due today)"),
    };
    let settings = Settings {
        max_follow_ups: 0,
        ..Settings::default()
    };
    let interview = Interview::new(plan.questions, settings);
    let scorer = CliScorer::from_env(args.scorer, bank)?;
    let mut input = io::stdin().lock();
    let mut transcript = anstream::stdout().lock();
    let report = practice::run(
        interview,
        &scorer,
        Some(&label),
        &mut input,
        &mut transcript,
    )?;
    let reviewed = state.record(&report, today);
    state.save(&path)?;
    let next = practice::next_reviews(&state, &reviewed, bank);
    use std::io::Write;
    write!(transcript, "{next}")?;
    Ok(ExitCode::SUCCESS)
}

fn list_styles(styles: &Styles) -> Result<ExitCode> {
    for s in styles.all() {
        out(format_args!("{:<14} {}", s.id, s.description))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the interview's chart; an interview with no scored answer has none, which is said.
fn save_chart(report: &mockingbird::interview::Report, path: &std::path::Path) -> Result<()> {
    match chart::interview_chart(report) {
        Ok(png) => {
            std::fs::write(path, png)
                .with_context(|| format!("cannot write the chart to {}", path.display()))?;
            eprintln!("chart saved to {}", path.display());
        }
        Err(chart::ChartError::Empty) => eprintln!("no chart: no answer was scored"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// A seed that differs between runs, so practice varies unless `--seed` pins it.
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

fn score(bank: &Bank, args: ScoreArgs) -> Result<ExitCode> {
    let rubric = rubric_for(bank, &args.question)?;
    let answer = match &args.answer_file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the answer file {}", path.display()))?,
        None => {
            if io::stdin().is_terminal() {
                eprintln!("Type the answer, then Ctrl-D:");
            }
            let mut text = String::new();
            io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the answer from standard input")?;
            text
        }
    };
    let scorer = CliScorer::from_env(args.scorer, bank)?;
    let assessment = scorer.score(&rubric, &answer);
    if args.json {
        out(format_args!(
            "{}",
            serde_json::to_string_pretty(&assessment)?
        ))?;
    } else {
        let mut out = anstream::stdout().lock();
        use std::io::Write;
        write!(out, "{}", practice::render_feedback(&assessment, false))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `ID` is a question's rubric; `ID#N` its N-th follow-up's.
fn rubric_for(bank: &Bank, spec: &str) -> Result<Rubric> {
    let (id, follow_up) = match spec.split_once('#') {
        Some((id, n)) => {
            let n: usize = n.parse().ok().filter(|&n| n >= 1).with_context(|| {
                format!("\"{spec}\": the follow-up number after # must be 1 or more")
            })?;
            (id, Some(n))
        }
        None => (spec, None),
    };
    let Some(q) = bank.get(id) else {
        bail!("no question with id \"{id}\" (see `mockingbird questions list`)");
    };
    Ok(match follow_up {
        None => Rubric::for_question(q),
        Some(n) => {
            let Some(f) = q.follow_ups.get(n - 1) else {
                bail!(
                    "question \"{id}\" has {} follow-up(s), not {n}",
                    q.follow_ups.len()
                );
            };
            Rubric::for_follow_up(q, n - 1, f)
        }
    })
}

fn evaluate(bank: &Bank, args: EvalArgs) -> Result<ExitCode> {
    let rows = eval::read_rows(&args.data, f64::from(args.scale))?;
    let scorer = CliScorer::from_env(args.scorer, bank)?;
    let scored = eval::run(&rows, bank, &scorer, args.scale);
    let report = eval::EvalReport::new(
        args.data.display().to_string(),
        scorer.name().into(),
        args.scale,
        &scored,
    );
    if let Some(path) = &args.rows {
        write_scored_rows(path, &scored)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let llm = scorer.llm_stats();
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        if let Some(stats) = llm {
            value["llm"] = serde_json::to_value(stats)?;
        }
        out(format_args!("{}", serde_json::to_string_pretty(&value)?))?;
    } else {
        print!("{}", eval::render_text(&report, &scored));
        if let Some(s) = llm {
            out(format_args!(
                "\nLLM: {} prompt + {} completion tokens for {} answers; {} scored offline, {} flagged",
                s.prompt_tokens, s.completion_tokens, s.answers, s.fell_back, s.flagged
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_scored_rows(path: &std::path::Path, rows: &[eval::ScoredRow]) -> Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "line",
        "question",
        "kind",
        "human_score",
        "scorer_score",
        "flagged",
    ])?;
    for r in rows {
        w.write_record([
            r.line.to_string(),
            r.question.clone(),
            r.kind.clone().unwrap_or_default(),
            format!("{}", r.human),
            format!("{:.2}", r.predicted),
            r.flagged.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `args` come with .env already read (see [`parse`]), which the logging settings rely on too.
fn run_bot(bank: Bank, styles: Styles, args: RunArgs) -> Result<ExitCode> {
    init_logging()?;
    let config = BotConfig::from_args(args)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(bot::run(config, bank, styles))?;
    Ok(ExitCode::SUCCESS)
}

/// Logs to stderr: readable lines by default, one JSON object per line with LOG_FORMAT=json.
/// RUST_LOG filters (default: info for Mockingbird, warnings for the libraries).
fn init_logging() -> Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,serenity=warn,poise=warn,sqlx=warn,tracing=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal());
    let installed = match std::env::var("LOG_FORMAT").as_deref() {
        Ok("json") => builder.json().try_init(),
        Ok("text") | Err(_) => builder.try_init(),
        Ok(other) => bail!("LOG_FORMAT={other:?} is not valid: text (the default) or json"),
    };
    installed.map_err(|e| anyhow::anyhow!("cannot set up logging: {e}"))
}

fn purge(args: &PurgeArgs) -> Result<ExitCode> {
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

fn migrate(bank: &Bank, database_url: &str) -> Result<ExitCode> {
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
