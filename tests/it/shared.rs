//! Access to the development data in `../shared/data` (beside the checkout, as in CI).

use std::path::PathBuf;

/// Path of a file under `shared/data`, or a plain explanation of why it is missing. Set
/// `BATON_SHARED` to point elsewhere; set `BATON_ALLOW_MISSING_SHARED=1` to let tests that need
/// it pass with a notice instead of failing.
pub fn data_file(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("BATON_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        PathBuf::from,
    );
    let path = root.join("data").join(relative);
    if path.is_file() {
        return Some(path);
    }
    let message = format!(
        "{} is absent: this test needs the development data checked out as ../shared beside \
         the repository (or BATON_SHARED pointing at it)",
        path.display()
    );
    if std::env::var_os("BATON_ALLOW_MISSING_SHARED").is_some() {
        eprintln!("SKIPPED: {message}");
        return None;
    }
    panic!("{message}; set BATON_ALLOW_MISSING_SHARED=1 to skip");
}

/// Path of a file under this crate's `golden/` folder.
pub fn golden_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("golden").join(name)
}
