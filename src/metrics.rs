//! Prometheus metrics: what an operator watches — interviews started and finished, answers
//! scored by which scorer, how long scoring takes, LLM tokens and failures by kind, the scoring
//! queue's depth, and each shard's gateway latency. Counters live here and are bumped where
//! things happen; queue depth, LLM failures and latency are read when `/metrics` is scraped.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ScorerLabel {
    pub scorer: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ShardLabel {
    pub shard: String,
}

/// Every metric the bot exports, registered once.
pub struct Metrics {
    registry: Registry,
    pub interviews_started: Counter,
    pub interviews_finished: Family<OutcomeLabel, Counter>,
    pub answers_scored: Family<ScorerLabel, Counter>,
    /// Seconds from a claimed job to its stored score.
    pub scoring_seconds: Histogram,
    pub llm_tokens: Family<KindLabel, Counter>,
    pub llm_failures: Family<KindLabel, Counter>,
    pub queue_depth: Gauge,
    pub gateway_latency_seconds: Family<ShardLabel, Gauge<f64, AtomicU64>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("mockingbird");
        let m = Metrics {
            interviews_started: Counter::default(),
            interviews_finished: Family::default(),
            answers_scored: Family::default(),
            // 5 ms to ~40 s: the offline scorer is milliseconds, a slow LLM tens of seconds.
            scoring_seconds: Histogram::new(exponential_buckets(0.005, 2.0, 14)),
            llm_tokens: Family::default(),
            llm_failures: Family::default(),
            queue_depth: Gauge::default(),
            gateway_latency_seconds: Family::default(),
            registry: Registry::default(),
        };
        registry.register(
            "interviews_started",
            "Interviews started",
            m.interviews_started.clone(),
        );
        registry.register(
            "interviews_finished",
            "Interviews finished, by outcome (completed, ended, abandoned)",
            m.interviews_finished.clone(),
        );
        registry.register(
            "answers_scored",
            "Answers scored, by the scorer that scored them (llm, offline)",
            m.answers_scored.clone(),
        );
        registry.register(
            "scoring_seconds",
            "Seconds from claiming a scoring job to storing its score",
            m.scoring_seconds.clone(),
        );
        registry.register(
            "llm_tokens",
            "LLM tokens used, by kind (prompt, completion)",
            m.llm_tokens.clone(),
        );
        registry.register(
            "llm_failures",
            "LLM calls that fell back to the offline scorer, by kind of failure",
            m.llm_failures.clone(),
        );
        registry.register(
            "scoring_queue_depth",
            "Scoring jobs queued or running",
            m.queue_depth.clone(),
        );
        registry.register(
            "gateway_latency_seconds",
            "Heartbeat round trip to the Discord gateway, by shard",
            m.gateway_latency_seconds.clone(),
        );
        Metrics { registry, ..m }
    }

    /// Counts an interview's end.
    pub fn finished(&self, outcome: &str) {
        self.interviews_finished
            .get_or_create(&OutcomeLabel {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    /// Counts a scored answer and the tokens it cost.
    pub fn scored(&self, scorer: &str, prompt_tokens: u64, completion_tokens: u64, secs: f64) {
        self.answers_scored
            .get_or_create(&ScorerLabel {
                scorer: scorer.to_owned(),
            })
            .inc();
        self.scoring_seconds.observe(secs);
        for (kind, n) in [("prompt", prompt_tokens), ("completion", completion_tokens)] {
            if n > 0 {
                self.llm_tokens
                    .get_or_create(&KindLabel { kind: kind.into() })
                    .inc_by(n);
            }
        }
    }

    /// Brings a failure counter up to a total kept elsewhere (the LLM scorer's own count).
    pub fn set_llm_failures(&self, kind: &str, total: u64) {
        let counter = self
            .llm_failures
            .get_or_create(&KindLabel { kind: kind.into() });
        let seen = counter.get();
        if total > seen {
            counter.inc_by(total - seen);
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_names_every_metric() {
        let m = Metrics::new();
        m.interviews_started.inc();
        m.finished("completed");
        m.scored("llm", 900, 120, 0.8);
        m.set_llm_failures("timeout", 3);
        m.set_llm_failures("timeout", 3);
        m.queue_depth.set(4);
        let text = m.encode();
        for line in [
            "mockingbird_interviews_started_total 1",
            "mockingbird_interviews_finished_total{outcome=\"completed\"} 1",
            "mockingbird_answers_scored_total{scorer=\"llm\"} 1",
            "mockingbird_llm_tokens_total{kind=\"prompt\"} 900",
            "mockingbird_llm_failures_total{kind=\"timeout\"} 3",
            "mockingbird_scoring_queue_depth 4",
            "mockingbird_scoring_seconds_count 1",
        ] {
            assert!(text.contains(line), "missing {line:?} in:\n{text}");
        }
    }
}
