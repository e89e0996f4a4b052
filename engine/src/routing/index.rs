//! A skill's index of the agents who could take one more customer now, kept in the order of
//! the routing strategy, with the skill's staffing counts beside it.
//!
//! Offering to the best agent is then a look at the front of one ordered map per proficiency
//! level (five), not a scan and sort of every agent with the skill. An agent's slot keeps
//! its entries current: after every change to its presence, its slots in use or its last
//! offer, the slot re-reads its own state under each of its skills' index locks and moves
//! its entry ([`SkillIndex::sync`]). Because the state is read under the lock, the last sync
//! after the last change always leaves the index right, whatever order concurrent changes
//! and syncs ran in; in between, an entry may be briefly stale, so a reader re-checks the
//! slot itself (and a claim is still a compare-and-swap on the slot's word).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::select::Strategy;
use super::service::InService;
use super::slots::{AgentSlot, Presence};

/// A skill, interned: agents' skills and queues' rings compare these, not strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SkillNo(pub u32);

/// An entry's place in a proficiency level: smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RankKey {
    /// The strategy's own criterion: the share of capacity in use for `least_occupied`
    /// (fixed point, `used << 32 / capacity`, exact for capacities up to 2^16), else 0.
    pub primary: u64,
    /// When the agent was last offered a customer (engine clock): longest idle first.
    pub last_offer_ms: u64,
    /// Login order: the final tie-breaker.
    pub login_seq: u64,
}

impl RankKey {
    /// The key of an agent with `used` of `capacity` slots in use, last offered at
    /// `last_offer_ms`.
    pub fn new(
        strategy: Strategy,
        used: u32,
        capacity: u32,
        last_offer_ms: u64,
        login_seq: u64,
    ) -> RankKey {
        let primary = match strategy {
            Strategy::LeastOccupied => (u64::from(used) << 32) / u64::from(capacity.max(1)),
            Strategy::LongestIdle | Strategy::HighestProficiency => 0,
        };
        RankKey { primary, last_offer_ms, login_seq }
    }
}

/// What an agent contributes to a skill's index at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Indexed {
    /// Its entry, when it could take a customer.
    key: Option<RankKey>,
    /// Slots counted as staffed (available or wrapping up) and as free (available, unused).
    staffed: u32,
    free: u32,
}

#[derive(Debug, Default)]
struct Inner {
    /// One ordered map per proficiency (index 0 = proficiency 1).
    levels: [BTreeMap<RankKey, Arc<AgentSlot>>; 5],
    /// What each member (by login order) has in the index now.
    members: HashMap<u64, Indexed>,
    /// Staffed slots of the members that also have each other skill.
    shared: HashMap<Arc<str>, u32>,
}

/// A candidate found in an index: the agent, its key and its proficiency in that skill.
#[derive(Debug, Clone)]
pub struct Found {
    pub slot: Arc<AgentSlot>,
    pub key: RankKey,
    pub proficiency: u8,
}

/// One skill's index.
#[derive(Debug)]
pub struct SkillIndex {
    pub id: SkillNo,
    pub name: Arc<str>,
    strategy: Strategy,
    inner: Mutex<Inner>,
    /// Staffed and free slots of the agents with this skill, kept with the entries.
    staffed: AtomicU32,
    free: AtomicU32,
    /// The conversations in service in those agents' slots.
    pub service: InService,
}

fn lock(mutex: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    // Nothing here panics while holding the lock; a poisoned one still holds consistent maps.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SkillIndex {
    pub fn new(id: SkillNo, name: Arc<str>, strategy: Strategy) -> SkillIndex {
        SkillIndex {
            id,
            name,
            strategy,
            inner: Mutex::new(Inner::default()),
            staffed: AtomicU32::new(0),
            free: AtomicU32::new(0),
            service: InService::default(),
        }
    }

    /// Brings `slot`'s entry (held with `proficiency` in this skill) in line with its state
    /// as read now; `leave` removes it for good (logout).
    pub(crate) fn sync(&self, slot: &Arc<AgentSlot>, proficiency: u8, leave: bool) {
        let level = usize::from(proficiency.clamp(1, 5)) - 1;
        let mut inner = lock(&self.inner);
        let (presence, used) = slot.state();
        let now = if leave {
            Indexed::default()
        } else {
            let capacity = slot.capacity;
            let (staffed, free) = match presence {
                Presence::Available => (capacity, capacity.saturating_sub(used)),
                Presence::AfterWork => (capacity, 0),
                Presence::Away | Presence::Offline => (0, 0),
            };
            let key = (free > 0).then(|| {
                RankKey::new(self.strategy, used, capacity, slot.last_offer_ms(), slot.login_seq)
            });
            Indexed { key, staffed, free }
        };
        let before = if leave {
            inner.members.remove(&slot.login_seq).unwrap_or_default()
        } else {
            inner.members.insert(slot.login_seq, now).unwrap_or_default()
        };
        if before == now {
            return;
        }
        if before.key != now.key {
            if let Some(key) = before.key {
                inner.levels[level].remove(&key);
            }
            if let Some(key) = now.key {
                inner.levels[level].insert(key, Arc::clone(slot));
            }
        }
        if before.staffed != now.staffed {
            for (other, _) in slot.skills.iter().filter(|(s, _)| *s != self.name) {
                let count = inner.shared.entry(Arc::clone(other)).or_insert(0);
                *count = count.wrapping_add(now.staffed.wrapping_sub(before.staffed));
            }
        }
        // Under the lock, so the counters move with the entries.
        self.staffed.fetch_add(now.staffed.wrapping_sub(before.staffed), SeqCst);
        self.free.fetch_add(now.free.wrapping_sub(before.free), SeqCst);
    }

    /// Calls `f(other skill, staffed slots)` for the staffed slots of this skill's agents
    /// that also have another skill.
    pub fn for_each_shared(&self, mut f: impl FnMut(&str, u32)) {
        let inner = lock(&self.inner);
        for (other, slots) in &inner.shared {
            if *slots > 0 {
                f(other, *slots);
            }
        }
    }

    /// (staffed slots, free slots) of the agents with this skill: logged in and not away,
    /// and of those the slots an offer could claim now.
    pub fn staffing(&self) -> (u32, u32) {
        (self.staffed.load(SeqCst), self.free.load(SeqCst))
    }

    /// Whether anyone with at least `min_proficiency` could take a customer now.
    pub fn any(&self, min_proficiency: u8) -> bool {
        let inner = lock(&self.inner);
        inner.levels[usize::from(min_proficiency.clamp(1, 5)) - 1..].iter().any(|l| !l.is_empty())
    }

    /// The best agent (by the strategy) with at least `min_proficiency` for whom `accept`
    /// holds and who can take a customer now. Under `highest_proficiency` the most proficient
    /// level that has one wins; otherwise the smallest key across levels.
    pub fn best(
        &self,
        min_proficiency: u8,
        mut accept: impl FnMut(&AgentSlot) -> bool,
    ) -> Option<Found> {
        let inner = lock(&self.inner);
        let lowest = usize::from(min_proficiency.clamp(1, 5)) - 1;
        let mut best: Option<Found> = None;
        for level in (lowest..5).rev() {
            let hit = inner.levels[level]
                .iter()
                .find(|(_, slot)| slot.can_take_now() && accept(slot))
                .map(|(key, slot)| Found {
                    slot: Arc::clone(slot),
                    key: *key,
                    proficiency: level as u8 + 1,
                });
            let Some(hit) = hit else { continue };
            if self.strategy == Strategy::HighestProficiency {
                return Some(hit);
            }
            if best.as_ref().is_none_or(|b| hit.key < b.key) {
                best = Some(hit);
            }
        }
        best
    }

    /// Agents in the index now (tests and views), best first within each level.
    pub fn len(&self) -> usize {
        lock(&self.inner).levels.iter().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::{AgentBoard, rank_candidates};

    use crate::routing::test_rng::Rng;

    /// Random logins, claims, releases, presence changes and logouts: after each, the index's
    /// best agent is the one the reference ranking (sort every candidate) puts first, for
    /// every strategy and proficiency floor, and the staffing counters match a recount.
    #[test]
    fn the_index_front_is_the_reference_rankings_first() {
        for strategy in
            [Strategy::LongestIdle, Strategy::LeastOccupied, Strategy::HighestProficiency]
        {
            let mut rng = Rng(0x2545_f491_4f6c_dd1d);
            let board = AgentBoard::new(strategy);
            let skill: Arc<str> = Arc::from("billing");
            let mut now = 0;
            for step in 0..4_000 {
                now += rng.below(3);
                let id = format!("a{}", rng.below(40));
                match (board.get(&id), rng.below(6)) {
                    (None, _) => {
                        let p = rng.below(5) as u8 + 1;
                        let skills = vec![(Arc::clone(&skill), p), (Arc::from("general"), 1)];
                        let capacity = rng.below(4) as u32 + 1;
                        board.login(&id, skills, Vec::new(), capacity, now).expect("login");
                    }
                    (Some(slot), 0 | 1) => drop(slot.try_claim(now)),
                    (Some(slot), 2) => slot.release(),
                    (Some(slot), 3) => drop(slot.set_presence(Presence::Away)),
                    (Some(slot), 4) => drop(slot.set_presence(Presence::Available)),
                    (Some(_), _) => drop(board.logout(&id)),
                }
                let index = board.index("billing");
                for min in 1..=5u8 {
                    let mut all: Vec<Arc<AgentSlot>> = board
                        .all()
                        .into_iter()
                        .filter(|s| s.can_take_now() && s.proficiency("billing") >= Some(min))
                        .collect();
                    rank_candidates(strategy, &mut all, |s| s.view("billing"));
                    let want = all.first().map(|s| s.login_seq);
                    let got = index.best(min, |_| true).map(|f| f.slot.login_seq);
                    assert_eq!(got, want, "{strategy:?} floor {min} at step {step}");
                }
                let recount = board.all().iter().fold((0, 0), |(st, fr), s| match s.state() {
                    (Presence::Available, used) => (st + s.capacity, fr + s.capacity - used),
                    (Presence::AfterWork, _) => (st + s.capacity, fr),
                    _ => (st, fr),
                });
                assert_eq!(board.staffing("billing"), recount, "staffing at step {step}");
            }
        }
    }
}
