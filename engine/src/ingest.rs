//! The ingest step: score, detect, update the tracker, decide — synchronously, on the
//! caller's task, against lock-free state. This is the whole decision path of a message
//! (DESIGN.md §2, steps 2–4); `baton replay` and, later, the engine call exactly this.

use tokio::time::Instant;

use crate::detect::{Detection, Detector, ExplicitRequestConfig};
use crate::escalation::{
    Decision, EscalationConfig, LoadConfig, LoadLevels, Policy, TiersConfig, TopicConfig, decide,
};
use crate::sentiment::{BotTurn, ConversationSignals, Scores, SentimentConfig, polarity_scores};

/// What the decision core reads of the configuration, and nothing else (validated by
/// `Config::validate` before it gets here).
#[derive(Debug, Clone)]
pub struct DecisionConfig {
    pub sentiment: SentimentConfig,
    pub escalation: EscalationConfig,
    pub tiers: TiersConfig,
    pub load: LoadConfig,
    pub explicit_request: ExplicitRequestConfig,
    pub topics: Vec<TopicConfig>,
}

/// The compiled policy and detectors. Cheap to share (`Arc`) between ingress tasks.
#[derive(Debug)]
pub struct Decider {
    policy: Policy,
    detector: Detector,
    sentiment: SentimentConfig,
}

/// A customer turn with the scores and detection behind its decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerOutcome {
    pub scores: Scores,
    pub detection: Detection,
    pub decision: Decision,
}

impl Decider {
    /// Compiles a validated configuration (`Config::decider` validates and calls this).
    pub fn new(config: DecisionConfig) -> Decider {
        crate::sentiment::load_lexicon();
        let detector = Detector::new(&config.explicit_request, &config.topics);
        let policy = Policy::new(config.escalation, config.tiers, config.load, &config.topics);
        Decider { policy, detector, sentiment: config.sentiment }
    }

    /// The tracker's settings.
    pub fn sentiment(&self) -> &SentimentConfig {
        &self.sentiment
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    /// Scores and detects without touching any conversation (`baton score`).
    pub fn analyse(&self, text: &str) -> (Scores, Detection) {
        (polarity_scores(text), self.detector.detect(text))
    }

    /// A customer message, decided under the load of the queue it would escalate to.
    /// `intent`, when the integrator's NLU supplies one, decides the topic instead of the
    /// detector (an intent that names no topic clears it).
    pub fn customer_message(
        &self,
        signals: &ConversationSignals,
        text: &str,
        intent: Option<&str>,
        load: impl LoadLevels,
        now: Instant,
    ) -> CustomerOutcome {
        let (scores, detection) = self.analyse(text);
        signals.record_customer(scores.compound, self.sentiment.ewma_alpha);
        match intent {
            Some(intent) => signals.set_topic(self.policy.topic_for_intent(intent)),
            None if detection.topic.is_some() => signals.set_topic(detection.topic),
            None => {}
        }
        let snapshot = signals.snapshot(detection.explicit_request, self.sentiment.trend_window);
        let load = load.level(self.policy.skill_for(snapshot.topic));
        let decision = decide(&self.policy, &snapshot, load, now);
        CustomerOutcome { scores, detection, decision }
    }

    /// A bot reply; its intent, when given, overrides the conversation's topic.
    pub fn bot_reply(
        &self,
        signals: &ConversationSignals,
        turn: &BotTurn<'_>,
        intent: Option<&str>,
        load: impl LoadLevels,
        now: Instant,
    ) -> Decision {
        signals.record_bot(turn, self.policy.escalation().low_confidence);
        if let Some(intent) = intent {
            signals.set_topic(self.policy.topic_for_intent(intent));
        }
        let snapshot = signals.snapshot(false, self.sentiment.trend_window);
        let load = load.level(self.policy.skill_for(snapshot.topic));
        decide(&self.policy, &snapshot, load, now)
    }
}
