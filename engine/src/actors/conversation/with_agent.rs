//! The conversation with its agent: the accepted offer (the packet, "agent joined"),
//! wrap-up, hand-back to the bot, and the close (contact recorded, measures, agent freed).

use std::sync::Arc;

use crate::actors::actor::Ctx;
use crate::actors::agent::AgentCmd;
use crate::actors::error::EngineError;
use crate::actors::events::{ConversationEvent, ReleaseReason};
use crate::actors::lifecycle::{Action, State};
use crate::actors::queue::QueueCmd;
use crate::context::history::{Contact, ContactOutcome};
use crate::context::measures::Ended;
use crate::routing::OfferOutcome;
use crate::wait::messages::{Fields, render};

use super::record::ack;
use super::{ConvState, ConversationBehaviour, Reply};

pub(super) fn accepted(
    ctx: &Ctx<'_, ConversationBehaviour>,
    agent: Arc<str>,
    offer_id: u64,
    name: &str,
    team: &str,
    reply: Reply<()>,
) {
    let template = &ctx.shared.config().messages.agent_joined;
    let joined = ctx.with(|c| {
        // Only the current offer, and only while offered.
        let Ok(step) = c.check(Action::Accept) else {
            return false;
        };
        if c.handoff.offer_id != offer_id {
            return false;
        }
        c.handoff.agent = Some(Arc::clone(&agent));
        c.handoff.queued_at_ms = None;
        c.improvement.assigned_ms.get_or_insert(ctx.shared.now_ms());
        if c.handoff.callback.take().is_some() {
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
    if joined {
        ctx.shared.stats.offer(OfferOutcome::Accepted);
        ack(ctx, reply, Ok(()));
    } else {
        // Accepted an offer this conversation no longer stands by (the customer left):
        // give the agent its slot back.
        release_agent(ctx, &agent, ReleaseReason::Closed);
        let _ = reply.send(Err(EngineError::NoSuchOffer {
            agent: agent.to_string(),
            conversation: ctx.cell.key.to_string(),
        }));
    }
}

pub(super) fn wrap_up(ctx: &Ctx<'_, ConversationBehaviour>, agent: Arc<str>, reply: Reply<()>) {
    let result = ctx.with(|c| {
        let step = match c.check(Action::WrapUp) {
            Ok(step) if c.agent_is(&agent) => step,
            _ => return Err(c.not_assigned(&agent, Action::WrapUp)),
        };
        c.handoff.wrap_started_ms = Some(ctx.shared.now_ms());
        c.enter(step);
        Ok(())
    });
    if result.is_ok() {
        let _ =
            ctx.shared.tell_agent(&agent, AgentCmd::WrappingUp { conv: Arc::clone(&ctx.cell.key) });
    }
    ack(ctx, reply, result);
}

pub(super) fn hand_back(ctx: &Ctx<'_, ConversationBehaviour>, agent: Arc<str>, reply: Reply<()>) {
    let now = ctx.shared.now_ms();
    let result = ctx.with(|c| {
        let step = match c.check(Action::HandBack) {
            Ok(step) if c.agent_is(&agent) => step,
            _ => return Err(c.not_assigned(&agent, Action::HandBack)),
        };
        c.handoff.agent = None;
        c.signals.hand_back(ctx.shared.instant_at(now));
        c.emit(ConversationEvent::BotResumed);
        c.enter(step);
        Ok(())
    });
    if result.is_ok() {
        release_agent(ctx, &agent, ReleaseReason::HandedBack);
    }
    ack(ctx, reply, result);
}

pub(super) fn close(
    ctx: &Ctx<'_, ConversationBehaviour>,
    resolution: String,
    csat: Option<u8>,
    reply: Option<Reply<State>>,
) {
    let outcome = ctx.with(|c| {
        if c.handoff.callback.take().is_some() {
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
        let agent = c.handoff.agent.take();
        let skill = c.handoff.escalation.as_ref().map(|e| Arc::clone(&e.skill));
        if to == State::Abandoned {
            let waited =
                c.handoff.queued_at_ms.map_or(0, |at| ctx.shared.now_ms().saturating_sub(at));
            ctx.shared.record_abandonment(waited);
        }
        c.resolution = Some(resolution);
        c.csat = csat;
        c.enter(step);
        let contact = Contact {
            conversation: c.id.to_string(),
            ended_ms: ctx.shared.now_ms(),
            topic: c.handoff.escalation.as_ref().and_then(|e| e.topic.clone()).or_else(|| {
                let policy = ctx.shared.decider.policy();
                c.signals.topic().map(|t| policy.topic_name(t).to_owned())
            }),
            escalated: c.handoff.escalation.is_some(),
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
                ack(ctx, reply, Ok(to));
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
pub(super) fn ended(c: &ConvState, contact: &Contact, csat: Option<u8>, now_ms: u64) -> Ended {
    Ended {
        outcome: contact.outcome,
        escalated: contact.escalated,
        csat,
        topic: contact.topic.clone(),
        resolution_s: c.improvement.assigned_ms.map(|at| now_ms.saturating_sub(at) as f64 / 1000.0),
        before_handoff: c.improvement.before_handoff,
        first_with_agent: c.improvement.first_with_agent,
        last_with_agent: c.improvement.last_with_agent,
    }
}

pub(super) fn release_agent(
    ctx: &Ctx<'_, ConversationBehaviour>,
    agent: &Arc<str>,
    reason: ReleaseReason,
) {
    let _ =
        ctx.shared.tell_agent(agent, AgentCmd::Release { conv: Arc::clone(&ctx.cell.key), reason });
}
