//! The weights as scoring reads them: one row per bucket, padded to 8 or 16 labels, and the
//! sums over a text's features gathered in batches, so the per-label sums stay in registers
//! and a batch's row loads overlap instead of waiting on each other.

use super::{MAX_LABELS, features};

/// Buckets gathered before their rows are added: enough to keep many loads in flight, small
/// enough to stay on the stack (1 KiB).
const BATCH: usize = 256;

/// `2^bits` rows of one `i8` weight per label, the labels after the last zero.
pub(super) enum Rows {
    Eight(Box<[[i8; 8]]>),
    Sixteen(Box<[[i8; 16]]>),
}

impl Rows {
    /// From the file's layout: `n` weights per bucket, back to back.
    pub(super) fn new(flat: &[i8], n: usize) -> Rows {
        fn pad<const W: usize>(flat: &[i8], n: usize) -> Box<[[i8; W]]> {
            flat.chunks_exact(n)
                .map(|weights| {
                    let mut row = [0i8; W];
                    row[..n].copy_from_slice(weights);
                    row
                })
                .collect()
        }
        if n <= 8 { Rows::Eight(pad(flat, n)) } else { Rows::Sixteen(pad(flat, n)) }
    }

    /// Back to the file's layout.
    pub(super) fn flat(&self, n: usize) -> Vec<i8> {
        match self {
            Rows::Eight(rows) => rows.iter().flat_map(|row| row[..n].iter().copied()).collect(),
            Rows::Sixteen(rows) => rows.iter().flat_map(|row| row[..n].iter().copied()).collect(),
        }
    }

    /// Each label's sum of weights over the features of `text`, and how many features it has.
    /// Allocation-free.
    pub(super) fn sums(&self, text: &str, bits: u32) -> ([i32; MAX_LABELS], usize) {
        let mut out = [0i32; MAX_LABELS];
        let count = match self {
            Rows::Eight(rows) => {
                let (sums, count) = gather(rows, text, bits);
                out[..8].copy_from_slice(&sums);
                count
            }
            Rows::Sixteen(rows) => {
                let (sums, count) = gather(rows, text, bits);
                out.copy_from_slice(&sums);
                count
            }
        };
        (out, count)
    }
}

fn gather<const W: usize>(rows: &[[i8; W]], text: &str, bits: u32) -> ([i32; W], usize) {
    let mut sums = [0i32; W];
    let mut batch = [0u32; BATCH];
    let mut len = 0usize;
    let count = features::for_each(text, bits, |bucket| {
        batch[len] = bucket as u32;
        len += 1;
        if len == BATCH {
            add(rows, &batch, &mut sums);
            len = 0;
        }
    });
    add(rows, &batch[..len], &mut sums);
    (sums, count)
}

fn add<const W: usize>(rows: &[[i8; W]], buckets: &[u32], sums: &mut [i32; W]) {
    let mut acc = *sums;
    for &bucket in buckets {
        // Every bucket is below `2^bits`, the number of rows; the check costs nothing.
        if let Some(row) = rows.get(bucket as usize) {
            for (sum, &w) in acc.iter_mut().zip(row) {
                *sum += i32::from(w);
            }
        }
    }
    *sums = acc;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain walk the batches replace: every feature's `n` weights added in turn.
    fn plain(flat: &[i8], n: usize, text: &str, bits: u32) -> ([i32; MAX_LABELS], usize) {
        let mut sums = [0i32; MAX_LABELS];
        let count = features::for_each(text, bits, |bucket| {
            for (sum, &w) in sums.iter_mut().zip(&flat[bucket * n..bucket * n + n]) {
                *sum += i32::from(w);
            }
        });
        (sums, count)
    }

    #[test]
    fn batched_sums_equal_the_plain_walk_for_every_width() {
        let bits = 12;
        let long = "can somneone pls help me, i was charged twice ".repeat(40);
        let texts = ["", "hi", "talk to a human", long.as_str(), "é😀 ÜBER straße"];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for n in [1, 5, 6, 8, 9, 16] {
            let flat: Vec<i8> = (0..(1usize << bits) * n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as i8
                })
                .collect();
            let rows = Rows::new(&flat, n);
            assert_eq!(rows.flat(n), flat);
            for text in texts {
                assert_eq!(rows.sums(text, bits), plain(&flat, n, text, bits), "n {n}: {text:.20}");
            }
        }
        // The long text spans several batches.
        assert!(features::for_each(&long, bits, |_| {}) > 3 * BATCH);
    }
}
