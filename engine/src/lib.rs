//! Baton decides, per chat turn, whether a conversation must go to a human, and routes it.
//!
//! Modules in the order a message travels: [`ingest`] (the synchronous decision path)
//! calls [`sentiment`] and [`detect`], updates the conversation's lock-free signals on the
//! [`board`], and asks [`escalation`] to decide under the compiled [`policy`] (from
//! [`config`]). [`replay`] runs recorded transcripts through the same path; [`cli`] is the `baton`
//! command.

pub mod board;
pub mod cli;
pub mod config;
pub mod context;
pub mod detect;
pub mod engine;
pub mod escalation;
pub mod ingest;
pub mod policy;
pub mod replay;
pub mod routing;
pub mod sentiment;
pub mod serve;
pub mod server;
pub mod telemetry;
pub mod wait;
