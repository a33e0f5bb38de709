//! `mockingbird practice` (a mock interview, a drill or a system-design round in the terminal)
//! and `mockingbird styles`.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;

use mockingbird::bank::{Bank, Difficulty, Question};
use mockingbird::chart;
use mockingbird::interview::design::DesignRound;
use mockingbird::interview::{
    build_candidates, build_design_plan, build_plan, Adaptive, Interview, PlanRequest, Settings,
    ADAPTIVE_START,
};
use mockingbird::practice;
use mockingbird::practice::DrillState;
use mockingbird::scoring::llm::cli::{CliScorer, ScorerChoice};
use mockingbird::style::Styles;

use super::out;

#[derive(Args)]
pub struct PracticeArgs {
    /// Only questions from this track (see `mockingbird questions list`).
    #[arg(long, short)]
    pub track: Option<String>,
    /// Only questions of this difficulty: junior, mid or senior. Without it the interview starts
    /// at mid and moves up after strong answers and down after weak ones.
    #[arg(long, short)]
    pub difficulty: Option<Difficulty>,
    /// Number of main questions.
    #[arg(long = "questions", short = 'n', default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub count: u16,
    /// Seed for the choice of questions (the same seed asks the same questions).
    #[arg(long)]
    pub seed: Option<u64>,
    /// The interviewer's style (see `mockingbird styles`): its voice, follow-ups, weights,
    /// tracks, levels, time box and bar.
    #[arg(long)]
    pub style: Option<String>,
    /// Drill by spaced repetition: ask the questions due today from your drill state (or, with
    /// none due, questions you have not drilled), with no follow-ups, and schedule each one's
    /// next review from its score.
    #[arg(long, conflicts_with_all = ["json", "chart", "style", "difficulty"])]
    pub drill: bool,
    /// The drill state file (default: drill.json in Mockingbird's folder of your data directory).
    #[arg(long, value_name = "FILE", requires = "drill")]
    pub drill_state: Option<PathBuf>,
    /// The day to drill for, YYYY-MM-DD (default: today), e.g. to catch up on a missed day.
    #[arg(long, value_name = "DATE", requires = "drill")]
    pub today: Option<chrono::NaiveDate>,
    /// `design`: one system-design question in stages (clarify, estimate, design, deep dive,
    /// wrap-up), each scored on its own; the interviewer answers only what you ask.
    #[arg(long, value_enum, default_value_t = Mode::Questions, conflicts_with_all = ["drill", "count"])]
    pub mode: Mode,
    /// Ask this question (by id, see `mockingbird questions list`) rather than planning.
    #[arg(long, value_name = "ID", conflicts_with_all = ["drill", "track", "difficulty", "count"])]
    pub question: Option<String>,
    /// A design round's soft time box per stage, in minutes: clarify, estimate, design, each
    /// deep-dive probe, wrap-up.
    #[arg(long, value_name = "MINUTES", default_value = "5,5,15,5,5", value_parser = DesignRound::from_minutes)]
    pub stage_minutes: DesignRound,
    /// At most this many follow-ups after each main question (default 2, or the style's).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=5))]
    pub follow_ups: Option<u8>,
    /// Who scores: the LLM at LLM_BASE_URL (default when it is set) or the offline scorer.
    #[arg(long, value_enum)]
    pub scorer: Option<ScorerChoice>,
    /// Print the final report as JSON on stdout (the transcript goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// Also save a PNG chart of the scores, answer by answer, to this file.
    #[arg(long, value_name = "FILE.png")]
    pub chart: Option<PathBuf>,
}

/// What kind of interview `practice` runs.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Main questions with follow-ups.
    Questions,
    /// A staged system-design round.
    Design,
}

pub fn practice(bank: &Bank, styles: &Styles, args: PracticeArgs) -> Result<ExitCode> {
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
pub fn chosen(bank: &Bank, id: &str, design: bool) -> Result<Arc<Question>> {
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
pub fn drill(bank: &Bank, args: PracticeArgs) -> Result<ExitCode> {
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

pub fn list_styles(styles: &Styles) -> Result<ExitCode> {
    for s in styles.all() {
        out(format_args!("{:<14} {}", s.id, s.description))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the interview's chart; an interview with no scored answer has none, which is said.
pub fn save_chart(report: &mockingbird::interview::Report, path: &std::path::Path) -> Result<()> {
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
pub fn random_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}
