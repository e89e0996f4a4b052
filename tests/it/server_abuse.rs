//! `baton serve` against bad clients, over real WebSockets on loopback: malformed and
//! oversized frames in both encodings, invalid UTF-8, error budgets, missing or wrong
//! credentials, and a client that stops reading.

use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::State;
use baton_engine::server::auth;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::ws::*;

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
