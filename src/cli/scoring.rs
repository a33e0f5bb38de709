//! `mockingbird score` (one answer against a rubric) and `mockingbird eval` (a scorer against
//! human grades).

use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;

use mockingbird::bank::Bank;
use mockingbird::eval;
use mockingbird::practice;
use mockingbird::scoring::llm::cli::{CliScorer, ScorerChoice};
use mockingbird::scoring::{Rubric, Scorer};

use super::out;

#[derive(Args)]
pub struct ScoreArgs {
    /// The question id; `ID#N` scores against its N-th follow-up.
    #[arg(long)]
    pub question: String,
    /// Read the answer from this file instead of standard input.
    #[arg(long, value_name = "FILE")]
    pub answer_file: Option<PathBuf>,
    /// Who scores: the LLM at LLM_BASE_URL (default when it is set) or the offline scorer.
    #[arg(long, value_enum)]
    pub scorer: Option<ScorerChoice>,
    /// Print the assessment as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct EvalArgs {
    /// CSV with columns question, reference_answer, answer, human_score.
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// The top of the human grading scale (grades run from 0 to this).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub scale: u32,
    /// Who scores: the LLM at LLM_BASE_URL (default when it is set) or the offline scorer.
    #[arg(long, value_enum)]
    pub scorer: Option<ScorerChoice>,
    /// Print the metrics as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write every row's human and scorer grade to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub rows: Option<PathBuf>,
}

pub fn score(bank: &Bank, args: ScoreArgs) -> Result<ExitCode> {
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
pub fn rubric_for(bank: &Bank, spec: &str) -> Result<Rubric> {
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

pub fn evaluate(bank: &Bank, args: EvalArgs) -> Result<ExitCode> {
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

pub fn write_scored_rows(path: &std::path::Path, rows: &[eval::ScoredRow]) -> Result<()> {
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
