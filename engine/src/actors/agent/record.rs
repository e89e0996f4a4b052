//! An agent's session in the journal: who is logged in, with which skills, capacity and
//! clearances, and the presence it chose. Written at login and whenever the chosen presence
//! changes, deleted at logout. What the agent holds is not copied here: each conversation's
//! record names its agent, so recovery hands the agent back its conversations from them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::AgentState;
use crate::actors::shared::Shared;
use crate::journal::{Durability, Op, Space, encode};
use crate::routing::{Presence, Since};

/// An agent's session as the journal keeps it (key: agent id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AgentRecord {
    pub id: String,
    pub name: String,
    pub team: String,
    pub skills: Vec<(String, u8)>,
    pub capacity: u32,
    pub clearances: Vec<String>,
    /// `available` or `away`, as the agent (or the engine, after missed offers) chose it; a
    /// disconnect's away is not a choice and is not written.
    pub presence: Presence,
}

impl AgentState {
    fn record(&self) -> AgentRecord {
        let slot = &self.slot;
        AgentRecord {
            id: slot.id.to_string(),
            name: self.name.clone(),
            team: self.team.clone(),
            skills: slot.skills.iter().map(|(s, p)| (s.to_string(), *p)).collect(),
            capacity: slot.capacity,
            clearances: slot.clearances.iter().map(ToString::to_string).collect(),
            presence: self.chosen,
        }
    }
}

/// Writes the agent's session as it now is.
pub(crate) fn persist(shared: &Shared, agent: &AgentState) {
    if !shared.journal.is_durable() {
        return;
    }
    let record = agent.record();
    let op = Op::put(Space::Agents, record.id.as_bytes(), encode(&record));
    shared.journal.write(vec![op], Durability::Os);
}

/// The agent logged out: its session is gone.
pub(crate) fn forget(shared: &Shared, agent: &Arc<str>) {
    if shared.journal.is_durable() {
        shared.journal.write(vec![Op::delete(Space::Agents, agent.as_bytes())], Durability::Os);
    }
}

/// A conversation whose record names this agent: assigned, or in wrap-up.
pub(crate) struct Held {
    pub conv: Arc<str>,
    pub wrapping: bool,
    /// The queue it came through.
    pub skill: Arc<str>,
    pub accepted_ms: u64,
    /// In wrap-up: when it started (engine clock), if the record says.
    pub wrap_started_ms: Option<u64>,
}

/// Puts a recovered session back on the board, away until its desktop reconnects, holding
/// the conversations whose records name the agent (a wrap-up keeps its deadline). Returns
/// the conversations it holds; any it cannot (no slot left) are the caller's to requeue.
pub(crate) fn restore(
    shared: &Shared,
    record: AgentRecord,
    held: Vec<Held>,
) -> Result<Vec<Arc<str>>, crate::routing::AlreadyLoggedIn> {
    let skills: Vec<(Arc<str>, u8)> =
        record.skills.iter().map(|(s, p)| (Arc::from(s.as_str()), *p)).collect();
    for (skill, _) in &skills {
        shared.queue(skill);
    }
    let clearances = record.clearances.iter().map(|c| Arc::from(c.as_str())).collect();
    let now = shared.now_ms();
    let slot = shared.board.login(&record.id, skills, clearances, record.capacity, now)?;
    let buffer = shared.config().engine.event_buffer;
    let mut state = AgentState::new(Arc::clone(&slot), record.name, record.team, buffer);
    state.chosen = record.presence;
    let wrap_ms = shared.config().routing.wrap_up_s.saturating_mul(1000);
    let mut kept = Vec::with_capacity(held.len());
    for held in held {
        // Available until every held conversation has its slot back, then away.
        if !slot.try_claim(now) {
            continue;
        }
        let assignment = super::Assignment { skill: held.skill, accepted_ms: held.accepted_ms };
        // The skills' wait models see the slot busy since the accept, as before the restart.
        let wrap_from_ms = held.wrapping.then(|| held.wrap_started_ms.unwrap_or(now));
        slot.serving(&held.conv, Since { accepted_ms: held.accepted_ms, wrap_from_ms });
        if let Some(started_ms) = wrap_from_ms {
            let deadline_ms = started_ms + wrap_ms;
            let wrapping =
                super::Wrapping { assignment, started_ms, deadline_ms, close_requested: false };
            state.wrapping.insert(Arc::clone(&held.conv), wrapping);
        } else {
            state.assigned.insert(Arc::clone(&held.conv), assignment);
        }
        kept.push(held.conv);
    }
    slot.set_presence(Presence::Away);
    let id = Arc::clone(&slot.id);
    shared.agents.insert(Arc::clone(&id), crate::actors::cell::Cell::new(id, state));
    Ok(kept)
}
