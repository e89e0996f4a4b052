//! The best wait prediction possible from the floor's state when a customer joins a queue:
//! the yardstick the estimators are read against ("× oracle").
//!
//! A Monte Carlo of the floor from that state. Each busy slot frees after what is left of its
//! current phase (the offer's answer delay, the chat's handle time, the wrap-up), drawn from
//! the scenario's real distributions conditioned on how long the phase has lasted already;
//! each free slot takes, across its agent's skills, the head with the smallest queue key (as
//! the engine does), holds it for an answer delay, a fresh handle time and the wrap-up, and
//! frees again. The target's wait is when its slot comes plus the answer delay.
//!
//! What the oracle does not know, it does not use: customers who arrive later (and may
//! overtake with a higher priority), agents who log off or on later, declines and offers left
//! to expire. It knows the distributions, not the draws.
//!
//! From the samples it takes the point that minimises the median absolute percentage error:
//! an estimate `e` is within `m` of a wait `w` when `w` lies in `[e/(1+m), e/(1−m)]`, so the
//! best `e` sits on the shortest interval in log time holding half the samples.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::rng::{Dist, Rng};

/// What a busy slot is doing, and for how long it has (milliseconds on the engine clock).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Busy {
    /// Offered, not answered yet.
    Offered { elapsed_ms: f64 },
    /// The agent is chatting.
    Talking { elapsed_ms: f64 },
    /// Wrapped up, in after-chat work.
    Wrapping { elapsed_ms: f64 },
}

/// One agent as the oracle sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Desk {
    /// Indexes into [`Floor::queues`] of the skills the agent serves.
    pub queues: Vec<usize>,
    /// Slots an offer could claim now.
    pub free: u32,
    pub busy: Vec<Busy>,
    /// The agent's handle-time and answer-delay distributions, scenario seconds.
    pub handle: Dist,
    pub answer: Dist,
}

/// The floor when the target joined its queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    /// Each skill queue's waiting customers as their queue keys (smaller is served first),
    /// the target among them.
    pub queues: Vec<Vec<i64>>,
    pub desks: Vec<Desk>,
    /// The engine's fixed after-chat time, milliseconds.
    pub wrap_ms: f64,
    /// Engine milliseconds per scenario second (1000 / time scale).
    pub ms_per_s: f64,
}

/// The target customer: its queue and its key there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub queue: usize,
    pub key: i64,
}

impl Floor {
    /// `n` samples of the target's wait in milliseconds, `f64::INFINITY` where no slot that
    /// serves its queue ever reaches it.
    pub fn samples(&self, target: Target, n: usize, rng: &mut Rng) -> Vec<f64> {
        let mut queues: Vec<Vec<i64>> = self.queues.clone();
        for q in &mut queues {
            q.sort_unstable();
        }
        let mut heap = BinaryHeap::new();
        let mut heads = vec![0usize; queues.len()];
        (0..n)
            .map(|_| {
                heap.clear();
                heads.iter_mut().for_each(|h| *h = 0);
                self.one(&queues, &mut heads, &mut heap, target, rng)
            })
            .collect()
    }

    fn one(
        &self,
        queues: &[Vec<i64>],
        heads: &mut [usize],
        heap: &mut BinaryHeap<Reverse<(Ms, usize)>>,
        target: Target,
        rng: &mut Rng,
    ) -> f64 {
        let s = self.ms_per_s;
        for (d, desk) in self.desks.iter().enumerate() {
            for _ in 0..desk.free {
                heap.push(Reverse((Ms(0.0), d)));
            }
            for busy in &desk.busy {
                let left = match *busy {
                    Busy::Offered { elapsed_ms } => {
                        s * desk.answer.sample_after(elapsed_ms / s, rng)
                            + s * desk.handle.sample(rng)
                            + self.wrap_ms
                    }
                    Busy::Talking { elapsed_ms } => {
                        s * desk.handle.sample_after(elapsed_ms / s, rng) + self.wrap_ms
                    }
                    Busy::Wrapping { elapsed_ms } => (self.wrap_ms - elapsed_ms).max(0.0),
                };
                heap.push(Reverse((Ms(left), d)));
            }
        }
        while let Some(Reverse((Ms(at), d))) = heap.pop() {
            let desk = &self.desks[d];
            // The head with the smallest key among the agent's queues.
            let Some(queue) = desk
                .queues
                .iter()
                .copied()
                .filter(|&q| heads[q] < queues[q].len())
                .min_by_key(|&q| (queues[q][heads[q]], q))
            else {
                // Nothing left that this agent serves, and nobody arrives later.
                continue;
            };
            let key = queues[queue][heads[queue]];
            heads[queue] += 1;
            let answer = s * desk.answer.sample(rng);
            if queue == target.queue && key == target.key {
                return at + answer;
            }
            heap.push(Reverse((Ms(at + answer + s * desk.handle.sample(rng) + self.wrap_ms), d)));
        }
        f64::INFINITY
    }
}

/// A total order on milliseconds for the heap (no NaN is ever pushed).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ms(f64);

impl Eq for Ms {}

impl PartialOrd for Ms {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ms {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The estimate that minimises the median absolute percentage error over `samples` (waits
/// in milliseconds): the shortest interval in log time holding half of them, `[lo, hi]`,
/// gives `e = lo · (1 + m)` with `m = (hi − lo) / (hi + lo)`. `None` when fewer than half the
/// samples are finite and positive. A zero wait cannot be scored in percent, so zeros are
/// left out (the accuracy bookkeeping leaves them out too).
pub fn best_point(samples: &[f64]) -> Option<f64> {
    let mut waits: Vec<f64> =
        samples.iter().copied().filter(|w| w.is_finite() && *w > 0.0).collect();
    if waits.len() * 2 < samples.len() || waits.is_empty() {
        return None;
    }
    waits.sort_by(f64::total_cmp);
    // Half of all samples, the unservable ones counting against the window.
    let half = samples.len().div_ceil(2).max(1);
    let (mut lo, mut hi) = (waits[0], waits[half - 1]);
    for i in 1..=waits.len() - half {
        let (a, b) = (waits[i], waits[i + half - 1]);
        if b / a < hi / lo {
            (lo, hi) = (a, b);
        }
    }
    let m = (hi - lo) / (hi + lo);
    Some(lo * (1.0 + m))
}

/// The absolute percentage error of an estimate against a wait (both milliseconds).
pub fn ape(estimate: f64, wait: f64) -> f64 {
    (estimate - wait).abs() / wait
}

#[cfg(test)]
mod tests {
    use super::*;

    fn median(mut xs: Vec<f64>) -> f64 {
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    }

    /// One queue served by `slots` busy single-slot agents, exponential handle times, no
    /// answer delay or wrap-up: the wait at position `k` is Gamma(k + 1, slots / mean).
    fn erlang(slots: usize, ahead: usize) -> (Floor, Target) {
        let desk = Desk {
            queues: vec![0],
            free: 0,
            busy: vec![Busy::Talking { elapsed_ms: 5_000.0 }],
            handle: Dist::Exponential { mean_s: 180.0 },
            answer: Dist::Fixed { s: 0.0 },
        };
        let floor = Floor {
            queues: vec![(0..=ahead as i64).collect()],
            desks: vec![desk; slots],
            wrap_ms: 0.0,
            ms_per_s: 1000.0,
        };
        (floor, Target { queue: 0, key: ahead as i64 })
    }

    /// The oracle's median error on fresh draws of the same wait distribution.
    fn oracle_mdape(floor: &Floor, target: Target) -> f64 {
        let mut rng = Rng::new(3);
        let point = best_point(&floor.samples(target, 20_000, &mut rng)).expect("servable");
        let fresh = floor.samples(target, 20_000, &mut rng);
        median(fresh.iter().map(|w| ape(point, *w)).collect())
    }

    #[test]
    fn the_gamma_limits_hold_one_and_ten_deep() {
        // Position 1: one exponential, the best median error is about 63 %.
        let (floor, target) = erlang(1, 0);
        let first = oracle_mdape(&floor, target);
        assert!((first - 0.63).abs() < 0.02, "{first}");
        // Ten to be served before the slot is the target's: Gamma(10), about 21 %.
        let (floor, target) = erlang(1, 9);
        let tenth = oracle_mdape(&floor, target);
        assert!((tenth - 0.21).abs() < 0.015, "{tenth}");
        // Many slots in parallel are the same sum at a faster rate.
        let (floor, target) = erlang(12, 9);
        let parallel = oracle_mdape(&floor, target);
        assert!((parallel - tenth).abs() < 0.015, "{parallel} vs {tenth}");
    }

    #[test]
    fn a_free_slot_serves_at_once_and_a_shared_agent_takes_the_older_head() {
        // One free agent: the wait is the answer delay alone.
        let mut rng = Rng::new(5);
        let free = Floor {
            queues: vec![vec![10]],
            desks: vec![Desk {
                queues: vec![0],
                free: 1,
                busy: vec![],
                handle: Dist::Fixed { s: 100.0 },
                answer: Dist::Fixed { s: 4.0 },
            }],
            wrap_ms: 30_000.0,
            ms_per_s: 1000.0,
        };
        let waits = free.samples(Target { queue: 0, key: 10 }, 10, &mut rng);
        assert!(waits.iter().all(|w| *w == 4_000.0), "{waits:?}");
        // An agent of two skills, busy for 50 s more (then 30 s wrap-up): the other queue's
        // head is older, so the target waits for it to be served too.
        let shared = Floor {
            queues: vec![vec![10], vec![5]],
            desks: vec![Desk {
                queues: vec![0, 1],
                free: 0,
                busy: vec![Busy::Talking { elapsed_ms: 50_000.0 }],
                handle: Dist::Fixed { s: 100.0 },
                answer: Dist::Fixed { s: 4.0 },
            }],
            ..free.clone()
        };
        let waits = shared.samples(Target { queue: 0, key: 10 }, 3, &mut rng);
        // 50 s + 30 s, then 4 + 100 + 30 s for the other customer, then 4 s.
        assert!(waits.iter().all(|w| *w == 218_000.0), "{waits:?}");
        // Nobody serves queue 1 in `free`: the target there is never reached.
        let never = Floor { queues: vec![vec![], vec![1]], ..free };
        let waits = never.samples(Target { queue: 1, key: 1 }, 3, &mut rng);
        assert!(waits.iter().all(|w| w.is_infinite()));
        assert_eq!(best_point(&waits), None);
    }

    #[test]
    fn the_best_point_is_exact_for_a_known_spread() {
        // Half the mass on [100, 300]: m = 0.5, e = 150 (within 50 % of 100 and of 300).
        let samples = [100.0, 300.0, 5_000.0, 90_000.0];
        let e = best_point(&samples).expect("point");
        assert!((e - 150.0).abs() < 1e-9, "{e}");
    }
}
