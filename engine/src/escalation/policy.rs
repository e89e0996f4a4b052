//! The compiled policy: the validated escalation sections with topics and skills turned into small
//! integer ids, so decisions carry ids (no strings, no allocation) and names are looked up
//! only when a decision is rendered.

use rustc_hash::FxHashMap;

use super::config::{EscalationConfig, LoadConfig, LoadRule, TierRule, TiersConfig, TopicConfig};
use super::{Load, Reason, Tier};

/// A topic: its index in the configured topic list (which is also its precedence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicId(u16);

impl TopicId {
    pub(crate) fn new(index: usize) -> TopicId {
        // Validation caps topics at 250.
        TopicId(u16::try_from(index).unwrap_or(u16::MAX))
    }

    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A skill queue, by index into the policy's skill list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SkillId(u16);

impl SkillId {
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// One topic's routing rule.
#[derive(Debug, Clone)]
pub struct TopicRule {
    pub name: String,
    pub skill: SkillId,
    pub mandatory: bool,
    /// Only agents cleared for the topic may receive it.
    pub sensitive: bool,
    pub priority: u8,
}

/// Everything `decide` reads, ready for the hot path.
#[derive(Debug, Clone)]
pub struct Policy {
    escalation: EscalationConfig,
    tiers: TiersConfig,
    load: LoadConfig,
    topics: Vec<TopicRule>,
    skills: Vec<String>,
    default_skill: SkillId,
    intents: FxHashMap<String, TopicId>,
}

impl Policy {
    /// Compiles validated sections (`Config::validate` checked them).
    pub fn new(
        escalation: EscalationConfig,
        tiers: TiersConfig,
        load: LoadConfig,
        topic_list: &[TopicConfig],
    ) -> Policy {
        let mut skills: Vec<String> = Vec::new();
        let mut skill_id = |name: &str| {
            let index = skills.iter().position(|s| s == name).unwrap_or_else(|| {
                skills.push(name.to_owned());
                skills.len() - 1
            });
            SkillId(u16::try_from(index).unwrap_or(u16::MAX))
        };
        let default_skill = skill_id(&escalation.default_skill);
        let mut topics = Vec::with_capacity(topic_list.len());
        let mut intents = FxHashMap::default();
        for (i, topic) in topic_list.iter().enumerate() {
            topics.push(TopicRule {
                name: topic.id.clone(),
                skill: skill_id(&topic.skill),
                mandatory: topic.mandatory,
                sensitive: topic.sensitive,
                priority: topic.priority.unwrap_or(escalation.priority.mandatory_topic),
            });
            for intent in std::iter::once(&topic.id).chain(&topic.intents) {
                intents.entry(intent.clone()).or_insert(TopicId::new(i));
            }
        }
        Policy { escalation, tiers, load, topics, skills, default_skill, intents }
    }

    /// The `[escalation]` thresholds and priorities.
    pub fn escalation(&self) -> &EscalationConfig {
        &self.escalation
    }

    pub fn topic(&self, id: TopicId) -> &TopicRule {
        &self.topics[id.index()]
    }

    /// How many topics the policy has (topic ids are below it).
    pub fn topic_count(&self) -> usize {
        self.topics.len()
    }

    pub fn topic_name(&self, id: TopicId) -> &str {
        &self.topics[id.index()].name
    }

    pub fn skill_name(&self, id: SkillId) -> &str {
        &self.skills[id.index()]
    }

    pub fn skills(&self) -> &[String] {
        &self.skills
    }

    pub fn default_skill(&self) -> SkillId {
        self.default_skill
    }

    /// The skill queue a conversation about `topic` escalates to.
    pub fn skill_for(&self, topic: Option<TopicId>) -> SkillId {
        topic.map_or(self.default_skill, |t| self.topics[t.index()].skill)
    }

    /// The topic a bot-supplied intent names, if any (the topic id itself or a listed intent).
    pub fn topic_for_intent(&self, intent: &str) -> Option<TopicId> {
        self.intents.get(intent).copied()
    }

    /// The topic with this id.
    pub fn topic_by_name(&self, name: &str) -> Option<TopicId> {
        self.topics.iter().position(|t| t.name == name).map(TopicId::new)
    }

    pub(crate) fn tier(&self, tier: Tier) -> &TierRule {
        let tiers = &self.tiers;
        match tier {
            Tier::Standard => &tiers.standard,
            Tier::Premium => &tiers.premium,
            Tier::Enterprise => &tiers.enterprise,
        }
    }

    /// How far thresholds relax at `load`: nothing at normal load.
    pub(crate) fn load(&self, load: Load) -> LoadRule {
        let rules = &self.load;
        match load {
            Load::Normal => LoadRule {
                sentiment_relax: 0.0,
                frustration_relax: 0.0,
                turns_factor: 1.0,
                enter_ewt_s: 0,
                enter_occupancy: 0.0,
            },
            Load::Elevated => rules.elevated,
            Load::High => rules.high,
            Load::Critical => rules.critical,
        }
    }

    pub(crate) fn base_priority(&self, reason: Reason) -> u8 {
        let p = &self.escalation.priority;
        match reason {
            Reason::ExplicitRequest => p.explicit_request,
            Reason::NegativeSentiment => p.negative_sentiment,
            Reason::SentimentDrop => p.sentiment_drop,
            Reason::Frustration => p.frustration,
            Reason::LowConfidence => p.low_confidence,
            Reason::TroubleshootingStall => p.troubleshooting_stall,
            Reason::MandatoryTopic => p.mandatory_topic,
            Reason::RepeatContact => p.repeat_contact,
        }
    }
}
