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
    /// The change could not be written to the store (a full disk, an I/O error): it is not
    /// acknowledged, and what was acknowledged before stays.
    #[error("{0}")]
    StorageUnavailable(String),
}

impl From<crate::journal::StoreError> for EngineError {
    fn from(error: crate::journal::StoreError) -> Self {
        EngineError::StorageUnavailable(error.to_string())
    }
}

impl EngineError {
    /// The stable, machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            EngineError::UnknownConversation(_) => ErrorCode::UnknownConversation,
            EngineError::DuplicateConversation(_) => ErrorCode::DuplicateConversation,
            EngineError::ConversationFinished { .. } => ErrorCode::ConversationFinished,
            EngineError::UnknownAgent(_) => ErrorCode::UnknownAgent,
            EngineError::DuplicateAgent(_) => ErrorCode::DuplicateAgent,
            EngineError::IllegalTransition { .. } => ErrorCode::IllegalTransition,
            EngineError::NoSuchOffer { .. } => ErrorCode::NoSuchOffer,
            EngineError::NotAssigned { .. } => ErrorCode::NotAssigned,
            EngineError::InvalidInput(_) => ErrorCode::InvalidInput,
            EngineError::Overloaded { .. } => ErrorCode::Overloaded,
            EngineError::Timeout => ErrorCode::Timeout,
            EngineError::Interrupted => ErrorCode::Interrupted,
            EngineError::Stopped => ErrorCode::EngineStopped,
            EngineError::StorageUnavailable(_) => ErrorCode::StorageUnavailable,
        }
    }

    /// With `overloaded`: when to try again.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            EngineError::Overloaded { retry_after_ms } => Some(*retry_after_ms),
            _ => None,
        }
    }
}

/// Every error code Baton gives (PROTOCOL.md §10 lists the same set; a test holds them
/// together): the engine's refusals, the decoder's and the connection's. Also the label of
/// `baton_errors_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Malformed,
    UnknownType,
    InvalidUtf8,
    FrameTooLarge,
    TextTooLong,
    InvalidInput,
    UnknownConversation,
    DuplicateConversation,
    ConversationFinished,
    IllegalTransition,
    NotAssigned,
    NoSuchOffer,
    UnknownAgent,
    DuplicateAgent,
    Overloaded,
    EventsLost,
    Timeout,
    Interrupted,
    EngineStopped,
    StorageUnavailable,
    /// An upgrade refused for bad credentials (HTTP 401; never an error frame).
    Unauthorized,
    /// A client cut off for not reading (no frame: it would not read one).
    SlowConsumer,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 22] = [
        ErrorCode::Malformed,
        ErrorCode::UnknownType,
        ErrorCode::InvalidUtf8,
        ErrorCode::FrameTooLarge,
        ErrorCode::TextTooLong,
        ErrorCode::InvalidInput,
        ErrorCode::UnknownConversation,
        ErrorCode::DuplicateConversation,
        ErrorCode::ConversationFinished,
        ErrorCode::IllegalTransition,
        ErrorCode::NotAssigned,
        ErrorCode::NoSuchOffer,
        ErrorCode::UnknownAgent,
        ErrorCode::DuplicateAgent,
        ErrorCode::Overloaded,
        ErrorCode::EventsLost,
        ErrorCode::Timeout,
        ErrorCode::Interrupted,
        ErrorCode::EngineStopped,
        ErrorCode::StorageUnavailable,
        ErrorCode::Unauthorized,
        ErrorCode::SlowConsumer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Malformed => "malformed",
            ErrorCode::UnknownType => "unknown_type",
            ErrorCode::InvalidUtf8 => "invalid_utf8",
            ErrorCode::FrameTooLarge => "frame_too_large",
            ErrorCode::TextTooLong => "text_too_long",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::UnknownConversation => "unknown_conversation",
            ErrorCode::DuplicateConversation => "duplicate_conversation",
            ErrorCode::ConversationFinished => "conversation_finished",
            ErrorCode::IllegalTransition => "illegal_transition",
            ErrorCode::NotAssigned => "not_assigned",
            ErrorCode::NoSuchOffer => "no_such_offer",
            ErrorCode::UnknownAgent => "unknown_agent",
            ErrorCode::DuplicateAgent => "duplicate_agent",
            ErrorCode::Overloaded => "overloaded",
            ErrorCode::EventsLost => "events_lost",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Interrupted => "interrupted",
            ErrorCode::EngineStopped => "engine_stopped",
            ErrorCode::StorageUnavailable => "storage_unavailable",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::SlowConsumer => "slow_consumer",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_serialize_as_their_names() {
        let names: std::collections::BTreeSet<&str> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).expect("serializes");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
