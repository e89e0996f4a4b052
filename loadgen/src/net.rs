//! One WebSocket connection to `baton serve`, shared by many tasks: requests are matched to
//! their replies by `ref`, conversation events are routed to the task that follows the
//! conversation, agent events to the agent's task. A reader and a writer task per
//! connection; nothing here blocks the caller beyond awaiting its own reply.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use baton_engine::engine::EngineError;
use dashmap::DashMap;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// A request that failed, by its protocol error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
}

impl Failure {
    pub fn new(code: &str) -> Failure {
        Failure { code: code.to_owned() }
    }
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Failure {
        Failure::new(e.code().as_str())
    }
}

/// How long a request waits for its reply before it counts as a `timeout`.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct Conn {
    tx: mpsc::UnboundedSender<Message>,
    pending: DashMap<u64, oneshot::Sender<Value>>,
    /// Conversation id → the task following it.
    routes: DashMap<String, mpsc::UnboundedSender<Value>>,
    /// The agent task (agent connections).
    agent: Mutex<Option<mpsc::UnboundedSender<Value>>>,
    next_ref: AtomicU64,
    msgpack: bool,
}

impl Conn {
    /// Connects to `url` (`ws://…/v1/gateway` or `/v1/agent`) with a bearer credential and
    /// waits for the hello frame.
    pub async fn connect(url: &str, bearer: &str, msgpack: bool) -> anyhow::Result<Arc<Conn>> {
        let mut request = url.into_client_request()?;
        let protocol = if msgpack { "baton.v1.msgpack" } else { "baton.v1.json" };
        request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static(protocol));
        request
            .headers_mut()
            .insert("authorization", HeaderValue::from_str(&format!("Bearer {bearer}"))?);
        let (ws, _) = tokio_tungstenite::connect_async_with_config(request, None, true)
            .await
            .map_err(|e| anyhow::anyhow!("cannot connect to {url}: {e}"))?;
        let (mut sink, mut stream) = ws.split();
        let hello = tokio::time::timeout(REPLY_TIMEOUT, stream.next()).await;
        match hello.ok().flatten().and_then(|m| m.ok()).and_then(|m| decode(&m)) {
            Some(frame) if frame["type"] == "hello" => {}
            other => anyhow::bail!("{url}: expected a hello frame, got {other:?}"),
        }
        let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
        let conn = Arc::new(Conn {
            tx,
            pending: DashMap::new(),
            routes: DashMap::new(),
            agent: Mutex::new(None),
            next_ref: AtomicU64::new(1),
            msgpack,
        });
        tokio::spawn(async move {
            while let Some(message) = rx.recv().await {
                if sink.send(message).await.is_err() {
                    break;
                }
            }
            let _ = sink.close().await;
        });
        let reader = Arc::clone(&conn);
        tokio::spawn(async move {
            while let Some(Ok(message)) = stream.next().await {
                if let Some(frame) = decode(&message) {
                    reader.dispatch(frame);
                }
            }
            // The connection is gone: fail every waiting request at once.
            reader.pending.clear();
            reader.routes.clear();
            reader.agent_task().take();
        });
        Ok(conn)
    }

    fn dispatch(&self, frame: Value) {
        if let Some(reference) =
            frame.get("ref").and_then(Value::as_str).and_then(|r| r.parse().ok())
            && let Some((_, reply)) = self.pending.remove(&reference)
        {
            let _ = reply.send(frame);
            return;
        }
        match frame["type"].as_str() {
            Some("agent_event" | "state") => {
                if let Some(agent) = self.agent_task().as_ref() {
                    let _ = agent.send(frame);
                }
            }
            _ => {
                let route = frame.get("conversation").and_then(Value::as_str);
                if let Some(route) = route.and_then(|c| self.routes.get(c)) {
                    let _ = route.send(frame);
                }
            }
        }
    }

    /// Sends a request and waits for its reply; an `error` reply becomes a `Failure`.
    pub async fn request(&self, mut frame: Value) -> Result<Value, Failure> {
        let reference = self.next_ref.fetch_add(1, Relaxed);
        frame["ref"] = Value::String(reference.to_string());
        let (tx, rx) = oneshot::channel();
        self.pending.insert(reference, tx);
        let message = if self.msgpack {
            Message::binary(rmp_serde::to_vec_named(&frame).map_err(|_| Failure::new("encode"))?)
        } else {
            Message::text(frame.to_string())
        };
        if self.tx.send(message).is_err() {
            self.pending.remove(&reference);
            return Err(Failure::new("disconnected"));
        }
        match tokio::time::timeout(REPLY_TIMEOUT, rx).await {
            Ok(Ok(reply)) if reply["type"] == "error" => {
                Err(Failure::new(reply["code"].as_str().unwrap_or("error")))
            }
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err(Failure::new("disconnected")),
            Err(_) => {
                self.pending.remove(&reference);
                Err(Failure::new("timeout"))
            }
        }
    }

    /// Routes a conversation's events to `tx` (before opening it, so none is missed).
    pub fn follow(&self, conversation: &str, tx: mpsc::UnboundedSender<Value>) {
        self.routes.insert(conversation.to_owned(), tx);
    }

    pub fn unfollow(&self, conversation: &str) {
        self.routes.remove(conversation);
    }

    /// Routes agent events (and the connect-time state frame) to `tx`.
    pub fn agent_events(&self, tx: mpsc::UnboundedSender<Value>) {
        *self.agent_task() = Some(tx);
    }

    fn agent_task(&self) -> std::sync::MutexGuard<'_, Option<mpsc::UnboundedSender<Value>>> {
        self.agent.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Closes the connection (the writer sends a close frame).
    pub fn close(&self) {
        let _ = self.tx.send(Message::Close(None));
    }
}

fn decode(message: &Message) -> Option<Value> {
    match message {
        Message::Text(text) => serde_json::from_str(text).ok(),
        Message::Binary(bytes) => rmp_serde::from_slice(bytes).ok(),
        _ => None,
    }
}
