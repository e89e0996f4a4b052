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
use super::agent::AgentCmd;
use super::error::EngineError;
use super::events::{
    CallbackTicket, ContextPacket, ConversationEvent, CustomerInfo, ReleaseReason, Role, Turn,
};
use super::lifecycle::{Action, Lifecycle, State, Transition};
use super::queue::QueueCmd;
use super::shared::{ConvCell, Kind, Shared};
use crate::config::EngineConfig;
use crate::context::history::{Contact, ContactOutcome, History, Profile};
use crate::context::measures::Ended;
use crate::context::packet::{
    EscalationFacts, MAX_ATTEMPTS, MAX_TIMELINE, PacketInput, Recipient, SentimentPoint,
};
use crate::context::summary::Attempt;
use crate::escalation::{Decision, Load, Reason, decide};
use crate::routing::QueueKey;
use crate::sentiment::ConversationSignals;
use crate::wait::messages::{Fields, band, render};

/// The reply half of an API call.
pub(crate) type Reply<T> = oneshot::Sender<Result<T, EngineError>>;

/// Where and why a conversation went to a human.
#[derive(Debug, Clone)]
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
    pub transcript: Vec<Turn>,
    pub signals: Arc<ConversationSignals>,
    pub escalation: Option<Escalation>,
    /// When the current wait in the queue started.
    pub queued_at_ms: Option<u64>,
    /// The agent offered or assigned.
    pub agent: Option<Arc<str>>,
    /// The latest offer's id (0 before any).
    pub offer_id: u64,
    /// Created on the first subscription: most conversations never have one, and a channel
    /// preallocates its whole buffer.
    events: Option<broadcast::Sender<ConversationEvent>>,
    event_buffer: usize,
    pub resolution: Option<String>,
    pub csat: Option<u8>,
    /// The model's latest estimate of this customer's wait, milliseconds.
    last_estimate_ms: Option<u64>,
    /// A callback was offered (once per conversation).
    callback_offered: bool,
    /// The accepted callback, until an agent takes it.
    pub callback: Option<CallbackTicket>,
    /// When the actor last handled a command (engine clock).
    last_active_ms: u64,
    /// A hibernation check is scheduled.
    hibernation_timer: bool,
    /// Compound score per customer turn (the latest `MAX_TIMELINE`), and the turn count.
    timeline: Vec<SentimentPoint>,
    customer_turns: u32,
    /// The bot's replies with their confidence (the latest `MAX_ATTEMPTS`), what it said it
    /// considered, and its own summary.
    attempts: Vec<Attempt>,
    considered: Vec<Attempt>,
    bot_summary: Option<String>,
    /// For the improvement measures: when an agent first accepted, the compound score of the
    /// escalating turn, of the customer's first message to an agent, and of their latest.
    assigned_ms: Option<u64>,
    before_handoff: Option<f64>,
    first_with_agent: Option<f64>,
    last_with_agent: Option<f64>,
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
    pub fn new(
        id: Arc<str>,
        customer: CustomerInfo,
        signals: Arc<ConversationSignals>,
        buffer: usize,
    ) -> Self {
        ConvState {
            id,
            customer,
            life: Lifecycle::new(),
            transcript: Vec::new(),
            signals,
            escalation: None,
            queued_at_ms: None,
            agent: None,
            offer_id: 0,
            events: None,
            event_buffer: buffer,
            resolution: None,
            csat: None,
            last_estimate_ms: None,
            callback_offered: false,
            callback: None,
            last_active_ms: 0,
            hibernation_timer: false,
            timeline: Vec::new(),
            customer_turns: 0,
            attempts: Vec::new(),
            considered: Vec::new(),
            bot_summary: None,
            assigned_ms: None,
            before_handoff: None,
            first_with_agent: None,
            last_with_agent: None,
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
        let escalation = self.escalation.as_ref().map(|e| EscalationFacts {
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
            transcript: &self.transcript,
            escalation,
            skill,
            sentiment: self.signals.sentiment(config.sentiment.trend_window),
            timeline: &self.timeline,
            attempts: &self.attempts,
            considered: &self.considered,
            bot_summary: self.bot_summary.as_deref(),
            profile: &outside.profile,
            history: &outside.history,
            waited_ms: self.queued_at_ms.map_or(0, |t| now_ms.saturating_sub(t)),
            callback: self.callback.is_some(),
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
        if let Some(events) = &self.events {
            // Subscribers that have all gone away are fine.
            let _ = events.send(event);
        }
    }

    pub fn subscribe(&mut self) -> broadcast::Receiver<ConversationEvent> {
        let buffer = self.event_buffer;
        self.events.get_or_insert_with(|| broadcast::channel(buffer).0).subscribe()
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
        self.check(Action::Requeue { ticket: self.callback.is_some() })
    }

    /// The only place the state changes: enters a transition `check` allowed, and tells
    /// subscribers.
    fn enter(&mut self, transition: Transition) {
        let state = self.life.enter(transition);
        self.emit(ConversationEvent::StateChanged { state });
    }

    fn agent_is(&self, agent: &str) -> bool {
        self.agent.as_deref() == Some(agent)
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
    /// From the agent: accepted (with what the customer is told about the agent).
    Accepted {
        agent: Arc<str>,
        offer_id: u64,
        name: String,
        team: String,
    },
    /// From the queue: the customer's place and expected wait (`first` on handoff), and
    /// whether the wait warrants a callback offer.
    Waiting {
        position: usize,
        estimate_ms: Option<u64>,
        first: bool,
        offer_callback: bool,
    },
    /// The customer takes the callback offered.
    AcceptCallback {
        reply: Reply<CallbackTicket>,
    },
    /// The customer prefers to keep waiting.
    DeclineCallback {
        reply: Reply<()>,
    },
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
        let now = ctx.shared.now_ms();
        ctx.with(|c| c.last_active_ms = now);
        match command {
            ConvCmd::Customer { text, decision, at_ms } => customer(ctx, text, &decision, at_ms),
            ConvCmd::Bot { reply, decision, at_ms } => {
                let BotRecord { text, confidence, considered, summary } = *reply;
                ctx.with(|c| {
                    let attempt = Attempt { text: text.clone(), confidence };
                    ConvState::keep_latest(&mut c.attempts, attempt, MAX_ATTEMPTS);
                    if !considered.is_empty() {
                        c.considered = considered;
                    }
                    if summary.is_some() {
                        c.bot_summary = summary;
                    }
                    c.transcript.push(Turn { role: Role::Bot, text, at_ms });
                });
                if decision.escalate {
                    escalate(ctx, &decision);
                }
            }
            ConvCmd::AskForHuman { reply } => ask_for_human(ctx, reply),
            ConvCmd::Offered { agent, offer_id } => ctx.with(|c| {
                if offer_id <= c.offer_id {
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
                c.agent = Some(agent);
                c.offer_id = offer_id;
                if let Some(step) = step {
                    c.enter(step);
                }
            }),
            ConvCmd::OfferEnded { offer_id } => ctx.with(|c| {
                if c.state() != State::Offered || c.offer_id != offer_id {
                    return;
                }
                // Offered: always allowed, to callback_scheduled with a ticket, else queued.
                let Ok(step) = c.requeue() else { return };
                c.agent = None;
                c.enter(step);
            }),
            ConvCmd::Accepted { agent, offer_id, name, team } => {
                accepted(ctx, agent, offer_id, &name, &team)
            }
            ConvCmd::Waiting { position, estimate_ms, first, offer_callback } => {
                waiting(ctx, position, estimate_ms, first, offer_callback);
            }
            ConvCmd::AcceptCallback { reply } => accept_callback(ctx, reply),
            ConvCmd::DeclineCallback { reply } => {
                let result = ctx.with(|c| {
                    if c.state() == State::Queued && c.callback_offered {
                        Ok(())
                    } else {
                        Err(illegal(&c.id, c.state(), Action::ScheduleCallback))
                    }
                });
                let _ = reply.send(result);
            }
            ConvCmd::AgentGone { agent } => {
                let requeue = ctx.with(|c| {
                    if c.state() != State::Assigned || !c.agent_is(&agent) {
                        return None;
                    }
                    // Accepting took any ticket: `requeue { ticket: false }`, back to queued.
                    let step = c.requeue().ok()?;
                    c.agent = None;
                    c.queued_at_ms = Some(ctx.shared.now_ms());
                    c.enter(step);
                    c.escalation.as_ref().map(|e| (Arc::clone(&e.skill), e.restricted.clone()))
                });
                // Back to the front of its queue.
                if let Some((skill, restricted)) = requeue {
                    let conv = Arc::clone(&ctx.cell.key);
                    let key = QueueKey::front(ctx.shared.next_seq());
                    let _ =
                        ctx.shared.queue(&skill).push(QueueCmd::Enqueue { conv, key, restricted });
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
                    c.transcript.push(Turn { role: Role::Agent, text: text.clone(), at_ms });
                    c.emit(ConversationEvent::AgentMessage { agent: agent.to_string(), text });
                    Ok(())
                });
                let _ = reply.send(result);
            }
            ConvCmd::WrapUp { agent, reply } => wrap_up(ctx, agent, reply),
            ConvCmd::HandBack { agent, reply } => hand_back(ctx, agent, reply),
            ConvCmd::Close { resolution, csat, reply } => close(ctx, resolution, csat, reply),
        }
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
                let idle = c.state().bot_speaks() && !c.hibernation_timer;
                c.hibernation_timer |= idle;
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
            c.hibernation_timer = false;
            (c.last_active_ms + after_ms).saturating_sub(now)
        });
        if remaining > 0 {
            ctx.with(|c| c.hibernation_timer = true);
            ctx.timer_in(remaining);
        } else if ctx.cell.hibernate_if(|c| c.state().bot_speaks()) {
            ctx.myself.stop(None);
        }
    }

    fn on_closed(ctx: &Ctx<'_, Self>) {
        ctx.shared.conversations.remove_if(&ctx.cell.key, |_, cell| Arc::ptr_eq(cell, ctx.cell));
    }
}

fn customer(ctx: &Ctx<'_, ConversationBehaviour>, text: String, decision: &Decision, at_ms: u64) {
    let forward_to = ctx.with(|c| {
        c.customer_turns += 1;
        let point =
            SentimentPoint { turn: c.customer_turns, at_ms, compound: decision.sentiment.last };
        ConvState::keep_latest(&mut c.timeline, point, MAX_TIMELINE);
        c.transcript.push(Turn { role: Role::Customer, text: text.clone(), at_ms });
        let with_agent = c.agent.clone().filter(|_| c.state() == State::Assigned);
        if with_agent.is_some() {
            let compound = decision.sentiment.last;
            c.first_with_agent.get_or_insert(compound);
            c.last_with_agent = Some(compound);
        }
        with_agent
    });
    if let Some(agent) = forward_to {
        let _ = ctx.shared.tell_agent(
            &agent,
            AgentCmd::CustomerMessage { conv: Arc::clone(&ctx.cell.key), text },
        );
    }
    if decision.escalate {
        escalate(ctx, decision);
    }
}

/// Bot → queued: silence the bot and enter the decision's skill queue.
fn escalate(ctx: &Ctx<'_, ConversationBehaviour>, decision: &Decision) {
    let policy = ctx.shared.decider.policy();
    let (Some(reason), Some(skill), Some(priority)) =
        (decision.reason, decision.skill, decision.priority)
    else {
        return;
    };
    let skill: Arc<str> = Arc::from(policy.skill_name(skill));
    let now = ctx.shared.now_ms();
    let aging_ms = ctx.shared.config().routing.aging_s_per_priority.saturating_mul(1000);
    let key = QueueKey::new(now, priority, aging_ms, ctx.shared.next_seq());
    let restricted = decision
        .topic
        .filter(|t| policy.topic(*t).sensitive)
        .map(|t| Arc::from(policy.topic_name(t)));
    let escalated = ctx.with(|c| {
        // Only from bot or returned_to_bot.
        let Ok(step) = c.check(Action::Escalate) else {
            return false;
        };
        let fired =
            std::iter::once(reason).chain(decision.fired.iter().filter(|r| *r != reason)).collect();
        c.before_handoff = Some(decision.sentiment.last);
        c.escalation = Some(Escalation {
            reason,
            fired,
            value: decision.value,
            threshold: decision.threshold,
            skill: Arc::clone(&skill),
            priority,
            topic: decision.topic.map(|t| policy.topic_name(t).to_owned()),
            restricted: restricted.clone(),
        });
        c.queued_at_ms = Some(now);
        c.emit(ConversationEvent::Escalated { reason, skill: skill.to_string(), priority });
        c.emit(ConversationEvent::BotSilenced);
        c.enter(step);
        true
    });
    if escalated {
        // Counted here, where the conversation leaves the bot: once per handoff, whoever
        // drives the engine (the server, an embedding, the load generator in process).
        let topic =
            decision.topic.map_or_else(|| "none".to_owned(), |t| policy.topic_name(t).to_owned());
        crate::telemetry::record_handoff(reason.as_str(), topic);
        // Queue cells are never closed.
        let conv = Arc::clone(&ctx.cell.key);
        let _ = ctx.shared.queue(&skill).push(QueueCmd::Enqueue { conv, key, restricted });
    }
}

fn ask_for_human(ctx: &Ctx<'_, ConversationBehaviour>, reply: Reply<State>) {
    let (allowed, signals) =
        ctx.with(|c| (c.check(Action::Escalate).map(|_| ()), Arc::clone(&c.signals)));
    if let Err(e) = allowed {
        let _ = reply.send(Err(e));
        return;
    }
    let config = ctx.shared.config();
    let snapshot = signals.snapshot(true, config.sentiment.trend_window);
    let now = ctx.shared.instant_at(ctx.shared.now_ms());
    let decision = decide(ctx.shared.decider.policy(), &snapshot, Load::Normal, now);
    escalate(ctx, &decision);
    let _ = reply.send(Ok(ctx.with(|c| c.state())));
}

/// Tells a waiting customer where they stand, and offers a callback when the wait is long.
fn waiting(
    ctx: &Ctx<'_, ConversationBehaviour>,
    position: usize,
    estimate_ms: Option<u64>,
    first: bool,
    offer_callback: bool,
) {
    let config = &ctx.shared.config().messages;
    let offered = ctx.with(|c| {
        if c.state() != State::Queued {
            return false;
        }
        c.last_estimate_ms = estimate_ms;
        let queue = c.escalation.as_ref().map_or("", |e| &*e.skill);
        let (_, wait) = band(config, estimate_ms);
        let template = match (first, estimate_ms) {
            (true, Some(0)) => &config.queued_now,
            (true, _) => &config.queued,
            (false, _) => &config.update,
        };
        let message = render(template, Fields { position, queue, wait, ..Fields::default() });
        c.emit(ConversationEvent::Waiting { position, estimate_ms, message });
        if !offer_callback || c.callback_offered {
            return false;
        }
        c.callback_offered = true;
        let message =
            render(&config.callback_offer, Fields { position, queue, wait, ..Fields::default() });
        c.emit(ConversationEvent::CallbackOffered { estimate_ms, message });
        true
    });
    if offered {
        ctx.shared.stats.callbacks_offered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The customer takes the callback: a ticket is kept in the store and the queue entry keeps
/// its place, served by the next agent whose turn it is; the customer may leave the chat.
fn accept_callback(ctx: &Ctx<'_, ConversationBehaviour>, reply: Reply<CallbackTicket>) {
    let shared = ctx.shared;
    let now = shared.now_ms();
    // The ticket is kept in a store: it carries the packet as an uncleared agent sees it.
    let (customer, skill) =
        ctx.with(|c| (c.customer.id.clone(), c.escalation.as_ref().map(|e| Arc::clone(&e.skill))));
    let outside = shared.outside(&customer, skill.as_deref().unwrap_or_default(), false);
    let callback = &shared.config().callback;
    let messages = &shared.config().messages;
    let result = ctx.with(|c| {
        let step = c.check(Action::ScheduleCallback)?;
        let escalation = c
            .escalation
            .clone()
            .ok_or_else(|| illegal(&c.id, c.state(), Action::ScheduleCallback))?;
        let window_ms = match c.last_estimate_ms {
            Some(ms) => (ms.max(60_000) as f64 * callback.promise_factor) as u64,
            None => callback.promise_unknown_s.saturating_mul(1000),
        };
        let ticket = CallbackTicket {
            id: c.id.to_string(),
            customer: c.customer.clone(),
            topic: escalation.topic.clone(),
            skill: escalation.skill.to_string(),
            priority: escalation.priority,
            packet: c.packet(&escalation.skill, now, shared.config(), &outside),
            created_ms: now,
            promised_by_ms: now + window_ms,
        };
        c.callback = Some(ticket.clone());
        let (_, wait) = band(messages, Some(window_ms));
        let fields = Fields { wait, queue: &escalation.skill, ..Fields::default() };
        let message = render(&messages.callback_scheduled, fields);
        c.emit(ConversationEvent::CallbackScheduled {
            promised_by_ms: ticket.promised_by_ms,
            message,
        });
        c.enter(step);
        Ok(ticket)
    });
    if let Ok(ticket) = &result {
        shared.callbacks.save(ticket);
        shared.stats.callbacks_accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let _ = shared
            .queue(&ticket.skill)
            .push(QueueCmd::Callback { conv: Arc::clone(&ctx.cell.key) });
    }
    let _ = reply.send(result);
}

fn accepted(
    ctx: &Ctx<'_, ConversationBehaviour>,
    agent: Arc<str>,
    offer_id: u64,
    name: &str,
    team: &str,
) {
    let template = &ctx.shared.config().messages.agent_joined;
    let joined = ctx.with(|c| {
        // Only the current offer, and only while offered.
        let Ok(step) = c.check(Action::Accept) else {
            return false;
        };
        if c.offer_id != offer_id {
            return false;
        }
        c.agent = Some(Arc::clone(&agent));
        c.queued_at_ms = None;
        c.assigned_ms.get_or_insert(ctx.shared.now_ms());
        if c.callback.take().is_some() {
            ctx.shared.callbacks.remove(&c.id);
        }
        let message = render(template, Fields { agent: name, team, ..Fields::default() });
        c.emit(ConversationEvent::AgentJoined {
            agent: agent.to_string(),
            name: name.to_owned(),
            message,
        });
        c.enter(step);
        true
    });
    if !joined {
        // Accepted an offer this conversation no longer stands by (the customer left):
        // give the agent its slot back.
        release_agent(ctx, &agent, ReleaseReason::Closed);
    }
}

fn wrap_up(ctx: &Ctx<'_, ConversationBehaviour>, agent: Arc<str>, reply: Reply<()>) {
    let result = ctx.with(|c| {
        let step = match c.check(Action::WrapUp) {
            Ok(step) if c.agent_is(&agent) => step,
            _ => return Err(c.not_assigned(&agent, Action::WrapUp)),
        };
        c.enter(step);
        Ok(())
    });
    if result.is_ok() {
        let _ =
            ctx.shared.tell_agent(&agent, AgentCmd::WrappingUp { conv: Arc::clone(&ctx.cell.key) });
    }
    let _ = reply.send(result);
}

fn hand_back(ctx: &Ctx<'_, ConversationBehaviour>, agent: Arc<str>, reply: Reply<()>) {
    let now = ctx.shared.now_ms();
    let result = ctx.with(|c| {
        let step = match c.check(Action::HandBack) {
            Ok(step) if c.agent_is(&agent) => step,
            _ => return Err(c.not_assigned(&agent, Action::HandBack)),
        };
        c.agent = None;
        c.signals.hand_back(ctx.shared.instant_at(now));
        c.emit(ConversationEvent::BotResumed);
        c.enter(step);
        Ok(())
    });
    if result.is_ok() {
        release_agent(ctx, &agent, ReleaseReason::HandedBack);
    }
    let _ = reply.send(result);
}

fn close(
    ctx: &Ctx<'_, ConversationBehaviour>,
    resolution: String,
    csat: Option<u8>,
    reply: Option<Reply<State>>,
) {
    let outcome = ctx.with(|c| {
        if c.callback.take().is_some() {
            // Closing a scheduled callback cancels it.
            ctx.shared.callbacks.remove(&c.id);
        }
        let action = if matches!(c.state(), State::Queued | State::Offered) {
            Action::Abandon
        } else {
            Action::Close
        };
        let step = c.check(action)?;
        let (from, to) = (step.from(), step.to());
        let agent = c.agent.take();
        let skill = c.escalation.as_ref().map(|e| Arc::clone(&e.skill));
        if to == State::Abandoned {
            let waited = c.queued_at_ms.map_or(0, |at| ctx.shared.now_ms().saturating_sub(at));
            ctx.shared.record_abandonment(waited);
        }
        c.resolution = Some(resolution);
        c.csat = csat;
        c.enter(step);
        let contact = Contact {
            conversation: c.id.to_string(),
            ended_ms: ctx.shared.now_ms(),
            topic: c.escalation.as_ref().and_then(|e| e.topic.clone()).or_else(|| {
                let policy = ctx.shared.decider.policy();
                c.signals.topic().map(|t| policy.topic_name(t).to_owned())
            }),
            escalated: c.escalation.is_some(),
            outcome: match from {
                State::Assigned | State::WrapUp => ContactOutcome::ResolvedByAgent,
                State::Bot | State::ReturnedToBot => ContactOutcome::ResolvedByBot,
                _ => ContactOutcome::Abandoned,
            },
        };
        let ended = ended(c, &contact, csat, ctx.shared.now_ms());
        Ok((from, to, agent, skill, (c.customer.id.clone(), contact, ended)))
    });
    match outcome {
        Ok((from, to, agent, skill, (customer, contact, ended))) => {
            // The directory is called outside the cell's lock (it may be the integrator's).
            ctx.shared.directory.record(&customer, contact);
            ctx.shared.measures.record(&ended);
            match (from, agent, skill) {
                (State::Queued | State::Offered | State::CallbackScheduled, _, Some(skill)) => {
                    let _ = ctx
                        .shared
                        .queue(&skill)
                        .push(QueueCmd::Remove { conv: Arc::clone(&ctx.cell.key) });
                }
                (State::Assigned | State::WrapUp, Some(agent), _) => {
                    release_agent(ctx, &agent, ReleaseReason::Closed);
                }
                _ => {}
            }
            ctx.shared.finish_conversation(&ctx.cell.key, to);
            if let Some(reply) = reply {
                let _ = reply.send(Ok(to));
            }
        }
        Err(e) => {
            if let Some(reply) = reply {
                let _ = reply.send(Err(e));
            }
        }
    }
}

/// What a conversation that ends contributes to the continuous-improvement measures (taken
/// under the cell's lock, recorded after it).
fn ended(c: &ConvState, contact: &Contact, csat: Option<u8>, now_ms: u64) -> Ended {
    Ended {
        outcome: contact.outcome,
        escalated: contact.escalated,
        csat,
        topic: contact.topic.clone(),
        resolution_s: c.assigned_ms.map(|at| now_ms.saturating_sub(at) as f64 / 1000.0),
        before_handoff: c.before_handoff,
        first_with_agent: c.first_with_agent,
        last_with_agent: c.last_with_agent,
    }
}

fn release_agent(ctx: &Ctx<'_, ConversationBehaviour>, agent: &Arc<str>, reason: ReleaseReason) {
    let _ =
        ctx.shared.tell_agent(agent, AgentCmd::Release { conv: Arc::clone(&ctx.cell.key), reason });
}
