//! The `[sentiment]` section: how the per-conversation tracker smooths scores.

use serde::{Deserialize, Serialize};

/// The per-conversation sentiment tracker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SentimentConfig {
    /// Weight of the newest customer turn in the moving average (0 < alpha <= 1).
    pub ewma_alpha: f64,
    /// Customer turns in the trend (least-squares slope of compound per turn), 2..=16.
    pub trend_window: usize,
}

impl Default for SentimentConfig {
    fn default() -> Self {
        SentimentConfig { ewma_alpha: 0.5, trend_window: 4 }
    }
}
