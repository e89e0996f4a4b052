//! `baton-loadgen`: drives Baton with open-loop peak scenarios and judges SLOs. The library
//! is what the binary runs; the test crate drives it too.

pub mod clock;
pub mod driver;
pub mod faults;
pub mod ledger;
pub mod net;
pub mod oracle;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod scrape;
pub mod script;
pub mod search;
pub mod stats;

pub use faults::{FaultOptions, Signal};
pub use report::Report;
pub use run::{Mode, Options, Target, run};
pub use scenario::Scenario;
pub use search::{Search, SearchReport, find_max_rate};
