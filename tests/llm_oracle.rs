//! The guard keeps a competent grader's grades. The fake server's oracle mode grades every
//! answer of `eval/paraphrase.csv` exactly as the person who wrote the set did; through the
//! LLM scorer and its guard, those grades must survive: strong answers in everyday words keep
//! their high grades and nothing real is flagged.
//!
//! `eval/paraphrase.csv` is the held-out set: no threshold of the scorer was tuned on it.
#![cfg(feature = "fake-llm")]

use std::path::Path;
use std::sync::Arc;

use mockingbird::bank::Bank;
use mockingbird::eval::{metrics, read_rows, summaries, ScoredRow};
use mockingbird::scoring::llm::fake::{FakeLlm, Oracle, Reply};
use mockingbird::scoring::llm::{LlmConfig, LlmScorer, ScoreRequest};
use mockingbird::scoring::ScorerKind;
use mockingbird::scoring::{OfflineScorer, Rubric};

#[tokio::test]
async fn the_guard_keeps_an_oracle_graders_grades_on_the_held_out_set() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/paraphrase.csv");
    let rows = read_rows(&path, 5.0).expect("eval/paraphrase.csv");
    let oracle = Oracle::from_csv(&path, 5.0).expect("oracle table");
    let fake = FakeLlm::start(Reply::Oracle(Arc::new(oracle)))
        .await
        .expect("fake server");
    let bank = Bank::bundled().expect("bank");
    let offline = Arc::new(OfflineScorer::for_bank(&bank));
    let config = LlmConfig::new(&fake.base_url(), "oracle").expect("config");
    let scorer = LlmScorer::new(&config, offline).expect("scorer");
    let mut scored = Vec::new();
    for row in &rows {
        let q = bank.get(&row.question).expect("a bank question");
        let a = scorer
            .assess(&ScoreRequest {
                rubric: &Rubric::for_question(q),
                answer: &row.answer,
                budget: None,
            })
            .await;
        assert_eq!(
            a.scorer,
            ScorerKind::Llm,
            "line {}: {:?}",
            row.line,
            a.notes
        );
        scored.push(ScoredRow {
            line: row.line,
            question: row.question.clone(),
            kind: row.kind.clone(),
            human: row.human_score,
            predicted: f64::from(a.scores.overall) / 2.0,
            flagged: a.flagged,
        });
    }
    let pairs: Vec<(f64, f64)> = scored.iter().map(|r| (r.predicted, r.human)).collect();
    let m = metrics(&pairs, 5);
    assert!(m.spearman >= 0.95, "Spearman {}", m.spearman);
    let strong_flagged: Vec<u64> = scored
        .iter()
        .filter(|r| r.flagged && r.kind.as_deref().is_some_and(|k| k.starts_with("strong")))
        .map(|r| r.line)
        .collect();
    assert!(
        strong_flagged.is_empty(),
        "strong answers flagged: {strong_flagged:?}"
    );
    let everyday = summaries(&scored)
        .into_iter()
        .find(|k| k.kind == "strong-everyday")
        .expect("everyday answers in the set");
    // On the 0–10 scale: at least 8.5.
    assert!(everyday.mean_predicted * 2.0 >= 8.5, "{everyday:?}");
}
