//! Every metric Baton exports, in one place: name, description, unit and labels (labels come
//! only from small closed sets: reason codes, topic ids, skills, presences, error codes —
//! never a conversation or agent id). The Prometheus recorder is installed once per process;
//! gauges and engine counters are sampled from the engine every second.

#![allow(clippy::disallowed_macros)]

use std::sync::OnceLock;

use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::escalation::Load;
use crate::routing::Presence;

pub const DECISION_LATENCY: &str = "baton_decision_latency_seconds";
pub const MESSAGES: &str = "baton_messages_total";
pub const DECISIONS: &str = "baton_decisions_total";
pub const HANDOFFS: &str = "baton_handoffs_total";
pub const QUEUE_DEPTH: &str = "baton_queue_depth";
pub const QUEUE_LONGEST_WAIT: &str = "baton_queue_longest_wait_seconds";
pub const QUEUE_EWT: &str = "baton_queue_expected_wait_seconds";
pub const QUEUE_LOAD: &str = "baton_queue_load_level";
pub const AGENTS: &str = "baton_agents";
pub const OFFERS: &str = "baton_offers_total";
pub const CALLBACKS_OFFERED: &str = "baton_callbacks_offered_total";
pub const CALLBACKS_ACCEPTED: &str = "baton_callbacks_accepted_total";
pub const ABANDONMENTS: &str = "baton_abandonments_total";
pub const TIME_TO_AGENT: &str = "baton_time_to_agent_seconds";
pub const CONNECTIONS: &str = "baton_connections";
pub const ERRORS: &str = "baton_errors_total";
pub const RESTARTS: &str = "baton_actor_restarts_total";
pub const FEEDBACK: &str = "baton_handoff_feedback_total";
pub const LIVE: &str = "baton_live_conversations";
pub const EWT_MDAPE: &str = "baton_ewt_median_abs_pct_error";
pub const EWT_MAPE: &str = "baton_ewt_mean_abs_pct_error";
pub const EWT_SAMPLES: &str = "baton_ewt_samples";
pub const RSS: &str = "baton_process_resident_memory_bytes";
pub const PEAK_RSS: &str = "baton_process_peak_resident_memory_bytes";
pub const CONVERSATIONS: &str = "baton_conversations_total";
pub const OPENED: &str = "baton_conversations_opened_total";
pub const REPEAT_CONTACTS: &str = "baton_repeat_contacts_total";
pub const RESOLUTION_AFTER_TRANSFER: &str = "baton_resolution_after_transfer_seconds";
pub const CSAT: &str = "baton_csat";
pub const SENTIMENT: &str = "baton_sentiment";
pub const SENTIMENT_CHANGE: &str = "baton_sentiment_change_across_transfer";
pub const STORE_DISK: &str = "baton_store_disk_bytes";
pub const STORE_FAILURES: &str = "baton_store_write_failures_total";

/// Every series the exporter can show (the dashboards and alert rules may use only these).
pub const SERIES: [&str; 33] = [
    DECISION_LATENCY, MESSAGES, DECISIONS, HANDOFFS, QUEUE_DEPTH, QUEUE_LONGEST_WAIT, QUEUE_EWT,
    QUEUE_LOAD, AGENTS, OFFERS, CALLBACKS_OFFERED, CALLBACKS_ACCEPTED, ABANDONMENTS, TIME_TO_AGENT,
    CONNECTIONS, ERRORS, RESTARTS, FEEDBACK, LIVE, EWT_MDAPE, EWT_MAPE, EWT_SAMPLES, RSS, PEAK_RSS,
    CONVERSATIONS, OPENED, REPEAT_CONTACTS, RESOLUTION_AFTER_TRANSFER, CSAT, SENTIMENT,
    SENTIMENT_CHANGE, STORE_DISK, STORE_FAILURES,
];

/// The histograms among [`SERIES`] (exposed as `_bucket`, `_sum` and `_count`).
pub const HISTOGRAMS: [&str; 6] =
    [DECISION_LATENCY, TIME_TO_AGENT, RESOLUTION_AFTER_TRANSFER, CSAT, SENTIMENT, SENTIMENT_CHANGE];

/// Decision latency buckets: from 1 µs, where the decision path lives, to a second.
const LATENCY_BUCKETS: [f64; 16] = [
    1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 5e-2, 0.25,
    1.0,
];
/// Compound score buckets, −1 to 1 (also used for its change across a transfer, −2 to 2).
const SENTIMENT_BUCKETS: [f64; 13] =
    [-1.0, -0.75, -0.5, -0.35, -0.2, -0.05, 0.05, 0.2, 0.35, 0.5, 0.75, 1.0, 2.0];
const CSAT_BUCKETS: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
/// Resolution after transfer: a minute to a day.
const RESOLUTION_BUCKETS: [f64; 10] =
    [60.0, 180.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14_400.0, 86_400.0];
/// Time to agent buckets: seconds to an hour.
const WAIT_BUCKETS: [f64; 12] =
    [0.1, 1.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0];

/// Describes every metric (descriptions and units appear in the exposition).
pub fn describe() {
    describe_gauge!(
        STORE_DISK,
        Unit::Bytes,
        "The data directory's size on disk (0 with --ephemeral)."
    );
    describe_counter!(
        STORE_FAILURES,
        Unit::Count,
        "Journal batches that could not be written (full disk, I/O error): their changes were answered storage_unavailable."
    );
    describe_histogram!(
        DECISION_LATENCY,
        Unit::Seconds,
        "Time to decide on one customer message (score, detect, update, decide)."
    );
    describe_counter!(MESSAGES, Unit::Count, "Messages received, by role (customer, bot, agent).");
    describe_counter!(
        DECISIONS,
        Unit::Count,
        "Decisions made, by outcome (escalate, stay); an escalated conversation's later messages stay `escalate`."
    );
    describe_counter!(
        HANDOFFS,
        Unit::Count,
        "Conversations handed to a human (decision or the customer's button), by reason code and topic (`none` without one)."
    );
    describe_gauge!(QUEUE_DEPTH, Unit::Count, "Customers waiting in each skill queue.");
    describe_gauge!(
        QUEUE_LONGEST_WAIT,
        Unit::Seconds,
        "How long the longest-waiting customer of each skill queue has waited."
    );
    describe_gauge!(
        QUEUE_EWT,
        Unit::Seconds,
        "Expected wait (model) of a customer joining each skill queue now."
    );
    describe_gauge!(
        QUEUE_LOAD,
        Unit::Count,
        "Load level of each skill queue: 0 normal, 1 elevated, 2 high, 3 critical."
    );
    describe_gauge!(AGENTS, Unit::Count, "Logged-in agents by presence.");
    describe_counter!(
        OFFERS,
        Unit::Count,
        "Offers to agents by outcome (accepted, declined, timed_out, revoked, returned)."
    );
    describe_counter!(CALLBACKS_OFFERED, Unit::Count, "Callbacks offered to waiting customers.");
    describe_counter!(CALLBACKS_ACCEPTED, Unit::Count, "Callbacks accepted.");
    describe_counter!(ABANDONMENTS, Unit::Count, "Customers who left while waiting.");
    describe_histogram!(
        TIME_TO_AGENT,
        Unit::Seconds,
        "Time from joining a queue to an agent accepting."
    );
    describe_gauge!(
        CONNECTIONS,
        Unit::Count,
        "Open WebSocket connections by kind (gateway, agent)."
    );
    describe_counter!(ERRORS, Unit::Count, "Error frames sent, by error code.");
    describe_counter!(
        RESTARTS,
        Unit::Count,
        "Actor restarts after a panic, by kind (conversation, agent, queue, supervisor)."
    );
    describe_counter!(
        FEEDBACK,
        Unit::Count,
        "Agents' verdicts on handoffs (appropriate, premature, late)."
    );
    describe_gauge!(LIVE, Unit::Count, "Conversations open now.");
    describe_counter!(
        OPENED,
        Unit::Count,
        "Conversations opened (the handoff rate's denominator)."
    );
    describe_counter!(
        CONVERSATIONS,
        Unit::Count,
        "Conversations ended, by outcome (resolved_by_bot, resolved_by_agent, abandoned) and whether they were escalated."
    );
    describe_counter!(
        REPEAT_CONTACTS,
        Unit::Count,
        "Conversations opened by a customer with `escalation.repeat_contacts` or more recent contacts (the repeat-contact rate's numerator)."
    );
    describe_histogram!(
        RESOLUTION_AFTER_TRANSFER,
        Unit::Seconds,
        "From an agent accepting to the conversation closing, by topic (`none` without one)."
    );
    describe_histogram!(
        CSAT,
        Unit::Count,
        "Satisfaction scores (1-5) given at close, by path: `bot` (never escalated) or `handoff`; the difference of their means is the satisfaction delta."
    );
    describe_histogram!(
        SENTIMENT,
        Unit::Count,
        "Compound score of escalated conversations at three points: before_handoff (the escalating turn), agent_joined (the customer's first message to the agent), resolution (their last message)."
    );
    describe_histogram!(
        SENTIMENT_CHANGE,
        Unit::Count,
        "Change of compound score from before the handoff to the customer's last message with the agent."
    );
    describe_gauge!(
        EWT_MDAPE,
        Unit::Percent,
        "Median absolute percentage error of each expected-wait estimator (its estimate at enqueue against the wait that happened), since start."
    );
    describe_gauge!(
        EWT_MAPE,
        Unit::Percent,
        "Mean absolute percentage error of each expected-wait estimator, since start."
    );
    describe_gauge!(
        EWT_SAMPLES,
        Unit::Count,
        "Customers who waited and were served, scored for each estimator."
    );
    describe_gauge!(RSS, Unit::Bytes, "Resident memory of the process now (Linux).");
    describe_gauge!(PEAK_RSS, Unit::Bytes, "Peak resident memory of the process (Linux).");
    // Exposed at zero from the start, so rates and ratios over it exist before the first one.
    counter!(REPEAT_CONTACTS).increment(0);
}

/// Installs the Prometheus recorder (once per process; later calls return the same handle).
pub fn install() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(DECISION_LATENCY.into()), &LATENCY_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full(TIME_TO_AGENT.into()), &WAIT_BUCKETS)
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full(SENTIMENT.into()), &SENTIMENT_BUCKETS)
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(SENTIMENT_CHANGE.into()),
                        &SENTIMENT_BUCKETS,
                    )
                })
                .and_then(|b| b.set_buckets_for_metric(Matcher::Full(CSAT.into()), &CSAT_BUCKETS))
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(RESOLUTION_AFTER_TRANSFER.into()),
                        &RESOLUTION_BUCKETS,
                    )
                })
                .unwrap_or_else(|e| unreachable!("bucket lists are not empty: {e}"));
            let handle = match builder.install_recorder() {
                Ok(handle) => {
                    // Ours is the process's recorder for good: its handles can be kept.
                    metrics::with_recorder(|recorder| {
                        let _ = DECISION_HANDLES.set(decision_keys::Handles::new(recorder));
                    });
                    handle
                }
                // Another recorder is installed (a host program's): render ours anyway.
                Err(_) => PrometheusBuilder::new().build_recorder().handle(),
            };
            describe();
            handle
        })
        .clone()
}

/// The keys a decision records, built at compile time: the macros build a key (and its label
/// vector) on every call, which the engine's message path cannot afford.
mod decision_keys {
    use metrics::{Key, Label, Level, Metadata};

    static CUSTOMER: [Label; 1] = [Label::from_static_parts("role", "customer")];
    static BOT: [Label; 1] = [Label::from_static_parts("role", "bot")];
    static ESCALATE: [Label; 1] = [Label::from_static_parts("outcome", "escalate")];
    static STAY: [Label; 1] = [Label::from_static_parts("outcome", "stay")];
    pub static LATENCY: Key = Key::from_static_name(super::DECISION_LATENCY);
    pub static MESSAGE_CUSTOMER: Key = Key::from_static_parts(super::MESSAGES, &CUSTOMER);
    pub static MESSAGE_BOT: Key = Key::from_static_parts(super::MESSAGES, &BOT);
    pub static DECISION_ESCALATE: Key = Key::from_static_parts(super::DECISIONS, &ESCALATE);
    pub static DECISION_STAY: Key = Key::from_static_parts(super::DECISIONS, &STAY);
    pub static METADATA: Metadata<'static> =
        Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

    /// The series a decision records, registered once: each registration is a lookup in the
    /// recorder's registry.
    pub struct Handles {
        pub latency: metrics::Histogram,
        pub message_customer: metrics::Counter,
        pub message_bot: metrics::Counter,
        pub decision_escalate: metrics::Counter,
        pub decision_stay: metrics::Counter,
    }

    impl Handles {
        pub fn new(recorder: &dyn metrics::Recorder) -> Handles {
            let counter = |key: &Key| recorder.register_counter(key, &METADATA);
            Handles {
                latency: recorder.register_histogram(&LATENCY, &METADATA),
                message_customer: counter(&MESSAGE_CUSTOMER),
                message_bot: counter(&MESSAGE_BOT),
                decision_escalate: counter(&DECISION_ESCALATE),
                decision_stay: counter(&DECISION_STAY),
            }
        }
    }
}

/// The decision's series in the recorder [`install`] installed (unset while another recorder,
/// or none, is the process's: decisions then go through the current one on every call).
static DECISION_HANDLES: OnceLock<decision_keys::Handles> = OnceLock::new();

/// Who sent the message a decision was made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Customer,
    Bot,
}

/// One decision (the engine records it): its latency, the message, its outcome.
pub fn record_decision(seconds: f64, sender: Sender, escalate: bool) {
    use decision_keys as k;
    if let Some(h) = DECISION_HANDLES.get() {
        h.latency.record(seconds);
        match sender {
            Sender::Customer => h.message_customer.increment(1),
            Sender::Bot => h.message_bot.increment(1),
        }
        if escalate {
            h.decision_escalate.increment(1)
        } else {
            h.decision_stay.increment(1)
        }
        return;
    }
    let message = match sender {
        Sender::Customer => &k::MESSAGE_CUSTOMER,
        Sender::Bot => &k::MESSAGE_BOT,
    };
    let outcome = if escalate { &k::DECISION_ESCALATE } else { &k::DECISION_STAY };
    metrics::with_recorder(|recorder| {
        recorder.register_histogram(&k::LATENCY, &k::METADATA).record(seconds);
        recorder.register_counter(message, &k::METADATA).increment(1);
        recorder.register_counter(outcome, &k::METADATA).increment(1);
    });
}

/// A conversation handed over to a human (the conversation actor records it when the
/// conversation leaves the bot).
pub fn record_handoff(reason: &'static str, topic: String) {
    counter!(HANDOFFS, "reason" => reason, "topic" => topic).increment(1);
}

pub fn record_error(code: &'static str) {
    counter!(ERRORS, "code" => code).increment(1);
}

/// An agent's verdict on a handoff, with the handoff's reason and topic (`unknown` when the
/// conversation is no longer known, `none` without a topic).
pub fn record_feedback(verdict: &'static str, reason: &'static str, topic: String) {
    counter!(FEEDBACK, "verdict" => verdict, "reason" => reason, "topic" => topic).increment(1);
}

/// What the 1 s sampler read from the engine (`Engine::metrics_sample`): counters kept by the
/// engine and the state of every queue, estimator and agent.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    pub live: u64,
    pub opened: u64,
    pub callbacks_offered: u64,
    pub callbacks_accepted: u64,
    pub abandoned: u64,
    /// Restarts by actor kind (conversation, agent, queue, supervisor).
    pub restarts: Vec<(&'static str, u64)>,
    /// Offers by outcome.
    pub offers: Vec<(&'static str, u64)>,
    pub queues: Vec<QueueSample>,
    /// Each estimator: name, median and mean absolute percentage error, samples.
    pub estimators: Vec<(&'static str, f64, f64, u64)>,
    /// Logged-in agents by presence.
    pub agents: Vec<(Presence, u32)>,
    /// The journal: bytes on disk, batches that failed.
    pub store_disk_bytes: u64,
    pub store_write_failures: u64,
}

/// One skill queue in a [`Sample`].
#[derive(Debug, Clone)]
pub struct QueueSample {
    pub skill: String,
    pub depth: usize,
    pub longest_wait_ms: u64,
    pub expected_wait_ms: Option<u64>,
    pub level: Load,
}

/// Records a [`Sample`]: the engine's counters as absolute values, the rest as gauges.
pub fn record_sample(sample: &Sample) {
    gauge!(LIVE).set(sample.live as f64);
    counter!(OPENED).absolute(sample.opened);
    counter!(CALLBACKS_OFFERED).absolute(sample.callbacks_offered);
    counter!(CALLBACKS_ACCEPTED).absolute(sample.callbacks_accepted);
    counter!(ABANDONMENTS).absolute(sample.abandoned);
    gauge!(STORE_DISK).set(sample.store_disk_bytes as f64);
    counter!(STORE_FAILURES).absolute(sample.store_write_failures);
    for &(kind, n) in &sample.restarts {
        counter!(RESTARTS, "kind" => kind).absolute(n);
    }
    for &(outcome, n) in &sample.offers {
        counter!(OFFERS, "outcome" => outcome).absolute(n);
    }
    for q in &sample.queues {
        let skill = q.skill.clone();
        gauge!(QUEUE_DEPTH, "skill" => skill.clone()).set(q.depth as f64);
        gauge!(QUEUE_LONGEST_WAIT, "skill" => skill.clone()).set(q.longest_wait_ms as f64 / 1000.0);
        let ewt = q.expected_wait_ms.map_or(f64::INFINITY, |ms| ms as f64 / 1000.0);
        gauge!(QUEUE_EWT, "skill" => skill.clone()).set(ewt);
        gauge!(QUEUE_LOAD, "skill" => skill).set(load_number(q.level));
    }
    for &(estimator, mdape, mape, n) in &sample.estimators {
        gauge!(EWT_MDAPE, "estimator" => estimator).set(mdape);
        gauge!(EWT_MAPE, "estimator" => estimator).set(mape);
        gauge!(EWT_SAMPLES, "estimator" => estimator).set(n as f64);
    }
    if let Some((rss, peak)) = process_memory() {
        gauge!(RSS).set(rss as f64);
        gauge!(PEAK_RSS).set(peak as f64);
    }
    let mut by_presence = [0u32; 4];
    for &(presence, n) in &sample.agents {
        by_presence[presence_index(presence)] += n;
    }
    for (presence, n) in ["available", "away", "after_work", "offline"].into_iter().zip(by_presence)
    {
        gauge!(AGENTS, "presence" => presence).set(f64::from(n));
    }
}

/// A message received (agents' messages; customers' and bots' come with their decision).
pub fn record_message(role: &'static str) {
    counter!(MESSAGES, "role" => role).increment(1);
}

/// Open WebSocket connections of one kind.
pub fn set_connections(kind: &'static str, n: i64) {
    gauge!(CONNECTIONS, "kind" => kind).set(n as f64);
}

/// From joining a queue to an agent accepting.
pub fn record_time_to_agent(seconds: f64) {
    histogram!(TIME_TO_AGENT).record(seconds);
}

/// A conversation ended.
pub fn record_conversation(outcome: &'static str, escalated: &'static str) {
    counter!(CONVERSATIONS, "outcome" => outcome, "escalated" => escalated).increment(1);
}

/// Satisfaction at close, by path (bot or handoff).
pub fn record_csat(path: &'static str, csat: u8) {
    histogram!(CSAT, "path" => path).record(f64::from(csat));
}

/// A conversation opened by a repeat contact.
pub fn record_repeat_contact() {
    counter!(REPEAT_CONTACTS).increment(1);
}

/// From an agent accepting to the close, by topic.
pub fn record_resolution_after_transfer(topic: String, seconds: f64) {
    histogram!(RESOLUTION_AFTER_TRANSFER, "topic" => topic).record(seconds);
}

/// The customer's compound score at a point of the handoff.
pub fn record_sentiment(point: &'static str, value: f64) {
    histogram!(SENTIMENT, "point" => point).record(value);
}

/// Last message with the agent minus the escalating turn.
pub fn record_sentiment_change(change: f64) {
    histogram!(SENTIMENT_CHANGE).record(change);
}

fn load_number(load: Load) -> f64 {
    f64::from(load as u8)
}

fn presence_index(presence: Presence) -> usize {
    match presence {
        Presence::Available => 0,
        Presence::Away => 1,
        Presence::AfterWork => 2,
        Presence::Offline => 3,
    }
}

/// (resident, peak resident) bytes of this process, from `/proc/self/status` (Linux only).
pub fn process_memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: u64 = line[name.len()..].split_whitespace().next()?.parse().ok()?;
        Some(kib * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
