//! The one integration-test binary (one link instead of one per file).

mod alloc;
mod callbacks;
mod chaos;
mod cli;
mod context;
mod data;
mod dashboards;
mod engine;
mod erlang;
mod ewt;
mod history;
mod interop;
mod load;
mod loadgen;
mod rings;
mod robust;
mod routing_props;
mod server;
mod sim;
mod spike;
mod supervision;
mod vader_golden;
