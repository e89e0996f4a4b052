//! Memory per idle conversation: the resident set size before and after opening 100,000
//! conversations (each with its actor, signals, record and event channel), divided by
//! 100,000. Linux only (reads /proc/self/statm).
//!
//!     cargo run --release -p baton-benches --example memory_per_conversation [N]

#![allow(clippy::print_stdout)] // an example reports on stdout

use baton_engine::config::Config;
use baton_engine::engine::{Engine, OpenConversation};
use baton_engine::escalation::Tier;

fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: u64 =
        statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).expect("rss pages");
    pages * 4096
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let engine = Engine::start(Config::default()).await.expect("engine");
        // Warm up allocator pools and the decision path before measuring.
        for i in 0..1_000 {
            let id = format!("warm{i}");
            engine.open(open(&id)).expect("open");
            engine.customer_message(&id, "hello there").expect("message");
        }
        while !engine.is_quiet() {
            tokio::task::yield_now().await;
        }
        let before = rss_bytes();
        for i in 0..n {
            let id = format!("c{i:06}");
            engine.open(open(&id)).expect("open");
            engine.customer_message(&id, "hi, where is my order?").expect("message");
        }
        while !engine.is_quiet() {
            tokio::task::yield_now().await;
        }
        let after = rss_bytes();
        let per = (after.saturating_sub(before)) as f64 / n as f64;
        println!("{n} idle conversations (one message each): RSS {before} -> {after} bytes, {per:.0} bytes per conversation");
    });
}

fn open(id: &str) -> OpenConversation {
    OpenConversation {
        id: id.into(),
        customer_id: id.into(),
        tier: Tier::Standard,
        channel: "web".into(),
        prior_contacts: 0,
        topic: None,
    }
}
