//! The Erlang C check: Poisson arrivals and exponential handle times through the real engine
//! on paused time must reproduce the M/M/N values of case A (100 contacts per 30 minutes, AHT
//! 180 s, 12, 13 and 14 agents), computed here from the formula, which is first checked against
//! the published table in `tests/data/erlang-c`. A router that leaves an agent idle while a
//! customer waits, or serves out of order, lands elsewhere.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{AgentEvent, Engine, State};
use tokio::sync::broadcast::Receiver;
use tokio::time::Instant;

use crate::data::data_file;
use crate::engine::{login, open};
use crate::sim::{Rng, accept_all_offers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Arrival(u64),
    Done(u64),
}

/// Measured P(wait) and ASA over the customers after the warm-up.
#[derive(Debug)]
pub struct Measured {
    pub customers: usize,
    pub p_wait: f64,
    pub asa_s: f64,
}

/// Runs `customers` customers through an engine with `agents` single-slot agents.
pub async fn simulate(agents: usize, customers: u64, warmup: u64, seed: u64) -> Measured {
    let (arrival_mean_s, aht_s) = (18.0, 180.0);
    let mut config = Config::default();
    // No offer may expire in this model: agents answer at once.
    config.routing.offer_timeout_s = 3600;
    let engine = Engine::start(config).await.expect("engine");
    let mut receivers: Vec<(String, Receiver<AgentEvent>)> = (0..agents)
        .map(|i| {
            let id = format!("a{i}");
            let rx = login(&engine, &id, &[("general", 3)], 1);
            (id, rx)
        })
        .collect();
    let start = Instant::now();
    let at = |ms: u64| start + Duration::from_millis(ms);
    let mut rng = Rng(seed);
    let mut timeline: BinaryHeap<Reverse<(u64, Event)>> = BinaryHeap::new();
    timeline.push(Reverse((rng.exp_ms(arrival_mean_s), Event::Arrival(0))));
    let mut arrived_at: HashMap<u64, u64> = HashMap::new();
    let (mut measured, mut waited, mut total_wait_ms) = (0usize, 0usize, 0u64);
    while let Some(Reverse((when, event))) = timeline.pop() {
        tokio::time::sleep_until(at(when)).await;
        match event {
            Event::Arrival(n) => {
                let id = format!("c{n}");
                drop(open(&engine, &id));
                engine.customer_message(&id, "agent please").expect("message");
                arrived_at.insert(n, when);
                if n + 1 < customers {
                    timeline
                        .push(Reverse((when + rng.exp_ms(arrival_mean_s), Event::Arrival(n + 1))));
                }
            }
            Event::Done(n) => {
                let state = engine.close(&format!("c{n}"), "resolved", None).await.expect("close");
                assert_eq!(state, State::Closed);
            }
        }
        // Serve every offer made at this instant.
        for (_, conversation) in accept_all_offers(&engine, &mut receivers).await {
            let n: u64 = conversation[1..].parse().expect("numbered conversation");
            let now = u64::try_from(Instant::now().duration_since(start).as_millis()).expect("ms");
            let wait = now - arrived_at.remove(&n).expect("arrived");
            if n >= warmup {
                measured += 1;
                waited += usize::from(wait > 0);
                total_wait_ms += wait;
            }
            timeline.push(Reverse((now + rng.exp_ms(aht_s), Event::Done(n))));
        }
    }
    engine.shutdown().await;
    Measured {
        customers: measured,
        p_wait: waited as f64 / measured as f64,
        asa_s: total_wait_ms as f64 / 1000.0 / measured as f64,
    }
}

/// Erlang C for `agents` servers offered `traffic` erlangs: P(wait), by the Erlang B recursion
/// B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), then C = N·B / (N − A·(1 − B)).
pub fn erlang_c(agents: usize, traffic: f64) -> f64 {
    let b = (1..=agents).fold(1.0, |b, k| traffic * b / (k as f64 + traffic * b));
    let n = agents as f64;
    n * b / (n - traffic * (1.0 - b))
}

/// Case A: 100 contacts per 1,800 s, AHT 180 s (10 erlangs), service-level target 20 s.
const CASE_A: (f64, f64, f64) = (100.0, 1800.0, 180.0);

/// (agents, P(wait), service level, ASA s) of case A, computed from the formula.
fn computed(agents: usize) -> (f64, f64, f64) {
    let (calls, interval_s, aht_s) = CASE_A;
    let traffic = calls * aht_s / interval_s;
    let p_wait = erlang_c(agents, traffic);
    let spare = agents as f64 - traffic;
    let service_level = 1.0 - p_wait * (-spare * 20.0 / aht_s).exp();
    (p_wait, service_level, p_wait * aht_s / spare)
}

/// (agents, P(wait), service level, ASA s) as published (`tests/data/erlang-c/published.csv`).
fn published() -> Vec<(usize, f64, f64, f64)> {
    let path = data_file("erlang-c/published.csv");
    let text = std::fs::read_to_string(path).expect("published Erlang C table");
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<f64> =
                line.split(',').map(|v| v.parse().expect("number in the table")).collect();
            (f[0] as usize, f[1], f[2], f[3])
        })
        .collect()
}

#[test]
fn the_formula_reproduces_the_published_table() {
    let table = published();
    assert_eq!(table.len(), 4, "the table has 11 to 14 agents");
    for (agents, p_wait, service_level, asa_s) in table {
        let (p, sl, asa) = computed(agents);
        for (name, got, want) in
            [("P(wait)", p, p_wait), ("service level", sl, service_level), ("ASA", asa, asa_s)]
        {
            // The table gives 7 significant digits.
            assert!(
                ((got - want) / want).abs() < 1e-6,
                "{agents} agents: {name} computed {got}, published {want}"
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn routing_reproduces_erlang_c() {
    let reference: Vec<(usize, f64, f64)> = (12..=14)
        .map(|agents| {
            let (p_wait, _, asa_s) = computed(agents);
            (agents, p_wait, asa_s)
        })
        .collect();
    let customers = std::env::var("BATON_ERLANG_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(301_000);
    let seed: u64 =
        std::env::var("BATON_ERLANG_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0xba70_0000);
    let mut failures = Vec::new();
    for (agents, p_wait, asa_s) in reference {
        let m = simulate(agents, customers, 1_000, seed + agents as u64).await;
        let (dp, da) = ((m.p_wait - p_wait) / p_wait, (m.asa_s - asa_s) / asa_s);
        eprintln!(
            "erlang c, {agents} agents, {} customers: P(wait) {:.4} vs {p_wait:.4} ({:+.1}%), ASA {:.2} s vs {asa_s:.2} s ({:+.1}%)",
            m.customers,
            m.p_wait,
            dp * 100.0,
            m.asa_s,
            da * 100.0
        );
        if dp.abs() > 0.10 || da.abs() > 0.10 {
            failures.push(agents);
        }
    }
    assert!(failures.is_empty(), "outside 10% for {failures:?} agents");
}
