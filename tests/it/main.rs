//! The one integration-test binary (one link instead of one per file).

mod alloc;
mod callbacks;
mod chaos;
mod cli;
mod context;
mod dashboards;
mod data;
mod engine;
mod erlang;
mod errors;
mod ewt;
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
mod vader_golden;
mod ws;
