//! The floor under `baton serve`'s network path: a bare axum 0.8 WebSocket server on the same
//! stack (tokio's multi-threaded runtime, hyper, tungstenite, TCP_NODELAY) that answers the
//! gateway frames `ws_rtt` sends — `open` and `customer_message` — with fixed replies shaped
//! like Baton's (PROTOCOL.md §4–5: `hello` on connect, `ok` with `state: "bot"`, `decision`),
//! and no engine behind them. Whatever `baton serve` spends per message beyond this server is
//! Baton's own.
//!
//! ```text
//! cargo run --release -p baton-benches --example bare_ws -- --listen 127.0.0.1:7879 &
//! cargo run --release -p baton-benches --example ws_rtt -- rtt --url ws://127.0.0.1:7879 \
//!     --rate 1000 --seconds 10 --pid $(pgrep -f 'examples/bare_ws')
//! ```
//!
//! `benches/net_floor.sh` runs both servers side by side and measures them alternately (see
//! `ws_rtt`'s documentation). Requests are parsed (JSON text frames, MessagePack binary
//! frames) so that the reply can carry the request's `ref` and conversation, as Baton's does;
//! no credentials are checked.

#![allow(clippy::print_stdout)]

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use axum::serve::ListenerExt;
use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};

/// The fields of a request the replies need.
#[derive(Deserialize)]
struct Request {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "ref", default)]
    reference: Option<String>,
    #[serde(default)]
    conversation: Option<String>,
}

#[derive(Serialize)]
struct Sentiment {
    last: f64,
    ewma: f64,
    min: f64,
    trend: f64,
}

#[derive(Serialize)]
struct DecisionBody {
    escalate: bool,
    reason: Option<&'static str>,
    fired: [&'static str; 0],
    topic: Option<&'static str>,
    skill: Option<&'static str>,
    priority: Option<u8>,
    sentiment: Sentiment,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Reply {
    Hello {
        protocol: &'static str,
        encoding: &'static str,
        role: &'static str,
    },
    Ok {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        conversation: Option<String>,
        state: &'static str,
    },
    Decision {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        conversation: Option<String>,
        decision: DecisionBody,
    },
    Error {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        code: &'static str,
        message: &'static str,
    },
}

fn answer(request: Request) -> Reply {
    let Request { kind, reference, conversation } = request;
    match kind.as_str() {
        "open" => Reply::Ok { reference, conversation, state: "bot" },
        "customer_message" => Reply::Decision {
            reference,
            conversation,
            decision: DecisionBody {
                escalate: false,
                reason: None,
                fired: [],
                topic: None,
                skill: None,
                priority: None,
                sentiment: Sentiment { last: 0.0, ewma: 0.0, min: 0.0, trend: 0.0 },
            },
        },
        _ => Reply::Error {
            reference,
            code: "unknown_type",
            message: "the bare server answers open and customer_message",
        },
    }
}

fn encode(reply: &Reply, msgpack: bool) -> Option<Message> {
    if msgpack {
        rmp_serde::to_vec_named(reply).ok().map(|b| Message::Binary(b.into()))
    } else {
        serde_json::to_string(reply).ok().map(|s| Message::Text(s.into()))
    }
}

async fn serve(socket: WebSocket, msgpack: bool) {
    let (mut sink, mut stream) = socket.split();
    let encoding = if msgpack { "msgpack" } else { "json" };
    let hello = Reply::Hello { protocol: "baton.v1", encoding, role: "gateway" };
    if let Some(hello) = encode(&hello, msgpack)
        && sink.send(hello).await.is_err()
    {
        return;
    }
    while let Some(Ok(message)) = stream.next().await {
        let request: Option<Request> = match &message {
            Message::Text(text) => serde_json::from_str(text).ok(),
            Message::Binary(bytes) => rmp_serde::from_slice(bytes).ok(),
            Message::Close(_) => break,
            _ => continue,
        };
        let reply = match request {
            Some(request) => answer(request),
            None => Reply::Error { reference: None, code: "malformed", message: "not a frame" },
        };
        if let Some(reply) = encode(&reply, msgpack)
            && sink.send(reply).await.is_err()
        {
            break;
        }
    }
}

async fn upgrade(ws: WebSocketUpgrade) -> Response {
    let ws = ws.protocols(["baton.v1.json", "baton.v1.msgpack"]);
    let msgpack = ws.selected_protocol().is_some_and(|p| p == "baton.v1.msgpack");
    ws.on_upgrade(move |socket| serve(socket, msgpack))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut listen = "127.0.0.1:7879".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--listen", Some(addr)) => listen = addr,
            _ => panic!("usage: bare_ws [--listen ADDR]"),
        }
    }
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("bare_ws serving on ws://{}/v1/gateway", listener.local_addr()?);
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app = Router::new().route("/v1/gateway", get(upgrade));
    axum::serve(listener, app).await
}
