//! The sections the decider reads: `[escalation]` thresholds and priorities, `[tiers]`,
//! `[load]` relaxation, and `[[topics]]` (what signals a topic and where it goes).

use serde::{Deserialize, Serialize};

/// Trigger thresholds for a standard-tier customer at normal load.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EscalationConfig {
    /// `negative_sentiment` when the moving average of compound falls to this ...
    pub negative_ewma: f64,
    /// ... once the customer has written at least this many turns.
    pub negative_min_turns: u32,
    /// `negative_sentiment` at once when a single message is this negative.
    pub negative_single: f64,
    /// `sentiment_drop` when the trend (compound per turn) falls to this ...
    pub drop_trend: f64,
    /// ... and the latest message is at or below this.
    pub drop_last: f64,
    /// `frustration` when the conversation's frustration score (0..1) reaches this; 1 turns
    /// the trigger off.
    pub frustration: f64,
    /// ... from this customer message on: the first is usually the problem statement, and a
    /// report ("my app keeps crashing") reads much like a complaint to the model.
    pub frustration_min_turns: u32,
    /// A bot reply with confidence below this is a low-confidence reply.
    pub low_confidence: f64,
    /// `low_confidence` after this many consecutive low-confidence bot replies.
    pub low_confidence_turns: u32,
    /// `troubleshooting_stall` after this many bot replies without a resolution ...
    pub stall_bot_turns: u32,
    /// ... or when the bot sends the same reply this many times in a row.
    pub stall_repeats: u32,
    /// `repeat_contact` when the customer already contacted us this many times recently ...
    pub repeat_contacts: u32,
    /// ... within this many seconds (contacts the engine saw end, from the customer
    /// directory; the integrator's `prior_contacts` counts too, whichever is larger).
    pub repeat_window_s: u64,
    /// After an agent hands the conversation back, only explicit requests and mandatory
    /// topics escalate for this many seconds.
    pub handback_cooldown_s: u64,
    /// The skill for escalations without a topic.
    pub default_skill: String,
    /// Base priority (1..=9) of each reason; tier and severity add to it.
    pub priority: ReasonPriorities,
}

impl Default for EscalationConfig {
    fn default() -> Self {
        EscalationConfig {
            negative_ewma: -0.45,
            negative_min_turns: 2,
            negative_single: -0.8,
            drop_trend: -0.3,
            drop_last: -0.3,
            frustration: 0.75,
            frustration_min_turns: 2,
            low_confidence: 0.5,
            low_confidence_turns: 2,
            stall_bot_turns: 8,
            stall_repeats: 2,
            repeat_contacts: 4,
            repeat_window_s: 7 * 24 * 3600,
            handback_cooldown_s: 120,
            default_skill: "general".into(),
            priority: ReasonPriorities::default(),
        }
    }
}

/// Base priority per reason code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReasonPriorities {
    pub explicit_request: u8,
    pub negative_sentiment: u8,
    pub sentiment_drop: u8,
    pub frustration: u8,
    pub low_confidence: u8,
    pub troubleshooting_stall: u8,
    pub mandatory_topic: u8,
    pub repeat_contact: u8,
}

impl Default for ReasonPriorities {
    fn default() -> Self {
        ReasonPriorities {
            explicit_request: 5,
            negative_sentiment: 5,
            sentiment_drop: 4,
            frustration: 5,
            low_confidence: 3,
            troubleshooting_stall: 3,
            mandatory_topic: 5,
            repeat_contact: 5,
        }
    }
}

/// How each customer tier shifts thresholds and priority.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TiersConfig {
    pub standard: TierRule,
    pub premium: TierRule,
    pub enterprise: TierRule,
}

impl Default for TiersConfig {
    fn default() -> Self {
        TiersConfig {
            standard: TierRule {
                sentiment_shift: 0.0,
                frustration_shift: 0.0,
                patience: 1.0,
                priority_bonus: 0,
            },
            premium: TierRule {
                sentiment_shift: 0.1,
                frustration_shift: 0.05,
                patience: 0.75,
                priority_bonus: 1,
            },
            enterprise: TierRule {
                sentiment_shift: 0.2,
                frustration_shift: 0.1,
                patience: 0.5,
                priority_bonus: 2,
            },
        }
    }
}

/// One tier's adjustments.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    /// Added to every sentiment threshold: positive escalates sooner.
    pub sentiment_shift: f64,
    /// Subtracted from the frustration threshold: positive escalates sooner.
    #[serde(default)]
    pub frustration_shift: f64,
    /// Multiplies every turn-count threshold (rounded up, at least 1): below 1 escalates sooner.
    pub patience: f64,
    /// Added to the priority.
    pub priority_bonus: u8,
}

/// Load levels: when a skill queue enters each level, and how far non-mandatory thresholds
/// then relax toward the bot. Explicit requests and mandatory topics are never relaxed. The
/// engine's level (what the decider receives) is the highest of its queues'.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoadConfig {
    pub elevated: LoadRule,
    pub high: LoadRule,
    pub critical: LoadRule,
    /// A queue leaves a level only when its expected wait is below this share of the level's
    /// `enter_ewt_s` and its occupancy `occupancy_margin` below `enter_occupancy` (hysteresis).
    pub exit_ewt_share: f64,
    pub occupancy_margin: f64,
}

impl Default for LoadConfig {
    fn default() -> Self {
        LoadConfig {
            elevated: LoadRule {
                sentiment_relax: 0.1,
                frustration_relax: 0.05,
                turns_factor: 1.5,
                enter_ewt_s: 60,
                enter_occupancy: 0.85,
            },
            high: LoadRule {
                sentiment_relax: 0.2,
                frustration_relax: 0.1,
                turns_factor: 2.0,
                enter_ewt_s: 180,
                enter_occupancy: 0.95,
            },
            critical: LoadRule {
                sentiment_relax: 0.3,
                frustration_relax: 0.15,
                turns_factor: 3.0,
                enter_ewt_s: 600,
                enter_occupancy: 2.0,
            },
            exit_ewt_share: 0.75,
            occupancy_margin: 0.05,
        }
    }
}

/// One load level: when a queue enters it, and the relaxation it brings.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadRule {
    /// Subtracted from every sentiment threshold (a customer must be this much unhappier).
    pub sentiment_relax: f64,
    /// Added to the frustration threshold (a customer must be this much more frustrated).
    #[serde(default)]
    pub frustration_relax: f64,
    /// Multiplies every turn-count threshold (>= 1).
    pub turns_factor: f64,
    /// A queue enters the level when a new customer's expected wait reaches this …
    pub enter_ewt_s: u64,
    /// … or its agents' occupancy (busy slots / staffed slots) reaches this (above 1: never).
    pub enter_occupancy: f64,
}

/// A topic: what signals it, where it goes, and whether it must reach a human.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicConfig {
    /// Stable id, lowercase snake_case: `billing_dispute`.
    pub id: String,
    /// The skill queue that serves it.
    pub skill: String,
    /// Escalate on the first message that raises this topic.
    #[serde(default)]
    pub mandatory: bool,
    /// Only agents cleared for this topic may receive it (their token lists the clearance).
    #[serde(default)]
    pub sensitive: bool,
    /// Base priority when the topic is the reason; defaults to the `mandatory_topic` one.
    #[serde(default)]
    pub priority: Option<u8>,
    /// Phrases that raise the topic. `A ... B` matches A followed by B in the same clause
    /// with at most four words between ("charged ... twice" matches "charged my card twice").
    pub phrases: Vec<String>,
    /// Phrases that cancel the topic when they occur in the same clause ("found my" for a
    /// lost card that turned up).
    #[serde(default)]
    pub except: Vec<String>,
    /// Bot intents that mean this topic (the id itself always does).
    #[serde(default)]
    pub intents: Vec<String>,
}
