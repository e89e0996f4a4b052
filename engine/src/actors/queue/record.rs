//! The queue in the journal: one record per waiting (or offered) customer, written when the
//! entry changes, so a restart finds every customer at their place with their enqueue time
//! (aging goes on from it). Offers are not written: after a restart an offered customer is
//! back at their place, and the next dispatch offers them again.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Entry, QueueBehaviour, QueueState, Told};
use crate::actors::actor::Ctx;
use crate::journal::{Durability, Op, Space, encode, key2, prefix};
use crate::routing::QueueKey;

/// A queue entry as the journal keeps it (key: skill, `0`, conversation id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct QueueRecord {
    pub skill: String,
    pub conv: String,
    pub virtual_ms: i64,
    pub seq: u64,
    pub enqueued_ms: u64,
    pub estimates: [Option<u64>; 3],
    pub callback_offered: bool,
    pub callback: bool,
    pub restricted: Option<String>,
}

/// Writes `conv`'s entry as it now is in this queue (deleted when it has left).
pub(super) fn persist(ctx: &Ctx<'_, QueueBehaviour>, conv: &str) {
    if !ctx.shared.journal.is_durable() {
        return;
    }
    let skill = &ctx.cell.key;
    let key = key2(skill, conv.as_bytes());
    let op = ctx.with(|q| match q.entries.get(conv) {
        None => Op::delete(Space::Queue, key),
        Some(entry) => {
            let record = QueueRecord {
                skill: skill.to_string(),
                conv: conv.to_owned(),
                virtual_ms: entry.key.virtual_ms,
                seq: entry.key.seq,
                enqueued_ms: entry.enqueued_ms,
                estimates: entry.estimates,
                callback_offered: entry.callback_offered,
                callback: entry.callback,
                restricted: entry.restricted.as_deref().map(str::to_owned),
            };
            Op::put(Space::Queue, key, encode(&record))
        }
    });
    ctx.shared.journal.write(vec![op], Durability::Os);
}

impl QueueState {
    /// Puts a recovered entry back at its place, waiting (an offer in flight at the crash is
    /// not resumed: the customer is offered again).
    pub(crate) fn restore(&mut self, record: QueueRecord) {
        let key = QueueKey { virtual_ms: record.virtual_ms, seq: record.seq };
        let conv: Arc<str> = Arc::from(record.conv.as_str());
        let entry = Entry {
            key,
            enqueued_ms: record.enqueued_ms,
            estimates: record.estimates,
            // Told nothing yet in this process: the next update tells the customer.
            told: Told { position: usize::MAX, band: usize::MAX, at_ms: 0 },
            callback_offered: record.callback_offered,
            callback: record.callback,
            restricted: record.restricted.as_deref().map(Arc::from),
            offered_ms: None,
        };
        self.entries.insert(Arc::clone(&conv), entry);
        self.waiting.insert(key, conv);
    }
}

/// Waits kept for the estimators' replay after a restart.
const RECENT_WAITS: usize = 64;

/// What a queue has learned, as the journal keeps it (meta key: `queue_learned`, `0`, skill):
/// the moving averages, and the latest waits served, which the estimators learn again from
/// after a restart (they keep no more than a window of recent waits themselves).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LearnedRecord {
    pub skill: String,
    pub handle_ms: f64,
    /// Absent in records written before the spread of handle times was learned.
    #[serde(default)]
    pub handle_var_ms: Option<f64>,
    #[serde(default)]
    pub handled: u64,
    /// Absent in records written before after-chat time was learned (the configured
    /// wrap-up is kept).
    #[serde(default)]
    pub wrap_ms: Option<f64>,
    pub answer_ms: f64,
    pub answers: u64,
    pub interarrival_ms: Option<f64>,
    pub recent_waits: Vec<(u64, u64)>,
}

const LEARNED: &str = "queue_learned";

/// The prefix of every queue's learned record in [`Space::Meta`].
pub(crate) fn learned_prefix() -> Vec<u8> {
    prefix(LEARNED)
}

impl QueueState {
    /// A customer was served after `wait_ms`: every estimator learns it, and it is kept for
    /// their replay after a restart.
    pub(super) fn observe_wait(&mut self, wait_ms: u64, now_ms: u64) {
        for estimator in &mut self.estimators {
            estimator.observe_wait(wait_ms, now_ms);
        }
        if self.recent_waits.len() == RECENT_WAITS {
            self.recent_waits.pop_front();
        }
        self.recent_waits.push_back((wait_ms, now_ms));
    }

    /// Takes back what a previous process learned.
    pub(crate) fn restore_learned(&mut self, record: LearnedRecord) {
        self.handle_ms = record.handle_ms;
        // Without a learned spread, exponential (CV 1) around the learned mean.
        self.handle_var_ms = record.handle_var_ms.unwrap_or(record.handle_ms * record.handle_ms);
        self.handled = record.handled;
        if let Some(wrap_ms) = record.wrap_ms {
            self.wrap_ms = wrap_ms;
        }
        self.answer_ms = record.answer_ms;
        self.answers = record.answers;
        self.interarrival_ms = record.interarrival_ms;
        for (wait_ms, at_ms) in record.recent_waits {
            self.observe_wait(wait_ms, at_ms);
        }
    }
}

/// Writes what the queue has learned (after each wait served and each handle time).
pub(super) fn persist_learned(ctx: &Ctx<'_, QueueBehaviour>) {
    if !ctx.shared.journal.is_durable() {
        return;
    }
    let skill = &ctx.cell.key;
    let record = ctx.with(|q| LearnedRecord {
        skill: skill.to_string(),
        handle_ms: q.handle_ms,
        handle_var_ms: Some(q.handle_var_ms),
        handled: q.handled,
        wrap_ms: Some(q.wrap_ms),
        answer_ms: q.answer_ms,
        answers: q.answers,
        interarrival_ms: q.interarrival_ms,
        recent_waits: q.recent_waits.iter().copied().collect(),
    });
    let op = Op::put(Space::Meta, key2(LEARNED, skill.as_bytes()), encode(&record));
    ctx.shared.journal.write(vec![op], Durability::Os);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::shared::QueueHead;
    use crate::journal::decode;
    use crate::routing::{SkillIndex, SkillNo, Strategy};

    /// A learned record as written before the spread of handle times was learned.
    #[derive(Serialize)]
    struct Before {
        skill: String,
        handle_ms: f64,
        answer_ms: f64,
        answers: u64,
        interarrival_ms: Option<f64>,
        recent_waits: Vec<(u64, u64)>,
    }

    #[test]
    fn a_record_without_the_spread_reads_as_exponential_handle_times() {
        let before = Before {
            skill: "billing".into(),
            handle_ms: 240_000.0,
            answer_ms: 3_000.0,
            answers: 9,
            interarrival_ms: Some(20_000.0),
            recent_waits: vec![(1_000, 2_000)],
        };
        let record: LearnedRecord =
            decode(Space::Meta, b"k", &encode(&before)).expect("an older record decodes");
        assert_eq!((record.handle_var_ms, record.handled), (None, 0));
        let mut q = QueueState::new(
            Arc::new(QueueHead::new()),
            Arc::new(SkillIndex::new(SkillNo(0), Arc::from("general"), Strategy::default())),
            180_000.0,
            30_000.0,
        );
        q.restore_learned(record);
        assert_eq!(q.handle_ms, 240_000.0);
        assert_eq!(q.wrap_ms, 30_000.0, "the configured wrap-up is kept");
        assert!((q.handle_cv() - 1.0).abs() < 1e-12, "{}", q.handle_cv());
    }
}
