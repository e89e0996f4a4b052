//! The `[frustration]` section: the cue phrase lists and how the score weighs its signals.
//! The trigger's threshold is `[escalation] frustration`, shifted by tier and load like the
//! other non-mandatory triggers.

use serde::{Deserialize, Serialize};

use super::phrases;

/// Cue phrases and weights of the frustration score. Every list replaces its default when
/// set; phrases are normalised like messages (see `detect`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FrustrationConfig {
    /// Persistence and repetition: "again", "third time", "already told you".
    pub persistence: Vec<String>,
    /// Complaints about waiting: "still waiting", "on hold", "no reply".
    pub waiting: Vec<String>,
    /// Complaints and insults aimed at the service or the bot: "useless", "unacceptable".
    pub complaint: Vec<String>,
    /// Profanity.
    pub profanity: Vec<String>,
    /// Share of the previous turn's conversation score carried into this turn's (0..1): a
    /// frustrated customer does not calm down at the first neutral message, nor stay
    /// frustrated for ever.
    pub carry: f64,
    /// The weights with the learned model's `frustration` head.
    pub weights: FrustrationWeights,
    /// The weights without it (`[model] enabled = false`, or a model with no such head): the
    /// cues and compound carry what the head would.
    pub without_model: FrustrationWeights,
}

impl FrustrationConfig {
    /// The weights for a message the model did (`true`) or did not score for frustration.
    pub fn weights_for(&self, head: bool) -> &FrustrationWeights {
        if head { &self.weights } else { &self.without_model }
    }
}

impl Default for FrustrationConfig {
    fn default() -> Self {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        FrustrationConfig {
            persistence: owned(phrases::PERSISTENCE),
            waiting: owned(phrases::WAITING),
            complaint: owned(phrases::COMPLAINT),
            profanity: owned(phrases::PROFANITY),
            carry: 0.5,
            weights: FrustrationWeights::default(),
            without_model: FrustrationWeights::WITHOUT_MODEL,
        }
    }
}

/// Weights of the score's logistic combination (log-odds per unit of each signal). The
/// defaults were fitted on out-of-fold scores of the default model's training data
/// (`tools/eval/frustration_eval.py --fit`), each held to the sign of its signal; refit
/// them after training a model of your own.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FrustrationWeights {
    pub bias: f64,
    /// Per unit of the learned model's log-odds for `frustration` (when it has that head).
    pub model: f64,
    /// Per unit of negative compound (0..1) ...
    pub negative: f64,
    /// ... and of positive compound (0..1; usually below zero).
    pub positive: f64,
    /// Per cue phrase found (at most two of each list count).
    pub persistence: f64,
    pub waiting: f64,
    pub complaint: f64,
    pub profanity: f64,
    /// Per unit of the share of words in capitals (counted from two such words on).
    pub shouting: f64,
    /// Per run of two or more `!` or `?` (at most two count).
    pub punctuation: f64,
    /// In a conversation: the message repeats one of the customer's previous two (per unit
    /// of word overlap, counted from half on).
    pub repeated: f64,
    /// In a conversation: per unit of falling compound per turn (the sentiment trend).
    pub slope: f64,
}

impl FrustrationWeights {
    /// The default `without_model`: the same fit with the model's weight held at zero.
    pub const WITHOUT_MODEL: FrustrationWeights = FrustrationWeights {
        bias: -3.249,
        model: 0.0,
        negative: 0.248,
        positive: -0.797,
        persistence: 0.853,
        waiting: 0.731,
        complaint: 2.702,
        profanity: 0.564,
        shouting: 0.0,
        punctuation: 0.0,
        repeated: 1.5,
        slope: 1.5,
    };
}

impl Default for FrustrationWeights {
    fn default() -> Self {
        // `tools/eval/frustration_eval.py --fit` on 2026-12-02 (24,506 rows, 7 folds). The
        // model head already reads the words the cue lists hold, so the fit leaves compound,
        // profanity and `!!` at zero beside it; they count with a model of one's own refitted.
        FrustrationWeights {
            bias: -0.328,
            model: 1.251,
            negative: 0.0,
            positive: -0.317,
            persistence: 0.198,
            waiting: 0.113,
            complaint: 0.378,
            profanity: 0.0,
            shouting: 0.064,
            punctuation: 0.0,
            repeated: 1.5,
            slope: 1.5,
        }
    }
}
