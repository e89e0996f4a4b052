//! Where accepted callback tickets are kept until an agent takes them or the customer cancels:
//! a trait, so a durable store can replace the in-memory default without touching the engine.
//! With a data directory, tickets and the customer directory are also kept in the journal.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::cell::lock;
use super::events::CallbackTicket;
use crate::context::history::{Contact, CustomerDirectory, Profile};
use crate::journal::{Backend, Durability, Journal, Op, Space, StoreError, decode, encode};

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

/// Callback tickets in the journal, synced before the customer is told (a promise to a
/// person), over an inner store that serves reads.
#[derive(Debug)]
pub(crate) struct JournaledCallbacks {
    pub inner: Arc<dyn CallbackStore>,
    pub journal: Arc<Journal>,
}

impl CallbackStore for JournaledCallbacks {
    fn save(&self, ticket: &CallbackTicket) {
        self.inner.save(ticket);
        let op = Op::put(Space::Callbacks, ticket.id.as_bytes(), encode(ticket));
        self.journal.write(vec![op], Durability::Disk);
    }

    fn remove(&self, id: &str) {
        self.inner.remove(id);
        self.journal.write(vec![Op::delete(Space::Callbacks, id.as_bytes())], Durability::Os);
    }

    fn all(&self) -> Vec<CallbackTicket> {
        self.inner.all()
    }
}

/// A customer as the journal keeps them: the whole record, rewritten on each change.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CustomerRecord {
    pub profile: Profile,
    pub contacts: Vec<Contact>,
}

/// The customer directory in the journal, over an inner directory that serves reads.
pub(crate) struct JournaledDirectory {
    pub inner: Arc<dyn CustomerDirectory>,
    pub journal: Arc<Journal>,
}

impl JournaledDirectory {
    fn write(&self, customer: &str) {
        let record = CustomerRecord {
            profile: self.inner.profile(customer),
            contacts: self.inner.contacts(customer),
        };
        let op = Op::put(Space::Directory, customer.as_bytes(), encode(&record));
        self.journal.write(vec![op], Durability::Os);
    }
}

impl CustomerDirectory for JournaledDirectory {
    fn profile(&self, customer: &str) -> Profile {
        self.inner.profile(customer)
    }

    fn set_attributes(&self, customer: &str, attributes: BTreeMap<String, String>) {
        self.inner.set_attributes(customer, attributes);
        self.write(customer);
    }

    fn contacts(&self, customer: &str) -> Vec<Contact> {
        self.inner.contacts(customer)
    }

    fn record(&self, customer: &str, contact: Contact) {
        self.inner.record(customer, contact);
        self.write(customer);
    }
}

/// Puts the journal's tickets and customers back into the inner stores.
pub(crate) fn restore_stores(
    backend: &dyn Backend,
    callbacks: &dyn CallbackStore,
    directory: &dyn CustomerDirectory,
) -> Result<(usize, usize), StoreError> {
    let tickets = backend.scan(Space::Callbacks, &[])?;
    for (key, value) in &tickets {
        let ticket: CallbackTicket = decode(Space::Callbacks, key, value)?;
        callbacks.save(&ticket);
    }
    let customers = backend.scan(Space::Directory, &[])?;
    for (key, value) in &customers {
        let record: CustomerRecord = decode(Space::Directory, key, value)?;
        let customer = String::from_utf8_lossy(key);
        if !record.profile.attributes.is_empty() {
            directory.set_attributes(&customer, record.profile.attributes);
        }
        for contact in record.contacts {
            directory.record(&customer, contact);
        }
    }
    Ok((tickets.len(), customers.len()))
}
