//! How the offline scorer separates each bundled question's model answer from the model
//! answers of other tracks: a development aid for tuning rubrics and the scorer.
//! `cargo run --release --example discrimination [-- --all]`
use mockingbird::bank::Bank;
use mockingbird::scoring::{OfflineScorer, Rubric, Scorer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let all = std::env::args().any(|a| a == "--all");
    let bank = Bank::bundled()?;
    let scorer = OfflineScorer::for_bank(&bank);
    let mut cross = Vec::new();
    for q in bank.questions() {
        let rubric = Rubric::for_question(q);
        let own = scorer.score(&rubric, &q.model_answer).scores;
        let mut worst = (0.0f32, "");
        for other in bank.questions().iter().filter(|o| o.track != q.track) {
            let s = scorer.score(&rubric, &other.model_answer).scores.overall;
            cross.push(s);
            if s > 3.0 && all {
                println!("    {} on {}: {s:.1}", other.id, q.id);
            }
            if s > worst.0 {
                worst = (s, other.id.as_str());
            }
        }
        if all || worst.0 > 3.0 || own.overall < 8.0 {
            println!(
                "{:<38} own {:>4.1} (t{:.1} j{:.1} c{:.1})  worst other-track answer {:>4.1} ({})",
                q.id,
                own.overall,
                own.technical,
                own.tradeoffs,
                own.communication,
                worst.0,
                worst.1
            );
        }
    }
    cross.sort_by(f32::total_cmp);
    let pct = |p: f64| cross[((cross.len() - 1) as f64 * p) as usize];
    let over = cross.iter().filter(|&&s| s > 3.0).count();
    println!(
        "other-track answers: n={} p50={:.1} p90={:.1} p99={:.1} max={:.1}; above 3: {} ({:.2}%)",
        cross.len(),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0),
        over,
        100.0 * over as f64 / cross.len() as f64
    );
    Ok(())
}
