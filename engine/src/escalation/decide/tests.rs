//! Decision cases: a snapshot in, the reason, skill and priority out.

use std::time::Duration;

use tokio::time::Instant;

use super::decide;
use crate::escalation::{Load, Policy, Reason, Sentiment, Snapshot, Tier, TopicConfig};

/// The default topics' routing (their phrases are the detector's business, not the decider's).
fn topics() -> Vec<TopicConfig> {
    let topic = |id: &str, skill: &str, sensitive: bool, priority: u8| TopicConfig {
        id: id.into(),
        skill: skill.into(),
        mandatory: true,
        sensitive,
        priority: Some(priority),
        phrases: Vec::new(),
        except: Vec::new(),
        intents: Vec::new(),
    };
    vec![
        topic("account_security", "security", true, 7),
        topic("legal", "legal", true, 6),
        topic("billing_dispute", "billing", false, 5),
        topic("cancellation", "retention", false, 4),
    ]
}

fn policy() -> Policy {
    Policy::new(Default::default(), Default::default(), Default::default(), &topics())
}

/// A customer two turns in, mildly positive, nothing detected.
fn calm() -> Snapshot {
    Snapshot {
        customer_turns: 2,
        sentiment: Sentiment { last: 0.2, ewma: 0.2, min: 0.1, trend: 0.0 },
        ..Snapshot::default()
    }
}

fn with_sentiment(last: f64, ewma: f64, trend: f64) -> Snapshot {
    Snapshot { sentiment: Sentiment { last, ewma, min: last.min(ewma), trend }, ..calm() }
}

fn topic(name: &str) -> Snapshot {
    Snapshot { topic: policy().topic_by_name(name), ..calm() }
}

/// Expected: (reason, skill, priority), or None for "stay with the bot".
#[track_caller]
fn check(snapshot: Snapshot, load: Load, expected: Option<(Reason, &str, u8)>) {
    let policy = policy();
    let now = Instant::now();
    let decision = decide(&policy, &snapshot, load, now);
    let got = decision.reason.map(|r| {
        let skill = decision.skill.map(|s| policy.skill_name(s)).unwrap_or("-");
        (r, skill, decision.priority.unwrap_or(0))
    });
    assert_eq!(got, expected, "{snapshot:?} at {load:?}: {decision:?}");
    assert_eq!(decision.escalate, expected.is_some());
}

#[test]
fn calm_conversations_stay_with_the_bot() {
    check(calm(), Load::Normal, None);
    check(Snapshot::default(), Load::Normal, None);
    check(with_sentiment(-0.7, -0.4, 0.0), Load::Normal, None);
}

#[test]
fn explicit_requests_and_mandatory_topics() {
    let explicit = Snapshot { explicit_request: true, ..calm() };
    check(explicit, Load::Normal, Some((Reason::ExplicitRequest, "general", 5)));
    check(topic("billing_dispute"), Load::Normal, Some((Reason::MandatoryTopic, "billing", 5)));
    check(topic("cancellation"), Load::Normal, Some((Reason::MandatoryTopic, "retention", 5)));
    // The topic's priority lifts any reason; its skill routes it.
    let both = Snapshot { explicit_request: true, ..topic("account_security") };
    check(both, Load::Normal, Some((Reason::ExplicitRequest, "security", 7)));
}

#[test]
fn mandatory_reasons_ignore_load() {
    let explicit = Snapshot { explicit_request: true, ..calm() };
    check(explicit, Load::Critical, Some((Reason::ExplicitRequest, "general", 5)));
    check(topic("legal"), Load::Critical, Some((Reason::MandatoryTopic, "legal", 6)));
}

#[test]
fn repeat_contacts_skip_the_bot_once() {
    let first_turn = |prior| Snapshot { prior_contacts: prior, customer_turns: 1, ..calm() };
    check(first_turn(4), Load::Normal, Some((Reason::RepeatContact, "general", 5)));
    check(first_turn(3), Load::Normal, None);
    check(Snapshot { customer_turns: 3, ..first_turn(4) }, Load::Normal, None);
    // Under high load the threshold doubles.
    check(first_turn(4), Load::High, None);
    check(first_turn(8), Load::High, Some((Reason::RepeatContact, "general", 5)));
}

#[test]
fn negative_sentiment_single_message_and_average() {
    check(
        with_sentiment(-0.85, 0.0, 0.0),
        Load::Normal,
        Some((Reason::NegativeSentiment, "general", 6)),
    );
    check(
        with_sentiment(-0.3, -0.5, 0.0),
        Load::Normal,
        Some((Reason::NegativeSentiment, "general", 5)),
    );
    // The average needs two turns.
    let one_turn = Snapshot { customer_turns: 1, ..with_sentiment(-0.5, -0.5, 0.0) };
    check(one_turn, Load::Normal, None);
}

#[test]
fn tiers_escalate_sooner_with_higher_priority() {
    let upset = |tier| Snapshot { tier, ..with_sentiment(-0.3, -0.3, 0.0) };
    check(upset(Tier::Standard), Load::Normal, None);
    check(upset(Tier::Premium), Load::Normal, None);
    check(upset(Tier::Enterprise), Load::Normal, Some((Reason::NegativeSentiment, "general", 7)));
    let streak = |tier| Snapshot { tier, low_confidence_streak: 1, ..calm() };
    check(streak(Tier::Standard), Load::Normal, None);
    check(streak(Tier::Enterprise), Load::Normal, Some((Reason::LowConfidence, "general", 5)));
}

#[test]
fn sentiment_drop_needs_a_falling_trend_into_negative() {
    let dropping = Snapshot { customer_turns: 3, ..with_sentiment(-0.4, -0.1, -0.45) };
    check(dropping, Load::Normal, Some((Reason::SentimentDrop, "general", 4)));
    let falling_but_positive = Snapshot { customer_turns: 3, ..with_sentiment(0.1, 0.4, -0.45) };
    check(falling_but_positive, Load::Normal, None);
}

#[test]
fn bot_trouble() {
    let low = Snapshot { low_confidence_streak: 2, ..calm() };
    check(low, Load::Normal, Some((Reason::LowConfidence, "general", 3)));
    let stalled = Snapshot { bot_turns_since_resolution: 8, ..calm() };
    check(stalled, Load::Normal, Some((Reason::TroubleshootingStall, "general", 3)));
    let looping = Snapshot { bot_repeat_streak: 2, ..calm() };
    check(looping, Load::Normal, Some((Reason::TroubleshootingStall, "general", 3)));
    check(Snapshot { bot_turns_since_resolution: 7, ..calm() }, Load::Normal, None);
}

#[test]
fn load_relaxes_and_says_so() {
    let policy = policy();
    let upset = with_sentiment(-0.3, -0.5, 0.0);
    let decision = decide(&policy, &upset, Load::High, Instant::now());
    assert!(!decision.escalate);
    assert!(decision.relaxed.contains(Reason::NegativeSentiment));
    let worse = with_sentiment(-0.3, -0.7, 0.0);
    let decision = decide(&policy, &worse, Load::High, Instant::now());
    assert_eq!(decision.reason, Some(Reason::NegativeSentiment));
    assert_eq!(decision.value, -0.7);
    assert!((decision.threshold + 0.65).abs() < 1e-12, "{}", decision.threshold);
}

#[test]
fn handback_cooldown_only_admits_mandatory_reasons() {
    let policy = policy();
    let handed_back = Instant::now();
    let upset = Snapshot { handed_back_at: Some(handed_back), ..with_sentiment(-0.9, -0.9, 0.0) };
    let soon = handed_back + Duration::from_secs(30);
    assert!(!decide(&policy, &upset, Load::Normal, soon).escalate);
    let asks = Snapshot { explicit_request: true, ..upset };
    assert_eq!(decide(&policy, &asks, Load::Normal, soon).reason, Some(Reason::ExplicitRequest));
    let later = handed_back + Duration::from_secs(121);
    assert_eq!(
        decide(&policy, &upset, Load::Normal, later).reason,
        Some(Reason::NegativeSentiment)
    );
}

#[test]
fn every_fired_reason_is_reported() {
    let policy = policy();
    let s = Snapshot {
        explicit_request: true,
        low_confidence_streak: 5,
        ..with_sentiment(-0.9, -0.9, 0.0)
    };
    let decision = decide(&policy, &s, Load::Normal, Instant::now());
    let fired: Vec<Reason> = decision.fired.iter().collect();
    assert_eq!(fired, [Reason::ExplicitRequest, Reason::NegativeSentiment, Reason::LowConfidence]);
}

#[test]
fn frustration_fires_at_its_threshold_sooner_for_better_tiers_later_under_load() {
    use crate::escalation::Frustration;
    let frustrated = |conversation: f32| Snapshot {
        frustration: Frustration { message: conversation, conversation },
        ..calm()
    };
    check(frustrated(0.74), Load::Normal, None);
    check(frustrated(0.75), Load::Normal, Some((Reason::Frustration, "general", 5)));
    // Premium: 0.75 − 0.05; enterprise: 0.75 − 0.1 (and their priority bonus).
    let premium = Snapshot { tier: Tier::Premium, ..frustrated(0.71) };
    check(premium, Load::Normal, Some((Reason::Frustration, "general", 6)));
    let enterprise = Snapshot { tier: Tier::Enterprise, ..frustrated(0.66) };
    check(enterprise, Load::Normal, Some((Reason::Frustration, "general", 7)));
    // High load: 0.75 + 0.1; the decision says load relaxed it.
    check(frustrated(0.8), Load::High, None);
    let decision = decide(&policy(), &frustrated(0.8), Load::High, Instant::now());
    assert!(decision.relaxed.contains(Reason::Frustration));
    check(frustrated(0.86), Load::High, Some((Reason::Frustration, "general", 5)));
    // Nothing before the customer's second message: the first is the problem statement.
    check(Snapshot { customer_turns: 0, ..frustrated(0.9) }, Load::Normal, None);
    check(Snapshot { customer_turns: 1, ..frustrated(0.99) }, Load::Normal, None);
    // Sentiment reasons come first in precedence.
    let both = Snapshot {
        sentiment: Sentiment { last: -0.9, ewma: -0.9, min: -0.9, trend: 0.0 },
        ..frustrated(0.9)
    };
    let decision = decide(&policy(), &both, Load::Normal, Instant::now());
    assert_eq!(decision.reason, Some(Reason::NegativeSentiment));
    assert!(decision.fired.contains(Reason::Frustration));
}
