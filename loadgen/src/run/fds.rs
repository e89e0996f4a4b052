//! Open files: an agent over the network is a connection of its own (both ends of it in this
//! process when the server is embedded), so a large floor needs more descriptors than the
//! usual soft limit. The run raises the soft limit to the hard one, and refuses to start,
//! saying why, when even that is too few.

/// Makes sure `needed` descriptors can be open at once.
pub(super) fn ensure(needed: u64) -> anyhow::Result<()> {
    let limit = raise_soft_limit();
    match limit {
        Some(limit) if limit < needed => anyhow::bail!(
            "this run needs about {needed} open files (one connection per agent, and the \
             server's end of each when embedded) and the limit is {limit}: raise it \
             (`ulimit -n {needed}`, as root or within the hard limit), use fewer agents, or \
             --in-process"
        ),
        _ => Ok(()),
    }
}

/// Raises `RLIMIT_NOFILE`'s soft limit to its hard limit; returns the soft limit now (`None`
/// when it cannot be read).
#[allow(unsafe_code)]
fn raise_soft_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `getrlimit` writes one `rlimit` through a valid pointer to a local.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
        // SAFETY: `setrlimit` reads one `rlimit` through a valid pointer to a local.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit.rlim_cur = limit.rlim_max;
        }
    }
    Some(limit.rlim_cur)
}
