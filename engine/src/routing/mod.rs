//! Routing primitives, pure or lock-free: the order of a skill queue (priority with aging as a
//! time-invariant key), the agent-selection strategies, and the [`AgentBoard`] on which skill
//! queues claim agent slots by compare-and-swap.

mod board;
mod select;

pub use board::{AgentBoard, AgentSlot, Presence, SlotView};
pub use select::{QueueKey, Strategy, rank_candidates};
