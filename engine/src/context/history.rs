//! The customer directory: profile attributes the integrator pushes and the contacts the
//! engine has seen, behind a trait so an integrator can put its CRM behind it. The embedded
//! default (`MemoryDirectory`) is maintained by the engine itself from the conversations it
//! closes, so repeat-contact detection works with no integration at all.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use dashmap::DashMap;
use serde::Serialize;

/// How a past contact ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
}

/// The embedded directory, in memory: the last [`MAX_CONTACTS_PER_CUSTOMER`] contacts of
/// every customer seen since the engine started.
#[derive(Debug, Default)]
pub struct MemoryDirectory {
    customers: DashMap<String, Mutex<Record>>,
}

impl MemoryDirectory {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn customers(&self) -> usize {
        self.customers.len()
    }

    fn with<T>(&self, customer: &str, f: impl FnOnce(&mut Record) -> T) -> T {
        let entry = self.customers.entry(customer.to_owned()).or_default();
        let mut record = entry.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut record)
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
        self.with(customer, |r| {
            if r.contacts.len() == MAX_CONTACTS_PER_CUSTOMER {
                r.contacts.pop_front();
            }
            r.contacts.push_back(contact);
        });
    }
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
