//! The one rule for ids, applied to every id from the configuration, agent tokens and the
//! API. Two kinds: a *label* becomes a queue, a map key and a metric label (skills, topics,
//! clearances), so it is lowercase snake_case and short; a *name* identifies a conversation,
//! customer or agent and is never a label, so it may be any text a client chose.

/// Longest conversation, customer or agent id accepted, bytes.
pub const MAX_NAME_LEN: usize = 128;

/// Longest skill, topic or clearance id, bytes.
pub const MAX_LABEL_LEN: usize = 64;

/// Which rule an id follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// Skills, topics, clearances: `[a-z0-9_]{1,64}`.
    Label,
    /// Conversations, customers, agents: 1 to 128 bytes of UTF-8 without control characters.
    Name,
}

/// Checks `id` against its kind's rule; the error says what the rule is.
pub fn check(kind: IdKind, id: &str) -> Result<(), String> {
    let ok = match kind {
        IdKind::Label => {
            !id.is_empty()
                && id.len() <= MAX_LABEL_LEN
                && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }
        IdKind::Name => {
            !id.is_empty() && id.len() <= MAX_NAME_LEN && !id.chars().any(char::is_control)
        }
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        IdKind::Label => {
            format!("{id:?} is not a lowercase snake_case id of 1 to {MAX_LABEL_LEN} bytes")
        }
        IdKind::Name => {
            format!("must be 1 to {MAX_NAME_LEN} bytes without control characters")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_snake_case_and_names_are_free_text() {
        for good in ["billing", "account_security", "tier2"] {
            assert!(check(IdKind::Label, good).is_ok(), "{good}");
        }
        for bad in ["", "Billing-EU", "billing eu", "ÄÖ", &"x".repeat(65)] {
            assert!(check(IdKind::Label, bad).is_err(), "{bad}");
        }
        for good in ["c-1001", "Billing-EU", "Zoë 7", &"x".repeat(128)] {
            assert!(check(IdKind::Name, good).is_ok(), "{good}");
        }
        for bad in ["", "a\nb", &"x".repeat(129)] {
            assert!(check(IdKind::Name, bad).is_err(), "{bad}");
        }
    }
}
