//! The LLM scorer against the fake OpenAI-compatible server: every way a server can fail ends
//! in a score and a note that says what happened; the client retries what may pass, honours
//! Retry-After, steps down JSON modes a server refuses, repairs invalid output once, keeps to its
//! concurrency cap, and never shows the API key.
#![cfg(feature = "fake-llm")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use mockingbird::bank::Bank;
use mockingbird::scoring::llm::fake::{FakeLlm, Reply};
use mockingbird::scoring::llm::{
    ApiKey, JsonMode, LlmConfig, LlmScorer, RetryPolicy, ScoreRequest,
};
use mockingbird::scoring::ScorerKind;
use mockingbird::scoring::{Assessment, OfflineScorer, Rubric};
use serde_json::json;

const ANSWER: &str = "An index is a separate structure, usually a B-tree, that keeps a column's \
    values sorted with pointers to the rows. A lookup walks the tree in logarithmic time instead \
    of a full table scan. The cost is on writes: every insert or update must maintain each index, \
    and it takes disk space. It does not help for low-selectivity columns or when the query reads \
    most rows, because the planner then prefers a sequential scan.";

struct Setup {
    fake: FakeLlm,
    rubric: Rubric,
    offline: Arc<OfflineScorer>,
}

async fn setup(default: Reply) -> Setup {
    let bank = Bank::bundled().expect("bundled bank");
    let q = bank.get("what-is-an-index").expect("question");
    Setup {
        fake: FakeLlm::start(default).await.expect("fake server"),
        rubric: Rubric::for_question(q),
        offline: Arc::new(OfflineScorer::for_bank(&bank)),
    }
}

impl Setup {
    fn config(&self) -> LlmConfig {
        let mut config = LlmConfig::new(&self.fake.base_url(), "fake-model").expect("config");
        config.timeout = Duration::from_secs(2);
        config.retry = RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
            max_retry_after: Duration::from_secs(3),
        };
        config
    }

    fn scorer(&self, config: &LlmConfig) -> LlmScorer {
        LlmScorer::new(config, self.offline.clone()).expect("scorer")
    }

    async fn assess(&self, scorer: &LlmScorer, answer: &str) -> Assessment {
        scorer
            .assess(&ScoreRequest {
                rubric: &self.rubric,
                answer,
                budget: None,
            })
            .await
    }

    /// Scores ANSWER with the default configuration.
    async fn run(&self) -> Assessment {
        let scorer = self.scorer(&self.config());
        self.assess(&scorer, ANSWER).await
    }
}

fn grade() -> Reply {
    Reply::Grade {
        scores: [8, 6, 7],
        covered: 3,
    }
}

fn assert_offline(a: &Assessment, note: &str) {
    assert_eq!(a.scorer, ScorerKind::Offline, "{a:#?}");
    assert!(a.model.is_none() && a.prompt_version.is_none());
    let notes = a.notes.join(" | ");
    assert!(
        notes.contains(note),
        "expected a note with {note:?}, got {notes:?}"
    );
    assert!(notes.contains("Scored by the offline scorer."), "{notes}");
    assert!(
        a.scores.overall > 0.0,
        "the offline scorer still scored it: {a:#?}"
    );
}

#[tokio::test]
async fn a_valid_reply_is_scored_by_the_llm() {
    let s = setup(grade()).await;
    let a = s.run().await;
    assert_eq!(a.scorer, ScorerKind::Llm);
    assert_eq!(a.model.as_deref(), Some("fake-model"));
    assert_eq!(
        a.prompt_version.as_deref(),
        Some(mockingbird::scoring::llm::PROMPT_VERSION)
    );
    assert_eq!(
        (
            a.scores.technical,
            a.scores.tradeoffs,
            a.scores.communication
        ),
        (8.0, 6.0, 7.0)
    );
    // 0.6·8 + 0.25·6 + 0.15·7 = 7.35 → 7.4 (rounded to one decimal, like the offline scorer).
    assert_eq!(a.scores.overall, 7.4);
    assert_eq!(
        (a.covered.len(), a.missed.len()),
        (3, s.rubric.points.len() - 3)
    );
    assert!(a.notes.is_empty() && !a.flagged, "{a:#?}");
    let usage = a.usage.expect("usage");
    assert!(
        usage.prompt_tokens > 100 && usage.completion_tokens > 10,
        "{usage:?}"
    );
    let follow_up = a.follow_up.expect("a written follow-up");
    let ids: Vec<&str> = follow_up.points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["names-the-first-bottleneck", "says-how-to-measure-it"]
    );

    let body = &s.fake.requests()[0].body;
    assert_eq!(body["model"], "fake-model");
    assert_eq!(body["temperature"], 0);
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["strict"], true);
    assert!(
        s.fake.requests()[0].authorization.is_none(),
        "no key, no header"
    );
}

#[tokio::test]
async fn a_429_waits_as_long_as_retry_after_says() {
    let s = setup(grade()).await;
    s.fake.push(Reply::too_many_requests("1"));
    let started = Instant::now();
    let a = s.run().await;
    let waited = started.elapsed();
    assert_eq!(a.scorer, ScorerKind::Llm);
    assert_eq!(s.fake.requests().len(), 2);
    assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn retry_after_in_milliseconds_is_honoured_too() {
    let s = setup(grade()).await;
    s.fake.push(Reply::Status {
        status: 429,
        body: "{}".into(),
        headers: vec![("retry-after-ms".into(), "300".into())],
    });
    let started = Instant::now();
    let a = s.run().await;
    assert_eq!(a.scorer, ScorerKind::Llm);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_falls_back_at_once() {
    let s = setup(Reply::too_many_requests("120")).await;
    let started = Instant::now();
    let a = s.run().await;
    assert_offline(&a, "asked to wait 120s (HTTP 429)");
    assert_eq!(s.fake.requests().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_then_falls_back() {
    let s = setup(Reply::too_many_requests("")).await;
    let a = s.run().await;
    assert_offline(&a, "rate-limiting requests (HTTP 429) after 3 attempts");
}

#[tokio::test]
async fn a_500_is_retried() {
    let s = setup(grade()).await;
    s.fake.push(Reply::status(500));
    s.fake.push(Reply::status(503));
    let a = s.run().await;
    assert_eq!(a.scorer, ScorerKind::Llm);
    assert_eq!(s.fake.requests().len(), 3);
}

#[tokio::test]
async fn a_server_that_keeps_failing_ends_offline_with_a_note() {
    let s = setup(Reply::status(502)).await;
    let a = s.run().await;
    assert_offline(
        &a,
        "The LLM scorer was not used: the LLM server failed (HTTP 502) after 3 attempts.",
    );
    assert_eq!(s.fake.requests().len(), 3);
}

#[tokio::test]
async fn a_reply_that_never_comes_times_out() {
    let s = setup(Reply::Hang).await;
    let mut config = s.config();
    config.timeout = Duration::from_millis(300);
    config.retry.max_retries = 1;
    let started = Instant::now();
    let a = s.assess(&s.scorer(&config), ANSWER).await;
    assert_offline(&a, "did not answer in time after 2 attempts");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_ends_offline() {
    let s = setup(Reply::RawBody("<html>502 Bad Gateway</html>".into())).await;
    let a = s.run().await;
    assert_offline(&a, "was not a Chat Completions reply after 3 attempts");
}

#[tokio::test]
async fn nobody_listening_ends_offline() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let s = setup(grade()).await;
    let mut config = s.config();
    config.endpoint = format!("http://127.0.0.1:{port}/v1/chat/completions")
        .parse()
        .expect("url");
    let a = s.assess(&s.scorer(&config), ANSWER).await;
    assert_offline(&a, "could not connect to the LLM server after 3 attempts");
}

#[tokio::test]
async fn malformed_json_gets_one_repair() {
    let s = setup(grade()).await;
    s.fake
        .push(Reply::content("{\"scores\": {\"technical\": 8,"));
    let a = s.run().await;
    assert_eq!(a.scorer, ScorerKind::Llm, "{a:#?}");
    let requests = s.fake.requests();
    assert_eq!(requests.len(), 2);
    let messages = requests[1].body["messages"]
        .as_array()
        .expect("messages")
        .clone();
    assert_eq!(messages.len(), 4);
    assert_eq!(messages[2]["role"], "assistant");
    let repair = messages[3]["content"].as_str().expect("text");
    assert!(repair.contains("no JSON object"), "{repair}");
}

#[tokio::test]
async fn output_that_stays_invalid_ends_offline_and_counts_its_tokens() {
    let s = setup(Reply::content("It is a good answer, I would say 8.")).await;
    let a = s.run().await;
    assert_offline(
        &a,
        "not a usable assessment (the reply contains no JSON object), even after a repair",
    );
    assert_eq!(s.fake.requests().len(), 2);
    let usage = a
        .usage
        .expect("tokens were spent, and the budget must know");
    assert!(usage.prompt_tokens > 0);
}

fn reply_json(technical: serde_json::Value) -> String {
    json!({
        "scores": {"technical": technical, "tradeoffs": 6, "communication": 7},
        "covered": ["structure"], "missed": [], "pitfalls": [],
        "feedback": ["ok"], "follow_up": {"question": "q?", "points": ["p"]},
        "grader_directed": false,
    })
    .to_string()
}

#[tokio::test]
async fn out_of_range_scores_are_clamped() {
    let s = setup(grade()).await;
    let ids: Vec<String> = s.rubric.points.iter().map(|p| p.id.clone()).collect();
    let content = reply_json(json!(15)).replace("[\"structure\"]", &json!(ids).to_string());
    s.fake.push(Reply::content(content));
    let a = s.run().await;
    assert_eq!(a.scorer, ScorerKind::Llm, "{a:#?}");
    assert_eq!(a.scores.technical, 10.0);
}

#[tokio::test]
async fn missing_fields_and_unknown_points_are_invalid() {
    let s = setup(grade()).await;
    s.fake
        .set_default(Reply::content(r#"{"covered": [], "missed": []}"#));
    let a = s.run().await;
    assert_offline(&a, "field \"scores\" is missing");

    s.fake.set_default(Reply::content(
        reply_json(json!(9)).replace("structure", "made-up-point"),
    ));
    let a = s.run().await;
    assert_offline(&a, "\"made-up-point\" is not one of the rubric's point ids");

    s.fake
        .set_default(Reply::content(reply_json(json!("lots"))));
    let a = s.run().await;
    assert_offline(&a, "field \"technical\" must be an integer from 0 to 10");
}

#[tokio::test]
async fn finish_reason_length_is_invalid_output() {
    let s = setup(grade()).await;
    s.fake.push(Reply::truncated(reply_json(json!(8))));
    let a = s.run().await;
    assert_eq!(a.scorer, ScorerKind::Llm);
    assert_eq!(s.fake.requests().len(), 2);

    s.fake.set_default(Reply::truncated(reply_json(json!(8))));
    let a = s.run().await;
    assert_offline(&a, "cut off at the token limit");
}

#[tokio::test]
async fn a_server_that_rejects_json_schema_gets_json_object() {
    let s = setup(Reply::llama_cpp(grade())).await;
    let scorer = s.scorer(&s.config());
    let a = s.assess(&scorer, ANSWER).await;
    assert_eq!(a.scorer, ScorerKind::Llm, "{a:#?}");
    let kinds: Vec<String> = s
        .fake
        .requests()
        .iter()
        .map(|r| {
            r.body["response_format"]["type"]
                .as_str()
                .unwrap_or("none")
                .to_string()
        })
        .collect();
    assert_eq!(kinds, ["json_schema", "json_object"]);
    assert_eq!(scorer.json_mode(), JsonMode::Object);
    // The next answer goes straight to the mode that works.
    s.assess(&scorer, ANSWER).await;
    assert_eq!(s.fake.requests().len(), 3);
    assert_eq!(
        s.fake.requests()[2].body["response_format"]["type"],
        "json_object"
    );
}

#[tokio::test]
async fn a_server_that_rejects_every_json_mode_gets_plain_text() {
    let s = setup(grade()).await;
    for _ in 0..2 {
        s.fake.push(Reply::Status {
            status: 400,
            body: r#"{"error": {"message": "response_format is not supported by this model"}}"#
                .into(),
            headers: vec![],
        });
    }
    let scorer = s.scorer(&s.config());
    let a = s.assess(&scorer, ANSWER).await;
    assert_eq!(a.scorer, ScorerKind::Llm, "{a:#?}");
    let requests = s.fake.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests[2].body.get("response_format").is_none());
    assert_eq!(scorer.json_mode(), JsonMode::Text);
}

#[tokio::test]
async fn text_mode_finds_the_json_in_prose() {
    let s = setup(grade()).await;
    let mut config = s.config();
    config.json_mode = JsonMode::Text;
    let ids: Vec<String> = s.rubric.points.iter().map(|p| p.id.clone()).collect();
    let json = reply_json(json!(7)).replace("[\"structure\"]", &json!(ids).to_string());
    s.fake.push(Reply::content(format!(
        "Here is my grading:\n```json\n{json}\n```\nThanks!"
    )));
    let a = s.assess(&s.scorer(&config), ANSWER).await;
    assert_eq!(a.scorer, ScorerKind::Llm, "{a:#?}");
    assert_eq!(a.scores.technical, 7.0);
    assert!(s.fake.requests()[0].body.get("response_format").is_none());
}

#[tokio::test]
async fn the_concurrency_cap_holds() {
    let s = setup(grade()).await;
    s.fake.set_delay(Duration::from_millis(150));
    let mut config = s.config();
    config.concurrency = 2;
    let scorer = Arc::new(s.scorer(&config));
    let rubric = Arc::new(s.rubric.clone());
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (scorer, rubric) = (scorer.clone(), rubric.clone());
        tasks.spawn(async move {
            scorer
                .assess(&ScoreRequest {
                    rubric: &rubric,
                    answer: ANSWER,
                    budget: None,
                })
                .await
        });
    }
    while let Some(done) = tasks.join_next().await {
        assert_eq!(done.expect("task").scorer, ScorerKind::Llm);
    }
    assert_eq!(s.fake.requests().len(), 6);
    assert!(
        s.fake.max_in_flight() <= 2,
        "{} at once",
        s.fake.max_in_flight()
    );
    // Six 150 ms replies through two lanes take at least three rounds.
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_api_key_never_shows() {
    const KEY: &str = "sk-test-SECRET-4242";
    let s = setup(Reply::Status {
        status: 401,
        body: format!(r#"{{"error": {{"message": "Incorrect API key provided: {KEY}"}}}}"#),
        headers: vec![],
    })
    .await;
    let mut config = s.config();
    config.api_key = Some(ApiKey::new(KEY));
    let scorer = s.scorer(&config);
    let a = s.assess(&scorer, ANSWER).await;
    assert_offline(&a, "refused the credentials (HTTP 401); check LLM_API_KEY");
    assert_eq!(s.fake.requests().len(), 1, "a 401 is not retried");
    assert_eq!(
        s.fake.requests()[0].authorization.as_deref(),
        Some(&*format!("Bearer {KEY}"))
    );
    for text in [
        format!("{config:?}"),
        format!("{scorer:?}"),
        format!("{a:?}"),
    ] {
        assert!(!text.contains(KEY), "{text}");
    }
    // Even a model that repeats the key does not get it shown.
    let ids: Vec<String> = s.rubric.points.iter().map(|p| p.id.clone()).collect();
    let content = reply_json(json!(8))
        .replace("[\"structure\"]", &json!(ids).to_string())
        .replace(
            "[\"ok\"]",
            &json!([format!("Your key is {KEY}")]).to_string(),
        );
    s.fake.push(Reply::content(content));
    let a = s.assess(&scorer, ANSWER).await;
    assert_eq!(a.scorer, ScorerKind::Llm);
    assert!(!format!("{a:?}").contains(KEY), "{a:#?}");
}

#[tokio::test]
async fn an_exhausted_budget_skips_the_call() {
    let s = setup(grade()).await;
    let scorer = s.scorer(&s.config());
    let request = ScoreRequest {
        rubric: &s.rubric,
        answer: ANSWER,
        budget: Some(300),
    };
    let a = scorer.assess(&request).await;
    assert_offline(&a, "daily LLM token budget is used up");
    assert!(a.usage.is_none());
    assert!(s.fake.requests().is_empty());
    let request = ScoreRequest {
        budget: Some(50_000),
        ..request
    };
    assert_eq!(scorer.assess(&request).await.scorer, ScorerKind::Llm);
}

#[tokio::test]
async fn a_blank_answer_is_not_sent() {
    let s = setup(grade()).await;
    let scorer = s.scorer(&s.config());
    let a = s.assess(&scorer, " \n\u{200B}\t").await;
    assert_eq!(a.scorer, ScorerKind::Offline);
    assert_eq!(a.scores.overall, 0.0);
    assert!(s.fake.requests().is_empty());
}
