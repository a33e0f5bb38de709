//! The figures, printed as markdown tables: the start phase, then one row per rate, then
//! where the time went at each rate.

use anyhow::Result;

use super::load::Window;
use super::setup::{self, Bot};
use super::stages::Stages;
use super::start::{summary, StartReport};
use super::track::percentile;

/// CPU used over a stretch of time: the bot's, this process's (the fake Discord and the fake
/// LLM), PostgreSQL's, and the whole machine's busy share.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    bot_secs: f64,
    bench_secs: f64,
    postgres_secs: f64,
    busy_ticks: u64,
    total_ticks: u64,
}

impl Usage {
    pub fn now(bot: &Bot) -> Result<Usage> {
        let (busy_ticks, total_ticks) = setup::machine_ticks()?;
        Ok(Usage {
            bot_secs: bot.cpu_secs()?,
            bench_secs: setup::cpu_secs("self")?,
            postgres_secs: setup::postgres_cpu_secs()?,
            busy_ticks,
            total_ticks,
        })
    }

    pub fn since(&self, before: &Usage) -> Usage {
        Usage {
            bot_secs: self.bot_secs - before.bot_secs,
            bench_secs: self.bench_secs - before.bench_secs,
            postgres_secs: self.postgres_secs - before.postgres_secs,
            busy_ticks: self.busy_ticks.saturating_sub(before.busy_ticks),
            total_ticks: self.total_ticks.saturating_sub(before.total_ticks),
        }
    }

    fn busy_pct(&self) -> f64 {
        100.0 * self.busy_ticks as f64 / self.total_ticks.max(1) as f64
    }
}

/// Everything measured at one rate.
pub struct Figures {
    pub window: Window,
    pub used: Usage,
    pub rss_kib: u64,
    pub stages: Stages,
}

/// The q-th percentile of unsorted values.
pub fn p(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    percentile(&sorted, q)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub fn print(
    interviews: usize,
    started: &StartReport,
    rss_open: u64,
    peak: u64,
    rates: &[Figures],
) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("\nbot end to end — {interviews} interviews, {cores} cores\n");
    print_start(started, rss_open, peak);
    print_rates(rates);
    print_stages(rates);
    for f in rates {
        let w = &f.window;
        for sample in &w.error_samples {
            println!("\nat {}/s, error: {sample}", w.rate);
        }
        if w.finished > 0 {
            println!(
                "\nat {}/s, {} interviews reached their report",
                w.rate, w.finished
            );
        }
    }
}

fn print_start(started: &StartReport, rss_open: u64, peak: u64) {
    let n = started.interviews;
    let secs = started.took.as_secs_f64();
    println!("| phase 1: `/interview start` × {n} at once | |");
    println!("| --- | ---: |");
    println!("| until every thread had its first question | {secs:.2} s |");
    println!(
        "| interviews started per second | {:.0} |",
        n as f64 / secs.max(1e-9)
    );
    println!(
        "| per member, command → first question: p50 / p99 / max | {} |",
        summary(&started.latencies)
    );
    println!(
        "| replies that were not \"ready\" | {} |",
        started.errors.len()
    );
    println!(
        "| bot RSS with {n} interviews open | {:.1} MB |",
        mib(rss_open)
    );
    println!(
        "| bot peak RSS (VmHWM) over the whole run | {:.1} MB |",
        mib(peak)
    );
    for error in started.errors.iter().take(3) {
        println!("\nstart error: {error}");
    }
}

fn print_rates(rates: &[Figures]) {
    println!(
        "\n| rate/s | issued | starved | feedback | achieved/s | p50 ms | p90 ms | p99 ms | max ms \
         | p99 seen by collector | errors | unanswered | CPU ms/answer: bot / bench / PostgreSQL | machine busy | RSS MB |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for f in rates {
        let w = &f.window;
        let per_answer = |secs: f64| secs * 1000.0 / (w.received.max(1) as f64);
        let max = w.latencies.iter().copied().fold(0.0, f64::max);
        println!(
            "| {} | {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {} | {:.1} / {:.1} / {:.1} | {:.0} % | {:.1} |",
            w.rate,
            w.issued,
            w.starved,
            w.received,
            w.achieved(),
            p(&w.latencies, 50.0),
            p(&w.latencies, 90.0),
            p(&w.latencies, 99.0),
            max,
            p(&w.observed, 99.0),
            w.errors,
            w.issued.saturating_sub(w.received + w.errors),
            per_answer(f.used.bot_secs),
            per_answer(f.used.bench_secs),
            per_answer(f.used.postgres_secs),
            f.used.busy_pct(),
            mib(f.rss_kib)
        );
    }
}

fn print_stages(rates: &[Figures]) {
    println!("\n| rate/s | click → acknowledged p50 / p99 | click → submitted p50 / p99 | submitted → scored p50 / p99 | scored → feedback p50 / p99 |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for f in rates {
        let s = &f.stages;
        let pair =
            |v: &[f64]| format!("{:.1} / {:.1} ms", percentile(v, 50.0), percentile(v, 99.0));
        let mut acks = f.window.to_ack.clone();
        acks.sort_by(f64::total_cmp);
        println!(
            "| {} | {} | {} | {} | {} |",
            f.window.rate,
            pair(&acks),
            pair(&s.to_submitted),
            pair(&s.to_scored),
            pair(&s.to_feedback)
        );
    }
}
