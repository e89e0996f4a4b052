//! The conversations in service in the slots of a skill's agents, whichever skill they came
//! through, and since when: what the skill's wait model reads its busy slots' ages from.
//!
//! An agent with two skills holds conversations of both, and a slot busy with the other
//! skill's customer frees for this skill's queue just the same; the queue alone knows only
//! its own. The agent actor owns the facts (its assignments and wrap-ups) and mirrors each
//! change here for every skill it has, so the queue reads them without asking an actor.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// When a conversation's agent accepted it, and when its wrap-up started (engine clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    pub accepted_ms: u64,
    pub wrap_from_ms: Option<u64>,
}

/// How long each busy slot has been at what it is doing, milliseconds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ages {
    /// Since accept, for slots whose agent is still chatting.
    pub talking: Vec<f64>,
    /// Since the wrap-up started, for slots in after-chat work.
    pub wrapping: Vec<f64>,
}

/// One skill's conversations in service (a leaf lock: nothing else is taken under it).
#[derive(Debug, Default)]
pub struct InService {
    inner: Mutex<HashMap<Arc<str>, Since>>,
}

impl InService {
    fn lock(&self) -> MutexGuard<'_, HashMap<Arc<str>, Since>> {
        // Nothing panics under the lock; a poisoned map is still consistent.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An agent with this skill accepted `conv` (or holds it again after a restart).
    pub fn start(&self, conv: &Arc<str>, since: Since) {
        self.lock().insert(Arc::clone(conv), since);
    }

    /// `conv`'s agent finished the chat and started its wrap-up at `from_ms`.
    pub fn wrap(&self, conv: &str, from_ms: u64) {
        if let Some(since) = self.lock().get_mut(conv) {
            since.wrap_from_ms = Some(from_ms);
        }
    }

    /// `conv` no longer holds its agent's slot.
    pub fn end(&self, conv: &str) {
        self.lock().remove(conv);
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every busy slot's age at `now_ms` (a walk of this skill's conversations in service;
    /// the wait model reads it at most once per two-hundredth of a handle time).
    pub fn ages(&self, now_ms: u64) -> Ages {
        let map = self.lock();
        let mut ages = Ages::default();
        for since in map.values() {
            match since.wrap_from_ms {
                Some(from) => ages.wrapping.push(now_ms.saturating_sub(from) as f64),
                None => ages.talking.push(now_ms.saturating_sub(since.accepted_ms) as f64),
            }
        }
        ages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chats_then_wrap_ups_then_nothing() {
        let service = InService::default();
        let (a, b): (Arc<str>, Arc<str>) = (Arc::from("c1"), Arc::from("c2"));
        service.start(&a, Since { accepted_ms: 1_000, wrap_from_ms: None });
        service.start(&b, Since { accepted_ms: 4_000, wrap_from_ms: None });
        let mut ages = service.ages(10_000);
        ages.talking.sort_by(f64::total_cmp);
        assert_eq!(ages, Ages { talking: vec![6_000.0, 9_000.0], wrapping: vec![] });
        service.wrap("c1", 8_000);
        service.wrap("unknown", 8_000);
        assert_eq!(service.ages(10_000), Ages { talking: vec![6_000.0], wrapping: vec![2_000.0] });
        service.end("c1");
        service.end("c2");
        assert!(service.is_empty());
        // A wrap-up reported after the end (a late message) adds nothing.
        service.wrap("c1", 9_000);
        assert!(service.is_empty());
    }
}
