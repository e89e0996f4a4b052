//! One node at contact-center scale, through the `Engine` API on a 2-worker runtime: logins,
//! escalation → offer and slot freed → offer against the number of free agents on a skill,
//! adding a customer against the number already waiting, memory and CPU per message with
//! 100,000 conversations and 10,000 agents (live and hibernated), and how late a 1 ms timer
//! fires meanwhile (with the server's 1 s sampler running).
//!
//! ```text
//! cargo run --release -p baton-benches --example scale -- all
//! cargo run --release -p baton-benches --example scale -- offer 100 1000 3000 10000
//! cargo run --release -p baton-benches --example scale -- freed 100 1000 3000 10000
//! cargo run --release -p baton-benches --example scale -- enqueue 0 10000 45000
//! cargo run --release -p baton-benches --example scale -- memory 100000
//! cargo run --release -p baton-benches --no-default-features --example scale -- memory 100000
//! ```
//!
//! The last line runs with the system allocator instead of mimalloc, for comparison.
//! Latencies are medians and 99th percentiles of single operations, each timed alone (the
//! engine quiet before it starts). Linux only for RSS and CPU (/proc/self).

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::Duration;

use baton_engine::config::{Config, TopicConfig};
use baton_engine::engine::{AgentEvent, AgentLogin, ConversationEvent, Engine, OpenConversation};
use tokio::sync::mpsc;
use tokio::time::Instant;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SKILLS: usize = 200;
const AGENTS: usize = 10_000;
const SAMPLES: usize = 300;
const ASK: &str = "can I talk to an agent please";

fn rss_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: f64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096.0 / (1024.0 * 1024.0)
}

/// This process's CPU time (user + system), seconds.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}

fn pct(samples: &mut [u64], p: f64) -> u64 {
    samples.sort_unstable();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn summary(samples: &mut [u64]) -> String {
    format!("p50 {:>6} µs  p99 {:>6} µs", pct(samples, 0.5) / 1000, pct(samples, 0.99) / 1000)
}

/// 200 topics, one per skill, so a conversation opened with topic `t{i}` goes to `s{i}`.
fn config() -> Config {
    let mut config = Config::default();
    config.routing.offer_timeout_s = 3_600;
    config.topics.extend((0..SKILLS).map(|i| TopicConfig {
        id: format!("t{i}"),
        skill: format!("s{i}"),
        mandatory: false,
        sensitive: false,
        priority: None,
        phrases: vec![format!("zqx{i} widget")],
        except: Vec::new(),
        intents: Vec::new(),
    }));
    config
}

async fn engine(config: Config) -> Engine {
    Engine::start(config).await.unwrap()
}

async fn quiet(engine: &Engine) {
    while !engine.is_quiet() {
        tokio::task::yield_now().await;
    }
}

/// Offers to any agent, as (conversation, agent, when), from one forwarding task per agent.
type Offers = mpsc::UnboundedReceiver<(String, String, Instant)>;

fn login_all(engine: &Engine, logins: Vec<AgentLogin>) -> (Offers, Duration) {
    let (tx, rx) = mpsc::unbounded_channel();
    let start = Instant::now();
    let mut receivers = Vec::with_capacity(logins.len());
    for login in logins {
        let id = login.id.clone();
        receivers.push((id, engine.agent_login(login).unwrap()));
    }
    let took = start.elapsed();
    for (id, mut events) in receivers {
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Ok(event) = events.recv().await {
                if let AgentEvent::Offer { conversation, .. } = event {
                    let _ = tx.send((conversation, id.clone(), Instant::now()));
                }
            }
        });
    }
    (rx, took)
}

async fn offer_of(offers: &mut Offers, conv: &str) -> (String, Instant) {
    loop {
        let (c, agent, at) = offers.recv().await.unwrap();
        if c == conv {
            return (agent, at);
        }
    }
}

/// 10,000 agents over 200 skills: each has two (proficiency 1–5), 100 agents per skill.
fn spread_agents(capacity: u32) -> Vec<AgentLogin> {
    (0..AGENTS)
        .map(|i| {
            let skills = vec![
                (format!("s{}", i % SKILLS), (i % 5) as u8 + 1),
                (format!("s{}", (i + 7) % SKILLS), ((i + 2) % 5) as u8 + 1),
            ];
            AgentLogin::new(format!("a{i}"), skills, capacity)
        })
        .collect()
}

fn general_agents(n: usize, capacity: u32) -> Vec<AgentLogin> {
    (0..n)
        .map(|i| {
            AgentLogin::new(format!("a{i}"), vec![("general".into(), (i % 5) as u8 + 1)], capacity)
        })
        .collect()
}

async fn logins() {
    let engine = engine(config()).await;
    let (_offers, took) = login_all(&engine, spread_agents(4));
    println!("logins: {AGENTS} agents over {SKILLS} skills in {:.0} ms", took.as_secs_f64() * 1e3);
    engine.shutdown().await;
}

/// Escalation → offer with every agent free; `topic` picks a skill per sample.
async fn escalation_to_offer(
    engine: &Engine,
    offers: &mut Offers,
    topic: impl Fn(usize) -> Option<String>,
) -> String {
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let id = format!("e{i}");
        engine
            .open(OpenConversation { topic: topic(i), ..OpenConversation::new(&id, &id) })
            .unwrap();
        // Settle by waiting, not by `is_quiet`: its walk over every cell (milliseconds at
        // 10,000 agents) cools the caches the measured path then runs on.
        tokio::time::sleep(Duration::from_millis(2)).await;
        let start = Instant::now();
        let decision = engine.customer_message(&id, ASK).unwrap();
        assert!(decision.escalate, "the ask escalates");
        let (_, at) = offer_of(offers, &id).await;
        samples.push((at - start).as_nanos() as u64);
        // Closing revokes the offer: every agent stays free.
        engine.close(&id, "measured", None).await.unwrap();
    }
    summary(&mut samples)
}

async fn offer(sizes: &[usize]) {
    for &n in sizes {
        let engine = engine(config()).await;
        let (mut offers, _) = login_all(&engine, general_agents(n, 100));
        quiet(&engine).await;
        let line = escalation_to_offer(&engine, &mut offers, |_| None).await;
        println!("escalation → offer, {n:>5} free agents on one skill: {line}");
        engine.shutdown().await;
    }
    let engine = engine(config()).await;
    let (mut offers, _) = login_all(&engine, spread_agents(100));
    quiet(&engine).await;
    let line =
        escalation_to_offer(&engine, &mut offers, |i| Some(format!("t{}", (i * 37) % SKILLS)))
            .await;
    println!("escalation → offer, {AGENTS} agents over {SKILLS} skills:     {line}");
    engine.shutdown().await;
}

/// Slot freed → offer: `n` agents with one slot each, all busy, one customer waiting; the
/// time from closing one agent's conversation to the waiting customer's offer.
async fn freed(sizes: &[usize]) {
    for &n in sizes {
        let engine = engine(config()).await;
        let (mut offers, _) = login_all(&engine, general_agents(n, 1));
        let mut held: HashMap<String, String> = HashMap::new();
        for i in 0..n {
            let id = format!("h{i}");
            engine.open(OpenConversation::new(&id, &id)).unwrap();
            engine.customer_message(&id, ASK).unwrap();
            let (agent, _) = offer_of(&mut offers, &id).await;
            held.insert(agent, id);
        }
        quiet(&engine).await;
        let mut agent = "a0".to_owned();
        let mut samples = Vec::with_capacity(SAMPLES);
        for i in 0..SAMPLES {
            let id = format!("w{i}");
            engine.open(OpenConversation::new(&id, &id)).unwrap();
            engine.customer_message(&id, ASK).unwrap();
            // Queued by now; settle by waiting rather than by `is_quiet`'s walk (see above).
            tokio::time::sleep(Duration::from_millis(2)).await;
            let holding = held.remove(&agent).unwrap();
            let start = Instant::now();
            engine.close(&holding, "measured", None).await.unwrap();
            let (to, at) = offer_of(&mut offers, &id).await;
            samples.push((at - start).as_nanos() as u64);
            held.insert(to.clone(), id);
            agent = to;
        }
        println!("slot freed → offer, {n:>5} busy agents on one skill: {}", summary(&mut samples));
        engine.shutdown().await;
    }
}

/// Adding a customer to a queue nobody staffs, with `size` already waiting.
async fn enqueue(sizes: &[usize]) {
    const BATCH: usize = 1_000;
    let mut config = config();
    config.callback.enabled = false;
    let engine = engine(config).await;
    // Warm the allocator and the queue up first: the first batch otherwise pays for the
    // process's first pages.
    for i in 0..5_000 {
        let id = format!("warm{i}");
        engine.open(OpenConversation::new(&id, &id)).unwrap();
        engine.customer_message(&id, ASK).unwrap();
    }
    quiet(&engine).await;
    for i in 0..5_000 {
        engine.close(&format!("warm{i}"), "warm-up", None).await.unwrap();
    }
    quiet(&engine).await;
    let mut waiting = 0;
    for &size in sizes {
        while waiting < size {
            let id = format!("q{waiting}");
            engine.open(OpenConversation::new(&id, &id)).unwrap();
            engine.customer_message(&id, ASK).unwrap();
            waiting += 1;
            if waiting % 5_000 == 0 {
                quiet(&engine).await;
            }
        }
        quiet(&engine).await;
        let ids: Vec<String> = (waiting..waiting + BATCH).map(|i| format!("q{i}")).collect();
        let start = Instant::now();
        let mut told = Vec::with_capacity(BATCH);
        for id in &ids {
            told.push(engine.open_subscribed(OpenConversation::new(id, id)).unwrap());
            engine.customer_message(id, ASK).unwrap();
        }
        waiting += BATCH;
        // Added once the queue has told the customer its place.
        for mut events in told {
            while !matches!(events.recv().await, Ok(ConversationEvent::Waiting { .. })) {}
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / BATCH as f64;
        let depth = engine.queue_view("general").map_or(0, |q| q.waiting.len());
        println!(
            "adding a customer with {size:>6} waiting: {per:.1} µs each (now {depth} waiting)"
        );
    }
    engine.shutdown().await;
}

/// Messages to every conversation once; CPU seconds of this process per message.
async fn cpu_per_message(engine: &Engine, n: usize, text: &str) -> f64 {
    let before = cpu_s();
    for i in 0..n {
        engine.customer_message(&format!("c{i:06}"), text).unwrap();
    }
    quiet(engine).await;
    (cpu_s() - before) / n as f64
}

/// 1 ms sleeps for `seconds`, with the server's sampler (`metrics_sample` every second):
/// how late each wake-up was.
async fn timer_lateness(engine: &Engine, seconds: u64) -> String {
    let sampler = {
        let engine = engine.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                std::hint::black_box(engine.metrics_sample());
            }
        })
    };
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut late = Vec::new();
    while Instant::now() < end {
        let start = Instant::now();
        tokio::time::sleep(Duration::from_millis(1)).await;
        late.push((start.elapsed().saturating_sub(Duration::from_millis(1))).as_nanos() as u64);
    }
    sampler.abort();
    let max = late.iter().max().copied().unwrap_or(0);
    format!("{} over {} sleeps, max {} µs", summary(&mut late), late.len(), max / 1000)
}

async fn memory(n: usize) {
    let mut config = config();
    config.engine.hibernate_after_s = 5;
    let engine = engine(config).await;
    println!("timers (empty engine): 1 ms sleep lateness {}", timer_lateness(&engine, 10).await);
    let rss0 = rss_mib();
    let (_offers, _) = login_all(&engine, spread_agents(4));
    quiet(&engine).await;
    let agents = rss_mib();
    println!(
        "memory: {AGENTS} agents over {SKILLS} skills: {:.0} MiB ({:.2} KiB per agent)",
        agents - rss0,
        (agents - rss0) * 1024.0 / AGENTS as f64
    );
    for i in 0..n {
        let id = format!("c{i:06}");
        engine.open(OpenConversation::new(&id, &id)).unwrap();
        engine.customer_message(&id, "hi, where is my order?").unwrap();
        if i % 10_000 == 9_999 {
            quiet(&engine).await;
        }
    }
    quiet(&engine).await;
    let live = rss_mib();
    let per = |rss: f64| (rss - agents) * 1024.0 / n as f64;
    println!(
        "memory: {n} conversations + {AGENTS} agents, live actors: RSS {live:.0} MiB ({:.2} KiB per conversation)",
        per(live)
    );
    let cpu = cpu_per_message(&engine, n, "it was supposed to come on Monday").await;
    println!(
        "cpu: {:.1} µs per customer message to a live conversation ({n} conversations)",
        cpu * 1e6
    );
    println!("timers (live): 1 ms sleep lateness {}", timer_lateness(&engine, 10).await);
    while engine.stats().hibernating < n as u64 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Let the stopped actors' supervision events drain.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let slept = rss_mib();
    println!(
        "memory: after hibernation: RSS {slept:.0} MiB ({:.2} KiB per conversation)",
        per(slept)
    );
    println!("timers (hibernated): 1 ms sleep lateness {}", timer_lateness(&engine, 10).await);
    let cpu = cpu_per_message(&engine, n, "ok thanks").await;
    println!("cpu: {:.1} µs per customer message waking a hibernated conversation", cpu * 1e6);
    engine.shutdown().await;
}

fn sizes(args: &[String], default: &[usize]) -> Vec<usize> {
    let given: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if given.is_empty() { default.to_vec() } else { given }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map_or("all", String::as_str).to_owned();
    let rest = args.get(1..).unwrap_or(&[]).to_vec();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let allocator = if cfg!(feature = "mimalloc") { "mimalloc" } else { "system" };
    println!("allocator: {allocator}");
    rt.block_on(async move {
        match what.as_str() {
            "logins" => logins().await,
            "offer" => offer(&sizes(&rest, &[100, 1_000, 3_000, 10_000])).await,
            "freed" => freed(&sizes(&rest, &[100, 1_000, 3_000, 10_000])).await,
            "enqueue" => enqueue(&sizes(&rest, &[0, 10_000, 45_000])).await,
            "memory" => memory(sizes(&rest, &[100_000])[0]).await,
            "all" => {
                logins().await;
                offer(&[100, 1_000, 3_000, 10_000]).await;
                freed(&[100, 1_000, 3_000, 10_000]).await;
                enqueue(&[0, 10_000, 45_000]).await;
                memory(100_000).await;
            }
            other => panic!("unknown part {other:?}: logins, offer, freed, enqueue, memory, all"),
        }
    });
}
