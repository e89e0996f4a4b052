//! The audit trail and retention: logins and logouts, every packet and transcript an agent
//! receives (with whether it was redacted), refused credentials and actions are recorded;
//! `baton audit` reads them from the running server or from the directory once it is
//! stopped; a sweep removes finished conversations and old audit records, nothing live.

use std::sync::Arc;

use baton_engine::engine::{Engine, OpenConversation, State};
use baton_engine::journal::{
    AuditFilter, AuditKind, AuditRecord, Backend, Journal, MemoryBackend, Space, sweep,
};
use serde_json::{Value, json};

use crate::durable::{TempDir, serve_on};
use crate::ws::{Client, Enc, agent_event, token};

fn kinds(records: &[AuditRecord]) -> Vec<(AuditKind, String, Option<String>, Option<bool>)> {
    records.iter().map(|r| (r.kind, r.actor.clone(), r.conversation.clone(), r.redacted)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_trail_records_who_received_what_and_who_was_refused() {
    let dir = TempDir::new("audit");
    let served = serve_on(&dir, 30).await;
    let since = baton_engine::server::auth::unix_now_s().saturating_sub(1) * 1000;
    // Refused: a gateway with a wrong key, a desktop with a forged token.
    assert!(
        Client::connect(&served.url("/v1/gateway"), Some("wrong-key"), Enc::Json).await.is_err()
    );
    assert!(
        Client::connect(&served.url("/v1/agent"), Some("forged.token"), Enc::Json).await.is_err()
    );
    let sam_token = token(&served, "sam", &[("general", 3)], &[]);
    let (mut sam, _) = Client::agent(&served, &sam_token, Enc::Json).await;
    let mut gw = Client::gateway(&served, Enc::Json).await;
    for conv in ["c1", "c2"] {
        gw.request(json!({"type": "open", "ref": "o", "conversation": conv, "customer": conv}))
            .await;
    }
    gw.request(json!({"type": "customer_message", "ref": "m", "conversation": "c1", "text": "my card is 4111 1111 1111 1111, get me a human agent"}))
        .await;
    sam.until("offer", |f| agent_event(f, "offer")).await;
    let transcript =
        sam.request(json!({"type": "transcript", "ref": "t", "conversation": "c1"})).await;
    assert_eq!(transcript["type"], "transcript", "{transcript}");
    // Not Sam's: refused, and recorded.
    let refused =
        sam.request(json!({"type": "transcript", "ref": "x", "conversation": "c2"})).await;
    assert_eq!(refused["code"], "not_assigned", "{refused}");
    assert_eq!(sam.request(json!({"type": "logout", "ref": "bye"})).await["type"], "ok");

    let trail =
        served.engine.audit_trail(AuditFilter { since_ms: since, ..Default::default() }).await;
    let trail = trail.expect("the trail reads");
    let c1 = Some("c1".to_owned());
    assert_eq!(
        kinds(&trail),
        vec![
            (AuditKind::AuthRefused, "gateway".into(), None, None),
            (AuditKind::AuthRefused, "agent".into(), None, None),
            (AuditKind::AgentLogin, "sam".into(), None, None),
            (AuditKind::PacketDelivered, "sam".into(), c1.clone(), Some(true)),
            (AuditKind::TranscriptDelivered, "sam".into(), c1.clone(), Some(true)),
            (AuditKind::AuthRefused, "sam".into(), Some("c2".into()), None),
            (AuditKind::AgentLogout, "sam".into(), None, None),
        ],
        "{trail:#?}"
    );
    assert!(trail.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "oldest first");
    assert!(!trail.iter().any(|r| r.detail.contains("wrong-key")), "no credential is recorded");

    // `baton audit` while the server holds the directory: read over its admin endpoint.
    let dir_arg = dir.0.display().to_string();
    let admin = served.server.admin_addr.to_string();
    let args = ["audit", "--data-dir", &dir_arg, "--admin", &admin, "--conversation", "c1"];
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        crate::cli::baton(&args, b"")
    })
    .await
    .expect("baton audit");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let seen: Vec<&str> = lines.iter().filter_map(|l| l["kind"].as_str()).collect();
    assert_eq!(seen, ["packet_delivered", "transcript_delivered"], "{}", out.stdout);
    drop((sam, gw));
    served.stop().await;

    // Stopped: read from the directory itself, filtered by agent and time.
    let out = crate::cli::baton(
        &["audit", "--data-dir", &dir_arg, "--agent", "sam", "--since", "1h"],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let seen: Vec<Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(seen.len(), 5, "{}", out.stdout);
    assert!(seen.iter().all(|l| l["actor"] == "sam"));
    let future = crate::cli::baton(
        &["audit", "--data-dir", &dir_arg, "--since", "2999-01-01T00:00:00Z"],
        b"",
    );
    assert_eq!((future.code, future.stdout.as_str()), (0, ""));
    let missing = crate::cli::baton(&["audit", "--data-dir", "/nonexistent/baton"], b"");
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no data directory"), "{}", missing.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_removes_finished_conversations_and_old_audit_records_only() {
    let backend = Arc::new(MemoryBackend::new());
    let config = baton_engine::config::Config::default();
    let engine = Engine::start_on(config.clone(), backend.clone()).await.expect("starts");
    for id in ["done", "live"] {
        engine.open(OpenConversation::new(id, id)).expect("open");
        engine.customer_message(id, "hello, my order is late").expect("message");
    }
    assert_eq!(engine.close("done", "resolved", None).await, Ok(State::Closed));
    engine.audit_config_loaded("test", "0").await.expect("recorded");
    // Within the retention times, a sweep removes nothing.
    assert_eq!(engine.sweep_now().await.expect("sweeps"), Default::default());
    engine.shutdown().await;
    assert_eq!(backend.scan(Space::Conversations, &[]).expect("scan").len(), 2);

    // A sweep with every cut-off in the future: the finished one goes, record, turns and
    // index; the live one stays whole.
    let journal = Journal::start(backend.clone());
    let swept = sweep(&*backend, &journal, Some(u64::MAX), Some(u64::MAX)).expect("sweeps");
    journal.close();
    assert_eq!((swept.conversations, swept.turns, swept.audit), (1, 1, 1));
    let ids: Vec<Vec<u8>> = backend
        .scan(Space::Conversations, &[])
        .expect("scan")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(ids, vec![b"live".to_vec()]);
    assert!(backend.scan(Space::Turns, b"done\0").expect("scan").is_empty());
    assert_eq!(backend.scan(Space::Turns, b"live\0").expect("scan").len(), 1);
    assert!(backend.scan(Space::Finished, &[]).expect("scan").is_empty());
    assert!(backend.scan(Space::Audit, &[]).expect("scan").is_empty());

    let engine = Engine::start_on(config, backend.clone()).await.expect("starts again");
    assert_eq!((engine.recovered().conversations, engine.recovered().finished), (1, 0));
    assert_eq!(engine.conversation_state("live"), Some(State::Bot));
    engine.shutdown().await;
}
