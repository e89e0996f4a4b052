//! The `[routing]` section and `[[queues]]` (overflow rings, hand-off style per skill).

use serde::{Deserialize, Serialize};

use super::Strategy;

/// How skill queues choose agents and customers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingConfig {
    /// Among several agents that fit: `longest_idle`, `least_occupied`, `highest_proficiency`.
    pub strategy: Strategy,
    /// Seconds of waiting worth one priority point (aging).
    pub aging_s_per_priority: u64,
    /// Seconds an agent has to accept an offer.
    pub offer_timeout_s: u64,
    /// Consecutive offer timeouts after which an agent is set `away`.
    pub max_consecutive_timeouts: u32,
    /// Seconds of after-chat work before a wrapped-up conversation closes by itself.
    pub wrap_up_s: u64,
    /// Handle time assumed for a queue before any conversation of it was handled.
    pub initial_handle_s: u64,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        RoutingConfig {
            strategy: Strategy::LongestIdle,
            aging_s_per_priority: 60,
            offer_timeout_s: 30,
            max_consecutive_timeouts: 3,
            wrap_up_s: 30,
            initial_handle_s: 240,
        }
    }
}

/// One skill queue's overflow rings (bullseye routing): a waiting customer becomes visible to
/// the next ring's agents when its timer expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueConfig {
    pub skill: String,
    /// Ascending by `after_s`, the first at 0.
    pub rings: Vec<Ring>,
    /// `warm` (default): the packet opens with a summary; `cold`: transcript and facts only.
    #[serde(default)]
    pub handoff: Handoff,
}

/// Who may take a customer once it has waited `after_s`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ring {
    pub after_s: u64,
    /// Lowest proficiency in the queue's skill.
    #[serde(default = "one")]
    pub min_proficiency: u8,
    /// Agents with any of these skills (any proficiency) may take the customer too; later
    /// rings keep the skills earlier rings added.
    #[serde(default)]
    pub extra_skills: Vec<String>,
}

fn one() -> u8 {
    1
}

/// How a queue hands conversations over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handoff {
    #[default]
    Warm,
    Cold,
}
