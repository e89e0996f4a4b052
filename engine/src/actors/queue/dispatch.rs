//! Who gets a waiting customer: the overflow rings reached, the eligible agents, the offer
//! (a slot claimed on the board by compare-and-swap), and an agent pulling the best
//! customer across its skills when a slot frees.

use std::ops::Bound;
use std::sync::Arc;

use crate::actors::actor::Ctx;
use crate::actors::agent::AgentCmd;
use crate::actors::conversation::ConvCmd;
use crate::routing::Ring;
use crate::routing::{AgentSlot, QueueKey, rank_candidates};

use super::QueueBehaviour;

/// Offers waiting entries, best first, to the best agents that can take them now.
/// The ring a customer who started waiting at `enqueued_ms` has reached.
pub(super) fn ring_reached(rings: &[Ring], enqueued_ms: u64, now_ms: u64) -> usize {
    let waited = now_ms.saturating_sub(enqueued_ms);
    rings.iter().rposition(|r| r.after_s.saturating_mul(1000) <= waited).unwrap_or(0)
}

/// Whether `slot` may take a customer of `skill` in ring `ring` (and of a sensitive topic,
/// when `restricted` names it).
pub(super) fn eligible(
    slot: &AgentSlot,
    skill: &str,
    rings: &[Ring],
    ring: usize,
    restricted: Option<&str>,
) -> bool {
    if restricted.is_some_and(|topic| !slot.cleared_for(topic)) {
        return false;
    }
    slot.proficiency(skill).is_some_and(|p| p >= rings[ring].min_proficiency)
        || rings[..=ring]
            .iter()
            .flat_map(|r| &r.extra_skills)
            .any(|extra| slot.proficiency(extra).is_some())
}

/// Agents who could take a customer of this queue in ring `ring` now, appended to `out`.
pub(super) fn ring_candidates(
    ctx: &Ctx<'_, QueueBehaviour>,
    rings: &[Ring],
    ring: usize,
    out: &mut Vec<Arc<AgentSlot>>,
) {
    let skill = &*ctx.cell.key;
    ctx.shared.board.candidates(skill, out);
    for extra in rings[..=ring].iter().flat_map(|r| &r.extra_skills) {
        ctx.shared.board.candidates(extra, out);
    }
    out.sort_by_key(|slot| slot.login_seq);
    out.dedup_by_key(|slot| slot.login_seq);
    out.retain(|slot| eligible(slot, skill, rings, ring, None));
}

pub(super) fn dispatch(ctx: &Ctx<'_, QueueBehaviour>) {
    let skill = Arc::clone(&ctx.cell.key);
    let strategy = ctx.shared.config().routing.strategy;
    let rings = ctx.shared.rings(&skill);
    // Publish before looking at the board: an agent freeing a slot reads heads after
    // writing the board, so one of the two sides always sees the other.
    ctx.with(|q| q.publish_head());
    let mut candidates: Vec<Arc<AgentSlot>> = Vec::new();
    let mut after: Option<QueueKey> = None;
    loop {
        candidates.clear();
        // Anyone at all (the widest ring) before walking the queue.
        ring_candidates(ctx, rings, rings.len() - 1, &mut candidates);
        if candidates.is_empty() {
            return;
        }
        let now = ctx.shared.now_ms();
        let lower = after.map_or(Bound::Unbounded, Bound::Excluded);
        let entry = ctx.with(|q| {
            let (key, conv) = q.waiting.range((lower, Bound::Unbounded)).next()?;
            let conv = Arc::clone(conv);
            let entry = q.entries.get(&conv);
            let ring = entry.map_or(0, |e| ring_reached(rings, e.enqueued_ms, now));
            let restricted = entry.and_then(|e| e.restricted.clone());
            candidates.retain(|slot| {
                !q.declined_by(&conv, &slot.id)
                    && eligible(slot, &skill, rings, ring, restricted.as_deref())
            });
            Some((*key, conv))
        });
        let Some((key, conv)) = entry else { return };
        after = Some(key);
        rank_candidates(strategy, &mut candidates, |slot| slot.view(&skill));
        let now = ctx.shared.now_ms();
        if let Some(slot) = candidates.iter().find(|slot| slot.try_claim(now)) {
            offer(ctx, key, conv, slot);
        }
    }
}

/// The agent asked for work: its best entry here (one it has not declined), if it can
/// still take one; otherwise it tries its next queue.
pub(super) fn pull(ctx: &Ctx<'_, QueueBehaviour>, agent: Arc<str>) {
    let skill = Arc::clone(&ctx.cell.key);
    let rings = ctx.shared.rings(&skill);
    let now = ctx.shared.now_ms();
    let slot = ctx.shared.board.get(&agent);
    let entry = slot.as_ref().and_then(|slot| {
        ctx.with(|q| {
            q.waiting
                .iter()
                .find(|(_, conv)| {
                    let entry = q.entries.get(*conv);
                    let ring = entry.map_or(0, |e| ring_reached(rings, e.enqueued_ms, now));
                    let restricted = entry.and_then(|e| e.restricted.as_deref());
                    !q.declined_by(conv, &agent) && eligible(slot, &skill, rings, ring, restricted)
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
