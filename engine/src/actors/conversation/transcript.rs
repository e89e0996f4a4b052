//! The transcript in memory. Without a journal it is all there. With one it is a bounded
//! window: the first turns (where the customer states the problem) and the latest ones; the
//! turns between leave memory once the journal has confirmed them written, and whoever needs
//! the whole transcript (`resume`, an agent's `transcript`) reads them back from the store.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};

use crate::actors::events::Turn;
use crate::journal::{Backend, Journal, Space, StoreError, decode, key2};

use super::record::TurnRecord;

/// Turns kept from the start of a long conversation.
pub(crate) const HEAD_TURNS: usize = 16;
/// Latest turns kept at least (more if the context packet shows more).
pub(crate) const TAIL_TURNS: usize = 128;

/// Cloning copies the window only (bounded), so a reader can go to the store unlocked.
#[derive(Debug, Default, Clone)]
pub(crate) struct Transcript {
    /// The first `head` turns, then the latest ones.
    turns: Vec<Turn>,
    /// How many of `turns` are the first turns (0 until the first turns leave memory).
    head: usize,
    /// Turns between the first and the latest that are only in the store.
    missing: u32,
    /// Turns (counted from the first) the journal has confirmed written.
    written: Arc<AtomicU32>,
    /// A confirmation is on its way.
    asked: Arc<AtomicBool>,
    /// Hibernating: only the first turns are in memory, the latest are in the store.
    asleep: bool,
    /// The journal's failure count when this transcript first asked for a confirmation: a
    /// failed write is not retried, so after any failure the turns still in memory may be
    /// the only copy, and the watermark stops (the window then keeps them).
    failures_base: Option<u64>,
}

/// The key of turn `n` of conversation `id`.
pub(crate) fn turn_key(id: &str, n: u32) -> Vec<u8> {
    key2(id, &n.to_be_bytes())
}

impl Transcript {
    /// A transcript read back whole from the store (so all of it is written).
    pub fn restored(turns: Vec<Turn>) -> Transcript {
        let n = turns.len() as u32;
        Transcript { turns, written: Arc::new(AtomicU32::new(n)), ..Transcript::default() }
    }

    /// Every turn there has been, in memory or not.
    pub fn total(&self) -> u32 {
        self.turns.len() as u32 + self.missing
    }

    /// The turns in memory: the first ones, then (after [`Transcript::missing`] more that
    /// are only in the store) the latest.
    pub fn in_memory(&self) -> &[Turn] {
        &self.turns
    }

    pub fn missing(&self) -> usize {
        self.missing as usize
    }

    pub fn push(&mut self, turn: Turn) {
        self.turns.push(turn);
    }

    /// After the conversation's writes were queued: lets the turns between the first and the
    /// latest `tail` leave memory as far as the journal has confirmed them, and asks it to
    /// confirm the rest (`on_written` runs once it has, so the owner can [`Transcript::trim`]).
    /// At most one confirmation is out at a time.
    pub fn after_write(
        &mut self,
        journal: &Journal,
        tail: usize,
        on_written: impl FnOnce() + Send + 'static,
    ) {
        if self.trim(tail) {
            self.confirm(journal, on_written);
        }
    }

    /// Whether the journal has confirmed every turn.
    pub fn confirmed(&self) -> bool {
        self.written.load(Relaxed) >= self.total()
    }

    /// Asks the journal to confirm every turn queued so far (unless a confirmation is out);
    /// `on_written` runs once it has.
    pub fn confirm(&mut self, journal: &Journal, on_written: impl FnOnce() + Send + 'static) {
        if self.confirmed() || self.asked.swap(true, Relaxed) {
            return;
        }
        let stats = Arc::clone(&journal.stats);
        let base = *self.failures_base.get_or_insert_with(|| stats.failures.load(Relaxed));
        let (written, asked, total) =
            (Arc::clone(&self.written), Arc::clone(&self.asked), self.total());
        journal.then(move |result| {
            asked.store(false, Relaxed);
            if result.is_ok() && stats.failures.load(Relaxed) == base {
                written.fetch_max(total, Relaxed);
                on_written();
            }
        });
    }

    /// Lets confirmed turns between the first and the latest `tail` leave memory; returns
    /// whether the window is still over its size (unconfirmed turns are in the way).
    pub fn trim(&mut self, tail: usize) -> bool {
        let tail = tail.max(TAIL_TURNS);
        if self.turns.len() <= HEAD_TURNS + 2 * tail {
            return false;
        }
        if self.head == 0 {
            self.head = HEAD_TURNS;
        }
        let keep_from = self.turns.len() - tail;
        // Indices in memory: turns before `written` are confirmed.
        let written =
            (self.written.load(Relaxed).saturating_sub(self.missing) as usize).min(keep_from);
        if written > self.head {
            self.turns.drain(self.head..written);
            self.missing += (written - self.head) as u32;
            // A burst while confirmations were out may have grown the vector: give it back.
            let window = HEAD_TURNS + 2 * tail + 1;
            if self.turns.capacity() > 2 * window {
                self.turns.shrink_to(window);
            }
        }
        written < keep_from
    }

    /// The conversation hibernates: its turns beyond the first leave memory, if the journal
    /// has confirmed every one (else it stays as it is). Returns whether they left.
    pub fn hibernate(&mut self) -> bool {
        if self.asleep || !self.confirmed() {
            return false;
        }
        if self.head == 0 {
            self.head = HEAD_TURNS.min(self.turns.len());
        }
        self.missing += (self.turns.len() - self.head) as u32;
        self.turns.truncate(self.head);
        self.turns.shrink_to_fit();
        self.asleep = true;
        true
    }

    /// The conversation wakes: its latest turns come back from the store.
    pub fn wake(
        &mut self,
        id: &str,
        store: Option<&dyn Backend>,
        tail: usize,
    ) -> Result<(), StoreError> {
        if !self.asleep {
            return Ok(());
        }
        let Some(store) = store else { return Err(StoreError::Stopped) };
        let total = self.total();
        let back = (tail.max(TAIL_TURNS) as u32).min(self.missing);
        let from = turn_key(id, total - back);
        let to = turn_key(id, total);
        let latest = store.range(Space::Turns, &from, Some(&to), back as usize)?;
        if latest.len() != back as usize {
            return Err(StoreError::Corrupt {
                space: Space::Turns.name(),
                key: id.to_owned(),
                detail: format!("{} of the latest {back} turns found", latest.len()),
            });
        }
        for (key, value) in &latest {
            let turn: TurnRecord<'static> = decode(Space::Turns, key, value)?;
            self.turns.push(Turn {
                role: turn.role,
                text: turn.text.into_owned(),
                at_ms: turn.at_ms,
            });
        }
        self.missing -= back;
        self.asleep = false;
        Ok(())
    }

    /// The whole transcript: memory's window with the turns between read from `store`.
    pub fn whole(&self, id: &str, store: Option<&dyn Backend>) -> Result<Vec<Turn>, StoreError> {
        if self.missing == 0 {
            return Ok(self.turns.clone());
        }
        let Some(store) = store else { return Err(StoreError::Stopped) };
        let from = turn_key(id, self.head as u32);
        let to = turn_key(id, self.head as u32 + self.missing);
        let between = store.range(Space::Turns, &from, Some(&to), self.missing as usize)?;
        if between.len() != self.missing as usize {
            return Err(StoreError::Corrupt {
                space: Space::Turns.name(),
                key: id.to_owned(),
                detail: format!("{} of {} turns found", between.len(), self.missing),
            });
        }
        let mut out = Vec::with_capacity(self.total() as usize);
        out.extend_from_slice(&self.turns[..self.head]);
        for (key, value) in &between {
            let turn: TurnRecord<'static> = decode(Space::Turns, key, value)?;
            out.push(Turn { role: turn.role, text: turn.text.into_owned(), at_ms: turn.at_ms });
        }
        out.extend_from_slice(&self.turns[self.head..]);
        Ok(out)
    }

    /// Heap bytes the window holds (its texts and slots), for the bounded-memory test.
    pub fn heap_bytes(&self) -> usize {
        self.turns.capacity() * size_of::<Turn>()
            + self.turns.iter().map(|t| t.text.capacity()).sum::<usize>()
    }
}
