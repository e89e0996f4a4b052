//! The signal board: every open conversation's [`ConversationSignals`], keyed by
//! conversation id, shared by the ingress tasks (DashMap shards; the signals themselves are
//! atomics, so a lookup hands out an `Arc` and no lock is held while deciding).

use std::sync::Arc;

use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use tokio::time::Instant;

use crate::sentiment::{ConversationSignals, Customer};

/// The conversation id is already on the board.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("conversation {0:?} is already open")]
pub struct AlreadyOpen(pub String);

/// Open conversations' signals.
#[derive(Debug, Default)]
pub struct SignalBoard {
    conversations: DashMap<Arc<str>, Arc<ConversationSignals>>,
}

impl SignalBoard {
    pub fn new() -> Self {
        SignalBoard::default()
    }

    /// Adds a conversation; an id already open is an error (ids are never silently reused).
    pub fn open(
        &self,
        id: &str,
        customer: Customer,
        now: Instant,
    ) -> Result<Arc<ConversationSignals>, AlreadyOpen> {
        match self.conversations.entry(Arc::from(id)) {
            Entry::Occupied(_) => Err(AlreadyOpen(id.to_owned())),
            Entry::Vacant(slot) => {
                let signals = Arc::new(ConversationSignals::new(customer, now));
                slot.insert(Arc::clone(&signals));
                Ok(signals)
            }
        }
    }

    /// Puts back a recovered conversation's signals.
    pub fn restore(&self, id: Arc<str>, signals: Arc<ConversationSignals>) {
        self.conversations.insert(id, signals);
    }

    /// The signals of an open conversation.
    pub fn get(&self, id: &str) -> Option<Arc<ConversationSignals>> {
        self.conversations.get(id).map(|entry| Arc::clone(entry.value()))
    }

    /// Removes a closed conversation; its signals live on while someone holds the `Arc`.
    pub fn close(&self, id: &str) -> Option<Arc<ConversationSignals>> {
        self.conversations.remove(id).map(|(_, signals)| signals)
    }

    pub fn len(&self) -> usize {
        self.conversations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.conversations.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_get_close() {
        let board = SignalBoard::new();
        let now = Instant::now();
        let signals = board.open("c1", Customer::default(), now).expect("first open");
        assert!(board.open("c1", Customer::default(), now).is_err());
        signals.record_customer(-0.5, 0.5);
        let again = board.get("c1").expect("open conversation");
        assert_eq!(again.sentiment(4).last, -0.5);
        assert!(board.close("c1").is_some());
        assert!(board.get("c1").is_none() && board.is_empty());
    }
}
