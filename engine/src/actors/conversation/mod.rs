//! The conversation actor: owns the lifecycle state, the transcript and the handoff. It
//! escalates into a skill queue, follows offers and assignment as the queue and agent actors
//! report them, and tells the chat front end what happens (bot silenced, agent joined, …).
//!
//! Reports from other actors carry the offer id they are about, and a report about an older
//! offer than the conversation's current one is ignored, so reordering between actors cannot
//! put the conversation in the wrong state.

use std::sync::Arc;

use tokio::sync::{broadcast, oneshot};

use super::actor::{Behaviour, Ctx};
use super::error::EngineError;
use super::events::{CallbackTicket, ContextPacket, ConversationEvent, CustomerInfo, Role, Turn};
use super::lifecycle::{Action, Lifecycle, State, Transition};
use super::queue::QueueCmd;
use super::shared::{ConvCell, Kind, Shared};
use crate::config::EngineConfig;
use crate::context::history::{History, Profile};
use crate::context::packet::{
    EscalationFacts, MAX_ATTEMPTS, PacketInput, Recipient, SentimentPoint,
};
use crate::context::summary::Attempt;
use crate::escalation::{Decision, Reason};
use crate::routing::QueueKey;
use crate::sentiment::ConversationSignals;

mod handoff;
mod record;
mod transcript;
mod with_agent;

pub(crate) use transcript::Transcript;

pub(crate) use record::{ConvRecord, latest_signals, read_turns};
use record::{TurnFacts, Unwritten, ack, flush};

use handoff::{ask_for_human, callback_answered, callback_choice, customer, escalate, waiting};
use with_agent::{accepted, close, hand_back, wrap_up};

/// The reply half of an API call.
pub(crate) type Reply<T> = oneshot::Sender<Result<T, EngineError>>;

/// Where and why a conversation went to a human.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Escalation {
    pub reason: Reason,
    /// Every reason that fired, the primary first; the primary's value and threshold.
    pub fired: Vec<Reason>,
    pub value: f64,
    pub threshold: f64,
    pub skill: Arc<str>,
    pub priority: u8,
    pub topic: Option<String>,
    /// The topic, when it is sensitive: only cleared agents may take the conversation.
    pub restricted: Option<Arc<str>>,
}

/// The conversation's record (survives actor restarts).
pub(crate) struct ConvState {
    pub id: Arc<str>,
    pub customer: CustomerInfo,
    /// Where the conversation is: read with [`ConvState::state`]; changed only by
    /// [`ConvState::enter`], with a transition [`ConvState::check`] got from `lifecycle::next`.
    life: Lifecycle,
    pub transcript: Transcript,
    pub signals: Arc<ConversationSignals>,
    pub handoff: Handoff,
    events: Events,
    pub resolution: Option<String>,
    pub csat: Option<u8>,
    /// What the packet's summary is built from, beside the transcript.
    summary: SummaryFacts,
    improvement: Improvement,
    idle: Idle,
    /// What the journal has not been handed yet.
    unwritten: Unwritten,
}

/// Where the handoff stands: why and where it went, the wait, the offer or the agent, and a
/// callback ticket (written to the journal as it is).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Handoff {
    /// Boxed, as the callback is: most conversations never escalate nor take a callback,
    /// and every open conversation keeps its record (inline, the two took 0.8 KiB of it).
    pub escalation: Option<Box<Escalation>>,
    /// When the current wait in the queue started.
    pub queued_at_ms: Option<u64>,
    /// The agent offered or assigned.
    pub agent: Option<Arc<str>>,
    /// The latest offer's id (0 before any).
    pub offer_id: u64,
    /// The model's latest estimate of this customer's wait, milliseconds.
    pub last_estimate_ms: Option<u64>,
    /// The accepted callback, until an agent takes it.
    pub callback: Option<Box<CallbackTicket>>,
    /// When the agent started wrapping up (engine clock), so a restart keeps the wrap-up's
    /// deadline instead of starting it again.
    #[serde(default)]
    pub wrap_started_ms: Option<u64>,
}

/// The conversation's subscribers. The channel is created on the first subscription: most
/// conversations never have one, and a channel preallocates its whole buffer.
struct Events {
    sender: Option<broadcast::Sender<ConversationEvent>>,
    buffer: usize,
}

/// Compound score per customer turn (the latest `MAX_TIMELINE`), and the turn count; the
/// bot's replies with their confidence (the latest `MAX_ATTEMPTS`), what it said it
/// considered, and its own summary.
#[derive(Default)]
struct SummaryFacts {
    timeline: Vec<SentimentPoint>,
    customer_turns: u32,
    attempts: Vec<Attempt>,
    considered: Vec<Attempt>,
    bot_summary: Option<String>,
}

/// For the improvement measures: when an agent first accepted, the compound score of the
/// escalating turn, of the customer's first message to an agent, and of their latest.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Improvement {
    pub assigned_ms: Option<u64>,
    before_handoff: Option<f64>,
    first_with_agent: Option<f64>,
    last_with_agent: Option<f64>,
}

/// When the actor last handled a command (engine clock), and whether a hibernation check is
/// scheduled.
#[derive(Default)]
struct Idle {
    last_active_ms: u64,
    hibernation_timer: bool,
}

/// A bot reply as the record keeps it.
#[derive(Debug)]
pub(crate) struct BotRecord {
    pub text: String,
    pub confidence: f64,
    pub considered: Vec<Attempt>,
    pub summary: Option<String>,
}

/// What a packet needs from outside the conversation's record.
pub(crate) struct Outside {
    pub profile: Profile,
    pub history: History,
    pub to: Recipient,
}

impl ConvState {
    /// A new conversation, opened at `opened_ms`; `durable` when the journal keeps it.
    pub fn new(
        id: Arc<str>,
        customer: CustomerInfo,
        signals: Arc<ConversationSignals>,
        buffer: usize,
        (durable, opened_ms): (bool, u64),
    ) -> Self {
        ConvState {
            id,
            customer,
            life: Lifecycle::new(),
            transcript: Transcript::default(),
            signals,
            handoff: Handoff::default(),
            events: Events { sender: None, buffer },
            resolution: None,
            csat: None,
            summary: SummaryFacts::default(),
            improvement: Improvement::default(),
            idle: Idle::default(),
            unwritten: Unwritten { durable, opened_ms, ..Unwritten::default() },
        }
    }

    /// What an agent (or a callback ticket) gets: the transcript and everything known.
    pub fn packet(
        &self,
        skill: &str,
        now_ms: u64,
        config: &EngineConfig,
        outside: &Outside,
    ) -> ContextPacket {
        let escalation = self.handoff.escalation.as_ref().map(|e| EscalationFacts {
            reason: e.reason,
            fired: &e.fired,
            value: e.value,
            threshold: e.threshold,
            topic: e.topic.as_deref(),
            priority: e.priority,
        });
        let input = PacketInput {
            conversation: &self.id,
            customer: &self.customer,
            transcript: self.transcript.in_memory(),
            missing: self.transcript.missing(),
            escalation,
            skill,
            sentiment: self.signals.sentiment(config.sentiment.trend_window),
            timeline: &self.summary.timeline,
            attempts: &self.summary.attempts,
            considered: &self.summary.considered,
            bot_summary: self.summary.bot_summary.as_deref(),
            profile: &outside.profile,
            history: &outside.history,
            waited_ms: self.handoff.queued_at_ms.map_or(0, |t| now_ms.saturating_sub(t)),
            callback: self.handoff.callback.is_some(),
        };
        crate::context::packet::build(&input, &config.context, outside.to)
    }

    /// Keeps at least the latest `max` items (at most twice that: dropping the oldest half
    /// at once keeps a push O(1) on average; the packet takes the latest `max`).
    fn keep_latest<T>(list: &mut Vec<T>, item: T, max: usize) {
        if list.len() >= 2 * max {
            list.drain(..list.len() - max);
        }
        list.push(item);
    }

    fn emit(&self, event: ConversationEvent) {
        if let Some(events) = &self.events.sender {
            // Subscribers that have all gone away are fine.
            let _ = events.send(event);
        }
    }

    pub fn subscribe(&mut self) -> broadcast::Receiver<ConversationEvent> {
        let buffer = self.events.buffer;
        self.events.sender.get_or_insert_with(|| broadcast::channel(buffer).0).subscribe()
    }

    pub fn state(&self) -> State {
        self.life.state()
    }

    /// Whether `action` is allowed now (`lifecycle::next`) and where it leads; nothing
    /// changes until the transition is entered.
    fn check(&self, action: Action) -> Result<Transition, EngineError> {
        self.life.check(action).map_err(|source| EngineError::IllegalTransition {
            conversation: self.id.to_string(),
            source,
        })
    }

    /// Back to waiting (an offer ended unaccepted, or the assigned agent went away): to
    /// `callback_scheduled` while the customer holds a callback ticket, to `queued` otherwise.
    fn requeue(&self) -> Result<Transition, EngineError> {
        self.check(Action::Requeue { ticket: self.handoff.callback.is_some() })
    }

    /// The only place the state changes: enters a transition `check` allowed, and tells
    /// subscribers.
    fn enter(&mut self, transition: Transition) {
        let state = self.life.enter(transition);
        self.emit(ConversationEvent::StateChanged { state });
    }

    fn agent_is(&self, agent: &str) -> bool {
        self.handoff.agent.as_deref() == Some(agent)
    }

    /// The error for an agent acting on this conversation when it should not.
    fn not_assigned(&self, agent: &str, action: Action) -> EngineError {
        if matches!(self.state(), State::Assigned | State::WrapUp) {
            EngineError::NotAssigned { agent: agent.to_owned(), conversation: self.id.to_string() }
        } else {
            illegal(&self.id, self.state(), action)
        }
    }
}

fn illegal(id: &str, from: State, action: Action) -> EngineError {
    EngineError::IllegalTransition {
        conversation: id.to_owned(),
        source: super::lifecycle::IllegalTransition { from, action },
    }
}

/// The customer's answer to a callback offer, with the caller's reply.
pub(crate) enum CallbackChoice {
    Take(Reply<CallbackTicket>),
    Decline(Reply<()>),
}

impl CallbackChoice {
    /// Answers the caller with an error.
    pub fn fail(self, error: EngineError) {
        match self {
            CallbackChoice::Take(reply) => {
                let _ = reply.send(Err(error));
            }
            CallbackChoice::Decline(reply) => {
                let _ = reply.send(Err(error));
            }
        }
    }
}

/// Commands to a conversation actor.
pub(crate) enum ConvCmd {
    /// A customer message (its decision was already returned to the caller).
    Customer {
        text: String,
        decision: Decision,
        at_ms: u64,
    },
    /// A bot reply.
    Bot {
        reply: Box<BotRecord>,
        decision: Decision,
        at_ms: u64,
    },
    /// The customer pressed "talk to a human".
    AskForHuman {
        reply: Reply<State>,
    },
    /// From the queue: offered to `agent`.
    Offered {
        agent: Arc<str>,
        offer_id: u64,
    },
    /// From the agent (or the queue): the offer was declined, timed out or withdrawn; back to
    /// queued, or to callback_scheduled for a customer holding a callback ticket.
    OfferEnded {
        offer_id: u64,
    },
    /// From the queue: the agent accepted (with what the customer is told about the agent);
    /// answers the agent's `accept` call.
    Accepted {
        agent: Arc<str>,
        offer_id: u64,
        name: String,
        team: String,
        reply: Reply<()>,
    },
    /// From the queue: the customer's place and expected wait (`first` on handoff), and
    /// whether the wait warrants a callback offer.
    Waiting {
        position: usize,
        estimate_ms: Option<u64>,
        /// What to show the customer, worded by the queue.
        message: String,
        /// A callback offer's words, when the queue offers one.
        callback: Option<String>,
    },
    /// The customer answers a callback offer: passed to the queue, which owns whether one
    /// was made.
    Callback {
        choice: CallbackChoice,
    },
    /// From the queue: the customer's answer, and whether this stay in the queue was offered
    /// a callback (a taken callback is already marked on the queue entry).
    CallbackAnswered {
        choice: CallbackChoice,
        offered: bool,
    },
    /// From the journal: turns are confirmed written, so they may leave memory.
    TranscriptWritten,
    /// From the agent: it went offline while assigned; back to the front of the queue.
    AgentGone {
        agent: Arc<str>,
    },
    AgentMessage {
        agent: Arc<str>,
        text: String,
        at_ms: u64,
        reply: Reply<()>,
    },
    WrapUp {
        agent: Arc<str>,
        reply: Reply<()>,
    },
    HandBack {
        agent: Arc<str>,
        reply: Reply<()>,
    },
    Close {
        resolution: String,
        csat: Option<u8>,
        reply: Option<Reply<State>>,
    },
}

pub(crate) struct ConversationBehaviour;

impl Behaviour for ConversationBehaviour {
    type State = ConvState;
    type Cmd = ConvCmd;
    const KIND: Kind = Kind::Conversation;

    fn cell(shared: &Shared, key: &str) -> Option<Arc<ConvCell>> {
        shared.conversations.get(key).map(|c| Arc::clone(c.value()))
    }

    fn keys(shared: &Shared) -> Vec<Arc<str>> {
        shared.conversations.iter().map(|c| Arc::clone(c.key())).collect()
    }

    fn process(ctx: &Ctx<'_, Self>, command: ConvCmd) {
        // Housekeeping: neither activity nor a change of the record.
        let housekeeping = matches!(command, ConvCmd::TranscriptWritten);
        if !housekeeping {
            let now = ctx.shared.now_ms();
            ctx.with(|c| c.idle.last_active_ms = now);
        }
        // A message writes its turn; anything else may change the record, which is written
        // whole (a state change always is).
        let message =
            housekeeping || matches!(command, ConvCmd::Customer { .. } | ConvCmd::Bot { .. });
        let before = ctx.with(|c| {
            c.unwritten.snapshot_taken = false;
            c.state()
        });
        handle(ctx, command);
        // `ack` wrote the record with the change it answered (the last thing a handler does).
        let (changed, taken) = ctx.with(|c| (c.state() != before, c.unwritten.snapshot_taken));
        flush(ctx, (!message || changed) && !taken);
    }

    fn finished(ctx: &Ctx<'_, Self>) -> bool {
        ctx.with(|c| c.state().is_terminal())
    }

    /// A conversation left with the bot and nothing to do schedules a hibernation check.
    fn after_drain(ctx: &Ctx<'_, Self>) {
        let after_ms = ctx.shared.config().engine.hibernate_after_s.saturating_mul(1000);
        // Not when this actor just hibernated: a timer would keep it alive until it fires.
        let schedule = after_ms > 0
            && ctx.cell.needs_actor()
            && ctx.with(|c| {
                let idle = c.state().bot_speaks() && !c.idle.hibernation_timer;
                c.idle.hibernation_timer |= idle;
                idle
            });
        if schedule {
            ctx.timer_in(after_ms);
        }
    }

    /// Hibernates when idle long enough: the actor stops, the record and signals stay, and
    /// the next command starts a new actor on the same cell.
    fn on_timer(ctx: &Ctx<'_, Self>) {
        let after_ms = ctx.shared.config().engine.hibernate_after_s.saturating_mul(1000);
        let now = ctx.shared.now_ms();
        let remaining = ctx.with(|c| {
            c.idle.hibernation_timer = false;
            (c.idle.last_active_ms + after_ms).saturating_sub(now)
        });
        if remaining > 0 {
            ctx.with(|c| c.idle.hibernation_timer = true);
            ctx.timer_in(remaining);
        } else if ctx.shared.journal.is_durable() && !ctx.with(|c| c.transcript.confirmed()) {
            // The transcript hibernates to the store, so every turn must be in it first: ask,
            // and look again shortly.
            let on_written = record::written_notice(ctx);
            ctx.with(|c| {
                c.transcript.confirm(&ctx.shared.journal, on_written);
                c.idle.hibernation_timer = true;
            });
            ctx.timer_in(CONFIRM_RETRY_MS);
        } else {
            // The transcript goes to the store first (under the cell's lock, so a command
            // arriving now finds it whole again below or wakes a new actor that reloads it).
            let durable = ctx.shared.journal.is_durable();
            let slept = ctx.with(|c| durable && c.state().bot_speaks() && c.transcript.hibernate());
            if ctx.cell.hibernate_if(|c| c.state().bot_speaks()) {
                ctx.myself.stop(None);
            } else if slept {
                wake_transcript(ctx);
            }
        }
    }

    /// A new actor (after hibernation, or a restart) has the transcript's latest turns.
    fn on_start(ctx: &Ctx<'_, Self>) {
        wake_transcript(ctx);
    }

    fn on_closed(ctx: &Ctx<'_, Self>) {
        ctx.shared.conversations.remove_if(&ctx.cell.key, |_, cell| Arc::ptr_eq(cell, ctx.cell));
    }
}

/// How soon an idle conversation looks again once it asked the journal to confirm its turns.
const CONFIRM_RETRY_MS: u64 = 200;

/// Reads a hibernated transcript's latest turns back from the store. A store that cannot be
/// read leaves the window short (logged): the packet then shows fewer latest turns, and
/// `transcript` reads the store again.
fn wake_transcript(ctx: &Ctx<'_, ConversationBehaviour>) {
    let tail = ctx.shared.config().context.max_transcript_turns + 2;
    let store = ctx.shared.journal.reader();
    let woke = ctx.with(|c| c.transcript.wake(&c.id, store.as_deref(), tail));
    if let Err(e) = woke {
        tracing::error!("conversation {}: cannot read its transcript back: {e}", ctx.cell.key);
    }
}

/// One command, as the actor handles it (the journal is handed what changed afterwards).
fn handle(ctx: &Ctx<'_, ConversationBehaviour>, command: ConvCmd) {
    match command {
        ConvCmd::Customer { text, decision, at_ms } => customer(ctx, text, &decision, at_ms),
        ConvCmd::Bot { reply, decision, at_ms } => {
            let BotRecord { text, confidence, considered, summary } = *reply;
            ctx.with(|c| {
                let attempt = Attempt { text: text.clone(), confidence };
                ConvState::keep_latest(&mut c.summary.attempts, attempt, MAX_ATTEMPTS);
                let facts = TurnFacts {
                    confidence: Some(confidence),
                    considered: &considered,
                    bot_summary: summary.as_deref(),
                    ..TurnFacts::default()
                };
                c.push_turn(Turn { role: Role::Bot, text, at_ms }, facts);
                if !considered.is_empty() {
                    c.summary.considered = considered;
                }
                if summary.is_some() {
                    c.summary.bot_summary = summary;
                }
            });
            if decision.escalate {
                escalate(ctx, &decision);
            }
        }
        ConvCmd::AskForHuman { reply } => ask_for_human(ctx, reply),
        ConvCmd::Offered { agent, offer_id } => ctx.with(|c| {
            if offer_id <= c.handoff.offer_id {
                return;
            }
            // Queued or callback_scheduled: offered. A newer offer while already offered
            // only changes who it is offered to; in any other state it is ignored.
            let step = match c.state() {
                State::Offered => None,
                _ => match c.check(Action::Offer) {
                    Ok(step) => Some(step),
                    Err(_) => return,
                },
            };
            c.handoff.agent = Some(agent);
            c.handoff.offer_id = offer_id;
            if let Some(step) = step {
                c.enter(step);
            }
        }),
        ConvCmd::OfferEnded { offer_id } => ctx.with(|c| {
            if c.state() != State::Offered || c.handoff.offer_id != offer_id {
                return;
            }
            // Offered: always allowed, to callback_scheduled with a ticket, else queued.
            let Ok(step) = c.requeue() else { return };
            c.handoff.agent = None;
            c.enter(step);
        }),
        ConvCmd::Accepted { agent, offer_id, name, team, reply } => {
            accepted(ctx, agent, offer_id, &name, &team, reply)
        }
        ConvCmd::Waiting { position, estimate_ms, message, callback } => {
            waiting(ctx, position, estimate_ms, message, callback);
        }
        ConvCmd::Callback { choice } => callback_choice(ctx, choice),
        ConvCmd::CallbackAnswered { choice, offered } => callback_answered(ctx, choice, offered),
        ConvCmd::TranscriptWritten => record::trim_transcript(ctx),
        ConvCmd::AgentGone { agent } => {
            let requeue = ctx.with(|c| {
                if c.state() != State::Assigned || !c.agent_is(&agent) {
                    return None;
                }
                // Accepting took any ticket: `requeue { ticket: false }`, back to queued.
                let step = c.requeue().ok()?;
                c.handoff.agent = None;
                c.handoff.queued_at_ms = Some(ctx.shared.now_ms());
                c.enter(step);
                c.handoff.escalation.as_ref().map(|e| (Arc::clone(&e.skill), e.restricted.clone()))
            });
            // Back to the front of its queue.
            if let Some((skill, restricted)) = requeue {
                let conv = Arc::clone(&ctx.cell.key);
                let key = QueueKey::front(ctx.shared.next_seq());
                let _ = ctx.shared.queue(&skill).push(QueueCmd::Enqueue { conv, key, restricted });
            }
        }
        ConvCmd::AgentMessage { agent, text, at_ms, reply } => {
            let result = ctx.with(|c| {
                if c.state() != State::Assigned || !c.agent_is(&agent) {
                    return Err(EngineError::NotAssigned {
                        agent: agent.to_string(),
                        conversation: c.id.to_string(),
                    });
                }
                let turn = Turn { role: Role::Agent, text: text.clone(), at_ms };
                c.push_turn(turn, TurnFacts::default());
                c.emit(ConversationEvent::AgentMessage { agent: agent.to_string(), text });
                Ok(())
            });
            ack(ctx, reply, result);
        }
        ConvCmd::WrapUp { agent, reply } => wrap_up(ctx, agent, reply),
        ConvCmd::HandBack { agent, reply } => hand_back(ctx, agent, reply),
        ConvCmd::Close { resolution, csat, reply } => close(ctx, resolution, csat, reply),
    }
}
