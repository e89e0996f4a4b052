//! Start-up from the journal: every conversation, queue entry, callback ticket and customer
//! the store holds is put back before the supervisors start, so they adopt the cells as if
//! the actors had only restarted.
//!
//! What was in flight is settled through the state machine, by the same commands the
//! running engine uses: an offered customer's offer ended (`OfferEnded`: back at their place,
//! or to `callback_scheduled` with a ticket). Agents' sessions come back away, holding the
//! conversations assigned to them or in wrap-up, until their desktops reconnect; an assigned
//! customer whose agent's session did not come back has lost the agent (`AgentGone`: to the
//! front of the queue), and a wrap-up without its agent is closed. A waiting customer whose queue entry was not written yet is queued
//! again with their original time; an entry whose conversation is not waiting is dropped.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::agent::{self, record::AgentRecord, record::Held};
use super::cell::Cell;
use super::conversation::{ConvCmd, ConvRecord, ConvState, Escalation, latest_signals, read_turns};
use super::lifecycle::State;
use super::queue::{LearnedRecord, QueueCmd, QueueRecord, learned_prefix};
use super::shared::Shared;
use crate::journal::{Backend, Op, Space, StoreError, decode, encode};
use crate::routing::{Presence, QueueKey};
use crate::sentiment::{ConversationSignals, Customer};

/// The meta record holding the wall-clock time (Unix ms) the store's engine clock started.
const CLOCK_ORIGIN: &[u8] = b"clock_origin_unix_ms";

/// What recovery found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// Live conversations put back, and finished ones remembered.
    pub conversations: usize,
    pub finished: usize,
    /// Queue entries put back at their place.
    pub queued: usize,
    /// Records that no longer fit the rest and were dropped (each logged).
    pub dropped: usize,
    pub turns: usize,
    /// Agents' sessions put back, away until their desktops reconnect, with the presence
    /// each had chosen (the server logs out those that do not reconnect within the grace).
    pub agents: Vec<(String, Presence)>,
}

/// The conversations and queue entries the store holds, decoded once (the clock and the
/// recovery both read them). Corrupt records stop the start with an error naming them.
pub(crate) struct Stored {
    conversations: Vec<ConvRecord>,
    queue: Vec<(Vec<u8>, QueueRecord)>,
    agents: Vec<AgentRecord>,
    learned: Vec<LearnedRecord>,
}

pub(crate) fn read(backend: &dyn Backend) -> Result<Stored, StoreError> {
    let mut conversations = Vec::new();
    for (key, value) in backend.scan(Space::Conversations, &[])? {
        conversations.push(decode(Space::Conversations, &key, &value)?);
    }
    let mut queue = Vec::new();
    for (key, value) in backend.scan(Space::Queue, &[])? {
        let record = decode(Space::Queue, &key, &value)?;
        queue.push((key, record));
    }
    let mut agents = Vec::new();
    for (key, value) in backend.scan(Space::Agents, &[])? {
        agents.push(decode(Space::Agents, &key, &value)?);
    }
    let mut learned = Vec::new();
    for (key, value) in backend.scan(Space::Meta, &learned_prefix())? {
        learned.push(decode(Space::Meta, &key, &value)?);
    }
    Ok(Stored { conversations, queue, agents, learned })
}

/// The engine clock at this start: where the wall clock says the store's clock stands, and
/// never before a time the store already holds, so a clock set back cannot make new entries
/// older than old ones. A new store records its origin now. `now` is the wall clock, Unix
/// milliseconds.
pub(crate) fn clock_base(
    backend: &dyn Backend,
    now: u64,
    stored: &Stored,
) -> Result<u64, StoreError> {
    match backend.get(Space::Meta, CLOCK_ORIGIN)? {
        Some(bytes) => {
            let origin: u64 = decode(Space::Meta, CLOCK_ORIGIN, &bytes)?;
            let conversations = stored
                .conversations
                .iter()
                .map(|r| r.opened_ms.max(r.handoff.queued_at_ms.unwrap_or(0)));
            let entries = stored.queue.iter().map(|(_, r)| r.enqueued_ms);
            let latest = conversations.chain(entries).max().unwrap_or(0);
            Ok(now.saturating_sub(origin).max(latest.saturating_add(1)))
        }
        None => {
            backend.apply(&[Op::put(Space::Meta, CLOCK_ORIGIN, encode(&now))], true)?;
            Ok(0)
        }
    }
}

/// Agents' sessions back on the board, each holding the conversations whose records name it;
/// returns those conversations. A session that cannot come back is dropped with a log line
/// (its conversations then go back to the queue, as if the agent had left).
fn restore_agents(shared: &Shared, stored: &Stored, found: &mut Recovered) -> HashSet<Arc<str>> {
    let mut held: HashMap<&str, Vec<Held>> = HashMap::new();
    for record in &stored.conversations {
        let wrapping = match record.state {
            State::Assigned => false,
            State::WrapUp => true,
            _ => continue,
        };
        let (Some(agent), Some(escalation)) = (&record.handoff.agent, &record.handoff.escalation)
        else {
            continue;
        };
        held.entry(agent).or_default().push(Held {
            conv: Arc::from(record.id.as_str()),
            wrapping,
            skill: Arc::clone(&escalation.skill),
            accepted_ms: record.improvement.assigned_ms.unwrap_or(record.opened_ms),
            wrap_started_ms: record.handoff.wrap_started_ms,
        });
    }
    let mut kept = HashSet::new();
    for record in &stored.agents {
        let presence = record.presence;
        let id = record.id.clone();
        let holds = held.remove(id.as_str()).unwrap_or_default();
        match agent::record::restore(shared, record.clone(), holds) {
            Ok(convs) => {
                kept.extend(convs);
                found.agents.push((id, presence));
            }
            Err(e) => {
                tracing::warn!("recovery: dropping the session of agent {id}: {e}");
                found.dropped += 1;
            }
        }
    }
    kept
}

/// Puts the journal's conversations and queues back into `shared` (before its supervisors
/// start). Records that no longer fit the rest are dropped with a log line, never silently.
pub(crate) fn recover(
    shared: &Shared,
    backend: &dyn Backend,
    stored: Stored,
) -> Result<Recovered, StoreError> {
    let mut found = Recovered::default();
    let mut seen_seq = 0;
    // Waiting customers: where they wait, and since when.
    let mut waiting: Vec<(Arc<str>, Option<Box<Escalation>>, u64)> = Vec::new();
    let topics = shared.decider.policy().topic_count();
    let buffer = shared.config().engine.event_buffer;
    let tail = shared.config().context.max_transcript_turns + 2;
    let kept = restore_agents(shared, &stored, &mut found);
    // What the queues had learned: their estimators go on from it.
    for record in &stored.learned {
        let learned = record.clone();
        shared.queue(&record.skill).with(|q| q.restore_learned(learned));
    }
    for record in stored.conversations {
        let id: Arc<str> = Arc::from(record.id.as_str());
        seen_seq = seen_seq.max(record.handoff.offer_id);
        if record.state.is_terminal() {
            shared.remember_finished(&id, record.state);
            found.finished += 1;
            continue;
        }
        crate::journal::fault::point("recovery.conversation");
        let turns = read_turns(backend, &record.id)?;
        found.turns += turns.len();
        let customer =
            Customer { tier: record.customer.tier, prior_contacts: record.customer.prior_contacts };
        let opened_at = shared.instant_at(record.opened_ms);
        let signals = Arc::new(ConversationSignals::restore(
            customer,
            opened_at,
            latest_signals(&record, &turns),
            topics,
        ));
        shared.signals.restore(Arc::clone(&id), Arc::clone(&signals));
        let fixup = match record.state {
            State::Offered => Some(ConvCmd::OfferEnded { offer_id: record.handoff.offer_id }),
            // Its agent's session came back holding it: it waits for the desktop to reconnect.
            State::Assigned | State::WrapUp if kept.contains(&*id) => None,
            State::Assigned => {
                record.handoff.agent.clone().map(|agent| ConvCmd::AgentGone { agent })
            }
            State::WrapUp => Some(ConvCmd::Close {
                resolution: "closed at restart during wrap-up".to_owned(),
                csat: None,
                reply: None,
            }),
            _ => None,
        };
        if matches!(record.state, State::Queued | State::CallbackScheduled | State::Offered) {
            let since = record.handoff.queued_at_ms.unwrap_or(record.opened_ms);
            waiting.push((Arc::clone(&id), record.handoff.escalation.clone(), since));
        }
        let mut state = ConvState::restore(record, turns, signals, buffer);
        // A long transcript keeps only its window in memory (all of it is in the store).
        state.transcript.trim(tail);
        let cell = Cell::counting(Arc::clone(&id), state, &shared.stats.hibernating);
        if let Some(command) = fixup {
            // Handled first when the actor starts.
            let _ = cell.push(command);
        }
        shared.conversations.insert(id, cell);
        found.conversations += 1;
    }

    // A ticket is the conversation's only while its record holds it (a crash between the
    // ticket's write and the record's, before the customer was told, leaves a stray one).
    for ticket in shared.callbacks.all() {
        let held = shared.conversations.get(ticket.id.as_str()).is_some_and(|cell| {
            cell.with(|c| c.handoff.callback.as_ref().is_some_and(|t| t.id == ticket.id))
        });
        if !held {
            tracing::warn!(
                "recovery: dropping the callback ticket of {}: no conversation holds it",
                ticket.id
            );
            shared.callbacks.remove(&ticket.id);
            found.dropped += 1;
        }
    }

    let live: HashSet<&str> = waiting.iter().map(|(id, _, _)| &**id).collect();
    let mut entered: HashSet<String> = HashSet::new();
    let mut drops = Vec::new();
    for (key, record) in stored.queue {
        seen_seq = seen_seq.max(record.seq);
        if !live.contains(record.conv.as_str()) || entered.contains(&record.conv) {
            tracing::warn!(
                "recovery: dropping the queue entry of {} in {}: the conversation is not waiting",
                record.conv,
                record.skill
            );
            drops.push(Op::delete(Space::Queue, key));
            found.dropped += 1;
            continue;
        }
        entered.insert(record.conv.clone());
        shared.queue(&record.skill).with(|q| q.restore(record));
        found.queued += 1;
    }
    shared.advance_seq(seen_seq);

    // Waiting customers whose entry had not been written: queued again, at their time.
    let aging_ms = shared.config().routing.aging_s_per_priority.saturating_mul(1000);
    for (id, escalation, at) in waiting {
        if entered.contains(&*id) {
            continue;
        }
        let Some(escalation) = escalation else { continue };
        let key = QueueKey::new(at, escalation.priority, aging_ms, shared.next_seq());
        tracing::warn!("recovery: {id} was waiting without a queue entry; queued again");
        let restricted = escalation.restricted;
        let _ =
            shared.queue(&escalation.skill).push(QueueCmd::Enqueue { conv: id, key, restricted });
        found.queued += 1;
    }
    if !drops.is_empty() {
        backend.apply(&drops, false)?;
    }
    Ok(found)
}
