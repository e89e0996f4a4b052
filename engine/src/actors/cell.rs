//! A durable actor cell: an actor's state and inbox live here, outside the actor, so that
//! when an actor panics its supervisor starts a new one on the same cell and nothing queued
//! for it, nor anything it owned, is lost. (A ractor mailbox dies with its actor.)
//!
//! Senders push a command and wake the current actor with a `Tick::Wake`; the actor drains
//! the inbox one command at a time. The lock is held only for a push, a pop or one state
//! update — never across an await, never two cells at once.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ractor::ActorRef;

/// The only messages the ractor actors receive; the business is in the cell's inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tick {
    /// Commands are waiting in the inbox.
    Wake,
    /// A deadline may have passed.
    Timer,
    /// Test-only fault injection: the actor panics on this message.
    #[cfg(feature = "fault-injection")]
    Panic,
}

struct Inner<S, C> {
    state: S,
    inbox: VecDeque<C>,
    /// Set once the owner finished for good (a closed conversation, a logged-out agent);
    /// pushes are refused from then on so the sender can handle the command itself.
    closed: bool,
    /// The actor stopped because there was nothing to do; the next push needs a new one.
    hibernating: bool,
}

/// Why [`Cell::push_bounded`] refused a command.
pub(crate) enum Refused<C> {
    Closed(C),
    Full(C),
}

/// State + inbox of one actor, shared with its senders and its supervisor.
pub(crate) struct Cell<S, C> {
    pub key: Arc<str>,
    inner: Mutex<Inner<S, C>>,
    actor: Mutex<Option<ActorRef<Tick>>>,
    /// Counts the cells of this kind that hibernate, moved with the flag (so `stats` need
    /// not walk every cell).
    hibernated: Option<Arc<AtomicU64>>,
}

impl<S, C> std::fmt::Debug for Cell<S, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cell").field("key", &self.key).finish_non_exhaustive()
    }
}

/// Locks, recovering the data if a panicking actor poisoned the lock: the state is what the
/// failed actor left, which is what its successor must continue from.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<S, C> Cell<S, C> {
    pub fn new(key: Arc<str>, state: S) -> Arc<Self> {
        Cell::build(key, state, None)
    }

    /// A cell that counts itself in `hibernated` while it hibernates.
    pub fn counting(key: Arc<str>, state: S, hibernated: &Arc<AtomicU64>) -> Arc<Self> {
        Cell::build(key, state, Some(Arc::clone(hibernated)))
    }

    fn build(key: Arc<str>, state: S, hibernated: Option<Arc<AtomicU64>>) -> Arc<Self> {
        Arc::new(Cell {
            key,
            inner: Mutex::new(Inner {
                state,
                inbox: VecDeque::new(),
                closed: false,
                hibernating: false,
            }),
            actor: Mutex::new(None),
            hibernated,
        })
    }

    /// The hibernation flag was just taken (a push woke the cell).
    fn woke(&self, was_hibernating: bool) -> bool {
        if was_hibernating && let Some(count) = &self.hibernated {
            count.fetch_sub(1, Relaxed);
        }
        was_hibernating
    }

    /// Queues a command and wakes the actor; gives the command back if the cell is closed.
    /// `Ok(true)` means the cell was hibernating: the caller must ask for a new actor.
    pub fn push(&self, command: C) -> Result<bool, C> {
        let woke_hibernating = {
            let mut inner = lock(&self.inner);
            if inner.closed {
                return Err(command);
            }
            inner.inbox.push_back(command);
            self.woke(std::mem::take(&mut inner.hibernating))
        };
        if !woke_hibernating {
            self.wake();
        }
        Ok(woke_hibernating)
    }

    /// Pushes only to a cell an actor serves (not closed, not hibernating): for housekeeping
    /// that a hibernating cell does not need. Returns whether it was pushed.
    pub fn push_if_live(&self, command: C) -> bool {
        {
            let mut inner = lock(&self.inner);
            if inner.closed || inner.hibernating {
                return false;
            }
            inner.inbox.push_back(command);
        }
        self.wake();
        true
    }

    /// Like [`Cell::push`] for commands from outside the engine: refused (`Err(Full)`) when
    /// `max` commands already wait, so a flood for one conversation or agent cannot grow
    /// memory without bound. Commands between actors always use [`Cell::push`]: they are
    /// never refused, so nothing accepted is lost.
    pub fn push_bounded(&self, command: C, max: usize) -> Result<bool, Refused<C>> {
        let woke_hibernating = {
            let mut inner = lock(&self.inner);
            if inner.closed {
                return Err(Refused::Closed(command));
            }
            if inner.inbox.len() >= max {
                return Err(Refused::Full(command));
            }
            inner.inbox.push_back(command);
            self.woke(std::mem::take(&mut inner.hibernating))
        };
        if !woke_hibernating {
            self.wake();
        }
        Ok(woke_hibernating)
    }

    /// Lets the actor go if there is nothing to do: the inbox is empty and `idle` holds for
    /// the state. The check and the actor ref's removal happen under the inbox lock, so a
    /// concurrent push either lands before (and hibernation is refused) or sees the flag.
    pub fn hibernate_if(&self, idle: impl FnOnce(&S) -> bool) -> bool {
        let mut inner = lock(&self.inner);
        if inner.closed || !inner.inbox.is_empty() || !idle(&inner.state) {
            return false;
        }
        if !std::mem::replace(&mut inner.hibernating, true)
            && let Some(count) = &self.hibernated
        {
            count.fetch_add(1, Relaxed);
        }
        self.set_actor(None);
        true
    }

    /// Whether this cell should have an actor: not finished, not hibernating with nothing to
    /// do.
    pub fn needs_actor(&self) -> bool {
        let inner = lock(&self.inner);
        !inner.closed && !inner.hibernating
    }

    /// Nothing pending: the inbox is empty and an actor serves the cell, or it hibernates.
    pub fn is_quiet(&self) -> bool {
        let (empty, hibernating) = {
            let inner = lock(&self.inner);
            (inner.inbox.is_empty(), inner.hibernating)
        };
        empty && (hibernating || self.has_live_actor())
    }

    /// Wakes the current actor, if any (a missing or dead actor is fine: its successor
    /// drains the inbox when it starts).
    pub fn wake(&self) {
        if let Some(actor) = self.actor() {
            let _ = actor.cast(Tick::Wake);
        }
    }

    /// The next command. An inbox found empty gives its buffer back: most cells sit idle
    /// between bursts, and a drained buffer of four commands is kept by every live
    /// conversation otherwise (about 0.4 KiB each, 37 MiB at 100,000). Allocating it again
    /// at the next burst costs one allocation per burst.
    pub fn pop(&self) -> Option<C> {
        let mut inner = lock(&self.inner);
        let next = inner.inbox.pop_front();
        if next.is_none() && inner.inbox.capacity() > 0 {
            inner.inbox = VecDeque::new();
        }
        next
    }

    /// Runs `f` on the state under the lock.
    pub fn with<R>(&self, f: impl FnOnce(&mut S) -> R) -> R {
        f(&mut lock(&self.inner).state)
    }

    /// Closes the cell if nothing is left in the inbox; true when closed.
    pub fn close_if_empty(&self) -> bool {
        let mut inner = lock(&self.inner);
        if inner.inbox.is_empty() {
            inner.closed = true;
        }
        inner.closed
    }

    pub fn actor(&self) -> Option<ActorRef<Tick>> {
        lock(&self.actor).clone()
    }

    pub fn set_actor(&self, actor: Option<ActorRef<Tick>>) {
        *lock(&self.actor) = actor;
    }

    /// Whether a live actor serves this cell.
    pub fn has_live_actor(&self) -> bool {
        self.actor().is_some_and(|a| {
            matches!(
                a.get_status(),
                ractor::ActorStatus::Starting
                    | ractor::ActorStatus::Running
                    | ractor::ActorStatus::Upgrading
            )
        })
    }
}

impl<S, C> Drop for Cell<S, C> {
    fn drop(&mut self) {
        let inner = self.inner.get_mut().unwrap_or_else(PoisonError::into_inner);
        if inner.hibernating
            && let Some(count) = &self.hibernated
        {
            count.fetch_sub(1, Relaxed);
        }
    }
}
