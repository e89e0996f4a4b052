//! `decide(&Policy, &Snapshot, Load, now) -> Decision`: pure, no I/O, no allocation.
//!
//! Each non-mandatory trigger is evaluated twice, at normal load and at the caller's load,
//! so a decision can say which triggers load relaxed away. Tier rules move every threshold
//! toward escalation (premium and enterprise customers reach a human sooner); load moves
//! them toward the bot. Explicit requests and mandatory topics ignore both.

use std::time::Duration;

use tokio::time::Instant;

use super::{Decision, Load, Reason, ReasonSet, Snapshot};
use super::{LoadRule, Policy, TierRule};

/// A trigger's signal and the threshold it is compared with.
#[derive(Debug, Clone, Copy, Default)]
struct Evidence {
    value: f64,
    threshold: f64,
}

/// Decides whether the conversation in `snapshot` must go to a human now.
pub fn decide(policy: &Policy, snapshot: &Snapshot, load: Load, now: Instant) -> Decision {
    let tier = policy.tier(snapshot.tier);
    let mut fired = ReasonSet::default();
    let mut relaxed = ReasonSet::default();
    let mut evidence = [Evidence::default(); Reason::ALL.len()];

    if snapshot.explicit_request {
        fired.insert(Reason::ExplicitRequest);
        evidence[Reason::ExplicitRequest as usize] = Evidence { value: 1.0, threshold: 1.0 };
    }
    if snapshot.topic.is_some_and(|t| policy.topic(t).mandatory) {
        fired.insert(Reason::MandatoryTopic);
        evidence[Reason::MandatoryTopic as usize] = Evidence { value: 1.0, threshold: 1.0 };
    }
    if !in_cooldown(policy, snapshot, now) {
        let normal = policy.load(Load::Normal);
        let current = policy.load(load);
        for reason in Reason::ALL.into_iter().filter(|r| !r.is_mandatory()) {
            if let Some(e) = trigger(policy, snapshot, tier, current, reason) {
                fired.insert(reason);
                evidence[reason as usize] = e;
            } else if load != Load::Normal
                && trigger(policy, snapshot, tier, normal, reason).is_some()
            {
                relaxed.insert(reason);
            }
        }
    }

    let reason = fired.iter().next();
    let escalate = reason.is_some();
    let e = reason.map(|r| evidence[r as usize]).unwrap_or_default();
    Decision {
        escalate,
        reason,
        fired,
        relaxed,
        topic: snapshot.topic,
        skill: escalate.then(|| policy.skill_for(snapshot.topic)),
        priority: reason.map(|r| priority(policy, snapshot, tier, r)),
        value: e.value,
        threshold: e.threshold,
        sentiment: snapshot.sentiment,
        frustration: snapshot.frustration,
        model: None,
    }
}

fn in_cooldown(policy: &Policy, snapshot: &Snapshot, now: Instant) -> bool {
    let cooldown = Duration::from_secs(policy.escalation().handback_cooldown_s);
    snapshot.handed_back_at.is_some_and(|at| now.saturating_duration_since(at) < cooldown)
}

/// Evaluates one non-mandatory trigger under the given tier and load rules.
fn trigger(
    policy: &Policy,
    s: &Snapshot,
    tier: &TierRule,
    load: LoadRule,
    reason: Reason,
) -> Option<Evidence> {
    let esc = policy.escalation();
    let shift = tier.sentiment_shift - load.sentiment_relax;
    let sentiment_at = |base: f64| (base + shift).clamp(-1.0, 1.0);
    let turns_at = |base: u32| {
        let scaled = (f64::from(base) * tier.patience * load.turns_factor).ceil();
        // Saturating float-to-int cast: thresholds are small, at least 1.
        (scaled as u32).max(1)
    };
    let at_or_below =
        |value: f64, threshold: f64| (value <= threshold).then_some(Evidence { value, threshold });
    let at_least = |value: u32, threshold: u32| {
        (value >= threshold)
            .then_some(Evidence { value: f64::from(value), threshold: f64::from(threshold) })
    };
    let sentiment = s.sentiment;
    match reason {
        Reason::RepeatContact => {
            // Only at the start: a repeat caller skips the bot, once.
            let at_start = s.customer_turns <= 1 && s.handed_back_at.is_none();
            at_start.then(|| at_least(s.prior_contacts, turns_at(esc.repeat_contacts))).flatten()
        }
        Reason::NegativeSentiment => {
            if s.customer_turns == 0 {
                return None;
            }
            at_or_below(sentiment.last, sentiment_at(esc.negative_single)).or_else(|| {
                (s.customer_turns >= esc.negative_min_turns)
                    .then(|| at_or_below(sentiment.ewma, sentiment_at(esc.negative_ewma)))
                    .flatten()
            })
        }
        Reason::SentimentDrop => {
            let trend_threshold = (esc.drop_trend + shift).min(-0.05);
            let dropping = s.customer_turns >= 2
                && sentiment.last <= sentiment_at(esc.drop_last)
                && sentiment.trend <= trend_threshold;
            dropping.then_some(Evidence { value: sentiment.trend, threshold: trend_threshold })
        }
        Reason::Frustration => {
            let base = esc.frustration - tier.frustration_shift + load.frustration_relax;
            let threshold = base.clamp(0.05, 1.0);
            let value = f64::from(s.frustration.conversation);
            let turns = s.customer_turns >= esc.frustration_min_turns.max(1);
            (turns && threshold < 1.0 && value >= threshold)
                .then_some(Evidence { value, threshold })
        }
        Reason::LowConfidence => {
            at_least(s.low_confidence_streak, turns_at(esc.low_confidence_turns))
        }
        Reason::TroubleshootingStall => {
            at_least(s.bot_turns_since_resolution, turns_at(esc.stall_bot_turns))
                .or_else(|| at_least(s.bot_repeat_streak, turns_at(esc.stall_repeats)))
        }
        Reason::ExplicitRequest | Reason::MandatoryTopic => None,
    }
}

/// Base priority of the reason (a mandatory topic's own when that is higher), plus the
/// tier bonus, plus one for a customer who has been very upset.
fn priority(policy: &Policy, s: &Snapshot, tier: &TierRule, reason: Reason) -> u8 {
    let mut base = policy.base_priority(reason);
    if let Some(topic) = s.topic.map(|t| policy.topic(t)).filter(|t| t.mandatory) {
        base = base.max(topic.priority);
    }
    let very_upset = s.customer_turns > 0 && s.sentiment.min <= policy.escalation().negative_single;
    base.saturating_add(tier.priority_bonus).saturating_add(u8::from(very_upset)).clamp(1, 9)
}

#[cfg(test)]
mod tests;
