//! Engine errors, each with a stable code (the protocol's error codes are these).

use super::lifecycle::{IllegalTransition, State};

/// Why an engine call was refused. The engine keeps serving everyone else.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error("unknown conversation {0:?}")]
    UnknownConversation(String),
    #[error("conversation {0:?} is already open")]
    DuplicateConversation(String),
    #[error("unknown agent {0:?}")]
    UnknownAgent(String),
    #[error("agent {0:?} is already logged in")]
    DuplicateAgent(String),
    #[error("conversation {conversation:?} is {}", .state.as_str())]
    ConversationFinished { conversation: String, state: State },
    #[error("conversation {conversation:?}: {source}")]
    IllegalTransition { conversation: String, source: IllegalTransition },
    #[error("agent {agent:?} has no offer for conversation {conversation:?}")]
    NoSuchOffer { agent: String, conversation: String },
    #[error("conversation {conversation:?} is not assigned to agent {agent:?}")]
    NotAssigned { agent: String, conversation: String },
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("the engine is overloaded; retry after {retry_after_ms} ms")]
    Overloaded { retry_after_ms: u64 },
    #[error("the engine is not answering (timed out)")]
    Timeout,
    #[error("the actor handling this call failed before answering; it has been restarted, retry")]
    Interrupted,
    #[error("the engine has stopped")]
    Stopped,
}

impl EngineError {
    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::UnknownConversation(_) => "unknown_conversation",
            EngineError::DuplicateConversation(_) => "duplicate_conversation",
            EngineError::ConversationFinished { .. } => "conversation_finished",
            EngineError::UnknownAgent(_) => "unknown_agent",
            EngineError::DuplicateAgent(_) => "duplicate_agent",
            EngineError::IllegalTransition { .. } => "illegal_transition",
            EngineError::NoSuchOffer { .. } => "no_such_offer",
            EngineError::NotAssigned { .. } => "not_assigned",
            EngineError::InvalidInput(_) => "invalid_input",
            EngineError::Overloaded { .. } => "overloaded",
            EngineError::Timeout => "timeout",
            EngineError::Interrupted => "interrupted",
            EngineError::Stopped => "engine_stopped",
        }
    }
}
