//! The client's side of a faulted run: every request it sent (its type, conversation and
//! text) and what it was told — acknowledged, failed (nothing changed), or unknown (the
//! connection died first, or the server could not tell).

use std::sync::Mutex;

use serde_json::Value;
use tokio::time::Instant;

/// What a request was told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Sent, no answer yet (the run ended first: as good as unknown).
    Pending,
    /// An `ok`, `decision`, `callback_scheduled`…; `state` when the reply named one.
    Acked { state: Option<String> },
    /// An error that promises nothing changed, by code.
    Failed(String),
    /// May or may not have taken effect, by why.
    Unknown(String),
}

/// One request.
#[derive(Debug, Clone)]
pub struct Op {
    /// The request's `type` (`open`, `customer_message`, `accept`, `message`…).
    pub kind: String,
    pub conversation: Option<String>,
    /// What was said (`customer_message`, `bot_reply`, an agent's `message`).
    pub text: Option<String>,
    pub invoked: Instant,
    pub settled: Option<Instant>,
    pub outcome: Outcome,
}

impl Op {
    /// The transcript role of what this request said, if it said anything.
    pub fn role(&self) -> Option<&'static str> {
        match self.kind.as_str() {
            "customer_message" => Some("customer"),
            "bot_reply" => Some("bot"),
            "message" => Some("agent"),
            _ => None,
        }
    }
}

/// Requests that only read: they change nothing, so nothing can be lost or duplicated.
const READS: [&str; 3] = ["resume", "ping", "transcript"];

#[derive(Debug, Default)]
pub struct Ledger {
    ops: Mutex<Vec<Op>>,
}

impl Ledger {
    /// Records a request about to be sent; `None` for a read.
    pub fn invoke(&self, frame: &Value) -> Option<usize> {
        let kind = frame["type"].as_str()?;
        if READS.contains(&kind) {
            return None;
        }
        let text = |field: &str| frame.get(field).and_then(Value::as_str).map(str::to_owned);
        let op = Op {
            kind: kind.to_owned(),
            conversation: text("conversation"),
            text: text("text"),
            invoked: Instant::now(),
            settled: None,
            outcome: Outcome::Pending,
        };
        let mut ops = self.lock();
        ops.push(op);
        Some(ops.len() - 1)
    }

    /// Records what request `op` was told.
    pub fn settle(&self, op: usize, outcome: Outcome) {
        if let Some(op) = self.lock().get_mut(op) {
            op.settled = Some(Instant::now());
            op.outcome = outcome;
        }
    }

    /// Everything so far.
    pub fn ops(&self) -> Vec<Op> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Op>> {
        self.ops.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_ledger_keeps_writes_and_skips_reads() {
        let ledger = Ledger::default();
        let said = json!({"type": "customer_message", "conversation": "c1", "text": "hi"});
        let op = ledger.invoke(&said).expect("a write");
        assert_eq!(ledger.invoke(&json!({"type": "resume", "conversations": ["c1"]})), None);
        ledger.settle(op, Outcome::Unknown("disconnected".into()));
        let ops = ledger.ops();
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].conversation.as_deref(), Some("c1"));
        assert_eq!(ops[0].text.as_deref(), Some("hi"));
        assert_eq!(ops[0].role(), Some("customer"));
        assert_eq!(ops[0].outcome, Outcome::Unknown("disconnected".into()));
        assert!(ops[0].settled.is_some());
    }
}
