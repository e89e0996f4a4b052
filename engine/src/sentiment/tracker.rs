//! Per-conversation signals in lock-free state: sentiment EWMA, minimum and trend, the
//! frustration score and the signatures of the customer's last two messages, turn counters,
//! the bot's confidence streak and repeated replies, the topic. Every field is an
//! atomic, so the ingress path updates and reads it without locks, awaits or allocation.
//!
//! Writers: one conversation's turns arrive in order from one ingress task, so there is one
//! writer at a time; readers (dashboards, the conversation actor) may read concurrently and
//! see each field atomically, though not necessarily all fields from the same turn.

use std::sync::atomic::{AtomicU8, AtomicU32, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use tokio::time::Instant;

use serde::{Deserialize, Serialize};

use crate::escalation::{Frustration, Sentiment, Snapshot, Tier, TopicId};

/// Most customer turns the trend can span (`sentiment.trend_window` is at most this).
pub const MAX_TREND_WINDOW: usize = 16;

/// An `f64` in an `AtomicU64`.
#[derive(Debug, Default)]
struct AtomicF64(AtomicU64);

impl AtomicF64 {
    fn new(value: f64) -> Self {
        AtomicF64(AtomicU64::new(value.to_bits()))
    }

    fn load(&self) -> f64 {
        f64::from_bits(self.0.load(Relaxed))
    }

    fn store(&self, value: f64) {
        self.0.store(value.to_bits(), Relaxed);
    }
}

/// What the engine knows about the customer when the conversation opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Customer {
    pub tier: Tier,
    /// Contacts in the recent window before this one.
    pub prior_contacts: u32,
}

/// One bot reply, as the tracker sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BotTurn<'a> {
    pub text: &'a str,
    /// The bot's confidence in [0, 1].
    pub confidence: f64,
    /// The bot resolved the customer's issue with this reply.
    pub resolved: bool,
}

/// The lock-free signals of one conversation.
#[derive(Debug)]
pub struct ConversationSignals {
    opened_at: Instant,
    tier: AtomicU8,
    prior_contacts: AtomicU32,
    customer_turns: AtomicU32,
    bot_turns_since_resolution: AtomicU32,
    low_confidence_streak: AtomicU32,
    bot_repeat_streak: AtomicU32,
    last_bot_reply: AtomicU64,
    /// 0 = none, else topic index + 1.
    topic: AtomicU32,
    /// Milliseconds after `opened_at` + 1; 0 = never handed back.
    handed_back_at: AtomicU64,
    last: AtomicF64,
    ewma: AtomicF64,
    min: AtomicF64,
    window: [AtomicF64; MAX_TREND_WINDOW],
    /// The latest message's frustration and the conversation's.
    frustration_message: AtomicF64,
    frustration: AtomicF64,
    /// Word signatures of the customer's last two messages, newest first.
    signatures: [AtomicU64; 2],
}

impl ConversationSignals {
    pub fn new(customer: Customer, opened_at: Instant) -> Self {
        ConversationSignals {
            opened_at,
            tier: AtomicU8::new(tier_code(customer.tier)),
            prior_contacts: AtomicU32::new(customer.prior_contacts),
            customer_turns: AtomicU32::new(0),
            bot_turns_since_resolution: AtomicU32::new(0),
            low_confidence_streak: AtomicU32::new(0),
            bot_repeat_streak: AtomicU32::new(0),
            last_bot_reply: AtomicU64::new(0),
            topic: AtomicU32::new(0),
            handed_back_at: AtomicU64::new(0),
            last: AtomicF64::new(0.0),
            ewma: AtomicF64::new(0.0),
            min: AtomicF64::new(f64::INFINITY),
            window: Default::default(),
            frustration_message: AtomicF64::new(0.0),
            frustration: AtomicF64::new(0.0),
            signatures: Default::default(),
        }
    }

    /// How much a message with word signature `signature` repeats one of the customer's
    /// previous two (the better [`crate::frustration::similarity`]).
    pub fn overlap(&self, signature: u64) -> f32 {
        self.signatures
            .iter()
            .map(|s| crate::frustration::similarity(signature, s.load(Relaxed)))
            .fold(0.0, f32::max)
    }

    /// Records a customer message's frustration (in context, 0..1) and its word signature;
    /// returns the conversation's score, which carries `carry` of the previous one.
    pub fn record_frustration(&self, message: f64, carry: f64, signature: u64) -> f64 {
        let conversation =
            crate::frustration::carried(self.frustration.load(), message, carry).clamp(0.0, 1.0);
        self.frustration_message.store(message);
        self.frustration.store(conversation);
        self.signatures[1].store(self.signatures[0].load(Relaxed), Relaxed);
        self.signatures[0].store(signature, Relaxed);
        conversation
    }

    pub fn frustration(&self) -> Frustration {
        Frustration {
            message: self.frustration_message.load() as f32,
            conversation: self.frustration.load() as f32,
        }
    }

    /// Records a customer turn's compound score with moving-average weight `alpha`.
    pub fn record_customer(&self, compound: f64, alpha: f64) {
        let n = self.customer_turns.fetch_add(1, Relaxed);
        self.window[n as usize % MAX_TREND_WINDOW].store(compound);
        self.last.store(compound);
        let ewma =
            if n == 0 { compound } else { alpha * compound + (1.0 - alpha) * self.ewma.load() };
        self.ewma.store(ewma);
        if compound < self.min.load() {
            self.min.store(compound);
        }
    }

    /// Records a bot reply; `low_confidence` is the threshold below which it counts as low.
    pub fn record_bot(&self, turn: &BotTurn<'_>, low_confidence: f64) {
        if turn.resolved {
            self.bot_turns_since_resolution.store(0, Relaxed);
        } else {
            self.bot_turns_since_resolution.fetch_add(1, Relaxed);
        }
        if turn.confidence < low_confidence && !turn.resolved {
            self.low_confidence_streak.fetch_add(1, Relaxed);
        } else {
            self.low_confidence_streak.store(0, Relaxed);
        }
        let fingerprint = reply_fingerprint(turn.text);
        let previous = self.last_bot_reply.swap(fingerprint, Relaxed);
        if fingerprint != 0 && fingerprint == previous {
            self.bot_repeat_streak.fetch_add(1, Relaxed);
        } else {
            self.bot_repeat_streak.store(u32::from(fingerprint != 0), Relaxed);
        }
    }

    /// Sets (or clears) the conversation's topic.
    pub fn set_topic(&self, topic: Option<TopicId>) {
        let code = topic.map_or(0, |t| t.index() as u32 + 1);
        self.topic.store(code, Relaxed);
    }

    pub fn topic(&self) -> Option<TopicId> {
        match self.topic.load(Relaxed) {
            0 => None,
            code => Some(TopicId::new(code as usize - 1)),
        }
    }

    /// An agent handed the conversation back to the bot: the bot-progress counters and the
    /// topic start afresh, and the decider's cooldown starts now. Sentiment history stays.
    pub fn hand_back(&self, now: Instant) {
        self.bot_turns_since_resolution.store(0, Relaxed);
        self.low_confidence_streak.store(0, Relaxed);
        self.bot_repeat_streak.store(0, Relaxed);
        self.last_bot_reply.store(0, Relaxed);
        self.topic.store(0, Relaxed);
        let ms = now.saturating_duration_since(self.opened_at).as_millis();
        self.handed_back_at.store(u64::try_from(ms).unwrap_or(u64::MAX - 1) + 1, Relaxed);
    }

    pub fn customer(&self) -> Customer {
        Customer {
            tier: tier_from_code(self.tier.load(Relaxed)),
            prior_contacts: self.prior_contacts.load(Relaxed),
        }
    }

    /// The sentiment signals, with the trend over the last `trend_window` customer turns.
    pub fn sentiment(&self, trend_window: usize) -> Sentiment {
        let turns = self.customer_turns.load(Relaxed) as usize;
        if turns == 0 {
            return Sentiment::default();
        }
        Sentiment {
            last: self.last.load(),
            ewma: self.ewma.load(),
            min: self.min.load(),
            trend: self.trend(turns, trend_window.clamp(2, MAX_TREND_WINDOW)),
        }
    }

    /// Least-squares slope of compound per turn over the last `k` turns.
    fn trend(&self, turns: usize, window: usize) -> f64 {
        let k = turns.min(window);
        if k < 2 {
            return 0.0;
        }
        let value = |x: usize| self.window[(turns - k + x) % MAX_TREND_WINDOW].load();
        let mean_x = (k - 1) as f64 / 2.0;
        let mean_y = (0..k).map(value).sum::<f64>() / k as f64;
        let (mut cov, mut var) = (0.0, 0.0);
        for x in 0..k {
            let dx = x as f64 - mean_x;
            cov += dx * (value(x) - mean_y);
            var += dx * dx;
        }
        cov / var
    }

    /// The decider's view after this turn; `explicit_request` is this turn's detection.
    pub fn snapshot(&self, explicit_request: bool, trend_window: usize) -> Snapshot {
        let customer = self.customer();
        Snapshot {
            tier: customer.tier,
            prior_contacts: customer.prior_contacts,
            customer_turns: self.customer_turns.load(Relaxed),
            sentiment: self.sentiment(trend_window),
            frustration: self.frustration(),
            explicit_request,
            topic: self.topic(),
            low_confidence_streak: self.low_confidence_streak.load(Relaxed),
            bot_turns_since_resolution: self.bot_turns_since_resolution.load(Relaxed),
            bot_repeat_streak: self.bot_repeat_streak.load(Relaxed),
            handed_back_at: match self.handed_back_at.load(Relaxed) {
                0 => None,
                ms => Some(self.opened_at + Duration::from_millis(ms - 1)),
            },
        }
    }
}

/// The tracker's values, kept in the journal so that decisions after a restart go on from
/// where they were (`topic` is the policy's topic index + 1, 0 for none; `handed_back_at` is
/// milliseconds after the opening + 1, 0 for never).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalsRecord {
    pub customer_turns: u32,
    pub bot_turns_since_resolution: u32,
    pub low_confidence_streak: u32,
    pub bot_repeat_streak: u32,
    pub last_bot_reply: u64,
    pub topic: u32,
    pub handed_back_at: u64,
    pub last: f64,
    pub ewma: f64,
    pub min: f64,
    pub window: Vec<f64>,
    /// Absent in journals written before the frustration score: it starts again from 0.
    #[serde(default)]
    pub frustration_message: f64,
    #[serde(default)]
    pub frustration: f64,
    #[serde(default)]
    pub signatures: Vec<u64>,
}

impl ConversationSignals {
    /// What [`ConversationSignals::restore`] needs to rebuild this tracker.
    pub fn record(&self) -> SignalsRecord {
        SignalsRecord {
            customer_turns: self.customer_turns.load(Relaxed),
            bot_turns_since_resolution: self.bot_turns_since_resolution.load(Relaxed),
            low_confidence_streak: self.low_confidence_streak.load(Relaxed),
            bot_repeat_streak: self.bot_repeat_streak.load(Relaxed),
            last_bot_reply: self.last_bot_reply.load(Relaxed),
            topic: self.topic.load(Relaxed),
            handed_back_at: self.handed_back_at.load(Relaxed),
            last: self.last.load(),
            ewma: self.ewma.load(),
            min: self.min.load(),
            window: self.window.iter().map(AtomicF64::load).collect(),
            frustration_message: self.frustration_message.load(),
            frustration: self.frustration.load(),
            signatures: self.signatures.iter().map(|s| s.load(Relaxed)).collect(),
        }
    }

    /// A tracker with a recorded conversation's values; a topic index the policy does not
    /// have (`topics` of them) is dropped.
    pub fn restore(
        customer: Customer,
        opened_at: Instant,
        record: &SignalsRecord,
        topics: usize,
    ) -> Self {
        let signals = ConversationSignals::new(customer, opened_at);
        signals.customer_turns.store(record.customer_turns, Relaxed);
        signals.bot_turns_since_resolution.store(record.bot_turns_since_resolution, Relaxed);
        signals.low_confidence_streak.store(record.low_confidence_streak, Relaxed);
        signals.bot_repeat_streak.store(record.bot_repeat_streak, Relaxed);
        signals.last_bot_reply.store(record.last_bot_reply, Relaxed);
        let topic = if record.topic as usize <= topics { record.topic } else { 0 };
        signals.topic.store(topic, Relaxed);
        signals.handed_back_at.store(record.handed_back_at, Relaxed);
        signals.last.store(record.last);
        signals.ewma.store(record.ewma);
        signals.min.store(record.min);
        for (slot, value) in signals.window.iter().zip(&record.window) {
            slot.store(*value);
        }
        signals.frustration_message.store(record.frustration_message.clamp(0.0, 1.0));
        signals.frustration.store(record.frustration.clamp(0.0, 1.0));
        for (slot, value) in signals.signatures.iter().zip(&record.signatures) {
            slot.store(*value, Relaxed);
        }
        signals
    }
}

fn tier_code(tier: Tier) -> u8 {
    match tier {
        Tier::Standard => 0,
        Tier::Premium => 1,
        Tier::Enterprise => 2,
    }
}

fn tier_from_code(code: u8) -> Tier {
    match code {
        1 => Tier::Premium,
        2 => Tier::Enterprise,
        _ => Tier::Standard,
    }
}

/// FNV-1a over the reply's lowercased ASCII letters and digits, so replies that differ only
/// in case, spacing or punctuation count as the same; 0 for a reply with none.
fn reply_fingerprint(text: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut any = false;
    for b in text.bytes().filter(u8::is_ascii_alphanumeric) {
        any = true;
        hash = (hash ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
    }
    if any { hash.max(1) } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals() -> ConversationSignals {
        ConversationSignals::new(Customer::default(), Instant::now())
    }

    #[test]
    fn a_restored_tracker_decides_as_the_recorded_one() {
        let s = signals();
        for compound in [0.5, 0.0, -0.5, -0.9, 0.2] {
            s.record_customer(compound, 0.5);
        }
        s.record_bot(&BotTurn { text: "try again", confidence: 0.2, resolved: false }, 0.5);
        s.set_topic(Some(TopicId::new(1)));
        s.record_frustration(0.6, 0.5, 0b1110);
        s.record_frustration(0.3, 0.5, 0b0111);
        let record = s.record();
        assert_eq!(record.signatures, vec![0b0111, 0b1110]);
        let back = ConversationSignals::restore(Customer::default(), Instant::now(), &record, 3);
        assert_eq!(back.record(), record);
        assert_eq!(back.snapshot(false, 4), s.snapshot(false, 4));
        // A topic the policy no longer has is dropped.
        assert_eq!(
            ConversationSignals::restore(Customer::default(), Instant::now(), &record, 1).topic(),
            None
        );
    }

    #[test]
    fn frustration_carries_and_repetition_is_seen_against_the_last_two() {
        let s = signals();
        assert_eq!(s.record_frustration(0.5, 0.5, 0b1111), 0.5);
        // 1 - (1 - 0.5)(1 - 0.5 · 0.5)
        assert_eq!(s.record_frustration(0.5, 0.5, 0b1111_0000), 0.625);
        assert_eq!(s.frustration(), Frustration { message: 0.5, conversation: 0.625 });
        assert_eq!(s.overlap(0b1111), 1.0, "two messages back");
        assert_eq!(s.overlap(0b1111_0000_0000), 0.0);
        s.record_frustration(0.1, 0.5, 0b1111_0000_0000);
        assert!(s.overlap(0b1111) == 0.0, "three messages back is forgotten");
    }

    #[test]
    fn ewma_min_and_trend() {
        let s = signals();
        for compound in [0.5, 0.0, -0.5, -0.9] {
            s.record_customer(compound, 0.5);
        }
        let sentiment = s.sentiment(4);
        assert_eq!(sentiment.last, -0.9);
        assert_eq!(sentiment.min, -0.9);
        // 0.5 → 0.25 → -0.125 → -0.5125
        assert!((sentiment.ewma + 0.5125).abs() < 1e-12);
        // slope of (0.5, 0, -0.5, -0.9) over x = 0..4
        assert!((sentiment.trend + 0.47).abs() < 1e-12, "{}", sentiment.trend);
    }

    #[test]
    fn trend_uses_only_the_window() {
        let s = signals();
        for compound in [-1.0, -1.0, 0.0, 0.1, 0.2] {
            s.record_customer(compound, 0.5);
        }
        assert!((s.sentiment(3).trend - 0.1).abs() < 1e-12);
        assert_eq!(signals().sentiment(4), Sentiment::default());
    }

    #[test]
    fn bot_counters() {
        let s = signals();
        let reply = |text, confidence, resolved| BotTurn { text, confidence, resolved };
        s.record_bot(&reply("Try restarting the router.", 0.3, false), 0.5);
        s.record_bot(&reply("try restarting the router", 0.4, false), 0.5);
        let snap = s.snapshot(false, 4);
        assert_eq!((snap.low_confidence_streak, snap.bot_repeat_streak), (2, 2));
        assert_eq!(snap.bot_turns_since_resolution, 2);
        s.record_bot(&reply("Done, your plan is changed.", 0.9, true), 0.5);
        let snap = s.snapshot(false, 4);
        assert_eq!((snap.low_confidence_streak, snap.bot_repeat_streak), (0, 1));
        assert_eq!(snap.bot_turns_since_resolution, 0);
    }

    #[test]
    fn hand_back_resets_progress_and_remembers_when() {
        let opened = Instant::now();
        let s = ConversationSignals::new(Customer::default(), opened);
        s.set_topic(Some(TopicId::new(2)));
        s.record_bot(&BotTurn { text: "x", confidence: 0.1, resolved: false }, 0.5);
        s.hand_back(opened + Duration::from_secs(30));
        let snap = s.snapshot(false, 4);
        assert_eq!(snap.topic, None);
        assert_eq!(snap.low_confidence_streak, 0);
        assert_eq!(snap.handed_back_at, Some(opened + Duration::from_secs(30)));
    }
}
