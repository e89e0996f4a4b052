//! An ordered map that also answers "how many keys are smaller than this one" without
//! walking them: a customer's place in line when it joins, and whenever it asks.
//!
//! The entries live in sorted blocks of at most [`MAX_BLOCK`] (split in two when one grows
//! past it, merged with a neighbour when one shrinks below [`MIN_BLOCK`]). A place is the
//! sizes of the blocks before the key's block plus a binary search inside it: about
//! n / 256 additions (some 400 at 100,000 waiting) instead of n steps of a `BTreeMap` range.
//! Inserting or removing moves at most one block's entries.

/// A block grows to this many entries before it is split.
pub const MAX_BLOCK: usize = 512;
/// A block smaller than this is merged with a neighbour when the two fit in one.
pub const MIN_BLOCK: usize = 64;

/// Keys in order, with ranks.
#[derive(Debug, Clone)]
pub struct Ranked<K, V> {
    /// Non-empty, each sorted, every key of a block smaller than every key of the next.
    blocks: Vec<Vec<(K, V)>>,
    len: usize,
}

impl<K, V> Default for Ranked<K, V> {
    fn default() -> Self {
        Ranked { blocks: Vec::new(), len: 0 }
    }
}

impl<K: Ord + Copy, V> Ranked<K, V> {
    pub fn new() -> Self {
        Ranked::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The block that holds `key`, or would: the first whose last key is not smaller.
    fn block_of(&self, key: &K) -> usize {
        self.blocks.partition_point(|b| b.last().is_some_and(|(k, _)| k < key))
    }

    /// Inserts; gives back the value a key already had.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        if self.blocks.is_empty() {
            self.blocks.push(vec![(key, value)]);
            self.len = 1;
            return None;
        }
        let b = self.block_of(&key).min(self.blocks.len() - 1);
        let block = &mut self.blocks[b];
        match block.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => Some(std::mem::replace(&mut block[i].1, value)),
            Err(i) => {
                block.insert(i, (key, value));
                self.len += 1;
                if block.len() > MAX_BLOCK {
                    let upper = block.split_off(block.len() / 2);
                    self.blocks.insert(b + 1, upper);
                }
                None
            }
        }
    }

    /// Removes a key; gives back its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let b = self.block_of(key);
        let block = self.blocks.get_mut(b)?;
        let i = block.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        let (_, value) = block.remove(i);
        self.len -= 1;
        if block.is_empty() {
            self.blocks.remove(b);
        } else if block.len() < MIN_BLOCK {
            self.merge_around(b);
        }
        Some(value)
    }

    /// Merges a small block into a neighbour when the two fit in one block.
    fn merge_around(&mut self, b: usize) {
        let size = self.blocks[b].len();
        if b + 1 < self.blocks.len() && size + self.blocks[b + 1].len() <= MAX_BLOCK {
            let next = self.blocks.remove(b + 1);
            self.blocks[b].extend(next);
        } else if b > 0 && size + self.blocks[b - 1].len() <= MAX_BLOCK {
            let this = self.blocks.remove(b);
            self.blocks[b - 1].extend(this);
        }
    }

    /// How many keys are smaller than `key` (its place, 0 first, whether or not it is here).
    pub fn rank(&self, key: &K) -> usize {
        let b = self.block_of(key);
        let before: usize = self.blocks[..b].iter().map(Vec::len).sum();
        before + self.blocks.get(b).map_or(0, |block| block.partition_point(|(k, _)| k < key))
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        let block = self.blocks.get(self.block_of(key))?;
        let i = block.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        Some(&block[i].1)
    }

    /// The smallest entry.
    pub fn first(&self) -> Option<(&K, &V)> {
        self.blocks.first().and_then(|b| b.first()).map(|(k, v)| (k, v))
    }

    /// The smallest entry with a key greater than `key`.
    pub fn next_after(&self, key: &K) -> Option<(&K, &V)> {
        let b = self.blocks.partition_point(|b| b.last().is_some_and(|(k, _)| k <= key));
        let block = self.blocks.get(b)?;
        let i = block.partition_point(|(k, _)| k <= key);
        block.get(i).map(|(k, v)| (k, v))
    }

    /// Entries with a key greater than `key` (every entry when `None`), in key order.
    pub fn iter_after(&self, key: Option<&K>) -> impl Iterator<Item = (&K, &V)> {
        let (b, i) = match key {
            None => (0, 0),
            Some(key) => {
                let b = self.blocks.partition_point(|b| b.last().is_some_and(|(k, _)| k <= key));
                (b, self.blocks.get(b).map_or(0, |block| block.partition_point(|(k, _)| k <= key)))
            }
        };
        let first = self.blocks.get(b).map_or(&[][..], |block| &block[i..]);
        let rest = self.blocks.get(b + 1..).unwrap_or(&[]);
        first.iter().chain(rest.iter().flatten()).map(|(k, v)| (k, v))
    }

    /// Calls `f(rank, key)` for the keys at `points` evenly spaced places from the first to
    /// the last, in order (every key when there are no more than `points`). One pass over the
    /// blocks, not over the keys.
    pub fn spread(&self, points: usize, mut f: impl FnMut(usize, &K)) {
        let take = points.min(self.len);
        let (mut block, mut before) = (0, 0);
        for i in 0..take {
            let rank = if take == 1 { 0 } else { i * (self.len - 1) / (take - 1) };
            while before + self.blocks[block].len() <= rank {
                before += self.blocks[block].len();
                block += 1;
            }
            f(rank, &self.blocks[block][rank - before].0);
        }
    }

    /// Every entry in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.blocks.iter().flatten().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    use crate::routing::test_rng::Rng;

    #[test]
    fn agrees_with_a_btreemap_through_random_inserts_and_removes() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut ranked = Ranked::new();
        let mut model = BTreeMap::new();
        for step in 0..60_000u64 {
            // Phases that grow, churn and shrink, over a key space that forces splits and merges.
            let grow = match step / 20_000 {
                0 => 3,
                1 => 2,
                _ => 1,
            };
            let key = rng.next() % 5_000;
            if rng.next() % 4 < grow {
                assert_eq!(ranked.insert(key, step), model.insert(key, step));
            } else {
                let probe = *model.range(key..).next().map_or(&key, |(k, _)| k);
                assert_eq!(ranked.remove(&probe), model.remove(&probe));
            }
            assert_eq!(ranked.len(), model.len());
            let probe = rng.next() % 5_100;
            assert_eq!(ranked.rank(&probe), model.range(..probe).count(), "rank at step {step}");
            assert_eq!(ranked.contains_key(&probe), model.contains_key(&probe));
            assert_eq!(
                ranked.next_after(&probe).map(|(k, v)| (*k, *v)),
                model.range(probe + 1..).next().map(|(k, v)| (*k, *v))
            );
            assert_eq!(ranked.first().map(|(k, _)| *k), model.keys().next().copied());
            if step % 97 == 0 {
                let after: Vec<u64> = ranked.iter_after(Some(&probe)).map(|(k, _)| *k).collect();
                let want: Vec<u64> = model.range(probe + 1..).map(|(k, _)| *k).collect();
                assert_eq!(after, want);
                let keys: Vec<u64> = model.keys().copied().collect();
                for points in [1, 2, 33, keys.len() + 1] {
                    let mut spread = Vec::new();
                    ranked.spread(points, |rank, key| spread.push((rank, *key)));
                    let take = points.min(keys.len());
                    assert_eq!(spread.len(), take);
                    for (i, (rank, key)) in spread.into_iter().enumerate() {
                        let want = if take == 1 { 0 } else { i * (keys.len() - 1) / (take - 1) };
                        assert_eq!((rank, key), (want, keys[want]), "spread {points} at {step}");
                    }
                }
            }
        }
        assert!(ranked.iter().map(|(k, v)| (*k, *v)).eq(model.iter().map(|(k, v)| (*k, *v))));
        assert!(ranked.blocks.iter().all(|b| !b.is_empty() && b.len() <= MAX_BLOCK));
    }

    #[test]
    fn blocks_stay_few_after_churn() {
        let mut ranked = Ranked::new();
        for k in 0..100_000u32 {
            ranked.insert(k, ());
        }
        // Keep one key in 300: without merging every block would survive with one entry.
        for k in (0..100_000u32).filter(|k| k % 300 != 0) {
            ranked.remove(&k);
        }
        assert_eq!(ranked.len(), 334);
        assert!(ranked.blocks.len() <= 2 * 334 / MIN_BLOCK + 2, "{} blocks", ranked.blocks.len());
        assert_eq!(ranked.rank(&300), 1);
    }
}
