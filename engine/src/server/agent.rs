//! An agent connection: an agent desktop authenticated by a signed token. The agent is logged
//! in on connect (or resumes its session when it reconnects within the grace period: its
//! offers and conversations wait for it), receives its own events only — offers with the
//! context packet, assignments, customer messages — and acts only on conversations offered
//! or assigned to it.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, broadcast};
use tokio::task::AbortHandle;

use super::auth::AgentClaims;
use super::conn::{Outbound, Session};
use super::protocol::{AgentRequest, ConversationStatus, ServerFrame, decode};
use super::{AgentEntry, AppState};
use crate::engine::{AgentEvent, AgentLogin, Engine, EngineError, ErrorCode, State};
use crate::routing::Presence;

/// One agent connection.
pub(crate) struct AgentSession {
    state: Arc<AppState>,
    agent: String,
    generation: u64,
    kick: Arc<Notify>,
    events: Option<broadcast::Receiver<AgentEvent>>,
    forwarder: Option<AbortHandle>,
}

impl AgentSession {
    /// Logs the agent in, or resumes its session if it is still logged in (a reconnect within
    /// the grace period); a connection already open for the agent is replaced.
    pub async fn connect(
        state: Arc<AppState>,
        claims: AgentClaims,
    ) -> Result<AgentSession, EngineError> {
        let engine = &state.engine;
        let kick = Arc::new(Notify::new());
        let generation = {
            let mut entry =
                state.agents.entry(claims.agent.clone()).or_insert_with(|| AgentEntry {
                    generation: 0,
                    connected: false,
                    kick: Arc::new(Notify::new()),
                    restore: None,
                });
            if entry.connected {
                entry.kick.notify_one();
            }
            entry.generation += 1;
            entry.connected = true;
            entry.kick = Arc::clone(&kick);
            (entry.generation, entry.restore.take())
        };
        let (generation, restore) = generation;
        let events = match engine.subscribe_agent(&claims.agent) {
            Ok(events) => {
                // Back within the grace period: as it was before the connection dropped.
                if let Some(presence) = restore
                    && engine
                        .agent_view(&claims.agent)
                        .is_some_and(|v| v.presence == Presence::Away)
                {
                    engine.set_presence(&claims.agent, presence).await?;
                }
                events
            }
            Err(_) => {
                let login = AgentLogin {
                    id: claims.agent.clone(),
                    name: claims.name,
                    team: claims.team,
                    skills: claims.skills,
                    capacity: claims.capacity,
                    clearances: claims.clearances,
                };
                match engine.agent_login(login) {
                    Ok(events) => events,
                    Err(e) => {
                        state
                            .agents
                            .remove_if(&claims.agent, |_, entry| entry.generation == generation);
                        return Err(e);
                    }
                }
            }
        };
        Ok(AgentSession {
            state,
            agent: claims.agent,
            generation,
            kick,
            events: Some(events),
            forwarder: None,
        })
    }

    fn engine(&self) -> &Engine {
        &self.state.engine
    }

    /// The agent acts on a conversation it does not hold.
    fn not_yours(&self, conversation: &str) -> EngineError {
        self.engine().audit(
            crate::journal::AuditKind::AuthRefused,
            &self.agent,
            Some(conversation),
            "acted on a conversation not offered or assigned to it".into(),
        );
        EngineError::NotAssigned {
            agent: self.agent.clone(),
            conversation: conversation.to_owned(),
        }
    }

    /// Offered, assigned or wrapping up with this agent: what it may read.
    fn sees(&self, conversation: &str) -> bool {
        self.engine().agent_view(&self.agent).is_some_and(|v| {
            v.offers.iter().chain(&v.assigned).chain(&v.wrapping).any(|c| c == conversation)
        })
    }

    fn holds(&self, conversation: &str) -> bool {
        self.engine()
            .agent_view(&self.agent)
            .is_some_and(|v| v.assigned.iter().chain(&v.wrapping).any(|c| c == conversation))
    }
}

impl Session for AgentSession {
    const ROLE: &'static str = "agent";

    /// Sends the agent's current conversations, then forwards its events.
    fn started(&mut self, out: &Outbound) {
        let mut conversations = Vec::new();
        if let Some(view) = self.engine().agent_view(&self.agent) {
            for (ids, state) in [
                (&view.offers, State::Offered),
                (&view.assigned, State::Assigned),
                (&view.wrapping, State::WrapUp),
            ] {
                for id in ids {
                    conversations.push(ConversationStatus {
                        conversation: id.clone(),
                        state,
                        position: None,
                        estimate_ms: None,
                        turns: None,
                    });
                }
            }
        }
        out.send(&ServerFrame::State { reference: None, conversations, errors: Vec::new() });
        if let Some(mut events) = self.events.take() {
            let out = out.clone();
            let task = tokio::spawn(async move {
                loop {
                    match events.recv().await {
                        Ok(event) => out.send(&ServerFrame::AgentEvent { event: Arc::new(event) }),
                        Err(broadcast::error::RecvError::Lagged(missed)) => {
                            out.error(
                                None,
                                ErrorCode::EventsLost,
                                format!("{missed} events were dropped; reconnect to resync"),
                                None,
                            );
                        }
                        Err(broadcast::error::RecvError::Closed) => break,
                    }
                }
            });
            self.forwarder = Some(task.abort_handle());
        }
    }

    fn kicked(&self) -> Option<Arc<Notify>> {
        Some(Arc::clone(&self.kick))
    }

    async fn handle(&mut self, bytes: &[u8], binary: bool, out: &Outbound) {
        let request: AgentRequest = match decode(bytes, binary) {
            Ok(request) => request,
            Err(bad) => return out.error(bad.reference, bad.code, bad.message, None),
        };
        // Acting on a conversation the agent does not hold is refused before the engine sees
        // it, so the answer says nothing about the conversation (not even its state).
        if let AgentRequest::Message { reference, conversation, .. }
        | AgentRequest::WrapUp { reference, conversation }
        | AgentRequest::HandBack { reference, conversation }
        | AgentRequest::Close { reference, conversation, .. }
        | AgentRequest::Feedback { reference, conversation, .. } = &request
            && !self.holds(conversation)
        {
            return out.engine_error(
                reference.clone(),
                &self.not_yours(conversation),
                Some(conversation),
            );
        }
        let engine = self.engine().clone();
        let agent = self.agent.clone();
        let ok = |reference, conversation: Option<String>| ServerFrame::Ok {
            reference,
            conversation,
            state: None,
        };
        let (reference, conversation, result) = match request {
            AgentRequest::Presence { reference, presence } => {
                (reference, None, engine.set_presence(&agent, presence).await)
            }
            AgentRequest::Accept { reference, conversation } => {
                let result = engine.accept(&agent, &conversation).await;
                (reference, Some(conversation), result)
            }
            AgentRequest::Decline { reference, conversation } => {
                let result = engine.decline(&agent, &conversation).await;
                (reference, Some(conversation), result)
            }
            AgentRequest::Message { reference, conversation, text } => {
                let max = self.state.settings.max_text_bytes;
                if text.len() > max {
                    let message = format!("text of {} bytes; at most {max}", text.len());
                    return out.error(
                        reference,
                        ErrorCode::TextTooLong,
                        message,
                        Some(conversation),
                    );
                }
                let result = engine.agent_message(&agent, &conversation, &text).await;
                if result.is_ok() {
                    crate::telemetry::record_message("agent");
                }
                (reference, Some(conversation), result)
            }
            AgentRequest::WrapUp { reference, conversation } => {
                let result = engine.wrap_up(&agent, &conversation).await;
                (reference, Some(conversation), result)
            }
            AgentRequest::HandBack { reference, conversation } => {
                let result = engine.hand_back(&agent, &conversation).await;
                (reference, Some(conversation), result)
            }
            AgentRequest::Close { reference, conversation, resolution } => {
                let resolution = resolution.unwrap_or_else(|| "closed by agent".into());
                let result = engine.close(&conversation, &resolution, None).await.map(drop);
                (reference, Some(conversation), result)
            }
            AgentRequest::Feedback { reference, conversation, verdict } => {
                // Only on a conversation the agent holds (up to the end of its wrap-up).
                let (reason, topic) = engine.handoff_labels(&conversation);
                crate::telemetry::record_feedback(verdict.as_str(), reason, topic);
                (reference, Some(conversation), Ok(()))
            }
            AgentRequest::Transcript { reference, conversation } => {
                if !self.sees(&conversation) {
                    return out.engine_error(
                        reference,
                        &self.not_yours(&conversation),
                        Some(&conversation),
                    );
                }
                match engine.transcript_for_agent(&conversation, &self.agent) {
                    Ok(turns) => {
                        return out.send(&ServerFrame::Transcript {
                            reference,
                            conversation,
                            turns,
                        });
                    }
                    Err(e) => (reference, Some(conversation), Err(e)),
                }
            }
            AgentRequest::Logout { reference } => {
                // Forget the session first, so the disconnect that follows starts no grace timer.
                self.state.agents.remove_if(&agent, |_, e| e.generation == self.generation);
                match engine.logout(&agent).await {
                    Ok(()) => {
                        out.send(&ok(reference, None));
                        return out.close(super::close::NORMAL, "logged out");
                    }
                    Err(e) => (reference, None, Err(e)),
                }
            }
            AgentRequest::Ping { reference } => return out.send(&ServerFrame::Pong { reference }),
        };
        match result {
            Ok(()) => out.send(&ok(reference, conversation)),
            Err(e) => out.engine_error(reference, &e, conversation.as_deref()),
        }
    }

    /// A disconnected agent keeps its session for the grace period (away: no new offers);
    /// if it does not come back, it is logged out and its conversations requeued.
    async fn closed(self, replaced: bool) {
        if let Some(forwarder) = self.forwarder {
            forwarder.abort();
        }
        if replaced {
            return;
        }
        let still_mine = |state: &AppState| {
            state.agents.get(&self.agent).is_some_and(|e| e.generation == self.generation)
        };
        if let Some(mut entry) = self.state.agents.get_mut(&self.agent)
            && entry.generation == self.generation
        {
            entry.connected = false;
        }
        if !still_mine(&self.state) {
            return;
        }
        let before = self.state.engine.agent_view(&self.agent).map(|v| v.presence);
        if before.is_some_and(|p| p != Presence::Away) {
            if let Some(mut entry) = self.state.agents.get_mut(&self.agent)
                && entry.generation == self.generation
            {
                entry.restore = before;
            }
            let _ = self.state.engine.agent_disconnected(&self.agent).await;
        }
        arm_grace(Arc::clone(&self.state), self.agent, self.generation);
    }
}

/// Logs the agent out when the grace period ends, unless a connection came back meanwhile
/// (the session's generation moved on).
fn arm_grace(state: Arc<AppState>, agent: String, generation: u64) {
    let grace = Duration::from_secs(state.settings.agent_resume_grace_s);
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        let expired = state
            .agents
            .remove_if(&agent, |_, e| e.generation == generation && !e.connected)
            .is_some();
        if expired {
            let _ = state.engine.logout(&agent).await;
        }
    });
}

/// Sessions the engine recovered from its journal wait, disconnected, for their desktops for
/// one grace period, as if their connections had just dropped.
pub(crate) fn await_recovered(state: &Arc<AppState>) {
    for (agent, presence) in &state.engine.recovered().agents {
        state.agents.insert(
            agent.clone(),
            AgentEntry {
                generation: 0,
                connected: false,
                kick: Arc::new(Notify::new()),
                restore: Some(*presence),
            },
        );
        arm_grace(Arc::clone(state), agent.clone(), 0);
    }
}
