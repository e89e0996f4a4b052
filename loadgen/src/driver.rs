//! The two ways of driving Baton, behind one interface: the `Engine` API in this process, or
//! the WebSocket protocol (an embedded `baton serve` or a running one). Customers use a
//! `Gateway`, agents a `Desk`; both see the same normalised events.

use std::sync::Arc;

use baton_engine::engine::{
    AgentEvent, AgentLogin, BotReply, ConversationEvent, Engine, OpenConversation,
};
use baton_engine::escalation::{Decision, Tier};
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;

pub use crate::net::Failure;
use crate::net::{Conn, Redial, Timed};

/// What a decision said, as far as the generator cares, and when: `sent` as the request left
/// the caller (over the network: handed, encoded, to the connection's writer), `answered` as
/// the answer came back (over the network: read off the socket, before the generator decoded
/// it and woke the task waiting on it).
#[derive(Debug, Clone)]
pub struct Verdict {
    pub escalate: bool,
    pub reason: Option<String>,
    pub topic: Option<String>,
    pub sent: Instant,
    pub answered: Instant,
}

/// A conversation event, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvEvent {
    Waiting,
    CallbackOffered,
    AgentJoined,
    AgentMessage,
    /// The conversation's new state (`closed`, `queued`, …).
    State(String),
    /// The follower fell behind and missed events.
    Lost,
    Other,
}

impl Verdict {
    /// Microseconds from sending to the answer.
    pub fn latency(&self) -> u64 {
        self.answered.saturating_duration_since(self.sent).as_micros() as u64
    }
}

/// An agent event, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentEvt {
    Offer(String),
    Assigned(String),
    Other,
}

fn state_name(state: baton_engine::engine::State) -> String {
    serde_json::to_value(state).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn conv_event(event: &ConversationEvent) -> ConvEvent {
    match event {
        ConversationEvent::Waiting { .. } => ConvEvent::Waiting,
        ConversationEvent::CallbackOffered { .. } => ConvEvent::CallbackOffered,
        ConversationEvent::AgentJoined { .. } => ConvEvent::AgentJoined,
        ConversationEvent::AgentMessage { .. } => ConvEvent::AgentMessage,
        ConversationEvent::StateChanged { state } => ConvEvent::State(state_name(*state)),
        _ => ConvEvent::Other,
    }
}

fn conv_frame(frame: &Value) -> ConvEvent {
    match (frame["type"].as_str(), frame["event"]["type"].as_str()) {
        (Some("event"), Some("waiting")) => ConvEvent::Waiting,
        (Some("event"), Some("callback_offered")) => ConvEvent::CallbackOffered,
        (Some("event"), Some("agent_joined")) => ConvEvent::AgentJoined,
        (Some("event"), Some("agent_message")) => ConvEvent::AgentMessage,
        (Some("event"), Some("state_changed")) => {
            ConvEvent::State(frame["event"]["state"].as_str().unwrap_or_default().to_owned())
        }
        (Some("error"), _) if frame["code"] == "events_lost" => ConvEvent::Lost,
        _ => ConvEvent::Other,
    }
}

fn agent_event(event: &AgentEvent) -> AgentEvt {
    match event {
        AgentEvent::Offer { conversation, .. } => AgentEvt::Offer(conversation.clone()),
        AgentEvent::Assigned { conversation } => AgentEvt::Assigned(conversation.clone()),
        _ => AgentEvt::Other,
    }
}

fn agent_frame(frame: &Value) -> AgentEvt {
    let conversation = || frame["event"]["conversation"].as_str().unwrap_or_default().to_owned();
    match (frame["type"].as_str(), frame["event"]["type"].as_str()) {
        (Some("agent_event"), Some("offer")) => AgentEvt::Offer(conversation()),
        (Some("agent_event"), Some("assigned")) => AgentEvt::Assigned(conversation()),
        _ => AgentEvt::Other,
    }
}

/// A decision made in process, as the generator records it.
fn local_verdict(engine: &Engine, d: &Decision, sent: Instant) -> Verdict {
    Verdict {
        escalate: d.escalate,
        reason: d.reason.map(|r| r.as_str().to_owned()),
        topic: engine.decision_names(d).0.map(str::to_owned),
        sent,
        answered: Instant::now(),
    }
}

/// Forwards a broadcast subscription into an mpsc channel, normalising each event.
fn forward<E: Clone + Send + 'static, N: Clone + Send + 'static>(
    mut rx: broadcast::Receiver<E>,
    map: fn(&E) -> N,
    lost: Option<N>,
) -> mpsc::UnboundedReceiver<N> {
    let (tx, out) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(event) => {
                    if tx.send(map(&event)).is_err() {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if let Some(lost) = &lost {
                        let _ = tx.send(lost.clone());
                    }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    out
}

/// Maps raw frames from a connection route into normalised events.
fn normalise<N: Send + 'static>(
    mut rx: mpsc::UnboundedReceiver<Value>,
    map: fn(&Value) -> N,
) -> mpsc::UnboundedReceiver<N> {
    let (tx, out) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            if tx.send(map(&frame)).is_err() {
                break;
            }
        }
    });
    out
}

fn verdict_of(timed: &Timed) -> Verdict {
    let d = &timed.reply["decision"];
    Verdict {
        escalate: d["escalate"].as_bool().unwrap_or(false),
        reason: d["reason"].as_str().map(str::to_owned),
        topic: d["topic"].as_str().map(str::to_owned),
        sent: timed.sent,
        answered: timed.read,
    }
}

/// Opens over the network. Under fault injection an open whose answer was lost to a kill is
/// settled by asking the server once it is back: the conversation exists (go on with it, as
/// a front end resumes after a reconnect), or the open is sent again (a new request in the
/// ledger).
async fn open_remote(conn: &Conn, id: &str, frame: Value) -> Result<(), Failure> {
    const ATTEMPTS: usize = 3;
    let mut result = conn.request(frame.clone()).await.map(drop);
    for _ in 1..ATTEMPTS {
        if !(conn.redials() && result.as_ref().is_err_and(Failure::is_unknown)) {
            break;
        }
        let Ok(state) = conn.resume(&[id.to_owned()]).await else { continue };
        let listed = state["conversations"].as_array().into_iter().flatten();
        if listed.clone().any(|c| c["conversation"] == id) {
            return Ok(());
        }
        result = match conn.request(frame.clone()).await {
            // Made by the attempt before after all: it exists.
            Err(e) if e.code == "duplicate_conversation" => Ok(()),
            other => other.map(drop),
        };
    }
    result
}

/// The front end's side: opens conversations and reports what is said.
#[derive(Debug, Clone)]
pub enum Gateway {
    Local(Engine),
    /// Connections to `/v1/gateway`; a conversation always uses the same one.
    Remote(Arc<Vec<Arc<Conn>>>),
}

impl Gateway {
    fn conn(&self, conversation: &str) -> Option<&Arc<Conn>> {
        match self {
            Gateway::Local(_) => None,
            Gateway::Remote(conns) => {
                let hash = conversation
                    .bytes()
                    .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
                conns.get((hash % conns.len() as u64) as usize)
            }
        }
    }

    pub async fn open(
        &self,
        id: &str,
        customer: &str,
        tier: Tier,
        prior_contacts: u32,
        topic: Option<&str>,
    ) -> Result<mpsc::UnboundedReceiver<ConvEvent>, Failure> {
        match self {
            Gateway::Local(engine) => {
                let open = OpenConversation {
                    tier,
                    prior_contacts,
                    topic: topic.map(str::to_owned),
                    ..OpenConversation::new(id, customer)
                };
                let rx = engine.open_subscribed(open)?;
                Ok(forward(rx, conv_event, Some(ConvEvent::Lost)))
            }
            Gateway::Remote(_) => {
                let conn = self.conn(id).ok_or_else(|| Failure::new("disconnected"))?;
                let (tx, rx) = mpsc::unbounded_channel();
                conn.follow(id, tx);
                let mut frame = json!({"type": "open", "conversation": id, "customer": customer, "tier": tier, "prior_contacts": prior_contacts});
                if let Some(topic) = topic {
                    frame["topic"] = json!(topic);
                }
                if let Err(e) = open_remote(conn, id, frame).await {
                    conn.unfollow(id);
                    return Err(e);
                }
                Ok(normalise(rx, conv_frame))
            }
        }
    }

    pub async fn customer_message(&self, id: &str, text: &str) -> Result<Verdict, Failure> {
        match self {
            Gateway::Local(engine) => {
                let sent = Instant::now();
                Ok(local_verdict(engine, &engine.customer_message(id, text)?, sent))
            }
            Gateway::Remote(_) => {
                let conn = self.conn(id).ok_or_else(|| Failure::new("disconnected"))?;
                let frame = json!({"type": "customer_message", "conversation": id, "text": text});
                conn.timed(frame).await.map(|t| verdict_of(&t))
            }
        }
    }

    pub async fn bot_reply(
        &self,
        id: &str,
        text: &str,
        confidence: f64,
        resolved: bool,
    ) -> Result<Verdict, Failure> {
        match self {
            Gateway::Local(engine) => {
                let reply = BotReply { resolved, ..BotReply::new(text, confidence) };
                let sent = Instant::now();
                Ok(local_verdict(engine, &engine.bot_reply(id, reply)?, sent))
            }
            Gateway::Remote(_) => {
                let conn = self.conn(id).ok_or_else(|| Failure::new("disconnected"))?;
                let frame = json!({"type": "bot_reply", "conversation": id, "text": text, "confidence": confidence, "resolved": resolved});
                conn.timed(frame).await.map(|t| verdict_of(&t))
            }
        }
    }

    async fn simple(&self, kind: &str, id: &str) -> Result<Value, Failure> {
        let conn = self.conn(id).ok_or_else(|| Failure::new("disconnected"))?;
        conn.request(json!({"type": kind, "conversation": id})).await
    }

    pub async fn ask_for_human(&self, id: &str) -> Result<(), Failure> {
        match self {
            Gateway::Local(engine) => {
                engine.ask_for_human(id).await.map(drop).map_err(Failure::from)
            }
            Gateway::Remote(_) => self.simple("ask_for_human", id).await.map(drop),
        }
    }

    pub async fn accept_callback(&self, id: &str) -> Result<(), Failure> {
        match self {
            Gateway::Local(engine) => {
                engine.accept_callback(id).await.map(drop).map_err(Failure::from)
            }
            Gateway::Remote(_) => self.simple("accept_callback", id).await.map(drop),
        }
    }

    pub async fn decline_callback(&self, id: &str) -> Result<(), Failure> {
        match self {
            Gateway::Local(engine) => engine.decline_callback(id).await.map_err(Failure::from),
            Gateway::Remote(_) => self.simple("decline_callback", id).await.map(drop),
        }
    }

    /// Closes; returns the final state (`closed`, or `abandoned` from the queue).
    pub async fn close(&self, id: &str, resolution: &str) -> Result<String, Failure> {
        match self {
            Gateway::Local(engine) => Ok(state_name(engine.close(id, resolution, None).await?)),
            Gateway::Remote(_) => {
                let conn = self.conn(id).ok_or_else(|| Failure::new("disconnected"))?;
                let frame = json!({"type": "close", "conversation": id, "resolution": resolution});
                let reply = conn.request(frame).await?;
                Ok(reply["state"].as_str().unwrap_or_default().to_owned())
            }
        }
    }

    /// Stops routing a conversation's events (the customer task is done with it).
    pub fn forget(&self, id: &str) {
        if let Some(conn) = self.conn(id) {
            conn.unfollow(id);
        }
    }

    /// The engine's account of these conversations now: `Some(state)`, or `None` when the
    /// engine does not know the conversation.
    pub async fn states(&self, ids: &[String]) -> Result<Vec<Option<String>>, Failure> {
        match self {
            Gateway::Local(engine) => {
                Ok(ids.iter().map(|id| engine.conversation_state(id).map(state_name)).collect())
            }
            Gateway::Remote(conns) => {
                let conn = conns.first().ok_or_else(|| Failure::new("disconnected"))?;
                let mut states = Vec::with_capacity(ids.len());
                for chunk in ids.chunks(200) {
                    let reply =
                        conn.request(json!({"type": "resume", "conversations": chunk})).await?;
                    let known: std::collections::HashMap<&str, &str> = reply["conversations"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|c| Some((c["conversation"].as_str()?, c["state"].as_str()?)))
                        .collect();
                    states.extend(
                        chunk.iter().map(|id| known.get(id.as_str()).map(|s| (*s).to_owned())),
                    );
                    // Resume also subscribed this connection; stop following them.
                    for id in chunk {
                        conn.unfollow(id);
                    }
                }
                Ok(states)
            }
        }
    }
}

/// An agent's desktop.
#[derive(Debug, Clone)]
pub enum Desk {
    Local(Engine, String),
    Remote(Arc<Conn>),
}

/// Who an agent is.
#[derive(Debug, Clone)]
pub struct AgentSpec {
    pub id: String,
    pub name: String,
    pub skills: Vec<(String, u8)>,
    pub capacity: u32,
    pub clearances: Vec<String>,
}

/// How to reach the agent endpoint.
#[derive(Debug, Clone)]
pub enum DeskKind {
    Local(Engine),
    /// With `redial` (fault injection) the agent's connection is dialled again after a drop,
    /// with the same token: the server resumes the session, or logs the agent in again.
    Remote {
        url: String,
        token_secret: String,
        msgpack: bool,
        redial: Option<Redial>,
    },
}

impl DeskKind {
    /// Logs an agent in; its events arrive on the returned channel.
    pub async fn login(
        &self,
        spec: &AgentSpec,
    ) -> Result<(Desk, mpsc::UnboundedReceiver<AgentEvt>), Failure> {
        match self {
            DeskKind::Local(engine) => {
                let login = AgentLogin {
                    name: spec.name.clone(),
                    team: "Load".into(),
                    clearances: spec.clearances.clone(),
                    ..AgentLogin::new(spec.id.clone(), spec.skills.clone(), spec.capacity)
                };
                let rx = engine.agent_login(login)?;
                Ok((Desk::Local(engine.clone(), spec.id.clone()), forward(rx, agent_event, None)))
            }
            DeskKind::Remote { url, token_secret, msgpack, redial } => {
                let claims = baton_engine::server::auth::AgentClaims {
                    agent: spec.id.clone(),
                    name: spec.name.clone(),
                    team: "Load".into(),
                    skills: spec.skills.clone(),
                    capacity: spec.capacity,
                    clearances: spec.clearances.clone(),
                    exp: baton_engine::server::auth::unix_now_s() + 24 * 3600,
                };
                let token = baton_engine::server::auth::mint(&claims, token_secret);
                let url = format!("{url}/v1/agent");
                let conn = match redial {
                    Some(redial) => {
                        Conn::connect_redialling(&url, &token, *msgpack, redial.clone()).await
                    }
                    None => Conn::connect(&url, &token, *msgpack).await,
                }
                .map_err(|_| Failure::new("connect"))?;
                let (tx, rx) = mpsc::unbounded_channel();
                conn.agent_events(tx);
                Ok((Desk::Remote(conn), normalise(rx, agent_frame)))
            }
        }
    }
}

impl Desk {
    async fn act(&self, kind: &str, conversation: &str) -> Result<(), Failure> {
        match self {
            Desk::Local(engine, agent) => match kind {
                "accept" => engine.accept(agent, conversation).await,
                "decline" => engine.decline(agent, conversation).await,
                "wrap_up" => engine.wrap_up(agent, conversation).await,
                _ => engine.agent_message(agent, conversation, "Hi, I'm here to help.").await,
            }
            .map_err(Failure::from),
            Desk::Remote(conn) => {
                let mut frame = json!({"type": kind, "conversation": conversation});
                if kind == "message" {
                    frame["text"] = json!("Hi, I'm here to help.");
                }
                conn.request(frame).await.map(drop)
            }
        }
    }

    pub async fn accept(&self, conversation: &str) -> Result<(), Failure> {
        self.act("accept", conversation).await
    }

    pub async fn decline(&self, conversation: &str) -> Result<(), Failure> {
        self.act("decline", conversation).await
    }

    pub async fn greet(&self, conversation: &str) -> Result<(), Failure> {
        self.act("message", conversation).await
    }

    pub async fn wrap_up(&self, conversation: &str) -> Result<(), Failure> {
        self.act("wrap_up", conversation).await
    }

    pub async fn logout(&self) -> Result<(), Failure> {
        match self {
            Desk::Local(engine, agent) => engine.logout(agent).await.map_err(Failure::from),
            Desk::Remote(conn) => {
                // The server closes the connection after the logout: not a drop to redial.
                conn.retire();
                let result = conn.request(json!({"type": "logout"})).await.map(drop);
                conn.close();
                result
            }
        }
    }
}
