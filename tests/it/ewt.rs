//! Expected-wait estimators side by side on one simulated workload through the engine:
//! steady Poisson arrivals, a spike to ten times the rate, an outage of a third of the agents.
//! For every customer who waited, each estimator's prediction at enqueue time is scored
//! against the wait the customer actually had (absolute percentage error), per phase and
//! overall, beside the oracle: the best prediction possible from the floor's state at
//! enqueue time and the real handle-time distribution (`baton_loadgen::oracle`).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{AgentEvent, Engine};
use baton_loadgen::oracle::{self, Busy, Desk, Floor, Target};
use baton_loadgen::rng::{Dist, Rng as OracleRng};
use tokio::sync::broadcast::Receiver;
use tokio::time::Instant;

use crate::engine::{login, open};
use crate::sim::{Rng, accept_all_offers};

const MINUTE: u64 = 60_000;
const AGENTS: usize = 12;

/// The phase a customer arriving at `ms` belongs to.
fn phase(ms: u64) -> &'static str {
    match ms / MINUTE {
        0..60 => "warm-up",
        60..180 => "steady",
        180..185 => "spike",
        185..240 => "after spike",
        240..300 => "outage",
        _ => "recovery",
    }
}

fn arrival_mean_s(ms: u64) -> f64 {
    if phase(ms) == "spike" { 1.8 } else { 18.0 }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Arrival(u64),
    Done(u64),
    Outage,
    Recovery,
}

/// When a customer started waiting, and each estimator's prediction then.
type Enqueued = (u64, Vec<(&'static str, Option<u64>)>);

/// Absolute percentage errors per phase per estimator.
type Errors = BTreeMap<&'static str, BTreeMap<&'static str, Vec<f64>>>;

/// The oracle's estimate for the customer at `position` of the single queue: every agent's
/// busy slots free after an exponential handle time (memoryless, so how long they have been
/// busy does not matter), offers are accepted at once and there is no wrap-up.
fn oracle_estimate(
    engine: &Engine,
    desks: &[(String, Receiver<AgentEvent>)],
    position: usize,
    rng: &mut OracleRng,
) -> Option<u64> {
    let waiting = engine.queue_view("general").map_or(0, |q| q.waiting.len());
    let desks = desks
        .iter()
        .filter_map(|(agent, _)| engine.agent_view(agent))
        .map(|view| Desk {
            queues: vec![0],
            free: view.capacity.saturating_sub(view.used_slots),
            busy: vec![Busy::Talking { elapsed_ms: 0.0 }; view.used_slots as usize],
            handle: Dist::Exponential { mean_s: 180.0 },
            answer: Dist::Fixed { s: 0.0 },
        })
        .collect();
    let floor = Floor {
        queues: vec![(0..waiting.max(position + 1) as i64).collect()],
        desks,
        wrap_ms: 0.0,
        ms_per_s: 1000.0,
    };
    let samples = floor.samples(Target { queue: 0, key: position as i64 }, 1_000, rng);
    oracle::best_point(&samples).map(|ms| ms.round() as u64)
}

fn summarize(apes: &mut [f64]) -> (usize, f64, f64) {
    apes.sort_by(f64::total_cmp);
    let n = apes.len();
    if n == 0 {
        return (0, f64::NAN, f64::NAN);
    }
    let median = if n % 2 == 1 { apes[n / 2] } else { (apes[n / 2 - 1] + apes[n / 2]) / 2.0 };
    (n, 100.0 * median, 100.0 * apes.iter().sum::<f64>() / n as f64)
}

#[tokio::test(start_paused = true)]
async fn model_beats_the_anchors_overall_and_under_stress() {
    let mut config = Config::default();
    config.routing.offer_timeout_s = 3600;
    config.routing.initial_handle_s = 180;
    let engine = Engine::start(config).await.expect("engine");
    let mut desks: Vec<(String, Receiver<AgentEvent>)> = (0..AGENTS)
        .map(|i| (format!("a{i}"), login(&engine, &format!("a{i}"), &[("general", 3)], 1)))
        .collect();
    let start = Instant::now();
    let mut rng = Rng(2026);
    let mut oracle_rng = OracleRng::new(2026);
    let mut timeline: BinaryHeap<Reverse<(u64, Event)>> = BinaryHeap::new();
    timeline.push(Reverse((0, Event::Arrival(0))));
    timeline.push(Reverse((240 * MINUTE, Event::Outage)));
    timeline.push(Reverse((300 * MINUTE, Event::Recovery)));
    let end = 360 * MINUTE;
    let mut arrived: HashMap<u64, Enqueued> = HashMap::new();
    let mut cancelled: HashSet<u64> = HashSet::new();
    let mut errors: Errors = BTreeMap::new();
    let now_ms = || u64::try_from(Instant::now().duration_since(start).as_millis()).expect("ms");
    while let Some(Reverse((when, event))) = timeline.pop() {
        tokio::time::sleep_until(start + Duration::from_millis(when)).await;
        match event {
            Event::Arrival(n) => {
                let id = format!("c{n}");
                drop(open(&engine, &id));
                engine.customer_message(&id, "agent please").expect("message");
                let next = when + rng.exp_ms(arrival_mean_s(when));
                if next < end {
                    timeline.push(Reverse((next, Event::Arrival(n + 1))));
                }
            }
            Event::Done(n) => {
                if !cancelled.remove(&n) {
                    engine.close(&format!("c{n}"), "resolved", None).await.expect("close");
                }
            }
            Event::Outage => {
                // A third of the agents log off; their customers go back to the queue.
                for (agent, _) in desks.drain(..AGENTS / 3) {
                    if let Some(view) = engine.agent_view(&agent) {
                        for conv in view.assigned {
                            cancelled.insert(conv[1..].parse().expect("numbered"));
                        }
                    }
                    engine.logout(&agent).await.expect("logout");
                }
            }
            Event::Recovery => {
                for i in 0..AGENTS / 3 {
                    let id = format!("b{i}");
                    let rx = login(&engine, &id, &[("general", 3)], 1);
                    desks.push((id, rx));
                }
            }
        }
        loop {
            assert!(engine.settle(1_000_000).await);
            // Estimates at enqueue time of everyone who joined the queue just now.
            for (state, ids) in engine.conversations_by_state() {
                if state != baton_engine::engine::State::Queued {
                    continue;
                }
                for id in ids {
                    let n: u64 = id[1..].parse().expect("numbered");
                    if let std::collections::hash_map::Entry::Vacant(slot) = arrived.entry(n)
                        && let Some(view) = engine.waiting(&id)
                    {
                        let mut estimates = view.estimates_at_enqueue;
                        let position = view.position.unwrap_or(0);
                        let best = oracle_estimate(&engine, &desks, position, &mut oracle_rng);
                        estimates.push(("oracle", best));
                        slot.insert((view.enqueued_ms, estimates));
                    }
                }
            }
            let accepted = accept_all_offers(&engine, &mut desks).await;
            if accepted.is_empty() {
                break;
            }
            for (_, conversation) in accepted {
                let n: u64 = conversation[1..].parse().expect("numbered");
                let now = now_ms();
                if let Some((enqueued, estimates)) = arrived.remove(&n) {
                    let wait = now - enqueued;
                    if wait > 0 {
                        for (name, estimate) in estimates {
                            let Some(estimate) = estimate else { continue };
                            let ape = (estimate as f64 - wait as f64).abs() / wait as f64;
                            for bucket in [phase(enqueued), "all"] {
                                errors
                                    .entry(bucket)
                                    .or_default()
                                    .entry(name)
                                    .or_default()
                                    .push(ape);
                            }
                        }
                    }
                }
                timeline.push(Reverse((now + rng.exp_ms(180.0), Event::Done(n))));
            }
        }
    }
    let mut table = String::from(
        "phase          estimator             n   MdAPE %   MAPE %   × oracle (MdAPE, MAPE)\n",
    );
    let mut results: BTreeMap<(&str, &str), (f64, f64)> = BTreeMap::new();
    for (phase, by_estimator) in &mut errors {
        let best = by_estimator.get_mut("oracle").map(|apes| summarize(apes));
        for (name, apes) in by_estimator {
            let (n, median, mean) = summarize(apes);
            let ratio = best.map_or(String::new(), |(_, bm, bmean)| {
                format!("{:8.2} {:6.2}", median / bm, mean / bmean)
            });
            table.push_str(&format!(
                "{phase:14} {name:20} {n:5} {median:8.1} {mean:8.1}   {ratio}\n"
            ));
            results.insert((phase, name), (median, mean));
        }
    }
    eprintln!("{table}");
    for (name, s) in engine.ewt_accuracy() {
        eprintln!(
            "engine report: {name}: n {} median {:.1} % mape {:.1} %",
            s.n, s.median_abs_pct_err, s.mape
        );
    }
    engine.shutdown().await;
    let get = |phase, name| {
        results.get(&(phase, name)).copied().unwrap_or((f64::INFINITY, f64::INFINITY))
    };
    // The oracle is the best point for each customer's own wait distribution, so over many
    // customers nobody's median error is far below it (it does not foresee the outage, so
    // the outage phase is left out).
    for phase in ["all", "steady", "spike"] {
        let best = get(phase, "oracle");
        for name in ["model", "salesforce_weighted", "asterisk_ewma"] {
            let other = get(phase, name);
            assert!(
                best.0 <= other.0 * 1.02,
                "{phase}: oracle {best:?} vs {name} {other:?}\n{table}"
            );
        }
    }
    for phase in ["all", "spike", "outage"] {
        let model = get(phase, "model");
        for anchor in ["salesforce_weighted", "asterisk_ewma"] {
            let other = get(phase, anchor);
            assert!(
                model.0 < other.0 && model.1 < other.1,
                "{phase}: model {model:?} vs {anchor} {other:?}\n{table}"
            );
        }
    }
}
