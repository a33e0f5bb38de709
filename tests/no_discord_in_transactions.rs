//! No transaction may wait on Discord: a slow or rate-limited Discord would otherwise hold row
//! locks and pool connections, and starve every guild's commands. The rule, checked on the
//! source: transactions begin only in the store and in the use cases (`src/app`), and neither
//! knows anything of Discord: an interview step saves what to show to the outbox, and the bot's
//! dispatcher posts it after the commit. (The one other network call, the LLM, is made by the
//! scoring use case with no transaction open: the job's lease holds it.)
//! `tests/bot_faults.rs` checks the same end to end, against a slowed-down fake Discord.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn source(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join(dir), &mut files);
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            let name = p.strip_prefix(root).unwrap().display().to_string();
            (name, text)
        })
        .collect()
}

#[test]
fn transactions_begin_only_in_the_store_and_the_use_cases() {
    let allowed = |name: &str| {
        let name = name.replace('\\', "/");
        name.starts_with("src/store/") || name.starts_with("src/app/")
    };
    let offenders: Vec<String> = source("src")
        .into_iter()
        .filter(|(name, text)| !allowed(name) && text.contains(".begin()"))
        .map(|(name, _)| name)
        .collect();
    assert!(
        offenders.is_empty(),
        "a transaction begins outside the store and the use cases in {offenders:?}: \
         move it into the store or `src/app`, and make no Discord call while it is open"
    );
}

#[test]
fn the_store_and_the_use_cases_know_nothing_of_discord() {
    let network = [
        "serenity",
        "poise",
        "reqwest",
        "crate::bot",
        "http",
        "send_message",
        "edit_thread",
    ];
    for dir in ["src/app", "src/store"] {
        let files = source(dir);
        assert!(!files.is_empty(), "{dir} is found");
        for (name, text) in files {
            for word in network {
                assert!(
                    !text.contains(word),
                    "{name} mentions `{word}`: a use case runs its transactions with nothing \
                     but the database, so it must leave what to post to the outbox (`Effect`) \
                     and let an adapter post it after the commit"
                );
            }
        }
    }
}
