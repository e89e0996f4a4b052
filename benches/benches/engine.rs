//! The engine end to end (actors included): customer messages per second with 10,000 live
//! conversations, time from an agent freeing a slot to the next offer, and time from a
//! customer's escalation to the offer when an agent is free. Memory per idle conversation is
//! `cargo run --release -p baton-benches --example memory_per_conversation`.

use std::time::Duration;

use baton_benches::runtime;
use baton_engine::config::Config;
use baton_engine::engine::{AgentEvent, AgentLogin, Engine, OpenConversation};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokio::sync::broadcast::Receiver;
use tokio::time::Instant;

fn open(engine: &Engine, id: &str) {
    engine.open(OpenConversation::new(id, id)).expect("open");
}

fn login(engine: &Engine, id: &str) -> Receiver<AgentEvent> {
    let login = AgentLogin::new(id, vec![("general".into(), 3)], 1);
    engine.agent_login(login).expect("login")
}

async fn quiet(engine: &Engine) {
    while !engine.is_quiet() {
        tokio::task::yield_now().await;
    }
}

/// Waits for the next offer to this agent; returns its conversation.
async fn next_offer(rx: &mut Receiver<AgentEvent>) -> String {
    loop {
        match rx.recv().await {
            Ok(AgentEvent::Offer { conversation, .. }) => return conversation,
            Ok(_) => {}
            Err(e) => panic!("agent events: {e}"),
        }
    }
}

fn messages_with_10k_live(c: &mut Criterion) {
    let rt = runtime();
    let engine = rt.block_on(async {
        let engine = Engine::start(Config::default()).await.expect("engine");
        for i in 0..10_000 {
            open(&engine, &format!("c{i}"));
        }
        quiet(&engine).await;
        engine
    });
    let texts = ["hi, my order has not arrived", "it was supposed to come on Monday", "ok thanks"];
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(1));
    group.bench_function("customer_message_10k_live", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for i in 0..iters {
                    let id = format!("c{}", i % 10_000);
                    let text = texts[(i / 10_000) as usize % texts.len()];
                    engine.customer_message(&id, text).expect("message");
                }
                // Include the actors' bookkeeping, not just the synchronous decision.
                quiet(&engine).await;
                start.elapsed()
            })
        })
    });
    group.finish();
}

fn offer_latency(c: &mut Criterion) {
    let rt = runtime();
    let (engine, mut agent) = rt.block_on(async {
        let engine = Engine::start(Config::default()).await.expect("engine");
        let agent = login(&engine, "a1");
        quiet(&engine).await;
        (engine, agent)
    });
    let mut n = 0u64;
    let mut group = c.benchmark_group("engine");
    group.bench_function("queued_to_offer_agent_free", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    n += 1;
                    let id = format!("q{n}");
                    open(&engine, &id);
                    quiet(&engine).await;
                    let start = Instant::now();
                    engine.customer_message(&id, "agent please").expect("message");
                    let offered = next_offer(&mut agent).await;
                    total += start.elapsed();
                    assert_eq!(offered, id);
                    engine.close(&id, "done", None).await.expect("close");
                    quiet(&engine).await;
                }
                total
            })
        })
    });
    group.bench_function("slot_freed_to_offer", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    n += 1;
                    let (busy, waiting) = (format!("b{n}"), format!("w{n}"));
                    open(&engine, &busy);
                    engine.customer_message(&busy, "agent please").expect("message");
                    assert_eq!(next_offer(&mut agent).await, busy);
                    engine.accept("a1", &busy).await.expect("accept");
                    open(&engine, &waiting);
                    engine.customer_message(&waiting, "agent please").expect("message");
                    quiet(&engine).await;
                    let start = Instant::now();
                    engine.close(&busy, "done", None).await.expect("close");
                    let offered = next_offer(&mut agent).await;
                    total += start.elapsed();
                    assert_eq!(offered, waiting);
                    engine.close(&waiting, "done", None).await.expect("close");
                    quiet(&engine).await;
                }
                total
            })
        })
    });
    group.finish();
}

criterion_group!(benches, messages_with_10k_live, offer_latency);
criterion_main!(benches);
