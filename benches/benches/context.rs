//! Context packet and warm-handoff summary: time to build each for a 10-turn and a 100-turn
//! billing dispute (for an agent without the PII clearance, so redaction runs on every text).

use baton_engine::config::{ContextConfig, Handoff};
use baton_engine::context::mood::Mood;
use baton_engine::context::packet::{Recipient, build};
use baton_engine::context::summary::summarize;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "../fixtures/billing.rs"]
mod billing;

fn context(c: &mut Criterion) {
    let config = ContextConfig::default();
    let to = Recipient::agent(&config, false, Handoff::Warm);
    for turns in [10, 100] {
        let conversation = billing::billing_dispute(turns);
        let input = conversation.input();
        c.bench_function(&format!("packet/{turns}_turns"), |b| {
            b.iter(|| build(black_box(&input), &config, to));
        });
        c.bench_function(&format!("summary/{turns}_turns"), |b| {
            b.iter(|| {
                summarize(
                    black_box(&conversation.transcript),
                    &conversation.attempts,
                    None,
                    Mood::Frustrated,
                )
            });
        });
    }
}

criterion_group!(benches, context);
criterion_main!(benches);
