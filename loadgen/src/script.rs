//! What each kind of customer says, and what the bot answers: scripted behaviours with a
//! little variety in the wording, so the detectors and the sentiment tracker do real work.

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// A customer behaviour (the scenario's `mix` keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Behaviour {
    /// A question the bot answers; the customer thanks it and leaves.
    Happy,
    /// Asks for a person outright.
    ExplicitRequest,
    /// Pressing the "talk to a person" button rather than typing.
    Button,
    /// Grows angrier with every bot answer.
    Frustrated,
    /// Disputes a charge (a mandatory topic).
    BillingDispute,
    /// Reports a hacked account (a mandatory, sensitive topic).
    AccountSecurity,
    /// The bot keeps answering with low confidence.
    LowConfidence,
    /// Fifth contact about the same issue.
    RepeatContact,
    /// Asks for a person, then leaves the queue after a short wait.
    Abandons,
    /// Asks for a person and takes a callback when offered.
    CallbackAccept,
    /// Asks for a person and keeps waiting when offered a callback.
    CallbackDecline,
}

/// One step of a script.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Customer(&'static str),
    Bot { text: &'static str, confidence: f64, resolved: bool },
    AskForHuman,
}

fn pick(rng: &mut Rng, options: &[&'static str]) -> &'static str {
    options[rng.below(options.len())]
}

const OPENERS: [&str; 6] = [
    "Hi, where is my parcel? It was due yesterday.",
    "hello, my router keeps dropping the connection every few minutes",
    "Can I change the delivery address on my order?",
    "I need help resetting my password",
    "how do I update my payment method",
    "What are the fees for sending money abroad?",
];

const BOT_GOOD: [&str; 4] = [
    "Your parcel is out for delivery and should arrive today.",
    "Please restart the router and wait two minutes; that usually fixes it.",
    "You can change it under Orders > Delivery address until it ships.",
    "I've sent a reset link to the email address on your account.",
];

const BOT_UNSURE: [&str; 3] = [
    "I'm not sure I understood. Could you rephrase that?",
    "Here are some articles that might help.", "Can you tell me more about the problem?",
];

impl Behaviour {
    /// The customer's patience in line (`abandons` leaves early).
    pub fn abandons(self) -> bool {
        self == Behaviour::Abandons
    }

    /// Whether the customer takes a callback when offered.
    pub fn takes_callback(self) -> bool {
        self == Behaviour::CallbackAccept
    }

    /// Prior contacts about the same issue, given at open.
    pub fn prior_contacts(self) -> u32 {
        if self == Behaviour::RepeatContact { 4 } else { 0 }
    }

    /// The conversation until it escalates (or, for `happy`, until the customer is done).
    pub fn script(self, rng: &mut Rng) -> Vec<Step> {
        use Step::{AskForHuman, Bot, Customer};
        let opener = pick(rng, &OPENERS);
        let good = || Bot { text: BOT_GOOD[0], confidence: 0.9, resolved: false };
        match self {
            Behaviour::Happy => vec![
                Customer(opener),
                Bot { text: pick(rng, &BOT_GOOD), confidence: 0.92, resolved: true },
                Customer(pick(
                    rng,
                    &["Thanks, that worked!", "great, thank you", "Perfect, thanks a lot"],
                )),
            ],
            Behaviour::ExplicitRequest
            | Behaviour::Abandons
            | Behaviour::CallbackAccept
            | Behaviour::CallbackDecline => {
                vec![
                    Customer(opener),
                    good(),
                    Customer(pick(
                        rng,
                        &[
                            "I want to talk to a person", "Can I speak to a human agent please?",
                            "get me a real person", "let me talk to someone from customer service",
                        ],
                    )),
                ]
            }
            Behaviour::Button => vec![Customer(opener), good(), AskForHuman],
            Behaviour::Frustrated => vec![
                Customer(opener),
                Bot { text: pick(rng, &BOT_UNSURE), confidence: 0.7, resolved: false },
                Customer("That doesn't help. It still doesn't work."),
                Bot { text: pick(rng, &BOT_UNSURE), confidence: 0.7, resolved: false },
                Customer("This is ridiculous, I have wasted an hour on this useless chat!"),
                Bot { text: pick(rng, &BOT_UNSURE), confidence: 0.7, resolved: false },
                Customer("Terrible service. I am furious and this is completely unacceptable!!!"),
            ],
            Behaviour::BillingDispute => vec![Customer(pick(
                rng,
                &[
                    "I was charged twice for my subscription this month",
                    "There is a charge on my card I don't recognise",
                    "you overcharged me, I want a refund for the double charge",
                ],
            ))],
            Behaviour::AccountSecurity => vec![Customer(pick(
                rng,
                &[
                    "I think my account was hacked, there are logins I don't recognise",
                    "someone stole my card and used it",
                ],
            ))],
            Behaviour::LowConfidence => vec![
                Customer(opener),
                Bot { text: BOT_UNSURE[0], confidence: 0.2, resolved: false },
                Customer("I asked about my order"),
                Bot { text: BOT_UNSURE[1], confidence: 0.25, resolved: false },
                Customer("the order number is 55321"),
                Bot { text: BOT_UNSURE[2], confidence: 0.2, resolved: false },
                Customer("ok"),
                Bot { text: BOT_UNSURE[0], confidence: 0.15, resolved: false },
            ],
            Behaviour::RepeatContact => {
                vec![Customer(opener), good(), Customer("this is still not fixed")]
            }
        }
    }

    /// What the customer writes to the agent.
    pub fn to_agent(self, rng: &mut Rng) -> &'static str {
        pick(
            rng,
            &[
                "Thanks for taking this.", "ok, let me check", "Yes, that's right.",
                "Great, thank you!",
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_engine::config::Config;
    use baton_engine::ingest::Decider;

    /// Each escalating behaviour does escalate through the real decider, for the reason its
    /// name says (the button is not a message, so it is left out).
    #[test]
    fn scripts_escalate_as_named() {
        let decider = Config::default().decider().expect("decider");
        let mut rng = Rng::new(3);
        for _ in 0..20 {
            for (behaviour, reason) in [
                (Behaviour::ExplicitRequest, Some("explicit_request")),
                (Behaviour::Frustrated, Some("negative_sentiment")),
                (Behaviour::BillingDispute, Some("mandatory_topic")),
                (Behaviour::AccountSecurity, Some("mandatory_topic")),
                (Behaviour::LowConfidence, Some("low_confidence")),
                (Behaviour::RepeatContact, Some("repeat_contact")),
                (Behaviour::Happy, None),
            ] {
                let got = replay_reason(&decider, behaviour, &mut rng);
                match (reason, got.as_deref()) {
                    (None, None) => {}
                    (Some("negative_sentiment"), Some("negative_sentiment" | "sentiment_drop")) => {
                    }
                    (want, got) => assert_eq!(want, got, "{behaviour:?}"),
                }
            }
        }
    }

    /// The reason the decider gives a behaviour's script (tests and docs).
    fn replay_reason(decider: &Decider, behaviour: Behaviour, rng: &mut Rng) -> Option<String> {
        use baton_engine::escalation::{Load, Tier};
        use baton_engine::sentiment::{BotTurn, ConversationSignals, Customer};
        let now = tokio::time::Instant::now();
        let customer =
            Customer { tier: Tier::Standard, prior_contacts: behaviour.prior_contacts() };
        let signals = ConversationSignals::new(customer, now);
        for step in behaviour.script(rng) {
            let decision = match step {
                Step::Customer(text) => {
                    decider.customer_message(&signals, text, None, Load::Normal, now).decision
                }
                Step::Bot { text, confidence, resolved } => {
                    let turn = BotTurn { text, confidence, resolved };
                    decider.bot_reply(&signals, &turn, None, Load::Normal, now)
                }
                Step::AskForHuman => return Some("explicit_request".into()),
            };
            if decision.escalate {
                return decision.reason.map(|r| r.as_str().to_owned());
            }
        }
        None
    }
}
