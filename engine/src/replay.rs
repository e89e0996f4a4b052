//! `baton replay`: recorded conversations (JSONL, one per line) through the same ingest
//! path the engine uses, so a contact center can tune thresholds on its own transcripts.
//! The line formats are a public contract (DESIGN.md §5): extend them only by adding fields.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::config::EngineConfig;
use crate::context::history::{History, Profile};
use crate::context::packet::{
    ContextPacket, EscalationFacts, PacketInput, Recipient, SentimentPoint,
};
use crate::context::summary::Attempt;
use crate::context::{CustomerInfo, Role, Turn as EngineTurn};
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
    /// The customer's frustration at that turn: the message and the conversation (0..1).
    pub frustration: crate::escalation::Frustration,
    /// Every reason that fired at that turn (the first is `reason`).
    pub fired: Vec<Reason>,
    /// With `--context`, for an escalated conversation: the context packet exactly as an
    /// agent with the default clearance would receive it (redacted, warm or cold per queue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Box<ContextPacket>>,
    /// The learned model's scores on the customer message of that decision (absent for a
    /// bot turn, or with the model off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<crate::escalation::ModelLine>,
    /// The customer had `escalation.repeat_contacts` or more prior contacts (for the summary).
    #[serde(skip)]
    pub repeat_contact: bool,
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
    replay_line_with(decider, line, load, None)
}

/// Replays one JSONL line; with `context` (the configuration packets follow), an escalated
/// conversation's outcome carries its context packet.
pub fn replay_line_with(
    decider: &Decider,
    line: &str,
    load: Load,
    context: Option<&EngineConfig>,
) -> Result<Outcome, ReplayError> {
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
    Ok(replay_with(decider, &conversation, load, context))
}

/// Runs a conversation's turns until the first escalation. Turns are a second apart on a
/// synthetic clock (only the hand-back cooldown reads time, and replays never hand back).
pub fn replay(decider: &Decider, conversation: &Conversation, load: Load) -> Outcome {
    replay_with(decider, conversation, load, None)
}

/// What the packet is built from, collected while replaying.
#[derive(Default)]
struct Record {
    transcript: Vec<EngineTurn>,
    timeline: Vec<SentimentPoint>,
    attempts: Vec<Attempt>,
}

/// [`replay`], building the context packet of an escalated conversation when asked.
pub fn replay_with(
    decider: &Decider,
    conversation: &Conversation,
    load: Load,
    context: Option<&EngineConfig>,
) -> Outcome {
    let opened = Instant::now();
    let customer = Customer {
        tier: conversation.customer.tier,
        prior_contacts: conversation.customer.prior_contacts,
    };
    let signals = ConversationSignals::new(customer, opened);
    let mut last = None;
    let mut record = Record::default();
    for (i, turn) in conversation.turns.iter().enumerate() {
        let now = opened + Duration::from_secs(i as u64);
        let at_ms = i as u64 * 1000;
        let decision = match turn {
            Turn::Customer { text, intent } => {
                let out = decider.customer_message(&signals, text, intent.as_deref(), load, now);
                if context.is_some() {
                    let n = record.timeline.len() as u32 + 1;
                    let compound = out.scores.compound;
                    record.timeline.push(SentimentPoint { turn: n, at_ms, compound });
                    record.transcript.push(EngineTurn {
                        role: Role::Customer,
                        text: text.clone(),
                        at_ms,
                    });
                }
                out.decision
            }
            Turn::Bot { text, confidence, intent, resolved } => {
                if context.is_some() {
                    record.attempts.push(Attempt { text: text.clone(), confidence: *confidence });
                    record.transcript.push(EngineTurn {
                        role: Role::Bot,
                        text: text.clone(),
                        at_ms,
                    });
                }
                let turn = BotTurn { text, confidence: *confidence, resolved: *resolved };
                decider.bot_reply(&signals, &turn, intent.as_deref(), load, now)
            }
        };
        if decision.escalate {
            let mut out = outcome(decider, conversation, Some(i), &decision);
            if let Some(config) = context {
                let packet = packet(config, conversation, &out, &decision, &record);
                out.context = Some(Box::new(packet));
            }
            return out;
        }
        last = Some(decision);
    }
    let window = decider.sentiment().trend_window;
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
        frustration: signals.frustration(),
        model: None,
    });
    outcome(decider, conversation, None, &decision)
}

/// The packet an agent with the default clearance would receive for this escalation.
fn packet(
    config: &EngineConfig,
    c: &Conversation,
    out: &Outcome,
    d: &Decision,
    record: &Record,
) -> ContextPacket {
    let id = match &c.id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let customer_id = match &c.customer.id {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let customer = CustomerInfo {
        id: customer_id,
        tier: c.customer.tier,
        channel: "chat".into(),
        prior_contacts: c.customer.prior_contacts,
    };
    let skill = out.skill.as_deref().unwrap_or_default();
    let handoff = config.handoff_for(skill);
    let (profile, history) = (Profile::default(), History::default());
    let input = PacketInput {
        conversation: &id,
        customer: &customer,
        transcript: &record.transcript,
        missing: 0,
        escalation: out.reason.map(|reason| EscalationFacts {
            reason,
            fired: &out.fired,
            value: d.value,
            threshold: d.threshold,
            topic: out.topic.as_deref(),
            priority: out.priority.unwrap_or(0),
        }),
        skill,
        sentiment: d.sentiment,
        timeline: &record.timeline,
        attempts: &record.attempts,
        considered: &[],
        bot_summary: None,
        profile: &profile,
        history: &history,
        waited_ms: 0,
        callback: false,
    };
    crate::context::packet::build(
        &input,
        &config.context,
        Recipient::agent(&config.context, false, handoff),
    )
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
        frustration: d.frustration.rounded(),
        // The primary reason first, then the others in precedence order.
        fired: d
            .reason
            .into_iter()
            .chain(d.fired.iter().filter(|r| Some(*r) != d.reason))
            .collect(),
        context: None,
        model: d.model.as_ref().map(|m| m.line(policy)),
        repeat_contact: c.customer.prior_contacts >= policy.escalation().repeat_contacts,
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
    /// Conversations whose customer had `escalation.repeat_contacts` or more prior contacts.
    pub repeat_contacts: u64,
    pub repeat_contact_rate: f64,
    /// The customer's sentiment just before the handoff: mean compound score of the latest
    /// customer turn at the escalating turn, over escalated conversations.
    pub sentiment_before_handoff: crate::context::measures::Mean,
}

impl Summary {
    pub fn add(&mut self, outcome: &Outcome) {
        self.conversations += 1;
        self.repeat_contacts += u64::from(outcome.repeat_contact);
        self.repeat_contact_rate = self.repeat_contacts as f64 / self.conversations as f64;
        if outcome.escalated {
            self.sentiment_before_handoff.add(outcome.sentiment.last);
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
        Config::default().decider().expect("default config")
    }

    #[test]
    fn escalates_at_the_turn_that_asks() {
        let line =
            r#"{"id":"c1","customer":{"id":"u1","tier":"standard","prior_contacts":0},"turns":[
            {"role":"customer","text":"my internet is down"},
            {"role":"bot","text":"Have you tried restarting the router?","confidence":0.8},
            {"role":"customer","text":"yes I did. get me a human"}]}"#
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
