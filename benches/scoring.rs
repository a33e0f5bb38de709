//! Offline scoring throughput for 300-word answers on one core.
//!
//! `cargo bench --bench scoring` (add `-- --answers N` to change the count). Answers are built
//! from the bank's model answers cut or stitched to 300 words, each scored against a question
//! of the bank in turn, so the mix of hits and misses resembles real use.

use std::time::Instant;

use mockingbird::bank::Bank;
use mockingbird::scoring::{OfflineScorer, Rubric, Scorer};

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
    let scorer = OfflineScorer::for_bank(&bank);
    let rubrics: Vec<Rubric> = bank
        .questions()
        .iter()
        .map(|q| Rubric::for_question(q))
        .collect();
    let words: Vec<&str> = bank
        .questions()
        .iter()
        .flat_map(|q| q.model_answer.split_whitespace())
        .collect();
    let answers: Vec<String> = (0..rubrics.len())
        .map(|i| {
            let start = (i * 997) % (words.len() - 300);
            words[start..start + 300].join(" ")
        })
        .collect();

    // Warm-up: compile every rubric once, as a long-running process would have.
    for (rubric, answer) in rubrics.iter().zip(&answers) {
        scorer.score(rubric, answer);
    }
    let mut checksum = 0.0f32;
    let mut latencies = Vec::with_capacity(count);
    let started = Instant::now();
    for i in 0..count {
        let t = Instant::now();
        let a = scorer.score(
            &rubrics[i % rubrics.len()],
            &answers[(i * 7) % answers.len()],
        );
        latencies.push(t.elapsed());
        checksum += a.scores.overall;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    println!("offline scorer, 300-word answers, one thread");
    println!("  answers scored   {count}");
    println!("  elapsed          {:.3} s", elapsed.as_secs_f64());
    println!(
        "  throughput       {:.0} answers/s",
        count as f64 / elapsed.as_secs_f64()
    );
    println!("  latency p50      {:?}", pct(0.5));
    println!("  latency p99      {:?}", pct(0.99));
    println!("  (checksum {checksum:.1})");
    Ok(())
}
