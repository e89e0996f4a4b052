//! What the generator observes while it runs: HDR histograms of decision latency (from the
//! intended send time, so coordinated omission is corrected) and time to agent, counters, and
//! the ledger that accounts for every conversation it opened.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

use dashmap::DashMap;
use hdrhistogram::Histogram;

/// Where a conversation ended, as the generator saw it (the engine's word, from its replies
/// and events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Opened, not yet finished.
    Open,
    ClosedByBot,
    ClosedByAgent,
    Abandoned,
    /// The customer took a callback; the ticket was not served by the end.
    CallbackTicket,
}

#[derive(Debug)]
pub struct Stats {
    decision_us: Mutex<Histogram<u64>>,
    service_us: Mutex<Histogram<u64>>,
    time_to_agent_ms: Mutex<Histogram<u64>>,
    pub arrivals: AtomicU64,
    pub opened: AtomicU64,
    pub refused: AtomicU64,
    pub messages: AtomicU64,
    pub escalated: AtomicU64,
    pub waiting: AtomicI64,
    /// Conversations opened and not yet finished, as the generator sees them, and the most
    /// there were at once.
    pub live: AtomicI64,
    pub peak_live: AtomicI64,
    pub callbacks_offered: AtomicU64,
    pub callbacks_accepted: AtomicU64,
    pub offers_accepted: AtomicU64,
    pub offers_declined: AtomicU64,
    pub offers_unanswered: AtomicU64,
    pub events_lost: AtomicU64,
    by_reason: Mutex<BTreeMap<String, u64>>,
    by_topic: Mutex<BTreeMap<String, u64>>,
    errors: Mutex<BTreeMap<String, u64>>,
    /// Every conversation opened, and how it ended.
    pub ledger: DashMap<String, Outcome>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Default for Stats {
    fn default() -> Self {
        let histogram = |high| {
            Histogram::new_with_bounds(1, high, 3).unwrap_or_else(|e| unreachable!("bounds: {e}"))
        };
        Stats {
            decision_us: Mutex::new(histogram(600_000_000)),
            service_us: Mutex::new(histogram(600_000_000)),
            time_to_agent_ms: Mutex::new(histogram(100_000_000_000)),
            arrivals: AtomicU64::new(0),
            opened: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            messages: AtomicU64::new(0),
            escalated: AtomicU64::new(0),
            waiting: AtomicI64::new(0),
            live: AtomicI64::new(0),
            peak_live: AtomicI64::new(0),
            callbacks_offered: AtomicU64::new(0),
            callbacks_accepted: AtomicU64::new(0),
            offers_accepted: AtomicU64::new(0),
            offers_declined: AtomicU64::new(0),
            offers_unanswered: AtomicU64::new(0),
            events_lost: AtomicU64::new(0),
            by_reason: Mutex::new(BTreeMap::new()),
            by_topic: Mutex::new(BTreeMap::new()),
            errors: Mutex::new(BTreeMap::new()),
            ledger: DashMap::new(),
        }
    }
}

/// Counts a conversation live while it is held.
#[derive(Debug)]
pub struct LiveGuard<'a>(&'a Stats);

impl Drop for LiveGuard<'_> {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Relaxed);
    }
}

/// Percentiles of a histogram.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Percentiles {
    pub count: u64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

fn percentiles(h: &Histogram<u64>, unit: f64) -> Percentiles {
    if h.is_empty() {
        return Percentiles::default();
    }
    let q = |q| h.value_at_quantile(q) as f64 / unit;
    Percentiles {
        count: h.len(),
        p50: q(0.5),
        p90: q(0.9),
        p99: q(0.99),
        p999: q(0.999),
        max: h.max() as f64 / unit,
    }
}

impl Stats {
    /// One decision, answered `from_intended` µs after the message was due to be sent and
    /// `service` µs after it was.
    pub fn decision(&self, from_intended: u64, service: u64) {
        self.messages.fetch_add(1, Relaxed);
        lock(&self.decision_us).saturating_record(from_intended.max(1));
        lock(&self.service_us).saturating_record(service.max(1));
    }

    /// A customer reached an agent `scenario_ms` (scenario time) after escalating.
    pub fn time_to_agent(&self, scenario_ms: u64) {
        lock(&self.time_to_agent_ms).saturating_record(scenario_ms.max(1));
    }

    pub fn escalation(&self, reason: Option<&str>, topic: Option<&str>) {
        self.escalated.fetch_add(1, Relaxed);
        *lock(&self.by_reason).entry(reason.unwrap_or("none").to_owned()).or_default() += 1;
        *lock(&self.by_topic).entry(topic.unwrap_or("none").to_owned()).or_default() += 1;
    }

    /// A conversation opened: live until the guard goes (its customer is done with it).
    pub fn live(&self) -> LiveGuard<'_> {
        let now = self.live.fetch_add(1, Relaxed) + 1;
        self.peak_live.fetch_max(now, Relaxed);
        LiveGuard(self)
    }

    pub fn error(&self, code: &str) {
        *lock(&self.errors).entry(code.to_owned()).or_default() += 1;
    }

    pub fn settle(&self, conversation: &str, outcome: Outcome) {
        self.ledger.insert(conversation.to_owned(), outcome);
    }

    /// Decision latency percentiles, microseconds.
    pub fn decision_latency(&self) -> Percentiles {
        percentiles(&lock(&self.decision_us), 1.0)
    }

    /// Request-to-reply percentiles (from the actual send), microseconds.
    pub fn service_latency(&self) -> Percentiles {
        percentiles(&lock(&self.service_us), 1.0)
    }

    /// Time to agent percentiles, scenario seconds.
    pub fn time_to_agent_s(&self) -> Percentiles {
        percentiles(&lock(&self.time_to_agent_ms), 1000.0)
    }

    pub fn by_reason(&self) -> BTreeMap<String, u64> {
        lock(&self.by_reason).clone()
    }

    pub fn by_topic(&self) -> BTreeMap<String, u64> {
        lock(&self.by_topic).clone()
    }

    pub fn errors(&self) -> BTreeMap<String, u64> {
        lock(&self.errors).clone()
    }
}
