//! The actor runtime: one supervised actor per conversation, per logged-in agent and per skill
//! queue, each working on a durable [`cell`] (record + inbox) that outlives it. The
//! [`crate::engine::Engine`] handle pushes commands into cells and waits on one-shot replies;
//! actors tell each other by pushing commands too, never by waiting.
//!
//! `conversation.rs`, `agent.rs` and `queue.rs` are the three behaviours (each owns its
//! state and builds the views of it); `lifecycle.rs` is the conversation's state machine,
//! the only place a state changes; `supervisor.rs` restarts what panics; `shared.rs` holds
//! the registries, boards and counters every actor reads.

pub(crate) mod actor;
pub(crate) mod agent;
pub(crate) mod cell;
pub(crate) mod conversation;
mod error;
mod events;
pub mod lifecycle;
pub(crate) mod queue;
pub(crate) mod recovery;
pub(crate) mod shared;
mod store;
pub(crate) mod supervisor;
pub(crate) mod timers;

pub use agent::AgentView;
pub use error::{EngineError, ErrorCode};
pub use events::{
    AgentEvent, CallbackTicket, ContextPacket, ConversationEvent, CustomerInfo, ReleaseReason,
    Role, Turn,
};
pub use lifecycle::State;
pub use queue::{QueueView, WaitingView};
pub use recovery::Recovered;
pub use shared::EngineStats;
pub use store::{CallbackStore, MemoryCallbackStore};
pub(crate) use store::{JournaledCallbacks, JournaledDirectory, restore_stores};
