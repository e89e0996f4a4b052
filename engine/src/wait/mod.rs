//! Expected wait time: one trait, three estimators, and the accuracy bookkeeping that
//! compares each estimate given at enqueue time with the wait the customer then had.
//!
//! - [`ModelEstimator`] (`model`, the one the engine uses): queueing arithmetic from what the
//!   engine knows now — the agents staffed and free for the skill, the handle-time EWMA and
//!   the customer's position. It reacts at once when staffing changes.
//! - [`SalesforceWeighted`] (`salesforce_weighted`): weighted average of the waits of up to
//!   the last 10 customers served in the last 10 minutes, weights 10 (newest) to 1.
//! - [`AsteriskEwma`] (`asterisk_ewma`): running average `(3·old + new) / 4` of the waits.
//!
//! The two anchors learn only from customers already served, so they lag a spike or an
//! outage; they are here to be measured against the model. Time is always an argument.
//!
//! [`next_level`] turns a queue's expected wait and occupancy into its load level.

mod accuracy;
mod config;
mod estimators;
mod load;
pub mod messages;
mod residual;
mod sharing;

pub use accuracy::{Accuracy, AccuracySummary};
pub use config::{CallbackConfig, MessagesConfig, WaitBand};
pub use estimators::{AsteriskEwma, ModelEstimator, SalesforceWeighted};
pub use load::next_level;
pub use residual::{AGES, BusySlots, FreeCurve, Times, Weibull};
pub use sharing::competing;

/// What the queue knows when it estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueNow {
    /// The customer's place in line: 0 = next to be served.
    pub position: usize,
    /// Agent slots for the skill among agents who are logged in and not away.
    pub staffed_slots: u32,
    /// Of those, slots an offer could claim now.
    pub free_slots: u32,
    /// Moving average of handle times, milliseconds.
    pub handle_ms: f64,
    /// Moving average of the time agents take to accept an offer, milliseconds.
    pub answer_ms: f64,
    /// Moving average of arrivals per second into this queue.
    pub arrivals_per_s: f64,
    /// Customers of other queues the same agents will serve first (their keys are older),
    /// as the count that, added to those ahead, gives the wait ([`competing`]). Agents with
    /// several skills take the oldest head across them, so a billing customer waits for the
    /// general customers ahead of them too.
    pub competing: f64,
    /// Milliseconds until the slots this customer needs (those ahead and `competing`, less
    /// the free ones) are expected to have freed, from the busy slots' ages and the shape of
    /// handle times ([`FreeCurve`]); `None` when the queue has no ages to go on, and the
    /// model then counts `AHT / c` per slot.
    pub until_freed_ms: Option<f64>,
}

/// One way of predicting a customer's wait.
pub trait WaitEstimator: Send + Sync {
    /// The stable name used in reports: `model`, `salesforce_weighted`, `asterisk_ewma`.
    fn name(&self) -> &'static str;

    /// A customer of this queue was served after waiting `wait_ms`.
    fn observe_wait(&mut self, wait_ms: u64, now_ms: u64);

    /// The expected wait in milliseconds of a customer in the situation `queue`; `None` when
    /// the estimator has nothing to go on (no history, or no agent staffed at all).
    fn estimate(&self, queue: &QueueNow, now_ms: u64) -> Option<u64>;
}

/// The three estimators, the model first.
pub fn all() -> Vec<Box<dyn WaitEstimator>> {
    vec![
        Box::new(ModelEstimator),
        Box::new(SalesforceWeighted::default()),
        Box::new(AsteriskEwma::default()),
    ]
}

/// Names of [`all`], in order.
pub const NAMES: [&str; 3] = ["model", "salesforce_weighted", "asterisk_ewma"];
