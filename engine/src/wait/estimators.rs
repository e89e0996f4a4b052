//! The three estimators.

use std::collections::VecDeque;

use super::{QueueNow, WaitEstimator};

/// Position-aware queueing arithmetic. With `f` free slots a customer at position `k < f` is
/// offered at once; otherwise it needs `k − f + 1` slots to free among `c` busy ones, each
/// freeing at rate 1/AHT, so the expected wait is `(k − f + 1) · AHT / c` (the M/M/c
/// conditional wait given the queue it joins). The `c` slots are every staffed slot with the
/// skill, also those of agents who serve other skills; what those agents owe the other
/// queues first is added to the customers ahead (`competing`). Each customer ahead holds a
/// slot for the answer delay as well as the handle time (accept to release, wrap-up
/// included), so a slot's cycle is `AHT + answer`. Either way the agent then takes a moment to
/// accept the offer, and the wait lasts until they do: the moving average of that time is
/// added (without it, every customer offered at once was told 0 s and scored 100 % wrong).
/// When the queue knows how long its busy slots have been busy, the time until those slots
/// have freed comes from them instead (`until_freed_ms`, [`super::FreeCurve`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelEstimator;

impl WaitEstimator for ModelEstimator {
    fn name(&self) -> &'static str {
        "model"
    }

    fn observe_wait(&mut self, _wait_ms: u64, _now_ms: u64) {}

    fn estimate(&self, q: &QueueNow, _now_ms: u64) -> Option<u64> {
        if (q.position as u64) < u64::from(q.free_slots) {
            return Some(q.answer_ms.round() as u64);
        }
        if q.staffed_slots == 0 {
            return None;
        }
        if let Some(until_freed) = q.until_freed_ms {
            return Some((until_freed + q.answer_ms).round() as u64);
        }
        let ahead = (q.position as u64 - u64::from(q.free_slots) + 1) as f64 + q.competing.max(0.0);
        let cycle = q.handle_ms + q.answer_ms;
        Some((ahead * cycle / f64::from(q.staffed_slots) + q.answer_ms).round() as u64)
    }
}

/// Salesforce Omni-Channel's method: the last 10 items accepted within 10 minutes, weighted
/// 10 (newest) down to 1.
#[derive(Debug, Clone, Default)]
pub struct SalesforceWeighted {
    /// (accepted at, wait), newest last.
    recent: VecDeque<(u64, u64)>,
}

const SALESFORCE_ITEMS: usize = 10;
const SALESFORCE_WINDOW_MS: u64 = 10 * 60 * 1000;

impl WaitEstimator for SalesforceWeighted {
    fn name(&self) -> &'static str {
        "salesforce_weighted"
    }

    fn observe_wait(&mut self, wait_ms: u64, now_ms: u64) {
        self.recent.push_back((now_ms, wait_ms));
        if self.recent.len() > SALESFORCE_ITEMS {
            self.recent.pop_front();
        }
    }

    fn estimate(&self, _q: &QueueNow, now_ms: u64) -> Option<u64> {
        let (mut weighted, mut weights) = (0.0, 0.0);
        // Newest first: weight 10, 9, …
        for (i, (at, wait)) in self.recent.iter().rev().enumerate() {
            if now_ms.saturating_sub(*at) > SALESFORCE_WINDOW_MS {
                continue;
            }
            let weight = (SALESFORCE_ITEMS - i) as f64;
            weighted += weight * *wait as f64;
            weights += weight;
        }
        (weights > 0.0).then(|| (weighted / weights).round() as u64)
    }
}

/// Asterisk app_queue's hold time: `holdtime = (3·holdtime + wait) / 4` on every answered call.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsteriskEwma {
    holdtime_ms: Option<f64>,
}

impl WaitEstimator for AsteriskEwma {
    fn name(&self) -> &'static str {
        "asterisk_ewma"
    }

    fn observe_wait(&mut self, wait_ms: u64, _now_ms: u64) {
        let new = wait_ms as f64;
        self.holdtime_ms = Some(self.holdtime_ms.map_or(new, |old| (3.0 * old + new) / 4.0));
    }

    fn estimate(&self, _q: &QueueNow, _now_ms: u64) -> Option<u64> {
        self.holdtime_ms.map(|h| h.round() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(position: usize, staffed_slots: u32, free_slots: u32) -> QueueNow {
        QueueNow {
            position,
            staffed_slots,
            free_slots,
            handle_ms: 180_000.0,
            answer_ms: 0.0,
            arrivals_per_s: 0.1,
            competing: 0.0,
            until_freed_ms: None,
        }
    }

    #[test]
    fn model_counts_the_slots_that_must_free_first() {
        let m = ModelEstimator;
        assert_eq!(m.estimate(&queue(0, 10, 1), 0), Some(0));
        assert_eq!(m.estimate(&queue(0, 10, 0), 0), Some(18_000), "one of 10 slots frees: AHT/10");
        assert_eq!(m.estimate(&queue(4, 10, 0), 0), Some(90_000));
        assert_eq!(m.estimate(&queue(4, 10, 2), 0), Some(54_000));
        assert_eq!(m.estimate(&queue(3, 0, 0), 0), None, "nobody staffed");
    }

    #[test]
    fn model_adds_the_time_agents_take_to_accept() {
        let m = ModelEstimator;
        let q = QueueNow { answer_ms: 4_000.0, ..queue(0, 10, 1) };
        assert_eq!(m.estimate(&q, 0), Some(4_000), "offered at once, answered after 4 s");
        // Five slots to free, each cycle 184 s over 10 slots, then 4 s to answer.
        let q = QueueNow { answer_ms: 4_000.0, ..queue(4, 10, 0) };
        assert_eq!(m.estimate(&q, 0), Some(96_000));
    }

    #[test]
    fn model_counts_what_shared_agents_owe_other_queues() {
        let m = ModelEstimator;
        // Fifth in line, and 5 older customers of another queue the same slots serve.
        let q = QueueNow { competing: 5.0, ..queue(4, 10, 0) };
        assert_eq!(m.estimate(&q, 0), Some(180_000));
        // A free slot still takes the customer at once: nobody older is waiting for it.
        let q = QueueNow { competing: 5.0, ..queue(0, 10, 1) };
        assert_eq!(m.estimate(&q, 0), Some(0));
    }

    #[test]
    fn salesforce_weights_recent_waits_within_ten_minutes() {
        let mut s = SalesforceWeighted::default();
        assert_eq!(s.estimate(&queue(0, 1, 0), 0), None);
        s.observe_wait(60_000, 1_000);
        s.observe_wait(120_000, 2_000);
        // Newest weight 10, the one before 9: (10·120 s + 9·60 s) / 19 = 91.579 s.
        assert_eq!(s.estimate(&queue(0, 1, 0), 3_000), Some(91_579));
        // Eleven minutes later both are too old.
        assert_eq!(s.estimate(&queue(0, 1, 0), 2_000 + 11 * 60_000), None);
        for i in 0..15 {
            s.observe_wait(i * 1000, 700_000);
        }
        assert_eq!(s.recent.len(), 10);
    }

    #[test]
    fn asterisk_is_a_three_quarter_running_average() {
        let mut a = AsteriskEwma::default();
        a.observe_wait(40_000, 0);
        a.observe_wait(80_000, 0);
        assert_eq!(a.estimate(&queue(0, 1, 0), 0), Some(50_000));
    }
}
