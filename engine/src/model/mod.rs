//! The learned classifier beside the rules: a linear model over hashed word and character
//! n-grams ([`features`]) that scores each message for "wants a human" and for each topic it
//! was trained on. One logistic head per label; weights are stored as `i8` with a scale per
//! label, so a model of 2^17 buckets and six labels is 768 KiB on disk (1 MiB in memory, each
//! row padded to eight) and scoring touches one 8-byte row per feature. Scoring allocates
//! nothing and takes no lock.
//!
//! The file (`.bmdl`) is plain and checked: the magic `BATONMDL`, a format version, a JSON
//! header (labels, thresholds, scales, biases, how it was trained), the weights, and a
//! SHA-256 of everything before it. A corrupt, truncated or incompatible file is a
//! [`ModelError`] when it is loaded, never a wrong score later.

mod config;
pub mod features;
mod rows;
pub mod train;

use std::path::Path;
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use config::ModelConfig;
pub use features::{FEATURES_VERSION, MAX_MODEL_BYTES};

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"BATONMDL";
/// The layout after the magic; bumped when it changes.
pub const FORMAT_VERSION: u16 = 1;
/// The label of the "wants a human" head; every other label but [`FRUSTRATION`] names a
/// topic (a label that names none is scored and ignored).
pub const EXPLICIT_REQUEST: &str = "explicit_request";
/// The label of the frustration head (its probability feeds the frustration score).
pub const FRUSTRATION: &str = "frustration";
/// Most labels a model may have (the scores live in a fixed array).
pub const MAX_LABELS: usize = 16;
/// Fewest and most hash bits a model may use.
pub const BITS: std::ops::RangeInclusive<u32> = 10..=22;

/// The model shipped inside the binary (`engine/models/default.bmdl`; `engine/models/README.md`
/// says what it was trained on and how to rebuild it byte for byte).
const EMBEDDED: &[u8] = include_bytes!("../../models/default.bmdl");

/// Why a model file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read the model file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("not a Baton model file (no BATONMDL magic)")]
    Magic,
    #[error(
        "model format version {found} is not supported (this build reads version {FORMAT_VERSION})"
    )]
    Format { found: u16 },
    #[error(
        "the model was trained on features version {found}; this build computes version {FEATURES_VERSION}: retrain it with `baton train`"
    )]
    Features { found: u32 },
    #[error("the model file is truncated")]
    Truncated,
    #[error("the model file's checksum does not match: it is corrupt")]
    Checksum,
    #[error("the model file's header is invalid: {0}")]
    Header(String),
}

/// How a model was trained, kept in its header (shown by `baton train` and `baton score`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub seed: u64,
    pub epochs: u32,
    pub train_rows: usize,
    pub held_out_rows: usize,
    /// The input files' names and SHA-256, in the order given.
    pub sources: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    features: u32,
    bits: u32,
    labels: Vec<String>,
    scales: Vec<f32>,
    biases: Vec<f32>,
    thresholds: Vec<f32>,
    provenance: Provenance,
}

/// A loaded model.
pub struct Model {
    header: Header,
    /// `2^bits` rows of one weight per label.
    rows: rows::Rows,
    checksum: [u8; 32],
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("labels", &self.header.labels)
            .field("bits", &self.header.bits)
            .field("checksum", &self.checksum_hex())
            .finish_non_exhaustive()
    }
}

/// A message's score under each label, in the model's label order. `Copy`, no heap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    len: usize,
    p: [f32; MAX_LABELS],
}

impl Scores {
    /// The probability of label `i`.
    pub fn get(&self, i: usize) -> f32 {
        self.p[..self.len][i]
    }

    pub fn as_slice(&self) -> &[f32] {
        &self.p[..self.len]
    }
}

impl Model {
    /// The model shipped with Baton.
    pub fn embedded() -> Arc<Model> {
        static MODEL: LazyLock<Arc<Model>> =
            LazyLock::new(|| {
                Arc::new(Model::from_bytes(EMBEDDED).unwrap_or_else(|e| {
                    unreachable!("the embedded model is checked by a test: {e}")
                }))
            });
        Arc::clone(&MODEL)
    }

    /// Reads and checks a model file.
    pub fn load(path: &Path) -> Result<Model, ModelError> {
        let bytes = std::fs::read(path)
            .map_err(|source| ModelError::Read { path: path.display().to_string(), source })?;
        Model::from_bytes(&bytes)
    }

    /// Checks and decodes a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(ModelError::Magic);
        }
        let rest = &bytes[MAGIC.len()..];
        let version =
            u16::from_le_bytes(take(rest, 0, 2)?.try_into().map_err(|_| ModelError::Truncated)?);
        if version != FORMAT_VERSION {
            return Err(ModelError::Format { found: version });
        }
        if bytes.len() < MAGIC.len() + 2 + 4 + 32 {
            return Err(ModelError::Truncated);
        }
        let (body, sum) = bytes.split_at(bytes.len() - 32);
        let checksum: [u8; 32] = Sha256::digest(body).into();
        if checksum[..] != sum[..] {
            return Err(ModelError::Checksum);
        }
        let body = &body[MAGIC.len() + 2..];
        let header_len =
            u32::from_le_bytes(take(body, 0, 4)?.try_into().map_err(|_| ModelError::Truncated)?)
                as usize;
        let header: Header = serde_json::from_slice(take(body, 4, header_len)?)
            .map_err(|e| ModelError::Header(e.to_string()))?;
        if header.features != FEATURES_VERSION {
            return Err(ModelError::Features { found: header.features });
        }
        let n = header.labels.len();
        if !BITS.contains(&header.bits) {
            return Err(ModelError::Header(format!("bits {} is not in 10..=22", header.bits)));
        }
        if n == 0 || n > MAX_LABELS {
            return Err(ModelError::Header(format!("{n} labels: 1..={MAX_LABELS} allowed")));
        }
        if header.scales.len() != n || header.biases.len() != n || header.thresholds.len() != n {
            return Err(ModelError::Header(
                "scales, biases and thresholds need one per label".into(),
            ));
        }
        let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
        if !finite(&header.scales) || !finite(&header.biases) {
            return Err(ModelError::Header("a scale or bias is not finite".into()));
        }
        if header.thresholds.iter().any(|t| !(0.0..=1.0).contains(t)) {
            return Err(ModelError::Header("thresholds must be in [0, 1]".into()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for label in &header.labels {
            crate::ids::check(crate::ids::IdKind::Label, label)
                .map_err(|e| ModelError::Header(format!("label {label:?}: {e}")))?;
            if !seen.insert(label) {
                return Err(ModelError::Header(format!("label {label:?} twice")));
            }
        }
        let weights = &body[4 + header_len..];
        if weights.len() != (1usize << header.bits) * n {
            return Err(ModelError::Truncated);
        }
        let weights: Vec<i8> = weights.iter().map(|&b| b as i8).collect();
        let rows = rows::Rows::new(&weights, n);
        Ok(Model { header, rows, checksum })
    }

    /// The file's bytes (what `baton train` writes).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&self.header, &self.rows.flat(self.header.labels.len()))
    }

    pub fn labels(&self) -> &[String] {
        &self.header.labels
    }

    /// The index of `label`, if the model has it.
    pub fn label(&self, label: &str) -> Option<usize> {
        self.header.labels.iter().position(|l| l == label)
    }

    /// The calibrated threshold of each label, in label order.
    pub fn thresholds(&self) -> &[f32] {
        &self.header.thresholds
    }

    pub fn provenance(&self) -> &Provenance {
        &self.header.provenance
    }

    pub fn bits(&self) -> u32 {
        self.header.bits
    }

    /// The SHA-256 that ends the file, in hex: names a model in logs and reports.
    pub fn checksum_hex(&self) -> String {
        self.checksum.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Scores `text` under every label: the logistic of `bias + scale · Σ w / √n` over its
    /// `n` features. Allocation-free.
    pub fn score(&self, text: &str) -> Scores {
        let n = self.header.labels.len();
        let (sums, count) = self.rows.sums(text, self.header.bits);
        let norm = features::norm(count);
        let mut p = [0f32; MAX_LABELS];
        for (i, out) in p.iter_mut().enumerate().take(n) {
            let z = self.header.biases[i] + self.header.scales[i] * sums[i] as f32 * norm;
            *out = sigmoid(z);
        }
        Scores { len: n, p }
    }

    /// Builds a model from trained weights (`train`), quantising each label's weights to `i8`.
    fn quantised(
        bits: u32,
        labels: Vec<String>,
        weights: &[f32],
        biases: Vec<f32>,
        provenance: Provenance,
    ) -> Model {
        let n = labels.len();
        let mut scales = vec![0f32; n];
        for (i, scale) in scales.iter_mut().enumerate() {
            let max = weights.iter().skip(i).step_by(n).fold(0f32, |m, w| m.max(w.abs()));
            *scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        }
        let q: Box<[i8]> = weights
            .iter()
            .enumerate()
            .map(|(j, w)| (w / scales[j % n]).round().clamp(-127.0, 127.0) as i8)
            .collect();
        let header = Header {
            features: FEATURES_VERSION,
            bits,
            thresholds: vec![0.5; n],
            labels,
            scales,
            biases,
            provenance,
        };
        let bytes = encode(&header, &q);
        let checksum = bytes[bytes.len() - 32..].try_into().unwrap_or([0; 32]);
        Model { header, rows: rows::Rows::new(&q, n), checksum }
    }

    /// The same model with new thresholds (calibration); the checksum follows.
    fn with_thresholds(mut self, thresholds: Vec<f32>) -> Model {
        self.header.thresholds = thresholds;
        let bytes = self.to_bytes();
        self.checksum = bytes[bytes.len() - 32..].try_into().unwrap_or([0; 32]);
        self
    }
}

fn encode(header: &Header, weights: &[i8]) -> Vec<u8> {
    // A header of plain numbers and strings always serialises.
    let json = serde_json::to_vec(header).unwrap_or_default();
    let mut out = Vec::with_capacity(MAGIC.len() + 6 + json.len() + weights.len() + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&u32::try_from(json.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend(weights.iter().map(|&w| w as u8));
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

fn take(bytes: &[u8], at: usize, len: usize) -> Result<&[u8], ModelError> {
    bytes.get(at..at.checked_add(len).ok_or(ModelError::Truncated)?).ok_or(ModelError::Truncated)
}

pub(crate) fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_loads_and_has_the_default_labels() {
        let model = Model::embedded();
        assert!(model.label(EXPLICIT_REQUEST).is_some());
        for topic in ["billing_dispute", "account_security", "legal", "cancellation"] {
            assert!(model.label(topic).is_some(), "{topic}");
        }
        assert_eq!(
            Model::from_bytes(&model.to_bytes()).expect("ok").checksum_hex(),
            model.checksum_hex()
        );
    }

    #[test]
    fn corrupt_truncated_and_foreign_files_are_refused() {
        let good = Model::embedded().to_bytes();
        let mut flipped = good.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 1;
        assert!(matches!(Model::from_bytes(&flipped), Err(ModelError::Checksum)));
        assert!(matches!(Model::from_bytes(&good[..good.len() - 1]), Err(ModelError::Checksum)));
        assert!(matches!(Model::from_bytes(&good[..10]), Err(ModelError::Truncated)));
        assert!(matches!(Model::from_bytes(b"GIF89a.."), Err(ModelError::Magic)));
        let mut newer = good.clone();
        newer[8] = 9;
        assert!(matches!(Model::from_bytes(&newer), Err(ModelError::Format { found: 9 })));
        // A well-formed file of another features version: its checksum is right, its
        // features are not.
        let model = Model::embedded();
        let mut header = model.header.clone();
        header.features = FEATURES_VERSION + 1;
        let other = encode(&header, &model.rows.flat(model.labels().len()));
        let err = Model::from_bytes(&other).expect_err("an error");
        assert!(matches!(err, ModelError::Features { .. }), "{err}");
        assert!(err.to_string().contains("baton train"));
    }

    #[test]
    fn scores_are_probabilities_and_bounded_in_cost() {
        let model = Model::embedded();
        for text in ["", "can i talk to a human", &"x".repeat(100_000), "é😀"] {
            let s = model.score(text);
            assert_eq!(s.as_slice().len(), model.labels().len());
            assert!(s.as_slice().iter().all(|p| (0.0..=1.0).contains(p)), "{text:.20}");
        }
    }
}
