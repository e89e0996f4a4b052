//! The `[context]` section: the context packet's bounds, redaction and the mood scale, and
//! how a queue hands conversations over.

use serde::{Deserialize, Serialize};

/// The context packet: its bounds, redaction and the mood scale.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContextConfig {
    /// Transcript turns in a packet; beyond, the oldest are left out behind a marker (the
    /// customer's first message, the problem statement, is always kept).
    pub max_transcript_turns: usize,
    /// Characters of one turn in a packet; a longer turn is cut with "…".
    pub max_turn_chars: usize,
    /// Past contacts listed in a packet (the newest).
    pub max_history_contacts: usize,
    /// Customers the embedded directory remembers; past it, those with no contact in
    /// `escalation.repeat_window_s` and no attributes go first, then the least recently seen.
    pub directory_max_customers: usize,
    /// Personal data replaced by placeholders for agents without `pii_clearance`.
    pub redact: Vec<crate::context::redact::Pii>,
    /// The clearance that lets an agent read personal data unredacted.
    pub pii_clearance: String,
    pub mood: crate::context::mood::MoodThresholds,
}

impl Default for ContextConfig {
    fn default() -> Self {
        ContextConfig {
            max_transcript_turns: 40,
            max_turn_chars: 1000,
            max_history_contacts: 5,
            directory_max_customers: crate::context::history::DEFAULT_MAX_CUSTOMERS,
            redact: crate::context::redact::Pii::ALL.to_vec(),
            pii_clearance: "pii".into(),
            mood: crate::context::mood::MoodThresholds::default(),
        }
    }
}

impl ContextConfig {
    /// What to redact for an agent cleared (or not) for personal data.
    pub fn redaction(&self, cleared: bool) -> crate::context::redact::PiiSet {
        if cleared {
            crate::context::redact::PiiSet::NONE
        } else {
            crate::context::redact::PiiSet::of(&self.redact)
        }
    }
}
