//! What the engine tells subscribers, per conversation and per agent, and the context packet
//! an agent receives with an offer. Subscriptions are bounded broadcast channels: a slow
//! subscriber misses events (and is told how many) rather than slowing the engine.

use std::sync::Arc;

use serde::Serialize;

use super::lifecycle::State;
use crate::escalation::Reason;
use crate::routing::Presence;

pub use crate::context::{ContextPacket, CustomerInfo, Role, Turn};

/// A callback the customer accepted: kept in a [`super::CallbackStore`] until an agent takes
/// it or the customer cancels it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CallbackTicket {
    /// The conversation's id.
    pub id: String,
    pub customer: CustomerInfo,
    pub topic: Option<String>,
    pub skill: String,
    pub priority: u8,
    pub packet: ContextPacket,
    /// Engine-clock milliseconds: when it was accepted, and by when an agent should call.
    pub created_ms: u64,
    pub promised_by_ms: u64,
}

/// Events of one conversation (for the chat front end).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ConversationEvent {
    /// The decider escalated (or the customer pressed "talk to a human").
    Escalated { reason: Reason, skill: String, priority: u8 },
    /// The bot must stop answering: a handoff has started.
    BotSilenced,
    /// The bot may answer again (handed back).
    BotResumed,
    /// The conversation's state changed.
    StateChanged { state: State },
    /// The customer's place in line and expected wait: on handoff, then whenever either
    /// changes materially (at most every `messages.update_every_s`).
    Waiting { position: usize, estimate_ms: Option<u64>, message: String },
    /// The wait is long: the customer may take a callback instead (`accept_callback`).
    CallbackOffered { estimate_ms: Option<u64>, message: String },
    /// The customer took the callback: an agent will contact them by `promised_by_ms`.
    CallbackScheduled { promised_by_ms: u64, message: String },
    /// An agent accepted and joined.
    AgentJoined { agent: String, name: String, message: String },
    /// An agent wrote to the customer.
    AgentMessage { agent: String, text: String },
}

/// Why an agent lost a conversation or an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseReason {
    /// The customer left or the conversation was closed.
    Closed,
    /// The offer timed out.
    Timeout,
    /// The agent declined.
    Declined,
    /// The agent handed the conversation back to the bot.
    HandedBack,
    /// The agent went offline; the conversation went back to the queue.
    Requeued,
}

/// Events of one agent (for the agent desktop).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentEvent {
    Offer { conversation: String, packet: Arc<ContextPacket>, expires_in_ms: u64 },
    Assigned { conversation: String },
    Released { conversation: String, reason: ReleaseReason },
    CustomerMessage { conversation: String, text: String },
    PresenceChanged { presence: Presence },
}
