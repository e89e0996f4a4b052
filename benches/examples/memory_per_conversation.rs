//! Memory per idle conversation: opens N conversations (one customer message each, so each
//! has its record, signals, transcript and actor), then lets them hibernate. Reports the live
//! heap (exact, from a counting allocator) and the resident set size per conversation, with
//! live actors and after hibernation. Linux only for RSS (/proc/self/statm).
//!
//!     cargo run --release -p baton-benches --example memory_per_conversation [N]

#![allow(clippy::print_stdout)] // an example reports on stdout
#![allow(unsafe_code)] // a global allocator is unsafe by definition

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{Engine, OpenConversation};

struct Counting;

static HEAP: AtomicI64 = AtomicI64::new(0);

// SAFETY: defers every call to the system allocator; only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HEAP.fetch_add(layout.size() as i64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HEAP.fetch_sub(layout.size() as i64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HEAP.fetch_add(new_size as i64 - layout.size() as i64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn rss_bytes() -> i64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: i64 =
        statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).expect("rss pages");
    pages * 4096
}

fn open(id: &str) -> OpenConversation {
    OpenConversation::new(id, id)
}

async fn quiet(engine: &Engine) {
    while !engine.is_quiet() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut config = Config::default();
        config.engine.hibernate_after_s = 2;
        let engine = Engine::start(config).await.expect("engine");
        // Warm up allocator pools and the decision path before measuring.
        for i in 0..1_000 {
            let id = format!("warm{i}");
            engine.open(open(&id)).expect("open");
            engine.customer_message(&id, "hello there").expect("message");
            engine.close(&id, "warm-up", None).await.expect("close");
        }
        quiet(&engine).await;
        let (heap0, rss0) = (HEAP.load(Relaxed), rss_bytes());
        for i in 0..n {
            let id = format!("c{i:06}");
            engine.open(open(&id)).expect("open");
            engine.customer_message(&id, "hi, where is my order?").expect("message");
        }
        quiet(&engine).await;
        let (heap1, rss1) = (HEAP.load(Relaxed), rss_bytes());
        while engine.stats().hibernating < n as u64 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        quiet(&engine).await;
        // Let the stopped actors' supervision events drain (they hold the actors until then).
        let mut heap2 = HEAP.load(Relaxed);
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let now = HEAP.load(Relaxed);
            if (heap2 - now).abs() < 4096 {
                break;
            }
            heap2 = now;
        }
        let rss2 = rss_bytes();
        let per = |bytes: i64| bytes as f64 / n as f64;
        println!("{n} idle conversations (one customer message each)");
        println!("  with live actors:   heap {:6.0} B/conversation, RSS {:6.0} B/conversation", per(heap1 - heap0), per(rss1 - rss0));
        println!("  after hibernation:  heap {:6.0} B/conversation, RSS {:6.0} B/conversation (RSS keeps freed pages)", per(heap2 - heap0), per(rss2 - rss0));
        engine.shutdown().await;
    });
}
