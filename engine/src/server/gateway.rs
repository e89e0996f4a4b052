//! A gateway connection: the chat front end's backend, multiplexing many conversations. It
//! opens conversations and reports customer messages and bot replies (answered at once with
//! the decision), and follows each conversation's events (handoff messages, position updates,
//! agent joined, agent messages, …). After a reconnect, `resume` follows them again.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::broadcast;
use tokio::task::AbortHandle;

use super::AppState;
use super::conn::{Outbound, Session};
use super::protocol::{
    ConversationError, ConversationStatus, DecisionBody, GatewayRequest, ServerFrame, decode,
};
use crate::engine::{
    BotReply, ConversationEvent, Engine, EngineError, ErrorCode, OpenConversation, State,
};
use crate::escalation::Decision;

/// One gateway connection.
pub(crate) struct GatewaySession {
    state: Arc<AppState>,
    /// Event forwarders of the conversations this connection follows.
    following: HashMap<String, AbortHandle>,
}

impl GatewaySession {
    pub fn new(state: Arc<AppState>) -> Self {
        GatewaySession { state, following: HashMap::new() }
    }

    fn engine(&self) -> &Engine {
        &self.state.engine
    }

    /// Forwards a conversation's events to this connection until it ends.
    fn follow(
        &mut self,
        conversation: &str,
        mut events: broadcast::Receiver<ConversationEvent>,
        out: &Outbound,
    ) {
        let out = out.clone();
        let id = conversation.to_owned();
        let task = tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(event) => out.send(&ServerFrame::Event { conversation: id.clone(), event }),
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        let message = format!(
                            "{missed} events of this conversation were dropped; resume to resync"
                        );
                        out.error(None, ErrorCode::EventsLost, message, Some(id.clone()));
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        if let Some(old) = self.following.insert(conversation.to_owned(), task.abort_handle()) {
            old.abort();
        }
    }

    fn decision_frame(
        &self,
        reference: Option<String>,
        conversation: String,
        d: &Decision,
    ) -> ServerFrame {
        let (topic, skill) = self.engine().decision_names(d);
        ServerFrame::Decision {
            reference,
            conversation,
            decision: DecisionBody {
                escalate: d.escalate,
                reason: d.reason,
                fired: d.fired.iter().collect(),
                topic: topic.map(str::to_owned),
                skill: skill.map(str::to_owned),
                priority: d.priority,
                sentiment: d.sentiment,
                frustration: d.frustration.rounded(),
                model: d.model.as_ref().map(|m| self.engine().model_line(m)),
            },
        }
    }

    /// A customer message or bot reply: refused when too long, else decided by `decide`,
    /// timed and counted, and answered with the decision frame.
    fn decide(
        &self,
        out: &Outbound,
        reference: Option<String>,
        conversation: String,
        _role: &'static str,
        text: &str,
        decide: impl FnOnce(&str) -> Result<Decision, EngineError>,
    ) {
        if let Some(e) = self.too_long(text) {
            return out.error(reference, ErrorCode::TextTooLong, e.to_string(), Some(conversation));
        }
        match decide(&conversation) {
            Ok(d) => out.send(&self.decision_frame(reference, conversation, &d)),
            Err(e) => out.engine_error(reference, &e, Some(&conversation)),
        }
    }

    fn too_long(&self, text: &str) -> Option<EngineError> {
        let max = self.state.settings.max_text_bytes;
        (text.len() > max).then(|| {
            EngineError::InvalidInput(format!("text of {} bytes; at most {max}", text.len()))
        })
    }

    fn status(&self, conversation: &str) -> Option<ConversationStatus> {
        let state = self.engine().conversation_state(conversation)?;
        let waiting =
            (state == State::Queued).then(|| self.engine().waiting(conversation)).flatten();
        Some(ConversationStatus {
            conversation: conversation.to_owned(),
            state,
            position: waiting.as_ref().and_then(|w| w.position),
            estimate_ms: waiting.and_then(|w| w.estimate_now),
            turns: self.engine().transcript(conversation).ok(),
        })
    }
}

impl Session for GatewaySession {
    const ROLE: &'static str = "gateway";

    async fn handle(&mut self, bytes: &[u8], binary: bool, out: &Outbound) {
        let request: GatewayRequest = match decode(bytes, binary) {
            Ok(request) => request,
            Err(bad) => return out.error(bad.reference, bad.code, bad.message, None),
        };
        let engine = self.engine().clone();
        match request {
            GatewayRequest::Open {
                reference,
                conversation,
                customer,
                tier,
                channel,
                prior_contacts,
                topic,
            } => {
                let open = OpenConversation {
                    id: conversation.clone(),
                    customer_id: customer,
                    tier,
                    channel,
                    prior_contacts,
                    topic,
                };
                match engine.open_subscribed(open) {
                    Ok(events) => {
                        self.follow(&conversation, events, out);
                        // `ok` confirms the conversation is in the journal.
                        match engine.written().await {
                            Ok(()) => out.send(&ServerFrame::Ok {
                                reference,
                                conversation: Some(conversation),
                                state: Some(State::Bot),
                            }),
                            Err(e) => out.engine_error(reference, &e, Some(&conversation)),
                        }
                    }
                    Err(e) => out.engine_error(reference, &e, Some(&conversation)),
                }
            }
            GatewayRequest::CustomerMessage { reference, conversation, text } => {
                self.decide(out, reference, conversation, "customer", &text, |id| {
                    engine.customer_message(id, &text)
                });
            }
            GatewayRequest::BotReply {
                reference,
                conversation,
                text,
                confidence,
                intent,
                resolved,
                considered,
                summary,
            } => {
                let reply = BotReply {
                    text: &text,
                    confidence,
                    intent: intent.as_deref(),
                    resolved,
                    considered: &considered,
                    summary: summary.as_deref(),
                };
                self.decide(out, reference, conversation, "bot", &text, |id| {
                    engine.bot_reply(id, reply)
                });
            }
            GatewayRequest::AskForHuman { reference, conversation } => {
                let result = engine.ask_for_human(&conversation).await;
                reply_state(out, reference, conversation, result);
            }
            GatewayRequest::AcceptCallback { reference, conversation } => {
                match engine.accept_callback(&conversation).await {
                    Ok(ticket) => {
                        let promised_in_ms = ticket.promised_by_ms.saturating_sub(engine.now_ms());
                        out.send(&ServerFrame::CallbackScheduled {
                            reference,
                            conversation,
                            promised_in_ms,
                        });
                    }
                    Err(e) => out.engine_error(reference, &e, Some(&conversation)),
                }
            }
            GatewayRequest::DeclineCallback { reference, conversation } => {
                let result = engine.decline_callback(&conversation).await.map(|()| State::Queued);
                reply_state(out, reference, conversation, result);
            }
            GatewayRequest::Close { reference, conversation, resolution, csat } => {
                let resolution = resolution.unwrap_or_else(|| "closed by front end".into());
                let result = engine.close(&conversation, &resolution, csat).await;
                reply_state(out, reference, conversation, result);
            }
            GatewayRequest::Resume { reference, conversations } => {
                let (mut statuses, mut errors) = (Vec::new(), Vec::new());
                for conversation in conversations {
                    match engine.subscribe_conversation(&conversation) {
                        Ok(events) => {
                            self.follow(&conversation, events, out);
                            statuses.extend(self.status(&conversation));
                        }
                        // A finished conversation still reports its final state.
                        Err(EngineError::ConversationFinished { .. }) => {
                            statuses.extend(self.status(&conversation));
                        }
                        // Named in the reply, one by one: a gateway resuming many ids it
                        // lost track of is not a misbehaving client (no error budget spent).
                        Err(e) => errors.push(ConversationError {
                            conversation,
                            code: e.code(),
                            message: e.to_string(),
                        }),
                    }
                }
                out.send(&ServerFrame::State { reference, conversations: statuses, errors });
            }
            GatewayRequest::CustomerAttributes { reference, customer, attributes } => {
                match engine.set_customer_attributes(&customer, attributes) {
                    Ok(()) => match engine.written().await {
                        Ok(()) => out.send(&ServerFrame::Ok {
                            reference,
                            conversation: None,
                            state: None,
                        }),
                        Err(e) => out.engine_error(reference, &e, None),
                    },
                    Err(e) => out.engine_error(reference, &e, None),
                }
            }
            GatewayRequest::Ping { reference } => out.send(&ServerFrame::Pong { reference }),
        }
    }

    async fn closed(self, _replaced: bool) {
        // Conversations outlive the connection; only this connection's forwarders stop.
        for task in self.following.into_values() {
            task.abort();
        }
    }
}

fn reply_state(
    out: &Outbound,
    reference: Option<String>,
    conversation: String,
    result: Result<State, EngineError>,
) {
    match result {
        Ok(state) => out.send(&ServerFrame::Ok {
            reference,
            conversation: Some(conversation),
            state: Some(state),
        }),
        Err(e) => out.engine_error(reference, &e, Some(&conversation)),
    }
}
