//! The customer directory: profile attributes the integrator pushes and the contacts the
//! engine has seen, behind a trait so an integrator can put its CRM behind it. The embedded
//! default (`MemoryDirectory`) is maintained by the engine itself from the conversations it
//! closes, so repeat-contact detection works with no integration at all.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use dashmap::DashMap;
use serde::Serialize;

/// How a past contact ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactOutcome {
    /// Closed while the bot was answering (including after a hand-back).
    ResolvedByBot,
    /// Closed after an agent had it.
    ResolvedByAgent,
    /// The customer left while waiting.
    Abandoned,
}

/// One past contact of a customer.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Contact {
    pub conversation: String,
    /// When it ended, engine clock milliseconds.
    pub ended_ms: u64,
    /// The topic it was about, if one was detected or given.
    pub topic: Option<String>,
    pub escalated: bool,
    pub outcome: ContactOutcome,
}

/// What the directory knows of a customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Profile {
    /// Account attributes from the integrator ("plan", "customer_since", …), shown to agents.
    pub attributes: BTreeMap<String, String>,
}

/// Where profiles and contact histories live. Calls are synchronous and must be quick: the
/// engine calls `contacts` when a conversation opens and `record` when one ends (never on
/// the decision path).
pub trait CustomerDirectory: Send + Sync + 'static {
    fn profile(&self, customer: &str) -> Profile;
    /// Merges attributes into the profile (an empty value removes the attribute).
    fn set_attributes(&self, customer: &str, attributes: BTreeMap<String, String>);
    /// The customer's contacts, oldest first.
    fn contacts(&self, customer: &str) -> Vec<Contact>;
    fn record(&self, customer: &str, contact: Contact);
}

/// Limits of the embedded directory.
pub const MAX_CONTACTS_PER_CUSTOMER: usize = 32;
pub const MAX_ATTRIBUTES: usize = 32;
pub const MAX_ATTRIBUTE_BYTES: usize = 256;

#[derive(Debug, Default)]
struct Record {
    profile: Profile,
    contacts: VecDeque<Contact>,
    /// When it was last written, in the directory's write order (unique: no ties to break).
    touched: u64,
}

/// The embedded directory, in memory and bounded: the last [`MAX_CONTACTS_PER_CUSTOMER`]
/// contacts of at most `max_customers` customers. Past the limit it first forgets customers
/// with nothing left to say (no contact within the window, no attributes), then the least
/// recently written, a tenth of the limit at a time, so the sweep's cost is spread over many
/// inserts. The sweep (about 40 ms at 200,000 customers) runs on tokio's blocking pool when
/// there is a runtime, so the actor that recorded the contact does not hold a worker.
#[derive(Debug)]
pub struct MemoryDirectory {
    customers: Arc<Customers>,
    max_customers: usize,
    /// Contacts older than this are of no use (`escalation.repeat_window_s`).
    window_ms: u64,
    /// The engine clock as the directory last heard it (from the contacts it records).
    clock_ms: AtomicU64,
    writes: AtomicU64,
    forgotten: Arc<AtomicU64>,
    sweeping: Arc<AtomicBool>,
}

type Customers = DashMap<String, Mutex<Record>>;

/// Clears the sweeping flag when the sweep ends, panics, or never runs (its job dropped by a
/// runtime shutting down), so sweeps cannot stop for good.
struct Sweeping(Arc<AtomicBool>);

impl Drop for Sweeping {
    fn drop(&mut self) {
        self.0.store(false, Relaxed);
    }
}

impl Default for MemoryDirectory {
    fn default() -> Self {
        MemoryDirectory::bounded(DEFAULT_MAX_CUSTOMERS, u64::MAX)
    }
}

/// Customers the embedded directory keeps by default (`context.directory_max_customers`).
pub const DEFAULT_MAX_CUSTOMERS: usize = 200_000;

impl MemoryDirectory {
    /// The default limit and no window: contacts are only forgotten by count.
    pub fn new() -> Self {
        Self::default()
    }

    /// At most `max_customers` customers (at least 1); contacts older than `window_ms` are
    /// dropped.
    pub fn bounded(max_customers: usize, window_ms: u64) -> Self {
        MemoryDirectory {
            // Many small shards: a sweep holds one at a time, so a write waits at most on one.
            customers: Arc::new(DashMap::with_shard_amount(128)),
            max_customers: max_customers.max(1),
            window_ms,
            clock_ms: AtomicU64::new(0),
            writes: AtomicU64::new(0),
            forgotten: Arc::new(AtomicU64::new(0)),
            sweeping: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn customers(&self) -> usize {
        self.customers.len()
    }

    /// Customers forgotten to keep within the limit, since the start.
    pub fn forgotten(&self) -> u64 {
        self.forgotten.load(Relaxed)
    }

    fn with<T>(&self, customer: &str, f: impl FnOnce(&mut Record) -> T) -> T {
        let touched = self.writes.fetch_add(1, Relaxed);
        let (out, new) = {
            let mut new = false;
            let entry = self.customers.entry(customer.to_owned()).or_insert_with(|| {
                new = true;
                Mutex::default()
            });
            let mut record = entry.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            record.touched = record.touched.max(touched);
            (f(&mut record), new)
        };
        // The entry's shard lock is released: sweeping takes the others.
        if new && self.customers.len() > self.max_customers && !self.sweeping.swap(true, Relaxed) {
            let since = self.clock_ms.load(Relaxed).saturating_sub(self.window_ms);
            let (customers, forgotten, sweeping) = (
                Arc::clone(&self.customers),
                Arc::clone(&self.forgotten),
                Arc::clone(&self.sweeping),
            );
            let max = self.max_customers;
            let done = Sweeping(sweeping);
            let job = move || {
                let gone = sweep(&customers, max, since);
                forgotten.fetch_add(gone as u64, Relaxed);
                drop(done);
            };
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => drop(runtime.spawn_blocking(job)),
                Err(_) => job(),
            }
        }
        out
    }

    fn read<T>(&self, customer: &str, f: impl FnOnce(&Record) -> T) -> Option<T> {
        let entry = self.customers.get(customer)?;
        let record = entry.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Some(f(&record))
    }
}

impl CustomerDirectory for MemoryDirectory {
    fn profile(&self, customer: &str) -> Profile {
        self.read(customer, |r| r.profile.clone()).unwrap_or_default()
    }

    fn set_attributes(&self, customer: &str, attributes: BTreeMap<String, String>) {
        self.with(customer, |r| {
            for (key, value) in attributes {
                if value.is_empty() {
                    r.profile.attributes.remove(&key);
                } else if r.profile.attributes.len() < MAX_ATTRIBUTES
                    || r.profile.attributes.contains_key(&key)
                {
                    r.profile.attributes.insert(key, value);
                }
            }
        });
    }

    fn contacts(&self, customer: &str) -> Vec<Contact> {
        self.read(customer, |r| r.contacts.iter().cloned().collect()).unwrap_or_default()
    }

    fn record(&self, customer: &str, contact: Contact) {
        self.clock_ms.fetch_max(contact.ended_ms, Relaxed);
        self.with(customer, |r| {
            if r.contacts.len() == MAX_CONTACTS_PER_CUSTOMER {
                r.contacts.pop_front();
            }
            r.contacts.push_back(contact);
        });
    }
}

/// Forgets customers until a tenth of the limit is free: first the ones with no contact since
/// `since_ms` and no attributes, then the least recently written. Returns how many went.
fn sweep(customers: &Customers, max_customers: usize, since_ms: u64) -> usize {
    let before = customers.len();
    customers.retain(|_, record| {
        let r = record.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        while r.contacts.front().is_some_and(|c| c.ended_ms < since_ms) {
            r.contacts.pop_front();
        }
        !(r.contacts.is_empty() && r.profile.attributes.is_empty())
    });
    let target = max_customers - max_customers / 10;
    if customers.len() > target {
        let touched = |record: &Mutex<Record>| {
            record.lock().unwrap_or_else(std::sync::PoisonError::into_inner).touched
        };
        let mut ages: Vec<u64> = customers.iter().map(|e| touched(e.value())).collect();
        let excess = ages.len().saturating_sub(target);
        if excess > 0 {
            let (_, cutoff, _) = ages.select_nth_unstable(excess - 1);
            let cutoff = *cutoff;
            customers.retain(|_, record| touched(record) > cutoff);
        }
    }
    before.saturating_sub(customers.len())
}

/// A customer's recent history as the engine uses it: contacts that ended within the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct History {
    pub contacts: Vec<Contact>,
}

impl History {
    /// The contacts that ended at or after `since_ms`.
    pub fn recent(all: Vec<Contact>, since_ms: u64) -> History {
        History { contacts: all.into_iter().filter(|c| c.ended_ms >= since_ms).collect() }
    }

    pub fn len(&self) -> usize {
        self.contacts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    /// How many were about `topic`.
    pub fn about(&self, topic: &str) -> usize {
        self.contacts.iter().filter(|c| c.topic.as_deref() == Some(topic)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(n: u64, topic: Option<&str>) -> Contact {
        Contact {
            conversation: format!("c{n}"),
            ended_ms: n * 1000,
            topic: topic.map(str::to_owned),
            escalated: false,
            outcome: ContactOutcome::ResolvedByBot,
        }
    }

    #[test]
    fn keeps_the_latest_contacts_and_merges_attributes() {
        let d = MemoryDirectory::new();
        assert!(d.contacts("x").is_empty());
        assert_eq!(d.customers(), 0, "reading does not create a customer");
        for n in 0..40 {
            d.record("x", contact(n, None));
        }
        let all = d.contacts("x");
        assert_eq!(all.len(), MAX_CONTACTS_PER_CUSTOMER);
        assert_eq!(all[0].conversation, "c8");
        let history = History::recent(all, 30_000);
        assert_eq!(history.len(), 10);

        d.set_attributes("x", BTreeMap::from([("plan".into(), "gold".into())]));
        d.set_attributes("x", BTreeMap::from([("since".into(), "2019".into())]));
        assert_eq!(d.profile("x").attributes.len(), 2);
        d.set_attributes("x", BTreeMap::from([("plan".into(), String::new())]));
        assert_eq!(d.profile("x").attributes.keys().collect::<Vec<_>>(), ["since"]);
    }

    fn at(customer: &str, ended_ms: u64) -> Contact {
        Contact { conversation: format!("{customer}@{ended_ms}"), ended_ms, ..contact(0, None) }
    }

    #[test]
    fn forgets_customers_with_nothing_in_the_window_first() {
        let d = MemoryDirectory::bounded(10, 60_000);
        for n in 0..5 {
            d.record(&format!("old{n}"), at("old", n));
        }
        d.set_attributes("old0", BTreeMap::from([("plan".into(), "gold".into())]));
        for n in 0..5 {
            d.record(&format!("new{n}"), at("new", 100_000 + n));
        }
        assert_eq!((d.customers(), d.forgotten()), (10, 0));
        d.record("eleventh", at("eleventh", 100_010));
        // Four old customers had nothing left; old0 keeps its attributes (its contact goes).
        assert_eq!((d.customers(), d.forgotten()), (7, 4));
        assert!(d.contacts("old0").is_empty());
        assert_eq!(d.profile("old0").attributes.len(), 1);
        assert_eq!(d.contacts("new4").len(), 1);
        assert!(d.contacts("old3").is_empty());
    }

    #[test]
    fn past_the_limit_the_least_recently_written_go() {
        let d = MemoryDirectory::bounded(10, u64::MAX);
        for n in 0..10 {
            d.record(&format!("c{n}"), at("c", 1_000));
        }
        // c0 is written again: now c1 and c2 are the least recently written.
        d.record("c0", at("c0", 2_000));
        d.record("c10", at("c10", 2_000));
        assert_eq!((d.customers(), d.forgotten()), (9, 2));
        assert_eq!(d.contacts("c0").len(), 2);
        assert!(d.contacts("c1").is_empty() && d.contacts("c2").is_empty());
        assert_eq!(d.contacts("c3").len(), 1);
        assert_eq!(d.contacts("c10").len(), 1);
        for n in 11..1_000 {
            d.record(&format!("c{n}"), at("c", 3_000));
        }
        assert!(d.customers() <= 10, "{}", d.customers());
    }

    #[test]
    fn counts_contacts_about_a_topic() {
        let history = History {
            contacts: vec![
                contact(1, Some("billing_dispute")),
                contact(2, None),
                contact(3, Some("billing_dispute")),
            ],
        };
        assert_eq!(history.about("billing_dispute"), 2);
        assert_eq!(history.about("legal"), 0);
    }
}
