//! The embedded engine: `Engine::start(config)` and a cheap handle that the network server,
//! the load generator and integrators call.
//!
//! Messages from customers and the bot are decided synchronously on the caller's task (the
//! lock-free path in [`crate::ingest`]) and then handed to the conversation's actor. Actions
//! that can be refused (accept, close, …) are sent to the owning actor and answered through
//! a one-shot reply with a timeout, never a bare wait. Events come back through bounded
//! broadcast subscriptions per conversation and per agent.

mod actor;
mod agent;
mod cell;
mod conversation;
mod error;
mod events;
pub mod lifecycle;
mod messages;
mod queue;
mod shared;
mod store;
mod supervisor;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ractor::{Actor, ActorRef};
use tokio::sync::{broadcast, oneshot};

pub use error::EngineError;
pub use events::{
    AgentEvent, CallbackTicket, ContextPacket, ConversationEvent, CustomerInfo, ReleaseReason,
    Role, Turn,
};
pub use lifecycle::State;
pub use store::{CallbackStore, MemoryCallbackStore};

use agent::{AgentCmd, AgentState};
use cell::{Cell, Refused};
use conversation::{ConvCmd, ConvState};
use shared::{Kind, Shared};
use supervisor::Root;

use crate::config::{Config, ConfigError};
use crate::context::history::{Contact, CustomerDirectory, History, MemoryDirectory, Profile};
use crate::context::packet::MAX_ATTEMPTS;
pub use crate::context::summary::Attempt;

/// Longest bot summary kept, in characters.
pub const MAX_BOT_SUMMARY_CHARS: usize = 1000;
use crate::escalation::{Decision, Load, Tier};
use crate::ingest::Decider;
use crate::routing::Presence;
use crate::sentiment::{BotTurn, Customer};

/// Longest conversation or agent id accepted.
pub const MAX_ID_LEN: usize = 128;

/// Why the engine did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot start the actor system: {0}")]
    Spawn(String),
}

/// A new conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenConversation {
    pub id: String,
    pub customer_id: String,
    pub tier: Tier,
    /// Where the customer writes from ("web", "app", "whatsapp", …).
    pub channel: String,
    /// Contacts by this customer in the recent window, this one excluded.
    pub prior_contacts: u32,
    /// A topic the integrator already knows (a topic id or a bot intent naming one).
    pub topic: Option<String>,
}

impl OpenConversation {
    /// A standard-tier conversation on the `chat` channel, no prior contacts, no topic.
    pub fn new(id: impl Into<String>, customer_id: impl Into<String>) -> Self {
        OpenConversation {
            id: id.into(),
            customer_id: customer_id.into(),
            tier: Tier::Standard,
            channel: "chat".into(),
            prior_contacts: 0,
            topic: None,
        }
    }
}

/// A bot reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BotReply<'a> {
    pub text: &'a str,
    /// In [0, 1].
    pub confidence: f64,
    pub intent: Option<&'a str>,
    /// The bot resolved the customer's issue.
    pub resolved: bool,
    /// Solutions the bot considered but was not confident enough to offer (text and
    /// confidence), for the agent's context packet.
    pub considered: &'a [Attempt],
    /// The bot's own summary of the conversation so far, for a warm handoff (the latest wins).
    pub summary: Option<&'a str>,
}

impl<'a> BotReply<'a> {
    /// A reply with nothing considered and no summary.
    pub fn new(text: &'a str, confidence: f64) -> Self {
        BotReply { text, confidence, intent: None, resolved: false, considered: &[], summary: None }
    }
}

/// An agent logging in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLogin {
    pub id: String,
    /// How the customer is told who joined ("Sam"); the id when empty.
    pub name: String,
    /// The agent's team, for the customer ("Billing"); the skill when empty.
    pub team: String,
    /// Skills with proficiency 1..=5.
    pub skills: Vec<(String, u8)>,
    /// Conversations at once, 1..=100.
    pub capacity: u32,
    /// Sensitive topics (topic ids) this agent may receive.
    pub clearances: Vec<String>,
}

impl AgentLogin {
    /// An agent named by its id, no team, no clearances.
    pub fn new(id: impl Into<String>, skills: Vec<(String, u8)>, capacity: u32) -> Self {
        AgentLogin {
            id: id.into(),
            name: String::new(),
            team: String::new(),
            skills,
            capacity,
            clearances: Vec::new(),
        }
    }
}

/// An agent as the engine sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentView {
    pub presence: Presence,
    pub used_slots: u32,
    pub capacity: u32,
    pub skills: Vec<(String, u8)>,
    pub offers: Vec<String>,
    pub assigned: Vec<String>,
    pub wrapping: Vec<String>,
}

/// A skill queue as the engine sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueView {
    /// Waiting conversations, first to be served first.
    pub waiting: Vec<String>,
    /// Offered conversations and the agent each is offered to.
    pub offered: Vec<(String, String)>,
    /// Waiting conversations and the agents who declined them or let their offer expire
    /// (they are not offered that customer again while it waits).
    pub excluded: Vec<(String, Vec<String>)>,
    /// The model's expected wait for a customer joining now (`None`: nobody staffed).
    pub expected_wait_ms: Option<u64>,
    /// How long the longest-waiting customer has waited, milliseconds.
    pub longest_wait_ms: u64,
    pub level: Load,
}

/// A waiting customer as its queue sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingView {
    pub skill: String,
    /// Place in line now (0 = next); `None` while offered to an agent.
    pub position: Option<usize>,
    /// When the current wait started (milliseconds on the engine clock).
    pub enqueued_ms: u64,
    /// Each estimator's prediction at enqueue time, milliseconds (`model` first).
    pub estimates_at_enqueue: Vec<(&'static str, Option<u64>)>,
    /// The model's estimate now, milliseconds.
    pub estimate_now: Option<u64>,
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
    /// Offers accepted, declined, timed out, revoked (customer left), returned (agent left).
    pub offers: [u64; 5],
    pub live: u64,
    /// Live conversations whose actor hibernates (idle with the bot).
    pub hibernating: u64,
    pub conversation_restarts: u64,
    pub agent_restarts: u64,
    pub queue_restarts: u64,
    pub supervisor_restarts: u64,
}

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
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("live", &self.shared.conversations.len())
            .finish_non_exhaustive()
    }
}

fn check_id(what: &str, id: &str) -> Result<(), EngineError> {
    if id.is_empty() || id.len() > MAX_ID_LEN || id.chars().any(char::is_control) {
        return Err(EngineError::InvalidInput(format!(
            "{what} must be 1 to {MAX_ID_LEN} bytes without control characters"
        )));
    }
    Ok(())
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

    /// Starts with callback tickets kept in `store` and customers in `directory`.
    pub async fn start_with(
        config: Config,
        store: Arc<dyn CallbackStore>,
        directory: Arc<dyn CustomerDirectory>,
    ) -> Result<Engine, StartError> {
        let call_timeout = Duration::from_secs(config.engine.call_timeout_s);
        let shared = Arc::new(Shared::new(Decider::new(config)?, store, directory));
        let (root, _) = Actor::spawn(None, Root::new(Arc::clone(&shared)), ())
            .await
            .map_err(|e| StartError::Spawn(e.to_string()))?;
        Ok(Engine { shared, root, call_timeout })
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
            let state = cell.with(|c| c.state);
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

    /// Opens a conversation with the bot.
    pub fn open(&self, open: OpenConversation) -> Result<(), EngineError> {
        self.open_inner(open, false).map(drop)
    }

    /// Opens a conversation and subscribes to its events from the start.
    pub fn open_subscribed(
        &self,
        open: OpenConversation,
    ) -> Result<broadcast::Receiver<ConversationEvent>, EngineError> {
        self.open_inner(open, true)?.ok_or(EngineError::Stopped)
    }

    /// Merges account attributes into a customer's profile (an empty value removes one);
    /// agents see them in the context packet.
    pub fn set_customer_attributes(
        &self,
        customer: &str,
        attributes: BTreeMap<String, String>,
    ) -> Result<(), EngineError> {
        self.running()?;
        check_id("a customer id", customer)?;
        if attributes.len() > crate::context::history::MAX_ATTRIBUTES {
            return Err(EngineError::InvalidInput(format!(
                "at most {} attributes",
                crate::context::history::MAX_ATTRIBUTES
            )));
        }
        for (key, value) in &attributes {
            let limit = crate::context::history::MAX_ATTRIBUTE_BYTES;
            if key.is_empty() || key.len() > limit || value.len() > limit {
                return Err(EngineError::InvalidInput(format!(
                    "attribute names must be 1..={limit} bytes and values at most {limit}"
                )));
            }
        }
        self.shared.directory.set_attributes(customer, attributes);
        Ok(())
    }

    /// What the directory knows of a customer.
    pub fn customer_profile(&self, customer: &str) -> Profile {
        self.shared.directory.profile(customer)
    }

    /// The customer's contacts that ended within `escalation.repeat_window_s`, oldest first.
    pub fn recent_history(&self, customer: &str) -> History {
        self.shared.recent_history(customer)
    }

    /// Every contact the directory keeps for a customer, oldest first.
    pub fn customer_contacts(&self, customer: &str) -> Vec<Contact> {
        self.shared.directory.contacts(customer)
    }

    fn open_inner(
        &self,
        open: OpenConversation,
        subscribe: bool,
    ) -> Result<Option<broadcast::Receiver<ConversationEvent>>, EngineError> {
        self.running()?;
        check_id("a conversation id", &open.id)?;
        check_id("a customer id", &open.customer_id)?;
        let policy = self.shared.decider.policy();
        let topic = match &open.topic {
            None => None,
            Some(t) => Some(
                policy
                    .topic_for_intent(t)
                    .ok_or_else(|| EngineError::InvalidInput(format!("unknown topic {t:?}")))?,
            ),
        };
        if self.shared.conversations.len() >= self.shared.config().engine.max_live_conversations {
            return Err(self.overloaded());
        }
        if self.shared.conversations.contains_key(open.id.as_str())
            || self.shared.finished_state(&open.id).is_some()
        {
            return Err(EngineError::DuplicateConversation(open.id));
        }
        // Repeat contacts: what the integrator says, or what the directory saw, whichever is
        // more.
        let history = self.recent_history(&open.customer_id);
        let prior_contacts =
            open.prior_contacts.max(u32::try_from(history.len()).unwrap_or(u32::MAX));
        let repeat = prior_contacts >= self.shared.config().escalation.repeat_contacts;
        let customer = Customer { tier: open.tier, prior_contacts };
        let now = tokio::time::Instant::now();
        let signals = self
            .shared
            .signals
            .open(&open.id, customer, now)
            .map_err(|_| EngineError::DuplicateConversation(open.id.clone()))?;
        signals.set_topic(topic);
        let id: Arc<str> = Arc::from(open.id.as_str());
        let info = CustomerInfo {
            id: open.customer_id,
            tier: open.tier,
            channel: open.channel,
            prior_contacts,
        };
        let buffer = self.shared.config().engine.event_buffer;
        let mut state = ConvState::new(Arc::clone(&id), info, signals, buffer);
        let events = subscribe.then(|| state.subscribe());
        self.shared.conversations.insert(Arc::clone(&id), Cell::new(Arc::clone(&id), state));
        self.shared.stats.opened.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.shared.measures.opened(repeat);
        self.shared.request_spawn(Kind::Conversation, id);
        Ok(events)
    }

    /// A customer message: decided now, on this task, without waiting on any actor; the
    /// conversation actor then records it and starts the handoff if the decision escalates.
    pub fn customer_message(&self, id: &str, text: &str) -> Result<Decision, EngineError> {
        self.running()?;
        let signals = self
            .shared
            .signals
            .get(id)
            .ok_or_else(|| self.conversation(id).err().unwrap_or(EngineError::Stopped))?;
        let now = tokio::time::Instant::now();
        let outcome =
            self.shared.decider.customer_message(&signals, text, None, &*self.shared, now);
        let at_ms = self.shared.now_ms();
        self.to_conversation(
            id,
            ConvCmd::Customer { text: text.to_owned(), decision: outcome.decision, at_ms },
        )?;
        Ok(outcome.decision)
    }

    /// A bot reply, decided like a customer message.
    pub fn bot_reply(&self, id: &str, reply: BotReply<'_>) -> Result<Decision, EngineError> {
        self.running()?;
        if !(0.0..=1.0).contains(&reply.confidence) {
            return Err(EngineError::InvalidInput(format!(
                "confidence {} is not in [0, 1]",
                reply.confidence
            )));
        }
        let signals = self
            .shared
            .signals
            .get(id)
            .ok_or_else(|| self.conversation(id).err().unwrap_or(EngineError::Stopped))?;
        let turn =
            BotTurn { text: reply.text, confidence: reply.confidence, resolved: reply.resolved };
        let now = tokio::time::Instant::now();
        let decision =
            self.shared.decider.bot_reply(&signals, &turn, reply.intent, &*self.shared, now);
        let at_ms = self.shared.now_ms();
        let record = conversation::BotRecord {
            text: reply.text.to_owned(),
            confidence: reply.confidence,
            considered: reply.considered.iter().take(MAX_ATTEMPTS).cloned().collect(),
            summary: reply.summary.map(|s| s.chars().take(MAX_BOT_SUMMARY_CHARS).collect()),
        };
        let bot = ConvCmd::Bot { reply: Box::new(record), decision, at_ms };
        self.to_conversation(id, bot)?;
        Ok(decision)
    }

    /// The customer pressed "talk to a human": escalates as an explicit request.
    pub async fn ask_for_human(&self, id: &str) -> Result<State, EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_conversation(id, ConvCmd::AskForHuman { reply: tx })?;
        self.answer(rx).await
    }

    /// The customer takes the callback offered (`CallbackOffered` event): the conversation
    /// becomes `callback_scheduled` and keeps its place; returns the ticket kept in the store.
    pub async fn accept_callback(&self, id: &str) -> Result<CallbackTicket, EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_conversation(id, ConvCmd::AcceptCallback { reply: tx })?;
        self.answer(rx).await
    }

    /// The customer keeps waiting in their place.
    pub async fn decline_callback(&self, id: &str) -> Result<(), EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_conversation(id, ConvCmd::DeclineCallback { reply: tx })?;
        self.answer(rx).await
    }

    /// Callback tickets accepted and not yet taken by an agent.
    pub fn callbacks(&self) -> Vec<CallbackTicket> {
        self.shared.callbacks.all()
    }

    /// Closes a conversation: a waiting customer counts as abandoned, an assigned one frees
    /// its agent. Returns the final state.
    pub async fn close(
        &self,
        id: &str,
        resolution: &str,
        csat: Option<u8>,
    ) -> Result<State, EngineError> {
        self.running()?;
        if csat.is_some_and(|c| !(1..=5).contains(&c)) {
            return Err(EngineError::InvalidInput("csat must be in 1..=5".into()));
        }
        let (tx, rx) = oneshot::channel();
        self.to_conversation(
            id,
            ConvCmd::Close { resolution: resolution.to_owned(), csat, reply: Some(tx) },
        )?;
        self.answer(rx).await
    }

    /// Logs an agent in, `available`; returns its event subscription.
    pub fn agent_login(
        &self,
        login: AgentLogin,
    ) -> Result<broadcast::Receiver<AgentEvent>, EngineError> {
        self.running()?;
        check_id("an agent id", &login.id)?;
        if !(1..=100).contains(&login.capacity) {
            return Err(EngineError::InvalidInput("capacity must be in 1..=100".into()));
        }
        if login.skills.is_empty() {
            return Err(EngineError::InvalidInput("an agent needs at least one skill".into()));
        }
        for (skill, proficiency) in &login.skills {
            check_id("a skill", skill)?;
            if !(1..=5).contains(proficiency) {
                return Err(EngineError::InvalidInput(format!(
                    "proficiency in {skill} must be in 1..=5"
                )));
            }
        }
        let skills = login.skills.iter().map(|(s, p)| (Arc::from(s.as_str()), *p)).collect();
        for (skill, _) in &login.skills {
            self.shared.queue(skill);
        }
        let clearances = login.clearances.iter().map(|t| Arc::from(t.as_str())).collect();
        let slot = self
            .shared
            .board
            .login(&login.id, skills, clearances, login.capacity, self.shared.now_ms())
            .map_err(|_| EngineError::DuplicateAgent(login.id.clone()))?;
        let id = Arc::clone(&slot.id);
        let name = if login.name.is_empty() { login.id.clone() } else { login.name };
        let state =
            AgentState::new(slot, name, login.team, self.shared.config().engine.event_buffer);
        let events = state.events.subscribe();
        self.shared.agents.insert(Arc::clone(&id), Cell::new(Arc::clone(&id), state));
        self.shared.request_spawn(Kind::Agent, id);
        Ok(events)
    }

    /// `available` or `away` (log out to go offline; `after_work` is the engine's).
    pub async fn set_presence(&self, agent: &str, presence: Presence) -> Result<(), EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_agent(agent, AgentCmd::SetPresence { presence, reply: tx })?;
        self.answer(rx).await
    }

    /// Logs an agent out (also what a disconnect does): its offers go back to their place in
    /// the queue, its assigned conversations to the front.
    pub async fn logout(&self, agent: &str) -> Result<(), EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_agent(agent, AgentCmd::Logout { reply: Some(tx) })?;
        self.answer(rx).await
    }

    pub async fn accept(&self, agent: &str, conversation: &str) -> Result<(), EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_agent(agent, AgentCmd::Accept { conv: Arc::from(conversation), reply: tx })?;
        self.answer(rx).await
    }

    pub async fn decline(&self, agent: &str, conversation: &str) -> Result<(), EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_agent(agent, AgentCmd::Decline { conv: Arc::from(conversation), reply: tx })?;
        self.answer(rx).await
    }

    pub async fn agent_message(
        &self,
        agent: &str,
        conversation: &str,
        text: &str,
    ) -> Result<(), EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        let at_ms = self.shared.now_ms();
        let command = ConvCmd::AgentMessage {
            agent: Arc::from(agent),
            text: text.to_owned(),
            at_ms,
            reply: tx,
        };
        self.to_conversation(conversation, command)?;
        self.answer(rx).await
    }

    /// The agent starts after-chat work: `after_work` until it closes or the timer runs out.
    pub async fn wrap_up(&self, agent: &str, conversation: &str) -> Result<(), EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_conversation(conversation, ConvCmd::WrapUp { agent: Arc::from(agent), reply: tx })?;
        self.answer(rx).await
    }

    /// The agent hands the conversation back to the bot, which speaks again.
    pub async fn hand_back(&self, agent: &str, conversation: &str) -> Result<(), EngineError> {
        self.running()?;
        let (tx, rx) = oneshot::channel();
        self.to_conversation(
            conversation,
            ConvCmd::HandBack { agent: Arc::from(agent), reply: tx },
        )?;
        self.answer(rx).await
    }

    pub fn subscribe_conversation(
        &self,
        id: &str,
    ) -> Result<broadcast::Receiver<ConversationEvent>, EngineError> {
        Ok(self.conversation(id)?.with(ConvState::subscribe))
    }

    pub fn subscribe_agent(
        &self,
        id: &str,
    ) -> Result<broadcast::Receiver<AgentEvent>, EngineError> {
        Ok(self.agent(id)?.with(|a| a.events.subscribe()))
    }

    /// The conversation's state (live or recently finished).
    pub fn conversation_state(&self, id: &str) -> Option<State> {
        match self.shared.conversations.get(id) {
            Some(cell) => Some(cell.with(|c| c.state)),
            None => self.shared.finished_state(id),
        }
    }

    /// The skill queue the conversation was escalated to, if it was.
    pub fn conversation_skill(&self, id: &str) -> Option<String> {
        let cell = self.conversation(id).ok()?;
        cell.with(|c| c.escalation.as_ref().map(|e| e.skill.to_string()))
    }

    /// The conversation's transcript so far.
    pub fn transcript(&self, id: &str) -> Result<Vec<Turn>, EngineError> {
        Ok(self.conversation(id)?.with(|c| c.transcript.clone()))
    }

    /// The continuous-improvement measures since the engine started.
    pub fn measures(&self) -> crate::context::measures::MeasuresSummary {
        self.shared.measures.summary()
    }

    /// The reason code and topic (`none` without one) a conversation was handed over for, as
    /// metric labels; `unknown` once the conversation is no longer kept.
    pub fn handoff_labels(&self, id: &str) -> (&'static str, String) {
        let Ok(cell) = self.conversation(id) else {
            return ("unknown", "unknown".into());
        };
        cell.with(|c| match &c.escalation {
            Some(e) => (e.reason.as_str(), e.topic.clone().unwrap_or_else(|| "none".into())),
            None => ("none", "none".into()),
        })
    }

    /// The transcript as `agent` may read it: personal data redacted unless the agent holds
    /// `context.pii_clearance` (an agent not logged in gets it redacted).
    pub fn transcript_for_agent(&self, id: &str, agent: &str) -> Result<Vec<Turn>, EngineError> {
        let mut turns = self.transcript(id)?;
        let context = &self.shared.config().context;
        let cleared =
            self.shared.board.get(agent).is_some_and(|a| a.cleared_for(&context.pii_clearance));
        let kinds = context.redaction(cleared);
        for turn in &mut turns {
            if let std::borrow::Cow::Owned(clean) =
                crate::context::redact::redact(&turn.text, kinds)
            {
                turn.text = clean;
            }
        }
        Ok(turns)
    }

    /// Every live conversation and every retained finished one, by state.
    pub fn conversations_by_state(&self) -> BTreeMap<State, Vec<String>> {
        let mut by_state: BTreeMap<State, Vec<String>> = BTreeMap::new();
        let live: Vec<_> =
            self.shared.conversations.iter().map(|c| Arc::clone(c.value())).collect();
        for cell in live {
            let state = cell.with(|c| c.state);
            // A finished conversation still draining its inbox is listed once, below.
            if !state.is_terminal() {
                by_state.entry(state).or_default().push(cell.key.to_string());
            }
        }
        for (id, state) in self.shared.finished_list() {
            by_state.entry(state).or_default().push(id.to_string());
        }
        by_state.values_mut().for_each(|ids| ids.sort_unstable());
        by_state
    }

    pub fn agent_view(&self, id: &str) -> Option<AgentView> {
        let cell = self.agent(id).ok()?;
        Some(cell.with(|a| AgentView {
            presence: a.slot.presence(),
            used_slots: a.slot.used(),
            capacity: a.slot.capacity,
            skills: a.slot.skills.iter().map(|(s, p)| (s.to_string(), *p)).collect(),
            offers: a.offers.keys().map(ToString::to_string).collect(),
            assigned: a.assigned.keys().map(ToString::to_string).collect(),
            wrapping: a.wrapping.keys().map(ToString::to_string).collect(),
        }))
    }

    pub fn queue_view(&self, skill: &str) -> Option<QueueView> {
        let cell = self.shared.queues.get(skill).map(|q| Arc::clone(q.value()))?;
        let staffing = self.shared.board.staffing(skill);
        let now = self.shared.now_ms();
        let level = self
            .shared
            .queue_levels()
            .into_iter()
            .find(|(s, _)| s == skill)
            .map_or(Load::Normal, |(_, l)| l);
        Some(cell.with(|q| {
            let mut offered: Vec<(String, String)> =
                q.offered.iter().map(|(c, (a, _))| (c.to_string(), a.to_string())).collect();
            offered.sort_unstable();
            let mut excluded: Vec<(String, Vec<String>)> = q
                .declined()
                .map(|(c, agents)| {
                    (c.to_string(), agents.iter().map(ToString::to_string).collect())
                })
                .collect();
            excluded.sort_unstable();
            let expected_wait_ms = q.model_estimate(&q.now(q.waiting.len(), staffing), now);
            let longest_wait_ms = q
                .waiting
                .values()
                .filter_map(|c| q.entries.get(c))
                .map(|e| now.saturating_sub(e.enqueued_ms))
                .max()
                .unwrap_or(0);
            let waiting = q.waiting.values().map(ToString::to_string).collect();
            QueueView { waiting, offered, excluded, expected_wait_ms, longest_wait_ms, level }
        }))
    }

    /// Where a waiting customer stands and what each estimator predicted.
    pub fn waiting(&self, conversation: &str) -> Option<WaitingView> {
        let skill = self.conversation_skill(conversation)?;
        let cell = self.shared.queues.get(skill.as_str()).map(|q| Arc::clone(q.value()))?;
        let staffing = self.shared.board.staffing(&skill);
        let now = self.shared.now_ms();
        cell.with(|q| {
            let entry = q.entries.get(conversation)?;
            let position =
                q.waiting.contains_key(&entry.key).then(|| q.waiting.range(..entry.key).count());
            let estimate_now = position.and_then(|p| q.estimates(&q.now(p, staffing), now)[0]);
            let estimates_at_enqueue =
                crate::wait::NAMES.into_iter().zip(entry.estimates).collect();
            Some(WaitingView {
                skill,
                position,
                enqueued_ms: entry.enqueued_ms,
                estimates_at_enqueue,
                estimate_now,
            })
        })
    }

    /// Each estimator's accuracy so far: predictions at enqueue time against the waits of the
    /// customers who waited, as `(name, summary)` with the model first.
    pub fn ewt_accuracy(&self) -> Vec<(&'static str, crate::wait::AccuracySummary)> {
        crate::wait::NAMES.into_iter().zip(self.shared.accuracy()).collect()
    }

    /// A decision's topic and skill by name.
    pub fn decision_names(&self, decision: &Decision) -> (Option<&str>, Option<&str>) {
        let policy = self.shared.decider.policy();
        (decision.topic.map(|t| policy.topic_name(t)), decision.skill.map(|s| policy.skill_name(s)))
    }

    /// Milliseconds since the engine started (its clock, which tests can pause).
    pub fn now_ms(&self) -> u64 {
        self.shared.now_ms()
    }

    /// Skills that have a queue.
    pub fn skills(&self) -> Vec<String> {
        let mut skills: Vec<String> =
            self.shared.queues.iter().map(|q| q.key().to_string()).collect();
        skills.sort_unstable();
        skills
    }

    /// Logged-in agent ids.
    pub fn agents(&self) -> Vec<String> {
        let mut agents: Vec<String> =
            self.shared.agents.iter().map(|a| a.key().to_string()).collect();
        agents.sort_unstable();
        agents
    }

    pub fn stats(&self) -> EngineStats {
        use std::sync::atomic::Ordering::Relaxed;
        let s = &self.shared.stats;
        EngineStats {
            opened: s.opened.load(Relaxed),
            closed: s.closed.load(Relaxed),
            abandoned: s.abandoned.load(Relaxed),
            abandoned_wait_ms: s.abandoned_wait_ms.load(Relaxed),
            callbacks_offered: s.callbacks_offered.load(Relaxed),
            callbacks_accepted: s.callbacks_accepted.load(Relaxed),
            offers: std::array::from_fn(|i| s.offers[i].load(Relaxed)),
            live: self.shared.conversations.len() as u64,
            hibernating: self
                .shared
                .conversations
                .iter()
                .filter(|c| !c.needs_actor() && !c.with(|s| s.state.is_terminal()))
                .count() as u64,
            conversation_restarts: self.shared.restarts(Kind::Conversation),
            agent_restarts: self.shared.restarts(Kind::Agent),
            queue_restarts: self.shared.restarts(Kind::Queue),
            supervisor_restarts: self.shared.supervisor_restarts(),
        }
    }

    /// Overrides the load level decisions are made under, for every queue; `None` returns to
    /// the levels the engine derives from its queues (each decision under the level of the
    /// queue it would escalate to).
    pub fn set_load(&self, load: Option<Load>) {
        self.shared.set_load(load);
    }

    /// The engine's load level: the override, else the highest queue level. Decisions use
    /// the level of the queue they would escalate to ([`Engine::queue_levels`]).
    pub fn load(&self) -> Load {
        self.shared.load()
    }

    /// Each skill queue's load level.
    pub fn queue_levels(&self) -> Vec<(String, Load)> {
        self.shared.queue_levels()
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
        actor.cast(cell::Tick::Panic).map_err(|e| EngineError::InvalidInput(e.to_string()))
    }

    #[cfg(feature = "fault-injection")]
    fn panic_supervisor(&self, kind: Kind) -> Result<(), EngineError> {
        let supervisor = self.shared.supervisor(kind).ok_or(EngineError::Stopped)?;
        supervisor
            .cast(supervisor::SupMsg::Panic)
            .map_err(|e| EngineError::InvalidInput(e.to_string()))
    }
}
