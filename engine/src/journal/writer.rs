//! The one writer: every write goes through a crossbeam channel to a thread that applies
//! what has gathered as one batch (group commit), syncs when any write in it asks, and only
//! then runs what waited for those writes (replies that confirm a state change).
//!
//! The thread parks when the channel is empty and every send unparks it (a flag swap while
//! it is awake; a wake-up only when it sleeps). A blocking `recv` would spin and yield the
//! processor several times before it parked, which at a few writes a second costs more than
//! the writes.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, TryRecvError};

use super::{Backend, Durability, Op, StoreError, fault};

/// Most jobs applied as one batch.
const MAX_GROUP: usize = 1024;

/// What runs once everything written before it is in the store (or failed).
type Then = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

enum Job {
    Write(Vec<Op>, Durability),
    Then(Then),
    /// Apply what is queued, then stop (and close the store).
    Stop,
}

/// Counters of the writer (for metrics and the benchmarks).
#[derive(Debug, Default)]
pub struct JournalStats {
    pub batches: AtomicU64,
    pub ops: AtomicU64,
    pub syncs: AtomicU64,
    pub failures: AtomicU64,
    /// The store's size on disk, refreshed at most once a second while writes go on.
    pub disk_bytes: AtomicU64,
}

/// The handle actors write through. Without a backend (`--ephemeral`) writes are dropped
/// and what waits on them runs at once.
pub struct Journal {
    tx: Option<Sender<Job>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// The writer thread, unparked after every send.
    writer: Option<std::thread::Thread>,
    /// The store, for reads (the audit trail, transcripts beyond the window); dropped at
    /// close with the writer's, so the directory's lock is released.
    reader: Mutex<Option<Arc<dyn Backend>>>,
    pub stats: Arc<JournalStats>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("durable", &self.is_durable()).finish_non_exhaustive()
    }
}

impl Journal {
    /// Nothing is kept: everything stays in memory.
    pub fn ephemeral() -> Journal {
        Journal {
            tx: None,
            thread: Mutex::new(None),
            writer: None,
            reader: Mutex::new(None),
            stats: Arc::default(),
        }
    }

    /// Starts the writer thread, which owns `backend` from now on (the store closes when the
    /// thread ends: [`Journal::close`], or the journal dropped).
    pub fn start(backend: Arc<dyn Backend>) -> Journal {
        let (tx, rx) = crossbeam_channel::unbounded();
        let stats = Arc::new(JournalStats::default());
        let reader = Mutex::new(Some(Arc::clone(&backend)));
        let thread = {
            let stats = Arc::clone(&stats);
            std::thread::Builder::new()
                .name("baton-journal".into())
                .spawn(move || run(&*backend, &rx, &stats))
                .ok()
        };
        let writer = thread.as_ref().map(|t| t.thread().clone());
        Journal { tx: Some(tx), thread: Mutex::new(thread), writer, reader, stats }
    }

    /// The store to read from, until the journal closes. A read sees every write applied so
    /// far: wait on [`Journal::then`] first to see those queued too.
    pub fn reader(&self) -> Option<Arc<dyn Backend>> {
        self.reader.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    pub fn is_durable(&self) -> bool {
        self.tx.is_some()
    }

    /// Queues a write. Writes are applied in the order they were queued.
    pub fn write(&self, ops: Vec<Op>, durability: Durability) {
        if let Some(tx) = &self.tx
            && !ops.is_empty()
        {
            // The writer only stops when the journal is dropped or stopped.
            let _ = tx.send(Job::Write(ops, durability));
            self.wake();
        }
    }

    /// Runs `then` once every write queued before it is applied (or has failed, which it is
    /// told). Ephemeral: at once.
    pub fn then(&self, then: impl FnOnce(Result<(), StoreError>) + Send + 'static) {
        match &self.tx {
            None => then(Ok(())),
            Some(tx) => {
                if let Err(crossbeam_channel::SendError(Job::Then(then))) =
                    tx.send(Job::Then(Box::new(then)))
                {
                    then(Err(StoreError::Stopped));
                }
                self.wake();
            }
        }
    }

    /// Applies everything queued, stops the writer and closes the store (its lock released, so
    /// another engine may open the directory). Later writes are dropped and what waits on
    /// them is told `Stopped`.
    pub fn close(&self) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Job::Stop);
            self.wake();
        }
        self.reader.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        let handle = self.thread.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

impl Journal {
    /// Wakes the writer for what was just sent.
    fn wake(&self) {
        if let Some(writer) = &self.writer {
            writer.unpark();
        }
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        // Dropping the sender ends the thread once it has applied everything queued.
        self.tx = None;
        self.wake();
        let handle = self.thread.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

/// A fault for the crash harness: every batch waits this long before it is applied
/// (`BATON_FAULT_JOURNAL_DELAY_MS`, fault-injection builds only), which holds the window
/// between a change and its write open wide enough for a kill to land in it.
fn injected_delay() -> Option<std::time::Duration> {
    if !cfg!(feature = "fault-injection") {
        return None;
    }
    let ms: u64 = std::env::var("BATON_FAULT_JOURNAL_DELAY_MS").ok()?.parse().ok()?;
    Some(std::time::Duration::from_millis(ms))
}

/// The writer's own pace for reading the store's size (not the engine clock, which tests
/// pause: this is an OS thread measuring real time).
#[allow(clippy::disallowed_types)]
type Wall = std::time::Instant;

/// The next job, parking while there is none; `None` once every sender is gone.
fn next(rx: &Receiver<Job>) -> Option<Job> {
    loop {
        match rx.try_recv() {
            Ok(job) => return Some(job),
            // A send after the check unparks the thread, and an unpark before `park` makes
            // it return at once: no wake-up is lost. (Spurious returns just look again.)
            Err(TryRecvError::Empty) => std::thread::park(),
            Err(TryRecvError::Disconnected) => return None,
        }
    }
}

fn run(backend: &dyn Backend, rx: &Receiver<Job>, stats: &JournalStats) {
    let delay = injected_delay();
    stats.disk_bytes.store(backend.disk_bytes(), Relaxed);
    let mut sized = Wall::now();
    // The first failure since what waits was last answered.
    let mut failed: Option<StoreError> = None;
    let mut ops = Vec::new();
    // Where each write of the group ends in `ops` (a crash point cuts a group only there).
    let mut bounds: Vec<usize> = Vec::new();
    let mut waiting: Vec<Then> = Vec::new();
    let mut stop = false;
    while !stop && let Some(first) = next(rx) {
        let mut sync = false;
        let mut take = |job: Job, ops: &mut Vec<Op>, waiting: &mut Vec<Then>| match job {
            Job::Write(mut batch, durability) => {
                sync |= durability == Durability::Disk;
                ops.append(&mut batch);
                bounds.push(ops.len());
            }
            Job::Then(then) => waiting.push(then),
            Job::Stop => stop = true,
        };
        take(first, &mut ops, &mut waiting);
        for _ in 1..MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => take(job, &mut ops, &mut waiting),
                Err(_) => break,
            }
        }
        if !ops.is_empty() {
            if let Some(delay) = delay {
                std::thread::sleep(delay);
            }
            if bounds.len() > 1 && fault::hit("journal.mid_group") {
                let _ = backend.apply(&ops[..bounds[bounds.len() / 2 - 1]], sync);
                fault::abort("journal.mid_group");
            }
            fault::point("journal.before_apply");
            let result = backend.apply(&ops, sync);
            fault::point("journal.after_apply");
            stats.batches.fetch_add(1, Relaxed);
            stats.ops.fetch_add(ops.len() as u64, Relaxed);
            stats.syncs.fetch_add(u64::from(sync), Relaxed);
            if let Err(e) = result {
                stats.failures.fetch_add(1, Relaxed);
                tracing::error!("journal write of {} records failed: {e}", ops.len());
                failed.get_or_insert(e);
            }
            if sized.elapsed() >= std::time::Duration::from_secs(1) {
                stats.disk_bytes.store(backend.disk_bytes(), Relaxed);
                sized = Wall::now();
            }
        }
        ops.clear();
        bounds.clear();
        if !waiting.is_empty() {
            // A write queued before these may have gone in an earlier group: they are told of
            // any failure since the last ones were answered, not only of this group's.
            let result = failed.take().map_or(Ok(()), Err);
            for then in waiting.drain(..) {
                then(result.clone());
            }
        }
    }
}
