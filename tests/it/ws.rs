//! The test client of `baton serve`: a server on loopback ports with the built-in
//! credentials, a WebSocket client in either encoding that keeps frames overtaking a reply
//! (PROTOCOL.md §12), agent tokens, and a bare HTTP GET.

use std::collections::VecDeque;
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::Engine;
use baton_engine::server::{self, RunningServer, auth};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Longest any single frame is waited for (generous: the machine is shared).
pub const WAIT: Duration = Duration::from_secs(20);

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
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
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
