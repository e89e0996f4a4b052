//! `baton serve` over real WebSockets on loopback, with clients written against PROTOCOL.md:
//! a whole handoff in both encodings, agents kept to their own conversations, reconnecting,
//! graceful shutdown, admission control and the Prometheus exporter. Real time (sockets do
//! not run on paused time); every wait is bounded.

use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{Engine, State};
use baton_engine::server::{self};
use serde_json::json;
use tokio::net::TcpStream;

use crate::ws::*;

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
