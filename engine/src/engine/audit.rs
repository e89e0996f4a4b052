//! The audit trail through the engine: what the server records (refused credentials, a
//! configuration loaded) and reading the trail back (the admin endpoint behind `baton audit`).

use crate::journal::{AuditFilter, AuditKind, AuditRecord, read_audit};

use super::{Engine, EngineError};

/// Most records one read returns (`baton audit` pages with `since`).
pub const MAX_AUDIT_READ: usize = 100_000;

impl Engine {
    /// Adds a record to the audit trail.
    pub(crate) fn audit(
        &self,
        kind: AuditKind,
        actor: &str,
        conversation: Option<&str>,
        detail: String,
    ) {
        self.shared.audit(kind, actor, conversation, None, detail);
    }

    /// Records that a configuration was loaded: where from, and the SHA-256 of its text
    /// (`baton serve` calls it at start, before it serves); answers once it is written.
    pub async fn audit_config_loaded(&self, source: &str, sha256: &str) -> Result<(), EngineError> {
        self.audit(AuditKind::ConfigLoaded, "baton", None, format!("{source} sha256:{sha256}"));
        self.written().await
    }

    /// The audit records the filter takes, oldest first, at most [`MAX_AUDIT_READ`]; empty
    /// without a data directory (the log has them then, target `baton::audit`).
    pub async fn audit_trail(&self, filter: AuditFilter) -> Result<Vec<AuditRecord>, EngineError> {
        // Everything recorded before this call is written first.
        self.written().await?;
        let Some(backend) = self.shared.journal.reader() else {
            return Ok(Vec::new());
        };
        let read = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            read_audit(&*backend, &filter, |record| {
                if out.len() < MAX_AUDIT_READ {
                    out.push(record);
                }
                Ok(())
            })
            .map(|()| out)
        });
        match read.await {
            Ok(records) => Ok(records?),
            Err(e) => Err(EngineError::StorageUnavailable(format!("the audit read failed: {e}"))),
        }
    }
}
