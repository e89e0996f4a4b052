//! The typed configuration: thresholds, phrase lists, topics and their skills, tier and load
//! rules. Every field has a built-in default, so no file is needed; a TOML file overrides
//! what it names (`deny_unknown_fields` catches typos) and is validated before use.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::detect::phrases;
use crate::routing::Strategy;

/// Why a configuration was rejected.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("invalid config: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("invalid config: {field}: {reason}")]
    Invalid { field: String, reason: String },
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { field: field.into(), reason: reason.into() }
}

/// Everything the decision core reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub sentiment: SentimentConfig,
    pub escalation: EscalationConfig,
    pub tiers: TiersConfig,
    pub load: LoadConfig,
    pub explicit_request: ExplicitRequestConfig,
    pub routing: RoutingConfig,
    pub messages: MessagesConfig,
    pub callback: CallbackConfig,
    /// Per-skill queue settings (overflow rings); skills not listed use one ring that takes
    /// any agent with the skill.
    pub queues: Vec<QueueConfig>,
    pub engine: EngineSettings,
    pub server: ServerConfig,
    /// What the agent receives with a conversation (the context packet).
    pub context: ContextConfig,
    /// Topics in precedence order (the first that matches a message wins). Setting `topics`
    /// replaces the default list; `baton config` prints the defaults to start from.
    pub topics: Vec<TopicConfig>,
}

/// The per-conversation sentiment tracker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SentimentConfig {
    /// Weight of the newest customer turn in the moving average (0 < alpha <= 1).
    pub ewma_alpha: f64,
    /// Customer turns in the trend (least-squares slope of compound per turn), 2..=16.
    pub trend_window: usize,
}

impl Default for SentimentConfig {
    fn default() -> Self {
        SentimentConfig { ewma_alpha: 0.5, trend_window: 4 }
    }
}

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
            standard: TierRule { sentiment_shift: 0.0, patience: 1.0, priority_bonus: 0 },
            premium: TierRule { sentiment_shift: 0.1, patience: 0.75, priority_bonus: 1 },
            enterprise: TierRule { sentiment_shift: 0.2, patience: 0.5, priority_bonus: 2 },
        }
    }
}

/// One tier's adjustments.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    /// Added to every sentiment threshold: positive escalates sooner.
    pub sentiment_shift: f64,
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
                turns_factor: 1.5,
                enter_ewt_s: 60,
                enter_occupancy: 0.85,
            },
            high: LoadRule {
                sentiment_relax: 0.2,
                turns_factor: 2.0,
                enter_ewt_s: 180,
                enter_occupancy: 0.95,
            },
            critical: LoadRule {
                sentiment_relax: 0.3,
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
    /// Multiplies every turn-count threshold (>= 1).
    pub turns_factor: f64,
    /// A queue enters the level when a new customer's expected wait reaches this …
    pub enter_ewt_s: u64,
    /// … or its agents' occupancy (busy slots / staffed slots) reaches this (above 1: never).
    pub enter_occupancy: f64,
}

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
            window: 3,
            standalone_max_words: 4,
        }
    }
}

/// How skill queues choose agents and customers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingConfig {
    /// Among several agents that fit: `longest_idle`, `least_occupied`, `highest_proficiency`.
    pub strategy: Strategy,
    /// Seconds of waiting worth one priority point (aging).
    pub aging_s_per_priority: u64,
    /// Seconds an agent has to accept an offer.
    pub offer_timeout_s: u64,
    /// Consecutive offer timeouts after which an agent is set `away`.
    pub max_consecutive_timeouts: u32,
    /// Seconds of after-chat work before a wrapped-up conversation closes by itself.
    pub wrap_up_s: u64,
    /// Handle time assumed for a queue before any conversation of it was handled.
    pub initial_handle_s: u64,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        RoutingConfig {
            strategy: Strategy::LongestIdle,
            aging_s_per_priority: 60,
            offer_timeout_s: 30,
            max_consecutive_timeouts: 3,
            wrap_up_s: 30,
            initial_handle_s: 240,
        }
    }
}

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

impl MessagesConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        for (name, template) in [
            ("queued", &self.queued),
            ("queued_now", &self.queued_now),
            ("update", &self.update),
            ("agent_joined", &self.agent_joined),
            ("callback_offer", &self.callback_offer),
            ("callback_scheduled", &self.callback_scheduled),
        ] {
            if let Some(bad) = unknown_placeholder(template) {
                return Err(invalid(
                    format!("messages.{name}"),
                    format!("unknown placeholder {{{bad}}}"),
                ));
            }
        }
        if self.bands.is_empty() || self.bands.windows(2).any(|w| w[0].up_to_s >= w[1].up_to_s) {
            return Err(invalid("messages.bands", "needs at least one band, ascending by up_to_s"));
        }
        Ok(())
    }
}

/// The first `{name}` in `template` that is not a known placeholder.
fn unknown_placeholder(template: &str) -> Option<&str> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        if !matches!(name, "position" | "queue" | "wait" | "agent" | "team") {
            return Some(name);
        }
        rest = &after[close + 1..];
    }
    None
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

/// One skill queue's overflow rings (bullseye routing): a waiting customer becomes visible to
/// the next ring's agents when its timer expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueConfig {
    pub skill: String,
    /// Ascending by `after_s`, the first at 0.
    pub rings: Vec<Ring>,
    /// `warm` (default): the packet opens with a summary; `cold`: transcript and facts only.
    #[serde(default)]
    pub handoff: Handoff,
}

/// How a queue hands conversations over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handoff {
    #[default]
    Warm,
    Cold,
}

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

    fn validate(&self) -> Result<(), ConfigError> {
        if !(2..=1000).contains(&self.max_transcript_turns) {
            return Err(invalid("context.max_transcript_turns", "must be in 2..=1000"));
        }
        if !(20..=100_000).contains(&self.max_turn_chars) {
            return Err(invalid("context.max_turn_chars", "must be in 20..=100000"));
        }
        if self.directory_max_customers == 0 {
            return Err(invalid("context.directory_max_customers", "must be at least 1"));
        }
        if self.max_history_contacts > crate::context::history::MAX_CONTACTS_PER_CUSTOMER {
            return Err(invalid("context.max_history_contacts", "must be at most 32"));
        }
        check_id("context.pii_clearance", &self.pii_clearance)?;
        if !self.mood.is_valid() {
            return Err(invalid(
                "context.mood",
                "thresholds must satisfy -1 <= angry < frustrated < concerned <= 1",
            ));
        }
        Ok(())
    }
}

/// Who may take a customer once it has waited `after_s`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ring {
    pub after_s: u64,
    /// Lowest proficiency in the queue's skill.
    #[serde(default = "one")]
    pub min_proficiency: u8,
    /// Agents with any of these skills (any proficiency) may take the customer too; later
    /// rings keep the skills earlier rings added.
    #[serde(default)]
    pub extra_skills: Vec<String>,
}

fn one() -> u8 {
    1
}

impl QueueConfig {
    fn validate(&self, i: usize) -> Result<(), ConfigError> {
        let field = format!("queues[{i}]");
        check_id(&format!("{field}.skill"), &self.skill)?;
        if self.rings.first().is_none_or(|r| r.after_s != 0) {
            return Err(invalid(format!("{field}.rings"), "the first ring starts at after_s = 0"));
        }
        if self.rings.windows(2).any(|w| w[0].after_s >= w[1].after_s) {
            return Err(invalid(format!("{field}.rings"), "rings must be ascending by after_s"));
        }
        for (j, ring) in self.rings.iter().enumerate() {
            if !(1..=5).contains(&ring.min_proficiency) {
                return Err(invalid(
                    format!("{field}.rings[{j}].min_proficiency"),
                    "must be in 1..=5",
                ));
            }
            for skill in &ring.extra_skills {
                check_id(&format!("{field}.rings[{j}].extra_skills"), skill)?;
            }
        }
        Ok(())
    }
}

/// `baton serve`: where it listens, who may connect, and how much a client may ask of it.
/// The defaults work out of the box on loopback and are NOT secrets: set `api_keys` and
/// `token_secret` before exposing the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// WebSocket endpoints `/v1/gateway`, `/v1/agent`, and `/healthz`, `/readyz`.
    pub listen: String,
    /// Prometheus `/metrics`.
    pub admin_listen: String,
    /// Gateway connections present one of these (`Authorization: Bearer …` or `?key=`).
    pub api_keys: Vec<String>,
    /// Signs agent tokens (`baton token`).
    pub token_secret: String,
    /// Largest frame accepted, bytes; larger ones get `frame_too_large`.
    pub max_frame_bytes: usize,
    /// Longest message text, bytes; longer ones get `text_too_long`.
    pub max_text_bytes: usize,
    /// Frames buffered for a client that reads slowly; beyond, it is disconnected.
    pub outbound_buffer: usize,
    /// Errors a connection may cause within `error_window_s` before it is closed (4002).
    pub error_budget: u32,
    pub error_window_s: u64,
    /// An agent whose desktop disconnects keeps its conversations this long, to reconnect.
    pub agent_resume_grace_s: u64,
    /// On shutdown, seconds to let in-flight work finish.
    pub shutdown_grace_s: u64,
    /// Logs as JSON lines instead of text.
    pub log_json: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:7878".into(),
            admin_listen: "127.0.0.1:9464".into(),
            api_keys: vec![DEV_API_KEY.into()],
            token_secret: DEV_TOKEN_SECRET.into(),
            max_frame_bytes: 64 * 1024,
            max_text_bytes: 8 * 1024,
            outbound_buffer: 1024,
            error_budget: 100,
            error_window_s: 60,
            agent_resume_grace_s: 30,
            shutdown_grace_s: 10,
            log_json: false,
        }
    }
}

/// The built-in gateway key (for trying Baton on loopback only).
pub const DEV_API_KEY: &str = "dev-gateway-key";
/// The built-in token secret (for trying Baton on loopback only).
pub const DEV_TOKEN_SECRET: &str = "dev-token-secret-change-me";

impl ServerConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.api_keys.is_empty() || self.api_keys.iter().any(|k| k.len() < 8) {
            return Err(invalid("server.api_keys", "needs at least one key, each 8 bytes or more"));
        }
        if self.token_secret.len() < 16 {
            return Err(invalid("server.token_secret", "must be 16 bytes or more"));
        }
        if self.max_frame_bytes < 1024
            || self.max_text_bytes == 0
            || self.max_text_bytes > self.max_frame_bytes
        {
            return Err(invalid(
                "server.max_text_bytes",
                "must be positive and fit in max_frame_bytes (at least 1024)",
            ));
        }
        if self.outbound_buffer == 0 || self.error_budget == 0 || self.error_window_s == 0 {
            return Err(invalid(
                "server",
                "outbound_buffer, error_budget and error_window_s must be at least 1",
            ));
        }
        Ok(())
    }

    /// Whether the built-in (public) credentials are in use.
    pub fn uses_dev_credentials(&self) -> bool {
        self.api_keys.iter().any(|k| k == DEV_API_KEY) || self.token_secret == DEV_TOKEN_SECRET
    }
}

/// The engine's own limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EngineSettings {
    /// Events buffered per subscription before a slow subscriber starts missing them.
    pub event_buffer: usize,
    /// Restarts a supervisor allows within `restart_window_s` before it gives up and
    /// escalates to its parent.
    pub max_restarts: u32,
    pub restart_window_s: u64,
    /// Seconds an API call waits for an actor's answer.
    pub call_timeout_s: u64,
    /// Finished (closed or abandoned) conversations kept for listing, newest first.
    pub finished_retained: usize,
    /// Seconds a conversation with the bot may sit idle before its actor hibernates (stops,
    /// keeping its record; the next message starts a new one). 0: never.
    pub hibernate_after_s: u64,
    /// Admission control: conversations open at once; beyond, `open` is `overloaded`.
    pub max_live_conversations: usize,
    /// Admission control: commands waiting for one conversation's or agent's actor; beyond,
    /// calls for it are `overloaded` (the engine keeps serving everyone else).
    pub max_inbox: usize,
    /// The retry-after hint of an `overloaded` error, milliseconds.
    pub retry_after_ms: u64,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            event_buffer: 64,
            max_restarts: 20,
            restart_window_s: 10,
            call_timeout_s: 5,
            finished_retained: 10_000,
            hibernate_after_s: 30,
            max_live_conversations: 200_000,
            max_inbox: 1_024,
            retry_after_ms: 1_000,
        }
    }
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

impl Default for Config {
    /// The built-in defaults, including the four default topics.
    fn default() -> Config {
        Config {
            sentiment: SentimentConfig::default(),
            escalation: EscalationConfig::default(),
            tiers: TiersConfig::default(),
            load: LoadConfig::default(),
            explicit_request: ExplicitRequestConfig::default(),
            routing: RoutingConfig::default(),
            messages: MessagesConfig::default(),
            context: ContextConfig::default(),
            callback: CallbackConfig::default(),
            queues: Vec::new(),
            engine: EngineSettings::default(),
            server: ServerConfig::default(),
            topics: phrases::default_topics(),
        }
    }
}

impl Config {
    /// How `skill`'s queue hands conversations over (warm unless configured).
    pub fn handoff_for(&self, skill: &str) -> Handoff {
        self.queues.iter().find(|q| q.skill == skill).map_or_else(Handoff::default, |q| q.handoff)
    }

    /// Parses TOML over the built-in defaults and validates the result.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text)?;
        config.validate()?;
        Ok(config)
    }

    /// Reads and validates a TOML file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        Config::from_toml(&text)
    }

    /// The configuration as TOML (what `baton config` prints).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot render config: {e}\n"))
    }

    /// Checks ranges and references; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let s = &self.sentiment;
        if !(s.ewma_alpha > 0.0 && s.ewma_alpha <= 1.0) {
            return Err(invalid("sentiment.ewma_alpha", "must be in (0, 1]"));
        }
        if !(2..=crate::sentiment::MAX_TREND_WINDOW).contains(&s.trend_window) {
            return Err(invalid("sentiment.trend_window", "must be in 2..=16"));
        }
        self.escalation.validate()?;
        for (name, rule) in [
            ("standard", &self.tiers.standard),
            ("premium", &self.tiers.premium),
            ("enterprise", &self.tiers.enterprise),
        ] {
            if !(rule.patience > 0.0 && rule.patience.is_finite()) {
                return Err(invalid(format!("tiers.{name}.patience"), "must be > 0"));
            }
            if !(-1.0..=1.0).contains(&rule.sentiment_shift) {
                return Err(invalid(format!("tiers.{name}.sentiment_shift"), "must be in [-1, 1]"));
            }
        }
        for (name, rule) in [
            ("elevated", &self.load.elevated),
            ("high", &self.load.high),
            ("critical", &self.load.critical),
        ] {
            if !(rule.turns_factor >= 1.0 && rule.turns_factor.is_finite()) {
                return Err(invalid(format!("load.{name}.turns_factor"), "must be >= 1"));
            }
            if !(0.0..=2.0).contains(&rule.sentiment_relax) {
                return Err(invalid(format!("load.{name}.sentiment_relax"), "must be in [0, 2]"));
            }
            if rule.enter_occupancy.is_nan() || rule.enter_occupancy <= 0.0 {
                return Err(invalid(format!("load.{name}.enter_occupancy"), "must be > 0"));
            }
        }
        let l = &self.load;
        if !(l.elevated.enter_ewt_s <= l.high.enter_ewt_s
            && l.high.enter_ewt_s <= l.critical.enter_ewt_s)
        {
            return Err(invalid("load", "enter_ewt_s must not decrease from elevated to critical"));
        }
        if !(0.0..1.0).contains(&l.exit_ewt_share) || !(0.0..1.0).contains(&l.occupancy_margin) {
            return Err(invalid("load", "exit_ewt_share and occupancy_margin must be in [0, 1)"));
        }
        self.explicit_request.validate()?;
        self.routing.validate()?;
        self.server.validate()?;
        self.messages.validate()?;
        for (i, queue) in self.queues.iter().enumerate() {
            queue.validate(i)?;
            if self.queues[..i].iter().any(|q| q.skill == queue.skill) {
                return Err(invalid(
                    format!("queues[{i}].skill"),
                    format!("{:?} is listed twice", queue.skill),
                ));
            }
        }
        if !(self.callback.promise_factor >= 1.0 && self.callback.promise_factor.is_finite()) {
            return Err(invalid("callback.promise_factor", "must be >= 1"));
        }
        self.engine.validate()?;
        self.context.validate()?;
        validate_topics(&self.topics)
    }
}

impl EscalationConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        for (name, value) in [
            ("negative_ewma", self.negative_ewma),
            ("negative_single", self.negative_single),
            ("drop_last", self.drop_last),
        ] {
            if !(-1.0..=1.0).contains(&value) {
                return Err(invalid(format!("escalation.{name}"), "must be in [-1, 1]"));
            }
        }
        if !(-2.0..0.0).contains(&self.drop_trend) {
            return Err(invalid("escalation.drop_trend", "must be in [-2, 0)"));
        }
        if !(0.0..=1.0).contains(&self.low_confidence) {
            return Err(invalid("escalation.low_confidence", "must be in [0, 1]"));
        }
        for (name, value) in [
            ("low_confidence_turns", self.low_confidence_turns),
            ("stall_bot_turns", self.stall_bot_turns),
            ("stall_repeats", self.stall_repeats),
            ("repeat_contacts", self.repeat_contacts),
            ("repeat_window_s", u32::try_from(self.repeat_window_s).unwrap_or(u32::MAX)),
        ] {
            if value == 0 {
                return Err(invalid(format!("escalation.{name}"), "must be at least 1"));
            }
        }
        check_id("escalation.default_skill", &self.default_skill)?;
        let p = &self.priority;
        for value in [
            p.explicit_request, p.negative_sentiment, p.sentiment_drop, p.low_confidence,
            p.troubleshooting_stall, p.mandatory_topic, p.repeat_contact,
        ] {
            if !(1..=9).contains(&value) {
                return Err(invalid("escalation.priority", "every priority must be in 1..=9"));
            }
        }
        Ok(())
    }
}

impl RoutingConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.offer_timeout_s == 0 {
            return Err(invalid("routing.offer_timeout_s", "must be at least 1"));
        }
        if self.max_consecutive_timeouts == 0 {
            return Err(invalid("routing.max_consecutive_timeouts", "must be at least 1"));
        }
        Ok(())
    }
}

impl EngineSettings {
    fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=65_536).contains(&self.event_buffer) {
            return Err(invalid("engine.event_buffer", "must be in 1..=65536"));
        }
        if self.max_restarts == 0 || self.restart_window_s == 0 {
            return Err(invalid("engine.max_restarts", "restarts and window must be at least 1"));
        }
        if self.call_timeout_s == 0 {
            return Err(invalid("engine.call_timeout_s", "must be at least 1"));
        }
        if self.max_live_conversations == 0 || self.max_inbox == 0 {
            return Err(invalid("engine.max_inbox", "limits must be at least 1"));
        }
        Ok(())
    }
}

impl ExplicitRequestConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.nouns.is_empty() {
            return Err(invalid("explicit_request.nouns", "needs at least one noun"));
        }
        for (name, list) in [
            ("nouns", &self.nouns),
            ("verbs", &self.verbs),
            ("trailing_verbs", &self.trailing_verbs),
            ("phrases", &self.phrases),
            ("negations", &self.negations),
            ("adjacent_negations", &self.adjacent_negations),
            ("hard_negatives", &self.hard_negatives),
        ] {
            check_phrases(&format!("explicit_request.{name}"), list)?;
        }
        if !(1..=12).contains(&self.window) {
            return Err(invalid("explicit_request.window", "must be in 1..=12"));
        }
        Ok(())
    }
}

fn validate_topics(topics: &[TopicConfig]) -> Result<(), ConfigError> {
    if topics.len() > 250 {
        return Err(invalid("topics", "at most 250 topics"));
    }
    for (i, topic) in topics.iter().enumerate() {
        let field = format!("topics[{i}]");
        check_id(&format!("{field}.id"), &topic.id)?;
        check_id(&format!("{field}.skill"), &topic.skill)?;
        if topics[..i].iter().any(|t| t.id == topic.id) {
            return Err(invalid(
                format!("{field}.id"),
                format!("duplicate topic id {:?}", topic.id),
            ));
        }
        // A topic only a bot can name is fine (its id is an intent); no phrases is allowed.
        check_phrases(&format!("{field}.phrases"), &topic.phrases)?;
        check_phrases(&format!("{field}.except"), &topic.except)?;
        if topic.priority.is_some_and(|p| !(1..=9).contains(&p)) {
            return Err(invalid(format!("{field}.priority"), "must be in 1..=9"));
        }
    }
    Ok(())
}

/// Ids and skills are lowercase snake_case so they are safe as metric labels and map keys.
fn check_id(field: &str, id: &str) -> Result<(), ConfigError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(invalid(field, format!("{id:?} is not a lowercase snake_case id")))
    }
}

fn check_phrases(field: &str, list: &[String]) -> Result<(), ConfigError> {
    let mut scratch = crate::detect::Normalized::default();
    for phrase in list {
        let parts: Vec<&str> = phrase.split(crate::detect::PAIR_SEPARATOR).collect();
        if parts.len() > 2 {
            return Err(invalid(field, format!("{phrase:?} has more than one `...`")));
        }
        if parts.iter().any(|part| scratch.phrase(part).is_empty()) {
            return Err(invalid(field, format!("{phrase:?} has no words (on one side of `...`)")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_valid_and_round_trips() {
        let config = Config::default();
        config.validate().expect("builtin config is valid");
        let again = Config::from_toml(&config.to_toml()).expect("printed config parses");
        assert_eq!(again.topics.len(), 4);
        assert_eq!(again.to_toml(), config.to_toml());
    }

    #[test]
    fn empty_file_means_defaults() {
        let config = Config::from_toml("").expect("empty config");
        assert_eq!(config.topics.len(), 4);
        assert_eq!(config.escalation.low_confidence_turns, 2);
    }

    #[test]
    fn unknown_and_invalid_fields_are_rejected() {
        let err = Config::from_toml("[escalation]\nnegative_ewna = -0.5\n")
            .expect_err("must be rejected");
        assert!(err.to_string().contains("negative_ewna"), "{err}");
        let err =
            Config::from_toml("[sentiment]\newma_alpha = 0.0\n").expect_err("must be rejected");
        assert!(err.to_string().contains("sentiment.ewma_alpha"), "{err}");
        let err = Config::from_toml(
            "[[topics]]\nid = \"Billing\"\nskill = \"billing\"\nphrases = [\"refund\"]\n",
        )
        .expect_err("must be rejected");
        assert!(err.to_string().contains("topics[0].id"), "{err}");
        let err = Config::from_toml("[explicit_request]\nnouns = [\"!!!\"]\n")
            .expect_err("must be rejected");
        assert!(err.to_string().contains("has no words"), "{err}");
        let err = Config::from_toml(
            "[[topics]]\nid = \"x\"\nskill = \"y\"\nphrases = [\"a ... b ... c\"]\n",
        )
        .expect_err("must be rejected");
        assert!(err.to_string().contains("more than one"), "{err}");
        let err = Config::from_toml("[messages]\nqueued = \"you are {place}\"\n")
            .expect_err("must be rejected");
        assert!(err.to_string().contains("unknown placeholder {place}"), "{err}");
        let err = Config::from_toml("[context]\ndirectory_max_customers = 0\n")
            .expect_err("must be rejected");
        assert!(err.to_string().contains("context.directory_max_customers"), "{err}");
    }

    #[test]
    fn topics_replace_the_defaults() {
        let config = Config::from_toml(
            "[[topics]]\nid = \"warranty\"\nskill = \"claims\"\nmandatory = true\nphrases = [\"warranty claim\"]\n",
        )
        .expect("custom topics");
        assert_eq!(config.topics.len(), 1);
        assert_eq!(config.topics[0].id, "warranty");
    }
}
