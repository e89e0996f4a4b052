//! What travels with a conversation to an agent: the context packet (`packet`), the
//! warm-handoff summary (`summary`), the customer's mood (`mood`), PII redaction (`redact`)
//! the customer directory with contact history (`history`), and the continuous-improvement
//! measures (`measures`).

mod config;
pub mod history;
pub mod measures;
pub mod mood;
pub mod packet;
pub mod redact;
pub mod summary;
mod transcript;

pub use crate::routing::Handoff;
pub use config::ContextConfig;
pub use packet::ContextPacket;
pub use summary::Attempt;
pub use transcript::{CustomerInfo, Role, Turn};
