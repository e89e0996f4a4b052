//! The escalation decision: the closed set of reasons, what the decider reads
//! ([`Snapshot`]), what it returns ([`Decision`]), and the pure [`decide`] function.

mod config;
mod decide;
mod policy;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

pub use config::{
    EscalationConfig, LoadConfig, LoadRule, ReasonPriorities, TierRule, TiersConfig, TopicConfig,
};
pub use decide::decide;
pub use policy::{Policy, SkillId, TopicId, TopicRule};

/// Why a conversation goes to a human. Stable codes: they appear in the protocol, the
/// replay output and metric labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    ExplicitRequest,
    MandatoryTopic,
    RepeatContact,
    NegativeSentiment,
    SentimentDrop,
    Frustration,
    LowConfidence,
    TroubleshootingStall,
}

impl Reason {
    /// Every reason, in precedence order (the first that fires is the decision's reason).
    pub const ALL: [Reason; 8] = [
        Reason::ExplicitRequest,
        Reason::MandatoryTopic,
        Reason::RepeatContact,
        Reason::NegativeSentiment,
        Reason::SentimentDrop,
        Reason::Frustration,
        Reason::LowConfidence,
        Reason::TroubleshootingStall,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ExplicitRequest => "explicit_request",
            Reason::MandatoryTopic => "mandatory_topic",
            Reason::RepeatContact => "repeat_contact",
            Reason::NegativeSentiment => "negative_sentiment",
            Reason::SentimentDrop => "sentiment_drop",
            Reason::Frustration => "frustration",
            Reason::LowConfidence => "low_confidence",
            Reason::TroubleshootingStall => "troubleshooting_stall",
        }
    }

    /// Explicit requests and mandatory topics are never relaxed by load or cooldown.
    pub fn is_mandatory(self) -> bool {
        matches!(self, Reason::ExplicitRequest | Reason::MandatoryTopic)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of reasons (a bit set: no allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReasonSet(u8);

impl ReasonSet {
    pub fn insert(&mut self, reason: Reason) {
        self.0 |= reason.bit();
    }

    pub fn contains(self, reason: Reason) -> bool {
        self.0 & reason.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Members in precedence order.
    pub fn iter(self) -> impl Iterator<Item = Reason> {
        Reason::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

/// Customer tier: shifts thresholds and priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    #[default]
    Standard,
    Premium,
    Enterprise,
}

/// Load level of a skill queue (or one given by the caller): non-mandatory thresholds relax
/// toward the bot as it rises.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Load {
    #[default]
    Normal,
    Elevated,
    High,
    Critical,
}

/// The load level a decision is made under, by the skill queue it would escalate to.
///
/// A plain [`Load`] is one level for every skill (replay, tests, an operator's override); the
/// engine gives each queue's own, so a busy security queue does not relax triggers for
/// customers who would go to an idle general queue.
pub trait LoadLevels {
    fn level(&self, skill: SkillId) -> Load;
}

impl LoadLevels for Load {
    fn level(&self, _skill: SkillId) -> Load {
        *self
    }
}

/// The sentiment signals of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, serde::Deserialize)]
pub struct Sentiment {
    /// Compound score of the latest customer turn.
    pub last: f64,
    /// Exponentially weighted moving average of the compound scores.
    pub ewma: f64,
    /// Lowest compound score so far.
    pub min: f64,
    /// Least-squares slope of compound per turn over the last turns (negative: worsening).
    pub trend: f64,
}

/// How annoyed the customer is with the service, 0..1 (see `frustration`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, serde::Deserialize)]
pub struct Frustration {
    /// The latest customer message, in its conversation (repetition and trend included).
    pub message: f32,
    /// The conversation so far: the latest message with a share of the previous score.
    pub conversation: f32,
}

impl Frustration {
    /// Three decimals, as the protocol and `baton replay` show it.
    pub fn rounded(self) -> Frustration {
        Frustration { message: round3(self.message), conversation: round3(self.conversation) }
    }
}

/// What the decider reads: the conversation's signals after this turn, and this turn's
/// detection.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Snapshot {
    pub tier: Tier,
    /// Contacts by this customer in the recent window, this one excluded.
    pub prior_contacts: u32,
    pub customer_turns: u32,
    pub sentiment: Sentiment,
    pub frustration: Frustration,
    /// This turn asked for a human.
    pub explicit_request: bool,
    /// The conversation's topic (bot-supplied intent, else the detector's).
    pub topic: Option<TopicId>,
    pub low_confidence_streak: u32,
    pub bot_turns_since_resolution: u32,
    /// Consecutive identical bot replies (1 for a reply unlike the previous one).
    pub bot_repeat_streak: u32,
    /// When an agent last handed the conversation back to the bot.
    pub handed_back_at: Option<Instant>,
}

/// The decider's answer, explaining itself. `Copy` and free of heap data so the decision
/// path never allocates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub escalate: bool,
    /// The first reason that fired, in [`Reason::ALL`] order.
    pub reason: Option<Reason>,
    /// Every reason that fired.
    pub fired: ReasonSet,
    /// Reasons that would have fired at normal load but were relaxed toward the bot.
    pub relaxed: ReasonSet,
    pub topic: Option<TopicId>,
    /// The skill queue to route to (set when escalating).
    pub skill: Option<SkillId>,
    /// 1 (lowest) ..= 9 (set when escalating).
    pub priority: Option<u8>,
    /// The primary reason's signal value and the threshold it crossed (after tier and load
    /// adjustment); 1 and 1 for the yes/no reasons.
    pub value: f64,
    pub threshold: f64,
    pub sentiment: Sentiment,
    pub frustration: Frustration,
    /// The learned model's scores on this message (customer messages, when a model runs).
    pub model: Option<ModelScore>,
}

/// What the learned model said of one customer message, beside the rules' verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelScore {
    /// The probability that the customer asks for a human.
    pub explicit_request: f32,
    /// The threshold it was held to.
    pub explicit_request_threshold: f32,
    /// The configured topic the model ranks highest (score over threshold), if it has heads
    /// for any; its score and threshold.
    pub topic: Option<TopicId>,
    pub topic_score: f32,
    pub topic_threshold: f32,
    /// The `frustration` head's probability, when the model has one.
    pub frustration: Option<f32>,
}

impl ModelScore {
    /// As `baton score`, `baton replay` and the `decision` frame show it.
    pub fn line(&self, policy: &Policy) -> ModelLine {
        ModelLine {
            explicit_request: round3(self.explicit_request),
            explicit_request_threshold: round3(self.explicit_request_threshold),
            topic: self.topic.map(|t| policy.topic_name(t).to_owned()),
            topic_score: self.topic.map(|_| round3(self.topic_score)),
            frustration: self.frustration.map(round3),
        }
    }
}

/// The learned model's part of a `baton score` or `baton replay` line, or a `decision` frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelLine {
    /// Probability that the customer asks for a human, and the threshold it is held to.
    pub explicit_request: f32,
    pub explicit_request_threshold: f32,
    /// The topic furthest over its threshold, with its score.
    pub topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic_score: Option<f32>,
    /// The `frustration` head's probability (absent when the model has no such head).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frustration: Option<f32>,
}

/// Three decimals: a score means nothing finer.
fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}
