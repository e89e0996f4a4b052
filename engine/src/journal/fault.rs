//! Crash points for the crash harness, in fault-injection builds only:
//! `BATON_FAULT_ABORT=POINT:N` aborts the process (as `kill -9` would stop it: nothing more is
//! written) the N-th time the code reaches `POINT`. Points: `journal.before_apply`,
//! `journal.after_apply` (the write is in the store, nothing waiting on it is answered yet),
//! `journal.mid_group` (half of a group's writes applied, at a write's boundary), and
//! `recovery.conversation` (in the middle of a start's recovery). Other builds compile
//! every point to nothing.

#[cfg(feature = "fault-injection")]
mod armed {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

    static ARMED: OnceLock<Option<(String, u64)>> = OnceLock::new();
    static HITS: AtomicU64 = AtomicU64::new(0);

    fn armed() -> Option<&'static (String, u64)> {
        ARMED
            .get_or_init(|| {
                let spec = std::env::var("BATON_FAULT_ABORT").ok()?;
                let (point, n) = spec.split_once(':')?;
                Some((point.to_owned(), n.parse().ok()?))
            })
            .as_ref()
    }

    pub fn hit(point: &str) -> bool {
        match armed() {
            Some((armed, n)) if armed == point => HITS.fetch_add(1, Relaxed) + 1 == *n,
            _ => false,
        }
    }
}

/// Whether this reach of `point` is the armed one (the caller then does its part and calls
/// [`abort`]).
pub(crate) fn hit(point: &str) -> bool {
    #[cfg(feature = "fault-injection")]
    {
        armed::hit(point)
    }
    #[cfg(not(feature = "fault-injection"))]
    {
        let _ = point;
        false
    }
}

/// Stops the process at once, as a crash would.
pub(crate) fn abort(point: &str) -> ! {
    eprintln!("baton: injected crash at {point}");
    std::process::abort()
}

/// Aborts here if this reach of `point` is the armed one.
pub(crate) fn point(point: &str) {
    if hit(point) {
        abort(point);
    }
}
