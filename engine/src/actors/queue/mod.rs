//! The skill-queue actor: waiting customers in aging order, offers out to agents.
//!
//! On every arrival or return it dispatches: for the best waiting entry, the agents that can
//! take the skill now are ranked by the strategy and the first whose slot it can claim on the
//! agent board (compare-and-swap) gets the offer; then the next entry, until no agent fits.
//! An agent with a free slot pulls from the queue whose head is best across its skills.
//! An entry keeps its key while offered, so a declined or expired offer puts it back at its
//! original position; an agent who declined or let an offer expire is not offered that
//! customer again while the customer waits.

use std::collections::HashMap;
use std::sync::Arc;

use super::actor::{Behaviour, Ctx};
use super::agent::AgentCmd;
use super::conversation::{CallbackChoice, ConvCmd, Reply};
use super::error::EngineError;
use super::events::ReleaseReason;
use super::shared::{Competitors, Kind, QueueCell, QueueHead, Shared};
use crate::routing::ranked::Ranked;
use crate::routing::{Ages, KeySketch, QueueKey, SkillIndex};
use crate::wait::CallbackConfig;
use crate::wait::messages::{Fields, band, render};
use crate::wait::{BusySlots, FreeCurve, Times};
use crate::wait::{QueueNow, WaitEstimator};

mod dispatch;
mod record;
mod view;

use dispatch::{dispatch, pull};
use record::persist;
pub(crate) use record::{LearnedRecord, QueueRecord, learned_prefix};
pub use view::{QueueView, WaitingView};

/// Weight of the newest handle time in its moving average. Handle times scatter as much as
/// their mean (exponential-like), and the average's own noise is most of the model's error
/// once the queue is deep: a memory of about 200 conversations keeps it near 5 % (0.02, a
/// memory of 50, left 10 %, and the Erlang simulation's median error at 20 % against 15 %;
/// 0.1 gave 23 % noise). The price is following a shift in handle times over about 200
/// conversations of the skill rather than 50.
const HANDLE_ALPHA: f64 = 0.005;

/// What the assumed spread of handle times (exponential) weighs against those seen, in
/// handle times: after 20 it is half the estimate, after 200 a tenth.
const SPREAD_PRIOR: f64 = 20.0;

/// Handle times whose CV is this close to 1 are taken as memoryless (no [`FreeCurve`]),
/// unless their wrap-up is more than this share of them.
const MEMORYLESS_CV: f64 = 0.05;
const MEMORYLESS_WRAP: f64 = 0.01;

/// Weight of the newest interarrival gap and answer delay in theirs.
const EWMA_ALPHA: f64 = 0.02;

/// A waiting (or offered) customer.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: QueueKey,
    /// When the current wait started (engine clock).
    pub enqueued_ms: u64,
    /// Each estimator's prediction at enqueue time, in [`crate::wait::NAMES`] order.
    pub estimates: [Option<u64>; 3],
    /// What the customer was last told.
    told: Told,
    /// A callback was offered to this customer.
    callback_offered: bool,
    /// The customer accepted a callback: the entry keeps its place, nobody waits online.
    pub callback: bool,
    /// A sensitive topic: only agents cleared for it may take this customer.
    restricted: Option<Arc<str>>,
    /// When the current offer was made (engine clock).
    offered_ms: Option<u64>,
}

/// The position and wait band a customer was last told, and when.
#[derive(Debug, Clone, Copy)]
struct Told {
    position: usize,
    band: usize,
    at_ms: u64,
}

/// A skill queue's record (survives actor restarts).
pub(crate) struct QueueState {
    head: Arc<QueueHead>,
    /// Waiting entries in service order, with ranks (a customer's place without a walk).
    pub waiting: Ranked<QueueKey, Arc<str>>,
    /// Every entry, waiting or offered.
    pub entries: HashMap<Arc<str>, Entry>,
    /// Offered entries: the agent and the offer id.
    pub offered: HashMap<Arc<str>, (Arc<str>, u64)>,
    /// Agents who declined or let an offer of this entry expire.
    declined: HashMap<Arc<str>, Vec<Arc<str>>>,
    estimators: Vec<Box<dyn WaitEstimator>>,
    /// Moving average of handle times (accept to release), milliseconds.
    pub handle_ms: f64,
    /// Moving average of handle times' squared distance from `handle_ms` (ms²), and how
    /// many handle times it has seen (a mean over them until there are enough for the
    /// moving average: the configured handle time says nothing about the spread).
    pub handle_var_ms: f64,
    pub handled: u64,
    /// Moving average of the after-chat (wrap-up) part of handle times, milliseconds (zero
    /// for conversations closed without one).
    pub wrap_ms: f64,
    /// This skill's agents, and the conversations in service in their slots.
    index: Arc<SkillIndex>,
    /// When the busy slots free ([`FreeCurve`]), and the engine time it was built at.
    curve: Option<(u64, FreeCurve)>,
    /// Moving average of the time agents take to accept an offer, milliseconds, and how many
    /// accepts it has seen (a plain mean until there are enough for the moving average).
    pub answer_ms: f64,
    answers: u64,
    /// Moving average of the time between arrivals, milliseconds; the last arrival.
    interarrival_ms: Option<f64>,
    last_arrival_ms: Option<u64>,
    /// The latest waits served `(wait, when)`, replayed into the estimators after a restart.
    pub recent_waits: std::collections::VecDeque<(u64, u64)>,
    /// The rings with their skills interned (built on first dispatch).
    route: Option<Arc<dispatch::Route>>,
    /// An update pass under way: it resumes after this key (`Some(None)`: from the start).
    sweep: Option<Option<QueueKey>>,
}

impl QueueState {
    /// A queue that has handled nothing yet: handle times are taken as `initial_handle_ms`
    /// (accept to release) and exponential, and a conversation's wrap-up as `wrap_up_ms`
    /// (the configured after-chat time, its most usual length), until learned.
    pub fn new(
        head: Arc<QueueHead>,
        index: Arc<SkillIndex>,
        initial_handle_ms: f64,
        wrap_up_ms: f64,
    ) -> Self {
        QueueState {
            head,
            waiting: Ranked::new(),
            entries: HashMap::new(),
            offered: HashMap::new(),
            declined: HashMap::new(),
            estimators: crate::wait::all(),
            handle_ms: initial_handle_ms,
            // Until handle times are seen, they are taken as exponential (CV 1).
            handle_var_ms: initial_handle_ms * initial_handle_ms,
            handled: 0,
            wrap_ms: wrap_up_ms.clamp(0.0, initial_handle_ms.max(0.0)),
            index,
            curve: None,
            answer_ms: 0.0,
            answers: 0,
            interarrival_ms: None,
            last_arrival_ms: None,
            recent_waits: std::collections::VecDeque::new(),
            route: None,
            sweep: None,
        }
    }

    /// What an estimator sees for a customer at `position`.
    pub fn now(&self, position: usize, (staffed_slots, free_slots): (u32, u32)) -> QueueNow {
        QueueNow {
            position,
            staffed_slots,
            free_slots,
            handle_ms: self.handle_ms,
            answer_ms: self.answer_ms,
            arrivals_per_s: self.interarrival_ms.map_or(0.0, |ms| 1000.0 / ms.max(1.0)),
            competing: 0.0,
            until_freed_ms: None,
        }
    }

    /// What an estimator sees for the customer with key `key_ms` at `position`, with what
    /// the agents it shares owe other queues first (`competitors`).
    pub(crate) fn now_against(
        &self,
        position: usize,
        staffing: (u32, u32),
        competitors: &Competitors,
        key_ms: i64,
    ) -> QueueNow {
        let mut queue = self.now(position, staffing);
        let ahead = (position as u64 + 1).saturating_sub(u64::from(queue.free_slots));
        queue.competing = competitors.owed(key_ms, ahead as f64, f64::from(queue.staffed_slots));
        if let Some((_, curve)) = &self.curve {
            let (staffed, free) = staffing;
            let free = free.min(staffed);
            queue.until_freed_ms =
                curve.time_for(ahead as f64 + queue.competing, staffed - free, free);
        }
        queue
    }

    /// Learns one handle time (accept to release) and the after-chat part of it.
    fn learn_handle(&mut self, handle_ms: u64, wrap_ms: u64) {
        let handle = handle_ms as f64;
        self.handle_ms = HANDLE_ALPHA * handle + (1.0 - HANDLE_ALPHA) * self.handle_ms;
        self.handled += 1;
        // The configured handle time says nothing of the spread: it and the wrap-up are
        // learned from their priors (exponential; the configured wrap-up), each worth
        // SPREAD_PRIOR handle times. A prior of no wrap-up told a new queue for its first
        // hundred conversations that wrap-ups end sooner than they do.
        let alpha = HANDLE_ALPHA.max(1.0 / (SPREAD_PRIOR + self.handled as f64));
        let distance = (handle - self.handle_ms).powi(2);
        self.handle_var_ms = alpha * distance + (1.0 - alpha) * self.handle_var_ms;
        self.wrap_ms = alpha * wrap_ms.min(handle_ms) as f64 + (1.0 - alpha) * self.wrap_ms;
    }

    /// Handle times' coefficient of variation (sd / mean), as learned.
    pub fn handle_cv(&self) -> f64 {
        self.handle_var_ms.max(0.0).sqrt() / self.handle_ms.max(1.0)
    }

    /// Rebuilds the curve of when the busy slots free, from the ages of the conversations in
    /// service in this skill's agents' slots (of any skill: [`crate::routing::InService`]),
    /// once it is older than a two-hundredth of a cycle (ages move on slowly against a handle
    /// time; staffing enters only when the curve is read). Without a conversation in service
    /// there are no ages, and with handle times as spread as exponential ones (CV within 0.05
    /// of 1) and no wrap-up to speak of they do not matter: the model counts `AHT / c`.
    pub fn refresh_curve(&mut self, now_ms: u64) {
        let cycle = self.handle_ms + self.answer_ms;
        let fresh_enough = self
            .curve
            .as_ref()
            .is_some_and(|(at, _)| (now_ms.saturating_sub(*at) as f64) < cycle / 200.0);
        if fresh_enough {
            return;
        }
        // Memoryless handle times free slots at `AHT / c` whatever their ages: the formula is
        // exact there and the grid only approximates it.
        let memoryless = (self.handle_cv() - 1.0).abs() < MEMORYLESS_CV
            && self.wrap_ms <= MEMORYLESS_WRAP * self.handle_ms;
        if memoryless || self.index.service.is_empty() {
            self.curve = None;
            return;
        }
        let Ages { talking, wrapping } = self.index.service.ages(now_ms);
        let times = Times {
            handle_ms: self.handle_ms,
            cv: self.handle_cv(),
            wrap_ms: self.wrap_ms,
            answer_ms: self.answer_ms,
        };
        let busy = BusySlots { talking: &talking, wrapping: &wrapping };
        self.curve = FreeCurve::build(busy, times).map(|c| (now_ms, c));
    }

    /// The model's prediction (what customers are told).
    pub fn model_estimate(&self, queue: &QueueNow, now_ms: u64) -> Option<u64> {
        self.estimators[0].estimate(queue, now_ms)
    }

    /// Every estimator's prediction for `queue`.
    pub fn estimates(&self, queue: &QueueNow, now_ms: u64) -> [Option<u64>; 3] {
        let mut out = [None; 3];
        for (slot, estimator) in out.iter_mut().zip(&self.estimators) {
            *slot = estimator.estimate(queue, now_ms);
        }
        out
    }

    fn arrived(&mut self, now_ms: u64) {
        if let Some(last) = self.last_arrival_ms {
            let gap = now_ms.saturating_sub(last) as f64;
            self.interarrival_ms = Some(
                self.interarrival_ms.map_or(gap, |old| EWMA_ALPHA * gap + (1.0 - EWMA_ALPHA) * old),
            );
        }
        self.last_arrival_ms = Some(now_ms);
    }

    fn publish_head(&self) {
        self.head.publish(self.waiting.first().map(|(k, _)| *k), KeySketch::of(&self.waiting));
    }

    fn has_declines(&self, conv: &str) -> bool {
        self.declined.contains_key(conv)
    }

    fn declined_by(&self, conv: &str, agent: &str) -> bool {
        self.declined.get(conv).is_some_and(|d| d.iter().any(|a| &**a == agent))
    }

    /// Entries and the agents excluded from them.
    pub fn declined(&self) -> impl Iterator<Item = (&Arc<str>, &Vec<Arc<str>>)> {
        self.declined.iter()
    }

    fn forget(&mut self, conv: &str) {
        self.entries.remove(conv);
        self.offered.remove(conv);
        self.declined.remove(conv);
    }
}

/// Commands to a queue actor.
pub(crate) enum QueueCmd {
    /// A conversation joins the queue with this key; `restricted` names its topic when only
    /// agents cleared for it may take it.
    Enqueue { conv: Arc<str>, key: QueueKey, restricted: Option<Arc<str>> },
    /// An offer ended without acceptance: back to the original position.
    Return { conv: Arc<str>, offer_id: u64, declined_by: Option<Arc<str>> },
    /// From the agent: the offer was accepted. The entry leaves the queue, and the
    /// conversation is told (it answers the agent's caller once assigned).
    Accepted {
        conv: Arc<str>,
        offer_id: u64,
        agent: Arc<str>,
        name: String,
        team: String,
        reply: Reply<()>,
    },
    /// The customer left.
    Remove { conv: Arc<str> },
    /// An agent with a free slot asks for its next customer.
    Pull { agent: Arc<str> },
    /// A conversation of this skill released its agent after `handle_ms` (accept to
    /// release), `wrap_ms` of it in after-chat work.
    Handled { handle_ms: u64, wrap_ms: u64 },
    /// Continue the update pass over waiting customers (sent by the queue to itself).
    Sweep,
    /// The customer answers a callback offer: taken only if this stay was offered one and
    /// the entry is waiting (not offered to an agent); the conversation is told either way.
    Callback { conv: Arc<str>, choice: CallbackChoice },
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
            QueueCmd::Enqueue { conv, key, restricted } => {
                enqueue(ctx, Arc::clone(&conv), key, restricted);
                persist(ctx, &conv);
                dispatch(ctx);
            }
            QueueCmd::Return { conv, offer_id, declined_by } => {
                ctx.with(|q| {
                    if q.offered.get(&conv).is_some_and(|(_, id)| *id == offer_id) {
                        q.offered.remove(&conv);
                        if let Some(entry) = q.entries.get(&conv) {
                            q.waiting.insert(entry.key, Arc::clone(&conv));
                        }
                        if let Some(agent) = declined_by {
                            q.declined.entry(Arc::clone(&conv)).or_default().push(agent);
                        }
                    }
                });
                // Told before any newer offer of this customer (both go from this actor), so
                // the conversation sees the end of one offer before the next.
                let _ = ctx.shared.tell_conversation(&conv, ConvCmd::OfferEnded { offer_id });
                dispatch(ctx);
            }
            QueueCmd::Accepted { conv, offer_id, agent, name, team, reply } => {
                accepted(ctx, &conv, offer_id);
                // Written before the conversation is told (it answers the accept after its
                // own write, which follows this one).
                persist(ctx, &conv);
                let told =
                    ConvCmd::Accepted { agent: Arc::clone(&agent), offer_id, name, team, reply };
                if let Err(told) = ctx.shared.tell_conversation(&conv, told) {
                    // The customer left just now: the agent gets its slot back.
                    if let ConvCmd::Accepted { reply, .. } = told {
                        let _ = reply.send(Err(EngineError::UnknownConversation(conv.to_string())));
                    }
                    let release = AgentCmd::Release { conv, reason: ReleaseReason::Closed };
                    let _ = ctx.shared.tell_agent(&agent, release);
                }
            }
            QueueCmd::Remove { conv } => {
                remove(ctx, &conv);
                persist(ctx, &conv);
            }
            QueueCmd::Pull { agent } => pull(ctx, agent),
            QueueCmd::Sweep => update_waiting(ctx, false),
            QueueCmd::Callback { conv, choice } => {
                let offered = ctx.with(|q| {
                    let waiting = !q.offered.contains_key(&conv);
                    let Some(entry) = q.entries.get_mut(&conv) else { return false };
                    let offered = waiting && entry.callback_offered && !entry.callback;
                    if offered && matches!(choice, CallbackChoice::Take(_)) {
                        entry.callback = true;
                    }
                    offered
                });
                persist(ctx, &conv);
                let answered = ConvCmd::CallbackAnswered { choice, offered };
                if let Err(ConvCmd::CallbackAnswered { choice, .. }) =
                    ctx.shared.tell_conversation(&conv, answered)
                {
                    choice.fail(EngineError::UnknownConversation(conv.to_string()));
                }
            }
            QueueCmd::Handled { handle_ms, wrap_ms } => {
                ctx.with(|q| q.learn_handle(handle_ms, wrap_ms));
                record::persist_learned(ctx);
            }
        }
        ctx.with(|q| q.publish_head());
        update_level(ctx);
    }

    fn on_start(ctx: &Ctx<'_, Self>) {
        dispatch(ctx);
        ctx.with(|q| q.publish_head());
        update_level(ctx);
        ctx.timer_in(LEVEL_EVERY_MS);
    }

    /// Staffing changes reach the level even when nothing happens in the queue, and waiting
    /// customers hear when their place or wait changes.
    fn on_timer(ctx: &Ctx<'_, Self>) {
        if ctx.shared.rings(&ctx.cell.key).len() > 1 {
            // A customer may have reached a wider ring.
            dispatch(ctx);
            ctx.with(|q| q.publish_head());
        }
        update_level(ctx);
        // Queues refresh the engine's levels concurrently and one may store another's stale
        // level; re-reading every tick bounds how long that lasts.
        ctx.shared.refresh_load();
        update_waiting(ctx, true);
        ctx.timer_in(LEVEL_EVERY_MS);
    }
}

/// How often a queue re-derives its load level without traffic.
const LEVEL_EVERY_MS: u64 = 5_000;

/// Re-derives the queue's load level from a new customer's expected wait and occupancy.
fn update_level(ctx: &Ctx<'_, QueueBehaviour>) {
    let (staffed, free) = ctx.shared.board.staffing(&ctx.cell.key);
    let now = ctx.shared.now_ms();
    let occupancy = if staffed == 0 {
        0.0
    } else {
        f64::from(staffed - free.min(staffed)) / f64::from(staffed)
    };
    let competitors = ctx.shared.competitors(&ctx.cell.key);
    let changed = ctx.with(|q| {
        q.refresh_curve(now);
        let waiting = q.waiting.len();
        let queue = q.now_against(waiting, (staffed, free), &competitors, now as i64);
        let ewt = q.estimates(&queue, now)[0];
        let level = crate::wait::next_level(
            q.head.level(),
            ewt,
            waiting,
            occupancy,
            &ctx.shared.config().load,
        );
        q.head.set_level(level)
    });
    if changed {
        ctx.shared.refresh_load();
    }
}

/// Whether a customer with this estimate, in a queue with `depth` waiting, is offered a
/// callback: the wait is above the threshold (or cannot be estimated), or the queue is full.
fn callback_due(config: &CallbackConfig, estimate_ms: Option<u64>, depth: usize) -> bool {
    config.enabled
        && (estimate_ms.is_none_or(|ms| ms > config.offer_above_s.saturating_mul(1000))
            || depth >= config.max_queue_depth)
}

/// A customer joins: its place, and every estimator's prediction of its wait; the customer
/// is told the place and the model's estimate, and offered a callback if it is long.
fn enqueue(
    ctx: &Ctx<'_, QueueBehaviour>,
    conv: Arc<str>,
    key: QueueKey,
    restricted: Option<Arc<str>>,
) {
    let now = ctx.shared.now_ms();
    let staffing = ctx.shared.board.staffing(&ctx.cell.key);
    let config = ctx.shared.config();
    let competitors = ctx.shared.competitors(&ctx.cell.key);
    let (position, estimate, offer_callback) = ctx.with(|q| {
        if let Some(old) = q.entries.remove(&conv) {
            q.waiting.remove(&old.key);
        }
        q.offered.remove(&conv);
        q.arrived(now);
        q.refresh_curve(now);
        let position = q.waiting.rank(&key);
        let queue = q.now_against(position, staffing, &competitors, key.virtual_ms);
        let estimates = q.estimates(&queue, now);
        let offer_callback = callback_due(&config.callback, estimates[0], q.waiting.len());
        let told = Told { position, band: band(&config.messages, estimates[0]).0, at_ms: now };
        let entry = Entry {
            key,
            enqueued_ms: now,
            estimates,
            told,
            callback_offered: offer_callback,
            callback: false,
            restricted,
            offered_ms: None,
        };
        q.entries.insert(Arc::clone(&conv), entry);
        q.waiting.insert(key, Arc::clone(&conv));
        (position, estimates[0], offer_callback)
    });
    let waiting = told(ctx, position, estimate, true, offer_callback);
    let _ = ctx.shared.tell_conversation(&conv, waiting);
    // Wake up when the customer reaches each further ring, to offer it to the wider pool.
    for ring in ctx.shared.rings(&ctx.cell.key).iter().skip(1) {
        ctx.timer_in(ring.after_s.saturating_mul(1000));
    }
}

/// What a waiting customer is told, worded here once (the queue owns the place, the wait and
/// its band): on joining, or an update; with a callback offer when one is due.
fn told(
    ctx: &Ctx<'_, QueueBehaviour>,
    position: usize,
    estimate_ms: Option<u64>,
    first: bool,
    offer_callback: bool,
) -> ConvCmd {
    let config = &ctx.shared.config().messages;
    let (_, wait) = band(config, estimate_ms);
    let template = match (first, estimate_ms) {
        (true, Some(0)) => &config.queued_now,
        (true, _) => &config.queued,
        (false, _) => &config.update,
    };
    let fields = Fields { position, queue: &ctx.cell.key, wait, ..Fields::default() };
    let message = render(template, fields);
    let callback = offer_callback.then(|| render(&config.callback_offer, fields));
    ConvCmd::Waiting { position, estimate_ms, message, callback }
}

/// Waiting customers looked at per step of an update pass; between steps the queue serves
/// its other commands, so a long line does not hold it (or its thread) for milliseconds.
const SWEEP_CHUNK: usize = 1024;

/// Tells waiting customers whose place or wait band changed, at most every
/// `messages.update_every_s` each; a wait that grows past the callback threshold is told at
/// once, with the offer. `start` begins a pass (unless one is under way); otherwise the pass
/// continues where it stopped, [`SWEEP_CHUNK`] customers at a time, through
/// [`QueueCmd::Sweep`] commands the queue sends itself.
fn update_waiting(ctx: &Ctx<'_, QueueBehaviour>, start: bool) {
    let now = ctx.shared.now_ms();
    let staffing = ctx.shared.board.staffing(&ctx.cell.key);
    let config = ctx.shared.config();
    let every_ms = config.messages.update_every_s.saturating_mul(1000);
    let competitors = ctx.shared.competitors(&ctx.cell.key);
    let (updates, more) = ctx.with(|q| {
        if start {
            if q.sweep.is_some() {
                return (Vec::new(), false);
            }
            q.sweep = Some(None);
        }
        let Some(after) = q.sweep else { return (Vec::new(), false) };
        q.refresh_curve(now);
        let depth = q.waiting.len();
        let chunk: Vec<(QueueKey, Arc<str>)> = q
            .waiting
            .iter_after(after.as_ref())
            .take(SWEEP_CHUNK)
            .map(|(k, c)| (*k, Arc::clone(c)))
            .collect();
        let first = chunk.first().map_or(0, |(k, _)| q.waiting.rank(k));
        let mut updates = Vec::new();
        for (i, (key, conv)) in chunk.iter().enumerate() {
            let position = first + i;
            let queue = q.now_against(position, staffing, &competitors, key.virtual_ms);
            let estimate = q.model_estimate(&queue, now);
            let band = band(&config.messages, estimate).0;
            let Some(entry) = q.entries.get_mut(conv) else { continue };
            if entry.callback {
                continue;
            }
            let offer = !entry.callback_offered && callback_due(&config.callback, estimate, depth);
            let changed = entry.told.band != band || entry.told.position != position;
            if offer || (changed && now.saturating_sub(entry.told.at_ms) >= every_ms) {
                entry.told = Told { position, band, at_ms: now };
                entry.callback_offered |= offer;
                updates.push((Arc::clone(conv), position, estimate, offer));
            }
        }
        let more = chunk.len() == SWEEP_CHUNK;
        q.sweep = if more { chunk.last().map(|(k, _)| Some(*k)) } else { None };
        (updates, more)
    });
    for (conv, position, estimate_ms, offer_callback) in updates {
        if offer_callback {
            persist(ctx, &conv);
        }
        let waiting = told(ctx, position, estimate_ms, false, offer_callback);
        let _ = ctx.shared.tell_conversation(&conv, waiting);
    }
    if more {
        let _ = ctx.cell.push(QueueCmd::Sweep);
    }
}

/// The offer was accepted: the wait is over. Every estimator learns it and the estimates
/// given at enqueue time are scored against it.
fn accepted(ctx: &Ctx<'_, QueueBehaviour>, conv: &Arc<str>, offer_id: u64) {
    let now = ctx.shared.now_ms();
    let served = ctx.with(|q| {
        if q.offered.get(conv).is_none_or(|(_, id)| *id != offer_id) {
            return None;
        }
        let entry = q.entries.remove(conv);
        q.forget(conv);
        let entry = entry?;
        let wait = now.saturating_sub(entry.enqueued_ms);
        if let Some(offered) = entry.offered_ms {
            q.answers += 1;
            let alpha = EWMA_ALPHA.max(1.0 / q.answers as f64);
            let answer = now.saturating_sub(offered) as f64;
            q.answer_ms = alpha * answer + (1.0 - alpha) * q.answer_ms;
        }
        q.observe_wait(wait, now);
        Some((entry.estimates, wait))
    });
    if let Some((estimates, wait)) = served {
        record::persist_learned(ctx);
        crate::telemetry::record_time_to_agent(wait as f64 / 1000.0);
        ctx.shared.record_wait(&estimates, wait);
    }
}

fn remove(ctx: &Ctx<'_, QueueBehaviour>, conv: &Arc<str>) {
    let revoke = ctx.with(|q| {
        if let Some(entry) = q.entries.get(conv) {
            let key = entry.key;
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
