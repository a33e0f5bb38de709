//! The `mockingbird` command line: practice in a terminal, score one answer, evaluate the scorer,
//! and check or list the question bank.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use mockingbird::bank::Bank;
use mockingbird::bot::config::{config_error, RunArgs};
use mockingbird::style::Styles;

mod cli;

use cli::practice::{list_styles, practice, PracticeArgs};
use cli::questions::{check, list};
use cli::scoring::{evaluate, score, EvalArgs, ScoreArgs};
use cli::server::{migrate, purge, run_bot, MigrateArgs, PurgeArgs};

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
        value_parser = folder,
        global = false
    )]
    question_dirs: Vec<PathBuf>,

    /// A folder of interviewer style files (*.toml) to add to the bundled styles; a style with
    /// the id of a bundled one replaces it. May be given more than once.
    #[arg(
        long = "styles",
        value_name = "DIR",
        env = "MOCKINGBIRD_STYLES",
        value_parser = folder
    )]
    style_dirs: Vec<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

/// A folder option's value. Blank is kept here, not refused as clap's path parser would: a
/// `.env` line left empty (`MOCKINGBIRD_QUESTIONS=`) means "none", and [`parse_once`] drops it.
fn folder(value: &str) -> Result<PathBuf, std::convert::Infallible> {
    Ok(PathBuf::from(value.trim()))
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
    let mut cli = Cli::try_parse().map_err(|err| match config_error(&err) {
        // A bad `run` setting reads as it always has, `SCORING_WORKERS="many" is not valid: …`,
        // and fails like the other configuration errors, rather than in clap's words with
        // clap's usage exit code.
        Some(config) => {
            eprintln!("error: {config}");
            ExitCode::FAILURE
        }
        None => err.exit(),
    })?;
    for dirs in [&mut cli.question_dirs, &mut cli.style_dirs] {
        dirs.retain(|dir| !dir.as_os_str().is_empty());
    }
    Ok(cli)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
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
