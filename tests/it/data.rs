//! The files the tests read, all committed beside them (`tests/data`, `tests/golden`): the
//! suite needs nothing outside the checkout.

use std::path::PathBuf;

/// Path of a file under this crate's `data/` folder (sources and licences in its README).
pub fn data_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data").join(relative)
}

/// Path of a file under this crate's `golden/` folder.
pub fn golden_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("golden").join(name)
}
