//! Default English phrase lists for the detectors and the four default topics. Written for
//! contact-center chat in general (not tuned to any evaluation set); every list can be
//! replaced in the configuration. Phrases are normalised before use, so write them plainly.

use super::PAIR_SEPARATOR;
use crate::escalation::TopicConfig;

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
    "speak", "speaking", "spoke", "talk", "talking", "chat", "chatting", "contact", "contacting",
    "connect", "connected", "connecting", "transfer me to", "transfer to me", "transfer to a",
    "transfer to an", "transferred to a", "transferred to an", "put me through", "reach", "get me",
    "give me", "get a", "get an", "i need", "we need", "i want", "we want", "would like", "prefer",
    "request", "requesting", "escalate", "hand me", "pass me", "send me", "bring",
    "assistance from", "help from", "deal with", "can i have", "let me",
];

/// Verbs that ask for a noun when they follow it: "someone I can talk to".
pub const TRAILING_VERBS: &[&str] = &[
    "i can talk", "i can speak", "i could talk", "i could speak", "to talk to", "to speak to",
    "to speak with", "to talk with", "call me", "call me back", "contact me", "help me please",
];

/// Requests on their own.
pub const REQUEST_PHRASES: &[&str] = &[
    "transfer me", "connect me", "put me through", "escalate this", "escalate it", "escalate my",
    "escalate the", "please escalate", "not a bot", "not a robot", "not a machine", "no more bots",
    "stop the bot", "talk to a real", "speak to a real",
];

/// Cancel a request later in the same clause.
pub const NEGATIONS: &[&str] = &[
    "do not need", "do not want", "do not want to", "never need", "never want", "no need",
    "no need to", "not need", "not want", "do not have to", "would not like", "no longer need",
    "no longer want", "rather not", "prefer not", "not trying to", "never asked", "did not ask",
    "not asking", "do not put", "do not pass", "do not connect", "do not transfer", "do not hand",
    "do not send", "do not forward", "do not escalate",
];

/// Cancel a request when directly before its noun or phrase (one word may sit between).
pub const ADJACENT_NEGATIONS: &[&str] = &["no", "not", "without", "never", "do not"];

/// Make the clause a question about contact details or hours, not a request for a person.
pub const HARD_NEGATIVES: &[&str] = &[
    "phone number", "telephone number", "number to call", "number for", "contact number",
    "opening hours", "business hours", "office hours", "working hours", "what hours",
    "which hours", "hours of", "what time", "what times", "when are you open", "are you open",
    "email address", "e mail address", "mailing address", "postal address", "contact details",
    "contact information", "contact info", "in person", "do i need to speak", "do i need to talk",
    "do i have to speak", "do i have to talk",
];

/// The bot in the words of a noun for a person: "I'd rather not discuss this with an automated
/// assistant" refuses the bot, and "can I ask the virtual assistant" asks for it.
pub const MACHINES: &[&str] = &[
    "automated assistant", "virtual assistant", "digital assistant", "ai assistant",
    "chat assistant", "automated agent", "virtual agent", "digital agent", "ai agent", "bot agent",
    "automated system", "automated service",
];

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// `list`, then every `first ... second` pair of each group.
fn with_pairs(list: &[&str], groups: &[(&[&str], &[&str])]) -> Vec<String> {
    let pairs = groups.iter().flat_map(|(first, second)| {
        first.iter().flat_map(|a| second.iter().map(move |b| format!("{a} {PAIR_SEPARATOR} {b}")))
    });
    owned(list).into_iter().chain(pairs).collect()
}

/// "Without my permission" names no topic by itself: what was done without it does. Someone
/// using or getting into the card, phone or account is security; a charge or payment taken
/// without it is a contested charge, a billing dispute, like any payment the customer does not
/// recognise (docs/decisions.md, "The learned model"). Security comes first, so "someone used
/// my card and took a payment without my permission" is security.
const WITHOUT_CONSENT: &[&str] = &[
    "without my permission", "without permission", "without my authorization",
    "without my authorisation", "without authorization", "without authorisation",
    "without my consent", "without my knowledge",
];

const SECURITY_WITHOUT_CONSENT: &[&str] = &[
    "used", "using", "utilizing", "utilising", "accessed", "accessing", "logged", "ported",
    "opened", "took my card", "took my phone", "card was taken", "phone was taken",
];

/// A customer who gave away what proves they are themselves ("I read out my one-time code to
/// a caller from 'your fraud team'") has a compromised account whatever happened next.
/// ("Told" and "given" are left out: "the app told me my pin was wrong", "I was given my pin".)
const DISCLOSED: &[&str] = &["shared", "gave", "gave out", "read out", "handed over"];

const CREDENTIALS: &[&str] = &[
    "my pin", "my password", "my passcode", "my one time code", "my verification code",
    "my security code", "my card details", "my login",
];

const BILLING_WITHOUT_CONSENT: &[&str] = &[
    "charge", "charges", "charged", "payment", "payments", "paid", "debit", "debited",
    "transaction", "transactions", "withdrawal", "withdrawn", "taken from", "taken out",
    "took money", "subscription", "purchase", "purchases", "bought",
];

/// The default topics, in precedence order: security first (a hijacked account outranks a
/// refund), then legal, billing disputes and cancellation.
///
/// Fraud follows the same line as "without my permission": a fraudulent charge, payment or
/// purchase is a contested charge (billing), while fraud on the card or account, fraudulent
/// use or access, and a fraudster are security. A bare "fraud" raises nothing: "the fraud
/// team", "the fraud line" and "fraud protection" are no security incident.
pub fn default_topics() -> Vec<TopicConfig> {
    vec![
        TopicConfig {
            id: "account_security".into(),
            skill: "security".into(),
            mandatory: true,
            sensitive: true,
            priority: Some(7),
            phrases: with_pairs(
                ACCOUNT_SECURITY,
                &[(SECURITY_WITHOUT_CONSENT, WITHOUT_CONSENT), (DISCLOSED, CREDENTIALS)],
            ),
            except: owned(SECURITY_EXCEPT),
            intents: owned(&["fraud", "account_takeover", "lost_card", "stolen_card", "hacked"]),
        },
        TopicConfig {
            id: "legal".into(),
            skill: "legal".into(),
            mandatory: true,
            sensitive: true,
            priority: Some(6),
            phrases: owned(LEGAL),
            except: owned(&[]),
            intents: owned(&["legal_threat", "complaint_legal", "gdpr_request"]),
        },
        TopicConfig {
            id: "billing_dispute".into(),
            skill: "billing".into(),
            mandatory: true,
            sensitive: false,
            priority: Some(5),
            phrases: with_pairs(BILLING_DISPUTE, &[(BILLING_WITHOUT_CONSENT, WITHOUT_CONSENT)]),
            except: owned(BILLING_EXCEPT),
            intents: owned(&["dispute_charge", "refund_request", "double_charge", "chargeback"]),
        },
        TopicConfig {
            id: "cancellation".into(),
            skill: "retention".into(),
            mandatory: true,
            sensitive: false,
            priority: Some(4),
            phrases: owned(CANCELLATION),
            except: owned(CANCELLATION_EXCEPT),
            intents: owned(&["cancel_subscription", "close_account", "terminate_account"]),
        },
    ]
}

const ACCOUNT_SECURITY: &[&str] = &[
    "hacked", "hacker", "hackers", "hack", "compromised", "stolen", "someone stole", "theft",
    "identity theft", "identity fraud", "card fraud", "fraud on my", "fraud to my",
    "fraud against my", "fraud on the account", "report fraud", "reporting fraud",
    "report possible fraud", "fraudulent use", "fraudulent activity", "fraudulent access",
    "fraudulent login", "fraudulently", "sim swap", "fraudster", "fraudsters", "phishing",
    "scammer", "scammed", "someone ... using my", "somebody ... using my", "someone ... used my",
    "somebody ... used my", "used by someone", "used by somebody", "someone else ... using",
    "someone else has", "someone else made", "someone ... access", "someone logged",
    "someone got into", "someone ... my card details", "someone took", "somebody took",
    "unauthorized access", "unauthorised access", "suspicious login", "suspicious activity",
    "suspicious transaction", "suspicious spending", "suspicious charges", "unusual activity",
    "unknown login", "locked out", "lost my card", "lost my phone", "lost my wallet",
    "lost my mobile", "lost card", "lost phone", "card ... lost", "card ... missing",
    "phone ... lost", "phone ... stolen", "can not find my card", "can not find my phone",
    "misplaced my card", "misplaced my phone", "security breach", "data breach",
    "changed my password", "password was changed", "was not me", "freeze my card",
    "freeze the card", "freezing my card", "freeze my account", "block my card",
    "block my account", "account takeover", "two factor", "2fa",
    "verification code i did not request", "someone ... withdrawn", "someone ... withdrawing",
    "someone ... withdrew", "someone is using mine", "someone besides me", "unauthorized use",
    "unauthorised use", "someone ... my card information", "someone ... taken my", "took my phone",
    "took my wallet", "mugged", "robbed", "lost track of my card", "lost track of my phone",
];

/// A found card or phone is no longer a security matter.
const SECURITY_EXCEPT: &[&str] = &["found my", "found it", "found the"];

const LEGAL: &[&str] = &[
    "lawyer", "lawyers", "attorney", "solicitor", "legal action", "legal department", "legal team",
    "take legal", "legal advice", "sue", "suing", "lawsuit", "court", "small claims", "subpoena",
    "litigation", "class action", "cease and desist", "gdpr", "data protection",
    "subject access request", "ombudsman", "regulator", "trading standards", "consumer protection",
    "better business bureau", "report you to", "breach of contract", "my rights", "illegal",
    "unlawful",
];

const BILLING_DISPUTE: &[&str] = &[
    "charged ... twice", "charged ... two times", "charged ... double", "double charged",
    "double charge", "billed ... twice", "double billed", "paid ... twice", "payment ... twice",
    "same charge ... twice", "same payment ... twice", "duplicate charge", "duplicate payment",
    "duplicated payment", "duplicate transaction", "overcharged", "over charged", "overcharge",
    "wrong charge", "incorrect charge", "wrong amount", "incorrect amount", "not the right amount",
    "extra charge", "unexpected charge", "hidden fee", "hidden charge", "unknown charge",
    "unfamiliar charge", "strange charge", "weird charge", "unauthorized charge",
    "unauthorised charge", "unauthorized payment", "unauthorised payment",
    "unauthorized transaction", "unauthorised transaction", "do not recognize", "do not recognise",
    "did not recognize", "did not recognise", "not recognize", "not recognise", "not recognized",
    "not recognised", "did not authorize", "did not authorise", "never authorized",
    "never authorised", "did not make", "never made", "not made by me", "do not remember making",
    "do not remember purchasing", "do not remember buying", "do not recall making",
    "did not set up", "never set up", "did not sign up", "did not withdraw", "never withdrew",
    "refund", "refunds", "not been refunded", "not refunded", "be refunded", "get refunded",
    "money back", "chargeback", "charge back", "dispute", "disputed", "disputing", "reimburse",
    "reimbursement", "billing error", "billing mistake", "wrong bill", "incorrect bill",
    "bill is wrong", "should not have been charged", "should not be charged",
    "charged for something", "rate ... wrong", "rate ... incorrect", "rate ... not right",
    "rate ... not correct", "rate ... mistake", "wrong rate", "incorrect rate", "wrong exchange",
    "got less", "gave me less", "only gave me", "received less", "less than i asked",
    "less than i requested", "did not get the full amount", "did not get the correct amount",
    "did not get the right amount", "did not receive all", "as much as i requested",
    "as much as i asked", "charged ... more than once", "payment ... more than once",
    "transaction ... more than once", "duplicated", "two of the same", "rate ... off",
    "rate ... not seem right", "rate ... not look right", "rates ... wrong",
    "payment ... did not do", "did not do this payment", "did not do this transaction",
    "that is not mine", "debit ... do not remember", "payment ... do not remember",
    "transaction ... do not remember", "charge ... do not remember", "do not remember ... payment",
    "do not remember ... charge", "do not remember ... transaction", "unusual payment",
    "unusual transaction", "unusual charge", "questionable transaction", "questionable charge",
    "by mistake", "extra ... charge", "charge me extra", "charged me extra", "charged extra",
    "fraudulent charge", "fraudulent charges", "fraudulent payment", "fraudulent payments",
    "fraudulent transaction", "fraudulent transactions", "fraudulent debit",
    "fraudulent direct debit", "fraudulent purchase", "fraudulent purchases",
    "fraudulent withdrawal", "charged ... by fraud", "bogus charge", "bogus charges",
    "bogus payment", "bogus transaction", "bogus debit", "charge ... bogus", "payment ... bogus",
    "transaction ... bogus", "debit ... bogus", "scam charge", "scam payment",
];

/// A refund the customer already has is not a dispute.
const BILLING_EXCEPT: &[&str] = &["got my refund", "received my refund", "refund policy"];

const CANCELLATION: &[&str] = &[
    "cancel ... account", "close ... account", "closing ... account", "shut down ... account",
    "terminate ... account", "terminating ... account", "delete ... account",
    "deleting ... account", "deactivate ... account", "disable ... account",
    "discontinue ... account", "remove ... account", "end ... account", "get rid of ... account",
    "inactivate ... account", "invalidate ... account", "cancel ... accounts",
    "close ... accounts", "delete ... accounts", "terminate ... accounts", "account ... deleted",
    "account ... terminated", "account ... closed down", "account closure",
    "cancel ... subscription", "cancel ... membership", "cancel ... plan", "cancel ... contract",
    "cancel ... service", "end ... subscription", "end ... contract", "end ... membership",
    "stop ... subscription", "terminate ... contract", "terminate ... subscription",
    "leave your service", "switch provider", "switching provider", "switch to another provider",
    "no longer want ... account", "no longer want to be a customer", "do not want this account",
];

/// Cancelling one transaction is not cancelling the relationship.
const CANCELLATION_EXCEPT: &[&str] = &[
    "cancel the transfer", "cancel a transfer", "cancel my transfer", "cancel the payment",
    "cancel a payment", "cancel my order", "cancel the order", "top up", "topping up",
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
