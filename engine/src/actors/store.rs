//! Where accepted callback tickets are kept until an agent takes them or the customer cancels:
//! a trait, so a durable store can replace the in-memory default without touching the engine.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::cell::lock;
use super::events::CallbackTicket;

/// Keeps callback tickets. Implementations must not lose a saved ticket before `remove`.
pub trait CallbackStore: Send + Sync + std::fmt::Debug {
    /// Saves (or replaces) a ticket.
    fn save(&self, ticket: &CallbackTicket);
    /// The ticket was fulfilled or cancelled.
    fn remove(&self, id: &str);
    /// Every ticket kept, by id.
    fn all(&self) -> Vec<CallbackTicket>;
}

/// The default: tickets in memory (lost with the process; a durable store is later work).
#[derive(Debug, Default)]
pub struct MemoryCallbackStore {
    tickets: Mutex<BTreeMap<String, CallbackTicket>>,
}

impl CallbackStore for MemoryCallbackStore {
    fn save(&self, ticket: &CallbackTicket) {
        lock(&self.tickets).insert(ticket.id.clone(), ticket.clone());
    }

    fn remove(&self, id: &str) {
        lock(&self.tickets).remove(id);
    }

    fn all(&self) -> Vec<CallbackTicket> {
        lock(&self.tickets).values().cloned().collect()
    }
}
