//! The `Engine` handle: the API the network server, the load generator and integrators call.
//!
//! Messages from customers and the bot are decided synchronously on the caller's task (the
//! lock-free path in [`crate::ingest`]) and then handed to the conversation's actor. Actions
//! that can be refused (accept, close, …) are sent to the owning actor and answered through
//! a one-shot reply with a timeout (`Engine::ask_conversation`, `Engine::ask_agent`),
//! never a bare wait. Events come back through bounded broadcast subscriptions per
//! conversation and per agent. The actors themselves are [`crate::actors`].

mod agent;
mod audit;
mod customer;
mod requests;
mod retention;
mod views;

use std::sync::Arc;
use std::time::Duration;

use ractor::{Actor, ActorRef};
use tokio::sync::oneshot;

pub use audit::MAX_AUDIT_READ;
pub use requests::{AgentLogin, BotReply, MAX_BOT_SUMMARY_CHARS, OpenConversation, StartError};

pub use crate::actors::lifecycle;
pub use crate::actors::{
    AgentEvent, AgentView, CallbackStore, CallbackTicket, ContextPacket, ConversationEvent,
    CustomerInfo, EngineError, EngineStats, ErrorCode, MemoryCallbackStore, QueueView, Recovered,
    ReleaseReason, Role, State, Turn, WaitingView,
};
pub use crate::context::Attempt;
pub use crate::ids::MAX_NAME_LEN as MAX_ID_LEN;

use crate::actors::agent::AgentCmd;
use crate::actors::cell::{Cell, Refused};
use crate::actors::conversation::{ConvCmd, Reply};
use crate::actors::recovery;
use crate::actors::shared::{self, Kind, Shared};
use crate::actors::supervisor::Root;
use crate::actors::{JournaledCallbacks, JournaledDirectory, restore_stores};
use crate::config::Config;
use crate::context::history::{CustomerDirectory, MemoryDirectory};
use crate::escalation::Load;
use crate::ids::IdKind;
use crate::journal::{Backend, FjallBackend, Journal};

/// What a test can make panic (feature `fault-injection`).
#[cfg(feature = "fault-injection")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultTarget {
    Conversation(String),
    Agent(String),
    Queue(String),
    ConversationSupervisor,
    AgentSupervisor,
    QueueSupervisor,
}

/// The engine handle. Clone it freely; every clone drives the same engine.
///
/// ```
/// use baton_engine::config::Config;
/// use baton_engine::engine::{AgentEvent, AgentLogin, Engine, OpenConversation, State};
/// use baton_engine::escalation::Tier;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let engine = Engine::start(Config::default()).await?;
/// let mut desk = engine.agent_login(AgentLogin {
///     id: "sam".into(),
///     name: "Sam".into(),
///     team: "Support".into(),
///     skills: vec![("general".into(), 4)],
///     capacity: 2,
///     clearances: vec![],
/// })?;
/// engine.open(OpenConversation {
///     id: "c-1".into(),
///     customer_id: "u-42".into(),
///     tier: Tier::Premium,
///     channel: "web".into(),
///     prior_contacts: 0,
///     topic: None,
/// })?;
/// let decision = engine.customer_message("c-1", "this bot is useless, get me a human")?;
/// assert!(decision.escalate);
/// // The agent desktop receives the offer with its context packet, and accepts.
/// let conversation = loop {
///     if let AgentEvent::Offer { conversation, .. } = desk.recv().await? {
///         break conversation;
///     }
/// };
/// engine.accept("sam", &conversation).await?;
/// engine.agent_message("sam", "c-1", "Hi, I'm Sam, I'll sort this out.").await?;
/// assert_eq!(engine.close("c-1", "resolved", Some(5)).await?, State::Closed);
/// engine.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
    root: ActorRef<()>,
    call_timeout: Duration,
    recovered: Recovered,
}

/// The wall clock, Unix milliseconds: read once at start, so the engine clock can go on from
/// where a previous process left it (every other time is tokio's, so tests can pause it).
#[allow(clippy::disallowed_types)]
fn wall_clock_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("live", &self.shared.conversations.len())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Validates the configuration and starts the supervision tree.
    pub async fn start(config: Config) -> Result<Engine, StartError> {
        Engine::start_with_store(config, Arc::new(MemoryCallbackStore::default())).await
    }

    /// Starts with callback tickets kept in `store` (and the embedded, bounded customer
    /// directory).
    pub async fn start_with_store(
        config: Config,
        store: Arc<dyn CallbackStore>,
    ) -> Result<Engine, StartError> {
        let directory = MemoryDirectory::bounded(
            config.context.directory_max_customers,
            config.escalation.repeat_window_s.saturating_mul(1000),
        );
        Engine::start_with(config, store, Arc::new(directory)).await
    }

    /// Starts with callback tickets kept in `store` and customers in `directory` (and, with
    /// `store.data_dir`, everything in the journal there, read back first).
    pub async fn start_with(
        config: Config,
        store: Arc<dyn CallbackStore>,
        directory: Arc<dyn CustomerDirectory>,
    ) -> Result<Engine, StartError> {
        config.validate()?;
        let backend: Option<Arc<dyn Backend>> = match &config.store.data_dir {
            None => None,
            Some(dir) => Some(Arc::new(FjallBackend::open(dir)?)),
        };
        Engine::start_inner(config, store, directory, backend).await
    }

    /// Starts on a store of the caller's instead of `store.data_dir` (a test store that can
    /// lose unsynced writes; a replicated log), reading back what it holds first.
    pub async fn start_on(config: Config, backend: Arc<dyn Backend>) -> Result<Engine, StartError> {
        config.validate()?;
        let directory = MemoryDirectory::bounded(
            config.context.directory_max_customers,
            config.escalation.repeat_window_s.saturating_mul(1000),
        );
        let store = Arc::new(MemoryCallbackStore::default());
        Engine::start_inner(config, store, Arc::new(directory), Some(backend)).await
    }

    async fn start_inner(
        config: Config,
        store: Arc<dyn CallbackStore>,
        directory: Arc<dyn CustomerDirectory>,
        backend: Option<Arc<dyn Backend>>,
    ) -> Result<Engine, StartError> {
        // The server's part (credentials included) is not the engine's to keep.
        let (config, _server) = config.split();
        let call_timeout = Duration::from_secs(config.engine.call_timeout_s);
        let (shared, recovered) = match backend {
            None => {
                let journal = (Arc::new(Journal::ephemeral()), 0, wall_clock_ms());
                (Arc::new(Shared::new(config, store, directory, journal)?), Recovered::default())
            }
            Some(backend) => {
                let started = tokio::time::Instant::now();
                let stored = recovery::read(&*backend)?;
                let wall = wall_clock_ms();
                let base = recovery::clock_base(&*backend, wall, &stored)?;
                restore_stores(&*backend, &*store, &*directory)?;
                let journal = Arc::new(Journal::start(Arc::clone(&backend)));
                let store =
                    Arc::new(JournaledCallbacks { inner: store, journal: Arc::clone(&journal) });
                let directory = Arc::new(JournaledDirectory {
                    inner: directory,
                    journal: Arc::clone(&journal),
                });
                let shared =
                    Arc::new(Shared::new(config, store, directory, (journal, base, wall))?);
                let recovered = recovery::recover(&shared, &*backend, stored)?;
                tracing::info!(
                    "recovered: {} live conversations ({} turns), {} finished, {} queued, {} dropped, in {} ms",
                    recovered.conversations,
                    recovered.turns,
                    recovered.finished,
                    recovered.queued,
                    recovered.dropped,
                    started.elapsed().as_millis()
                );
                (shared, recovered)
            }
        };
        shared.timers.start();
        let (root, _) = Actor::spawn(None, Root::new(Arc::clone(&shared)), ())
            .await
            .map_err(|e| StartError::Spawn(e.to_string()))?;
        retention::start_sweeper(&shared);
        Ok(Engine { shared, root, call_timeout, recovered })
    }

    /// What the start found in the data directory (all zero without one).
    pub fn recovered(&self) -> &Recovered {
        &self.recovered
    }

    /// Returns once everything the engine has acknowledged so far is in the journal (at
    /// once without a data directory). The server waits on it before confirming an `open`.
    pub async fn written(&self) -> Result<(), EngineError> {
        let (tx, rx) = oneshot::channel();
        self.shared.journal.then(move |written| {
            let _ = tx.send(written);
        });
        match rx.await {
            Ok(written) => written.map_err(EngineError::from),
            Err(_) => Err(EngineError::Stopped),
        }
    }

    /// Whether the engine takes calls (not stopped, not shutting down).
    pub fn is_running(&self) -> bool {
        self.running().is_ok()
    }

    fn running(&self) -> Result<(), EngineError> {
        if self.shared.is_stopped() || self.root.get_status() >= ractor::ActorStatus::Stopping {
            return Err(EngineError::Stopped);
        }
        Ok(())
    }

    /// A live conversation's cell; a finished one is an error even while its actor drains.
    fn conversation(&self, id: &str) -> Result<Arc<shared::ConvCell>, EngineError> {
        if let Some(cell) = self.shared.conversations.get(id).map(|c| Arc::clone(c.value())) {
            let state = cell.with(|c| c.state());
            if !state.is_terminal() {
                return Ok(cell);
            }
            return Err(EngineError::ConversationFinished { conversation: id.to_owned(), state });
        }
        Err(match self.shared.finished_state(id) {
            Some(state) => EngineError::ConversationFinished { conversation: id.to_owned(), state },
            None => EngineError::UnknownConversation(id.to_owned()),
        })
    }

    fn agent(&self, id: &str) -> Result<Arc<shared::AgentCell>, EngineError> {
        self.shared
            .agents
            .get(id)
            .map(|a| Arc::clone(a.value()))
            .ok_or_else(|| EngineError::UnknownAgent(id.to_owned()))
    }

    /// Sends a command to a conversation, mapping a finished one to its error.
    fn to_conversation(&self, id: &str, command: ConvCmd) -> Result<(), EngineError> {
        let cell = self.conversation(id)?;
        match cell.push_bounded(command, self.shared.config().engine.max_inbox) {
            Ok(true) => {
                self.shared.request_spawn(Kind::Conversation, Arc::clone(&cell.key));
                Ok(())
            }
            Ok(false) => Ok(()),
            Err(Refused::Full(_)) => Err(self.overloaded()),
            Err(Refused::Closed(_)) => {
                Err(self.conversation(id).err().unwrap_or(EngineError::Stopped))
            }
        }
    }

    fn to_agent(&self, id: &str, command: AgentCmd) -> Result<(), EngineError> {
        match self.agent(id)?.push_bounded(command, self.shared.config().engine.max_inbox) {
            Ok(_) => Ok(()),
            Err(Refused::Full(_)) => Err(self.overloaded()),
            Err(Refused::Closed(_)) => Err(EngineError::UnknownAgent(id.to_owned())),
        }
    }

    fn overloaded(&self) -> EngineError {
        EngineError::Overloaded { retry_after_ms: self.shared.config().engine.retry_after_ms }
    }

    /// The request/reply pattern of every call an actor may refuse: the engine must be
    /// running, the command goes into the conversation's cell with a one-shot reply, and the
    /// answer is awaited for at most `engine.call_timeout_s`.
    async fn ask_conversation<T>(
        &self,
        id: &str,
        command: impl FnOnce(Reply<T>) -> ConvCmd,
    ) -> Result<T, EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_conversation(id, command(tx))?;
        self.answer(rx).await
    }

    /// [`Engine::ask_conversation`] for an agent's actor.
    async fn ask_agent<T>(
        &self,
        id: &str,
        command: impl FnOnce(Reply<T>) -> AgentCmd,
    ) -> Result<T, EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_agent(id, command(tx))?;
        self.answer(rx).await
    }

    async fn answer<T>(
        &self,
        rx: oneshot::Receiver<Result<T, EngineError>>,
    ) -> Result<T, EngineError> {
        match tokio::time::timeout(self.call_timeout, rx).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(EngineError::Interrupted),
            Err(_) => Err(EngineError::Timeout),
        }
    }

    /// Overrides the load level decisions are made under, for every queue; `None` returns to
    /// the levels the engine derives from its queues (each decision under the level of the
    /// queue it would escalate to).
    pub fn set_load(&self, load: Option<Load>) {
        self.shared.set_load(load);
    }

    /// True when no actor has work pending: every inbox is empty and every cell has a live
    /// actor. Tests wait for this before checking invariants.
    pub fn is_quiet(&self) -> bool {
        fn quiet<S, C>(cells: &dashmap::DashMap<Arc<str>, Arc<Cell<S, C>>>) -> bool {
            cells.iter().all(|c| c.is_quiet())
        }
        quiet(&self.shared.conversations)
            && quiet(&self.shared.agents)
            && quiet(&self.shared.queues)
    }

    /// Waits (yielding to the actors) until [`Engine::is_quiet`], at most `max_yields` times;
    /// returns whether it got quiet.
    pub async fn settle(&self, max_yields: usize) -> bool {
        for _ in 0..max_yields {
            if self.is_quiet() {
                return true;
            }
            tokio::task::yield_now().await;
        }
        self.is_quiet()
    }

    /// Stops taking calls, lets the actors finish what is queued (up to the call timeout),
    /// then stops the supervision tree.
    pub async fn shutdown(self) {
        self.shared.mark_stopped();
        let deadline = tokio::time::Instant::now() + self.call_timeout;
        while !self.is_quiet() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let _ = self.root.stop_and_wait(Some("shutdown".into()), Some(self.call_timeout)).await;
        // Everything handed to the journal is applied, then the store closes (its lock
        // released: another engine may open the directory at once).
        self.shared.journal.close();
    }

    /// Makes an actor or a supervisor panic (tests of supervision).
    #[cfg(feature = "fault-injection")]
    pub fn inject_panic(&self, target: FaultTarget) -> Result<(), EngineError> {
        let cell_actor = match &target {
            FaultTarget::Conversation(id) => self.conversation(id)?.actor(),
            FaultTarget::Agent(id) => self.agent(id)?.actor(),
            FaultTarget::Queue(skill) => {
                self.shared.queues.get(skill.as_str()).and_then(|q| q.actor())
            }
            FaultTarget::ConversationSupervisor => {
                return self.panic_supervisor(Kind::Conversation);
            }
            FaultTarget::AgentSupervisor => return self.panic_supervisor(Kind::Agent),
            FaultTarget::QueueSupervisor => return self.panic_supervisor(Kind::Queue),
        };
        let actor = cell_actor
            .ok_or_else(|| EngineError::InvalidInput(format!("{target:?} has no actor")))?;
        actor
            .cast(crate::actors::cell::Tick::Panic)
            .map_err(|e| EngineError::InvalidInput(e.to_string()))
    }

    #[cfg(feature = "fault-injection")]
    fn panic_supervisor(&self, kind: Kind) -> Result<(), EngineError> {
        let supervisor = self.shared.supervisor(kind).ok_or(EngineError::Stopped)?;
        supervisor
            .cast(crate::actors::supervisor::SupMsg::Panic)
            .map_err(|e| EngineError::InvalidInput(e.to_string()))
    }
}

/// An id from a caller, by the one rule of [`crate::ids`].
fn check_id(what: &str, kind: IdKind, id: &str) -> Result<(), EngineError> {
    crate::ids::check(kind, id).map_err(|rule| EngineError::InvalidInput(format!("{what}: {rule}")))
}
