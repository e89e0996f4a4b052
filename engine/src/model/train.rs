//! Training ([`train`]): one-vs-rest logistic regression by AdaGrad over the hashed features,
//! deterministic from a seed (one thread, a fixed order of floating-point operations, the
//! shuffle from SplitMix64), so the same rows and options rebuild the same file byte for byte.
//!
//! Rows are split by a hash of their text, not by position: the split does not change when
//! the files are reordered, and a text that appears twice is never on both sides. The model
//! is trained on the training side; each label's threshold is then calibrated on the
//! held-out side (the highest F1 among thresholds whose precision reaches `min_precision`),
//! and the report gives precision, recall and F1 there, for exactly the model written.

use serde::Serialize;

use super::{EXPLICIT_REQUEST, MAX_LABELS, Model, Provenance, features};

/// One labelled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    /// Labels it carries; empty for none.
    pub labels: Vec<String>,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct Options {
    pub bits: u32,
    pub epochs: u32,
    pub seed: u64,
    pub learning_rate: f32,
    /// L2 penalty on the weights a row touches.
    pub l2: f32,
    /// Rows held out: `folds` parts by text hash, part `fold` held out.
    pub folds: u32,
    pub fold: u32,
    /// Calibration keeps thresholds whose held-out precision reaches this, when any does
    /// (topics)...
    pub min_precision: f32,
    /// ... and this for `explicit_request`: the held-out rows are cleaner than real traffic,
    /// and a false request hands a customer over for nothing, so it is held higher.
    pub request_min_precision: f32,
    /// The input files (name, SHA-256), recorded in the model.
    pub sources: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bits: 17,
            epochs: 12,
            seed: 1,
            learning_rate: 0.4,
            l2: 1e-3,
            folds: 7,
            fold: 0,
            min_precision: 0.9,
            request_min_precision: 0.97,
            sources: Vec::new(),
        }
    }
}

/// Held-out figures of one label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelReport {
    pub label: String,
    pub threshold: f32,
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// What training measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub train_rows: usize,
    pub held_out_rows: usize,
    pub labels: Vec<LabelReport>,
}

/// Why training cannot start.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("no rows to train on")]
    Empty,
    #[error("{0} labels; a model has at most {MAX_LABELS}")]
    TooManyLabels(usize),
    #[error("fold {fold} of {folds}: need folds >= 2 and fold < folds")]
    Fold { fold: u32, folds: u32 },
    #[error("bits {0} is not in 10..=22")]
    Bits(u32),
    #[error("label {label:?}: {reason}")]
    Label { label: String, reason: String },
    #[error("the training side or the held-out side is empty: use more rows or other folds")]
    Split,
}

/// The labels of a set of rows: `explicit_request` first when present, then the others
/// sorted, so a model's label order does not depend on row order.
pub fn labels_of(examples: &[Example]) -> Vec<String> {
    let mut set: Vec<String> = examples.iter().flat_map(|e| e.labels.iter().cloned()).collect();
    set.sort();
    set.dedup();
    if let Some(i) = set.iter().position(|l| l == EXPLICIT_REQUEST) {
        let l = set.remove(i);
        set.insert(0, l);
    }
    set
}

/// Which side of the split a text falls on (true: held out).
pub fn held_out(text: &str, folds: u32, fold: u32) -> bool {
    let h = text
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (splitmix(h) % u64::from(folds)) as u32 == fold
}

/// Trains, calibrates and reports.
pub fn train(examples: &[Example], options: &Options) -> Result<(Model, Report), TrainError> {
    if examples.is_empty() {
        return Err(TrainError::Empty);
    }
    if options.folds < 2 || options.fold >= options.folds {
        return Err(TrainError::Fold { fold: options.fold, folds: options.folds });
    }
    if !super::BITS.contains(&options.bits) {
        return Err(TrainError::Bits(options.bits));
    }
    let labels = labels_of(examples);
    if labels.len() > MAX_LABELS {
        return Err(TrainError::TooManyLabels(labels.len()));
    }
    for label in &labels {
        crate::ids::check(crate::ids::IdKind::Label, label)
            .map_err(|e| TrainError::Label { label: label.clone(), reason: e.to_string() })?;
    }
    let n = labels.len();
    let targets =
        |e: &Example| -> Vec<bool> { labels.iter().map(|l| e.labels.contains(l)).collect() };
    let (mut train_rows, mut test_rows) = (Vec::new(), Vec::new());
    for e in examples {
        if held_out(&e.text, options.folds, options.fold) {
            test_rows.push(e);
        } else {
            train_rows.push(e);
        }
    }
    if train_rows.is_empty() || test_rows.is_empty() {
        return Err(TrainError::Split);
    }
    let rows: Vec<(Vec<u32>, Vec<bool>)> = train_rows
        .iter()
        .map(|e| {
            let mut f = Vec::new();
            features::for_each(&e.text, options.bits, |b| f.push(b as u32));
            (f, targets(e))
        })
        .collect();
    // Positives are rare for every label: weigh them by the square root of the imbalance.
    let positive_weight: Vec<f32> = (0..n)
        .map(|i| {
            let pos = rows.iter().filter(|(_, y)| y[i]).count().max(1) as f32;
            let neg = (rows.len() as f32 - pos).max(1.0);
            (neg / pos).sqrt().clamp(1.0, 10.0)
        })
        .collect();
    let buckets = 1usize << options.bits;
    let mut w = vec![0f32; buckets * n];
    let mut g2 = vec![0f32; buckets * n];
    let mut bias = vec![0f32; n];
    let mut bias_g2 = vec![0f32; n];
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = options.seed;
    let lr = options.learning_rate;
    for _ in 0..options.epochs {
        for i in (1..order.len()).rev() {
            rng = splitmix(rng);
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &r in &order {
            let (f, y) = &rows[r];
            if f.is_empty() {
                continue;
            }
            let norm = features::norm(f.len());
            let mut z = [0f32; MAX_LABELS];
            for &b in f {
                let row = &w[b as usize * n..b as usize * n + n];
                for (zi, wi) in z.iter_mut().zip(row) {
                    *zi += wi;
                }
            }
            for i in 0..n {
                let p = super::sigmoid(bias[i] + z[i] * norm);
                let g = if y[i] { (p - 1.0) * positive_weight[i] } else { p };
                bias_g2[i] += g * g;
                bias[i] -= lr * g / (bias_g2[i].sqrt() + 1e-6);
                z[i] = g * norm;
            }
            for &b in f {
                let at = b as usize * n;
                for i in 0..n {
                    let grad = z[i] + options.l2 * w[at + i];
                    g2[at + i] += grad * grad;
                    w[at + i] -= lr * grad / (g2[at + i].sqrt() + 1e-6);
                }
            }
        }
    }
    let provenance = Provenance {
        seed: options.seed,
        epochs: options.epochs,
        train_rows: train_rows.len(),
        held_out_rows: test_rows.len(),
        sources: options.sources.clone(),
    };
    let model = Model::quantised(options.bits, labels.clone(), &w, bias, provenance);
    // Calibrate on the held-out side, with the quantised model as it will run.
    let scored: Vec<([f32; MAX_LABELS], Vec<bool>)> = test_rows
        .iter()
        .map(|e| {
            let s = model.score(&e.text);
            let mut p = [0f32; MAX_LABELS];
            p[..n].copy_from_slice(s.as_slice());
            (p, targets(e))
        })
        .collect();
    let mut thresholds = Vec::with_capacity(n);
    let mut reports = Vec::with_capacity(n);
    for (i, label) in labels.iter().enumerate() {
        let pairs: Vec<(f32, bool)> = scored.iter().map(|(p, y)| (p[i], y[i])).collect();
        let floor = if label == EXPLICIT_REQUEST {
            options.request_min_precision
        } else {
            options.min_precision
        };
        let (threshold, c) = calibrate(&pairs, floor);
        thresholds.push(threshold);
        reports.push(LabelReport {
            label: label.clone(),
            threshold,
            support: c.tp + c.fn_,
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
        });
    }
    let model = model.with_thresholds(thresholds);
    let report =
        Report { train_rows: train_rows.len(), held_out_rows: test_rows.len(), labels: reports };
    Ok((model, report))
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// No threshold is calibrated below this: the model must at least lean towards a label
/// before it raises one. The held-out rows are in-domain; below 0.5 the topics fired on
/// texts like "terrible, just terrible" that no held-out row resembles.
pub const MIN_THRESHOLD: f32 = 0.6;

/// The threshold (a score is positive when `>=` it, never below [`MIN_THRESHOLD`]) with the
/// best F1 among those whose precision reaches `min_precision`, or the best F1 overall when
/// none does. Thresholds are midpoints between neighbouring scores, so a model's calibration
/// does not sit on one row.
fn calibrate(pairs: &[(f32, bool)], min_precision: f32) -> (f32, Counts) {
    let mut sorted = pairs.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = sorted.iter().filter(|(_, y)| *y).count();
    let mut best: Option<(f32, Counts, bool)> = None;
    let mut c = Counts { tp: 0, fp: 0, fn_: positives };
    for (k, &(score, y)) in sorted.iter().enumerate() {
        if y {
            c.tp += 1;
            c.fn_ -= 1;
        } else {
            c.fp += 1;
        }
        // Only between distinct scores: rows with one score are all in or all out.
        let next = sorted.get(k + 1).map(|p| p.0);
        if next == Some(score) {
            continue;
        }
        let threshold = match next {
            Some(next) => (score + next) / 2.0,
            None => score,
        };
        if threshold < MIN_THRESHOLD {
            break;
        }
        let precise = c.precision() >= f64::from(min_precision);
        let better = match best {
            None => true,
            Some((_, b, b_precise)) => {
                (precise && !b_precise) || (precise == b_precise && c.f1() > b.f1())
            }
        };
        if better {
            best = Some((threshold.clamp(0.0, 1.0), c, precise));
        }
    }
    best.map_or_else(
        || {
            let at = |t: f32| sorted.iter().filter(move |(s, _)| *s >= t);
            let tp = at(MIN_THRESHOLD).filter(|(_, y)| *y).count();
            let fp = at(MIN_THRESHOLD).count() - tp;
            (MIN_THRESHOLD, Counts { tp, fp, fn_: positives - tp })
        },
        |(t, c, _)| (t, c),
    )
}

/// SplitMix64's step: the shuffle's generator and the split's hash.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Example> {
        let mut out = Vec::new();
        let asks = ["talk to a human", "i want a real person", "get me an agent", "humn please"];
        let other = ["where is my parcel", "what time do you open", "my card arrived", "thanks"];
        let charged = ["i was charged twice", "refund the extra fee", "wrong amount charged"];
        for i in 0..60 {
            let ex = |t: &str, l: &[&str]| Example {
                text: format!("{t} {i}x{}", i * 7),
                labels: l.iter().map(|s| (*s).to_owned()).collect(),
            };
            out.push(ex(asks[i % asks.len()], &[EXPLICIT_REQUEST]));
            out.push(ex(other[i % other.len()], &[]));
            out.push(ex(charged[i % charged.len()], &["billing_dispute"]));
        }
        out
    }

    #[test]
    fn learns_separable_labels_and_is_deterministic() {
        let options = Options { bits: 12, epochs: 8, folds: 4, ..Options::default() };
        let (model, report) = train(&rows(), &options).expect("ok");
        assert_eq!(model.labels(), ["explicit_request", "billing_dispute"]);
        for label in &report.labels {
            assert!(label.f1 > 0.8, "{label:?}");
        }
        let ask = model.score("could i talk to a human");
        let i = model.label(EXPLICIT_REQUEST).expect("ok");
        assert!(ask.get(i) >= model.thresholds()[i], "{ask:?}");
        let (again, _) = train(&rows(), &options).expect("ok");
        assert_eq!(model.to_bytes(), again.to_bytes());
        let mut reordered = rows();
        reordered.reverse();
        let (_, report_reordered) = train(&reordered, &options).expect("ok");
        assert_eq!(report_reordered.held_out_rows, report.held_out_rows);
    }

    #[test]
    fn bad_options_are_errors() {
        let o = Options { folds: 3, fold: 3, ..Options::default() };
        assert!(matches!(train(&rows(), &o), Err(TrainError::Fold { .. })));
        assert!(matches!(train(&[], &Options::default()), Err(TrainError::Empty)));
        let bad = vec![Example { text: "x".into(), labels: vec!["Not A Label".into()] }];
        assert!(matches!(train(&bad, &Options::default()), Err(TrainError::Label { .. })));
    }

    #[test]
    fn calibration_honours_the_precision_floor() {
        let pairs = [(0.95, true), (0.9, true), (0.85, false), (0.8, true), (0.7, false)];
        let (t, c) = calibrate(&pairs, 1.0);
        assert!((0.85..0.9).contains(&t) && c.tp == 2 && c.fp == 0, "{t} {c:?}");
        let (t, c) = calibrate(&pairs, 0.5);
        assert!((0.7..0.8).contains(&t) && c.tp == 3, "{t} {c:?}");
        // Never below MIN_THRESHOLD, however the low scores separate.
        let low = [(0.55, true), (0.3, true), (0.2, false), (0.1, false)];
        let (t, c) = calibrate(&low, 0.9);
        assert_eq!((t, c.tp, c.fp, c.fn_), (MIN_THRESHOLD, 0, 0, 2));
    }
}
