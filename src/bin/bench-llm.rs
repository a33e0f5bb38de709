//! LLM scoring benchmarks, and the fake server for trying the CLI by hand.
//!
//! `cargo run --release --bin bench-llm` measures:
//! 1. prompt tokens per scored answer (o200k_base), per bank question, and the median question;
//! 2. the client's overhead per call: the full `LlmScorer::assess` round trip against the fake
//!    server on loopback with no model delay (an upper bound: it includes HTTP on both sides
//!    and the fake's own work), and the in-process share (guard, prompt, parse, cross-check).
//!
//! `cargo run --release --bin bench-llm -- serve [ADDR] [grade|gullible|oracle FILE.csv [SCALE]]`
//! runs the fake OpenAI-compatible server (default 127.0.0.1:8089, `grade`) until Ctrl-C, so
//! that `LLM_BASE_URL=http://127.0.0.1:8089/v1 LLM_MODEL=fake mockingbird score --scorer llm …`
//! works without a model. `oracle` grades every answer of an evaluation CSV with its human
//! grade (on a 0–SCALE scale, default 5): a competent model, for measuring what the guard does
//! to a good grader's grades with `mockingbird eval --scorer llm`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mockingbird::bank::Bank;
use mockingbird::scoring::llm::fake::{FakeLlm, Oracle, Reply};
use mockingbird::scoring::llm::{guard, prompt, reply, tokens};
use mockingbird::scoring::llm::{LlmConfig, LlmScorer, ScoreRequest};
use mockingbird::scoring::ScorerKind;
use mockingbird::scoring::{OfflineScorer, Rubric, Scorer};

type BoxError = Box<dyn std::error::Error>;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    if args.first().map(String::as_str) == Some("serve") {
        return runtime.block_on(serve(&args[1..]));
    }
    let calls = args
        .iter()
        .skip_while(|a| *a != "--calls")
        .nth(1)
        .map(|n| n.parse::<usize>())
        .transpose()?
        .unwrap_or(2_000);
    let bank = Bank::bundled()?;
    let rubric = prompt_tokens(&bank)?;
    runtime.block_on(overhead(&bank, &rubric, calls))
}

async fn serve(args: &[String]) -> Result<(), BoxError> {
    let arg = |i: usize| args.get(i).map(String::as_str);
    let addr = arg(0).unwrap_or("127.0.0.1:8089").parse()?;
    let reply = match arg(1).unwrap_or("grade") {
        "gullible" => Reply::Gullible,
        "grade" => Reply::Grade {
            scores: [7, 6, 8],
            covered: 2,
        },
        "oracle" => {
            let path = arg(2).ok_or("oracle needs the evaluation CSV of expected grades")?;
            let scale: f64 = arg(3).unwrap_or("5").parse()?;
            Reply::Oracle(Arc::new(Oracle::from_csv(path.as_ref(), scale)?))
        }
        other => return Err(format!("unknown mode {other:?} (grade, gullible or oracle)").into()),
    };
    let fake = FakeLlm::bind(addr, reply).await?;
    eprintln!("fake LLM at {} (Ctrl-C stops it)", fake.base_url());
    tokio::signal::ctrl_c().await?;
    Ok(())
}

const TAG: &str = "0123456789ab";

/// Prints prompt tokens per scored answer and returns the median question's rubric.
fn prompt_tokens(bank: &Bank) -> Result<Rubric, BoxError> {
    let size = |rubric: &Rubric, answer: &str| {
        tokens::count_messages(
            &prompt::build(rubric, &guard::screen(answer).sanitised, TAG).messages,
        )
    };
    // Questions ordered by the prompt's size without an answer.
    let mut fixed: Vec<(u32, Rubric)> = bank
        .questions()
        .iter()
        .map(|q| Rubric::for_question(q))
        .map(|r| (size(&r, ""), r))
        .collect();
    fixed.sort_by_key(|f| f.0);
    let (median_fixed, median) = fixed
        .get(fixed.len() / 2)
        .ok_or("the bank is empty")?
        .clone();
    let system = tokens::count_messages(&prompt::build(&median, "", TAG).messages[..1]);
    let schema = tokens::count(&prompt::schema(&median).to_string());
    // Real answers: the hand-graded development set.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/eval/dev.csv");
    let mut per_answer = Vec::new();
    let mut answer_sizes = Vec::new();
    for row in csv::Reader::from_path(path)?.records() {
        let row = row?;
        let (Some(id), Some(answer)) = (row.get(0), row.get(2)) else {
            continue;
        };
        let Some(q) = bank.get(id) else { continue };
        per_answer.push(size(&Rubric::for_question(q), answer));
        answer_sizes.push(tokens::count(answer));
    }
    per_answer.sort_unstable();
    answer_sizes.sort_unstable();
    let pick = |v: &[u32], p: f64| {
        v.get(((v.len().max(1) - 1) as f64 * p) as usize)
            .copied()
            .unwrap_or(0)
    };
    let typical = median_fixed + pick(&answer_sizes, 0.5);
    let long_answer = bank
        .get(&median.question_id)
        .map(|q| size(&median, &q.model_answer))
        .unwrap_or(0);
    println!("## Prompt tokens per scored answer (o200k_base)");
    println!(
        "median bank question ({} of {}): {}",
        median.question_id,
        fixed.len(),
        median_fixed
    );
    println!(
        "  without the answer: {median_fixed} (system message {system}, rubric and markers {})",
        median_fixed - system
    );
    println!(
        "  + the median answer of eval/dev.csv ({} tokens): {typical}",
        pick(&answer_sizes, 0.5)
    );
    println!("  + its own model answer as the answer (a long, complete one): {long_answer}");
    println!("  json_schema sent in response_format (schema mode only): {schema}");
    println!(
        "all {} answers of eval/dev.csv, each with its question: median {}, p90 {}, max {}",
        per_answer.len(),
        pick(&per_answer, 0.5),
        pick(&per_answer, 0.9),
        pick(&per_answer, 1.0)
    );
    println!(
        "questions without an answer: min {}, max {}",
        fixed[0].0,
        fixed[fixed.len() - 1].0
    );
    Ok(median)
}

async fn overhead(bank: &Bank, rubric: &Rubric, calls: usize) -> Result<(), BoxError> {
    let q = bank
        .get(&rubric.question_id)
        .ok_or("median question missing")?;
    let answer = q.model_answer.clone();
    let fake = FakeLlm::start(Reply::Grade {
        scores: [7, 6, 8],
        covered: 3,
    })
    .await?;
    let offline = Arc::new(OfflineScorer::for_bank(bank));
    let config = LlmConfig::new(&fake.base_url(), "fake")?;
    let scorer = LlmScorer::new(&config, offline.clone())?;
    let request = ScoreRequest {
        rubric,
        answer: &answer,
        budget: None,
    };
    for _ in 0..50 {
        scorer.assess(&request).await;
    }
    let mut rtt = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        let a = scorer.assess(&request).await;
        rtt.push(started.elapsed());
        if a.scorer != ScorerKind::Llm {
            return Err(format!("the fake did not score: {:?}", a.notes).into());
        }
    }
    println!("\n## Client overhead per call, no model time ({calls} calls, median question)");
    print_stats("full assess round trip on loopback (upper bound)", &mut rtt);
    let [mut screen, mut build, mut parse, mut check, mut total] =
        in_process(&offline, rubric, &answer, calls);
    print_stats("in-process share, all of it", &mut total);
    print_stats("  guard::screen", &mut screen);
    print_stats("  prompt::build + JSON body", &mut build);
    print_stats("  reply::parse", &mut parse);
    print_stats("  offline cross-check", &mut check);
    Ok(())
}

/// The work `assess` does besides HTTP, timed on its own, stage by stage: screening the
/// answer, building the prompt and its JSON body, validating a reply, the offline cross-check.
fn in_process(
    offline: &OfflineScorer,
    rubric: &Rubric,
    answer: &str,
    calls: usize,
) -> [Vec<Duration>; 5] {
    let ids: Vec<&str> = rubric.points.iter().map(|p| p.id.as_str()).collect();
    let content = serde_json::json!({
        "scores": {"technical": 7, "tradeoffs": 6, "communication": 8},
        "covered": ids, "missed": [], "pitfalls": [], "feedback": ["Good."],
        "follow_up": {"question": "Why?", "points": ["Because."]}, "grader_directed": false,
    })
    .to_string();
    let mut stages: [Vec<Duration>; 5] = Default::default();
    for _ in 0..calls {
        let t0 = Instant::now();
        let screened = guard::screen(answer);
        let t1 = Instant::now();
        let built = prompt::build(rubric, &screened.sanitised, TAG);
        let body = serde_json::to_vec(&built.messages)
            .map(|b| b.len())
            .unwrap_or(0);
        let t2 = Instant::now();
        let graded = reply::parse(&content, Some("stop"), rubric);
        let t3 = Instant::now();
        let checked = offline.score(rubric, answer);
        let t4 = Instant::now();
        std::hint::black_box((body, graded.is_ok(), checked));
        for (stage, d) in stages
            .iter_mut()
            .zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0])
        {
            stage.push(d);
        }
    }
    stages
}

fn print_stats(label: &str, samples: &mut [Duration]) {
    samples.sort_unstable();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p) as usize];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{label}: median {:.0} µs, p90 {:.0} µs, p99 {:.0} µs",
        us(at(0.5)),
        us(at(0.9)),
        us(at(0.99))
    );
}
