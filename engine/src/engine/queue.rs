//! The skill-queue actor: waiting customers in aging order, offers out to agents.
//!
//! On every arrival or return it dispatches: for the best waiting entry, the agents that can
//! take the skill now are ranked by the strategy and the first whose slot it can claim on the
//! agent board (compare-and-swap) gets the offer; then the next entry, until no agent fits.
//! An agent with a free slot pulls from the queue whose head is best across its skills.
//! An entry keeps its key while offered, so a declined or expired offer puts it back at its
//! original position; an agent who declined or let an offer expire is not offered that
//! customer again while the customer waits.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use super::actor::{Behaviour, Ctx};
use super::agent::AgentCmd;
use super::conversation::ConvCmd;
use super::shared::{Kind, QueueCell, QueueHead, Shared};
use crate::routing::{AgentSlot, QueueKey, rank_candidates};

/// A skill queue's record (survives actor restarts).
pub(crate) struct QueueState {
    head: Arc<QueueHead>,
    pub waiting: BTreeMap<QueueKey, Arc<str>>,
    /// Every entry's key, waiting or offered.
    keys: HashMap<Arc<str>, QueueKey>,
    /// Offered entries: the agent and the offer id.
    pub offered: HashMap<Arc<str>, (Arc<str>, u64)>,
    /// Agents who declined or let an offer of this entry expire.
    declined: HashMap<Arc<str>, Vec<Arc<str>>>,
}

impl QueueState {
    pub fn new(head: Arc<QueueHead>) -> Self {
        QueueState {
            head,
            waiting: BTreeMap::new(),
            keys: HashMap::new(),
            offered: HashMap::new(),
            declined: HashMap::new(),
        }
    }

    fn publish_head(&self) {
        self.head.publish(self.waiting.keys().next().copied());
    }

    fn declined_by(&self, conv: &str, agent: &str) -> bool {
        self.declined.get(conv).is_some_and(|d| d.iter().any(|a| &**a == agent))
    }

    /// Entries and the agents excluded from them.
    pub fn declined(&self) -> impl Iterator<Item = (&Arc<str>, &Vec<Arc<str>>)> {
        self.declined.iter()
    }

    fn forget(&mut self, conv: &str) {
        self.keys.remove(conv);
        self.offered.remove(conv);
        self.declined.remove(conv);
    }
}

/// Commands to a queue actor.
pub(crate) enum QueueCmd {
    /// A conversation joins the queue with this key.
    Enqueue { conv: Arc<str>, key: QueueKey },
    /// An offer ended without acceptance: back to the original position.
    Return { conv: Arc<str>, offer_id: u64, declined_by: Option<Arc<str>> },
    /// The offer was accepted: the entry leaves the queue.
    Accepted { conv: Arc<str>, offer_id: u64 },
    /// The customer left.
    Remove { conv: Arc<str> },
    /// An agent with a free slot asks for its next customer.
    Pull { agent: Arc<str> },
}

pub(crate) struct QueueBehaviour;

impl Behaviour for QueueBehaviour {
    type State = QueueState;
    type Cmd = QueueCmd;
    const KIND: Kind = Kind::Queue;

    fn cell(shared: &Shared, key: &str) -> Option<Arc<QueueCell>> {
        shared.queues.get(key).map(|c| Arc::clone(c.value()))
    }

    fn keys(shared: &Shared) -> Vec<Arc<str>> {
        shared.queues.iter().map(|c| Arc::clone(c.key())).collect()
    }

    fn process(ctx: &Ctx<'_, Self>, command: QueueCmd) {
        match command {
            QueueCmd::Enqueue { conv, key } => {
                ctx.with(|q| {
                    if let Some(old) = q.keys.insert(Arc::clone(&conv), key) {
                        q.waiting.remove(&old);
                    }
                    q.offered.remove(&conv);
                    q.waiting.insert(key, conv);
                });
                dispatch(ctx);
            }
            QueueCmd::Return { conv, offer_id, declined_by } => {
                ctx.with(|q| {
                    if q.offered.get(&conv).is_some_and(|(_, id)| *id == offer_id) {
                        q.offered.remove(&conv);
                        if let Some(key) = q.keys.get(&conv).copied() {
                            q.waiting.insert(key, Arc::clone(&conv));
                        }
                        if let Some(agent) = declined_by {
                            q.declined.entry(conv).or_default().push(agent);
                        }
                    }
                });
                dispatch(ctx);
            }
            QueueCmd::Accepted { conv, offer_id } => ctx.with(|q| {
                if q.offered.get(&conv).is_some_and(|(_, id)| *id == offer_id) {
                    q.forget(&conv);
                }
            }),
            QueueCmd::Remove { conv } => remove(ctx, &conv),
            QueueCmd::Pull { agent } => pull(ctx, agent),
        }
        ctx.with(|q| q.publish_head());
    }

    fn on_start(ctx: &Ctx<'_, Self>) {
        dispatch(ctx);
        ctx.with(|q| q.publish_head());
    }
}

fn remove(ctx: &Ctx<'_, QueueBehaviour>, conv: &Arc<str>) {
    let revoke = ctx.with(|q| {
        if let Some(key) = q.keys.get(conv).copied() {
            q.waiting.remove(&key);
        }
        let offered = q.offered.get(conv).cloned();
        q.forget(conv);
        offered
    });
    if let Some((agent, offer_id)) = revoke {
        let _ =
            ctx.shared.tell_agent(&agent, AgentCmd::Revoke { conv: Arc::clone(conv), offer_id });
    }
}

/// Offers waiting entries, best first, to the best agents that can take them now.
fn dispatch(ctx: &Ctx<'_, QueueBehaviour>) {
    let skill = Arc::clone(&ctx.cell.key);
    let strategy = ctx.shared.config().routing.strategy;
    // Publish before looking at the board: an agent freeing a slot reads heads after
    // writing the board, so one of the two sides always sees the other.
    ctx.with(|q| q.publish_head());
    let mut candidates: Vec<Arc<AgentSlot>> = Vec::new();
    let mut after: Option<QueueKey> = None;
    loop {
        candidates.clear();
        ctx.shared.board.candidates(&skill, &mut candidates);
        if candidates.is_empty() {
            return;
        }
        let lower = after.map_or(Bound::Unbounded, Bound::Excluded);
        let entry = ctx.with(|q| {
            let (key, conv) = q.waiting.range((lower, Bound::Unbounded)).next()?;
            let conv = Arc::clone(conv);
            candidates.retain(|slot| !q.declined_by(&conv, &slot.id));
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
fn pull(ctx: &Ctx<'_, QueueBehaviour>, agent: Arc<str>) {
    let skill = Arc::clone(&ctx.cell.key);
    let slot = ctx.shared.board.get(&agent);
    let entry = ctx.with(|q| {
        q.waiting
            .iter()
            .find(|(_, conv)| !q.declined_by(conv, &agent))
            .map(|(k, c)| (*k, Arc::clone(c)))
    });
    match (slot, entry) {
        (Some(slot), Some((key, conv)))
            if slot.can_take(&skill) && slot.try_claim(ctx.shared.now_ms()) =>
        {
            offer(ctx, key, conv, &slot);
        }
        _ => {
            let _ = ctx.shared.tell_agent(&agent, AgentCmd::PullMiss);
        }
    }
}

/// Moves an entry to offered and tells the conversation, then the agent (in that order, so
/// the conversation never hears of an offer after hearing how it ended).
fn offer(ctx: &Ctx<'_, QueueBehaviour>, key: QueueKey, conv: Arc<str>, slot: &Arc<AgentSlot>) {
    let offer_id = ctx.shared.next_seq();
    let agent = Arc::clone(&slot.id);
    ctx.with(|q| {
        q.waiting.remove(&key);
        q.offered.insert(Arc::clone(&conv), (Arc::clone(&agent), offer_id));
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
