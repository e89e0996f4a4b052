//! Wait estimates per phase beside the oracle, when the engine runs in this process.
//!
//! When a customer joins a queue (its `waiting` event), the floor is photographed: every
//! queue's waiting keys, every agent's free and busy slots with how long each has been in its
//! phase (the agents' tasks note offers, chats and wrap-ups here). When the customer's agent
//! joins, the wait is known. After the run each photograph becomes the oracle's prediction
//! (`crate::oracle`), and each phase of the scenario gets every estimator's median and mean
//! absolute error beside the oracle's.

use std::collections::BTreeMap;
use std::sync::Mutex;

use baton_engine::engine::Engine;
use baton_engine::routing::Presence;
use dashmap::DashMap;
use tokio::time::Instant;

use crate::oracle::{self, Busy, Desk, Floor, Target};
use crate::report::{EwtPhase, PhaseAccuracy};
use crate::rng::{Dist, Rng};
use crate::scenario::Scenario;

/// The oracle photographs the floor at every enqueue; past this many agents that costs more
/// than the run can spare, and the per-phase table is left out.
pub(super) const MAX_AGENTS: u64 = 1_000;

/// Monte Carlo draws per customer.
const SAMPLES: usize = 1_000;

/// What an agent is doing with a conversation, since when.
#[derive(Debug, Clone, Copy)]
enum Doing {
    Offered,
    Talking,
    Wrapping,
}

/// A customer's wait as it was when they joined the queue.
struct Joined {
    enqueued_ms: u64,
    /// Scenario seconds at enqueue, for the phase.
    at_s: f64,
    estimates: Vec<(&'static str, Option<u64>)>,
    /// Engine milliseconds from enqueue to the photograph.
    lag_ms: f64,
    shot: Shot,
}

/// The photograph.
enum Shot {
    Floor(Floor, Target),
    /// Already offered when photographed: the wait is what is left of that agent's answer.
    Offered {
        elapsed_ms: f64,
        answer: Dist,
    },
}

pub(super) struct Watch {
    engine: Engine,
    /// Agent id → its pool's handle and answer distributions.
    agents: Vec<(String, Dist, Dist)>,
    doing: DashMap<String, (Doing, Instant)>,
    waiting: DashMap<String, Joined>,
    served: Mutex<Vec<(Joined, u64)>>,
    wrap_ms: f64,
    ms_per_s: f64,
    start: Instant,
    time_scale: f64,
}

impl Watch {
    pub(super) fn new(
        engine: Engine,
        agents: Vec<(String, Dist, Dist)>,
        wrap_up_s: u64,
        scenario: &Scenario,
        start: Instant,
    ) -> Watch {
        Watch {
            engine,
            agents,
            doing: DashMap::new(),
            waiting: DashMap::new(),
            served: Mutex::new(Vec::new()),
            wrap_ms: wrap_up_s as f64 * 1000.0,
            ms_per_s: 1000.0 / scenario.time_scale,
            start,
            time_scale: scenario.time_scale,
        }
    }

    pub(super) fn offered(&self, conversation: &str) {
        self.doing.insert(conversation.to_owned(), (Doing::Offered, Instant::now()));
    }

    pub(super) fn talking(&self, conversation: &str) {
        self.doing.insert(conversation.to_owned(), (Doing::Talking, Instant::now()));
    }

    pub(super) fn wrapping(&self, conversation: &str) {
        self.doing.insert(conversation.to_owned(), (Doing::Wrapping, Instant::now()));
    }

    /// The customer was told its place in line: photograph the floor if this is a new wait.
    pub(super) fn waiting(&self, conversation: &str) {
        let Some(view) = self.engine.waiting(conversation) else { return };
        if self.waiting.get(conversation).is_some_and(|j| j.enqueued_ms == view.enqueued_ms) {
            return;
        }
        let lag_ms = self.engine.now_ms().saturating_sub(view.enqueued_ms) as f64;
        let shot = match view.position {
            Some(_) => match self.floor(&view.skill, view.key_ms) {
                Some((floor, target)) => Shot::Floor(floor, target),
                None => return,
            },
            None => {
                let Some(agent) = self
                    .engine
                    .queue_view(&view.skill)
                    .and_then(|q| q.offered.into_iter().find(|(c, _)| c == conversation))
                    .map(|(_, agent)| agent)
                else {
                    return;
                };
                let Some((_, _, answer)) = self.agents.iter().find(|(id, ..)| *id == agent) else {
                    return;
                };
                Shot::Offered { elapsed_ms: self.elapsed_ms(conversation), answer: *answer }
            }
        };
        let at_s = self.start.elapsed().as_secs_f64() * self.time_scale;
        let joined = Joined {
            enqueued_ms: view.enqueued_ms,
            at_s,
            estimates: view.estimates_at_enqueue,
            lag_ms,
            shot,
        };
        self.waiting.insert(conversation.to_owned(), joined);
    }

    /// The customer's agent joined: the wait is over.
    pub(super) fn joined(&self, conversation: &str) {
        if let Some((_, joined)) = self.waiting.remove(conversation) {
            let wait = self.engine.now_ms().saturating_sub(joined.enqueued_ms);
            self.served.lock().unwrap_or_else(|e| e.into_inner()).push((joined, wait));
        }
    }

    fn elapsed_ms(&self, conversation: &str) -> f64 {
        self.doing.get(conversation).map_or(0.0, |d| d.1.elapsed().as_secs_f64() * 1000.0)
    }

    /// Every queue and agent now, the target (in `skill`, key `key_ms`) among them.
    fn floor(&self, skill: &str, key_ms: i64) -> Option<(Floor, Target)> {
        let skills = self.engine.skills();
        let target = skills.iter().position(|s| s == skill)?;
        let queues = skills
            .iter()
            .map(|s| {
                let waiting = self.engine.queue_view(s).map(|q| q.waiting).unwrap_or_default();
                waiting.iter().filter_map(|c| self.engine.waiting(c)).map(|w| w.key_ms).collect()
            })
            .collect();
        let mut desks = Vec::with_capacity(self.agents.len());
        for (agent, handle, answer) in &self.agents {
            let Some(view) = self.engine.agent_view(agent) else { continue };
            if view.presence == Presence::Offline {
                continue;
            }
            let busy: Vec<Busy> = (view.offers.iter().map(|c| (c, Doing::Offered)))
                .chain(view.assigned.iter().map(|c| (c, Doing::Talking)))
                .chain(view.wrapping.iter().map(|c| (c, Doing::Wrapping)))
                .map(|(c, doing)| {
                    let elapsed_ms = self.elapsed_ms(c);
                    match self.doing.get(c).map_or(doing, |d| d.0) {
                        Doing::Offered => Busy::Offered { elapsed_ms },
                        Doing::Talking => Busy::Talking { elapsed_ms },
                        Doing::Wrapping => Busy::Wrapping { elapsed_ms },
                    }
                })
                .collect();
            let free = if view.presence == Presence::Available {
                view.capacity.saturating_sub(busy.len() as u32)
            } else {
                0
            };
            let queues = view
                .skills
                .iter()
                .filter_map(|(s, _)| skills.iter().position(|k| k == s))
                .collect();
            desks.push(Desk { queues, free, busy, handle: *handle, answer: *answer });
        }
        let floor = Floor { queues, desks, wrap_ms: self.wrap_ms, ms_per_s: self.ms_per_s };
        Some((floor, Target { queue: target, key: key_ms }))
    }

    /// Each phase's figures: every estimator and the oracle, over the customers who joined a
    /// queue in it and were served.
    pub(super) fn phases(&self, scenario: &Scenario, seed: u64) -> Vec<EwtPhase> {
        let served = std::mem::take(&mut *self.served.lock().unwrap_or_else(|e| e.into_inner()));
        let bounds = phase_bounds(scenario);
        let mut rng = Rng::new(seed);
        // Phase → estimator → absolute percentage errors.
        let mut errors: BTreeMap<usize, BTreeMap<&'static str, Vec<f64>>> = BTreeMap::new();
        for (joined, wait) in served {
            if wait == 0 {
                continue;
            }
            let wait = wait as f64;
            let samples: Vec<f64> = match &joined.shot {
                Shot::Floor(floor, target) => floor.samples(*target, SAMPLES, &mut rng),
                Shot::Offered { elapsed_ms, answer } => (0..SAMPLES)
                    .map(|_| {
                        self.ms_per_s * answer.sample_after(elapsed_ms / self.ms_per_s, &mut rng)
                    })
                    .collect(),
            };
            let samples: Vec<f64> = samples.into_iter().map(|w| w + joined.lag_ms).collect();
            let best = oracle::best_point(&samples).map(|ms| ms.round() as u64);
            let phase = bounds.iter().rposition(|(from, _)| joined.at_s >= *from).unwrap_or(0);
            let by = errors.entry(phase).or_default();
            for (name, estimate) in joined.estimates.iter().copied().chain([("oracle", best)]) {
                if let Some(estimate) = estimate {
                    by.entry(name).or_default().push(oracle::ape(estimate as f64, wait));
                }
            }
        }
        errors
            .into_iter()
            .map(|(i, by)| {
                let (from_s, to_s) = bounds[i];
                let summary: BTreeMap<&str, (u64, f64, f64)> =
                    by.into_iter().map(|(name, mut apes)| (name, summarize(&mut apes))).collect();
                let best = summary.get("oracle").copied();
                let estimators = summary
                    .iter()
                    .map(|(name, &(n, median, mean))| {
                        let times = |x: f64, of: f64| if of > 0.0 { x / of } else { f64::NAN };
                        let (x_median, x_mean) = best
                            .map_or((f64::NAN, f64::NAN), |(_, bm, bx)| {
                                (times(median, bm), times(mean, bx))
                            });
                        let accuracy = PhaseAccuracy {
                            n,
                            median_abs_pct_err: median,
                            mape: mean,
                            x_oracle_median: x_median,
                            x_oracle_mean: x_mean,
                        };
                        (name.to_string(), accuracy)
                    })
                    .collect();
                EwtPhase { name: phase_name(scenario, from_s, to_s), from_s, to_s, estimators }
            })
            .collect()
    }
}

/// (n, median %, mean %) of absolute percentage errors.
fn summarize(apes: &mut [f64]) -> (u64, f64, f64) {
    apes.sort_by(f64::total_cmp);
    let n = apes.len();
    if n == 0 {
        return (0, f64::NAN, f64::NAN);
    }
    let median = if n % 2 == 1 { apes[n / 2] } else { (apes[n / 2 - 1] + apes[n / 2]) / 2.0 };
    (n as u64, 100.0 * median, 100.0 * apes.iter().sum::<f64>() / n as f64)
}

/// The scenario's phases: cut wherever the arrival rate steps or agents log off or on, and
/// at the end of arrivals (the drain is a phase of its own).
pub(super) fn phase_bounds(scenario: &Scenario) -> Vec<(f64, f64)> {
    let end = scenario.duration_s + scenario.drain_s;
    let mut cuts = vec![0.0, scenario.duration_s, end];
    let points = &scenario.arrivals;
    for pair in points.windows(2) {
        // A step is two points at one time; a ramp's ends cut too.
        if pair[0].per_min != pair[1].per_min {
            cuts.push(pair[0].at_s);
            cuts.push(pair[1].at_s);
        }
    }
    for pool in scenario.agents.iter().filter(|p| p.log_off_share > 0.0) {
        cuts.extend(pool.log_off_at_s);
        cuts.extend(pool.log_on_at_s);
    }
    cuts.retain(|c| (0.0..=end).contains(c));
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    cuts.windows(2).filter(|w| w[1] > w[0]).map(|w| (w[0], w[1])).collect()
}

/// "900–960 s · 60/min", "600–1500 s · 8/min · 4 agents off", "1800–2400 s · drain".
fn phase_name(scenario: &Scenario, from_s: f64, to_s: f64) -> String {
    let mid = (from_s + to_s) / 2.0;
    let mut name = format!("{from_s:.0}–{to_s:.0} s");
    if from_s >= scenario.duration_s {
        name.push_str(" · drain");
    } else {
        name.push_str(&format!(" · {:.0}/min", 60.0 * scenario.rate_at(mid)));
    }
    let off: u32 = scenario
        .agents
        .iter()
        .filter(|p| {
            p.log_off_at_s.is_some_and(|t| t <= from_s) && p.log_on_at_s.is_none_or(|t| t >= to_s)
        })
        .map(|p| (f64::from(p.count) * p.log_off_share).round() as u32)
        .sum();
    if off > 0 {
        name.push_str(&format!(" · {off} agents off"));
    }
    name
}
