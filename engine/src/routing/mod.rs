//! Routing primitives, pure or lock-free: the order of a skill queue (priority with aging as a
//! time-invariant key), the agent-selection strategies, and the [`AgentBoard`] on which skill
//! queues claim agent slots by compare-and-swap.

mod config;
mod offer;
mod select;
mod slots;

pub use config::{Handoff, QueueConfig, Ring, RoutingConfig};
pub use offer::OfferOutcome;
pub use select::{QueueKey, Strategy, rank_candidates};
pub use slots::{AgentBoard, AgentSlot, AlreadyLoggedIn, Presence, SlotView};
