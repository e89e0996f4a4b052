//! What callers hand the engine: a conversation to open, a bot reply, an agent logging in,
//! and why the engine did not start.

use crate::config::ConfigError;
use crate::context::Attempt;
use crate::escalation::Tier;

/// Longest bot summary kept, in characters.
pub const MAX_BOT_SUMMARY_CHARS: usize = 1000;

/// Why the engine did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot start the actor system: {0}")]
    Spawn(String),
    /// The data directory cannot be opened or read back (in use, unreadable, corrupt).
    #[error(transparent)]
    Store(#[from] crate::journal::StoreError),
}

/// A new conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenConversation {
    pub id: String,
    pub customer_id: String,
    pub tier: Tier,
    /// Where the customer writes from ("web", "app", "whatsapp", …).
    pub channel: String,
    /// Contacts by this customer in the recent window, this one excluded.
    pub prior_contacts: u32,
    /// A topic the integrator already knows (a topic id or a bot intent naming one).
    pub topic: Option<String>,
}

impl OpenConversation {
    /// A standard-tier conversation on the `chat` channel, no prior contacts, no topic.
    pub fn new(id: impl Into<String>, customer_id: impl Into<String>) -> Self {
        OpenConversation {
            id: id.into(),
            customer_id: customer_id.into(),
            tier: Tier::Standard,
            channel: "chat".into(),
            prior_contacts: 0,
            topic: None,
        }
    }
}

/// A bot reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BotReply<'a> {
    pub text: &'a str,
    /// In [0, 1].
    pub confidence: f64,
    pub intent: Option<&'a str>,
    /// The bot resolved the customer's issue.
    pub resolved: bool,
    /// Solutions the bot considered but was not confident enough to offer (text and
    /// confidence), for the agent's context packet.
    pub considered: &'a [Attempt],
    /// The bot's own summary of the conversation so far, for a warm handoff (the latest wins).
    pub summary: Option<&'a str>,
}

impl<'a> BotReply<'a> {
    /// A reply with nothing considered and no summary.
    pub fn new(text: &'a str, confidence: f64) -> Self {
        BotReply { text, confidence, intent: None, resolved: false, considered: &[], summary: None }
    }
}

/// An agent logging in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLogin {
    pub id: String,
    /// How the customer is told who joined ("Sam"); the id when empty.
    pub name: String,
    /// The agent's team, for the customer ("Billing"); the skill when empty.
    pub team: String,
    /// Skills with proficiency 1..=5.
    pub skills: Vec<(String, u8)>,
    /// Conversations at once, 1..=100.
    pub capacity: u32,
    /// Sensitive topics (topic ids) this agent may receive.
    pub clearances: Vec<String>,
}

impl AgentLogin {
    /// An agent named by its id, no team, no clearances.
    pub fn new(id: impl Into<String>, skills: Vec<(String, u8)>, capacity: u32) -> Self {
        AgentLogin {
            id: id.into(),
            name: String::new(),
            team: String::new(),
            skills,
            capacity,
            clearances: Vec::new(),
        }
    }
}
