//! `baton replay`: recorded conversations (JSONL, one per line) through the same ingest
//! path the engine uses, so a contact center can tune thresholds on its own transcripts.
//! The line formats are a public contract (DESIGN.md §5): extend them only by adding fields.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::escalation::{Decision, Load, Reason, Sentiment, Tier};
use crate::ingest::Decider;
use crate::sentiment::{BotTurn, ConversationSignals, Customer};

/// Why one input line could not be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("turn {turn}: confidence {confidence} is not in [0, 1]")]
    Confidence { turn: usize, confidence: f64 },
    #[error("id must be a string or a number")]
    Id,
}

/// One input line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversation {
    pub id: serde_json::Value,
    #[serde(default)]
    pub customer: CustomerLine,
    pub turns: Vec<Turn>,
}

/// The customer of an input line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerLine {
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    #[serde(default)]
    pub tier: Tier,
    #[serde(default)]
    pub prior_contacts: u32,
}

/// One turn of an input line.
#[derive(Debug, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase", deny_unknown_fields)]
pub enum Turn {
    Customer {
        text: String,
        /// The integrator's NLU intent for this message, when it has one.
        #[serde(default)]
        intent: Option<String>,
    },
    Bot {
        text: String,
        confidence: f64,
        #[serde(default)]
        intent: Option<String>,
        #[serde(default)]
        resolved: bool,
    },
}

/// One output line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub id: serde_json::Value,
    pub escalated: bool,
    /// Index in `turns` of the turn that escalated.
    pub turn: Option<usize>,
    pub reason: Option<Reason>,
    pub topic: Option<String>,
    pub skill: Option<String>,
    pub priority: Option<u8>,
    pub sentiment: SentimentLine,
    /// Every reason that fired at that turn (the first is `reason`).
    pub fired: Vec<Reason>,
}

/// The sentiment part of an output line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SentimentLine {
    pub last: f64,
    pub min: f64,
    pub trend: f64,
}

impl From<Sentiment> for SentimentLine {
    fn from(s: Sentiment) -> Self {
        SentimentLine { last: s.last, min: s.min, trend: s.trend }
    }
}

/// Replays one JSONL line at the given load.
pub fn replay_line(decider: &Decider, line: &str, load: Load) -> Result<Outcome, ReplayError> {
    let conversation: Conversation = serde_json::from_str(line)?;
    if !(conversation.id.is_string() || conversation.id.is_number()) {
        return Err(ReplayError::Id);
    }
    for (turn, t) in conversation.turns.iter().enumerate() {
        if let Turn::Bot { confidence, .. } = t
            && !(0.0..=1.0).contains(confidence)
        {
            return Err(ReplayError::Confidence { turn, confidence: *confidence });
        }
    }
    Ok(replay(decider, &conversation, load))
}

/// Runs a conversation's turns until the first escalation. Turns are a second apart on a
/// synthetic clock (only the hand-back cooldown reads time, and replays never hand back).
pub fn replay(decider: &Decider, conversation: &Conversation, load: Load) -> Outcome {
    let opened = Instant::now();
    let customer = Customer {
        tier: conversation.customer.tier,
        prior_contacts: conversation.customer.prior_contacts,
    };
    let signals = ConversationSignals::new(customer, opened);
    let mut last = None;
    for (i, turn) in conversation.turns.iter().enumerate() {
        let now = opened + Duration::from_secs(i as u64);
        let decision = match turn {
            Turn::Customer { text, intent } => {
                decider.customer_message(&signals, text, intent.as_deref(), load, now).decision
            }
            Turn::Bot { text, confidence, intent, resolved } => {
                let turn = BotTurn { text, confidence: *confidence, resolved: *resolved };
                decider.bot_reply(&signals, &turn, intent.as_deref(), load, now)
            }
        };
        if decision.escalate {
            return outcome(decider, conversation, Some(i), &decision);
        }
        last = Some(decision);
    }
    let window = decider.policy().config().sentiment.trend_window;
    let decision = last.unwrap_or(Decision {
        escalate: false,
        reason: None,
        fired: Default::default(),
        relaxed: Default::default(),
        topic: signals.topic(),
        skill: None,
        priority: None,
        value: 0.0,
        threshold: 0.0,
        sentiment: signals.sentiment(window),
    });
    outcome(decider, conversation, None, &decision)
}

fn outcome(decider: &Decider, c: &Conversation, turn: Option<usize>, d: &Decision) -> Outcome {
    let policy = decider.policy();
    Outcome {
        id: c.id.clone(),
        escalated: d.escalate,
        turn,
        reason: d.reason,
        topic: d.topic.map(|t| policy.topic_name(t).to_owned()),
        skill: d.skill.map(|s| policy.skill_name(s).to_owned()),
        priority: d.priority,
        sentiment: d.sentiment.into(),
        fired: d.fired.iter().collect(),
    }
}

/// The `--summary` document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub conversations: u64,
    pub escalated: u64,
    pub handoff_rate: f64,
    /// Escalated conversations by reason code.
    pub by_reason: BTreeMap<String, u64>,
    /// Escalated conversations by topic (`none` when there was no topic).
    pub by_topic: BTreeMap<String, u64>,
}

impl Summary {
    pub fn add(&mut self, outcome: &Outcome) {
        self.conversations += 1;
        if outcome.escalated {
            self.escalated += 1;
            if let Some(reason) = outcome.reason {
                *self.by_reason.entry(reason.as_str().to_owned()).or_default() += 1;
            }
            let topic = outcome.topic.as_deref().unwrap_or("none");
            *self.by_topic.entry(topic.to_owned()).or_default() += 1;
        }
        self.handoff_rate = self.escalated as f64 / self.conversations as f64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn decider() -> Decider {
        Decider::new(Config::default()).expect("default config")
    }

    #[test]
    fn escalates_at_the_turn_that_asks() {
        let line =
            r#"{"id":"c1","customer":{"id":"u1","tier":"standard","prior_contacts":0},"turns":[
            {"role":"customer","text":"my internet is down"},
            {"role":"bot","text":"Have you tried restarting the router?","confidence":0.8},
            {"role":"customer","text":"yes, twice. get me a human"}]}"#
                .replace('\n', "");
        let out = replay_line(&decider(), &line, Load::Normal).expect("valid line");
        assert_eq!(
            (out.escalated, out.turn, out.reason),
            (true, Some(2), Some(Reason::ExplicitRequest))
        );
        assert_eq!(out.skill.as_deref(), Some("general"));
    }

    #[test]
    fn resolved_conversations_stay_with_the_bot() {
        let line = r#"{"id":7,"turns":[{"role":"customer","text":"how do I change my address?"},
            {"role":"bot","text":"Go to Settings > Profile.","confidence":0.95,"resolved":true},
            {"role":"customer","text":"thanks, that worked!"}]}"#
            .replace('\n', "");
        let out = replay_line(&decider(), &line, Load::Normal).expect("valid line");
        assert!(!out.escalated && out.turn.is_none() && out.reason.is_none());
        assert_eq!(out.id, serde_json::json!(7));
        assert!(out.sentiment.last > 0.0);
    }

    #[test]
    fn bad_lines_say_why() {
        let d = decider();
        let err = replay_line(&d, "{not json", Load::Normal).expect_err("must be rejected");
        assert!(err.to_string().starts_with("invalid JSON"), "{err}");
        let err = replay_line(
            &d,
            r#"{"id":"x","turns":[{"role":"bot","text":"hi","confidence":1.5}]}"#,
            Load::Normal,
        )
        .expect_err("must be rejected");
        assert_eq!(err.to_string(), "turn 0: confidence 1.5 is not in [0, 1]");
        let err =
            replay_line(&d, r#"{"id":"x","turns":[{"role":"agent","text":"hi"}]}"#, Load::Normal)
                .expect_err("must be rejected");
        assert!(err.to_string().contains("unknown variant"), "{err}");
    }

    #[test]
    fn summary_counts_by_reason_and_topic() {
        let d = decider();
        let mut summary = Summary::default();
        for line in [
            r#"{"id":"a","turns":[{"role":"customer","text":"I was charged twice"}]}"#,
            r#"{"id":"b","turns":[{"role":"customer","text":"agent please"}]}"#,
            r#"{"id":"c","turns":[{"role":"customer","text":"hello"}]}"#,
        ] {
            summary.add(&replay_line(&d, line, Load::Normal).expect("valid line"));
        }
        assert_eq!((summary.conversations, summary.escalated), (3, 2));
        assert!((summary.handoff_rate - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(summary.by_reason["mandatory_topic"], 1);
        assert_eq!(summary.by_topic["billing_dispute"], 1);
        assert_eq!(summary.by_topic["none"], 1);
    }
}
