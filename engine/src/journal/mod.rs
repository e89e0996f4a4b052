//! The durable store behind one seam: keyed records in named spaces, written in order by one
//! writer thread with group commit ([`Journal`]), read back whole on start.
//!
//! The seam is [`Backend`]: an ordered batch of puts and deletes, applied atomically, and
//! reads by key or prefix. The embedded default is fjall ([`FjallBackend`]); a replicated log
//! can stand behind the same trait (a batch is one append; reads come from the state it
//! materializes). Records are opaque bytes here: each owner (a conversation, a queue, the
//! callback store, the directory) encodes its own with [`encode`] / [`decode`].

mod audit;
mod config;
pub(crate) mod fault;
mod fjall;
mod memory;
mod retention;
mod writer;

use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use audit::{AuditFilter, AuditKind, AuditRecord, audit_key, read_audit};
pub use config::StoreConfig;
pub use fjall::FjallBackend;
pub use memory::MemoryBackend;
pub use retention::{Swept, sweep};
pub use writer::{Journal, JournalStats};

/// A named set of records, one per kind of fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Space {
    /// A conversation's record (without its transcript), by conversation id.
    Conversations,
    /// Transcript turns, by conversation id, `0`, turn number (big-endian `u32`).
    Turns,
    /// Queue entries, by skill, `0`, conversation id.
    Queue,
    /// Callback tickets, by conversation id.
    Callbacks,
    /// Customer profiles and contact histories, by customer id.
    Directory,
    /// Facts about the store itself (the engine clock's origin).
    Meta,
    /// Agents' sessions (who is logged in, with what skills and presence), by agent id.
    Agents,
    /// The audit trail, append-only: by time (big-endian Unix ms), then a sequence number.
    Audit,
    /// Finished conversations by when they finished (engine clock, big-endian), then id:
    /// the retention sweep's index (values empty).
    Finished,
}

impl Space {
    pub const ALL: [Space; 9] = [
        Space::Conversations,
        Space::Turns,
        Space::Queue,
        Space::Callbacks,
        Space::Directory,
        Space::Meta,
        Space::Agents,
        Space::Audit,
        Space::Finished,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Space::Conversations => "conversations",
            Space::Turns => "turns",
            Space::Queue => "queue",
            Space::Callbacks => "callbacks",
            Space::Directory => "directory",
            Space::Meta => "meta",
            Space::Agents => "agents",
            Space::Audit => "audit",
            Space::Finished => "finished",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One write: a put, or a delete when `value` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub space: Space,
    pub key: Vec<u8>,
    pub value: Option<Vec<u8>>,
}

impl Op {
    pub fn put(space: Space, key: impl Into<Vec<u8>>, value: Vec<u8>) -> Op {
        Op { space, key: key.into(), value: Some(value) }
    }

    pub fn delete(space: Space, key: impl Into<Vec<u8>>) -> Op {
        Op { space, key: key.into(), value: None }
    }
}

/// How far a write must get before what follows it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Durability {
    /// Handed to the operating system: survives the process being killed (`kill -9`).
    Os,
    /// Synced to the disk (`fsync`): survives power loss. Callback tickets, a promise to a
    /// person, are written so.
    Disk,
}

/// Why the store cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the data directory {0} is in use by another process (another `baton serve`?); stop it or \
         choose another --data-dir"
    )]
    Locked(PathBuf),
    #[error("storage unavailable: {0}")]
    Io(String),
    #[error("corrupt record in the store's {space} (key {key:?}): {detail}")]
    Corrupt { space: &'static str, key: String, detail: String },
    /// A file of the store failed its checksum (not a torn tail, which is cut off at start).
    #[error(
        "the store is damaged in {path}: {detail}. Baton will not start on it, so nothing is \
         dropped silently: restore the data directory from a backup, or move it aside to start \
         empty"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error("the journal writer has stopped")]
    Stopped,
}

/// Records in key order, as `(key, value)`.
pub type Records = Vec<(Vec<u8>, Vec<u8>)>;

/// Where records are kept. Implementations apply a batch atomically and in the order given.
pub trait Backend: Send + Sync + 'static {
    /// Applies `ops` as one atomic batch: handed to the OS when this returns, and synced to
    /// disk first when `sync`.
    fn apply(&self, ops: &[Op], sync: bool) -> Result<(), StoreError>;
    /// Every record of `space` whose key starts with `prefix`, in key order.
    fn scan(&self, space: Space, prefix: &[u8]) -> Result<Records, StoreError>;
    fn get(&self, space: Space, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// At most `limit` records of `space` with `from <= key` (and `key < to`, if given), in
    /// key order: the oldest of a space keyed by time, or a read from a point on.
    fn range(
        &self,
        space: Space,
        from: &[u8],
        to: Option<&[u8]>,
        limit: usize,
    ) -> Result<Records, StoreError>;
    /// Bytes the store takes on disk (0 in memory).
    fn disk_bytes(&self) -> u64;
}

/// The format version leading every record.
const FORMAT: u8 = 1;

/// Encodes a record: a format byte, then MessagePack with field names (fields may be added
/// later without breaking older records).
pub fn encode<T: Serialize>(record: &T) -> Vec<u8> {
    let mut out = vec![FORMAT];
    // Writing to a Vec cannot fail, and our records have only string keys.
    if let Err(e) = rmp_serde::encode::write_named(&mut out, record) {
        unreachable!("a record always encodes: {e}");
    }
    out
}

/// Decodes a record [`encode`] wrote; names the space and key when it cannot.
pub fn decode<T: DeserializeOwned>(
    space: Space,
    key: &[u8],
    bytes: &[u8],
) -> Result<T, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        space: space.name(),
        key: String::from_utf8_lossy(key).into_owned(),
        detail,
    };
    match bytes.split_first() {
        Some((&FORMAT, body)) => rmp_serde::from_slice(body).map_err(|e| corrupt(e.to_string())),
        Some((version, _)) => Err(corrupt(format!("unknown record format {version}"))),
        None => Err(corrupt("empty record".to_owned())),
    }
}

/// A key of two parts (`a`, a zero byte, `b`): ids never hold control characters, so the
/// prefix `a` + `0` finds exactly `a`'s records.
pub fn key2(a: &str, b: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(a.len() + 1 + b.len());
    key.extend_from_slice(a.as_bytes());
    key.push(0);
    key.extend_from_slice(b);
    key
}

/// The prefix of every [`key2`] whose first part is `a`.
pub fn prefix(a: &str) -> Vec<u8> {
    key2(a, &[])
}
