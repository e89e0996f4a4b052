//! Retention: finished conversations (record and transcript) and audit records older than
//! their configured times are removed, oldest first, a page at a time, through the journal's
//! writer (so a removal is ordered with every other write and never races one).

use super::{Backend, Durability, Journal, Op, Space, StoreError, audit_key, prefix};

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub conversations: usize,
    pub turns: usize,
    pub audit: usize,
}

/// Records removed per batch.
const PAGE: usize = 1024;

/// Removes conversations finished before `finished_before_ms` (engine clock) and audit
/// records from before `audit_before_ms` (Unix ms); `None` keeps them. Runs on a blocking
/// thread: it reads the store and waits for its own deletes between pages.
pub fn sweep(
    backend: &dyn Backend,
    journal: &Journal,
    finished_before_ms: Option<u64>,
    audit_before_ms: Option<u64>,
) -> Result<Swept, StoreError> {
    let mut swept = Swept::default();
    if let Some(before) = finished_before_ms {
        let end = before.to_be_bytes();
        loop {
            let page = backend.range(Space::Finished, &[], Some(&end), PAGE)?;
            let mut ops = Vec::new();
            for (key, _) in &page {
                let id = String::from_utf8_lossy(&key[8.min(key.len())..]).into_owned();
                for (turn, _) in backend.scan(Space::Turns, &prefix(&id))? {
                    ops.push(Op::delete(Space::Turns, turn));
                    swept.turns += 1;
                }
                ops.push(Op::delete(Space::Conversations, id.into_bytes()));
                ops.push(Op::delete(Space::Finished, key.clone()));
                swept.conversations += 1;
            }
            written(journal, ops)?;
            if page.len() < PAGE {
                break;
            }
        }
    }
    if let Some(before) = audit_before_ms {
        let end = audit_key(before, 0);
        loop {
            let page = backend.range(Space::Audit, &[], Some(&end), PAGE)?;
            swept.audit += page.len();
            let ops = page.iter().map(|(key, _)| Op::delete(Space::Audit, key.clone())).collect();
            written(journal, ops)?;
            if page.len() < PAGE {
                break;
            }
        }
    }
    Ok(swept)
}

/// Queues `ops` and waits until they are applied, so the next page does not see them again.
fn written(journal: &Journal, ops: Vec<Op>) -> Result<(), StoreError> {
    if ops.is_empty() {
        return Ok(());
    }
    journal.write(ops, Durability::Os);
    let (tx, rx) = std::sync::mpsc::channel();
    journal.then(move |result| {
        let _ = tx.send(result);
    });
    rx.recv().unwrap_or(Err(StoreError::Stopped))
}
