//! Runs detection in a loop for a profiler (`perf record`, `valgrind --tool=callgrind`):
//!
//!     cargo build --release -p baton-benches --example profile_detect
//!     perf record -g target/release/examples/profile_detect

#![allow(clippy::print_stdout)] // an example reports on stdout

use baton_engine::config::Config;

fn main() {
    let decider = Config::default().decider().expect("default config");
    let text = "I have been waiting for over an hour and the bot keeps asking me the same \
questions. I was charged twice for my March invoice, which is NOT ok, but nobody seems to \
care. I don't want another link to the FAQ!!! Please have someone look at my account, \
I am so frustrated 😡 thank you";
    let iterations: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let mut found = 0usize;
    for _ in 0..iterations {
        found +=
            usize::from(std::hint::black_box(decider.detector().detect(text)).explicit_request);
    }
    println!("{found}");
}
