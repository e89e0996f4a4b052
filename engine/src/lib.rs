//! Baton decides, per chat turn, whether a conversation must go to a human, and routes it.
//!
//! Modules in the order a message travels, each layer importing only from the layers above
//! it in this list (the `layers` integration test holds the code to it):
//!
//! 1. **The decision core.** [`ingest`] is the synchronous decision path: it scores the text
//!    with [`sentiment`], finds requests for a human and topics with [`detect`] and the
//!    learned [`model`] beside it, scores the customer's [`frustration`], updates the
//!    conversation's lock-free signals on the [`signals`] board, and asks [`escalation`] to
//!    decide under the compiled policy. [`ids`] is the one rule for ids.
//! 2. **Pure context, routing and waits.** [`context`] builds what the agent receives (the
//!    packet, summary, redaction, the customer directory); [`routing`] ranks agents and claims
//!    slots on the lock-free agent board; [`wait`] estimates waits and words them;
//!    [`telemetry`] is the metric inventory and the only place metrics are recorded;
//!    [`journal`] is the durable store's seam and its one writer.
//! 3. [`config`]: the one TOML schema over every section, and its one validation pass.
//! 4. [`actors`]: one supervised actor per conversation, agent and skill queue.
//! 5. [`engine`]: the [`Engine`] handle, the API everything above calls.
//! 6. [`server`]: `baton serve`'s WebSocket endpoints, authentication and exporter.
//! 7. The command line: [`cli`] (the `baton` command), [`serve`] (running the server),
//!    [`replay`] (recorded transcripts through the decision path).

pub mod detect;
pub mod escalation;
pub mod frustration;
pub mod ids;
pub mod ingest;
pub mod model;
pub mod sentiment;
pub mod signals;

pub mod context;
pub mod journal;
pub mod routing;
pub mod telemetry;
pub mod wait;

pub mod config;

pub mod actors;

pub mod engine;

pub mod server;

pub mod cli;
pub mod replay;
pub mod serve;

pub use engine::Engine;
