//! The embedded store: fjall, one keyspace per [`Space`], one atomic batch per group commit.
//!
//! Known fjall problems this is shaped around: a rarely written keyspace keeps old journal
//! files alive (fjall#288), so the journal size is capped with `max_journaling_size` (which
//! flushes the memtables holding the oldest journal back) and no keyspace is ever `clear()`ed;
//! opening replays the journal (fjall#261), which the cap bounds too.

use std::path::{Path, PathBuf};

use fjall::{Database, Keyspace, KeyspaceCreateOptions, PersistMode};

use super::{Backend, Op, Records, Space, StoreError};

/// The journal's cap (fjall's least): past it, fjall flushes the oldest memtables.
const MAX_JOURNALING_BYTES: u64 = 64 * 1024 * 1024;

pub struct FjallBackend {
    db: Database,
    spaces: Vec<Keyspace>,
    path: PathBuf,
}

impl std::fmt::Debug for FjallBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FjallBackend").field("path", &self.path).finish_non_exhaustive()
    }
}

impl FjallBackend {
    /// Opens (or creates) the store in `dir`; refuses a directory another process holds.
    pub fn open(dir: &Path) -> Result<FjallBackend, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, &e.to_string()))?;
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
        Ok(FjallBackend { db, spaces, path: dir.to_path_buf() })
    }

    /// Writes every keyspace's memtable out to its tables (tests that need records on disk
    /// outside the journal, and a clean hand-over).
    pub fn flush_tables(&self) -> Result<(), StoreError> {
        for keyspace in &self.spaces {
            keyspace.rotate_memtable_and_wait().map_err(|e| io(&self.path, &e.to_string()))?;
        }
        Ok(())
    }

    fn space(&self, space: Space) -> &Keyspace {
        &self.spaces[space.index()]
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
        let mode = if sync { PersistMode::SyncAll } else { PersistMode::Buffer };
        let mut batch = self.db.batch().durability(Some(mode));
        for op in ops {
            let keyspace = self.space(op.space);
            match &op.value {
                Some(value) => batch.insert(keyspace, op.key.as_slice(), value.as_slice()),
                None => batch.remove(keyspace, op.key.as_slice()),
            }
        }
        batch.commit().map_err(|e| io(&self.path, &e.to_string()))
    }

    fn scan(&self, space: Space, prefix: &[u8]) -> Result<Records, StoreError> {
        let keyspace = self.space(space);
        let mut out = Vec::new();
        for guard in keyspace.prefix(prefix) {
            let (key, value) = guard.into_inner().map_err(|e| read_error(keyspace.path(), &e))?;
            out.push((key.to_vec(), value.to_vec()));
        }
        Ok(out)
    }

    fn get(&self, space: Space, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let keyspace = self.space(space);
        keyspace
            .get(key)
            .map(|v| v.map(|v| v.to_vec()))
            .map_err(|e| read_error(keyspace.path(), &e))
    }

    fn range(
        &self,
        space: Space,
        from: &[u8],
        to: Option<&[u8]>,
        limit: usize,
    ) -> Result<Records, StoreError> {
        let keyspace = self.space(space);
        let iter = match to {
            Some(to) => keyspace.range(from..to),
            None => keyspace.range(from..),
        };
        let mut out = Vec::new();
        for guard in iter.take(limit) {
            let (key, value) = guard.into_inner().map_err(|e| read_error(keyspace.path(), &e))?;
            out.push((key.to_vec(), value.to_vec()));
        }
        Ok(out)
    }

    fn disk_bytes(&self) -> u64 {
        self.db.disk_space().unwrap_or(0)
    }
}
