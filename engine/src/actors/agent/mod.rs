//! The agent actor: offers with their timeout, assigned conversations, wrap-up timers,
//! presence changes, and pulling the next customer when a slot frees. Slot accounting itself
//! is on the agent board ([`AgentSlot`]): the actor releases a slot exactly when it stops
//! holding an offer, an assignment or a wrap-up.
//!
//! When the agent logs out (or its desktop disconnects), nothing it held is lost: offered
//! conversations go back to their original place in the queue, assigned ones to the front.

pub(crate) mod record;

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::broadcast;

use super::actor::{Behaviour, Ctx};
use super::conversation::{ConvCmd, Reply};
use super::error::EngineError;
use super::events::{AgentEvent, ContextPacket, ReleaseReason};
use super::queue::QueueCmd;
use super::shared::{AgentCell, Kind, Shared};
use crate::journal::AuditKind;
use crate::routing::{AgentSlot, OfferOutcome, Presence, Since};

/// An offer the agent has not answered yet.
#[derive(Debug, Clone)]
pub(crate) struct Offer {
    pub skill: Arc<str>,
    pub offer_id: u64,
    pub deadline_ms: u64,
}

/// An assigned conversation: the skill it came through and when the agent accepted it.
#[derive(Debug, Clone)]
pub(crate) struct Assignment {
    pub skill: Arc<str>,
    pub accepted_ms: u64,
}

/// A conversation in after-chat work.
#[derive(Debug, Clone)]
pub(crate) struct Wrapping {
    pub assignment: Assignment,
    /// When the wrap-up started and when its timer closes it (engine clock).
    pub started_ms: u64,
    pub deadline_ms: u64,
    /// The timer already asked the conversation to close.
    pub close_requested: bool,
}

/// The agent's record (survives actor restarts).
pub(crate) struct AgentState {
    pub slot: Arc<AgentSlot>,
    /// What customers are told: "Sam from our Billing team".
    pub name: String,
    pub team: String,
    pub offers: BTreeMap<Arc<str>, Offer>,
    pub assigned: BTreeMap<Arc<str>, Assignment>,
    pub wrapping: BTreeMap<Arc<str>, Wrapping>,
    pub consecutive_timeouts: u32,
    /// Queues already asked in the current pull round.
    tried: Vec<Arc<str>>,
    pub events: broadcast::Sender<AgentEvent>,
    pub logged_out: bool,
    /// The presence the agent chose (`available` or `away`), kept in its session: a
    /// disconnect makes it away without changing this, and a reconnect goes back to it.
    pub chosen: Presence,
}

impl AgentState {
    pub fn new(slot: Arc<AgentSlot>, name: String, team: String, buffer: usize) -> Self {
        AgentState {
            slot,
            name,
            team,
            offers: BTreeMap::new(),
            assigned: BTreeMap::new(),
            wrapping: BTreeMap::new(),
            consecutive_timeouts: 0,
            tried: Vec::new(),
            events: broadcast::channel(buffer).0,
            logged_out: false,
            chosen: Presence::Available,
        }
    }

    fn emit(&self, event: AgentEvent) {
        let _ = self.events.send(event);
    }

    fn set_presence(&self, presence: Presence) {
        if self.slot.set_presence(presence) != presence {
            self.emit(AgentEvent::PresenceChanged { presence });
        }
    }

    fn next_deadline(&self) -> Option<u64> {
        let offers = self.offers.values().map(|o| o.deadline_ms);
        let wrapping = self.wrapping.values().filter(|w| !w.close_requested).map(|w| w.deadline_ms);
        offers.chain(wrapping).min()
    }
}

/// Commands to an agent actor.
pub(crate) enum AgentCmd {
    /// From a queue: a slot was claimed for this offer.
    Offer {
        conv: Arc<str>,
        skill: Arc<str>,
        offer_id: u64,
    },
    Accept {
        conv: Arc<str>,
        reply: Reply<()>,
    },
    Decline {
        conv: Arc<str>,
        reply: Reply<()>,
    },
    /// From a queue: the customer left while the offer was open.
    Revoke {
        conv: Arc<str>,
        offer_id: u64,
    },
    /// From a conversation: it no longer needs this agent.
    Release {
        conv: Arc<str>,
        reason: ReleaseReason,
    },
    /// From a conversation: the agent wrapped it up.
    WrappingUp {
        conv: Arc<str>,
    },
    CustomerMessage {
        conv: Arc<str>,
        text: String,
    },
    SetPresence {
        presence: Presence,
        /// The agent chose it (kept in its session), rather than its desktop disconnecting.
        chosen: bool,
        reply: Reply<()>,
    },
    Logout {
        reply: Option<Reply<()>>,
    },
    /// From a queue: nothing there for this agent; try the next queue.
    PullMiss,
}

pub(crate) struct AgentBehaviour;

impl Behaviour for AgentBehaviour {
    type State = AgentState;
    type Cmd = AgentCmd;
    const KIND: Kind = Kind::Agent;

    fn cell(shared: &Shared, key: &str) -> Option<Arc<AgentCell>> {
        shared.agents.get(key).map(|c| Arc::clone(c.value()))
    }

    fn keys(shared: &Shared) -> Vec<Arc<str>> {
        shared.agents.iter().map(|c| Arc::clone(c.key())).collect()
    }

    fn process(ctx: &Ctx<'_, Self>, command: AgentCmd) {
        match command {
            AgentCmd::Offer { conv, skill, offer_id } => offer(ctx, conv, skill, offer_id),
            AgentCmd::Accept { conv, reply } => accept(ctx, conv, reply),
            AgentCmd::Decline { conv, reply } => {
                let offer = ctx.with(|a| {
                    a.consecutive_timeouts = 0;
                    a.offers.remove(&conv)
                });
                let result = match offer {
                    Some(offer) => {
                        end_offer(ctx, &conv, &offer, ReleaseReason::Declined);
                        new_pull_round(ctx);
                        Ok(())
                    }
                    None => Err(no_such_offer(ctx, &conv)),
                };
                let _ = reply.send(result);
            }
            AgentCmd::Revoke { conv, offer_id } => {
                let revoked = ctx.with(|a| {
                    let matches = a.offers.get(&conv).is_some_and(|o| o.offer_id == offer_id);
                    if matches {
                        ctx.shared.stats.offer(OfferOutcome::Revoked);
                        a.offers.remove(&conv);
                        a.slot.release();
                        a.emit(AgentEvent::Released {
                            conversation: conv.to_string(),
                            reason: ReleaseReason::Closed,
                        });
                    }
                    matches
                });
                if revoked {
                    new_pull_round(ctx);
                }
            }
            AgentCmd::Release { conv, reason } => release(ctx, &conv, reason),
            AgentCmd::WrappingUp { conv } => {
                let wrap_ms = ctx.shared.config().routing.wrap_up_s.saturating_mul(1000);
                let started_ms = ctx.shared.now_ms();
                let deadline_ms = started_ms + wrap_ms;
                let started = ctx.with(|a| {
                    let Some(assignment) = a.assigned.remove(&conv) else {
                        return false;
                    };
                    // The skills' wait models: this slot frees within the wrap-up.
                    a.slot.wrapping(&conv, started_ms);
                    let wrapping =
                        Wrapping { assignment, started_ms, deadline_ms, close_requested: false };
                    a.wrapping.insert(conv, wrapping);
                    if a.slot.presence() == Presence::Available {
                        a.set_presence(Presence::AfterWork);
                    }
                    true
                });
                if started {
                    ctx.timer_in(wrap_ms);
                }
            }
            AgentCmd::CustomerMessage { conv, text } => ctx.with(|a| {
                // Personal data reaches only agents cleared for it, live messages included.
                let context = &ctx.shared.config().context;
                let kinds = context.redaction(a.slot.cleared_for(&context.pii_clearance));
                let clean = match crate::context::redact::redact(&text, kinds) {
                    std::borrow::Cow::Owned(clean) => Some(clean),
                    std::borrow::Cow::Borrowed(_) => None,
                };
                let text = clean.unwrap_or(text);
                if a.assigned.contains_key(&conv) || a.wrapping.contains_key(&conv) {
                    a.emit(AgentEvent::CustomerMessage { conversation: conv.to_string(), text });
                }
            }),
            AgentCmd::SetPresence { presence, chosen, reply } => {
                let result = match presence {
                    Presence::Available | Presence::Away => {
                        ctx.with(|a| {
                            if presence == Presence::Available {
                                a.consecutive_timeouts = 0;
                            }
                            a.set_presence(presence);
                            if chosen && a.chosen != presence {
                                a.chosen = presence;
                                record::persist(ctx.shared, a);
                            }
                        });
                        new_pull_round(ctx);
                        Ok(())
                    }
                    other => Err(EngineError::InvalidInput(format!(
                        "an agent sets its presence to available or away, not {other:?} (log out to go offline)"
                    ))),
                };
                let _ = reply.send(result);
            }
            AgentCmd::Logout { reply } => {
                logout(ctx);
                if let Some(reply) = reply {
                    let _ = reply.send(Ok(()));
                }
            }
            AgentCmd::PullMiss => pull(ctx),
        }
    }

    fn on_timer(ctx: &Ctx<'_, Self>) {
        let now = ctx.shared.now_ms();
        let max_timeouts = ctx.shared.config().routing.max_consecutive_timeouts;
        let (expired, closing) = ctx.with(|a| {
            let expired: Vec<(Arc<str>, Offer)> = a
                .offers
                .iter()
                .filter(|(_, o)| o.deadline_ms <= now)
                .map(|(c, o)| (Arc::clone(c), o.clone()))
                .collect();
            for (conv, _) in &expired {
                a.offers.remove(conv);
                a.consecutive_timeouts += 1;
            }
            if !expired.is_empty() && a.consecutive_timeouts >= max_timeouts {
                // Away before the offers go back, so the queue does not offer them here again.
                a.set_presence(Presence::Away);
                a.chosen = Presence::Away;
                record::persist(ctx.shared, a);
            }
            let mut closing = Vec::new();
            for (conv, wrapping) in a.wrapping.iter_mut() {
                if !wrapping.close_requested && wrapping.deadline_ms <= now {
                    wrapping.close_requested = true;
                    closing.push(Arc::clone(conv));
                }
            }
            (expired, closing)
        });
        for (conv, offer) in &expired {
            end_offer(ctx, conv, offer, ReleaseReason::Timeout);
        }
        for conv in closing {
            close_wrapped(ctx, &conv);
        }
        if !expired.is_empty() {
            new_pull_round(ctx);
        }
        arm_timer(ctx);
    }

    fn on_start(ctx: &Ctx<'_, Self>) {
        arm_timer(ctx);
        new_pull_round(ctx);
    }

    fn finished(ctx: &Ctx<'_, Self>) -> bool {
        ctx.with(|a| a.logged_out)
    }
}

fn no_such_offer(ctx: &Ctx<'_, AgentBehaviour>, conv: &str) -> EngineError {
    EngineError::NoSuchOffer { agent: ctx.cell.key.to_string(), conversation: conv.to_owned() }
}

/// Re-arms the timer for the earliest deadline (extra ticks are harmless).
fn arm_timer(ctx: &Ctx<'_, AgentBehaviour>) {
    if let Some(deadline) = ctx.with(|a| a.next_deadline()) {
        ctx.timer_in(deadline.saturating_sub(ctx.shared.now_ms()));
    }
}

fn offer(ctx: &Ctx<'_, AgentBehaviour>, conv: Arc<str>, skill: Arc<str>, offer_id: u64) {
    let timeout_ms = ctx.shared.config().routing.offer_timeout_s.saturating_mul(1000);
    let deadline_ms = ctx.shared.now_ms() + timeout_ms;
    let offer = Offer { skill, offer_id, deadline_ms };
    if ctx.with(|a| a.logged_out) {
        // Claimed just before the logout: the slot is no longer ours to fill.
        end_offer(ctx, &conv, &offer, ReleaseReason::Requeued);
        return;
    }
    let cleared = ctx.with(|a| a.slot.cleared_for(&ctx.shared.config().context.pii_clearance));
    let Some(packet) = context_packet(ctx.shared, &conv, &offer.skill, cleared) else {
        // The conversation closed in the meantime.
        ctx.with(|a| a.slot.release());
        return;
    };
    let skill = Arc::clone(&offer.skill);
    ctx.with(|a| {
        a.offers.insert(Arc::clone(&conv), offer);
        a.emit(AgentEvent::Offer {
            conversation: conv.to_string(),
            packet: Arc::new(packet),
            expires_in_ms: timeout_ms,
        });
    });
    let detail = format!("context packet with the offer, via {skill}");
    ctx.shared.audit(
        AuditKind::PacketDelivered,
        &ctx.cell.key,
        Some(&conv),
        Some(!cleared),
        detail,
    );
    ctx.timer_in(timeout_ms);
    // More free slots? Keep pulling.
    new_pull_round(ctx);
}

/// The context packet, read from the conversation's record.
fn context_packet(
    shared: &Shared,
    conv: &str,
    skill: &str,
    cleared: bool,
) -> Option<ContextPacket> {
    let cell = shared.conversations.get(conv).map(|c| Arc::clone(c.value()))?;
    // The directory is read outside the conversation's lock (it may be the integrator's).
    let customer = cell.with(|c| c.customer.id.clone());
    let outside = shared.outside(&customer, skill, cleared);
    Some(cell.with(|c| c.packet(skill, shared.now_ms(), shared.config(), &outside)))
}

fn accept(ctx: &Ctx<'_, AgentBehaviour>, conv: Arc<str>, reply: Reply<()>) {
    let Some(offer) = ctx.with(|a| a.offers.remove(&conv)) else {
        let _ = reply.send(Err(no_such_offer(ctx, &conv)));
        return;
    };
    let agent = Arc::clone(&ctx.cell.key);
    ctx.with(|a| {
        a.consecutive_timeouts = 0;
        let accepted_ms = ctx.shared.now_ms();
        a.slot.serving(&conv, Since { accepted_ms, wrap_from_ms: None });
        let assignment = Assignment { skill: Arc::clone(&offer.skill), accepted_ms };
        a.assigned.insert(Arc::clone(&conv), assignment);
    });
    let (name, team) = ctx.with(|a| {
        let team = if a.team.is_empty() { offer.skill.to_string() } else { a.team.clone() };
        (a.name.clone(), team)
    });
    ctx.with(|a| a.emit(AgentEvent::Assigned { conversation: conv.to_string() }));
    // The queue owns the offer: it closes its ledger, tells the conversation, and the caller
    // is answered once the conversation is assigned (so a message sent right after `accept`
    // finds it so).
    let accepted = QueueCmd::Accepted {
        conv: Arc::clone(&conv),
        offer_id: offer.offer_id,
        agent,
        name,
        team,
        reply,
    };
    let _ = ctx.shared.queue(&offer.skill).push(accepted);
}

/// An offer ended unanswered (declined, expired, or the agent left): free the slot and report
/// to the queue, which returns the entry to its original position and tells the conversation.
fn end_offer(ctx: &Ctx<'_, AgentBehaviour>, conv: &Arc<str>, offer: &Offer, reason: ReleaseReason) {
    let outcome = match reason {
        ReleaseReason::Declined => OfferOutcome::Declined,
        ReleaseReason::Timeout => OfferOutcome::TimedOut,
        _ => OfferOutcome::Returned,
    };
    ctx.shared.stats.offer(outcome);
    let agent = Arc::clone(&ctx.cell.key);
    ctx.with(|a| {
        a.slot.release();
        a.emit(AgentEvent::Released { conversation: conv.to_string(), reason });
    });
    // The queue owns the offer: it puts the entry back and tells the conversation.
    let declined_by = (reason != ReleaseReason::Requeued).then_some(agent);
    let _ = ctx.shared.queue(&offer.skill).push(QueueCmd::Return {
        conv: Arc::clone(conv),
        offer_id: offer.offer_id,
        declined_by,
    });
}

/// The conversation no longer needs this agent: free its slot.
fn release(ctx: &Ctx<'_, AgentBehaviour>, conv: &Arc<str>, reason: ReleaseReason) {
    let now = ctx.shared.now_ms();
    let released = ctx.with(|a| {
        let held = a
            .assigned
            .remove(conv)
            .map(|held| (held, now))
            .or_else(|| a.wrapping.remove(conv).map(|w| (w.assignment, w.started_ms.min(now))));
        if held.is_some() {
            a.slot.served(conv);
            a.slot.release();
            a.emit(AgentEvent::Released { conversation: conv.to_string(), reason });
            if a.wrapping.is_empty() && a.slot.presence() == Presence::AfterWork {
                a.set_presence(Presence::Available);
            }
        }
        held
    });
    if let Some((assignment, chat_ended_ms)) = released {
        let handle_ms = now.saturating_sub(assignment.accepted_ms);
        let wrap_ms = now - chat_ended_ms;
        let _ = ctx.shared.queue(&assignment.skill).push(QueueCmd::Handled { handle_ms, wrap_ms });
        new_pull_round(ctx);
    }
}

/// The wrap-up timer ran out: close the conversation (it answers with a `Release`).
fn close_wrapped(ctx: &Ctx<'_, AgentBehaviour>, conv: &Arc<str>) {
    let close = ConvCmd::Close { resolution: "wrap_up_timeout".into(), csat: None, reply: None };
    if ctx.shared.tell_conversation(conv, close).is_err() {
        release(ctx, conv, ReleaseReason::Closed);
    }
}

fn logout(ctx: &Ctx<'_, AgentBehaviour>) {
    let (offers, assigned, wrapping) = ctx.with(|a| {
        a.set_presence(Presence::Offline);
        a.logged_out = true;
        (
            std::mem::take(&mut a.offers),
            std::mem::take(&mut a.assigned),
            std::mem::take(&mut a.wrapping),
        )
    });
    for (conv, offer) in &offers {
        end_offer(ctx, conv, offer, ReleaseReason::Requeued);
    }
    let agent = Arc::clone(&ctx.cell.key);
    let (requeued, wrapped) = (assigned.len(), wrapping.len());
    for conv in assigned.into_keys() {
        ctx.with(|a| {
            a.slot.served(&conv);
            a.slot.release();
            a.emit(AgentEvent::Released {
                conversation: conv.to_string(),
                reason: ReleaseReason::Requeued,
            });
        });
        // The conversation puts itself back at the front of its queue.
        let _ =
            ctx.shared.tell_conversation(&conv, ConvCmd::AgentGone { agent: Arc::clone(&agent) });
    }
    for conv in wrapping.into_keys() {
        // Its wrap-up is cut short, so there is no handle time to learn; the slot is free.
        ctx.with(|a| {
            a.slot.served(&conv);
            a.slot.release();
        });
        let close =
            ConvCmd::Close { resolution: "agent_logged_out".into(), csat: None, reply: None };
        let _ = ctx.shared.tell_conversation(&conv, close);
    }
    ctx.shared.board.logout(&agent);
    ctx.shared.agents.remove(&agent);
    record::forget(ctx.shared, &agent);
    let detail = format!(
        "{} offers returned, {} assigned requeued, {} wrap-ups closed",
        offers.len(),
        requeued,
        wrapped
    );
    ctx.shared.audit(AuditKind::AgentLogout, &agent, None, None, detail);
}

/// A slot may have freed: start asking queues again, best head first.
fn new_pull_round(ctx: &Ctx<'_, AgentBehaviour>) {
    ctx.with(|a| a.tried.clear());
    pull(ctx);
}

/// Asks the not-yet-tried queue with the best head for a customer, if a slot is free.
fn pull(ctx: &Ctx<'_, AgentBehaviour>) {
    let agent = Arc::clone(&ctx.cell.key);
    let target = ctx.with(|a| {
        let free = !a.logged_out
            && a.slot.presence() == Presence::Available
            && a.slot.used() < a.slot.capacity;
        if !free {
            a.tried.clear();
            return None;
        }
        // Its own skills' queues, and queues whose overflow rings reach its skills.
        let queues =
            a.slot.skills.iter().map(|(skill, _)| skill).chain(
                a.slot.skills.iter().flat_map(|(skill, _)| ctx.shared.overflow_sources(skill)),
            );
        let best = queues
            .filter(|skill| !a.tried.contains(skill))
            .filter_map(|skill| ctx.shared.head(skill).map(|head| (head, Arc::clone(skill))))
            .min();
        match best {
            Some((_, skill)) => {
                a.tried.push(Arc::clone(&skill));
                Some(skill)
            }
            None => {
                a.tried.clear();
                None
            }
        }
    });
    if let Some(skill) = target {
        let _ = ctx.shared.queue(&skill).push(QueueCmd::Pull { agent });
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

impl AgentState {
    /// What [`crate::engine::Engine::agent_view`] shows.
    pub(crate) fn view(&self) -> AgentView {
        AgentView {
            presence: self.slot.presence(),
            used_slots: self.slot.used(),
            capacity: self.slot.capacity,
            skills: self.slot.skills.iter().map(|(s, p)| (s.to_string(), *p)).collect(),
            offers: self.offers.keys().map(ToString::to_string).collect(),
            assigned: self.assigned.keys().map(ToString::to_string).collect(),
            wrapping: self.wrapping.keys().map(ToString::to_string).collect(),
        }
    }
}
