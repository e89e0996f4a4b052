//! The configuration as one TOML schema: every section, its built-in default (no file is
//! needed), parsing (`deny_unknown_fields` catches typos) and one validation pass
//! ([`Config::validate`], in `validate.rs`). Each section's type lives beside the code that
//! reads it and is re-exported here; [`Config::split`] gives the engine everything but
//! `[server]`, which goes to the server alone, and the decision core receives only
//! [`DecisionConfig`].

mod server;
mod validate;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use server::{DEV_API_KEY, DEV_TOKEN_SECRET, ServerConfig};

pub use crate::context::ContextConfig;
pub use crate::detect::ExplicitRequestConfig;
use crate::detect::phrases;
pub use crate::escalation::{
    EscalationConfig, LoadConfig, LoadRule, ReasonPriorities, TierRule, TiersConfig, TopicConfig,
};
pub use crate::frustration::FrustrationConfig;
pub use crate::ingest::DecisionConfig;
pub use crate::journal::StoreConfig;
pub use crate::model::ModelConfig;
pub use crate::routing::{Handoff, QueueConfig, Ring, RoutingConfig};
pub use crate::sentiment::SentimentConfig;
pub use crate::wait::{CallbackConfig, MessagesConfig, WaitBand};

/// Why a configuration was rejected.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("invalid config: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("invalid config: {field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("invalid config: model: {0}")]
    Model(#[from] crate::model::ModelError),
}

pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { field: field.into(), reason: reason.into() }
}

/// The whole configuration file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub sentiment: SentimentConfig,
    pub escalation: EscalationConfig,
    pub tiers: TiersConfig,
    pub load: LoadConfig,
    pub explicit_request: ExplicitRequestConfig,
    /// Cue phrases and weights of the frustration score (`[frustration]`).
    pub frustration: FrustrationConfig,
    /// The learned model beside the explicit-request and topic rules (`[model]`).
    pub model: ModelConfig,
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
    /// Where the journal lives (`[store]`; in memory without a directory).
    pub store: StoreConfig,
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
            frustration: FrustrationConfig::default(),
            model: ModelConfig::default(),
            routing: RoutingConfig::default(),
            messages: MessagesConfig::default(),
            context: ContextConfig::default(),
            callback: CallbackConfig::default(),
            queues: Vec::new(),
            engine: EngineSettings::default(),
            server: ServerConfig::default(),
            topics: phrases::default_topics(),
            store: StoreConfig::default(),
        }
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

/// Everything the engine reads: the configuration without `[server]`.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub sentiment: SentimentConfig,
    pub escalation: EscalationConfig,
    pub tiers: TiersConfig,
    pub load: LoadConfig,
    pub explicit_request: ExplicitRequestConfig,
    pub frustration: FrustrationConfig,
    pub model: ModelConfig,
    pub routing: RoutingConfig,
    pub messages: MessagesConfig,
    pub callback: CallbackConfig,
    pub queues: Vec<QueueConfig>,
    pub engine: EngineSettings,
    pub context: ContextConfig,
    pub topics: Vec<TopicConfig>,
    pub store: StoreConfig,
}

impl EngineConfig {
    /// How `skill`'s queue hands conversations over (warm unless configured).
    pub fn handoff_for(&self, skill: &str) -> Handoff {
        self.queues.iter().find(|q| q.skill == skill).map_or_else(Handoff::default, |q| q.handoff)
    }

    /// What the decision core reads, and nothing else; reads the model file, if one is set
    /// (the embedded model is read once per process).
    pub fn decision(&self) -> Result<DecisionConfig, ConfigError> {
        Ok(DecisionConfig {
            sentiment: self.sentiment.clone(),
            escalation: self.escalation.clone(),
            tiers: self.tiers.clone(),
            load: self.load.clone(),
            explicit_request: self.explicit_request.clone(),
            frustration: self.frustration.clone(),
            topics: self.topics.clone(),
            model: self.model.load()?,
            model_thresholds: self.model.thresholds.clone(),
        })
    }
}

impl Config {
    /// The engine's part and the server's part (the engine never holds server credentials).
    pub fn split(self) -> (EngineConfig, ServerConfig) {
        let Config {
            sentiment,
            escalation,
            tiers,
            load,
            explicit_request,
            frustration,
            model,
            routing,
            messages,
            callback,
            queues,
            engine,
            server,
            context,
            topics,
            store,
        } = self;
        let engine = EngineConfig {
            sentiment,
            escalation,
            tiers,
            load,
            explicit_request,
            frustration,
            model,
            routing,
            messages,
            callback,
            queues,
            engine,
            context,
            topics,
            store,
        };
        (engine, server)
    }

    /// Validates and compiles the decision core (for `baton score` and `replay`).
    pub fn decider(&self) -> Result<crate::ingest::Decider, ConfigError> {
        self.validate()?;
        Ok(crate::ingest::Decider::new(self.clone().split().0.decision()?))
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

    /// The configuration as TOML (what `baton config` prints); credentials are never printed.
    pub fn to_toml(&self) -> String {
        match toml::to_string(self) {
            Ok(text) => text.replacen(
                "[server]\n",
                "[server]\n# api_keys and token_secret are never printed: set them here, or in\n\
                 # BATON_API_KEYS (comma-separated) and BATON_TOKEN_SECRET.\n",
                1,
            ),
            Err(e) => format!("# cannot render config: {e}\n"),
        }
    }
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
        let err = Config::from_toml("[frustration.without_model]\ncomplaint = 1e9\n")
            .expect_err("must be rejected");
        assert!(err.to_string().contains("frustration.without_model"), "{err}");
        let err = Config::from_toml("[frustration]\ncarry = 1.0\n").expect_err("must be rejected");
        assert!(err.to_string().contains("frustration.carry"), "{err}");
        let err =
            Config::from_toml("[escalation]\nfrustration = 0.0\n").expect_err("must be rejected");
        assert!(err.to_string().contains("escalation.frustration"), "{err}");
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
