//! Offline scoring cost on one core, on varied real-length answers.
//!
//! `cargo bench --bench scoring` (add `-- --answers N` to change the count). The answers are the
//! candidates' answers of the evaluation sets (`eval/dev.csv`, `eval/tune.csv`,
//! `eval/course.csv`: 5 to 400 words, written as candidates write, not the bank's own texts),
//! each scored against its own rubric (the bank question's, or the reference answer alone),
//! as a long-running bot would after its first answer to each question. It also reports what
//! loading the bundled embedding model costs in time and resident memory.

use std::path::Path;
use std::time::Instant;

use mockingbird::bank::Bank;
use mockingbird::eval::read_rows;
use mockingbird::scoring::meaning::Encoder;
use mockingbird::scoring::{OfflineScorer, Rubric, Scorer};

/// Resident memory of this process, from /proc (Linux), in MB.
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo test --all-targets` runs this without `--bench`: then a quick smoke run will do.
    let benching = std::env::args().any(|a| a == "--bench");
    let count = std::env::args()
        .skip_while(|a| a != "--answers")
        .nth(1)
        .map(|n| n.parse::<usize>())
        .transpose()?
        .unwrap_or(if benching { 20_000 } else { 200 });
    let bank = Bank::bundled()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval");
    let mut cases: Vec<(Rubric, String)> = Vec::new();
    for set in ["dev.csv", "tune.csv", "course.csv"] {
        for row in read_rows(&root.join(set), 5.0)? {
            let rubric = match bank.get(row.question.trim()) {
                Some(q) => Rubric::for_question(q),
                None => Rubric::from_reference(&row.question, &row.reference_answer),
            };
            cases.push((rubric, row.answer));
        }
    }
    let words: Vec<usize> = cases
        .iter()
        .map(|(_, a)| a.split_whitespace().count())
        .collect();

    let rss_before = rss_mb();
    let load = Instant::now();
    Encoder::bundled().map_err(|e| e.to_string())?;
    let load = load.elapsed();
    let scorer = OfflineScorer::for_bank(&bank);
    // Warm-up: compile every rubric once, as a long-running process would have.
    for (rubric, answer) in &cases {
        scorer.score(rubric, answer);
    }
    let rss_warm = rss_mb();
    let mut checksum = 0.0f32;
    let mut latencies = Vec::with_capacity(count);
    let started = Instant::now();
    for i in 0..count {
        let (rubric, answer) = &cases[(i * 7) % cases.len()];
        let t = Instant::now();
        let a = scorer.score(rubric, answer);
        latencies.push(t.elapsed());
        checksum += a.scores.overall;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    let mut sorted_words = words.clone();
    sorted_words.sort_unstable();
    println!("offline scorer, one thread");
    println!(
        "  answers          {} distinct, {}–{} words (median {}); {count} scored",
        cases.len(),
        sorted_words[0],
        sorted_words[sorted_words.len() - 1],
        sorted_words[sorted_words.len() / 2]
    );
    println!("  model load       {load:?}");
    println!(
        "  throughput       {:.0} answers/s",
        count as f64 / elapsed.as_secs_f64()
    );
    println!("  latency p50      {:?}", pct(0.5));
    println!("  latency p99      {:?}", pct(0.99));
    println!("  latency max      {:?}", pct(1.0));
    if let (Some(before), Some(warm), Some(after)) = (rss_before, rss_warm, rss_mb()) {
        println!(
            "  RSS              {before:.1} MB before the model, {warm:.1} MB after loading it and \
             compiling {} rubrics, {after:.1} MB after the run",
            cases.len()
        );
    }
    println!("  (checksum {checksum:.1})");
    Ok(())
}
