//! The agent's side: logging in and out, presence, answering offers, the chat, wrap-up and
//! hand-back.

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::actors::agent::{AgentCmd, AgentState};
use crate::actors::cell::Cell;
use crate::actors::conversation::ConvCmd;
use crate::actors::shared::Kind;
use crate::ids::IdKind;
use crate::routing::Presence;

use super::{AgentEvent, AgentLogin, Engine, EngineError, check_id};
impl Engine {
    /// Logs an agent in, `available`; returns its event subscription.
    pub fn agent_login(
        &self,
        login: AgentLogin,
    ) -> Result<broadcast::Receiver<AgentEvent>, EngineError> {
        self.running()?;
        check_id("an agent id", IdKind::Name, &login.id)?;
        if !(1..=100).contains(&login.capacity) {
            return Err(EngineError::InvalidInput("capacity must be in 1..=100".into()));
        }
        if login.skills.is_empty() {
            return Err(EngineError::InvalidInput("an agent needs at least one skill".into()));
        }
        for (skill, proficiency) in &login.skills {
            check_id("a skill", IdKind::Label, skill)?;
            if !(1..=5).contains(proficiency) {
                return Err(EngineError::InvalidInput(format!(
                    "proficiency in {skill} must be in 1..=5"
                )));
            }
        }
        for clearance in &login.clearances {
            check_id("a clearance", IdKind::Label, clearance)?;
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
        crate::actors::agent::record::persist(&self.shared, &state);
        let skills: Vec<String> = login.skills.iter().map(|(s, p)| format!("{s}:{p}")).collect();
        self.shared.audit(
            crate::journal::AuditKind::AgentLogin,
            &id,
            None,
            None,
            format!("skills {} capacity {}", skills.join(","), login.capacity),
        );
        self.shared.agents.insert(Arc::clone(&id), Cell::new(Arc::clone(&id), state));
        self.shared.request_spawn(Kind::Agent, id);
        Ok(events)
    }

    /// `available` or `away` (log out to go offline; `after_work` is the engine's).
    /// The presence is kept in the agent's session (with a data directory, across restarts).
    pub async fn set_presence(&self, agent: &str, presence: Presence) -> Result<(), EngineError> {
        self.ask_agent(agent, |reply| AgentCmd::SetPresence { presence, chosen: true, reply })
            .await?;
        self.written().await
    }

    /// The agent's desktop went away: `away` (no new offers) while it keeps what it holds,
    /// without changing the presence its session remembers for the reconnect.
    pub async fn agent_disconnected(&self, agent: &str) -> Result<(), EngineError> {
        self.ask_agent(agent, |reply| AgentCmd::SetPresence {
            presence: Presence::Away,
            chosen: false,
            reply,
        })
        .await
    }

    /// Logs an agent out (also what a disconnect does after the grace period): its offers go
    /// back to their place in the queue, its assigned conversations to the front. Answers
    /// once the session's end is in the journal.
    pub async fn logout(&self, agent: &str) -> Result<(), EngineError> {
        self.ask_agent(agent, |reply| AgentCmd::Logout { reply: Some(reply) }).await?;
        self.written().await
    }

    pub async fn accept(&self, agent: &str, conversation: &str) -> Result<(), EngineError> {
        self.ask_agent(agent, |reply| AgentCmd::Accept { conv: Arc::from(conversation), reply })
            .await
    }

    pub async fn decline(&self, agent: &str, conversation: &str) -> Result<(), EngineError> {
        self.ask_agent(agent, |reply| AgentCmd::Decline { conv: Arc::from(conversation), reply })
            .await
    }

    pub async fn agent_message(
        &self,
        agent: &str,
        conversation: &str,
        text: &str,
    ) -> Result<(), EngineError> {
        let at_ms = self.shared.now_ms();
        self.ask_conversation(conversation, |reply| ConvCmd::AgentMessage {
            agent: Arc::from(agent),
            text: text.to_owned(),
            at_ms,
            reply,
        })
        .await
    }

    /// The agent starts after-chat work: `after_work` until it closes or the timer runs out.
    pub async fn wrap_up(&self, agent: &str, conversation: &str) -> Result<(), EngineError> {
        self.ask_conversation(conversation, |reply| ConvCmd::WrapUp {
            agent: Arc::from(agent),
            reply,
        })
        .await
    }

    /// The agent hands the conversation back to the bot, which speaks again.
    pub async fn hand_back(&self, agent: &str, conversation: &str) -> Result<(), EngineError> {
        let agent = Arc::from(agent);
        self.ask_conversation(conversation, |reply| ConvCmd::HandBack { agent, reply }).await
    }
}
