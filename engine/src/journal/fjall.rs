//! The embedded store: fjall, one keyspace per [`Space`], one atomic batch per group commit.
//!
//! Known fjall problems this is shaped around: a rarely written keyspace keeps old journal
//! files alive (fjall#288), so the journal size is capped with `max_journaling_size` (which
//! flushes the memtables holding the oldest journal back) and no keyspace is ever `clear()`ed;
//! opening replays the journal (fjall#261), which the cap bounds too. fjall refuses every
//! write after its first I/O error (a full disk), so after a failed write the next one closes
//! the database and opens it again from its files, which is how the store comes back once
//! the disk has room, without a restart.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{RwLock, RwLockReadGuard};

use fjall::{Database, Keyspace, KeyspaceCreateOptions, PersistMode};

use super::{Backend, Op, Records, Space, StoreError};

/// The journal's cap (fjall's least): past it, fjall flushes the oldest memtables.
const MAX_JOURNALING_BYTES: u64 = 64 * 1024 * 1024;

struct Open {
    db: Database,
    spaces: Vec<Keyspace>,
}

pub struct FjallBackend {
    /// `None` while closed after a failure and not yet opened again.
    open: RwLock<Option<Open>>,
    /// A write failed: the next one reopens first.
    failed: AtomicBool,
    path: PathBuf,
}

impl std::fmt::Debug for FjallBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FjallBackend").field("path", &self.path).finish_non_exhaustive()
    }
}

fn open_at(dir: &Path) -> Result<Open, StoreError> {
    let db = Database::builder(dir).max_journaling_size(MAX_JOURNALING_BYTES).open().map_err(
        |e| match e {
            fjall::Error::Locked => StoreError::Locked(dir.to_path_buf()),
            other => read_error(dir, &other),
        },
    )?;
    let mut spaces = Vec::with_capacity(Space::ALL.len());
    for space in Space::ALL {
        let keyspace = db
            .keyspace(space.name(), KeyspaceCreateOptions::default)
            .map_err(|e| io(dir, &e.to_string()))?;
        spaces.push(keyspace);
    }
    Ok(Open { db, spaces })
}

impl FjallBackend {
    /// Opens (or creates) the store in `dir`; refuses a directory another process holds.
    pub fn open(dir: &Path) -> Result<FjallBackend, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, &e.to_string()))?;
        let open = open_at(dir)?;
        Ok(FjallBackend {
            open: RwLock::new(Some(open)),
            failed: AtomicBool::new(false),
            path: dir.to_path_buf(),
        })
    }

    fn read(&self) -> RwLockReadGuard<'_, Option<Open>> {
        self.open.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// After a failed write: closes the database and opens it again from its files (what
    /// reached them before the failure is there; the failed batch is not).
    fn reopen(&self) -> Result<(), StoreError> {
        let mut open = self.open.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        // The old database must be gone (its lock file released) before the new one opens.
        drop(open.take());
        *open = Some(open_at(&self.path)?);
        self.failed.store(false, SeqCst);
        tracing::warn!("store {}: opened again after a failed write", self.path.display());
        Ok(())
    }

    /// Writes every keyspace's memtable out to its tables (tests that need records on disk
    /// outside the journal, and a clean hand-over).
    pub fn flush_tables(&self) -> Result<(), StoreError> {
        let open = self.read();
        let open = open.as_ref().ok_or_else(|| self.closed())?;
        for keyspace in &open.spaces {
            keyspace.rotate_memtable_and_wait().map_err(|e| io(&self.path, &e.to_string()))?;
        }
        Ok(())
    }

    fn closed(&self) -> StoreError {
        io(&self.path, "closed after a failed write; it opens again with the next write")
    }

    /// Runs `f` on the keyspace of `space`.
    fn with_space<T>(
        &self,
        space: Space,
        f: impl FnOnce(&Keyspace) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let open = self.read();
        let open = open.as_ref().ok_or_else(|| self.closed())?;
        f(&open.spaces[space.index()])
    }
}

fn io(dir: &Path, detail: &str) -> StoreError {
    StoreError::Io(format!("{}: {detail}", dir.display()))
}

/// A read's error: damage to the files under `path` (a checksum that does not match, a block
/// that does not decompress) is told apart from a failing disk. fjall's error types are not
/// all public, so their names are read from the debug form.
fn read_error(path: &Path, e: &fjall::Error) -> StoreError {
    let detail = format!("{e:?}");
    let damaged =
        ["ChecksumMismatch", "Decompress", "InvalidTrailer", "InvalidHeader", "Unrecoverable"]
            .iter()
            .any(|kind| detail.contains(kind));
    if damaged {
        StoreError::Damaged { path: path.to_path_buf(), detail }
    } else {
        io(path, &e.to_string())
    }
}

impl Backend for FjallBackend {
    fn apply(&self, ops: &[Op], sync: bool) -> Result<(), StoreError> {
        if self.failed.load(SeqCst) {
            self.reopen()?;
        }
        let open = self.read();
        let open = open.as_ref().ok_or_else(|| self.closed())?;
        let mode = if sync { PersistMode::SyncAll } else { PersistMode::Buffer };
        let mut batch = open.db.batch().durability(Some(mode));
        for op in ops {
            let keyspace = &open.spaces[op.space.index()];
            match &op.value {
                Some(value) => batch.insert(keyspace, op.key.as_slice(), value.as_slice()),
                None => batch.remove(keyspace, op.key.as_slice()),
            }
        }
        batch.commit().map_err(|e| {
            self.failed.store(true, SeqCst);
            io(&self.path, &e.to_string())
        })
    }

    fn scan(&self, space: Space, prefix: &[u8]) -> Result<Records, StoreError> {
        self.with_space(space, |keyspace| {
            let mut out = Vec::new();
            for guard in keyspace.prefix(prefix) {
                let (key, value) =
                    guard.into_inner().map_err(|e| read_error(keyspace.path(), &e))?;
                out.push((key.to_vec(), value.to_vec()));
            }
            Ok(out)
        })
    }

    fn get(&self, space: Space, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.with_space(space, |keyspace| {
            keyspace
                .get(key)
                .map(|v| v.map(|v| v.to_vec()))
                .map_err(|e| read_error(keyspace.path(), &e))
        })
    }

    fn range(
        &self,
        space: Space,
        from: &[u8],
        to: Option<&[u8]>,
        limit: usize,
    ) -> Result<Records, StoreError> {
        self.with_space(space, |keyspace| {
            let iter = match to {
                Some(to) => keyspace.range(from..to),
                None => keyspace.range(from..),
            };
            let mut out = Vec::new();
            for guard in iter.take(limit) {
                let (key, value) =
                    guard.into_inner().map_err(|e| read_error(keyspace.path(), &e))?;
                out.push((key.to_vec(), value.to_vec()));
            }
            Ok(out)
        })
    }

    fn disk_bytes(&self) -> u64 {
        self.read().as_ref().map_or(0, |open| open.db.disk_space().unwrap_or(0))
    }
}
