//! The audit trail: append-only records of who touched what — agents' logins and logouts,
//! every context packet or transcript delivered to an agent (redacted or not), every refused
//! credential or action, each configuration loaded. Keyed by time (Unix milliseconds, then a
//! sequence number), so retention removes the oldest first and a read starts from a point.

use serde::{Deserialize, Serialize};

use super::{Backend, Space, StoreError, decode};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    AgentLogin,
    AgentLogout,
    /// A context packet went to an agent with an offer.
    PacketDelivered,
    /// A transcript went to an agent (its `transcript` request).
    TranscriptDelivered,
    /// A credential was refused, or an agent asked for what is not theirs.
    AuthRefused,
    ConfigLoaded,
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When, Unix milliseconds.
    pub at_ms: u64,
    pub kind: AuditKind,
    /// Who acted: an agent id, `gateway`, `agent` (an unnamed desktop), or `baton`.
    pub actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<String>,
    /// For packets and transcripts: whether personal data was masked for this agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redacted: Option<bool>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// The key of a record: when (big-endian, so keys sort by time), then a sequence number.
pub fn audit_key(at_ms: u64, seq: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(16);
    key.extend_from_slice(&at_ms.to_be_bytes());
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

/// Which records to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub conversation: Option<String>,
    /// Records this agent made, or that concern it.
    pub agent: Option<String>,
    /// From this Unix millisecond on.
    pub since_ms: u64,
}

impl AuditFilter {
    pub fn matches(&self, record: &AuditRecord) -> bool {
        record.at_ms >= self.since_ms
            && self.conversation.as_ref().is_none_or(|c| record.conversation.as_ref() == Some(c))
            && self.agent.as_ref().is_none_or(|a| &record.actor == a)
    }
}

/// Records read per step, so a long trail is never held whole.
const PAGE: usize = 4096;

/// Calls `each` with every record the filter takes, oldest first.
pub fn read_audit(
    backend: &dyn Backend,
    filter: &AuditFilter,
    mut each: impl FnMut(AuditRecord) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut from = audit_key(filter.since_ms, 0);
    loop {
        let page = backend.range(Space::Audit, &from, None, PAGE)?;
        let full = page.len() == PAGE;
        for (key, value) in &page {
            let record: AuditRecord = decode(Space::Audit, key, value)?;
            if filter.matches(&record) {
                each(record)?;
            }
        }
        match page.last() {
            Some((last, _)) if full => {
                from = last.clone();
                from.push(0);
            }
            _ => return Ok(()),
        }
    }
}
