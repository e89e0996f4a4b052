//! The `[explicit_request]` section: the phrase lists of the request-for-a-human detector.

use serde::{Deserialize, Serialize};

use super::phrases;

/// Phrase lists of the explicit-request detector (see `detect`). Every list replaces its
/// default when set. Phrases are normalised like messages (case, contractions, repeated
/// letters), so "don't" and "do not" are the same phrase.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExplicitRequestConfig {
    /// Who a customer asks for: "agent", "real person".
    pub nouns: Vec<String>,
    /// Verbs that ask for a noun when they come before it in the clause: "talk to".
    pub verbs: Vec<String>,
    /// Verbs that ask for a noun when they follow it: "someone I can talk to".
    pub trailing_verbs: Vec<String>,
    /// Requests on their own: "transfer me", "escalate this".
    pub phrases: Vec<String>,
    /// Cancel a request later in the clause: "do not need".
    pub negations: Vec<String>,
    /// Cancel a request when directly before its noun or phrase: "no", "without".
    pub adjacent_negations: Vec<String>,
    /// Make the clause a question about contact details, not a request: "phone number".
    pub hard_negatives: Vec<String>,
    /// Name the bot, not a person: a noun inside one ("assistant" in "virtual assistant") is
    /// no request and no cancelled request.
    pub machines: Vec<String>,
    /// Words a verb may be ahead of its noun.
    pub window: usize,
    /// A message of at most this many words that names a noun is a request ("agent pls").
    pub standalone_max_words: usize,
}

impl Default for ExplicitRequestConfig {
    fn default() -> Self {
        let owned = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        ExplicitRequestConfig {
            nouns: owned(phrases::NOUNS),
            verbs: owned(phrases::VERBS),
            trailing_verbs: owned(phrases::TRAILING_VERBS),
            phrases: owned(phrases::REQUEST_PHRASES),
            negations: owned(phrases::NEGATIONS),
            adjacent_negations: owned(phrases::ADJACENT_NEGATIONS),
            hard_negatives: owned(phrases::HARD_NEGATIVES),
            machines: owned(phrases::MACHINES),
            window: 3,
            standalone_max_words: 4,
        }
    }
}
