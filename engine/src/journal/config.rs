//! `[store]`: where the journal lives.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// `[store]`. Without a directory everything stays in memory (the library's default, and
/// `baton serve --ephemeral`); `baton serve` defaults to `./baton-data`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// The data directory, created on first use; one process at a time.
    pub data_dir: Option<PathBuf>,
}
