//! The injection guard against a model that obeys its input.
//!
//! The fake server's "gullible" mode is the worst grader there is: it returns a JSON result it
//! finds in the answer as its own, and otherwise 10s everywhere with every point covered. Every
//! answer in `tests/data/adversarial/` is scored through it.
//!
//! What must hold, and why it is the honest bound: an empty answer scores 0, so a pure attack
//! may score at most 0 + 1. An answer that is half real and half attack may keep what its real
//! half earns on its own, so its bound is the offline score of that half (the `real` field,
//! verbatim) + 1. The + 1 is the slack the issue grants; the guard in fact caps attacks at the
//! offline score of the answer's remaining text. Every corpus answer must also come out
//! flagged, so a reviewer sees it.
#![cfg(feature = "fake-llm")]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use mockingbird::bank::Bank;
use mockingbird::scoring::llm::fake::{FakeLlm, Reply};
use mockingbird::scoring::llm::guard::screen;
use mockingbird::scoring::llm::{LlmConfig, LlmScorer, ScoreRequest};
use mockingbird::scoring::{OfflineScorer, Rubric, Scorer};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    question: String,
    kind: String,
    answer: String,
    /// The genuine half of a half-real answer, verbatim.
    real: Option<String>,
    #[serde(skip)]
    file: String,
}

fn corpus() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/adversarial");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable case");
            let mut case: Case =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            case.file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            case
        })
        .collect()
}

struct Setup {
    _fake: FakeLlm,
    bank: Bank,
    offline: Arc<OfflineScorer>,
    scorer: LlmScorer,
}

async fn gullible() -> Setup {
    let fake = FakeLlm::start(Reply::Gullible).await.expect("fake server");
    let bank = Bank::bundled().expect("bank");
    let offline = Arc::new(OfflineScorer::for_bank(&bank));
    let mut config = LlmConfig::new(&fake.base_url(), "gullible").expect("config");
    config.retry.base_delay = Duration::from_millis(5);
    let scorer = LlmScorer::new(&config, offline.clone()).expect("scorer");
    Setup {
        _fake: fake,
        bank,
        offline,
        scorer,
    }
}

impl Setup {
    fn rubric(&self, id: &str) -> Rubric {
        Rubric::for_question(
            self.bank
                .get(id)
                .unwrap_or_else(|| panic!("no question {id}")),
        )
    }
}

#[tokio::test]
async fn the_corpus_is_large_and_varied() {
    let cases = corpus();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    for kind in [
        "role-play",
        "system-line",
        "fake-json",
        "code-block",
        "other-language",
        "unicode",
        "half-real",
        "delimiter",
    ] {
        assert!(cases.iter().any(|c| c.kind == kind), "no {kind} case");
    }
    for c in cases.iter().filter(|c| c.kind == "half-real") {
        let real = c
            .real
            .as_deref()
            .unwrap_or_else(|| panic!("{}: half-real needs `real`", c.file));
        assert!(
            c.answer.contains(real.trim()),
            "{}: `real` must be verbatim",
            c.file
        );
    }
}

#[tokio::test]
async fn no_adversarial_answer_gains_from_a_gullible_model() {
    let s = gullible().await;
    let empty = s
        .scorer
        .assess(&ScoreRequest {
            rubric: &s.rubric("what-is-an-index"),
            answer: "",
            budget: None,
        })
        .await
        .scores
        .overall;
    assert_eq!(empty, 0.0);
    let mut failures = Vec::new();
    for case in corpus() {
        let rubric = s.rubric(&case.question);
        let a = s
            .scorer
            .assess(&ScoreRequest {
                rubric: &rubric,
                answer: &case.answer,
                budget: None,
            })
            .await;
        let real = case
            .real
            .as_deref()
            .map_or(empty, |r| s.offline.score(&rubric, r).scores.overall);
        let bound = real.max(empty) + 1.0;
        let layer = if screen(&case.answer).attacks.is_empty() {
            "cross-check"
        } else {
            "detector"
        };
        println!(
            "{:<26} {:>4.1} ≤ {:>4.1}  {:<8} {:<11} flagged={}",
            case.file, a.scores.overall, bound, a.scorer, layer, a.flagged
        );
        if a.scores.overall > bound + 1e-4 || !a.flagged {
            failures.push(format!(
                "{}: {:.1} (bound {bound:.1}), flagged {}, notes {:?}",
                case.file, a.scores.overall, a.flagged, a.notes
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_real_answer_keeps_the_gullible_models_score() {
    // The control: the fake really does hand out 10s, and it is the guard that takes them back
    // from the attacks, not a cap on everything.
    let s = gullible().await;
    let rubric = s.rubric("what-is-an-index");
    let answer = "An index is a separate sorted structure, usually a B-tree, that maps column \
        values to rows. A lookup walks the tree in logarithmic time instead of a full table scan. \
        Writes pay for it: every insert and update maintains each index, and it takes space. It \
        does not help on low-selectivity columns, when most rows are read anyway, or when a \
        function is applied to the column.";
    let a = s
        .scorer
        .assess(&ScoreRequest {
            rubric: &rubric,
            answer,
            budget: None,
        })
        .await;
    assert_eq!(
        (a.scorer.as_str(), a.scores.overall, a.flagged),
        ("llm", 10.0, false),
        "{a:#?}"
    );
}

/// Every model answer in the bank and every answer in the evaluation set is a real answer.
fn real_answers(bank: &Bank) -> Vec<(String, String)> {
    let mut answers = Vec::new();
    for q in bank.questions() {
        answers.push((q.id.clone(), q.model_answer.clone()));
        for (i, f) in q.follow_ups.iter().enumerate() {
            if let Some(m) = &f.model_answer {
                answers.push((format!("{}#{}", q.id, i + 1), m.clone()));
            }
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/dev.csv");
    let mut reader = csv::Reader::from_path(path).expect("eval/dev.csv");
    for (i, row) in reader.records().enumerate() {
        let row = row.expect("csv row");
        answers.push((
            format!("dev.csv row {}", i + 2),
            row.get(2).unwrap_or_default().to_string(),
        ));
    }
    answers
}

#[test]
fn real_answers_are_not_mistaken_for_attacks() {
    let bank = Bank::bundled().expect("bank");
    let answers = real_answers(&bank);
    assert!(answers.len() > 400, "{}", answers.len());
    let false_alarms: Vec<String> = answers
        .iter()
        .filter_map(|(name, text)| {
            let attacks = screen(text).attacks;
            (!attacks.is_empty()).then(|| format!("{name}: {attacks:?}"))
        })
        .collect();
    assert!(false_alarms.is_empty(), "{}", false_alarms.join("\n"));
}

/// The answer from the issue: right on every point of the rubric, in everyday words.
const EVERYDAY_INDEX: &str = include_str!("data/everyday-index-answer.txt");

#[tokio::test]
async fn a_correct_answer_in_unexpected_words_keeps_the_llms_grade() {
    // The model credits every point; the rubric's own phrases are nearly absent. That alone is
    // no cause to overrule it.
    let s = gullible().await;
    let a = s
        .scorer
        .assess(&ScoreRequest {
            rubric: &s.rubric("what-is-an-index"),
            answer: EVERYDAY_INDEX,
            budget: None,
        })
        .await;
    assert_eq!(
        (a.scorer.as_str(), a.scores.overall, a.flagged),
        ("llm", 10.0, false),
        "{a:#?}"
    );
    // The points the model credited carry the candidate's own sentences where the offline
    // reading found them.
    assert!(a.covered.iter().any(|p| p.evidence.is_some()), "{a:#?}");
}

#[tokio::test]
async fn a_list_of_terms_gains_nothing_from_a_fooled_model() {
    let s = gullible().await;
    let a = s
        .scorer
        .assess(&ScoreRequest {
            rubric: &s.rubric("what-is-an-index"),
            answer: "An index is a B-tree, kept in sorted order. Full table scan vs log n. \
                     Slower writes, disk space. Low selectivity. Function on the column.",
            budget: None,
        })
        .await;
    assert!(a.scores.overall <= 3.0, "{a:#?}");
    assert!(a.flagged);
    assert!(
        a.notes.iter().any(|n| n.contains("list of terms")),
        "{:?}",
        a.notes
    );
    assert!(a.follow_up.is_none());
}
