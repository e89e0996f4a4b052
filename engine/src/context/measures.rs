//! The measures that show whether handoffs happen at the right moments: repeat-contact rate,
//! resolution time after transfer by topic, satisfaction of bot-only against handed-over
//! conversations, and the customer's sentiment before the handoff, right after the agent
//! joins and at resolution. Recorded once per conversation as it ends; exported as
//! Prometheus metrics (bounded labels) and kept per engine as sums for `Engine::measures`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

use super::history::ContactOutcome;
use crate::telemetry;

/// What one conversation that ended contributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Ended {
    pub outcome: ContactOutcome,
    pub escalated: bool,
    pub csat: Option<u8>,
    pub topic: Option<String>,
    /// From an agent first accepting to the end.
    pub resolution_s: Option<f64>,
    /// Compound score of the escalating turn, of the customer's first message to an agent,
    /// and of their last one.
    pub before_handoff: Option<f64>,
    pub first_with_agent: Option<f64>,
    pub last_with_agent: Option<f64>,
}

/// A running mean.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Mean {
    pub n: u64,
    pub mean: f64,
}

impl Mean {
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.mean += (x - self.mean) / self.n as f64;
    }
}

/// The measures so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MeasuresSummary {
    pub opened: u64,
    /// Opened by a customer with `escalation.repeat_contacts` or more recent contacts.
    pub repeat_contacts: u64,
    pub repeat_contact_rate: f64,
    pub ended: u64,
    /// Ended conversations by outcome (`resolved_by_bot`, `resolved_by_agent`, `abandoned`).
    pub by_outcome: BTreeMap<String, u64>,
    pub escalated: u64,
    pub csat_bot: Mean,
    pub csat_handoff: Mean,
    /// Mean CSAT of handed-over conversations minus that of bot-only ones (both needed).
    pub satisfaction_delta: Option<f64>,
    pub sentiment_before_handoff: Mean,
    pub sentiment_agent_joined: Mean,
    pub sentiment_resolution: Mean,
    /// Last message with the agent minus the escalating turn, per conversation.
    pub sentiment_change_across_transfer: Mean,
    /// Seconds from an agent accepting to the end, by topic (`none` without one).
    pub resolution_after_transfer_s: BTreeMap<String, Mean>,
}

/// The per-engine accumulator.
#[derive(Debug, Default)]
pub struct Measures {
    inner: Mutex<MeasuresSummary>,
}

impl Measures {
    fn with<T>(&self, f: impl FnOnce(&mut MeasuresSummary) -> T) -> T {
        f(&mut self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// A conversation opened; `repeat` when its customer is a repeat contact.
    pub fn opened(&self, repeat: bool) {
        if repeat {
            telemetry::record_repeat_contact();
        }
        self.with(|m| {
            m.opened += 1;
            m.repeat_contacts += u64::from(repeat);
        });
    }

    pub fn record(&self, e: &Ended) {
        let outcome = match e.outcome {
            ContactOutcome::ResolvedByBot => "resolved_by_bot",
            ContactOutcome::ResolvedByAgent => "resolved_by_agent",
            ContactOutcome::Abandoned => "abandoned",
        };
        let escalated = if e.escalated { "true" } else { "false" };
        telemetry::record_conversation(outcome, escalated);
        let path = if e.escalated { "handoff" } else { "bot" };
        if let Some(csat) = e.csat {
            telemetry::record_csat(path, csat);
        }
        let topic = e.topic.clone().unwrap_or_else(|| "none".into());
        if let Some(seconds) = e.resolution_s {
            telemetry::record_resolution_after_transfer(topic.clone(), seconds);
        }
        let points = [
            ("before_handoff", e.before_handoff),
            ("agent_joined", e.first_with_agent),
            ("resolution", e.last_with_agent),
        ];
        for (point, value) in points {
            if let Some(value) = value {
                telemetry::record_sentiment(point, value);
            }
        }
        let change = e.before_handoff.zip(e.last_with_agent).map(|(before, last)| last - before);
        if let Some(change) = change {
            telemetry::record_sentiment_change(change);
        }
        self.with(|m| {
            m.ended += 1;
            *m.by_outcome.entry(outcome.to_owned()).or_default() += 1;
            m.escalated += u64::from(e.escalated);
            if let Some(csat) = e.csat {
                let mean = if e.escalated { &mut m.csat_handoff } else { &mut m.csat_bot };
                mean.add(f64::from(csat));
            }
            if let Some(seconds) = e.resolution_s {
                m.resolution_after_transfer_s.entry(topic).or_default().add(seconds);
            }
            let means = [
                (&mut m.sentiment_before_handoff, e.before_handoff),
                (&mut m.sentiment_agent_joined, e.first_with_agent),
                (&mut m.sentiment_resolution, e.last_with_agent),
                (&mut m.sentiment_change_across_transfer, change),
            ];
            for (mean, value) in means {
                if let Some(value) = value {
                    mean.add(value);
                }
            }
        });
    }

    pub fn summary(&self) -> MeasuresSummary {
        let mut m = self.with(|m| m.clone());
        m.repeat_contact_rate =
            if m.opened == 0 { 0.0 } else { m.repeat_contacts as f64 / m.opened as f64 };
        m.satisfaction_delta = (m.csat_bot.n > 0 && m.csat_handoff.n > 0)
            .then_some(m.csat_handoff.mean - m.csat_bot.mean);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_and_the_satisfaction_delta() {
        let m = Measures::default();
        m.opened(false);
        m.opened(true);
        let bot = Ended {
            outcome: ContactOutcome::ResolvedByBot,
            escalated: false,
            csat: Some(5),
            topic: None,
            resolution_s: None,
            before_handoff: None,
            first_with_agent: None,
            last_with_agent: None,
        };
        m.record(&bot);
        let handoff = Ended {
            outcome: ContactOutcome::ResolvedByAgent,
            escalated: true,
            csat: Some(3),
            topic: Some("billing_dispute".into()),
            resolution_s: Some(300.0),
            before_handoff: Some(-0.6),
            first_with_agent: Some(-0.2),
            last_with_agent: Some(0.4),
        };
        m.record(&handoff);
        let s = m.summary();
        assert_eq!((s.opened, s.repeat_contacts, s.repeat_contact_rate), (2, 1, 0.5));
        assert_eq!(s.satisfaction_delta, Some(-2.0));
        assert_eq!(s.sentiment_before_handoff, Mean { n: 1, mean: -0.6 });
        assert!((s.sentiment_change_across_transfer.mean - 1.0).abs() < 1e-12);
        assert_eq!(s.resolution_after_transfer_s["billing_dispute"], Mean { n: 1, mean: 300.0 });
        assert_eq!(s.by_outcome["resolved_by_bot"], 1);
    }
}
