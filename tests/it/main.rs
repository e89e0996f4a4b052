//! The one integration-test binary (one link instead of one per file).

mod alloc;
mod audit;
mod bounded;
mod callbacks;
mod capacity;
mod chaos;
mod cli;
mod context;
mod crash;
mod dashboards;
mod data;
mod durable;
mod engine;
mod erlang;
mod errors;

mod ewt;
mod faults;
mod fulldisk;
mod history;
mod interop;
mod layers;
mod load;
mod loadgen;
mod rings;
mod robust;
mod routing_props;
mod server;
mod server_abuse;
mod sim;
mod spike;
mod supervision;
mod torn;
mod vader_golden;
mod ws;
