//! What every actor and the `Engine` handle share: the decider, the lock-free boards, the
//! registries of cells, the clock, counters and the current supervisor of each kind.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering::Relaxed, Ordering::SeqCst};

use dashmap::DashMap;
use ractor::ActorRef;
use tokio::time::Instant;

use super::agent::{AgentCmd, AgentState};
use super::cell::{Cell, lock};
use super::conversation::{ConvCmd, ConvState};
use super::lifecycle::State;
use super::queue::{QueueCmd, QueueState};
use super::store::CallbackStore;
use super::supervisor::SupMsg;
use crate::config::EngineConfig;
use crate::context::history::CustomerDirectory;
use crate::escalation::SkillId;
use crate::escalation::{Load, LoadLevels};
use crate::ingest::Decider;
use crate::routing::{AgentBoard, KeySketch, QueueKey};
use crate::routing::{OfferOutcome, Ring};
use crate::signals::SignalBoard;
use crate::wait::{Accuracy, AccuracySummary};

pub(crate) type ConvCell = Cell<ConvState, ConvCmd>;
pub(crate) type AgentCell = Cell<AgentState, AgentCmd>;
pub(crate) type QueueCell = Cell<QueueState, QueueCmd>;

/// The three kinds of supervised actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Conversation,
    Agent,
    Queue,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Conversation => "conversation",
            Kind::Agent => "agent",
            Kind::Queue => "queue",
        }
    }

    fn index(self) -> usize {
        match self {
            Kind::Conversation => 0,
            Kind::Agent => 1,
            Kind::Queue => 2,
        }
    }
}

/// The key of a skill queue's best waiting entry, readable without the queue's lock, so an
/// agent with a free slot can pick the queue to pull from. Only `virtual_ms` is published:
/// it orders heads across queues; sequence ties are settled by the queue itself.
/// It also carries the queue's load level.
#[derive(Debug)]
pub(crate) struct QueueHead {
    head: AtomicU64,
    /// The waiting keys in brief, read by other queues' estimates ([`Shared::competitors`]);
    /// a leaf lock, held for a copy.
    sketch: Mutex<KeySketch>,
    level: AtomicU8,
}

impl QueueHead {
    const EMPTY: u64 = u64::MAX;

    pub(crate) fn new() -> Self {
        QueueHead {
            head: AtomicU64::new(Self::EMPTY),
            sketch: Mutex::new(KeySketch::default()),
            level: AtomicU8::new(0),
        }
    }

    pub fn publish(&self, head: Option<QueueKey>, sketch: KeySketch) {
        // Flip the sign bit so unsigned order equals signed order.
        let code = head.map_or(Self::EMPTY, |k| (k.virtual_ms as u64) ^ (1 << 63));
        *lock(&self.sketch) = sketch;
        self.head.store(code, SeqCst);
    }

    /// The waiting keys in brief, when anyone waits.
    fn waiting(&self) -> Option<KeySketch> {
        let sketch = *lock(&self.sketch);
        (!sketch.is_empty()).then_some(sketch)
    }

    /// The head's order code, `None` when the queue has nothing waiting.
    pub fn get(&self) -> Option<u64> {
        let code = self.head.load(SeqCst);
        (code != Self::EMPTY).then_some(code)
    }

    pub fn level(&self) -> Load {
        load_from_code(self.level.load(Relaxed))
    }

    /// Sets the level; true if it changed.
    pub fn set_level(&self, level: Load) -> bool {
        self.level.swap(level as u8, Relaxed) != level as u8
    }
}

fn load_from_code(code: u8) -> Load {
    match code {
        1 => Load::Elevated,
        2 => Load::High,
        3 => Load::Critical,
        _ => Load::Normal,
    }
}

/// Other queues sharing a skill's agents: each one's waiting keys in brief, the share of its
/// staffed slots that also serve the skill, and how many slots that is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Competitors {
    queues: Vec<(KeySketch, f64, f64)>,
}

impl Competitors {
    /// What the other queues' customers with keys older than `key_ms` cost a customer of
    /// this skill with `ahead` of its own to wait for among `staffed` slots, as customers
    /// ahead ([`crate::wait::competing`]): each queue's older customers (from its sketch),
    /// times the share of its slots that also serve this skill, hold those shared slots
    /// first.
    pub fn owed(&self, key_ms: i64, ahead: f64, staffed: f64) -> f64 {
        let groups =
            self.queues.iter().map(|(sketch, share, slots)| (sketch.below(key_ms) * share, *slots));
        crate::wait::competing(ahead, staffed, groups)
    }
}

/// No override of the derived load level.
const NO_OVERRIDE: u8 = u8::MAX;

/// Counters the engine reports.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub opened: AtomicU64,
    pub closed: AtomicU64,
    pub abandoned: AtomicU64,
    /// Total time abandoned customers had waited, milliseconds.
    pub abandoned_wait_ms: AtomicU64,
    pub callbacks_offered: AtomicU64,
    pub callbacks_accepted: AtomicU64,
    /// Offers by [`OfferOutcome::index`].
    offers: [AtomicU64; 5],
    restarts: [AtomicU64; 3],
    supervisor_restarts: AtomicU64,
    /// Conversation cells hibernating now (kept by the cells themselves).
    pub hibernating: Arc<AtomicU64>,
}

impl Stats {
    /// Counts an offer's outcome.
    pub fn offer(&self, outcome: OfferOutcome) {
        self.offers[outcome.index()].fetch_add(1, Relaxed);
    }
}

/// Finished conversations kept for listing, oldest evicted first.
#[derive(Debug, Default)]
struct Finished {
    order: VecDeque<Arc<str>>,
    states: HashMap<Arc<str>, State>,
}

/// The engine's shared context.
pub(crate) struct Shared {
    pub decider: Decider,
    routes: Routes,
    pub callbacks: Arc<dyn CallbackStore>,
    /// Profiles and contact histories (the engine records every contact that ends).
    pub directory: Arc<dyn CustomerDirectory>,
    /// The continuous-improvement measures.
    pub measures: crate::context::measures::Measures,
    pub signals: SignalBoard,
    pub board: AgentBoard,
    config: EngineConfig,
    pub conversations: DashMap<Arc<str>, Arc<ConvCell>>,
    pub agents: DashMap<Arc<str>, Arc<AgentCell>>,
    pub queues: DashMap<Arc<str>, Arc<QueueCell>>,
    heads: DashMap<Arc<str>, Arc<QueueHead>>,
    finished: Mutex<Finished>,
    /// Estimates at enqueue time against the waits customers had, per estimator.
    accuracy: Mutex<[Accuracy; 3]>,
    pub stats: Stats,
    /// Where every change is written (a no-op with `--ephemeral`).
    pub journal: Arc<crate::journal::Journal>,
    /// The engine clock at this process's start: 0 on a fresh store, else where the clock
    /// stood (by the wall clock) since the store was created, so times written before a
    /// restart stay on the same clock.
    clock_base_ms: u64,
    epoch: Instant,
    seq: AtomicU64,
    /// The wall clock (Unix ms) at this process's start, for the audit trail's times.
    wall_start_ms: u64,
    /// Audit records' sequence numbers: from the start's wall clock × 1024, so keys stay
    /// unique across restarts unless a process writes over 1,024 records per millisecond of
    /// its life.
    audit_seq: AtomicU64,
    supervisors: [Mutex<Option<ActorRef<SupMsg>>>; 3],
    /// Every actor's deadlines (one task fires them all).
    pub timers: super::timers::Timers,
    stopped: AtomicBool,
    levels: Levels,
}

/// The overflow rings of each queue, as configured.
struct Routes {
    /// Overflow rings by skill (skills without configuration use `default_rings`).
    rings: HashMap<String, Vec<Ring>>,
    default_rings: Vec<Ring>,
    /// For each skill, the queues whose rings add it as an extra skill (so its agents pull
    /// from them too).
    overflow_sources: HashMap<String, Vec<Arc<str>>>,
}

impl Routes {
    fn new(queues: &[crate::routing::QueueConfig]) -> Routes {
        let rings = queues.iter().map(|q| (q.skill.clone(), q.rings.clone())).collect();
        let mut overflow_sources: HashMap<String, Vec<Arc<str>>> = HashMap::new();
        for queue in queues {
            for skill in queue.rings.iter().flat_map(|r| &r.extra_skills) {
                let sources = overflow_sources.entry(skill.clone()).or_default();
                if !sources.iter().any(|s| **s == *queue.skill) {
                    sources.push(Arc::from(queue.skill.as_str()));
                }
            }
        }
        Routes {
            rings,
            default_rings: vec![Ring { after_s: 0, min_proficiency: 1, extra_skills: Vec::new() }],
            overflow_sources,
        }
    }
}

/// Load levels, kept by the queue actors and read on the decision path.
struct Levels {
    /// The highest load level among the queues.
    derived: AtomicU8,
    /// The load level of each of the policy's skills (by [`SkillId`]), kept with `derived`.
    skills: Box<[AtomicU8]>,
    /// A level set by the integrator or a test instead ([`NO_OVERRIDE`] when none).
    override_: AtomicU8,
}

impl Shared {
    /// Starts from a validated configuration (the engine's part: no server credentials).
    pub fn new(
        config: EngineConfig,
        callbacks: Arc<dyn CallbackStore>,
        directory: Arc<dyn CustomerDirectory>,
        (journal, clock_base_ms, wall_start_ms): (Arc<crate::journal::Journal>, u64, u64),
    ) -> Result<Self, crate::config::ConfigError> {
        let decider = Decider::new(config.decision()?);
        let skills = decider.policy().skills().iter().map(|_| AtomicU8::new(0)).collect();
        let routes = Routes::new(&config.queues);
        let levels =
            Levels { derived: AtomicU8::new(0), skills, override_: AtomicU8::new(NO_OVERRIDE) };
        let strategy = config.routing.strategy;
        Ok(Shared {
            config,
            routes,
            decider,
            callbacks,
            directory,
            measures: Default::default(),
            signals: SignalBoard::new(),
            board: AgentBoard::new(strategy),
            conversations: DashMap::new(),
            agents: DashMap::new(),
            queues: DashMap::new(),
            heads: DashMap::new(),
            finished: Mutex::new(Finished::default()),
            accuracy: Mutex::new(Default::default()),
            stats: Stats::default(),
            journal,
            clock_base_ms,
            epoch: Instant::now(),
            seq: AtomicU64::new(1),
            wall_start_ms,
            audit_seq: AtomicU64::new(wall_start_ms.saturating_mul(1024)),
            supervisors: Default::default(),
            timers: super::timers::Timers::new(),
            stopped: AtomicBool::new(false),
            levels,
        })
    }

    /// The customer's contacts that ended within `escalation.repeat_window_s`.
    pub fn recent_history(&self, customer: &str) -> crate::context::history::History {
        let window_ms = self.config().escalation.repeat_window_s.saturating_mul(1000);
        let since = self.now_ms().saturating_sub(window_ms);
        crate::context::history::History::recent(self.directory.contacts(customer), since)
    }

    /// What a packet for `customer` on `skill`'s queue needs from outside the record, for an
    /// agent cleared (or not) to read personal data.
    pub(crate) fn outside(
        &self,
        customer: &str,
        skill: &str,
        cleared: bool,
    ) -> super::conversation::Outside {
        let config = self.config();
        super::conversation::Outside {
            profile: self.directory.profile(customer),
            history: self.recent_history(customer),
            to: crate::context::packet::Recipient::agent(
                &config.context,
                cleared,
                config.handoff_for(skill),
            ),
        }
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Milliseconds since the engine started, on tokio's (pausable) clock.
    pub fn now_ms(&self) -> u64 {
        let since = u64::try_from(Instant::now().saturating_duration_since(self.epoch).as_millis())
            .unwrap_or(u64::MAX);
        self.clock_base_ms.saturating_add(since)
    }

    /// The instant of an engine-clock time (times before this process started map to its
    /// start).
    pub fn instant_at(&self, ms: u64) -> Instant {
        self.epoch + std::time::Duration::from_millis(ms.saturating_sub(self.clock_base_ms))
    }

    /// The wall clock now, Unix ms (its start's reading moved on by tokio's clock).
    pub fn unix_now_ms(&self) -> u64 {
        let since = u64::try_from(Instant::now().saturating_duration_since(self.epoch).as_millis())
            .unwrap_or(u64::MAX);
        self.wall_start_ms.saturating_add(since)
    }

    /// Adds a record to the audit trail (and the log, target `baton::audit`, so an
    /// `--ephemeral` engine has a trail too).
    pub fn audit(
        &self,
        kind: crate::journal::AuditKind,
        actor: &str,
        conversation: Option<&str>,
        redacted: Option<bool>,
        detail: String,
    ) {
        let record = crate::journal::AuditRecord {
            at_ms: self.unix_now_ms(),
            kind,
            actor: actor.to_owned(),
            conversation: conversation.map(str::to_owned),
            redacted,
            detail,
        };
        macro_rules! log_audit {
            ($level:ident) => {
                tracing::$level!(
                    target: "baton::audit",
                    kind = ?record.kind,
                    actor = %record.actor,
                    conversation = record.conversation.as_deref().unwrap_or(""),
                    redacted = ?record.redacted,
                    detail = %record.detail,
                    "audit"
                )
            };
        }
        // With a journal the trail is in the store (`baton audit`) and the log line is at
        // debug, so a busy center's log is not one line per packet; ephemeral, the log is the
        // trail.
        if !self.journal.is_durable() {
            log_audit!(info);
            return;
        }
        log_audit!(debug);
        let key = crate::journal::audit_key(record.at_ms, self.audit_seq.fetch_add(1, Relaxed));
        let op = crate::journal::Op::put(
            crate::journal::Space::Audit,
            key,
            crate::journal::encode(&record),
        );
        self.journal.write(vec![op], crate::journal::Durability::Os);
    }

    /// A fresh number: queue sequence numbers and offer ids.
    pub fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Relaxed)
    }

    /// Numbers handed out from now on are above `seen` (recovered keys and offer ids).
    pub fn advance_seq(&self, seen: u64) {
        self.seq.fetch_max(seen.saturating_add(1), Relaxed);
    }

    pub fn set_supervisor(&self, kind: Kind, actor: Option<ActorRef<SupMsg>>) {
        *lock(&self.supervisors[kind.index()]) = actor;
    }

    /// Asks the kind's supervisor to start an actor for `key`. If the supervisor is itself
    /// restarting, its start (or its periodic reconcile) adopts the cell instead.
    pub fn request_spawn(&self, kind: Kind, key: Arc<str>) {
        if let Some(supervisor) = lock(&self.supervisors[kind.index()]).clone() {
            let _ = supervisor.cast(SupMsg::Spawn(key));
        }
    }

    #[cfg(feature = "fault-injection")]
    pub fn supervisor(&self, kind: Kind) -> Option<ActorRef<SupMsg>> {
        lock(&self.supervisors[kind.index()]).clone()
    }

    /// The overflow rings of a skill's queue.
    pub fn rings(&self, skill: &str) -> &[Ring] {
        self.routes.rings.get(skill).unwrap_or(&self.routes.default_rings)
    }

    /// Queues an agent with `skill` may also take customers from (through their rings).
    pub fn overflow_sources(&self, skill: &str) -> &[Arc<str>] {
        self.routes.overflow_sources.get(skill).map_or(&[], Vec::as_slice)
    }

    /// Sends a command to a conversation (waking it from hibernation if needed); gives the
    /// command back if the conversation is gone or finished.
    // The command is returned by value on purpose: it is the caller's to answer or reroute,
    // and boxing it would cost an allocation on every customer message to save a copy on
    // the rare failure.
    #[allow(clippy::result_large_err)]
    pub fn tell_conversation(&self, id: &str, command: ConvCmd) -> Result<(), ConvCmd> {
        let Some(cell) = self.conversations.get(id).map(|c| Arc::clone(c.value())) else {
            return Err(command);
        };
        if cell.push(command)? {
            self.request_spawn(Kind::Conversation, Arc::clone(&cell.key));
        }
        Ok(())
    }

    /// Sends a command to a logged-in agent; gives it back if the agent is gone.
    pub fn tell_agent(&self, id: &str, command: AgentCmd) -> Result<(), AgentCmd> {
        match self.agents.get(id).map(|a| Arc::clone(a.value())) {
            Some(cell) => cell.push(command).map(drop),
            None => Err(command),
        }
    }

    /// The queue of `skill`, created (and its actor requested) on first use.
    pub fn queue(&self, skill: &str) -> Arc<QueueCell> {
        if let Some(cell) = self.queues.get(skill) {
            return Arc::clone(cell.value());
        }
        let key: Arc<str> = Arc::from(skill);
        let head = Arc::clone(
            self.heads
                .entry(Arc::clone(&key))
                .or_insert_with(|| Arc::new(QueueHead::new()))
                .value(),
        );
        let mut created = false;
        let cell = Arc::clone(
            self.queues
                .entry(Arc::clone(&key))
                .or_insert_with(|| {
                    created = true;
                    Cell::new(
                        Arc::clone(&key),
                        QueueState::new(
                            head,
                            self.board.index(&key),
                            self.config().routing.initial_handle_s as f64 * 1000.0,
                            self.config().routing.wrap_up_s as f64 * 1000.0,
                        ),
                    )
                })
                .value(),
        );
        if created {
            self.request_spawn(Kind::Queue, key);
        }
        cell
    }

    pub fn head(&self, skill: &str) -> Option<u64> {
        self.heads.get(skill).and_then(|h| h.get())
    }

    /// The other queues whose customers `skill`'s agents also serve, as they stand now: read
    /// from counters the agent board and the queues keep, not a walk of agents or customers.
    /// Taken once, it answers for every customer of `skill` (the update sweep asks per chunk).
    pub fn competitors(&self, skill: &str) -> Competitors {
        let mut queues = Vec::new();
        if let Some(index) = self.board.existing(skill) {
            index.for_each_shared(|other, overlap| {
                let Some(sketch) = self.heads.get(other).and_then(|h| h.waiting()) else {
                    return;
                };
                let staffed = self.board.staffing(other).0;
                if staffed > 0 {
                    let slots = f64::from(overlap.min(staffed));
                    queues.push((sketch, slots / f64::from(staffed), slots));
                }
            });
        }
        Competitors { queues }
    }

    /// Records a conversation that reached a terminal state: counted, listed among the
    /// finished, its signals dropped. Its cell leaves the registry when its actor has drained
    /// the inbox (`ConversationBehaviour::on_closed`), so a late command is still handled.
    pub fn finish_conversation(&self, id: &Arc<str>, state: State) {
        self.signals.close(id);
        match state {
            State::Abandoned => self.stats.abandoned.fetch_add(1, Relaxed),
            _ => self.stats.closed.fetch_add(1, Relaxed),
        };
        self.remember_finished(id, state);
    }

    /// Keeps a finished conversation's state for listing (and refusing its id again).
    pub fn remember_finished(&self, id: &Arc<str>, state: State) {
        let retained = self.config().engine.finished_retained;
        let mut finished = lock(&self.finished);
        if retained == 0 {
            return;
        }
        finished.order.push_back(Arc::clone(id));
        finished.states.insert(Arc::clone(id), state);
        while finished.order.len() > retained {
            if let Some(old) = finished.order.pop_front() {
                finished.states.remove(&old);
            }
        }
    }

    /// The state of a finished conversation still retained.
    pub fn finished_state(&self, id: &str) -> Option<State> {
        lock(&self.finished).states.get(id).copied()
    }

    /// Retained finished conversations.
    pub fn finished_list(&self) -> Vec<(Arc<str>, State)> {
        let finished = lock(&self.finished);
        finished
            .order
            .iter()
            .filter_map(|id| finished.states.get(id).map(|s| (Arc::clone(id), *s)))
            .collect()
    }

    pub fn record_abandonment(&self, waited_ms: u64) {
        self.stats.abandoned_wait_ms.fetch_add(waited_ms, Relaxed);
    }

    /// Scores each estimator's prediction for a customer who was served after `wait_ms`.
    pub fn record_wait(&self, estimates: &[Option<u64>; 3], wait_ms: u64) {
        let mut accuracy = lock(&self.accuracy);
        for (stats, estimate) in accuracy.iter_mut().zip(estimates) {
            stats.record(*estimate, wait_ms);
        }
    }

    pub fn accuracy(&self) -> [AccuracySummary; 3] {
        let accuracy = lock(&self.accuracy);
        [accuracy[0].summary(), accuracy[1].summary(), accuracy[2].summary()]
    }

    pub fn count_restart(&self, kind: Kind) {
        self.stats.restarts[kind.index()].fetch_add(1, Relaxed);
    }

    pub fn restarts(&self, kind: Kind) -> u64 {
        self.stats.restarts[kind.index()].load(Relaxed)
    }

    pub fn count_supervisor_restart(&self) {
        self.stats.supervisor_restarts.fetch_add(1, Relaxed);
    }

    pub fn supervisor_restarts(&self) -> u64 {
        self.stats.supervisor_restarts.load(Relaxed)
    }

    /// Overrides the derived level (`None` goes back to deriving it).
    pub fn set_load(&self, load: Option<Load>) {
        self.levels.override_.store(load.map_or(NO_OVERRIDE, |l| l as u8), Relaxed);
    }

    /// The engine's level: the override, else the highest queue level (decisions use their
    /// own queue's, through [`LoadLevels`]).
    pub fn load(&self) -> Load {
        self.overridden(&self.levels.derived)
    }

    /// The override when one is set, else the level code the queues keep in `derived`.
    fn overridden(&self, derived: &AtomicU8) -> Load {
        match self.levels.override_.load(Relaxed) {
            NO_OVERRIDE => load_from_code(derived.load(Relaxed)),
            code => load_from_code(code),
        }
    }

    /// A queue's level changed: the engine's level is the highest of them, and each skill a
    /// decision can escalate to takes its queue's.
    pub fn refresh_load(&self) {
        let highest = self.heads.iter().map(|h| h.level()).max().unwrap_or(Load::Normal);
        self.levels.derived.store(highest as u8, Relaxed);
        for (name, level) in self.decider.policy().skills().iter().zip(&self.levels.skills[..]) {
            let now = self.heads.get(name.as_str()).map_or(Load::Normal, |h| h.level());
            level.store(now as u8, Relaxed);
        }
    }

    /// Every queue's level.
    pub fn queue_levels(&self) -> Vec<(String, Load)> {
        let mut levels: Vec<(String, Load)> =
            self.heads.iter().map(|h| (h.key().to_string(), h.level())).collect();
        levels.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        levels
    }

    pub fn mark_stopped(&self) {
        self.stopped.store(true, SeqCst);
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.load(SeqCst)
    }
}

/// Decisions in the engine: the operator's override when set, else the level of the queue the
/// conversation would escalate to. Two relaxed loads, no lock.
impl LoadLevels for &Shared {
    fn level(&self, skill: SkillId) -> Load {
        // Skill ids come from the same policy, so the slot exists; the engine's level if not.
        self.levels.skills.get(skill.index()).map_or_else(|| self.load(), |l| self.overridden(l))
    }
}

/// Counters since start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EngineStats {
    pub opened: u64,
    pub closed: u64,
    pub abandoned: u64,
    /// Total time the abandoned customers had waited before leaving, milliseconds.
    pub abandoned_wait_ms: u64,
    pub callbacks_offered: u64,
    pub callbacks_accepted: u64,
    /// Offers by outcome, in [`OfferOutcome::ALL`] order ([`EngineStats::offers_by`]).
    pub offers: [u64; 5],
    pub live: u64,
    /// Live conversations whose actor hibernates (idle with the bot).
    pub hibernating: u64,
    pub conversation_restarts: u64,
    pub agent_restarts: u64,
    pub queue_restarts: u64,
    pub supervisor_restarts: u64,
}

impl EngineStats {
    /// Offers that ended with `outcome`.
    pub fn offers_by(&self, outcome: OfferOutcome) -> u64 {
        self.offers[outcome.index()]
    }
}

impl Shared {
    /// What [`crate::engine::Engine::stats`] shows.
    pub(crate) fn stats_view(&self) -> EngineStats {
        let s = &self.stats;
        EngineStats {
            opened: s.opened.load(Relaxed),
            closed: s.closed.load(Relaxed),
            abandoned: s.abandoned.load(Relaxed),
            abandoned_wait_ms: s.abandoned_wait_ms.load(Relaxed),
            callbacks_offered: s.callbacks_offered.load(Relaxed),
            callbacks_accepted: s.callbacks_accepted.load(Relaxed),
            offers: std::array::from_fn(|i| s.offers[i].load(Relaxed)),
            live: self.conversations.len() as u64,
            hibernating: s.hibernating.load(Relaxed),
            conversation_restarts: self.restarts(Kind::Conversation),
            agent_restarts: self.restarts(Kind::Agent),
            queue_restarts: self.restarts(Kind::Queue),
            supervisor_restarts: self.supervisor_restarts(),
        }
    }
}
