//! The `[messages]` section (what waiting customers are told, and the wait bands) and
//! `[callback]` (when a callback is offered instead of waiting).

use serde::{Deserialize, Serialize};

/// What the customer is told while waiting, in the same thread. Placeholders: `{position}`
/// (1 = next), `{queue}` (the skill), `{wait}` (a band from `bands`), `{agent}`, `{team}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MessagesConfig {
    /// On handoff, when the customer has to wait.
    pub queued: String,
    /// On handoff, when an agent is free now.
    pub queued_now: String,
    /// When the position or the wait band changes (at most every `update_every_s`).
    pub update: String,
    /// When an agent accepts.
    pub agent_joined: String,
    /// When the wait is long enough to offer a callback.
    pub callback_offer: String,
    /// When the customer accepted a callback.
    pub callback_scheduled: String,
    /// Seconds between two updates to the same customer, at least.
    pub update_every_s: u64,
    /// Wait bands, ascending: a wait up to `up_to_s` is described as `text`.
    pub bands: Vec<WaitBand>,
    /// A wait beyond the last band.
    pub beyond: String,
    /// A wait nobody can estimate (no agent staffed for the skill).
    pub unknown: String,
}

/// One wait band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitBand {
    pub up_to_s: u64,
    pub text: String,
}

impl Default for MessagesConfig {
    fn default() -> Self {
        let band = |up_to_s, text: &str| WaitBand { up_to_s, text: text.into() };
        MessagesConfig {
            queued: "Thanks for waiting. You're number {position} in line for our {queue} team; the wait is {wait}.".into(),
            queued_now: "Connecting you to our {queue} team now.".into(),
            update: "You're now number {position} in line; the wait is {wait}.".into(),
            agent_joined: "{agent} from our {team} team has joined the conversation.".into(),
            callback_offer: "The wait is {wait}. Would you rather we called you back?".into(),
            callback_scheduled: "We'll call you back within {wait}. You can close this chat.".into(),
            update_every_s: 30,
            bands: vec![
                band(60, "less than a minute"),
                band(150, "about 2 minutes"),
                band(300, "less than 5 minutes"),
                band(600, "about 10 minutes"),
                band(1200, "about 15 minutes"),
                band(2400, "about 30 minutes"),
                band(3600, "less than an hour"),
            ],
            beyond: "more than an hour".into(),
            unknown: "longer than usual".into(),
        }
    }
}

/// When a waiting customer is offered a callback instead of waiting.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CallbackConfig {
    pub enabled: bool,
    /// Offer when the expected wait exceeds this (or nobody is staffed to estimate it) …
    pub offer_above_s: u64,
    /// … or when this many customers already wait in the queue.
    pub max_queue_depth: usize,
    /// The promised window: the expected wait at acceptance times this (at least a minute).
    pub promise_factor: f64,
    /// The promised window when the wait cannot be estimated.
    pub promise_unknown_s: u64,
}

impl Default for CallbackConfig {
    fn default() -> Self {
        CallbackConfig {
            enabled: true,
            offer_above_s: 300,
            max_queue_depth: 500,
            promise_factor: 1.5,
            promise_unknown_s: 3600,
        }
    }
}
