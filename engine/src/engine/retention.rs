//! Retention through the engine: a sweep every `store.sweep_interval_s` removes finished
//! conversations and audit records past their times (`Engine::sweep_now` runs one at once).

use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::actors::shared::Shared;
use crate::journal::{Swept, sweep};

use super::{Engine, EngineError};

impl Engine {
    /// Runs a retention sweep now; returns what it removed (nothing without a data directory).
    pub async fn sweep_now(&self) -> Result<Swept, EngineError> {
        sweep_once(&self.shared).await
    }
}

async fn sweep_once(shared: &Arc<Shared>) -> Result<Swept, EngineError> {
    let Some(backend) = shared.journal.reader() else {
        return Ok(Swept::default());
    };
    let store = &shared.config().store;
    let finished = store.finished_retention_ms().map(|keep| shared.now_ms().saturating_sub(keep));
    let audit = store.audit_retention_ms().map(|keep| shared.unix_now_ms().saturating_sub(keep));
    let owner = Arc::clone(shared);
    let run =
        tokio::task::spawn_blocking(move || sweep(&*backend, &owner.journal, finished, audit));
    let swept = match run.await {
        Ok(swept) => swept?,
        Err(e) => return Err(EngineError::StorageUnavailable(format!("the sweep failed: {e}"))),
    };
    if swept != Swept::default() {
        tracing::info!(
            "retention: removed {} finished conversations ({} turns) and {} audit records",
            swept.conversations,
            swept.turns,
            swept.audit
        );
    }
    Ok(swept)
}

/// Sweeps every interval while the engine runs (it holds the engine weakly: a stopped
/// engine ends it).
pub(super) fn start_sweeper(shared: &Arc<Shared>) {
    if !shared.journal.is_durable() {
        return;
    }
    let every = Duration::from_secs(shared.config().store.sweep_interval_s);
    let shared: Weak<Shared> = Arc::downgrade(shared);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            let Some(shared) = shared.upgrade() else { return };
            if shared.is_stopped() {
                return;
            }
            if let Err(e) = sweep_once(&shared).await {
                tracing::warn!("retention sweep: {e}");
            }
        }
    });
}
