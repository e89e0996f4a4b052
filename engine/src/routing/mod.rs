//! Routing primitives: the order of a skill queue (priority with aging as a time-invariant
//! key) and its ranks ([`ranked::Ranked`]), the agent-selection strategies, the [`AgentBoard`]
//! on which skill queues claim agent slots by compare-and-swap, and each skill's
//! [`SkillIndex`] of the agents who could take a customer now, in the strategy's order, with
//! the conversations in service in their slots ([`InService`]).

mod config;
mod index;
mod offer;
pub mod ranked;
mod select;
mod service;
mod sketch;
mod slots;

pub use config::{Handoff, QueueConfig, Ring, RoutingConfig};
pub use index::{Found, RankKey, SkillIndex, SkillNo};
pub use offer::OfferOutcome;
pub use select::{QueueKey, Strategy, rank_candidates};
pub use service::{Ages, InService, Since};
pub use sketch::KeySketch;
pub use slots::{AgentBoard, AgentSlot, AlreadyLoggedIn, Presence, SlotView};

/// A small deterministic generator (xorshift) for the routing tests: no dependency.
#[cfg(test)]
mod test_rng {
    pub struct Rng(pub u64);

    impl Rng {
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        pub fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }
}
