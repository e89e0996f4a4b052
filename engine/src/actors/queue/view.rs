//! What the engine shows of a queue and of a customer waiting in it.

use crate::actors::shared::Competitors;
use crate::escalation::Load;

use super::QueueState;

/// A skill queue as the engine sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueView {
    /// Waiting conversations, first to be served first.
    pub waiting: Vec<String>,
    /// Offered conversations and the agent each is offered to.
    pub offered: Vec<(String, String)>,
    /// Waiting conversations and the agents who declined them or let their offer expire
    /// (they are not offered that customer again while it waits).
    pub excluded: Vec<(String, Vec<String>)>,
    /// The model's expected wait for a customer joining now (`None`: nobody staffed).
    pub expected_wait_ms: Option<u64>,
    /// How long the longest-waiting customer has waited, milliseconds.
    pub longest_wait_ms: u64,
    pub level: Load,
    /// What the queue has learned (kept across restarts with a data directory): the moving
    /// average of handle times and of the time agents take to answer an offer, milliseconds,
    /// and the latest waits served.
    pub handle_ms: u64,
    pub answer_ms: u64,
    pub recent_waits_ms: Vec<u64>,
}

/// A waiting customer as its queue sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingView {
    pub skill: String,
    /// Place in line now (0 = next); `None` while offered to an agent.
    pub position: Option<usize>,
    /// When the current wait started (milliseconds on the engine clock).
    pub enqueued_ms: u64,
    /// The entry's queue key (`enqueued_ms` moved earlier by priority): smaller is served
    /// first, across the queues an agent serves too.
    pub key_ms: i64,
    /// Each estimator's prediction at enqueue time, milliseconds (`model` first).
    pub estimates_at_enqueue: Vec<(&'static str, Option<u64>)>,
    /// The model's estimate now, milliseconds.
    pub estimate_now: Option<u64>,
}

impl QueueState {
    /// What [`crate::engine::Engine::queue_view`] shows, given the skill's staffing
    /// `(staffed, free)` slots, the other queues its agents serve (what they owe them before
    /// a customer joining now, see [`crate::wait::QueueNow::competing`]) and its load level.
    pub(crate) fn view(
        &self,
        staffing: (u32, u32),
        competitors: &Competitors,
        now: u64,
        level: Load,
    ) -> QueueView {
        let mut offered: Vec<(String, String)> =
            self.offered.iter().map(|(c, (a, _))| (c.to_string(), a.to_string())).collect();
        offered.sort_unstable();
        let mut excluded: Vec<(String, Vec<String>)> = self
            .declined()
            .map(|(c, agents)| (c.to_string(), agents.iter().map(ToString::to_string).collect()))
            .collect();
        excluded.sort_unstable();
        let joining = self.now_against(self.waiting.len(), staffing, competitors, now as i64);
        let expected_wait_ms = self.model_estimate(&joining, now);
        let longest_wait_ms = self.longest_wait(now);
        let waiting = self.waiting.values().map(ToString::to_string).collect();
        QueueView {
            waiting,
            offered,
            excluded,
            expected_wait_ms,
            longest_wait_ms,
            level,
            handle_ms: self.handle_ms.round() as u64,
            answer_ms: self.answer_ms.round() as u64,
            recent_waits_ms: self.recent_waits.iter().map(|(wait, _)| *wait).collect(),
        }
    }

    /// (waiting, longest wait, the model's expected wait for a customer joining now): what
    /// the 1 s sampler records, without listing anyone.
    pub(crate) fn summary(
        &self,
        staffing: (u32, u32),
        competitors: &Competitors,
        now: u64,
    ) -> (usize, u64, Option<u64>) {
        let joining = self.now_against(self.waiting.len(), staffing, competitors, now as i64);
        let expected = self.model_estimate(&joining, now);
        (self.waiting.len(), self.longest_wait(now), expected)
    }

    fn longest_wait(&self, now: u64) -> u64 {
        self.waiting
            .values()
            .filter_map(|c| self.entries.get(c))
            .map(|e| now.saturating_sub(e.enqueued_ms))
            .max()
            .unwrap_or(0)
    }

    /// Where `conversation` stands in this queue and what each estimator predicted.
    pub(crate) fn waiting_view(
        &self,
        skill: &str,
        conversation: &str,
        (staffing, competitors): ((u32, u32), &Competitors),
        now: u64,
    ) -> Option<WaitingView> {
        let entry = self.entries.get(conversation)?;
        let position = self.waiting.contains_key(&entry.key).then(|| self.waiting.rank(&entry.key));
        let estimate_now = position.and_then(|p| {
            let queue = self.now_against(p, staffing, competitors, entry.key.virtual_ms);
            self.estimates(&queue, now)[0]
        });
        Some(WaitingView {
            skill: skill.to_owned(),
            position,
            enqueued_ms: entry.enqueued_ms,
            key_ms: entry.key.virtual_ms,
            estimates_at_enqueue: crate::wait::NAMES.into_iter().zip(entry.estimates).collect(),
            estimate_now,
        })
    }
}
