//! The handoff: a customer's message recorded, escalation into a skill queue, "talk to a
//! human", what a waiting customer is told, and callbacks.

use std::sync::Arc;

use crate::actors::actor::Ctx;
use crate::actors::agent::AgentCmd;
use crate::actors::events::{CallbackTicket, ConversationEvent, Role, Turn};
use crate::actors::lifecycle::{Action, State};
use crate::actors::queue::QueueCmd;
use crate::context::packet::{MAX_TIMELINE, SentimentPoint};
use crate::escalation::{Decision, Load, decide};
use crate::routing::QueueKey;
use crate::wait::messages::{Fields, band, render};

use super::record::{TurnFacts, ack, ack_synced};
use super::{CallbackChoice, ConvState, ConversationBehaviour, Escalation, Reply, illegal};
use crate::actors::error::EngineError;

pub(super) fn customer(
    ctx: &Ctx<'_, ConversationBehaviour>,
    text: String,
    decision: &Decision,
    at_ms: u64,
) {
    let forward_to = ctx.with(|c| {
        c.summary.customer_turns += 1;
        let point = SentimentPoint {
            turn: c.summary.customer_turns,
            at_ms,
            compound: decision.sentiment.last,
        };
        ConvState::keep_latest(&mut c.summary.timeline, point, MAX_TIMELINE);
        let facts = TurnFacts { compound: Some(decision.sentiment.last), ..TurnFacts::default() };
        c.push_turn(Turn { role: Role::Customer, text: text.clone(), at_ms }, facts);
        let with_agent = c.handoff.agent.clone().filter(|_| c.state() == State::Assigned);
        if with_agent.is_some() {
            let compound = decision.sentiment.last;
            c.improvement.first_with_agent.get_or_insert(compound);
            c.improvement.last_with_agent = Some(compound);
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
pub(super) fn escalate(ctx: &Ctx<'_, ConversationBehaviour>, decision: &Decision) {
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
        c.improvement.before_handoff = Some(decision.sentiment.last);
        c.handoff.escalation = Some(Box::new(Escalation {
            reason,
            fired,
            value: decision.value,
            threshold: decision.threshold,
            skill: Arc::clone(&skill),
            priority,
            topic: decision.topic.map(|t| policy.topic_name(t).to_owned()),
            restricted: restricted.clone(),
        }));
        c.handoff.queued_at_ms = Some(now);
        c.emit(ConversationEvent::Escalated { reason, skill: skill.to_string(), priority });
        c.emit(ConversationEvent::BotSilenced);
        c.enter(step);
        true
    });
    if escalated {
        // Queue cells are never closed.
        let conv = Arc::clone(&ctx.cell.key);
        let _ = ctx.shared.queue(&skill).push(QueueCmd::Enqueue { conv, key, restricted });
        // Counted here, where the conversation leaves the bot (after the queue has it, so the
        // count costs the customer nothing): once per handoff, whoever
        // drives the engine (the server, an embedding, the load generator in process).
        let topic =
            decision.topic.map_or_else(|| "none".to_owned(), |t| policy.topic_name(t).to_owned());
        crate::telemetry::record_handoff(reason.as_str(), topic);
    }
}

pub(super) fn ask_for_human(ctx: &Ctx<'_, ConversationBehaviour>, reply: Reply<State>) {
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
    let state = ctx.with(|c| c.state());
    ack(ctx, reply, Ok(state));
}

/// Tells a waiting customer what the queue worded: their place and wait, and a callback
/// offer when the queue makes one.
pub(super) fn waiting(
    ctx: &Ctx<'_, ConversationBehaviour>,
    position: usize,
    estimate_ms: Option<u64>,
    message: String,
    callback: Option<String>,
) {
    let offered = ctx.with(|c| {
        if c.state() != State::Queued {
            return false;
        }
        c.handoff.last_estimate_ms = estimate_ms;
        c.emit(ConversationEvent::Waiting { position, estimate_ms, message });
        // The queue words an offer once per stay in the queue.
        let Some(message) = callback else { return false };
        c.emit(ConversationEvent::CallbackOffered { estimate_ms, message });
        true
    });
    if offered {
        ctx.shared.stats.callbacks_offered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The customer answers a callback offer. The queue owns whether one was made (it words the
/// offer, once per stay in the queue), so the answer goes there and comes back as
/// [`callback_answered`]; only a waiting customer may answer.
pub(super) fn callback_choice(ctx: &Ctx<'_, ConversationBehaviour>, choice: CallbackChoice) {
    let skill = ctx.with(|c| {
        c.check(Action::ScheduleCallback).map(drop)?;
        c.handoff
            .escalation
            .as_ref()
            .map(|e| Arc::clone(&e.skill))
            .ok_or_else(|| illegal(&c.id, c.state(), Action::ScheduleCallback))
    });
    match skill {
        Err(e) => choice.fail(e),
        Ok(skill) => {
            let conv = Arc::clone(&ctx.cell.key);
            if let Err(QueueCmd::Callback { choice, .. }) =
                ctx.shared.queue(&skill).push(QueueCmd::Callback { conv, choice })
            {
                choice.fail(EngineError::Stopped);
            }
        }
    }
}

/// The queue's word on the customer's answer. A taken callback: a ticket is kept in the store
/// and the queue entry (already marked) keeps its place, served by the next agent whose turn
/// it is; the customer may leave the chat. Between the queue's word and this, only a close
/// can have changed the state, and a close removes the entry.
pub(super) fn callback_answered(
    ctx: &Ctx<'_, ConversationBehaviour>,
    choice: CallbackChoice,
    offered: bool,
) {
    let refused = ctx.with(|c| {
        let allowed = c.check(Action::ScheduleCallback).map(|_| ());
        // Only a callback the queue offered can be answered (PROTOCOL.md: either answer
        // without an offer is `illegal_transition`).
        allowed.and_then(|()| {
            if offered { Ok(()) } else { Err(illegal(&c.id, c.state(), Action::ScheduleCallback)) }
        })
    });
    match (choice, refused) {
        (choice, Err(e)) => choice.fail(e),
        (CallbackChoice::Decline(reply), Ok(())) => {
            let _ = reply.send(Ok(()));
        }
        (CallbackChoice::Take(reply), Ok(())) => {
            let ticket = take_callback(ctx);
            // The ticket and the state holding it are synced before the customer is told.
            ack_synced(ctx, reply, ticket);
        }
    }
}

/// Makes the ticket for an offered callback the customer took.
fn take_callback(ctx: &Ctx<'_, ConversationBehaviour>) -> Result<CallbackTicket, EngineError> {
    let shared = ctx.shared;
    let now = shared.now_ms();
    // The ticket is kept in a store: it carries the packet as an uncleared agent sees it.
    let (customer, skill) = ctx.with(|c| {
        (c.customer.id.clone(), c.handoff.escalation.as_ref().map(|e| Arc::clone(&e.skill)))
    });
    let outside = shared.outside(&customer, skill.as_deref().unwrap_or_default(), false);
    let callback = &shared.config().callback;
    let messages = &shared.config().messages;
    let result = ctx.with(|c| {
        let step = c.check(Action::ScheduleCallback)?;
        let escalation = c
            .handoff
            .escalation
            .clone()
            .ok_or_else(|| illegal(&c.id, c.state(), Action::ScheduleCallback))?;
        let window_ms = match c.handoff.last_estimate_ms {
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
        c.handoff.callback = Some(Box::new(ticket.clone()));
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
    }
    result
}
