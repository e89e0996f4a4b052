//! Which customer an agent takes and which agent a customer gets.
//!
//! Priority with aging — score = priority × (seconds per point) + seconds waited — orders a
//! queue the same way at every instant, because the "now" term is common to all entries. So
//! each entry gets a fixed key, `enqueued_ms − priority × ms_per_point`, smallest first, FIFO
//! among equals by a sequence number; no re-sorting as time passes, and heads of different
//! queues compare directly.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::slots::SlotView;

/// An entry's place in a skill queue: smaller is served first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueueKey {
    /// Milliseconds on the engine clock, moved earlier by priority.
    pub virtual_ms: i64,
    /// Arrival order among equal keys.
    pub seq: u64,
}

impl QueueKey {
    /// The key of an entry queued at `enqueued_ms` with `priority`, where one priority point
    /// is worth `ms_per_point` of waiting.
    pub fn new(enqueued_ms: u64, priority: u8, ms_per_point: u64, seq: u64) -> QueueKey {
        let boost =
            i64::from(priority).saturating_mul(i64::try_from(ms_per_point).unwrap_or(i64::MAX));
        let enqueued = i64::try_from(enqueued_ms).unwrap_or(i64::MAX);
        QueueKey { virtual_ms: enqueued.saturating_sub(boost), seq }
    }

    /// A key ahead of every ordinary entry (a conversation whose agent disconnected goes back
    /// to the front); among such keys, first come first served.
    pub fn front(seq: u64) -> QueueKey {
        QueueKey { virtual_ms: i64::MIN, seq }
    }
}

/// How a queue chooses among several agents that fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The agent whose last offer is oldest.
    #[default]
    LongestIdle,
    /// The lowest share of capacity in use.
    LeastOccupied,
    /// The highest proficiency in the queue's skill.
    HighestProficiency,
}

/// Orders candidates best first. Ties fall to the longest idle, then to login order, so the
/// result is deterministic.
pub fn rank_candidates<T>(strategy: Strategy, candidates: &mut [T], view: impl Fn(&T) -> SlotView) {
    candidates.sort_by(|a, b| compare(strategy, &view(a), &view(b)));
}

fn compare(strategy: Strategy, a: &SlotView, b: &SlotView) -> Ordering {
    let primary = match strategy {
        Strategy::LongestIdle => Ordering::Equal,
        // used_a / cap_a < used_b / cap_b, compared without division.
        Strategy::LeastOccupied => (u64::from(a.used) * u64::from(b.capacity))
            .cmp(&(u64::from(b.used) * u64::from(a.capacity))),
        Strategy::HighestProficiency => b.proficiency.cmp(&a.proficiency),
    };
    primary.then(a.last_offer_ms.cmp(&b.last_offer_ms)).then(a.login_seq.cmp(&b.login_seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(
        login_seq: u64,
        used: u32,
        capacity: u32,
        proficiency: u8,
        last_offer_ms: u64,
    ) -> SlotView {
        SlotView { login_seq, used, capacity, proficiency, last_offer_ms }
    }

    #[test]
    fn aging_lets_an_old_low_priority_entry_overtake() {
        // One priority point = 60 s. A priority-3 arrival at t=100 s vs priority-5 at t=200 s.
        let low_old = QueueKey::new(100_000, 3, 60_000, 1);
        let high_new = QueueKey::new(200_000, 5, 60_000, 2);
        assert!(high_new < low_old, "two points = 120 s outweigh 100 s of waiting");
        let high_newer = QueueKey::new(230_000, 5, 60_000, 3);
        assert!(low_old < high_newer, "130 s of waiting outweigh two points");
        assert!(QueueKey::front(9) < QueueKey::new(0, 9, 60_000, 0));
        assert!(QueueKey::new(5, 1, 0, 1) < QueueKey::new(5, 1, 0, 2), "FIFO among equals");
    }

    #[test]
    fn strategies_rank_deterministically() {
        let agents = [view(1, 1, 2, 3, 500), view(2, 0, 1, 5, 900), view(3, 1, 4, 3, 100)];
        let ranked = |strategy| {
            let mut c = agents;
            rank_candidates(strategy, &mut c, |v| *v);
            c.map(|v| v.login_seq)
        };
        assert_eq!(ranked(Strategy::LongestIdle), [3, 1, 2]);
        assert_eq!(ranked(Strategy::LeastOccupied), [2, 3, 1]);
        assert_eq!(ranked(Strategy::HighestProficiency), [2, 3, 1]);
        let tied = [view(7, 0, 1, 1, 10), view(4, 0, 1, 1, 10)];
        let mut c = tied;
        rank_candidates(Strategy::LongestIdle, &mut c, |v| *v);
        assert_eq!(c.map(|v| v.login_seq), [4, 7]);
    }
}
