//! The agent board: every logged-in agent's presence and slot use in one atomic word, so a
//! skill queue claims a slot with a compare-and-swap and two queues can never book the same
//! slot. The board is the routing truth for "who can take work now"; each skill's
//! [`SkillIndex`] keeps the agents who could, in the strategy's order, and every change to a
//! slot moves its entries there. Agent actors keep the rest (offers, assignments, timers).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::SeqCst};

use dashmap::DashMap;
use serde::{Deserialize, Serialize};

use super::index::{SkillIndex, SkillNo};
use super::select::Strategy;
use super::service::Since;

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

/// What a strategy compares (a copy, read at one instant); the reference ranking
/// ([`super::rank_candidates`]) takes these.
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
    /// The same skills interned, with the index each keeps the agent in.
    indexes: Vec<(Arc<SkillIndex>, u8)>,
    /// Sensitive topics the agent is cleared for.
    pub clearances: Vec<Arc<str>>,
    /// `used << 8 | presence`.
    word: AtomicU64,
    last_offer_ms: AtomicU64,
}

const PRESENCE_BITS: u64 = 0xff;

impl AgentSlot {
    /// Presence and slots in use, read together.
    pub fn state(&self) -> (Presence, u32) {
        let word = self.word.load(SeqCst);
        (Presence::from_code(word & PRESENCE_BITS), (word >> 8) as u32)
    }

    pub fn presence(&self) -> Presence {
        self.state().0
    }

    /// Slots in use (offered or assigned or wrapping up).
    pub fn used(&self) -> u32 {
        self.state().1
    }

    /// When the agent was last offered a customer (engine clock; login time before that).
    pub fn last_offer_ms(&self) -> u64 {
        self.last_offer_ms.load(SeqCst)
    }

    pub fn cleared_for(&self, topic: &str) -> bool {
        self.clearances.iter().any(|t| &**t == topic)
    }

    pub fn proficiency(&self, skill: &str) -> Option<u8> {
        self.skills.iter().find(|(s, _)| &**s == skill).map(|(_, p)| *p)
    }

    /// Proficiency in an interned skill (an integer comparison per skill the agent has).
    pub fn proficiency_in(&self, skill: SkillNo) -> Option<u8> {
        self.indexes.iter().find(|(index, _)| index.id == skill).map(|(_, p)| *p)
    }

    /// Whether a claim could succeed now (available, a slot free).
    pub fn can_take_now(&self) -> bool {
        let (presence, used) = self.state();
        presence == Presence::Available && used < self.capacity
    }

    /// Books one slot if the agent is available with a free slot; the only way a slot is
    /// ever taken.
    pub fn try_claim(self: &Arc<Self>, now_ms: u64) -> bool {
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
            self.sync();
        }
        claimed
    }

    /// Gives one slot back.
    pub fn release(self: &Arc<Self>) {
        let _ = self.word.fetch_update(SeqCst, SeqCst, |word| {
            let used = (word >> 8).saturating_sub(1);
            Some((used << 8) | (word & PRESENCE_BITS))
        });
        self.sync();
    }

    /// Sets the presence; returns the previous one.
    pub fn set_presence(self: &Arc<Self>, presence: Presence) -> Presence {
        let previous = self
            .word
            .fetch_update(SeqCst, SeqCst, |word| Some((word & !PRESENCE_BITS) | presence.code()))
            .unwrap_or_else(|word| word);
        self.sync();
        Presence::from_code(previous & PRESENCE_BITS)
    }

    /// Moves this agent's entries in its skills' indexes to match its state now.
    fn sync(self: &Arc<Self>) {
        for (index, proficiency) in &self.indexes {
            index.sync(self, *proficiency, false);
        }
    }

    /// `conv` is in service in one of this agent's slots since `since`: every skill the
    /// agent has sees it (their wait models read when these slots free).
    pub fn serving(&self, conv: &Arc<str>, since: Since) {
        for (index, _) in &self.indexes {
            index.service.start(conv, since);
        }
    }

    /// `conv`'s chat ended and its wrap-up started at `from_ms`.
    pub fn wrapping(&self, conv: &str, from_ms: u64) {
        for (index, _) in &self.indexes {
            index.service.wrap(conv, from_ms);
        }
    }

    /// `conv` gave its slot back (or went back to its queue).
    pub fn served(&self, conv: &str) {
        for (index, _) in &self.indexes {
            index.service.end(conv);
        }
    }

    /// What the reference ranking compares for a queue of `skill`.
    pub fn view(&self, skill: &str) -> SlotView {
        SlotView {
            login_seq: self.login_seq,
            used: self.used(),
            capacity: self.capacity,
            proficiency: self.proficiency(skill).unwrap_or(0),
            last_offer_ms: self.last_offer_ms(),
        }
    }
}

/// The agent id is already logged in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("agent {0:?} is already logged in")]
pub struct AlreadyLoggedIn(pub String);

/// All logged-in agents by id, and each skill's index of them.
#[derive(Debug)]
pub struct AgentBoard {
    strategy: Strategy,
    agents: DashMap<Arc<str>, Arc<AgentSlot>>,
    skills: DashMap<Arc<str>, Arc<SkillIndex>>,
    next_skill: AtomicU32,
    next_seq: AtomicU64,
}

impl Default for AgentBoard {
    fn default() -> Self {
        AgentBoard::new(Strategy::default())
    }
}

impl AgentBoard {
    /// An empty board whose indexes keep agents in `strategy`'s order.
    pub fn new(strategy: Strategy) -> AgentBoard {
        AgentBoard {
            strategy,
            agents: DashMap::new(),
            skills: DashMap::new(),
            next_skill: AtomicU32::new(0),
            next_seq: AtomicU64::new(0),
        }
    }

    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// The index of `skill` (interning it on first sight).
    pub fn index(&self, skill: &str) -> Arc<SkillIndex> {
        if let Some(index) = self.skills.get(skill) {
            return Arc::clone(index.value());
        }
        let name: Arc<str> = Arc::from(skill);
        let entry = self.skills.entry(Arc::clone(&name)).or_insert_with(|| {
            let id = SkillNo(self.next_skill.fetch_add(1, SeqCst));
            Arc::new(SkillIndex::new(id, name, self.strategy))
        });
        Arc::clone(entry.value())
    }

    /// Adds an agent, `Available` with no slot in use. A skill listed twice counts once
    /// (the first proficiency given).
    pub fn login(
        &self,
        id: &str,
        mut skills: Vec<(Arc<str>, u8)>,
        clearances: Vec<Arc<str>>,
        capacity: u32,
        now_ms: u64,
    ) -> Result<Arc<AgentSlot>, AlreadyLoggedIn> {
        let mut seen = Vec::with_capacity(skills.len());
        skills.retain(|(s, _)| {
            let fresh = !seen.contains(s);
            seen.push(Arc::clone(s));
            fresh
        });
        let indexes = skills.iter().map(|(s, p)| (self.index(s), *p)).collect();
        let slot = Arc::new(AgentSlot {
            id: Arc::from(id),
            login_seq: self.next_seq.fetch_add(1, SeqCst),
            capacity,
            skills,
            indexes,
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
        slot.sync();
        Ok(slot)
    }

    /// Removes an agent (presence becomes `Offline`, so no claim can succeed any more).
    pub fn logout(&self, id: &str) -> Option<Arc<AgentSlot>> {
        let (_, slot) = self.agents.remove(id)?;
        slot.set_presence(Presence::Offline);
        for (index, proficiency) in &slot.indexes {
            index.sync(&slot, *proficiency, true);
        }
        Some(slot)
    }

    pub fn get(&self, id: &str) -> Option<Arc<AgentSlot>> {
        self.agents.get(id).map(|slot| Arc::clone(slot.value()))
    }

    /// The index of `skill` if any agent ever had it.
    pub fn existing(&self, skill: &str) -> Option<Arc<SkillIndex>> {
        self.skills.get(skill).map(|index| Arc::clone(index.value()))
    }

    /// (slots of agents with `skill` who are logged in and not away, of those the slots an
    /// offer could claim now): counters kept as agents change, not a walk of the agents.
    pub fn staffing(&self, skill: &str) -> (u32, u32) {
        self.skills.get(skill).map_or((0, 0), |index| index.staffing())
    }

    /// Logged-in agents by presence (a walk of the board, for the 1 s sampler and views).
    pub fn presence_counts(&self) -> [(Presence, u64); 3] {
        let mut counts = [(Presence::Available, 0), (Presence::Away, 0), (Presence::AfterWork, 0)];
        for slot in &self.agents {
            let presence = slot.presence();
            if let Some(c) = counts.iter_mut().find(|(p, _)| *p == presence) {
                c.1 += 1;
            }
        }
        counts
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

impl Drop for AgentBoard {
    /// Indexes hold the slots of available agents and slots hold their indexes: take every
    /// agent off so the pairs are freed.
    fn drop(&mut self) {
        for slot in self.all() {
            for (index, proficiency) in &slot.indexes {
                index.sync(&slot, *proficiency, true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skills(list: &[(&str, u8)]) -> Vec<(Arc<str>, u8)> {
        list.iter().map(|(s, p)| (Arc::from(*s), *p)).collect()
    }

    #[test]
    fn every_skill_of_the_agent_sees_its_conversations_in_service() {
        let board = AgentBoard::default();
        let a = board
            .login("a", skills(&[("billing", 3), ("general", 2)]), Vec::new(), 2, 0)
            .expect("login");
        let conv: Arc<str> = Arc::from("c1");
        a.serving(&conv, Since { accepted_ms: 1_000, wrap_from_ms: None });
        for skill in ["billing", "general"] {
            let ages = board.index(skill).service.ages(5_000);
            assert_eq!((ages.talking, ages.wrapping), (vec![4_000.0], vec![]), "{skill}");
        }
        a.wrapping("c1", 4_000);
        assert_eq!(board.index("general").service.ages(5_000).wrapping, vec![1_000.0]);
        a.served("c1");
        assert!(board.index("billing").service.is_empty());
        assert!(board.index("general").service.is_empty());
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
        let billing = board.index("billing");
        assert!(billing.is_empty(), "not indexed while away");
        assert_eq!(board.staffing("billing"), (0, 0));
        a.set_presence(Presence::Available);
        assert_eq!(billing.len(), 1);
        assert_eq!(board.staffing("billing"), (2, 1));
        board.logout("a");
        assert!(!a.try_claim(5) && board.get("a").is_none());
        assert!(billing.is_empty() && board.staffing("billing") == (0, 0));
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
