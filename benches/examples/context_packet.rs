//! Prints a sample context packet (and its summary) for a realistic billing dispute as an
//! agent without the PII clearance receives it, and the packet's size in JSON and MessagePack
//! for 10-, 100- and 1,000-turn conversations.
//!
//! `cargo run --release -p baton-benches --example context_packet`

#![allow(clippy::print_stdout)]

use baton_engine::config::{ContextConfig, Handoff};
use baton_engine::context::packet::{Recipient, build};

#[path = "../fixtures/billing.rs"]
mod billing;

fn main() {
    let config = ContextConfig::default();
    let to = Recipient::agent(&config, false, Handoff::Warm);
    let sample = billing::billing_dispute(10);
    let packet = build(&sample.input(), &config, to);
    let summary = packet.summary.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    println!("summary (10 turns):\n{summary}\n");
    println!("packet (10 turns):\n{}\n", serde_json::to_string_pretty(&packet).unwrap_or_default());
    println!("| turns | JSON bytes | MessagePack bytes | transcript turns kept |");
    println!("|---|---|---|---|");
    for turns in [10, 100, 1000] {
        let conversation = billing::billing_dispute(turns);
        let packet = build(&conversation.input(), &config, to);
        let json = serde_json::to_vec(&packet).map_or(0, |v| v.len());
        let msgpack = rmp_serde::to_vec_named(&packet).map_or(0, |v| v.len());
        println!(
            "| {turns} | {json} | {msgpack} | {} (+{} elided) |",
            packet.transcript.len(),
            packet.elided_turns
        );
    }
}
