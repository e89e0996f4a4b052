//! Baton's in-process message path beside its floors, in one run: a batch of customer
//! messages through the `Engine` (the decision, then the conversation actor's work) against
//! the same number of messages through a tokio unbounded channel to one task, and through
//! ractor's own `cast` to one actor (the runtime Baton's actors are built on). Each is timed
//! from the first send until the receiving side has handled the whole batch, per message.

use std::hint::black_box;
use std::time::Duration;

use baton_benches::runtime;
use baton_engine::config::Config;
use baton_engine::engine::{Engine, OpenConversation};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ractor::{Actor, ActorProcessingErr, ActorRef};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

const BATCH: u64 = 1_000;
const TEXTS: [&str; 3] =
    ["hi, my order has not arrived", "it was supposed to come on Monday", "ok thanks"];

/// Counts messages and answers once it has seen `until`.
struct Counter;

enum CounterMsg {
    Text(&'static str),
    Done(oneshot::Sender<()>),
}

impl Actor for Counter {
    type Msg = CounterMsg;
    type State = u64;
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<CounterMsg>, _: ()) -> Result<u64, ActorProcessingErr> {
        Ok(0)
    }

    async fn handle(
        &self,
        _: ActorRef<CounterMsg>,
        message: CounterMsg,
        seen: &mut u64,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            CounterMsg::Text(text) => *seen += black_box(text).len() as u64,
            CounterMsg::Done(reply) => drop(reply.send(())),
        }
        Ok(())
    }
}

fn floors(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("floors");
    group.throughput(Throughput::Elements(BATCH));

    let (tx, mut rx) = rt.block_on(async { mpsc::unbounded_channel::<CounterMsg>() });
    rt.spawn(async move {
        let mut seen = 0u64;
        while let Some(message) = rx.recv().await {
            match message {
                CounterMsg::Text(text) => seen += black_box(text).len() as u64,
                CounterMsg::Done(reply) => drop(reply.send(())),
            }
        }
        black_box(seen);
    });
    group.bench_function("tokio_mpsc", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let tx = tx.clone();
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    for i in 0..BATCH {
                        let _ = tx.send(CounterMsg::Text(TEXTS[i as usize % 3]));
                    }
                    let (done, wait) = oneshot::channel();
                    let _ = tx.send(CounterMsg::Done(done));
                    let _ = wait.await;
                    total += start.elapsed();
                }
                total
            }
        });
    });

    let (actor, _) = rt.block_on(Actor::spawn(None, Counter, ())).expect("actor");
    group.bench_function("ractor_cast", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let actor = actor.clone();
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    for i in 0..BATCH {
                        let _ = actor.cast(CounterMsg::Text(TEXTS[i as usize % 3]));
                    }
                    let (done, wait) = oneshot::channel();
                    let _ = actor.cast(CounterMsg::Done(done));
                    let _ = wait.await;
                    total += start.elapsed();
                }
                total
            }
        });
    });

    // One conversation per message of a batch, so the batch spreads over actors as traffic does.
    let engine = rt.block_on(async {
        let engine = Engine::start(Config::default()).await.expect("engine");
        for i in 0..BATCH {
            let id = format!("c{i}");
            engine.open(OpenConversation::new(&id, &id)).expect("open");
        }
        engine
    });
    let ids: Vec<String> = (0..BATCH).map(|i| format!("c{i}")).collect();
    group.bench_function("baton_customer_message", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let (engine, ids) = (engine.clone(), ids.clone());
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    for (i, id) in ids.iter().enumerate() {
                        black_box(engine.customer_message(id, TEXTS[i % 3]).expect("message"));
                    }
                    while !engine.is_quiet() {
                        tokio::task::yield_now().await;
                    }
                    total += start.elapsed();
                }
                total
            }
        });
    });
    group.finish();
    actor.stop(None);
}

criterion_group!(benches, floors);
criterion_main!(benches);
