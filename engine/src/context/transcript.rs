//! The transcript as the engine keeps it and the packet shows it: turns, who said them, and
//! the customer they belong to.

use serde::Serialize;

use crate::escalation::Tier;

/// Who said a line of the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Bot,
    Agent,
    /// A note from Baton in a context packet (where turns were left out).
    System,
}

/// One line of the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Turn {
    pub role: Role,
    pub text: String,
    /// Milliseconds on the engine clock.
    pub at_ms: u64,
}

/// The customer as the packet shows them.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CustomerInfo {
    pub id: String,
    pub tier: Tier,
    pub channel: String,
    pub prior_contacts: u32,
}
