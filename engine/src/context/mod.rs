//! What travels with a conversation to an agent: the context packet (`packet`), the
//! warm-handoff summary (`summary`), the customer's mood (`mood`), PII redaction (`redact`)
//! the customer directory with contact history (`history`), and the continuous-improvement
//! measures (`measures`).

pub mod history;
pub mod measures;
pub mod mood;
pub mod packet;
pub mod redact;
pub mod summary;
