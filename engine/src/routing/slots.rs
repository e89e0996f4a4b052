//! The agent board: every logged-in agent's presence and slot use in one atomic word, so a
//! skill queue claims a slot with a compare-and-swap and two queues can never book the same
//! slot. The board is the routing truth for "who can take work now"; agent actors keep the
//! rest (offers, assignments, timers).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

use dashmap::DashMap;
use serde::{Deserialize, Serialize};

/// An agent's presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Takes new offers while slots are free.
    Available,
    /// Logged in, takes no new offers.
    Away,
    /// Wrapping up a conversation; takes no new offers until done.
    AfterWork,
    /// Logged out or disconnected.
    Offline,
}

impl Presence {
    fn code(self) -> u64 {
        match self {
            Presence::Offline => 0,
            Presence::Available => 1,
            Presence::Away => 2,
            Presence::AfterWork => 3,
        }
    }

    fn from_code(code: u64) -> Presence {
        match code {
            1 => Presence::Available,
            2 => Presence::Away,
            3 => Presence::AfterWork,
            _ => Presence::Offline,
        }
    }
}

/// What a strategy compares (a copy, read at one instant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotView {
    pub login_seq: u64,
    pub used: u32,
    pub capacity: u32,
    pub proficiency: u8,
    pub last_offer_ms: u64,
}

/// One logged-in agent on the board.
#[derive(Debug)]
pub struct AgentSlot {
    pub id: Arc<str>,
    /// Login order: the final tie-breaker.
    pub login_seq: u64,
    pub capacity: u32,
    /// Skills with proficiency 1..=5.
    pub skills: Vec<(Arc<str>, u8)>,
    /// Sensitive topics the agent is cleared for.
    pub clearances: Vec<Arc<str>>,
    /// `used << 8 | presence`.
    word: AtomicU64,
    last_offer_ms: AtomicU64,
}

const PRESENCE_BITS: u64 = 0xff;

impl AgentSlot {
    fn load(&self) -> (Presence, u32) {
        let word = self.word.load(SeqCst);
        (Presence::from_code(word & PRESENCE_BITS), (word >> 8) as u32)
    }

    pub fn presence(&self) -> Presence {
        self.load().0
    }

    /// Slots in use (offered or assigned or wrapping up).
    pub fn used(&self) -> u32 {
        self.load().1
    }

    pub fn cleared_for(&self, topic: &str) -> bool {
        self.clearances.iter().any(|t| &**t == topic)
    }

    pub fn proficiency(&self, skill: &str) -> Option<u8> {
        self.skills.iter().find(|(s, _)| &**s == skill).map(|(_, p)| *p)
    }

    /// Books one slot if the agent is available with a free slot; the only way a slot is
    /// ever taken.
    pub fn try_claim(&self, now_ms: u64) -> bool {
        let claimed = self
            .word
            .fetch_update(SeqCst, SeqCst, |word| {
                let (presence, used) =
                    (Presence::from_code(word & PRESENCE_BITS), (word >> 8) as u32);
                (presence == Presence::Available && used < self.capacity)
                    .then(|| (u64::from(used + 1) << 8) | (word & PRESENCE_BITS))
            })
            .is_ok();
        if claimed {
            self.last_offer_ms.fetch_max(now_ms, SeqCst);
        }
        claimed
    }

    /// Gives one slot back.
    pub fn release(&self) {
        let _ = self.word.fetch_update(SeqCst, SeqCst, |word| {
            let used = (word >> 8).saturating_sub(1);
            Some((used << 8) | (word & PRESENCE_BITS))
        });
    }

    /// Sets the presence; returns the previous one.
    pub fn set_presence(&self, presence: Presence) -> Presence {
        let previous = self
            .word
            .fetch_update(SeqCst, SeqCst, |word| Some((word & !PRESENCE_BITS) | presence.code()))
            .unwrap_or_else(|word| word);
        Presence::from_code(previous & PRESENCE_BITS)
    }

    /// Whether a queue for `skill` could claim a slot now.
    pub fn can_take(&self, skill: &str) -> bool {
        let (presence, used) = self.load();
        presence == Presence::Available && used < self.capacity && self.proficiency(skill).is_some()
    }

    pub fn view(&self, skill: &str) -> SlotView {
        SlotView {
            login_seq: self.login_seq,
            used: self.used(),
            capacity: self.capacity,
            proficiency: self.proficiency(skill).unwrap_or(0),
            last_offer_ms: self.last_offer_ms.load(SeqCst),
        }
    }
}

/// The agent id is already logged in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("agent {0:?} is already logged in")]
pub struct AlreadyLoggedIn(pub String);

/// All logged-in agents, by id and by skill.
#[derive(Debug, Default)]
pub struct AgentBoard {
    agents: DashMap<Arc<str>, Arc<AgentSlot>>,
    by_skill: DashMap<Arc<str>, Vec<Arc<AgentSlot>>>,
    next_seq: AtomicU64,
}

impl AgentBoard {
    /// Adds an agent, `Available` with no slot in use.
    pub fn login(
        &self,
        id: &str,
        skills: Vec<(Arc<str>, u8)>,
        clearances: Vec<Arc<str>>,
        capacity: u32,
        now_ms: u64,
    ) -> Result<Arc<AgentSlot>, AlreadyLoggedIn> {
        let slot = Arc::new(AgentSlot {
            id: Arc::from(id),
            login_seq: self.next_seq.fetch_add(1, SeqCst),
            capacity,
            skills,
            clearances,
            word: AtomicU64::new(Presence::Available.code()),
            last_offer_ms: AtomicU64::new(now_ms),
        });
        match self.agents.entry(Arc::clone(&slot.id)) {
            dashmap::Entry::Occupied(_) => return Err(AlreadyLoggedIn(id.to_owned())),
            dashmap::Entry::Vacant(entry) => {
                entry.insert(Arc::clone(&slot));
            }
        }
        for (skill, _) in &slot.skills {
            self.by_skill.entry(Arc::clone(skill)).or_default().push(Arc::clone(&slot));
        }
        Ok(slot)
    }

    /// Removes an agent (presence becomes `Offline`, so no claim can succeed any more).
    pub fn logout(&self, id: &str) -> Option<Arc<AgentSlot>> {
        let (_, slot) = self.agents.remove(id)?;
        slot.set_presence(Presence::Offline);
        for (skill, _) in &slot.skills {
            if let Some(mut list) = self.by_skill.get_mut(skill) {
                list.retain(|s| !Arc::ptr_eq(s, &slot));
            }
        }
        Some(slot)
    }

    pub fn get(&self, id: &str) -> Option<Arc<AgentSlot>> {
        self.agents.get(id).map(|slot| Arc::clone(slot.value()))
    }

    /// Agents that could take `skill` now, appended to `out` (unranked).
    pub fn candidates(&self, skill: &str, out: &mut Vec<Arc<AgentSlot>>) {
        if let Some(list) = self.by_skill.get(skill) {
            out.extend(list.iter().filter(|slot| slot.can_take(skill)).cloned());
        }
    }

    /// (slots of agents with `skill` who are logged in and not away, of those the slots an
    /// offer could claim now).
    pub fn staffing(&self, skill: &str) -> (u32, u32) {
        let Some(list) = self.by_skill.get(skill) else { return (0, 0) };
        list.iter().fold((0, 0), |(staffed, free), slot| {
            let (presence, used) = slot.load();
            match presence {
                Presence::Available => {
                    (staffed + slot.capacity, free + slot.capacity.saturating_sub(used))
                }
                Presence::AfterWork => (staffed + slot.capacity, free),
                Presence::Away | Presence::Offline => (staffed, free),
            }
        })
    }

    /// Every logged-in agent.
    pub fn all(&self) -> Vec<Arc<AgentSlot>> {
        self.agents.iter().map(|e| Arc::clone(e.value())).collect()
    }

    pub fn len(&self) -> usize {
        self.agents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skills(list: &[(&str, u8)]) -> Vec<(Arc<str>, u8)> {
        list.iter().map(|(s, p)| (Arc::from(*s), *p)).collect()
    }

    #[test]
    fn claims_respect_capacity_and_presence() {
        let board = AgentBoard::default();
        let a = board.login("a", skills(&[("billing", 3)]), Vec::new(), 2, 0).expect("login");
        assert!(board.login("a", skills(&[]), Vec::new(), 1, 0).is_err());
        assert!(a.try_claim(1) && a.try_claim(2));
        assert!(!a.try_claim(3), "capacity 2");
        a.release();
        assert_eq!(a.used(), 1);
        a.set_presence(Presence::Away);
        assert!(!a.try_claim(4), "away agents take no offers");
        assert_eq!(a.used(), 1, "presence changes keep the slot count");
        let mut out = Vec::new();
        board.candidates("billing", &mut out);
        assert!(out.is_empty());
        a.set_presence(Presence::Available);
        board.candidates("billing", &mut out);
        assert_eq!(out.len(), 1);
        board.logout("a");
        assert!(!a.try_claim(5) && board.get("a").is_none());
    }

    #[test]
    fn concurrent_claims_never_overbook() {
        let board = Arc::new(AgentBoard::default());
        let slot = board.login("a", skills(&[("s", 1)]), Vec::new(), 3, 0).expect("login");
        let won: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let slot = Arc::clone(&slot);
                    scope.spawn(move || (0..100).filter(|i| slot.try_claim(*i)).count())
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("thread")).sum()
        });
        assert_eq!(won, 3);
        assert_eq!(slot.used(), 3);
    }
}
