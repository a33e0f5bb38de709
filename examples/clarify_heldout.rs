//! How well the offline scorer tells which requirements-sheet entries a design round's clarify
//! message asked about, on `eval/sets/clarify-heldout.toml`: 36 messages written without sight
//! of the matcher or the bank's cue words, labelled with the entries a human interviewer would
//! answer. Precision is what the interviewer must not volunteer; recall is what it should answer.
//! `cargo run --release --example clarify_heldout [-- --misses]`
use std::collections::BTreeMap;

use mockingbird::bank::Bank;
use mockingbird::interview::design::{asked_entries, stage_rubric, Stage};
use mockingbird::scoring::{OfflineScorer, Scorer};

#[derive(serde::Deserialize)]
struct Set {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    question: String,
    voice: String,
    message: String,
    asked: Vec<String>,
}

#[derive(Default)]
struct Tally {
    right: usize,
    volunteered: usize,
    missed: usize,
}

impl Tally {
    fn line(&self, name: &str) -> String {
        let p = self.right as f64 / (self.right + self.volunteered).max(1) as f64;
        let r = self.right as f64 / (self.right + self.missed).max(1) as f64;
        format!(
            "{name:<12} precision {p:.2} ({} of {} answered were asked)   recall {r:.2} ({} of {} asked were answered)",
            self.right,
            self.right + self.volunteered,
            self.right,
            self.right + self.missed
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let misses = std::env::args().any(|a| a == "--misses");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/eval/sets/clarify-heldout.toml"
    );
    let set: Set = toml::from_str(&std::fs::read_to_string(path)?)?;
    let bank = Bank::bundled()?;
    let scorer = OfflineScorer::for_bank(&bank);
    let mut all = Tally::default();
    let mut by_voice: BTreeMap<String, Tally> = BTreeMap::new();
    for case in &set.cases {
        let q = bank
            .get(&case.question)
            .ok_or_else(|| format!("no question {}", case.question))?;
        let assessment = scorer.score(&stage_rubric(q, Stage::Clarify), &case.message);
        let answered: Vec<String> = asked_entries(q, &assessment)
            .into_iter()
            .map(|r| r.topic.clone())
            .collect();
        let voice = by_voice.entry(case.voice.clone()).or_default();
        for t in [&mut all, voice] {
            t.right += answered.iter().filter(|a| case.asked.contains(a)).count();
            t.volunteered += answered.iter().filter(|a| !case.asked.contains(a)).count();
            t.missed += case.asked.iter().filter(|a| !answered.contains(a)).count();
        }
        if misses {
            let extra: Vec<&String> = answered
                .iter()
                .filter(|a| !case.asked.contains(a))
                .collect();
            let lost: Vec<&String> = case
                .asked
                .iter()
                .filter(|a| !answered.contains(a))
                .collect();
            if !extra.is_empty() || !lost.is_empty() {
                println!(
                    "{} ({}): volunteered {extra:?}, missed {lost:?}",
                    case.question, case.voice
                );
            }
        }
    }
    println!("{} messages", set.cases.len());
    println!("{}", all.line("all"));
    for (voice, t) in &by_voice {
        println!("{}", t.line(voice));
    }
    Ok(())
}
