//! Who gets a waiting customer: the overflow rings reached, the eligible agents, the offer
//! (a slot claimed on the board by compare-and-swap), and an agent pulling the best
//! customer across its skills when a slot frees.
//!
//! The best agent for a customer comes from the front of the skill's index (and of the
//! extra skills' indexes its ring reaches), not from ranking every agent: the cost of an
//! offer does not grow with the agents on the skill.

use std::sync::Arc;

use crate::actors::actor::Ctx;
use crate::actors::agent::AgentCmd;
use crate::actors::conversation::ConvCmd;
use crate::routing::{AgentSlot, Found, QueueKey, SkillIndex, Strategy};

use super::{QueueBehaviour, QueueState};

/// A queue's rings with their skills interned, built once per queue (the rings are fixed
/// configuration).
#[derive(Debug)]
pub(crate) struct Route {
    strategy: Strategy,
    own: Arc<SkillIndex>,
    rings: Vec<RouteRing>,
    /// The lowest proficiency any ring accepts in the queue's own skill.
    lowest: u8,
}

#[derive(Debug)]
struct RouteRing {
    after_ms: u64,
    min_proficiency: u8,
    /// The extra skills this ring reaches (with those of earlier rings).
    extras: Vec<Arc<SkillIndex>>,
}

impl Route {
    fn new(ctx: &Ctx<'_, QueueBehaviour>) -> Route {
        let board = &ctx.shared.board;
        let mut extras: Vec<Arc<SkillIndex>> = Vec::new();
        let rings = ctx
            .shared
            .rings(&ctx.cell.key)
            .iter()
            .map(|ring| {
                for skill in &ring.extra_skills {
                    if !extras.iter().any(|x| *x.name == **skill) {
                        extras.push(board.index(skill));
                    }
                }
                RouteRing {
                    after_ms: ring.after_s.saturating_mul(1000),
                    min_proficiency: ring.min_proficiency,
                    extras: extras.clone(),
                }
            })
            .collect::<Vec<_>>();
        let lowest = rings.iter().map(|r| r.min_proficiency).min().unwrap_or(1);
        Route { strategy: board.strategy(), own: board.index(&ctx.cell.key), rings, lowest }
    }

    /// The ring a customer who started waiting at `enqueued_ms` has reached.
    fn ring_reached(&self, enqueued_ms: u64, now_ms: u64) -> usize {
        let waited = now_ms.saturating_sub(enqueued_ms);
        self.rings.iter().rposition(|r| r.after_ms <= waited).unwrap_or(0)
    }

    /// Whether anyone in any ring could take a customer now.
    fn anyone(&self) -> bool {
        self.own.any(self.lowest)
            || self.rings.last().is_some_and(|r| r.extras.iter().any(|x| x.any(1)))
    }

    /// Whether `slot` may take a customer in ring `ring` (of a sensitive topic, when
    /// `restricted` names it).
    fn eligible(&self, slot: &AgentSlot, ring: usize, restricted: Option<&str>) -> bool {
        if restricted.is_some_and(|topic| !slot.cleared_for(topic)) {
            return false;
        }
        let ring = &self.rings[ring];
        slot.proficiency_in(self.own.id).is_some_and(|p| p >= ring.min_proficiency)
            || ring.extras.iter().any(|x| slot.proficiency_in(x.id).is_some())
    }

    /// The best agent who can take a customer in ring `ring` now and passes `accept`: the
    /// front of the queue's own index, or of an extra skill's. Under `highest_proficiency`
    /// an agent with the queue's skill comes first, and agents reached through an extra
    /// skill rank by their proficiency in it; otherwise all compare by the strategy's key.
    fn best(&self, ring: usize, mut accept: impl FnMut(&AgentSlot) -> bool) -> Option<Found> {
        let ring = &self.rings[ring];
        let own = self.own.best(ring.min_proficiency, &mut accept);
        if own.is_some() && self.strategy == Strategy::HighestProficiency {
            return own;
        }
        let mut best = own;
        for extra in &ring.extras {
            let Some(hit) = extra.best(1, &mut accept) else { continue };
            let better = match &best {
                None => true,
                Some(b) if self.strategy == Strategy::HighestProficiency => {
                    (std::cmp::Reverse(hit.proficiency), hit.key)
                        < (std::cmp::Reverse(b.proficiency), b.key)
                }
                Some(b) => hit.key < b.key,
            };
            if better {
                best = Some(hit);
            }
        }
        best
    }
}

/// The queue's route, built on first use.
fn route(ctx: &Ctx<'_, QueueBehaviour>) -> Arc<Route> {
    if let Some(route) = ctx.with(|q| q.route.clone()) {
        return route;
    }
    let route = Arc::new(Route::new(ctx));
    ctx.with(|q| q.route = Some(Arc::clone(&route)));
    route
}

/// Offers waiting entries, best first, to the best agents that can take them now.
pub(super) fn dispatch(ctx: &Ctx<'_, QueueBehaviour>) {
    let route = route(ctx);
    // Publish before looking at the indexes: an agent freeing a slot updates them before
    // reading heads, so one of the two sides always sees the other.
    ctx.with(|q| q.publish_head());
    // Entries that are neither restricted nor excluded anyone are alike in a ring: once one
    // found nobody, the others of that ring (or an earlier one) would not either.
    let mut failed_plain = 0u64;
    let mut after: Option<QueueKey> = None;
    loop {
        if !route.anyone() {
            return;
        }
        let now = ctx.shared.now_ms();
        let found = ctx.with(|q| next_match(q, &route, &mut after, &mut failed_plain, now));
        let Some((key, conv, slot)) = found else { return };
        // A failed claim (the agent changed just now) tries the same entry again.
        if slot.try_claim(ctx.shared.now_ms()) {
            offer(ctx, key, conv, &slot);
        }
    }
}

/// The next waiting entry after `after` that someone can take, with its best agent.
fn next_match(
    q: &QueueState,
    route: &Route,
    after: &mut Option<QueueKey>,
    failed_plain: &mut u64,
    now: u64,
) -> Option<(QueueKey, Arc<str>, Arc<AgentSlot>)> {
    loop {
        let (key, conv) = match after {
            None => q.waiting.first()?,
            Some(after) => q.waiting.next_after(after)?,
        };
        let entry = q.entries.get(conv);
        let ring = entry.map_or(0, |e| route.ring_reached(e.enqueued_ms, now));
        let restricted = entry.and_then(|e| e.restricted.as_deref());
        let plain = restricted.is_none() && !q.has_declines(conv);
        let bit = 1u64 << ring.min(63);
        if plain && (*failed_plain & bit) != 0 {
            *after = Some(*key);
            continue;
        }
        let hit = route.best(ring, |slot| {
            !q.declined_by(conv, &slot.id) && route.eligible(slot, ring, restricted)
        });
        match hit {
            Some(hit) => return Some((*key, Arc::clone(conv), hit.slot)),
            None => {
                if plain {
                    *failed_plain |= bit;
                }
                *after = Some(*key);
            }
        }
    }
}

/// The agent asked for work: its best entry here (one it has not declined), if it can
/// still take one; otherwise it tries its next queue.
pub(super) fn pull(ctx: &Ctx<'_, QueueBehaviour>, agent: Arc<str>) {
    let route = route(ctx);
    let now = ctx.shared.now_ms();
    let slot = ctx.shared.board.get(&agent);
    let entry = slot.as_ref().and_then(|slot| {
        ctx.with(|q| {
            q.waiting
                .iter()
                .find(|(_, conv)| {
                    let entry = q.entries.get(*conv);
                    let ring = entry.map_or(0, |e| route.ring_reached(e.enqueued_ms, now));
                    let restricted = entry.and_then(|e| e.restricted.as_deref());
                    !q.declined_by(conv, &agent) && route.eligible(slot, ring, restricted)
                })
                .map(|(k, c)| (*k, Arc::clone(c)))
        })
    });
    match (slot, entry) {
        (Some(slot), Some((key, conv))) if slot.try_claim(now) => {
            offer(ctx, key, conv, &slot);
        }
        _ => {
            let _ = ctx.shared.tell_agent(&agent, AgentCmd::PullMiss);
        }
    }
}

/// Moves an entry to offered and tells the conversation, then the agent (in that order, so
/// the conversation never hears of an offer after hearing how it ended).
pub(super) fn offer(
    ctx: &Ctx<'_, QueueBehaviour>,
    key: QueueKey,
    conv: Arc<str>,
    slot: &Arc<AgentSlot>,
) {
    let offer_id = ctx.shared.next_seq();
    let agent = Arc::clone(&slot.id);
    ctx.with(|q| {
        q.waiting.remove(&key);
        q.offered.insert(Arc::clone(&conv), (Arc::clone(&agent), offer_id));
        if let Some(entry) = q.entries.get_mut(&conv) {
            entry.offered_ms = Some(ctx.shared.now_ms());
        }
    });
    let offered = ConvCmd::Offered { agent: Arc::clone(&agent), offer_id };
    if ctx.shared.tell_conversation(&conv, offered).is_err() {
        // The conversation is gone: nothing to offer.
        slot.release();
        ctx.with(|q| q.forget(&conv));
        return;
    }
    let skill = Arc::clone(&ctx.cell.key);
    let offer = AgentCmd::Offer { conv: Arc::clone(&conv), skill, offer_id };
    if ctx.shared.tell_agent(&agent, offer).is_err() {
        // The agent logged out after its slot was claimed: back to the original position.
        slot.release();
        ctx.with(|q| {
            q.offered.remove(&conv);
            q.waiting.insert(key, Arc::clone(&conv));
        });
        let _ = ctx.shared.tell_conversation(&conv, ConvCmd::OfferEnded { offer_id });
    }
}
