//! `baton serve` over real WebSockets on loopback, with clients written against PROTOCOL.md:
//! a whole handoff in both encodings, bad input and bad clients, authentication, agents kept
//! to their own conversations, slow consumers, reconnecting, graceful shutdown and the
//! Prometheus exporter. Real time (sockets do not run on paused time); every wait is bounded.

use std::collections::VecDeque;
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{Engine, State};
use baton_engine::server::{self, RunningServer, auth};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Longest any single frame is waited for (generous: the machine is shared).
const WAIT: Duration = Duration::from_secs(20);

pub struct Served {
    pub engine: Engine,
    pub server: RunningServer,
    pub config: Config,
}

impl Served {
    pub fn url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.server.addr)
    }

    pub async fn stop(self) {
        self.server.shutdown().await;
        self.engine.shutdown().await;
    }
}

/// Engine and server on ephemeral loopback ports.
pub async fn serve_with(mut config: Config) -> Served {
    config.server.listen = "127.0.0.1:0".into();
    config.server.admin_listen = "127.0.0.1:0".into();
    let engine = Engine::start(config.clone()).await.expect("engine starts");
    let metrics = baton_engine::telemetry::install();
    let server =
        server::start(engine.clone(), config.server.clone(), metrics).await.expect("serves");
    Served { engine, server, config }
}

pub async fn serve() -> Served {
    serve_with(Config::default()).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Json,
    MsgPack,
}

impl Enc {
    fn subprotocol(self) -> &'static str {
        match self {
            Enc::Json => "baton.v1.json",
            Enc::MsgPack => "baton.v1.msgpack",
        }
    }
}

/// Signed claims for an agent (skills as `(skill, proficiency)`).
pub fn token(served: &Served, agent: &str, skills: &[(&str, u8)], clearances: &[&str]) -> String {
    let claims = auth::AgentClaims {
        agent: agent.into(),
        name: format!("Agent {agent}"),
        team: "Support".into(),
        skills: skills.iter().map(|(s, p)| ((*s).to_owned(), *p)).collect(),
        capacity: 2,
        clearances: clearances.iter().map(|c| (*c).to_owned()).collect(),
        exp: auth::unix_now_s() + 3600,
    };
    auth::mint(&claims, &served.config.server.token_secret)
}

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    enc: Enc,
    /// Frames that arrived while `request` waited for its reply: a reply and the events its
    /// request causes are not ordered (PROTOCOL.md §12), so they are kept for `recv`.
    held: VecDeque<Value>,
}

impl Client {
    /// Connects with a bearer credential; the upgrade's error (401, …) when refused.
    pub async fn connect(
        url: &str,
        bearer: Option<&str>,
        enc: Enc,
    ) -> Result<Client, tungstenite::Error> {
        let mut request = url.into_client_request()?;
        let headers = request.headers_mut();
        headers.insert("sec-websocket-protocol", HeaderValue::from_static(enc.subprotocol()));
        if let Some(bearer) = bearer {
            let value = HeaderValue::from_str(&format!("Bearer {bearer}")).expect("header");
            headers.insert("authorization", value);
        }
        let (ws, response) = tokio_tungstenite::connect_async(request).await?;
        let chosen = response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok());
        assert_eq!(chosen, Some(enc.subprotocol()), "the server agrees on the encoding");
        Ok(Client { ws, enc, held: VecDeque::new() })
    }

    /// A gateway connection with the development key, past its hello.
    pub async fn gateway(served: &Served, enc: Enc) -> Client {
        let key = served.config.server.api_keys[0].clone();
        let mut client =
            Client::connect(&served.url("/v1/gateway"), Some(&key), enc).await.expect("connects");
        let hello = client.recv().await;
        assert_eq!(
            (hello["type"].as_str(), hello["role"].as_str()),
            (Some("hello"), Some("gateway"))
        );
        client
    }

    /// An agent connection, past its hello; returns the first `state` frame too.
    pub async fn agent(served: &Served, token: &str, enc: Enc) -> (Client, Value) {
        let mut client =
            Client::connect(&served.url("/v1/agent"), Some(token), enc).await.expect("connects");
        let hello = client.recv().await;
        assert_eq!(
            (hello["type"].as_str(), hello["role"].as_str()),
            (Some("hello"), Some("agent"))
        );
        let state = client.recv().await;
        assert_eq!(state["type"], "state", "{state}");
        (client, state)
    }

    pub async fn send(&mut self, frame: Value) {
        let message = match self.enc {
            Enc::Json => Message::text(frame.to_string()),
            Enc::MsgPack => Message::binary(rmp_serde::to_vec_named(&frame).expect("encode")),
        };
        self.ws.send(message).await.expect("send");
    }

    pub async fn send_raw(&mut self, message: Message) {
        self.ws.send(message).await.expect("send");
    }

    /// The next message of any kind (None: the connection ended).
    pub async fn next_message(&mut self) -> Option<Message> {
        match tokio::time::timeout(WAIT, self.ws.next()).await.expect("a frame in time") {
            Some(Ok(message)) => Some(message),
            _ => None,
        }
    }

    /// The next frame, decoded (held ones first); frames come in the connection's encoding.
    pub async fn recv(&mut self) -> Value {
        if let Some(frame) = self.held.pop_front() {
            return frame;
        }
        loop {
            match self.next_message().await {
                Some(Message::Text(text)) => {
                    assert_eq!(self.enc, Enc::Json, "text frame on a MessagePack connection");
                    return serde_json::from_str(&text).expect("JSON frame");
                }
                Some(Message::Binary(bytes)) => {
                    assert_eq!(self.enc, Enc::MsgPack, "binary frame on a JSON connection");
                    return rmp_serde::from_slice(&bytes).expect("MessagePack frame");
                }
                Some(Message::Ping(_) | Message::Pong(_)) => {}
                other => panic!("expected a frame, got {other:?}"),
            }
        }
    }

    /// Skips frames until one matches.
    pub async fn until(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..10_000 {
            let frame = self.recv().await;
            if matches(&frame) {
                return frame;
            }
        }
        panic!("no {what}");
    }

    /// Sends a request and returns the reply carrying its `ref`.
    pub async fn request(&mut self, frame: Value) -> Value {
        let reference = frame["ref"].as_str().expect("a request with a ref").to_owned();
        self.send(frame).await;
        let mut early = VecDeque::new();
        let reply = loop {
            let frame = self.recv().await;
            if frame["ref"] == reference.as_str() {
                break frame;
            }
            early.push_back(frame);
        };
        // `recv` took the held frames first, so `early` keeps the order they came in; any
        // still held (a reply found before them) stay behind.
        early.extend(self.held.drain(..));
        self.held = early;
        reply
    }

    /// The close code the server ends the connection with.
    pub async fn closed_with(&mut self) -> Option<u16> {
        loop {
            match self.next_message().await {
                Some(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                None => return None,
                Some(_) => {}
            }
        }
    }
}

pub fn event(frame: &Value, kind: &str) -> bool {
    frame["type"] == "event" && frame["event"]["type"] == kind
}

pub fn agent_event(frame: &Value, kind: &str) -> bool {
    frame["type"] == "agent_event" && frame["event"]["type"] == kind
}

/// A plain HTTP/1.1 GET: (status, body).
pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut response))
        .await
        .expect("in time")
        .expect("read");
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status line");
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
    (status, body)
}

async fn handoff(enc: Enc) {
    let served = serve().await;
    let sam = token(&served, "sam", &[("general", 4)], &[]);
    let (mut agent, state) = Client::agent(&served, &sam, enc).await;
    assert_eq!(state["conversations"], json!([]));
    let mut gw = Client::gateway(&served, enc).await;

    let ok = gw
        .request(json!({"type": "open", "ref": "o1", "conversation": "c1", "customer": "cust-1", "tier": "premium"}))
        .await;
    assert_eq!((ok["type"].as_str(), ok["state"].as_str()), (Some("ok"), Some("bot")), "{ok}");
    let d = gw
        .request(json!({"type": "customer_message", "ref": "m1", "conversation": "c1", "text": "Where is my parcel?"}))
        .await;
    assert_eq!(
        (d["type"].as_str(), d["decision"]["escalate"].as_bool()),
        (Some("decision"), Some(false)),
        "{d}"
    );
    let reply = json!({"type": "bot_reply", "ref": "b1", "conversation": "c1", "text": "It ships tomorrow.", "confidence": 0.9});
    let d = gw.request(reply).await;
    assert_eq!(d["decision"]["escalate"], false, "{d}");
    let d = gw
        .request(json!({"type": "customer_message", "ref": "m2", "conversation": "c1", "text": "I want to talk to a person"}))
        .await;
    assert_eq!(d["decision"]["escalate"], true, "{d}");
    assert_eq!(d["decision"]["reason"], "explicit_request");
    assert_eq!(d["decision"]["skill"], "general");

    gw.until("bot silenced", |f| event(f, "bot_silenced")).await;
    let offer = agent.until("an offer", |f| agent_event(f, "offer")).await;
    let packet = &offer["event"]["packet"];
    assert_eq!(packet["conversation"], "c1");
    assert_eq!(packet["customer"]["id"], "cust-1");
    assert_eq!(packet["customer"]["tier"], "premium");
    assert_eq!(packet["reason"], "explicit_request");
    let said: Vec<&str> = packet["transcript"]
        .as_array()
        .expect("turns")
        .iter()
        .filter_map(|t| t["text"].as_str())
        .collect();
    assert_eq!(said, ["Where is my parcel?", "It ships tomorrow.", "I want to talk to a person"]);

    let ok = agent.request(json!({"type": "accept", "ref": "a1", "conversation": "c1"})).await;
    assert_eq!(ok["type"], "ok", "{ok}");
    let joined = gw.until("agent joined", |f| event(f, "agent_joined")).await;
    assert_eq!(
        (joined["conversation"].as_str(), joined["event"]["name"].as_str()),
        (Some("c1"), Some("Agent sam"))
    );

    let ok = agent
        .request(
            json!({"type": "message", "ref": "a2", "conversation": "c1", "text": "Hi, Sam here."}),
        )
        .await;
    assert_eq!(ok["type"], "ok", "{ok}");
    let said = gw.until("agent message", |f| event(f, "agent_message")).await;
    assert_eq!(said["event"]["text"], "Hi, Sam here.");
    gw.request(json!({"type": "customer_message", "ref": "m3", "conversation": "c1", "text": "Thanks, Sam!"})).await;
    let heard = agent.until("customer message", |f| agent_event(f, "customer_message")).await;
    assert_eq!(heard["event"]["text"], "Thanks, Sam!");

    let ok = agent.request(json!({"type": "feedback", "ref": "a3", "conversation": "c1", "verdict": "appropriate"})).await;
    assert_eq!(ok["type"], "ok", "{ok}");
    let closed =
        gw.request(json!({"type": "close", "ref": "x1", "conversation": "c1", "csat": 5})).await;
    assert_eq!(
        (closed["type"].as_str(), closed["state"].as_str()),
        (Some("ok"), Some("closed")),
        "{closed}"
    );
    let released = agent.until("released", |f| agent_event(f, "released")).await;
    assert_eq!(released["event"]["reason"], "closed");
    // An error, so the error series exists too.
    let error = gw.request(json!({"type": "close", "ref": "x2", "conversation": "c1"})).await;
    assert_eq!(error["code"], "conversation_finished", "{error}");

    // The exporter, once the sampler has seen the accepted offer.
    let mut body = String::new();
    for _ in 0..100 {
        let (status, text) = http_get(served.server.admin_addr, "/metrics").await;
        assert_eq!(status, 200);
        body = text;
        if body.lines().any(|l| {
            l.starts_with("baton_offers_total{outcome=\"accepted\"} ") && !l.ends_with(" 0")
        }) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for series in [
        "baton_decision_latency_seconds_bucket{le=\"0.000001\"}",
        "baton_decision_latency_seconds_count",
        "baton_messages_total{role=\"customer\"}",
        "baton_messages_total{role=\"agent\"}",
        "baton_decisions_total{outcome=\"escalate\"}",
        "baton_handoffs_total{reason=\"explicit_request\",topic=\"none\"}",
        "baton_queue_depth{skill=\"general\"}",
        "baton_queue_longest_wait_seconds{skill=\"general\"}",
        "baton_queue_expected_wait_seconds{skill=\"general\"}",
        "baton_agents{presence=\"available\"}",
        "baton_offers_total{outcome=\"accepted\"}",
        "baton_callbacks_offered_total",
        "baton_callbacks_accepted_total",
        "baton_abandonments_total",
        "baton_time_to_agent_seconds_count",
        "baton_connections{kind=\"gateway\"}",
        "baton_errors_total{code=\"conversation_finished\"}",
        "baton_actor_restarts_total{kind=\"conversation\"}",
        "baton_handoff_feedback_total{verdict=\"appropriate\",reason=\"explicit_request\"",
        "baton_conversations_total{",
        "baton_conversations_opened_total",
        "baton_sentiment_count{point=\"before_handoff\"}",
        "baton_live_conversations",
    ] {
        assert!(body.lines().any(|l| l.starts_with(series)), "/metrics lacks {series}:\n{body}");
    }
    assert!(body.contains("# HELP baton_decision_latency_seconds"), "metrics are described");
    // The exporter shows every series the dashboards and alerts use (the recorder is the
    // process's, so other tests' traffic counts too: this checks exposition, not this run).
    for name in baton_engine::telemetry::SERIES {
        let named = |l: &str| {
            l.strip_prefix(name).is_some_and(|rest| {
                rest.starts_with(['{', ' '])
                    || ["_bucket", "_sum", "_count"].iter().any(|s| rest.starts_with(s))
            })
        };
        assert!(body.lines().any(named), "/metrics lacks {name}:\n{body}");
    }
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_handoff_in_json() {
    handoff(Enc::Json).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_handoff_in_messagepack() {
    handoff(Enc::MsgPack).await;
}

async fn bad_input(enc: Enc) {
    let mut config = Config::default();
    config.server.max_frame_bytes = 2048;
    config.server.max_text_bytes = 1024;
    let served = serve_with(config).await;
    let mut gw = Client::gateway(&served, enc).await;
    let alive = |reply: &Value| assert_eq!(reply["type"], "pong", "{reply}");

    // Not a frame at all, in either encoding: no ref to echo.
    gw.send_raw(Message::text("{this is not json")).await;
    let e = gw.recv().await;
    assert_eq!((e["type"].as_str(), e["code"].as_str()), (Some("error"), Some("malformed")), "{e}");
    gw.send_raw(Message::binary(vec![0xc1, 0x00])).await;
    assert_eq!(gw.recv().await["code"], "malformed");
    alive(&gw.request(json!({"type": "ping", "ref": "p1"})).await);

    let e = gw.request(json!({"type": "teleport", "ref": "r1"})).await;
    assert_eq!(e["code"], "unknown_type", "{e}");
    let e = gw.request(json!({"type": "open", "ref": "r2", "conversation": "c1"})).await;
    assert_eq!(e["code"], "malformed", "missing field: {e}");
    let e = gw.request(json!({"type": "ping", "ref": "r3", "surprise": 1})).await;
    assert_eq!(e["code"], "malformed", "unknown field: {e}");
    let e = gw.request(json!({"type": 7, "ref": "r4"})).await;
    assert_eq!(e["code"], "malformed", "{e}");

    // Oversized: the whole frame, then a text within a frame.
    gw.send(json!({"type": "ping", "ref": "big", "pad": "x".repeat(4000)})).await;
    let e = gw.recv().await;
    assert_eq!(e["code"], "frame_too_large", "{e}");
    gw.request(json!({"type": "open", "ref": "o1", "conversation": "c1", "customer": "u1"})).await;
    let long = json!({"type": "customer_message", "ref": "r5", "conversation": "c1", "text": "a".repeat(1500)});
    let e = gw.request(long).await;
    assert_eq!(
        (e["code"].as_str(), e["conversation"].as_str()),
        (Some("text_too_long"), Some("c1")),
        "{e}"
    );

    // Invalid UTF-8 inside a binary frame's string (MessagePack {"type": "\xff"}), and in JSON
    // sent as bytes.
    gw.send_raw(Message::binary(vec![0x81, 0xa4, b't', b'y', b'p', b'e', 0xa1, 0xff])).await;
    assert_eq!(gw.recv().await["code"], "invalid_utf8");
    gw.send_raw(Message::binary(b"{\"type\":\"ping\",\"ref\":\"\xff\"}".to_vec())).await;
    assert_eq!(gw.recv().await["code"], "invalid_utf8");

    // Conversations that do not exist, exist already, or are not there yet.
    let e = gw
        .request(json!({"type": "open", "ref": "r6", "conversation": "c1", "customer": "u1"}))
        .await;
    assert_eq!(e["code"], "duplicate_conversation", "{e}");
    let e = gw
        .request(
            json!({"type": "customer_message", "ref": "r7", "conversation": "nope", "text": "hi"}),
        )
        .await;
    assert_eq!(
        (e["code"].as_str(), e["conversation"].as_str()),
        (Some("unknown_conversation"), Some("nope"))
    );
    let e = gw
        .request(json!({"type": "open", "ref": "r8", "conversation": "", "customer": "u1"}))
        .await;
    assert_eq!(e["code"], "invalid_input", "{e}");
    // Out of order: a callback nobody offered, asking for a human twice.
    let e = gw.request(json!({"type": "accept_callback", "ref": "r9", "conversation": "c1"})).await;
    assert_eq!(e["code"], "illegal_transition", "{e}");
    let ok = gw.request(json!({"type": "ask_for_human", "ref": "r10", "conversation": "c1"})).await;
    assert_eq!(ok["state"], "queued", "{ok}");
    let e = gw.request(json!({"type": "ask_for_human", "ref": "r11", "conversation": "c1"})).await;
    assert_eq!(e["code"], "illegal_transition", "{e}");

    // Agents acting out of order.
    let (mut agent, _) =
        Client::agent(&served, &token(&served, "ann", &[("billing", 3)], &[]), enc).await;
    let e = agent.request(json!({"type": "accept", "ref": "g1", "conversation": "c1"})).await;
    assert_eq!(e["code"], "no_such_offer", "{e}");
    let e = agent.request(json!({"type": "wrap_up", "ref": "g2", "conversation": "c1"})).await;
    assert_eq!(e["code"], "not_assigned", "{e}");
    let e =
        agent.request(json!({"type": "presence", "ref": "g3", "presence": "on_the_moon"})).await;
    assert_eq!(e["code"], "malformed", "{e}");

    // Every connection stayed usable.
    alive(&gw.request(json!({"type": "ping", "ref": "p2"})).await);
    alive(&agent.request(json!({"type": "ping", "ref": "p3"})).await);
    assert_eq!(served.engine.conversation_state("c1"), Some(State::Queued));
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_error_frames_in_json() {
    bad_input(Enc::Json).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_error_frames_in_messagepack() {
    bad_input(Enc::MsgPack).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_frame_that_is_not_utf8_closes_with_1007_and_abuse_with_4001() {
    let mut config = Config::default();
    config.server.error_budget = 5;
    let served = serve_with(config).await;
    let mut other = Client::gateway(&served, Enc::Json).await;

    // A text frame must be UTF-8 (RFC 6455); the client library refuses to send one, so
    // the frame is written by hand: FIN + text, masked, 1-byte payload 0xff.
    let mut raw = TcpStream::connect(served.server.addr).await.expect("connect");
    let key = &served.config.server.api_keys[0];
    let upgrade = format!(
        "GET /v1/gateway HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Protocol: baton.v1.json\r\nAuthorization: Bearer {key}\r\n\r\n"
    );
    raw.write_all(upgrade.as_bytes()).await.expect("upgrade");
    raw.write_all(&[0x81, 0x81, 0, 0, 0, 0, 0xff]).await.expect("frame");
    let mut seen = Vec::new();
    let _ = tokio::time::timeout(WAIT, raw.read_to_end(&mut seen)).await.expect("closed in time");
    let seen = String::from_utf8_lossy(&seen);
    assert!(seen.contains("101 Switching Protocols"), "{seen}");
    assert!(seen.contains("\"code\":\"invalid_utf8\""), "an error frame first: {seen}");
    // The close frame: 0x88, length, then the code 1007 (0x03 0xEF).
    assert!(seen.as_bytes().windows(2).any(|w| w == [0x03, 0xef]), "closed with 1007");

    // Persistent abuse: the sixth error within the window closes with 4001.
    let mut abuser = Client::gateway(&served, Enc::Json).await;
    for i in 0..6 {
        abuser.send(json!({"type": "nonsense", "ref": i.to_string()})).await;
    }
    assert_eq!(abuser.closed_with().await, Some(4001));
    // Everyone else is served.
    assert_eq!(other.request(json!({"type": "ping", "ref": "p"})).await["type"], "pong");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_clients_are_refused() {
    let served = serve().await;
    let refused = |result: Result<Client, tungstenite::Error>| match result {
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("connected without valid credentials"),
    };
    let gateway = served.url("/v1/gateway");
    assert_eq!(refused(Client::connect(&gateway, None, Enc::Json).await), 401);
    assert_eq!(refused(Client::connect(&gateway, Some("wrong-key-123"), Enc::Json).await), 401);
    // An agent token is not a gateway key, and a gateway key is not an agent token.
    let good = token(&served, "sam", &[("general", 3)], &[]);
    assert_eq!(refused(Client::connect(&gateway, Some(&good), Enc::Json).await), 401);
    let agent = served.url("/v1/agent");
    let key = served.config.server.api_keys[0].clone();
    assert_eq!(refused(Client::connect(&agent, Some(&key), Enc::Json).await), 401);
    assert_eq!(refused(Client::connect(&agent, None, Enc::Json).await), 401);

    let claims = |exp| auth::AgentClaims {
        agent: "sam".into(),
        name: String::new(),
        team: String::new(),
        skills: vec![("general".into(), 3)],
        capacity: 1,
        clearances: vec![],
        exp,
    };
    let expired = auth::mint(&claims(auth::unix_now_s() - 1), &served.config.server.token_secret);
    assert_eq!(refused(Client::connect(&agent, Some(&expired), Enc::Json).await), 401);
    let wrong_secret = auth::mint(&claims(auth::unix_now_s() + 60), "someone-elses-secret");
    assert_eq!(refused(Client::connect(&agent, Some(&wrong_secret), Enc::Json).await), 401);
    // A valid signature over claims with more skills than granted is a forgery.
    let (body, signature) = good.split_once('.').expect("token");
    let mut forged = claims(auth::unix_now_s() + 60);
    forged.skills.push(("legal".into(), 5));
    let forged_body = auth::mint(&forged, "x").split_once('.').expect("token").0.to_owned();
    assert_ne!(forged_body, body);
    let forged = format!("{forged_body}.{signature}");
    assert_eq!(refused(Client::connect(&agent, Some(&forged), Enc::Json).await), 401);
    assert!(served.engine.agents().is_empty(), "nobody logged in");

    // Credentials in the query string work for browsers.
    let mut client =
        Client::connect(&format!("{gateway}?key={key}"), None, Enc::Json).await.expect("query key");
    assert_eq!(client.recv().await["type"], "hello");
    let mut client = Client::connect(&format!("{agent}?token={good}"), None, Enc::MsgPack)
        .await
        .expect("query token");
    assert_eq!(client.recv().await["role"], "agent");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_see_and_act_on_their_own_conversations_only() {
    let served = serve().await;
    let (mut sam, _) =
        Client::agent(&served, &token(&served, "sam", &[("general", 5)], &[]), Enc::Json).await;
    let mut gw = Client::gateway(&served, Enc::Json).await;
    gw.request(json!({"type": "open", "ref": "o", "conversation": "c1", "customer": "u1"})).await;
    gw.request(json!({"type": "customer_message", "ref": "m", "conversation": "c1", "text": "get me a human agent"}))
        .await;
    sam.until("offer", |f| agent_event(f, "offer")).await;
    sam.request(json!({"type": "accept", "ref": "a", "conversation": "c1"})).await;
    let transcript =
        sam.request(json!({"type": "transcript", "ref": "t", "conversation": "c1"})).await;
    assert_eq!(transcript["type"], "transcript", "{transcript}");
    assert_eq!(transcript["turns"][0]["text"], "get me a human agent");

    // Eve has the skill, but c1 is Sam's.
    let (mut eve, state) =
        Client::agent(&served, &token(&served, "eve", &[("general", 5)], &[]), Enc::Json).await;
    assert_eq!(state["conversations"], json!([]));
    for (kind, code) in [
        ("transcript", "not_assigned"),
        ("message", "not_assigned"),
        ("close", "not_assigned"),
        ("wrap_up", "not_assigned"),
        ("hand_back", "not_assigned"),
        ("feedback", "not_assigned"),
        ("accept", "no_such_offer"),
        ("decline", "no_such_offer"),
    ] {
        let mut request = json!({"type": kind, "ref": kind, "conversation": "c1"});
        if kind == "message" {
            request["text"] = json!("let me see");
        }
        if kind == "feedback" {
            request["verdict"] = json!("late");
        }
        let e = eve.request(request).await;
        assert_eq!(
            (e["type"].as_str(), e["code"].as_str()),
            (Some("error"), Some(code)),
            "{kind}: {e}"
        );
        assert!(e.get("turns").is_none());
    }
    // Eve heard nothing of c1; the customer heard nothing from Eve.
    gw.request(json!({"type": "customer_message", "ref": "m2", "conversation": "c1", "text": "my secret is 1234"})).await;
    sam.until("customer message", |f| agent_event(f, "customer_message")).await;
    let pong = eve.request(json!({"type": "ping", "ref": "p"})).await;
    assert_eq!(pong["type"], "pong");
    assert_eq!(served.engine.conversation_state("c1"), Some(State::Assigned));

    // A sensitive topic goes to a cleared agent only.
    let (mut kim, _) = Client::agent(
        &served,
        &token(&served, "kim", &[("security", 2)], &["account_security"]),
        Enc::Json,
    )
    .await;
    let (mut lee, _) =
        Client::agent(&served, &token(&served, "lee", &[("security", 5)], &[]), Enc::Json).await;
    gw.request(json!({"type": "open", "ref": "o2", "conversation": "c2", "customer": "u2"})).await;
    let d = gw.request(json!({"type": "customer_message", "ref": "m3", "conversation": "c2", "text": "my account was hacked"})).await;
    assert_eq!(d["decision"]["topic"], "account_security", "{d}");
    let offer = kim.until("offer", |f| agent_event(f, "offer")).await;
    assert_eq!(offer["event"]["conversation"], "c2");
    kim.request(json!({"type": "decline", "ref": "k", "conversation": "c2"})).await;
    // Give routing every chance to (wrongly) offer it to Lee.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let e = lee.request(json!({"type": "transcript", "ref": "l", "conversation": "c2"})).await;
    assert_eq!(e["code"], "not_assigned");
    // Everything Lee received so far: the reply to its request, nothing of c2.
    lee.send(json!({"type": "ping", "ref": "end"})).await;
    let frame = lee.recv().await;
    assert_eq!(frame["type"], "pong", "Lee got nothing but its pong: {frame}");
    assert!(served.engine.agent_view("lee").expect("lee").offers.is_empty());
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_consumer_is_cut_off_alone_and_can_resume() {
    let mut config = Config::default();
    config.server.outbound_buffer = 4;
    let served = serve_with(config).await;
    let mut fast = Client::gateway(&served, Enc::Json).await;
    let mut slow = Client::gateway(&served, Enc::Json).await;
    slow.request(json!({"type": "open", "ref": "o", "conversation": "c1", "customer": "u1"})).await;
    let before = served.server.open_connections();

    // The slow client writes and never reads: its replies fill the socket, then the buffer.
    let pad = "p".repeat(8000);
    let (mut sink, _stream) = slow.ws.split();
    let mut sent = 0;
    for _ in 0..50_000 {
        if sink.send(Message::text(json!({"type": "ping", "ref": pad}).to_string())).await.is_err()
        {
            break;
        }
        sent += 1;
        if sent % 100 == 0 && served.server.open_connections() < before {
            break;
        }
    }
    let mut cut_off = false;
    for _ in 0..200 {
        if served.server.open_connections() < before {
            cut_off = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(cut_off, "the slow client was disconnected (after {sent} frames)");

    // Nobody else noticed; the conversation is as it was, and a new connection resumes it.
    assert_eq!(fast.request(json!({"type": "ping", "ref": "p"})).await["type"], "pong");
    assert_eq!(served.engine.conversation_state("c1"), Some(State::Bot));
    let mut again = Client::gateway(&served, Enc::Json).await;
    let state = again.request(json!({"type": "resume", "ref": "r", "conversations": ["c1"]})).await;
    assert_eq!(state["conversations"][0]["state"], "bot", "{state}");
    let d = again
        .request(json!({"type": "customer_message", "ref": "m", "conversation": "c1", "text": "still there?"}))
        .await;
    assert_eq!(d["type"], "decision");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnecting_clients_resume_and_miss_nothing() {
    let served = serve().await;
    let sam_token = token(&served, "sam", &[("general", 3)], &[]);
    let (mut sam, _) = Client::agent(&served, &sam_token, Enc::MsgPack).await;
    let mut gw = Client::gateway(&served, Enc::MsgPack).await;
    gw.request(json!({"type": "open", "ref": "o", "conversation": "c1", "customer": "u1"})).await;
    gw.request(json!({"type": "customer_message", "ref": "m", "conversation": "c1", "text": "get me a human agent"}))
        .await;
    sam.until("offer", |f| agent_event(f, "offer")).await;

    // The gateway goes away; meanwhile Sam accepts and writes.
    drop(gw);
    sam.request(json!({"type": "accept", "ref": "a", "conversation": "c1"})).await;
    sam.request(
        json!({"type": "message", "ref": "b", "conversation": "c1", "text": "Hello from Sam"}),
    )
    .await;
    let mut gw = Client::gateway(&served, Enc::MsgPack).await;
    let state =
        gw.request(json!({"type": "resume", "ref": "r", "conversations": ["c1", "ghost"]})).await;
    let c1 = &state["conversations"][0];
    assert_eq!(c1["state"], "assigned", "{state}");
    let said: Vec<&str> =
        c1["turns"].as_array().expect("turns").iter().filter_map(|t| t["text"].as_str()).collect();
    assert_eq!(
        said,
        ["get me a human agent", "Hello from Sam"],
        "what was missed is in the transcript"
    );
    assert_eq!(
        state["conversations"].as_array().map(Vec::len),
        Some(1),
        "the unknown one is not listed as a state"
    );
    assert_eq!(
        state["errors"],
        json!([{"conversation": "ghost", "code": "unknown_conversation",
                "message": "unknown conversation \"ghost\""}]),
        "the unknown one is named, with its code: {state}"
    );
    // Events flow again after the resume.
    sam.request(json!({"type": "message", "ref": "c", "conversation": "c1", "text": "Still here"}))
        .await;
    let said = gw.until("agent message", |f| event(f, "agent_message")).await;
    assert_eq!(said["event"]["text"], "Still here");

    // Sam's desktop drops and comes back within the grace period: same conversations, and
    // available again.
    drop(sam);
    for _ in 0..200 {
        if served
            .engine
            .agent_view("sam")
            .is_some_and(|v| v.presence == baton_engine::routing::Presence::Away)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    gw.request(
        json!({"type": "customer_message", "ref": "m2", "conversation": "c1", "text": "hello?"}),
    )
    .await;
    let (mut sam, state) = Client::agent(&served, &sam_token, Enc::MsgPack).await;
    assert_eq!(state["conversations"], json!([{"conversation": "c1", "state": "assigned"}]));
    assert_eq!(
        served.engine.agent_view("sam").expect("sam").presence,
        baton_engine::routing::Presence::Available
    );
    let transcript =
        sam.request(json!({"type": "transcript", "ref": "t", "conversation": "c1"})).await;
    assert_eq!(
        transcript["turns"].as_array().and_then(|t| t.last()).map(|t| t["text"].clone()),
        Some(json!("hello?"))
    );

    // A second desktop for the same agent replaces the first (4002).
    let (mut second, _) = Client::agent(&served, &sam_token, Enc::Json).await;
    assert_eq!(sam.closed_with().await, Some(4002));
    assert_eq!(second.request(json!({"type": "ping", "ref": "p"})).await["type"], "pong");

    // Logging out ends the session at once: the conversation goes back to the queue.
    assert_eq!(second.request(json!({"type": "logout", "ref": "bye"})).await["type"], "ok");
    assert_eq!(second.closed_with().await, Some(1000));
    assert!(served.engine.agents().is_empty());
    let state = gw.request(json!({"type": "resume", "ref": "r2", "conversations": ["c1"]})).await;
    assert_eq!(state["conversations"][0]["state"], "queued", "{state}");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_tells_connected_clients() {
    let served = serve().await;
    assert_eq!(http_get(served.server.addr, "/healthz").await, (200, "ok".into()));
    assert_eq!(http_get(served.server.addr, "/readyz").await.0, 200);
    let (mut agent, _) =
        Client::agent(&served, &token(&served, "sam", &[("general", 3)], &[]), Enc::Json).await;
    let mut gw = Client::gateway(&served, Enc::MsgPack).await;
    gw.request(json!({"type": "open", "ref": "o", "conversation": "c1", "customer": "u1"})).await;
    let addr = served.server.addr;
    let Served { engine, server, .. } = served;
    let stopping = tokio::spawn(server.shutdown());
    assert_eq!(gw.closed_with().await, Some(1001));
    assert_eq!(agent.closed_with().await, Some(1001));
    tokio::time::timeout(WAIT, stopping).await.expect("shut down in time").expect("shutdown task");
    assert!(TcpStream::connect(addr).await.is_err(), "no longer accepting");
    // The conversation is intact in the engine.
    assert_eq!(engine.conversation_state("c1"), Some(State::Bot));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_in_credentials_never_leave_loopback() {
    let mut config = Config::default();
    config.server.listen = "0.0.0.0:0".into();
    config.server.admin_listen = "127.0.0.1:0".into();
    let engine = Engine::start(config.clone()).await.expect("engine");
    let refused =
        server::start(engine.clone(), config.server.clone(), baton_engine::telemetry::install())
            .await;
    let message = refused.expect_err("refused").to_string();
    assert!(message.contains("loopback"), "{message}");
    config.server.api_keys = vec!["a-real-secret-key".into()];
    config.server.token_secret = "a-real-token-secret-of-some-length".into();
    let server =
        server::start(engine.clone(), config.server.clone(), baton_engine::telemetry::install())
            .await;
    server.expect("serves with real credentials").shutdown().await;
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admission_control_answers_overloaded_with_a_retry_hint() {
    let mut config = Config::default();
    config.engine.max_live_conversations = 2;
    let served = serve_with(config).await;
    let mut gw = Client::gateway(&served, Enc::MsgPack).await;
    for id in ["c1", "c2"] {
        let ok = gw
            .request(json!({"type": "open", "ref": id, "conversation": id, "customer": "u"}))
            .await;
        assert_eq!(ok["type"], "ok", "{ok}");
    }
    let e = gw
        .request(json!({"type": "open", "ref": "c3", "conversation": "c3", "customer": "u"}))
        .await;
    assert_eq!(e["code"], "overloaded", "{e}");
    assert!(e["retry_after_ms"].as_u64().is_some_and(|ms| ms > 0), "{e}");
    // The conversations already accepted carry on.
    let d = gw
        .request(
            json!({"type": "customer_message", "ref": "m", "conversation": "c1", "text": "hello"}),
        )
        .await;
    assert_eq!(d["type"], "decision");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_the_engine_will_not_log_in_is_told_why() {
    let served = serve().await;
    // Signed correctly, but proficiency 9 is outside 1..=5.
    let bad = token(&served, "sam", &[("general", 9)], &[]);
    let mut client =
        Client::connect(&served.url("/v1/agent"), Some(&bad), Enc::Json).await.expect("upgrade");
    let e = client.recv().await;
    assert_eq!(
        (e["type"].as_str(), e["code"].as_str()),
        (Some("error"), Some("invalid_input")),
        "{e}"
    );
    assert_eq!(client.closed_with().await, Some(1008));
    assert!(served.engine.agents().is_empty());
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_pushes_customer_attributes() {
    let served = serve().await;
    let mut gw = Client::gateway(&served, Enc::MsgPack).await;
    let ok = gw
        .request(json!({"type": "customer_attributes", "ref": "a1", "customer": "cust-77",
                        "attributes": {"plan": "business", "customer_since": "2019-04"}}))
        .await;
    assert_eq!(ok["type"], "ok", "{ok}");
    assert!(ok.get("conversation").is_none(), "{ok}");
    let attributes = served.engine.customer_profile("cust-77").attributes;
    assert_eq!(attributes.get("plan").map(String::as_str), Some("business"));
    let e = gw
        .request(json!({"type": "customer_attributes", "ref": "a2", "customer": "cust-77",
                        "attributes": {"": "nameless"}}))
        .await;
    assert_eq!((e["type"].as_str(), e["code"].as_str()), (Some("error"), Some("invalid_input")));
    served.stop().await;
}
