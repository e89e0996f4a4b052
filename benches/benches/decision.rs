//! The decision path, one hot step at a time: VADER scoring (beside two Rust VADER crates),
//! detection, the learned model, `decide`, and the whole ingest step (score + detect + model +
//! tracker update + decide), with and without the model.
//! Python vaderSentiment's time per message comes from `tools/eval/python_vader_speed.py`,
//! run on the same two texts.

use std::hint::black_box;

use baton_engine::config::Config;
use baton_engine::escalation::{Load, decide};
use baton_engine::sentiment::{ConversationSignals, Customer, polarity_scores};
use criterion::{Criterion, criterion_group, criterion_main};
use tokio::time::Instant;

/// A typical short chat message.
const SHORT: &str = "I want to speak to a human, this is ridiculous!";

/// A 280-character message with negation, "but", caps, punctuation and an emoji.
const LONG: &str = "I have been waiting for over an hour and the bot keeps asking me the same \
questions. I was charged twice for my March invoice, which is NOT ok, but nobody seems to \
care. I don't want another link to the FAQ!!! Please have someone look at my account, \
I am so frustrated 😡 thank you";

fn texts() -> [(&'static str, &'static str); 2] {
    assert_eq!(LONG.chars().count(), 280, "the long text must stay 280 characters");
    [("short", SHORT), ("280", LONG)]
}

fn sentiment(c: &mut Criterion) {
    let sentimental = vader_sentimental::SentimentIntensityAnalyzer::new();
    let parity = vader_parity::SentimentIntensityAnalyzer::new();
    for (name, text) in texts() {
        let mut group = c.benchmark_group(format!("sentiment/{name}"));
        group.bench_function("baton", |b| b.iter(|| polarity_scores(black_box(text))));
        group.bench_function("vader-sentimental", |b| {
            b.iter(|| sentimental.polarity_scores(black_box(text)))
        });
        group
            .bench_function("vader-parity", |b| b.iter(|| parity.polarity_scores(black_box(text))));
        group.finish();
    }
}

fn detection(c: &mut Criterion) {
    let decider = Config::default().decider().expect("default config");
    let mut group = c.benchmark_group("detect");
    for (name, text) in texts() {
        group.bench_function(name, |b| b.iter(|| decider.detector().detect(black_box(text))));
    }
    group.finish();
}

fn model(c: &mut Criterion) {
    let model = baton_engine::model::Model::embedded();
    let mut group = c.benchmark_group("model");
    for (name, text) in texts() {
        group.bench_function(name, |b| b.iter(|| model.score(black_box(text))));
    }
    group.finish();
}

fn deciding(c: &mut Criterion) {
    let decider = Config::default().decider().expect("default config");
    let now = Instant::now();
    let signals = ConversationSignals::new(Customer::default(), now);
    for compound in [0.2, -0.3, -0.5] {
        signals.record_customer(compound, 0.5);
    }
    let snapshot = signals.snapshot(false, 4);
    c.bench_function("decide", |b| {
        b.iter(|| decide(decider.policy(), black_box(&snapshot), Load::Elevated, now))
    });
}

fn ingest(c: &mut Criterion) {
    let mut rules_only = Config::default();
    rules_only.model.enabled = false;
    for (group_name, config) in [("ingest", Config::default()), ("ingest-rules-only", rules_only)] {
        let decider = config.decider().expect("default config");
        let now = Instant::now();
        let signals = ConversationSignals::new(Customer::default(), now);
        let mut group = c.benchmark_group(group_name);
        for (name, text) in texts() {
            group.bench_function(name, |b| {
                b.iter(|| {
                    decider.customer_message(&signals, black_box(text), None, Load::Normal, now)
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, sentiment, detection, model, deciding, ingest);
criterion_main!(benches);
