//! The customer's side: opening, messages and bot replies (decided on the caller's task),
//! "talk to a human", callbacks, closing, and the customer directory.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::broadcast;

use crate::actors::cell::Cell;
use crate::actors::conversation::{self, CallbackChoice, ConvCmd, ConvState};
use crate::actors::shared::Kind;
use crate::context::history::{Contact, History, Profile};
use crate::context::packet::MAX_ATTEMPTS;
use crate::escalation::Decision;
use crate::ids::IdKind;
use crate::journal::Durability;
use crate::sentiment::{BotTurn, Customer};
use crate::telemetry::Sender;

use super::{
    BotReply, CallbackTicket, ConversationEvent, CustomerInfo, Engine, EngineError,
    MAX_BOT_SUMMARY_CHARS, OpenConversation, State, check_id,
};
impl Engine {
    /// Opens a conversation with the bot.
    pub fn open(&self, open: OpenConversation) -> Result<(), EngineError> {
        self.open_inner(open, false).map(drop)
    }

    /// Opens a conversation and subscribes to its events from the start.
    pub fn open_subscribed(
        &self,
        open: OpenConversation,
    ) -> Result<broadcast::Receiver<ConversationEvent>, EngineError> {
        self.open_inner(open, true)?.ok_or(EngineError::Stopped)
    }

    fn open_inner(
        &self,
        open: OpenConversation,
        subscribe: bool,
    ) -> Result<Option<broadcast::Receiver<ConversationEvent>>, EngineError> {
        self.running()?;
        check_id("a conversation id", IdKind::Name, &open.id)?;
        check_id("a customer id", IdKind::Name, &open.customer_id)?;
        let policy = self.shared.decider.policy();
        let topic = match &open.topic {
            None => None,
            Some(t) => Some(
                policy
                    .topic_for_intent(t)
                    .ok_or_else(|| EngineError::InvalidInput(format!("unknown topic {t:?}")))?,
            ),
        };
        if self.shared.conversations.len() >= self.shared.config().engine.max_live_conversations {
            return Err(self.overloaded());
        }
        if self.shared.conversations.contains_key(open.id.as_str())
            || self.shared.finished_state(&open.id).is_some()
        {
            return Err(EngineError::DuplicateConversation(open.id));
        }
        // Repeat contacts: what the integrator says, or what the directory saw, whichever is
        // more.
        let history = self.recent_history(&open.customer_id);
        let prior_contacts =
            open.prior_contacts.max(u32::try_from(history.len()).unwrap_or(u32::MAX));
        let repeat = prior_contacts >= self.shared.config().escalation.repeat_contacts;
        let customer = Customer { tier: open.tier, prior_contacts };
        let now = tokio::time::Instant::now();
        let signals = self
            .shared
            .signals
            .open(&open.id, customer, now)
            .map_err(|_| EngineError::DuplicateConversation(open.id.clone()))?;
        signals.set_topic(topic);
        let id: Arc<str> = Arc::from(open.id.as_str());
        let info = CustomerInfo {
            id: open.customer_id,
            tier: open.tier,
            channel: open.channel,
            prior_contacts,
        };
        let buffer = self.shared.config().engine.event_buffer;
        let durable = (self.shared.journal.is_durable(), self.shared.now_ms());
        let mut state = ConvState::new(Arc::clone(&id), info, signals, buffer, durable);
        // Written before the actor can write anything of it; `Engine::written` waits for it.
        self.shared.journal.write(state.take_writes(true), Durability::Os);
        let events = subscribe.then(|| state.subscribe());
        self.shared.conversations.insert(
            Arc::clone(&id),
            Cell::counting(Arc::clone(&id), state, &self.shared.stats.hibernating),
        );
        self.shared.stats.opened.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.shared.measures.opened(repeat);
        self.shared.request_spawn(Kind::Conversation, id);
        Ok(events)
    }

    /// A customer message: decided now, on this task, without waiting on any actor; the
    /// conversation actor then records it and starts the handoff if the decision escalates.
    pub fn customer_message(&self, id: &str, text: &str) -> Result<Decision, EngineError> {
        self.running()?;
        let signals = self
            .shared
            .signals
            .get(id)
            .ok_or_else(|| self.conversation(id).err().unwrap_or(EngineError::Stopped))?;
        let now = tokio::time::Instant::now();
        let outcome =
            self.shared.decider.customer_message(&signals, text, None, &*self.shared, now);
        let seconds = now.elapsed().as_secs_f64();
        crate::telemetry::record_decision(seconds, Sender::Customer, outcome.decision.escalate);
        let at_ms = self.shared.now_ms();
        self.to_conversation(
            id,
            ConvCmd::Customer { text: text.to_owned(), decision: outcome.decision, at_ms },
        )?;
        Ok(outcome.decision)
    }

    /// A bot reply, decided like a customer message.
    pub fn bot_reply(&self, id: &str, reply: BotReply<'_>) -> Result<Decision, EngineError> {
        self.running()?;
        if !(0.0..=1.0).contains(&reply.confidence) {
            return Err(EngineError::InvalidInput(format!(
                "confidence {} is not in [0, 1]",
                reply.confidence
            )));
        }
        let signals = self
            .shared
            .signals
            .get(id)
            .ok_or_else(|| self.conversation(id).err().unwrap_or(EngineError::Stopped))?;
        let turn =
            BotTurn { text: reply.text, confidence: reply.confidence, resolved: reply.resolved };
        let now = tokio::time::Instant::now();
        let decision =
            self.shared.decider.bot_reply(&signals, &turn, reply.intent, &*self.shared, now);
        let seconds = now.elapsed().as_secs_f64();
        crate::telemetry::record_decision(seconds, Sender::Bot, decision.escalate);
        let at_ms = self.shared.now_ms();
        let record = conversation::BotRecord {
            text: reply.text.to_owned(),
            confidence: reply.confidence,
            considered: reply.considered.iter().take(MAX_ATTEMPTS).cloned().collect(),
            summary: reply.summary.map(|s| s.chars().take(MAX_BOT_SUMMARY_CHARS).collect()),
        };
        let bot = ConvCmd::Bot { reply: Box::new(record), decision, at_ms };
        self.to_conversation(id, bot)?;
        Ok(decision)
    }

    /// The customer pressed "talk to a human": escalates as an explicit request.
    pub async fn ask_for_human(&self, id: &str) -> Result<State, EngineError> {
        self.ask_conversation(id, |reply| ConvCmd::AskForHuman { reply }).await
    }

    /// The customer takes the callback offered (`CallbackOffered` event): the conversation
    /// becomes `callback_scheduled` and keeps its place; returns the ticket kept in the store.
    pub async fn accept_callback(&self, id: &str) -> Result<CallbackTicket, EngineError> {
        self.ask_conversation(id, |reply| ConvCmd::Callback { choice: CallbackChoice::Take(reply) })
            .await
    }

    /// The customer keeps waiting in their place.
    pub async fn decline_callback(&self, id: &str) -> Result<(), EngineError> {
        self.ask_conversation(id, |reply| ConvCmd::Callback {
            choice: CallbackChoice::Decline(reply),
        })
        .await
    }

    /// Callback tickets accepted and not yet taken by an agent.
    pub fn callbacks(&self) -> Vec<CallbackTicket> {
        self.shared.callbacks.all()
    }

    /// Closes a conversation: a waiting customer counts as abandoned, an assigned one frees
    /// its agent. Returns the final state.
    pub async fn close(
        &self,
        id: &str,
        resolution: &str,
        csat: Option<u8>,
    ) -> Result<State, EngineError> {
        self.running()?;
        if csat.is_some_and(|c| !(1..=5).contains(&c)) {
            return Err(EngineError::InvalidInput("csat must be in 1..=5".into()));
        }
        let resolution = resolution.to_owned();
        self.ask_conversation(id, |reply| ConvCmd::Close { resolution, csat, reply: Some(reply) })
            .await
    }

    /// Merges account attributes into a customer's profile (an empty value removes one);
    /// agents see them in the context packet.
    pub fn set_customer_attributes(
        &self,
        customer: &str,
        attributes: BTreeMap<String, String>,
    ) -> Result<(), EngineError> {
        self.running()?;
        check_id("a customer id", IdKind::Name, customer)?;
        if attributes.len() > crate::context::history::MAX_ATTRIBUTES {
            return Err(EngineError::InvalidInput(format!(
                "at most {} attributes",
                crate::context::history::MAX_ATTRIBUTES
            )));
        }
        for (key, value) in &attributes {
            let limit = crate::context::history::MAX_ATTRIBUTE_BYTES;
            if key.is_empty() || key.len() > limit || value.len() > limit {
                return Err(EngineError::InvalidInput(format!(
                    "attribute names must be 1..={limit} bytes and values at most {limit}"
                )));
            }
        }
        self.shared.directory.set_attributes(customer, attributes);
        Ok(())
    }

    /// What the directory knows of a customer.
    pub fn customer_profile(&self, customer: &str) -> Profile {
        self.shared.directory.profile(customer)
    }

    /// The customer's contacts that ended within `escalation.repeat_window_s`, oldest first.
    pub fn recent_history(&self, customer: &str) -> History {
        self.shared.recent_history(customer)
    }

    /// Every contact the directory keeps for a customer, oldest first.
    pub fn customer_contacts(&self, customer: &str) -> Vec<Contact> {
        self.shared.directory.contacts(customer)
    }
}
