//! The conversation in the journal: a record of everything but the transcript, written after
//! every command that may change it, and one record per turn, written as the turn arrives.
//! Replies that confirm a change go out once the change is written ([`ack`]).
//!
//! A customer's or bot's turn writes only the turn (with its score, the bot's confidence and
//! the tracker's values after it): the packet's timeline and attempts are rebuilt from the
//! turns on recovery, so a message costs one small write.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{ConvState, ConversationBehaviour, Escalation, Events, Handoff, Idle, Improvement};
use super::{Reply, SummaryFacts};
use crate::actors::actor::Ctx;
use crate::actors::error::EngineError;
use crate::actors::events::{CallbackTicket, CustomerInfo, Role, Turn};
use crate::actors::lifecycle::{Lifecycle, State};
use crate::context::packet::{MAX_ATTEMPTS, MAX_TIMELINE, SentimentPoint};
use crate::context::summary::Attempt;
use crate::journal::{Durability, Op, Space, decode, encode, key2};
use crate::sentiment::{ConversationSignals, SignalsRecord};

/// A conversation's record, as the journal keeps it.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ConvRecord {
    pub id: String,
    pub customer: CustomerInfo,
    pub state: State,
    pub opened_ms: u64,
    pub escalation: Option<Escalation>,
    pub queued_at_ms: Option<u64>,
    pub agent: Option<String>,
    pub offer_id: u64,
    pub last_estimate_ms: Option<u64>,
    pub callback: Option<CallbackTicket>,
    pub resolution: Option<String>,
    pub csat: Option<u8>,
    pub assigned_ms: Option<u64>,
    pub before_handoff: Option<f64>,
    pub first_with_agent: Option<f64>,
    pub last_with_agent: Option<f64>,
    /// Turns in the transcript when this was written.
    pub turns: u32,
    pub signals: SignalsRecord,
}

/// One transcript turn, with what the packet's summary needs of it.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct TurnRecord {
    pub role: Role,
    pub text: String,
    pub at_ms: u64,
    /// A customer turn's compound score.
    pub compound: Option<f64>,
    /// A bot turn's confidence, what it said it considered and its own summary.
    pub confidence: Option<f64>,
    pub considered: Vec<Attempt>,
    pub bot_summary: Option<String>,
    /// The tracker after a customer's or bot's turn.
    pub signals: Option<SignalsRecord>,
}

/// What a turn adds beyond its text.
#[derive(Debug, Default)]
pub(crate) struct TurnFacts {
    pub compound: Option<f64>,
    pub confidence: Option<f64>,
    pub considered: Vec<Attempt>,
    pub bot_summary: Option<String>,
}

/// What the record has not written yet.
#[derive(Debug, Default)]
pub(crate) struct Unwritten {
    /// The journal keeps this conversation (not `--ephemeral`).
    pub durable: bool,
    pub opened_ms: u64,
    pub turns: Vec<Op>,
}

fn turn_key(id: &str, n: u32) -> Vec<u8> {
    key2(id, &n.to_be_bytes())
}

impl ConvState {
    /// Appends a turn to the transcript and, when durable, to what is to be written.
    pub(super) fn push_turn(&mut self, turn: Turn, facts: TurnFacts) {
        if self.unwritten.durable {
            let n = self.transcript.len() as u32;
            let signals = (turn.role != Role::Agent).then(|| self.signals.record());
            let record = TurnRecord {
                role: turn.role,
                text: turn.text.clone(),
                at_ms: turn.at_ms,
                compound: facts.compound,
                confidence: facts.confidence,
                considered: facts.considered,
                bot_summary: facts.bot_summary,
                signals,
            };
            self.unwritten.turns.push(Op::put(
                Space::Turns,
                turn_key(&self.id, n),
                encode(&record),
            ));
        }
        self.transcript.push(turn);
    }

    pub(crate) fn record(&self) -> ConvRecord {
        let handoff = &self.handoff;
        ConvRecord {
            id: self.id.to_string(),
            customer: self.customer.clone(),
            state: self.state(),
            opened_ms: self.unwritten.opened_ms,
            escalation: handoff.escalation.clone(),
            queued_at_ms: handoff.queued_at_ms,
            agent: handoff.agent.as_deref().map(str::to_owned),
            offer_id: handoff.offer_id,
            last_estimate_ms: handoff.last_estimate_ms,
            callback: handoff.callback.clone(),
            resolution: self.resolution.clone(),
            csat: self.csat,
            assigned_ms: self.improvement.assigned_ms,
            before_handoff: self.improvement.before_handoff,
            first_with_agent: self.improvement.first_with_agent,
            last_with_agent: self.improvement.last_with_agent,
            turns: self.transcript.len() as u32,
            signals: self.signals.record(),
        }
    }

    /// The writes this record owes the journal: the turns since the last call, then (with
    /// `snapshot`) the record itself. Nothing when ephemeral.
    pub(crate) fn take_writes(&mut self, snapshot: bool) -> Vec<Op> {
        if !self.unwritten.durable {
            return Vec::new();
        }
        let mut ops = std::mem::take(&mut self.unwritten.turns);
        if snapshot {
            ops.push(Op::put(Space::Conversations, self.id.as_bytes(), encode(&self.record())));
        }
        ops
    }

    /// A conversation as the journal kept it: its record and its turns in order.
    pub(crate) fn restore(
        record: ConvRecord,
        turns: Vec<TurnRecord>,
        signals: Arc<ConversationSignals>,
        buffer: usize,
    ) -> ConvState {
        let mut summary = SummaryFacts::default();
        let mut transcript = Vec::with_capacity(turns.len());
        for turn in turns {
            match (turn.role, turn.compound, turn.confidence) {
                (Role::Customer, Some(compound), _) => {
                    summary.customer_turns += 1;
                    let point = SentimentPoint {
                        turn: summary.customer_turns,
                        at_ms: turn.at_ms,
                        compound,
                    };
                    ConvState::keep_latest(&mut summary.timeline, point, MAX_TIMELINE);
                }
                (Role::Bot, _, Some(confidence)) => {
                    let attempt = Attempt { text: turn.text.clone(), confidence };
                    ConvState::keep_latest(&mut summary.attempts, attempt, MAX_ATTEMPTS);
                    if !turn.considered.is_empty() {
                        summary.considered = turn.considered;
                    }
                    if turn.bot_summary.is_some() {
                        summary.bot_summary = turn.bot_summary;
                    }
                }
                _ => {}
            }
            transcript.push(Turn { role: turn.role, text: turn.text, at_ms: turn.at_ms });
        }
        ConvState {
            id: Arc::from(record.id.as_str()),
            customer: record.customer,
            life: Lifecycle::restore(record.state),
            transcript,
            signals,
            handoff: Handoff {
                escalation: record.escalation,
                queued_at_ms: record.queued_at_ms,
                agent: record.agent.as_deref().map(Arc::from),
                offer_id: record.offer_id,
                last_estimate_ms: record.last_estimate_ms,
                callback: record.callback,
            },
            events: Events { sender: None, buffer },
            resolution: record.resolution,
            csat: record.csat,
            summary,
            improvement: Improvement {
                assigned_ms: record.assigned_ms,
                before_handoff: record.before_handoff,
                first_with_agent: record.first_with_agent,
                last_with_agent: record.last_with_agent,
            },
            idle: Idle::default(),
            unwritten: Unwritten { durable: true, opened_ms: record.opened_ms, turns: Vec::new() },
        }
    }
}

/// Reads a conversation's turns back, in order.
pub(crate) fn read_turns(
    backend: &dyn crate::journal::Backend,
    id: &str,
) -> Result<Vec<TurnRecord>, crate::journal::StoreError> {
    let mut turns = Vec::new();
    for (key, value) in backend.scan(Space::Turns, &crate::journal::prefix(id))? {
        turns.push(decode(Space::Turns, &key, &value)?);
    }
    Ok(turns)
}

/// The signals a restored conversation continues from: those after its latest turn when that
/// turn is newer than the record, else the record's (a hand-back resets them without a turn).
pub(crate) fn latest_signals<'a>(
    record: &'a ConvRecord,
    turns: &'a [TurnRecord],
) -> &'a SignalsRecord {
    turns
        .iter()
        .enumerate()
        .rev()
        .find_map(|(n, t)| t.signals.as_ref().map(|s| (n, s)))
        .filter(|(n, _)| *n as u32 >= record.turns)
        .map_or(&record.signals, |(_, s)| s)
}

/// Hands the journal what the conversation has not written yet (the record too, with
/// `snapshot`).
pub(super) fn flush(ctx: &Ctx<'_, ConversationBehaviour>, snapshot: bool) {
    let ops = ctx.with(|c| c.take_writes(snapshot));
    if !ops.is_empty() {
        ctx.shared.journal.write(ops, Durability::Os);
    }
}

/// Answers a call that confirms a change once the change is written: the record is written
/// first, and the answer goes out after it (or `storage_unavailable` if it could not be
/// written). Refusals change nothing and go out at once.
pub(super) fn ack<T: Send + 'static>(
    ctx: &Ctx<'_, ConversationBehaviour>,
    reply: Reply<T>,
    result: Result<T, EngineError>,
) {
    if result.is_err() || !ctx.shared.journal.is_durable() {
        let _ = reply.send(result);
        return;
    }
    flush(ctx, true);
    ctx.shared.journal.then(move |written| {
        let _ = reply.send(written.map_err(EngineError::from).and(result));
    });
}
