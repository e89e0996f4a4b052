//! The one integration-test binary (one link instead of one per file).

mod alloc;
mod cli;
mod engine;
mod robust;
mod routing_props;
mod shared;
mod supervision;
mod vader_golden;
