//! A skill queue's waiting keys in brief, for the wait estimates of other queues whose
//! agents it shares: every key while few wait, otherwise the keys at evenly spaced places,
//! so "how many of yours are ahead of this key" is answered to within a thirty-second of
//! the queue, without a walk of its customers and without asking its actor.
//!
//! Keys carry priority (`enqueued − priority × ms_per_point`), so a queue's keys are not
//! spread evenly between its head and now: a spike of prioritised customers bunches them.

use super::QueueKey;
use super::ranked::Ranked;

/// Places kept: every key of a queue this short, and the rank error bound `len / (POINTS − 1)`.
pub const POINTS: usize = 33;

/// The keys (`virtual_ms`) at `ranks` of a queue of `len`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeySketch {
    len: usize,
    kept: usize,
    keys: [i64; POINTS],
    ranks: [usize; POINTS],
}

impl Default for KeySketch {
    fn default() -> Self {
        KeySketch { len: 0, kept: 0, keys: [0; POINTS], ranks: [0; POINTS] }
    }
}

impl KeySketch {
    /// The sketch of a queue's waiting entries: one pass over its blocks.
    pub fn of<V>(waiting: &Ranked<QueueKey, V>) -> KeySketch {
        let mut sketch = KeySketch { len: waiting.len(), ..KeySketch::default() };
        waiting.spread(POINTS, |rank, key| {
            sketch.keys[sketch.kept] = key.virtual_ms;
            sketch.ranks[sketch.kept] = rank;
            sketch.kept += 1;
        });
        sketch
    }

    /// How many wait.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// About how many of the queue's keys are smaller than `key_ms`: exact while the queue
    /// holds no more than [`POINTS`], otherwise interpolated between the two kept places
    /// around it.
    pub fn below(&self, key_ms: i64) -> f64 {
        let keys = &self.keys[..self.kept];
        // The first kept key not smaller than `key_ms`.
        let i = keys.partition_point(|&k| k < key_ms);
        if i == 0 {
            return 0.0;
        }
        if i == self.kept {
            return self.len as f64;
        }
        let (lo, hi) = (self.ranks[i - 1], self.ranks[i]);
        // Between two kept places: `lo + 1 ..= hi` keys are smaller, by where the key falls
        // (in floats: a requeued customer's key is `i64::MIN`).
        let (a, b) = (keys[i - 1] as f64, keys[i] as f64);
        let within = if b > a { ((key_ms as f64 - a) / (b - a)).clamp(0.0, 1.0) } else { 0.0 };
        (lo + 1) as f64 + (hi - lo - 1) as f64 * within
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_rng::Rng;

    fn queue(keys: &[i64]) -> Ranked<QueueKey, ()> {
        let mut q = Ranked::new();
        for (seq, &k) in keys.iter().enumerate() {
            q.insert(QueueKey { virtual_ms: k, seq: seq as u64 }, ());
        }
        q
    }

    #[test]
    fn a_short_queue_is_counted_exactly() {
        let keys = [i64::MIN, -5, 10, 10, 40];
        let sketch = KeySketch::of(&queue(&keys));
        assert_eq!(sketch.len(), 5);
        for probe in [i64::MIN, -6, -5, 0, 10, 11, 40, 41, i64::MAX] {
            let want = keys.iter().filter(|&&k| k < probe).count() as f64;
            assert_eq!(sketch.below(probe), want, "below {probe}");
        }
        assert_eq!(KeySketch::of(&queue(&[])).below(0), 0.0);
    }

    #[test]
    fn a_long_bunched_queue_is_counted_within_its_bound() {
        let mut rng = Rng(7);
        for len in [34usize, 100, 1_000, 20_000] {
            // Most keys bunched in a short stretch (a spike), a few far before it.
            let mut keys: Vec<i64> = (0..len)
                .map(|_| {
                    let spike = rng.below(10) < 8;
                    if spike { 50_000 + rng.below(2_000) as i64 } else { rng.below(60_000) as i64 }
                })
                .collect();
            keys.sort_unstable();
            let sketch = KeySketch::of(&queue(&keys));
            let bound = len as f64 / (POINTS - 1) as f64 + 1.0;
            for _ in 0..500 {
                let probe = rng.below(62_000) as i64;
                let want = keys.partition_point(|&k| k < probe) as f64;
                let got = sketch.below(probe);
                assert!((got - want).abs() <= bound, "len {len} probe {probe}: {got} vs {want}");
            }
            assert_eq!(sketch.below(i64::MAX), len as f64);
        }
    }
}
