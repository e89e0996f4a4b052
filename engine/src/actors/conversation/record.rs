//! The conversation in the journal: a record of everything but the transcript, written after
//! every command that may change it, and one record per turn, written as the turn arrives.
//! Replies that confirm a change go out once the change is written ([`ack`]).
//!
//! A customer's or bot's turn writes only the turn (with its score, the bot's confidence and
//! the tracker's values after it): the packet's timeline and attempts are rebuilt from the
//! turns on recovery, so a message costs one small write.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::transcript::{Transcript, turn_key};
use super::{ConvCmd, Reply, SummaryFacts};
use super::{ConvState, ConversationBehaviour, Events, Handoff, Idle, Improvement};
use crate::actors::actor::Ctx;
use crate::actors::error::EngineError;
use crate::actors::events::{CustomerInfo, Role, Turn};
use crate::actors::lifecycle::{Lifecycle, State};
use crate::context::packet::{MAX_ATTEMPTS, MAX_TIMELINE, SentimentPoint};
use crate::context::summary::Attempt;
use crate::journal::{Durability, Op, Space, decode, encode};
use crate::sentiment::{ConversationSignals, SignalsRecord};

/// A conversation's record, as the journal keeps it.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ConvRecord {
    pub id: String,
    pub customer: CustomerInfo,
    pub state: State,
    pub opened_ms: u64,
    pub handoff: Handoff,
    pub resolution: Option<String>,
    pub csat: Option<u8>,
    pub improvement: Improvement,
    /// Turns in the transcript when this was written.
    pub turns: u32,
    pub signals: SignalsRecord,
}

/// One transcript turn, with what the packet's summary needs of it (borrowed when written,
/// owned when read back).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct TurnRecord<'a> {
    pub role: Role,
    pub text: Cow<'a, str>,
    pub at_ms: u64,
    /// A customer turn's compound score.
    pub compound: Option<f64>,
    /// A bot turn's confidence, what it said it considered and its own summary.
    pub confidence: Option<f64>,
    pub considered: Cow<'a, [Attempt]>,
    pub bot_summary: Option<Cow<'a, str>>,
    /// The tracker after a customer's or bot's turn.
    pub signals: Option<SignalsRecord>,
}

/// What a turn adds beyond its text (borrowed: nothing is copied unless it is written).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct TurnFacts<'a> {
    pub compound: Option<f64>,
    pub confidence: Option<f64>,
    pub considered: &'a [Attempt],
    pub bot_summary: Option<&'a str>,
}

/// What the record has not written yet.
#[derive(Debug, Default)]
pub(crate) struct Unwritten {
    /// The journal keeps this conversation (not `--ephemeral`).
    pub durable: bool,
    pub opened_ms: u64,
    pub turns: Vec<Op>,
    /// The record was written after this command's change (by `ack`): no need to again.
    pub snapshot_taken: bool,
    /// Its end is in the retention index ([`Space::Finished`]).
    pub finished_indexed: bool,
}

/// The retention index's key: when the conversation finished (engine clock, big-endian), then
/// its id.
pub(crate) fn finished_key(at_ms: u64, id: &str) -> Vec<u8> {
    let mut key = at_ms.to_be_bytes().to_vec();
    key.extend_from_slice(id.as_bytes());
    key
}

impl ConvState {
    /// Appends a turn to the transcript and, when durable, to what is to be written.
    pub(super) fn push_turn(&mut self, turn: Turn, facts: TurnFacts<'_>) {
        if self.unwritten.durable {
            let n = self.transcript.total();
            let signals = (turn.role != Role::Agent).then(|| self.signals.record());
            let record = TurnRecord {
                role: turn.role,
                text: Cow::Borrowed(&turn.text),
                at_ms: turn.at_ms,
                compound: facts.compound,
                confidence: facts.confidence,
                considered: Cow::Borrowed(facts.considered),
                bot_summary: facts.bot_summary.map(Cow::Borrowed),
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
        ConvRecord {
            id: self.id.to_string(),
            customer: self.customer.clone(),
            state: self.state(),
            opened_ms: self.unwritten.opened_ms,
            handoff: self.handoff.clone(),
            resolution: self.resolution.clone(),
            csat: self.csat,
            improvement: self.improvement.clone(),
            turns: self.transcript.total(),
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
        turns: Vec<TurnRecord<'static>>,
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
                    let attempt = Attempt { text: turn.text.to_string(), confidence };
                    ConvState::keep_latest(&mut summary.attempts, attempt, MAX_ATTEMPTS);
                    if !turn.considered.is_empty() {
                        summary.considered = turn.considered.into_owned();
                    }
                    if let Some(bot_summary) = turn.bot_summary {
                        summary.bot_summary = Some(bot_summary.into_owned());
                    }
                }
                _ => {}
            }
            transcript.push(Turn {
                role: turn.role,
                text: turn.text.into_owned(),
                at_ms: turn.at_ms,
            });
        }
        ConvState {
            id: Arc::from(record.id.as_str()),
            customer: record.customer,
            life: Lifecycle::restore(record.state),
            transcript: Transcript::restored(transcript),
            signals,
            handoff: record.handoff,
            events: Events { sender: None, buffer },
            resolution: record.resolution,
            csat: record.csat,
            summary,
            improvement: record.improvement,
            idle: Idle::default(),
            unwritten: Unwritten {
                durable: true,
                opened_ms: record.opened_ms,
                ..Unwritten::default()
            },
        }
    }
}

/// Reads a conversation's turns back, in order.
pub(crate) fn read_turns(
    backend: &dyn crate::journal::Backend,
    id: &str,
) -> Result<Vec<TurnRecord<'static>>, crate::journal::StoreError> {
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
    turns: &'a [TurnRecord<'static>],
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
    write(ctx, snapshot, Durability::Os);
}

fn write(ctx: &Ctx<'_, ConversationBehaviour>, snapshot: bool, durability: Durability) {
    let ops = ctx.with(|c| {
        let mut ops = c.take_writes(snapshot);
        // A finished conversation's end goes in the retention index once, with its record.
        if snapshot
            && c.unwritten.durable
            && c.state().is_terminal()
            && !c.unwritten.finished_indexed
        {
            c.unwritten.finished_indexed = true;
            let key = finished_key(ctx.shared.now_ms(), &c.id);
            ops.push(Op::put(Space::Finished, key, Vec::new()));
        }
        ops
    });
    if !ops.is_empty() {
        ctx.shared.journal.write(ops, durability);
        trim_transcript(ctx);
    }
}

/// Turns in the middle of a long transcript leave memory once the journal confirms them; the
/// confirmation comes back as [`ConvCmd::TranscriptWritten`], which calls this again.
pub(super) fn trim_transcript(ctx: &Ctx<'_, ConversationBehaviour>) {
    let tail = ctx.shared.config().context.max_transcript_turns + 2;
    let on_written = written_notice(ctx);
    ctx.with(|c| c.transcript.after_write(&ctx.shared.journal, tail, on_written));
}

/// What the journal's confirmation runs: tells the conversation, if an actor serves it.
pub(super) fn written_notice(
    ctx: &Ctx<'_, ConversationBehaviour>,
) -> impl FnOnce() + Send + 'static {
    let cell = Arc::clone(ctx.cell);
    move || {
        cell.push_if_live(ConvCmd::TranscriptWritten);
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
    ack_as(ctx, reply, result, Durability::Os);
}

/// [`ack`] with the record synced to disk first: a callback, a promise to a person, must
/// survive power loss with the state that holds it, not the ticket alone.
pub(super) fn ack_synced<T: Send + 'static>(
    ctx: &Ctx<'_, ConversationBehaviour>,
    reply: Reply<T>,
    result: Result<T, EngineError>,
) {
    ack_as(ctx, reply, result, Durability::Disk);
}

fn ack_as<T: Send + 'static>(
    ctx: &Ctx<'_, ConversationBehaviour>,
    reply: Reply<T>,
    result: Result<T, EngineError>,
    durability: Durability,
) {
    if result.is_err() || !ctx.shared.journal.is_durable() {
        let _ = reply.send(result);
        return;
    }
    write(ctx, true, durability);
    ctx.with(|c| c.unwritten.snapshot_taken = true);
    ctx.shared.journal.then(move |written| {
        let _ = reply.send(written.map_err(EngineError::from).and(result));
    });
}
