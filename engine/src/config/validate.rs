//! The one validation pass over a whole configuration: ranges, references between
//! sections, phrases, and every id by the rules of [`crate::ids`].

use super::EngineSettings;
use super::{Config, ConfigError, invalid};
use crate::context::ContextConfig;
use crate::detect::ExplicitRequestConfig;
use crate::escalation::{EscalationConfig, TopicConfig};
use crate::frustration::FrustrationConfig;
use crate::ids::IdKind;
use crate::routing::{QueueConfig, RoutingConfig};
use crate::wait::MessagesConfig;

impl Config {
    /// Checks ranges and references; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.model.validate().map_err(|reason| invalid("model", reason))?;
        if self.store.sweep_interval_s == 0 {
            return Err(invalid("store.sweep_interval_s", "must be > 0"));
        }
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
            if !(-1.0..=1.0).contains(&rule.frustration_shift) {
                return Err(invalid(
                    format!("tiers.{name}.frustration_shift"),
                    "must be in [-1, 1]",
                ));
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
            if !(0.0..=1.0).contains(&rule.frustration_relax) {
                return Err(invalid(format!("load.{name}.frustration_relax"), "must be in [0, 1]"));
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
        self.frustration.validate()?;
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
        if !(0.0..=1.0).contains(&self.frustration) || self.frustration == 0.0 {
            return Err(invalid("escalation.frustration", "must be in (0, 1] (1 turns it off)"));
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
            ("frustration_min_turns", self.frustration_min_turns),
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
            p.explicit_request, p.negative_sentiment, p.sentiment_drop, p.frustration,
            p.low_confidence, p.troubleshooting_stall, p.mandatory_topic, p.repeat_contact,
        ] {
            if !(1..=9).contains(&value) {
                return Err(invalid("escalation.priority", "every priority must be in 1..=9"));
            }
        }
        Ok(())
    }
}

impl FrustrationConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        for (name, list) in [
            ("persistence", &self.persistence),
            ("waiting", &self.waiting),
            ("complaint", &self.complaint),
            ("profanity", &self.profanity),
        ] {
            check_phrases(&format!("frustration.{name}"), list)?;
        }
        if !(0.0..1.0).contains(&self.carry) {
            return Err(invalid("frustration.carry", "must be in [0, 1)"));
        }
        for (name, w) in [("weights", &self.weights), ("without_model", &self.without_model)] {
            let all = [
                w.bias, w.model, w.negative, w.positive, w.persistence, w.waiting, w.complaint,
                w.profanity, w.shouting, w.punctuation, w.repeated, w.slope,
            ];
            if !all.iter().all(|v| v.is_finite() && v.abs() <= 100.0) {
                return Err(invalid(
                    format!("frustration.{name}"),
                    "every weight must be finite, |w| <= 100",
                ));
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
            ("machines", &self.machines),
        ] {
            check_phrases(&format!("explicit_request.{name}"), list)?;
        }
        if !(1..=12).contains(&self.window) {
            return Err(invalid("explicit_request.window", "must be in 1..=12"));
        }
        Ok(())
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

impl ContextConfig {
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

/// Ids, skills and clearances become queues and metric labels: the label rule of
/// [`crate::ids`], the same one the engine applies to agents' skills.
fn check_id(field: &str, id: &str) -> Result<(), ConfigError> {
    crate::ids::check(IdKind::Label, id).map_err(|rule| invalid(field, rule))
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
