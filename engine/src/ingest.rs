//! The ingest step: score, detect, weigh frustration, update the tracker, decide — synchronously, on the
//! caller's task, against lock-free state. This is the whole decision path of a message
//! (DESIGN.md §2, steps 2–4); `baton replay` and, later, the engine call exactly this.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::time::Instant;

use crate::detect::{Detection, Detector, ExplicitRequestConfig};
use crate::escalation::{
    Decision, EscalationConfig, LoadConfig, LoadLevels, ModelScore, Policy, TiersConfig,
    TopicConfig, TopicId, decide,
};
use crate::frustration::{self, FrustrationConfig};
use crate::model::{EXPLICIT_REQUEST, FRUSTRATION, Model};
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
    pub frustration: FrustrationConfig,
    pub topics: Vec<TopicConfig>,
    /// The learned model beside the rules (none: the rules alone).
    pub model: Option<Arc<Model>>,
    /// Thresholds replacing the model's own, by label.
    pub model_thresholds: BTreeMap<String, f32>,
}

/// The compiled policy and detectors. Cheap to share (`Arc`) between ingress tasks.
#[derive(Debug)]
pub struct Decider {
    policy: Policy,
    detector: Detector,
    sentiment: SentimentConfig,
    frustration: FrustrationConfig,
    heads: Option<Heads>,
}

/// The model's heads wired to the policy: which output is the request, which are topics.
#[derive(Debug)]
struct Heads {
    model: Arc<Model>,
    /// (output, threshold) of `explicit_request`, when the model has it.
    request: Option<(usize, f32)>,
    /// (output, threshold, topic) for each configured topic the model has a head for.
    topics: Vec<(usize, f32, TopicId)>,
    /// The output of `frustration`, when the model has it.
    frustration: Option<usize>,
}

impl Heads {
    fn new(model: Arc<Model>, policy: &Policy, overrides: &BTreeMap<String, f32>) -> Heads {
        let threshold =
            |i: usize| overrides.get(&model.labels()[i]).copied().unwrap_or(model.thresholds()[i]);
        let request = model.label(EXPLICIT_REQUEST).map(|i| (i, threshold(i)));
        let topics = (0..model.labels().len())
            .filter_map(|i| {
                let topic = policy.topic_by_name(&model.labels()[i])?;
                Some((i, threshold(i), topic))
            })
            .collect();
        let frustration = model.label(FRUSTRATION);
        Heads { model, request, topics, frustration }
    }

    /// Scores the text and widens the rules' detection: the model adds a request the rules
    /// did not veto, and a topic when the rules found none and cancelled none.
    fn apply(&self, text: &str, detection: &mut Detection) -> ModelScore {
        let scores = self.model.score(text);
        let (request, request_threshold) =
            self.request.map_or((0.0, 1.0), |(i, t)| (scores.get(i), t));
        if request >= request_threshold && !detection.request_vetoed {
            detection.explicit_request = true;
        }
        // The topic whose score is furthest over its threshold.
        let best = self
            .topics
            .iter()
            .map(|&(i, t, topic)| (scores.get(i), t, topic))
            .filter(|(p, t, _)| p >= t)
            .max_by(|a, b| (a.0 - a.1).total_cmp(&(b.0 - b.1)));
        if let Some((_, _, topic)) = best
            && detection.topic.is_none()
            && !detection.topic_vetoed
        {
            detection.topic = Some(topic);
        }
        ModelScore {
            explicit_request: request,
            explicit_request_threshold: request_threshold,
            topic: best.map(|b| b.2),
            topic_score: best.map_or(0.0, |b| b.0),
            topic_threshold: best.map_or(0.0, |b| b.1),
            frustration: self.frustration.map(|i| scores.get(i)),
        }
    }
}

/// A customer turn with the scores and detection behind its decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerOutcome {
    pub scores: Scores,
    /// The rules' findings widened by the model's.
    pub detection: Detection,
    pub decision: Decision,
}

/// What `Decider::analyse` finds in one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Analysis {
    pub scores: Scores,
    /// The rules and the model together (what decisions use).
    pub detection: Detection,
    /// The rules alone.
    pub rules: Detection,
    /// The model's scores, when one runs.
    pub model: Option<ModelScore>,
    /// The log-odds that the message, read alone, is a frustrated customer's.
    pub frustration_logit: f64,
}

impl Analysis {
    /// The frustration of the message read alone, 0..1.
    pub fn frustration(&self) -> f64 {
        frustration::sigmoid(self.frustration_logit)
    }
}

impl Decider {
    /// Compiles a validated configuration (`Config::decider` validates and calls this).
    pub fn new(config: DecisionConfig) -> Decider {
        crate::sentiment::load_lexicon();
        let detector = Detector::new(&config.explicit_request, &config.frustration, &config.topics);
        let policy = Policy::new(config.escalation, config.tiers, config.load, &config.topics);
        let heads = config.model.map(|m| Heads::new(m, &policy, &config.model_thresholds));
        Decider {
            policy,
            detector,
            sentiment: config.sentiment,
            frustration: config.frustration,
            heads,
        }
    }

    /// The learned model running beside the rules, if any.
    pub fn model(&self) -> Option<&Model> {
        self.heads.as_ref().map(|h| &*h.model)
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
    pub fn analyse(&self, text: &str) -> Analysis {
        let rules = self.detector.detect(text);
        let mut detection = rules;
        let model = self.heads.as_ref().map(|h| h.apply(text, &mut detection));
        let scores = polarity_scores(text);
        let head = model.and_then(|m| m.frustration);
        let frustration_logit = frustration::message_logit(
            self.frustration.weights_for(head.is_some()),
            &detection.cues,
            scores.compound,
            head,
        );
        Analysis { scores, detection, rules, model, frustration_logit }
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
        let Analysis { scores, detection, model, frustration_logit, .. } = self.analyse(text);
        signals.record_customer(scores.compound, self.sentiment.ewma_alpha);
        let signature = detection.cues.signature;
        let trend = signals.sentiment(self.sentiment.trend_window).trend;
        let weights = self.frustration.weights_for(model.is_some_and(|m| m.frustration.is_some()));
        let in_context =
            frustration::in_context(weights, frustration_logit, signals.overlap(signature), trend);
        let message = frustration::sigmoid(in_context);
        signals.record_frustration(message, self.frustration.carry, signature);
        match intent {
            Some(intent) => signals.set_topic(self.policy.topic_for_intent(intent)),
            None if detection.topic.is_some() => signals.set_topic(detection.topic),
            None => {}
        }
        let snapshot = signals.snapshot(detection.explicit_request, self.sentiment.trend_window);
        let load = load.level(self.policy.skill_for(snapshot.topic));
        let decision = Decision { model, ..decide(&self.policy, &snapshot, load, now) };
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
