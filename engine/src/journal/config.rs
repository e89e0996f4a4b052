//! `[store]`: where the journal lives.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// `[store]`. Without a directory everything stays in memory (the library's default, and
/// `baton serve --ephemeral`); `baton serve` defaults to `./baton-data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// The data directory, created on first use; one process at a time.
    pub data_dir: Option<PathBuf>,
    /// Days a finished conversation (record and transcript) is kept, then removed; 0 keeps
    /// them for ever.
    pub finished_retention_days: u64,
    /// Days an audit record is kept; 0 keeps them for ever.
    pub audit_retention_days: u64,
    /// Seconds between retention sweeps (the first runs this long after start).
    pub sweep_interval_s: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            data_dir: None,
            finished_retention_days: 30,
            audit_retention_days: 365,
            sweep_interval_s: 3600,
        }
    }
}

const DAY_MS: u64 = 86_400_000;

impl StoreConfig {
    /// Finished conversations older than this (ms) are removed; `None` keeps them.
    pub fn finished_retention_ms(&self) -> Option<u64> {
        (self.finished_retention_days > 0)
            .then(|| self.finished_retention_days.saturating_mul(DAY_MS))
    }

    pub fn audit_retention_ms(&self) -> Option<u64> {
        (self.audit_retention_days > 0).then(|| self.audit_retention_days.saturating_mul(DAY_MS))
    }
}
