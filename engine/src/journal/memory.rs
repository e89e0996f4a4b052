//! A store in memory: `--ephemeral`, and tests. It can forget what was never synced, as a
//! power loss would ([`MemoryBackend::lose_unsynced`]).

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{Backend, Op, Records, Space, StoreError};

type Spaces = [BTreeMap<Vec<u8>, Vec<u8>>; Space::ALL.len()];

#[derive(Debug, Default)]
struct Inner {
    /// What a process crash keeps (handed to the OS).
    written: Spaces,
    /// What a power loss keeps (synced).
    synced: Spaces,
}

#[derive(Debug, Default)]
pub struct MemoryBackend {
    inner: Mutex<Inner>,
}

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets every write not synced since, as a power loss would.
    pub fn lose_unsynced(&self) {
        let mut inner = self.lock();
        inner.written = inner.synced.clone();
    }

    /// Whether `key` of `space` is in what a power loss would keep, as it is now.
    pub fn is_synced(&self, space: Space, key: &[u8]) -> bool {
        let inner = self.lock();
        inner.synced[space.index()].get(key) == inner.written[space.index()].get(key)
            && inner.synced[space.index()].contains_key(key)
    }
}

fn apply_to(records: &mut Spaces, ops: &[Op]) {
    for op in ops {
        let space = &mut records[op.space.index()];
        match &op.value {
            Some(value) => {
                space.insert(op.key.clone(), value.clone());
            }
            None => {
                space.remove(&op.key);
            }
        }
    }
}

impl Backend for MemoryBackend {
    fn apply(&self, ops: &[Op], sync: bool) -> Result<(), StoreError> {
        let mut inner = self.lock();
        apply_to(&mut inner.written, ops);
        if sync {
            inner.synced = inner.written.clone();
        }
        Ok(())
    }

    fn scan(&self, space: Space, prefix: &[u8]) -> Result<Records, StoreError> {
        let inner = self.lock();
        Ok(inner.written[space.index()]
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn get(&self, space: Space, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.lock().written[space.index()].get(key).cloned())
    }

    fn range(
        &self,
        space: Space,
        from: &[u8],
        to: Option<&[u8]>,
        limit: usize,
    ) -> Result<Records, StoreError> {
        let inner = self.lock();
        Ok(inner.written[space.index()]
            .range(from.to_vec()..)
            .take_while(|(k, _)| to.is_none_or(|to| k.as_slice() < to))
            .take(limit)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn disk_bytes(&self) -> u64 {
        0
    }
}
