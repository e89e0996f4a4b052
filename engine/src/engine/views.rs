//! What the engine holds now: subscriptions, states, transcripts, views of agents and
//! queues (each built by the actor module that owns the state), measures and statistics.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::broadcast;

use crate::actors::conversation::ConvState;
use crate::escalation::{Decision, Load};

use crate::routing::OfferOutcome;

use super::{
    AgentEvent, AgentView, ConversationEvent, Engine, EngineError, EngineStats, QueueView, State,
    Turn, WaitingView,
};
impl Engine {
    pub fn subscribe_conversation(
        &self,
        id: &str,
    ) -> Result<broadcast::Receiver<ConversationEvent>, EngineError> {
        Ok(self.conversation(id)?.with(ConvState::subscribe))
    }

    pub fn subscribe_agent(
        &self,
        id: &str,
    ) -> Result<broadcast::Receiver<AgentEvent>, EngineError> {
        Ok(self.agent(id)?.with(|a| a.events.subscribe()))
    }

    /// The conversation's state (live or recently finished).
    pub fn conversation_state(&self, id: &str) -> Option<State> {
        match self.shared.conversations.get(id) {
            Some(cell) => Some(cell.with(|c| c.state())),
            None => self.shared.finished_state(id),
        }
    }

    /// The skill queue the conversation was escalated to, if it was.
    pub fn conversation_skill(&self, id: &str) -> Option<String> {
        let cell = self.conversation(id).ok()?;
        cell.with(|c| c.handoff.escalation.as_ref().map(|e| e.skill.to_string()))
    }

    /// What a conversation's transcript holds in memory: `(turns in memory, all turns, heap
    /// bytes of the turns in memory)`. With a data directory a long transcript keeps only its
    /// first and latest turns in memory.
    pub fn transcript_memory(&self, id: &str) -> Option<(usize, usize, usize)> {
        let cell = self.conversation(id).ok()?;
        Some(cell.with(|c| {
            let t = &c.transcript;
            (t.in_memory().len(), t.total() as usize, t.heap_bytes())
        }))
    }

    /// The conversation's transcript so far.
    pub fn transcript(&self, id: &str) -> Result<Vec<Turn>, EngineError> {
        // The window is copied under the conversation's lock; the store is read after it.
        let window = self.conversation(id)?.with(|c| c.transcript.clone());
        let store = self.shared.journal.reader();
        Ok(window.whole(id, store.as_deref())?)
    }

    /// The transcript as `agent` may read it: personal data redacted unless the agent holds
    /// `context.pii_clearance` (an agent not logged in gets it redacted).
    pub fn transcript_for_agent(&self, id: &str, agent: &str) -> Result<Vec<Turn>, EngineError> {
        let mut turns = self.transcript(id)?;
        let context = &self.shared.config().context;
        let cleared =
            self.shared.board.get(agent).is_some_and(|a| a.cleared_for(&context.pii_clearance));
        let kinds = context.redaction(cleared);
        for turn in &mut turns {
            if let std::borrow::Cow::Owned(clean) =
                crate::context::redact::redact(&turn.text, kinds)
            {
                turn.text = clean;
            }
        }
        let detail = format!("{} turns", turns.len());
        let kind = crate::journal::AuditKind::TranscriptDelivered;
        self.shared.audit(kind, agent, Some(id), Some(!cleared), detail);
        Ok(turns)
    }

    /// The reason code and topic (`none` without one) a conversation was handed over for, as
    /// metric labels; `unknown` once the conversation is no longer kept.
    pub fn handoff_labels(&self, id: &str) -> (&'static str, String) {
        let Ok(cell) = self.conversation(id) else {
            return ("unknown", "unknown".into());
        };
        cell.with(|c| match &c.handoff.escalation {
            Some(e) => (e.reason.as_str(), e.topic.clone().unwrap_or_else(|| "none".into())),
            None => ("none", "none".into()),
        })
    }

    /// Every live conversation and every retained finished one, by state.
    pub fn conversations_by_state(&self) -> BTreeMap<State, Vec<String>> {
        let mut by_state: BTreeMap<State, Vec<String>> = BTreeMap::new();
        let live: Vec<_> =
            self.shared.conversations.iter().map(|c| Arc::clone(c.value())).collect();
        for cell in live {
            let state = cell.with(|c| c.state());
            // A finished conversation still draining its inbox is listed once, below.
            if !state.is_terminal() {
                by_state.entry(state).or_default().push(cell.key.to_string());
            }
        }
        for (id, state) in self.shared.finished_list() {
            by_state.entry(state).or_default().push(id.to_string());
        }
        by_state.values_mut().for_each(|ids| ids.sort_unstable());
        by_state
    }

    pub fn agent_view(&self, id: &str) -> Option<AgentView> {
        self.agent(id).ok().map(|cell| cell.with(|a| a.view()))
    }

    pub fn queue_view(&self, skill: &str) -> Option<QueueView> {
        let cell = self.shared.queues.get(skill).map(|q| Arc::clone(q.value()))?;
        let level = self
            .shared
            .queue_levels()
            .into_iter()
            .find(|(s, _)| s == skill)
            .map_or(Load::Normal, |(_, l)| l);
        let (staffing, now) = (self.shared.board.staffing(skill), self.shared.now_ms());
        let competitors = self.shared.competitors(skill);
        Some(cell.with(|q| q.view(staffing, &competitors, now, level)))
    }

    /// Where a waiting customer stands and what each estimator predicted.
    pub fn waiting(&self, conversation: &str) -> Option<WaitingView> {
        let skill = self.conversation_skill(conversation)?;
        let cell = self.shared.queues.get(skill.as_str()).map(|q| Arc::clone(q.value()))?;
        let (staffing, now) = (self.shared.board.staffing(&skill), self.shared.now_ms());
        let competitors = self.shared.competitors(&skill);
        cell.with(|q| q.waiting_view(&skill, conversation, (staffing, &competitors), now))
    }

    /// Each estimator's accuracy so far: predictions at enqueue time against the waits of the
    /// customers who waited, as `(name, summary)` with the model first.
    pub fn ewt_accuracy(&self) -> Vec<(&'static str, crate::wait::AccuracySummary)> {
        crate::wait::NAMES.into_iter().zip(self.shared.accuracy()).collect()
    }

    /// The continuous-improvement measures since the engine started.
    pub fn measures(&self) -> crate::context::measures::MeasuresSummary {
        self.shared.measures.summary()
    }

    /// A decision's topic and skill by name.
    pub fn decision_names(&self, decision: &Decision) -> (Option<&str>, Option<&str>) {
        let policy = self.shared.decider.policy();
        (decision.topic.map(|t| policy.topic_name(t)), decision.skill.map(|s| policy.skill_name(s)))
    }

    /// The model's scores of a decision, named as the protocol shows them.
    pub fn model_line(
        &self,
        score: &crate::escalation::ModelScore,
    ) -> crate::escalation::ModelLine {
        score.line(self.shared.decider.policy())
    }

    /// Milliseconds since the engine started (its clock, which tests can pause).
    pub fn now_ms(&self) -> u64 {
        self.shared.now_ms()
    }

    /// Skills that have a queue.
    pub fn skills(&self) -> Vec<String> {
        let mut skills: Vec<String> =
            self.shared.queues.iter().map(|q| q.key().to_string()).collect();
        skills.sort_unstable();
        skills
    }

    /// Logged-in agent ids.
    pub fn agents(&self) -> Vec<String> {
        let mut agents: Vec<String> =
            self.shared.agents.iter().map(|a| a.key().to_string()).collect();
        agents.sort_unstable();
        agents
    }

    pub fn stats(&self) -> EngineStats {
        self.shared.stats_view()
    }

    /// The engine's load level: the override, else the highest queue level. Decisions use
    /// the level of the queue they would escalate to ([`Engine::queue_levels`]).
    pub fn load(&self) -> Load {
        self.shared.load()
    }

    /// Each skill queue's load level.
    pub fn queue_levels(&self) -> Vec<(String, Load)> {
        self.shared.queue_levels()
    }

    /// What the metrics sampler records each second (`telemetry::record_sample`).
    pub fn metrics_sample(&self) -> crate::telemetry::Sample {
        let stats = self.stats();
        // Summaries, not views: no list of every waiting customer, no agent actor's lock.
        let levels = self.shared.queue_levels();
        let now = self.shared.now_ms();
        let queues = levels
            .into_iter()
            .filter_map(|(skill, level)| {
                let cell = self.shared.queues.get(skill.as_str()).map(|q| Arc::clone(q.value()))?;
                let staffing = self.shared.board.staffing(&skill);
                let competitors = self.shared.competitors(&skill);
                let (depth, longest_wait_ms, expected_wait_ms) =
                    cell.with(|q| q.summary(staffing, &competitors, now));
                Some(crate::telemetry::QueueSample {
                    skill,
                    depth,
                    longest_wait_ms,
                    expected_wait_ms,
                    level,
                })
            })
            .collect();
        let estimators = self
            .ewt_accuracy()
            .into_iter()
            .map(|(name, s)| (name, s.median_abs_pct_err, s.mape, s.n))
            .collect();
        let agents = self
            .shared
            .board
            .presence_counts()
            .into_iter()
            .map(|(presence, n)| (presence, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect();
        let journal = &self.shared.journal.stats;
        crate::telemetry::Sample {
            live: stats.live,
            opened: stats.opened,
            callbacks_offered: stats.callbacks_offered,
            callbacks_accepted: stats.callbacks_accepted,
            abandoned: stats.abandoned,
            restarts: vec![
                ("conversation", stats.conversation_restarts),
                ("agent", stats.agent_restarts),
                ("queue", stats.queue_restarts),
                ("supervisor", stats.supervisor_restarts),
            ],
            offers: OfferOutcome::ALL.map(|o| (o.as_str(), stats.offers_by(o))).to_vec(),
            queues,
            estimators,
            agents,
            store_disk_bytes: journal.disk_bytes.load(std::sync::atomic::Ordering::Relaxed),
            store_write_failures: journal.failures.load(std::sync::atomic::Ordering::Relaxed),
        }
    }
}
