//! Routing primitives: the order of a skill queue (priority with aging as a time-invariant
//! key) and its ranks ([`ranked::Ranked`]), the agent-selection strategies, the [`AgentBoard`]
//! on which skill queues claim agent slots by compare-and-swap, and each skill's
//! [`SkillIndex`] of the agents who could take a customer now, in the strategy's order.

mod config;
mod index;
mod offer;
pub mod ranked;
mod select;
mod slots;

pub use config::{Handoff, QueueConfig, Ring, RoutingConfig};
pub use index::{Found, RankKey, SkillIndex, SkillNo};
pub use offer::OfferOutcome;
pub use select::{QueueKey, Strategy, rank_candidates};
pub use slots::{AgentBoard, AgentSlot, AlreadyLoggedIn, Presence, SlotView};
