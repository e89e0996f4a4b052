//! The decision step warm and cold: one message decided back to back, then after the thread
//! slept (as between messages at 11 a second, when this machine's caches and TLBs have gone
//! cold), then after it swept 64 MiB of other memory (what another process does to them).
//!
//! ```text
//! cargo run --release -p baton-benches --example cold -- [SLEEP_MS]     (default 90)
//! ```

#![allow(clippy::print_stdout, clippy::unwrap_used)]
// A plain program timing itself: real time, not tokio's pausable clock.
#![allow(clippy::disallowed_types)]

use std::time::{Duration, Instant};

use baton_engine::config::Config;
use baton_engine::escalation::Load;
use baton_engine::sentiment::{ConversationSignals, Customer};

const TEXT: &str =
    "I was charged twice for my March invoice and nobody seems to care, this is ridiculous";

/// Median and p99 of `n` decisions, each after `before` ran.
fn timed(n: usize, mut before: impl FnMut(usize)) -> (f64, f64) {
    let decider = Config::default().decider().unwrap();
    let now = tokio::time::Instant::now();
    let signals = ConversationSignals::new(Customer::default(), now);
    let mut micros: Vec<f64> = (0..n)
        .map(|i| {
            before(i);
            let start = Instant::now();
            std::hint::black_box(decider.customer_message(&signals, TEXT, None, Load::Normal, now));
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    micros.sort_by(f64::total_cmp);
    (micros[n / 2], micros[n * 99 / 100])
}

fn main() {
    let sleep_ms: u64 = std::env::args().nth(1).map_or(90, |a| a.parse().unwrap());
    let sleep = Duration::from_millis(sleep_ms);
    let warm = timed(2000, |_| {});
    let asleep = timed(100, |_| std::thread::sleep(sleep));
    let mut other = vec![0u8; 64 << 20];
    let swept = timed(100, |i| {
        std::thread::sleep(sleep);
        for byte in other.iter_mut().step_by(64) {
            *byte = byte.wrapping_add(i as u8);
        }
    });
    println!(
        "decision step p50 / p99: back to back {:.1} / {:.1} µs · after {sleep_ms} ms asleep \
         {:.1} / {:.1} µs · after sweeping 64 MiB {:.1} / {:.1} µs",
        warm.0, warm.1, asleep.0, asleep.1, swept.0, swept.1
    );
}
