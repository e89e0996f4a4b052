//! One WebSocket connection to `baton serve`, shared by many tasks: requests are matched to
//! their replies by `ref`, conversation events are routed to the task that follows the
//! conversation, agent events to the agent's task. One link task per connection (its reader
//! and writer); nothing here blocks the caller beyond awaiting its own reply.
//!
//! Under fault injection ([`Redial`]) a dropped connection is dialled again with backoff, the
//! conversations it follows are resumed on the new one, and every request is written in the
//! run's ledger: a request whose connection died before its reply is `unknown` there.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use baton_engine::engine::EngineError;
use dashmap::DashMap;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use crate::ledger::{Ledger, Outcome};

/// A request that failed, by its protocol error code, or by what happened to the connection:
/// `not_sent` (it never left), `disconnected` (sent, the connection died before the reply),
/// `timeout` (no reply in time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
}

impl Failure {
    pub fn new(code: &str) -> Failure {
        Failure { code: code.to_owned() }
    }

    /// Whether the request may have taken effect all the same: it was sent and no answer
    /// came, or the server said it could not tell (PROTOCOL.md §12: every other error
    /// promises that nothing changed).
    pub fn is_unknown(&self) -> bool {
        matches!(self.code.as_str(), "disconnected" | "timeout" | "storage_unavailable")
    }
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Failure {
        Failure::new(e.code().as_str())
    }
}

/// How long a request waits for its reply (or for a dropped connection to come back) before
/// it counts as a `timeout`.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a dropped connection is dialled again before the run gives up on it: a restart
/// that takes longer than this is a failed restart, not a slow one.
const REDIAL_FOR: Duration = Duration::from_secs(60);
const BACKOFF_FIRST: Duration = Duration::from_millis(25);
const BACKOFF_MAX: Duration = Duration::from_secs(1);

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Dial again whenever a connection drops, and write every request in `ledger` (fault
/// injection). Shared by every connection of a run.
#[derive(Debug, Clone)]
pub struct Redial {
    pub ledger: Arc<Ledger>,
    pub links: Arc<Links>,
}

/// Every redialling connection of a run, so that the run can close them all at once.
#[derive(Debug, Default)]
pub struct Links {
    done: AtomicBool,
    conns: Mutex<Vec<Weak<Conn>>>,
}

impl Links {
    /// Stops redialling and closes every connection: the run is over, and the agents' sessions
    /// must hold still (no new offers) while the ledger is checked.
    pub fn close_all(&self) {
        self.done.store(true, Relaxed);
        let conns = std::mem::take(&mut *lock(&self.conns));
        for conn in conns.iter().filter_map(Weak::upgrade) {
            conn.close();
        }
    }

    fn register(&self, conn: &Arc<Conn>) {
        let mut conns = lock(&self.conns);
        conns.retain(|c| c.strong_count() > 0);
        conns.push(Arc::downgrade(conn));
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Where requests go now: the live connection's writer, none while it is being dialled again,
/// or none ever again.
#[derive(Debug, Clone)]
enum Link {
    Up(mpsc::UnboundedSender<Message>),
    Down,
    Closed,
}

#[derive(Debug)]
pub struct Conn {
    link: watch::Sender<Link>,
    /// Requests waiting for their reply, by `ref`: the reply goes with the instant it was read.
    pending: DashMap<u64, oneshot::Sender<(Value, Instant)>>,
    /// Conversation id → the task following it. Kept across a redial: the conversations are
    /// resumed on the new connection.
    routes: DashMap<String, mpsc::UnboundedSender<Value>>,
    /// The agent task (agent connections).
    agent: Mutex<Option<mpsc::UnboundedSender<Value>>>,
    next_ref: AtomicU64,
    msgpack: bool,
    redial: Option<Redial>,
    /// Closed on purpose (a logout, the end of the run): not to be dialled again.
    closing: AtomicBool,
}

/// Opens the WebSocket and waits for the hello frame.
async fn dial(url: &str, bearer: &str, msgpack: bool) -> anyhow::Result<Ws> {
    let mut request = url.into_client_request()?;
    let protocol = if msgpack { "baton.v1.msgpack" } else { "baton.v1.json" };
    request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static(protocol));
    request
        .headers_mut()
        .insert("authorization", HeaderValue::from_str(&format!("Bearer {bearer}"))?);
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(request, None, true)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to {url}: {e}"))?;
    let hello = tokio::time::timeout(REPLY_TIMEOUT, ws.next()).await;
    match hello.ok().flatten().and_then(|m| m.ok()).and_then(|m| decode(&m)) {
        Some(frame) if frame["type"] == "hello" => Ok(ws),
        other => anyhow::bail!("{url}: expected a hello frame, got {other:?}"),
    }
}

impl Conn {
    /// Connects to `url` (`ws://…/v1/gateway` or `/v1/agent`) with a bearer credential and
    /// waits for the hello frame.
    pub async fn connect(url: &str, bearer: &str, msgpack: bool) -> anyhow::Result<Arc<Conn>> {
        let ws = dial(url, bearer, msgpack).await?;
        Ok(Conn::start(ws, url, bearer, msgpack, None))
    }

    /// Connects like [`Conn::connect`], retrying while the server is down, and dials again
    /// whenever the connection drops (for [`REDIAL_FOR`] at most each time).
    pub async fn connect_redialling(
        url: &str,
        bearer: &str,
        msgpack: bool,
        redial: Redial,
    ) -> anyhow::Result<Arc<Conn>> {
        let mut last = None;
        let deadline = Instant::now() + REDIAL_FOR;
        let mut delay = BACKOFF_FIRST;
        while Instant::now() < deadline && !redial.links.done.load(Relaxed) {
            match dial(url, bearer, msgpack).await {
                Ok(ws) => {
                    let conn = Conn::start(ws, url, bearer, msgpack, Some(redial.clone()));
                    redial.links.register(&conn);
                    return Ok(conn);
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(BACKOFF_MAX);
        }
        Err(last.unwrap_or_else(|| anyhow::anyhow!("{url}: the run is over")))
    }

    fn start(ws: Ws, url: &str, bearer: &str, msgpack: bool, redial: Option<Redial>) -> Arc<Conn> {
        let (tx, rx) = mpsc::unbounded_channel();
        let conn = Arc::new(Conn {
            link: watch::Sender::new(Link::Up(tx)),
            pending: DashMap::new(),
            routes: DashMap::new(),
            agent: Mutex::new(None),
            next_ref: AtomicU64::new(1),
            msgpack,
            redial,
            closing: AtomicBool::new(false),
        });
        let (url, bearer) = (url.to_owned(), bearer.to_owned());
        tokio::spawn(Conn::keep(Arc::clone(&conn), ws, rx, url, bearer));
        conn
    }

    /// Serves the connection until it ends, then — when redialling — dials again and resumes
    /// the conversations it follows; otherwise ends every route.
    async fn keep(
        conn: Arc<Conn>,
        mut ws: Ws,
        mut rx: mpsc::UnboundedReceiver<Message>,
        url: String,
        bearer: String,
    ) {
        loop {
            conn.serve(ws, rx).await;
            conn.link.send_replace(Link::Down);
            // Every request still waiting for its reply learns the connection is gone (it
            // was sent: its outcome is unknown).
            conn.pending.clear();
            let Some(next) = conn.dial_again(&url, &bearer).await else { break };
            let (tx, next_rx) = mpsc::unbounded_channel();
            conn.link.send_replace(Link::Up(tx));
            (ws, rx) = (next, next_rx);
            tokio::spawn(Conn::resume_followed(Arc::clone(&conn)));
        }
        conn.link.send_replace(Link::Closed);
        conn.pending.clear();
        conn.routes.clear();
        conn.agent_task().take();
    }

    /// Reads and writes until the connection ends (either side).
    async fn serve(&self, ws: Ws, mut rx: mpsc::UnboundedReceiver<Message>) {
        let (mut sink, mut stream) = ws.split();
        let writer = async {
            while let Some(message) = rx.recv().await {
                if sink.send(message).await.is_err() {
                    break;
                }
            }
            let _ = sink.close().await;
        };
        let reader = async {
            while let Some(Ok(message)) = stream.next().await {
                // Read now: what the generator does with the frame afterwards is its own time.
                let read = Instant::now();
                if let Some(frame) = decode(&message) {
                    self.dispatch(frame, read);
                }
            }
        };
        tokio::select! {
            () = reader => {}
            () = writer => {}
        }
    }

    /// The next connection after a drop, with backoff; `None` when this connection is not to
    /// be dialled again (no fault injection, closed on purpose, the run over, or the server
    /// did not come back in time).
    async fn dial_again(&self, url: &str, bearer: &str) -> Option<Ws> {
        let redial = self.redial.as_ref()?;
        let deadline = Instant::now() + REDIAL_FOR;
        let mut delay = BACKOFF_FIRST;
        loop {
            if self.closing.load(Relaxed) || redial.links.done.load(Relaxed) {
                return None;
            }
            if let Ok(ws) = dial(url, bearer, self.msgpack).await {
                return Some(ws);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(BACKOFF_MAX);
        }
    }

    /// After a redial: follow the conversations again (PROTOCOL.md §13), so their events reach
    /// the tasks waiting on them.
    async fn resume_followed(conn: Arc<Conn>) {
        let ids: Vec<String> = conn.routes.iter().map(|e| e.key().clone()).collect();
        for chunk in ids.chunks(200) {
            let _ = conn.resume(chunk).await;
        }
    }

    fn dispatch(&self, frame: Value, read: Instant) {
        if let Some(reference) =
            frame.get("ref").and_then(Value::as_str).and_then(|r| r.parse().ok())
            && let Some((_, reply)) = self.pending.remove(&reference)
        {
            let _ = reply.send((frame, read));
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

    /// Sends a request and waits for its reply; an `error` reply becomes a `Failure`. Under
    /// fault injection the request and its outcome go in the ledger.
    pub async fn request(&self, frame: Value) -> Result<Value, Failure> {
        self.timed(frame).await.map(|t| t.reply)
    }

    /// [`Conn::request`], with when the request was handed to the connection and when its
    /// reply was read.
    pub async fn timed(&self, frame: Value) -> Result<Timed, Failure> {
        let Some(redial) = &self.redial else { return self.exchange(frame).await };
        let op = redial.ledger.invoke(&frame);
        let result = self.exchange(frame).await;
        if let Some(op) = op {
            redial.ledger.settle(op, outcome(result.as_ref().map(|t| &t.reply)));
        }
        result
    }

    /// `resume` for these conversations: the `state` reply (also follows them here).
    pub async fn resume(&self, ids: &[String]) -> Result<Value, Failure> {
        self.request(json!({"type": "resume", "conversations": ids})).await
    }

    async fn exchange(&self, mut frame: Value) -> Result<Timed, Failure> {
        let tx = self.writer().await?;
        let reference = self.next_ref.fetch_add(1, Relaxed);
        frame["ref"] = Value::String(reference.to_string());
        let (reply_tx, reply) = oneshot::channel();
        self.pending.insert(reference, reply_tx);
        let message = if self.msgpack {
            Message::binary(rmp_serde::to_vec_named(&frame).map_err(|_| Failure::new("encode"))?)
        } else {
            Message::text(frame.to_string())
        };
        let sent = Instant::now();
        if tx.send(message).is_err() {
            self.pending.remove(&reference);
            return Err(Failure::new("not_sent"));
        }
        match tokio::time::timeout(REPLY_TIMEOUT, reply).await {
            Ok(Ok((reply, _))) if reply["type"] == "error" => {
                Err(Failure::new(reply["code"].as_str().unwrap_or("error")))
            }
            Ok(Ok((reply, read))) => Ok(Timed { reply, sent, read }),
            Ok(Err(_)) => Err(Failure::new("disconnected")),
            Err(_) => {
                self.pending.remove(&reference);
                Err(Failure::new("timeout"))
            }
        }
    }

    /// The live connection's writer, waiting (bounded) while a dropped one is dialled again.
    async fn writer(&self) -> Result<mpsc::UnboundedSender<Message>, Failure> {
        let mut link = self.link.subscribe();
        let ready =
            tokio::time::timeout(REPLY_TIMEOUT, link.wait_for(|l| !matches!(l, Link::Down))).await;
        match ready.ok().and_then(Result::ok).as_deref() {
            Some(Link::Up(tx)) => Ok(tx.clone()),
            _ => Err(Failure::new("not_sent")),
        }
    }

    /// Whether this connection is dialled again when it drops.
    pub fn redials(&self) -> bool {
        self.redial.is_some()
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
        lock(&self.agent)
    }

    /// Not to be dialled again when it drops (before a logout, which the server answers by
    /// closing the connection).
    pub fn retire(&self) {
        self.closing.store(true, Relaxed);
    }

    /// Closes the connection (the writer sends a close frame); it is not dialled again.
    pub fn close(&self) {
        self.retire();
        if let Link::Up(tx) = &*self.link.borrow() {
            let _ = tx.send(Message::Close(None));
        }
    }
}

/// A reply with its times: `sent` when the encoded request was handed to the connection's
/// writer, `read` when the reply came off the socket (before it was decoded and passed on).
#[derive(Debug)]
pub struct Timed {
    pub reply: Value,
    pub sent: Instant,
    pub read: Instant,
}

/// How a reply (or its absence) reads in the ledger.
pub fn outcome(result: Result<&Value, &Failure>) -> Outcome {
    match result {
        Ok(reply) => Outcome::Acked { state: reply["state"].as_str().map(str::to_owned) },
        Err(f) if f.is_unknown() => Outcome::Unknown(f.code.clone()),
        Err(f) => Outcome::Failed(f.code.clone()),
    }
}

fn decode(message: &Message) -> Option<Value> {
    match message {
        Message::Text(text) => serde_json::from_str(text).ok(),
        Message::Binary(bytes) => rmp_serde::from_slice(bytes).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_read_as_acked_failed_or_unknown() {
        let ok = Ok(json!({"type": "ok", "state": "queued"}));
        assert_eq!(outcome(ok.as_ref()), Outcome::Acked { state: Some("queued".into()) });
        let decision = Ok(json!({"type": "decision", "decision": {}}));
        assert_eq!(outcome(decision.as_ref()), Outcome::Acked { state: None });
        for code in ["illegal_transition", "unknown_conversation", "not_sent"] {
            assert_eq!(outcome(Err(&Failure::new(code))), Outcome::Failed(code.into()));
        }
        // Sent and unanswered, or the server itself cannot tell (PROTOCOL.md §12).
        for code in ["disconnected", "timeout", "storage_unavailable"] {
            assert_eq!(outcome(Err(&Failure::new(code))), Outcome::Unknown(code.into()));
        }
    }
}
