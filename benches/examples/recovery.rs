//! How long a restart takes, and what the journal costs: opens N live conversations (two
//! customer turns and a bot reply each, every other one waiting in a queue) on a fresh data
//! directory, stops the engine, and starts it again on the same directory, timing the start
//! (recovery included); then the disk bytes per conversation and the journal's write
//! throughput with every batch synced.
//!
//! `cargo run --release -p baton-benches --example recovery -- 10000 100000`

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::time::Instant;

use baton_engine::config::Config;
use baton_engine::engine::{BotReply, Engine, OpenConversation};

fn config(dir: &Path) -> Config {
    let mut config = Config::default();
    config.store.data_dir = Some(dir.to_path_buf());
    // Room for the largest run.
    config.engine.max_live_conversations = 1_000_000;
    config
}

fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            total += if path.is_dir() {
                dir_bytes(&path)
            } else {
                entry.metadata().map_or(0, |m| m.len())
            };
        }
    }
    total
}

async fn run(n: usize) {
    let dir = std::env::temp_dir().join(format!("baton-recovery-{n}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let engine = Engine::start(config(&dir)).await.expect("start");
    let opened = Instant::now();
    for i in 0..n {
        let id = format!("c{i}");
        engine.open(OpenConversation::new(&id, format!("cust-{}", i % 5000))).expect("open");
        engine.customer_message(&id, "hello, my parcel has not arrived").expect("message");
        engine.bot_reply(&id, BotReply::new("Let me look into that.", 0.9)).expect("bot");
        let text = if i % 2 == 0 { "I want to talk to a human agent" } else { "ok thanks" };
        engine.customer_message(&id, text).expect("message");
        if i % 1000 == 999 {
            // Let the actors keep up (the inboxes are bounded).
            while !engine.settle(10_000).await {}
        }
    }
    while !engine.settle(100_000).await {}
    let load_s = opened.elapsed().as_secs_f64();
    engine.written().await.expect("written");
    engine.shutdown().await;
    // The writer thread finishes when the last handle goes.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let bytes = dir_bytes(&dir);

    let started = Instant::now();
    let engine = Engine::start(config(&dir)).await.expect("restart");
    let recovery = started.elapsed();
    let found = engine.recovered().clone();
    let queued = engine.queue_view("general").map_or(0, |q| q.waiting.len());
    println!(
        "{n} live conversations: loaded in {load_s:.1} s; restart {:.0} ms ({} conversations, {} turns, {} queued, {queued} waiting in general); {} bytes on disk, {:.0} bytes per conversation",
        recovery.as_secs_f64() * 1000.0,
        found.conversations,
        found.turns,
        found.queued,
        bytes,
        bytes as f64 / n as f64
    );
    engine.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Ops per second through the journal with every batch synced (`Durability::Disk`), 8
/// writers each waiting for its write before the next (so group commit gathers up to 8).
fn synced_throughput(dir: &PathBuf) {
    use baton_engine::journal::{Durability, FjallBackend, Journal, Op, Space};
    use std::sync::Arc;
    let _ = std::fs::remove_dir_all(dir);
    let backend = Arc::new(FjallBackend::open(dir).expect("open"));
    let journal = Arc::new(Journal::start(backend));
    let per_writer = 2_000;
    let started = Instant::now();
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let journal = Arc::clone(&journal);
            std::thread::spawn(move || {
                for i in 0..per_writer {
                    let key = format!("w{w}-{i}");
                    journal.write(
                        vec![Op::put(Space::Callbacks, key, vec![0; 512])],
                        Durability::Disk,
                    );
                    let (tx, rx) = std::sync::mpsc::channel();
                    journal.then(move |r| {
                        let _ = tx.send(r);
                    });
                    rx.recv().expect("answered").expect("written");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let stats = &journal.stats;
    let ops = stats.ops.load(std::sync::atomic::Ordering::Relaxed);
    let syncs = stats.syncs.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "synced writes: {ops} ops of 512 bytes in {elapsed:.2} s = {:.0} ops/s, {syncs} fsyncs ({:.1} ops per fsync)",
        ops as f64 / elapsed,
        ops as f64 / syncs.max(1) as f64
    );
    drop(journal);
    let _ = std::fs::remove_dir_all(dir);
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![10_000] } else { sizes };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for n in sizes {
        runtime.block_on(run(n));
    }
    synced_throughput(&std::env::temp_dir().join(format!("baton-synced-{}", std::process::id())));
}
