//! The journal: an engine started again on the same data directory finds every conversation
//! where it was, with its transcript, and every waiting customer at their place with their
//! original enqueue time; a second engine cannot open a directory in use.
//!
//! Real time (not tokio's paused clock): the journal's writer is an OS thread, and a paused
//! clock would jump to the calls' timeouts while the runtime waits on it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{ConversationEvent, Engine, OpenConversation, Role, State};
use baton_engine::journal::{Backend, MemoryBackend, Op, Records, Space, StoreError};
use baton_engine::routing::Presence;

use crate::engine::{login, settle};

/// A fresh directory under the system's temporary folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("baton-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn config(dir: &TempDir) -> Config {
    let mut config = Config::default();
    config.store.data_dir = Some(dir.0.clone());
    config
}

async fn start(dir: &TempDir) -> Engine {
    Engine::start(config(dir)).await.expect("engine starts on the data directory")
}

/// One conversation as it must survive: id, state, transcript.
type Picture = (String, Option<State>, Vec<(Role, String)>);

/// What must survive, per conversation.
fn picture(engine: &Engine, ids: &[String]) -> Vec<Picture> {
    ids.iter()
        .map(|id| {
            let turns = engine.transcript(id).unwrap_or_default();
            let turns = turns.into_iter().map(|t| (t.role, t.text)).collect();
            (id.clone(), engine.conversation_state(id), turns)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_finds_every_conversation_and_every_waiting_customer_in_place() {
    let dir = TempDir::new("restart");
    let engine = start(&dir).await;
    let ids: Vec<String> = (0..40).map(|n| format!("c{n}")).collect();
    for (n, id) in ids.iter().enumerate() {
        engine.open(OpenConversation::new(id, format!("cust-{n}"))).expect("open");
        engine.customer_message(id, "hello, my order is late").expect("message");
        if n % 2 == 0 {
            // Half ask for a person: nobody is logged in, so they wait.
            engine.customer_message(id, "I want to talk to a human agent").expect("message");
        } else {
            let reply = baton_engine::engine::BotReply::new("Let me check that for you.", 0.9);
            engine.bot_reply(id, reply).expect("bot reply");
        }
    }
    settle(&engine).await;
    let queue = engine.queue_view("general").expect("queue");
    assert_eq!(queue.waiting.len(), 20);
    let before = picture(&engine, &ids);
    let waits: Vec<_> =
        queue.waiting.iter().map(|id| engine.waiting(id).expect("waiting")).collect();
    engine.shutdown().await;

    let engine = start(&dir).await;
    let recovered = engine.recovered().clone();
    assert_eq!((recovered.conversations, recovered.queued, recovered.dropped), (40, 20, 0));
    assert_eq!(recovered.turns, 80);
    assert_eq!(picture(&engine, &ids), before);
    let after = engine.queue_view("general").expect("queue after restart");
    assert_eq!(after.waiting, queue.waiting, "the same customers in the same order");
    for (id, wait) in after.waiting.iter().zip(&waits) {
        let now = engine.waiting(id).expect("still waiting");
        assert_eq!(now.enqueued_ms, wait.enqueued_ms, "{id} keeps its enqueue time");
    }
    // An agent who logs in now is offered the first of them.
    let mut desk = login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    let offered = loop {
        match desk.recv().await.expect("agent event") {
            baton_engine::engine::AgentEvent::Offer { conversation, .. } => break conversation,
            _ => continue,
        }
    };
    assert_eq!(
        offered,
        queue.waiting[0],
        "offered first of {:?}",
        engine.queue_view("general").map(|q| (q.waiting, q.offered))
    );
    engine.accept("a1", &offered).await.expect("accept");
    engine.shutdown().await;

    // Assigned at the stop: the agent's session comes back, away (its desktop has not
    // reconnected), still holding the customer; nobody is lost.
    let engine = start(&dir).await;
    settle(&engine).await;
    assert_eq!(engine.recovered().agents, vec![("a1".to_owned(), Presence::Available)]);
    assert_eq!(engine.conversation_state(&offered), Some(State::Assigned));
    let agent = engine.agent_view("a1").expect("the session is back");
    assert_eq!(agent.presence, Presence::Away);
    assert_eq!((agent.assigned.clone(), agent.used_slots), (vec![offered.clone()], 1));
    engine.agent_message("a1", &offered, "Still here, checking.").await.expect("the chat goes on");
    assert_eq!(engine.queue_view("general").expect("queue").waiting.len(), 19);
    // The agent never comes back: logged out, the customer goes to the front of the queue.
    engine.logout("a1").await.expect("logout");
    settle(&engine).await;
    assert_eq!(engine.conversation_state(&offered), Some(State::Queued));
    let waiting = engine.queue_view("general").expect("queue").waiting;
    assert_eq!(waiting.len(), 20);
    assert_eq!(waiting[0], offered);
    engine.shutdown().await;

    // A logged-out session stays gone.
    let engine = start(&dir).await;
    assert!(engine.recovered().agents.is_empty());
    assert!(engine.agent_view("a1").is_none());
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_engine_cannot_open_a_directory_in_use() {
    let dir = TempDir::new("locked");
    let engine = start(&dir).await;
    let second = Engine::start(config(&dir)).await.expect_err("the directory is in use");
    assert!(second.to_string().contains("in use by another process"), "{second}");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_conversations_stay_closed_and_their_ids_taken() {
    let dir = TempDir::new("closed");
    let engine = start(&dir).await;
    engine.open(OpenConversation::new("done", "cust")).expect("open");
    engine.customer_message("done", "thanks, bye").expect("message");
    assert_eq!(engine.close("done", "resolved", Some(5)).await, Ok(State::Closed));
    engine.shutdown().await;
    let engine = start(&dir).await;
    assert_eq!(engine.recovered().finished, 1);
    let again = engine.open(OpenConversation::new("done", "cust")).expect_err("id taken");
    assert_eq!(again.code(), "duplicate_conversation");
    // The contact it ended with is in the customer's history.
    assert_eq!(engine.customer_contacts("cust").len(), 1);
    engine.shutdown().await;
}

/// A store that fails every write while `failing` is set, as a full disk would.
#[derive(Debug, Default)]
struct FlakyBackend {
    inner: MemoryBackend,
    failing: AtomicBool,
}

impl Backend for FlakyBackend {
    fn apply(&self, ops: &[Op], sync: bool) -> Result<(), StoreError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(StoreError::Io("No space left on device (os error 28)".into()));
        }
        self.inner.apply(ops, sync)
    }

    fn scan(&self, space: Space, prefix: &[u8]) -> Result<Records, StoreError> {
        self.inner.scan(space, prefix)
    }

    fn get(&self, space: Space, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.get(space, key)
    }

    fn range(
        &self,
        space: Space,
        from: &[u8],
        to: Option<&[u8]>,
        limit: usize,
    ) -> Result<Records, StoreError> {
        self.inner.range(space, from, to, limit)
    }

    fn disk_bytes(&self) -> u64 {
        0
    }
}

/// Callbacks offered to anyone waiting without an estimate (nobody is logged in).
fn callback_config() -> Config {
    let mut config = Config::default();
    config.callback.offer_above_s = 60;
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_is_on_disk_before_it_is_confirmed_and_survives_power_loss() {
    let backend = Arc::new(MemoryBackend::new());
    let engine = Engine::start_on(callback_config(), backend.clone()).await.expect("starts");
    let mut events = engine.open_subscribed(OpenConversation::new("c1", "cust-1")).expect("open");
    engine.customer_message("c1", "I want to talk to a human agent").expect("message");
    // Wait for the offer, then take it.
    loop {
        let event = tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .expect("an event in time")
            .expect("event");
        if matches!(event, ConversationEvent::CallbackOffered { .. }) {
            break;
        }
    }
    let ticket = engine.accept_callback("c1").await.expect("callback");
    // At the moment the customer is told, the ticket is synced (what a power loss keeps).
    assert!(backend.is_synced(Space::Callbacks, b"c1"), "the ticket was synced before the reply");
    // A conversation opened after it is only handed to the OS: a power loss may take it.
    engine.open(OpenConversation::new("c2", "cust-2")).expect("open");
    engine.written().await.expect("written");
    engine.shutdown().await;
    backend.lose_unsynced();

    let engine = Engine::start_on(callback_config(), backend.clone()).await.expect("restarts");
    assert_eq!(engine.conversation_state("c1"), Some(State::CallbackScheduled));
    assert_eq!(engine.callbacks(), vec![ticket]);
    assert_eq!(engine.conversation_state("c2"), None, "not synced, so lost with the power");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_changes_keeps_deciding_and_loses_nothing_acknowledged() {
    let backend = Arc::new(FlakyBackend::default());
    let engine = Engine::start_on(Config::default(), backend.clone()).await.expect("starts");
    engine.open(OpenConversation::new("c1", "cust-1")).expect("open");
    engine.written().await.expect("the open is written");

    backend.failing.store(true, Ordering::SeqCst);
    let refused = engine.ask_for_human("c1").await.expect_err("cannot be written");
    assert_eq!(refused.code(), "storage_unavailable", "{refused}");
    engine.open(OpenConversation::new("c2", "cust-2")).expect("open");
    let unwritten = engine.written().await.expect_err("cannot be written");
    assert_eq!(unwritten.code(), "storage_unavailable");
    // Decisions need no disk.
    let decision = engine.customer_message("c1", "thanks, that helps").expect("decided");
    assert!(!decision.escalate);
    // Its turn is written after the decision, and fails too: whoever waits next is told.
    settle(&engine).await;
    let turn = engine.written().await.expect_err("the turn could not be written");
    assert_eq!(turn.code(), "storage_unavailable");

    // Space comes back: changes are written again, and what was acknowledged is there.
    backend.failing.store(false, Ordering::SeqCst);
    assert_eq!(engine.close("c1", "resolved", None).await, Ok(State::Abandoned));
    engine.shutdown().await;
    let engine = Engine::start_on(Config::default(), backend.clone()).await.expect("restarts");
    assert_eq!(engine.recovered().finished, 1, "{:?}", engine.recovered());
    let again = engine.open(OpenConversation::new("c1", "cust-1")).expect_err("c1 is finished");
    assert_eq!(again.code(), "duplicate_conversation");
    engine.shutdown().await;
}

/// Engine and server on the data directory, agents' reconnect grace `grace_s`.
pub async fn serve_on(dir: &TempDir, grace_s: u64) -> crate::ws::Served {
    let mut config = config(dir);
    config.server.agent_resume_grace_s = grace_s;
    crate::ws::serve_with(config).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_desktops_reconnecting_after_a_restart_get_their_conversations_back() {
    use crate::ws::{Client, Enc, agent_event, token};
    use serde_json::json;
    let dir = TempDir::new("agents");
    let served = serve_on(&dir, 2).await;
    let sam_token = token(&served, "sam", &[("general", 3)], &[]);
    let bob_token = token(&served, "bob", &[("billing", 3)], &[]);
    let (mut sam, _) = Client::agent(&served, &sam_token, Enc::Json).await;
    let (mut bob, _) = Client::agent(&served, &bob_token, Enc::Json).await;
    let mut gw = Client::gateway(&served, Enc::Json).await;
    for (conv, desk, text) in [
        ("c1", &mut sam, "get me a human agent"),
        ("c2", &mut bob, "I want to dispute a charge on my bill, a person please"),
    ] {
        gw.request(json!({"type": "open", "ref": "o", "conversation": conv, "customer": conv}))
            .await;
        gw.request(
            json!({"type": "customer_message", "ref": "m", "conversation": conv, "text": text}),
        )
        .await;
        desk.until("offer", |f| agent_event(f, "offer")).await;
        let accepted =
            desk.request(json!({"type": "accept", "ref": "a", "conversation": conv})).await;
        assert_eq!(accepted["type"], "ok", "{accepted}");
    }
    // Bob had chosen away before the restart; Sam is available.
    let away = bob.request(json!({"type": "presence", "ref": "p", "presence": "away"})).await;
    assert_eq!(away["type"], "ok", "{away}");
    drop((sam, bob, gw));
    served.stop().await;

    let served = serve_on(&dir, 2).await;
    let mut restored = served.engine.recovered().agents.clone();
    restored.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        restored,
        vec![("bob".to_owned(), Presence::Away), ("sam".to_owned(), Presence::Available)]
    );
    assert_eq!(served.engine.conversation_state("c1"), Some(State::Assigned));
    // Sam's desktop reconnects within the grace: the same conversation, available again.
    let (mut sam, state) = Client::agent(&served, &sam_token, Enc::Json).await;
    assert_eq!(state["conversations"], json!([{"conversation": "c1", "state": "assigned"}]));
    assert_eq!(served.engine.agent_view("sam").expect("sam").presence, Presence::Available);
    let said = sam.request(json!({"type": "message", "ref": "s", "conversation": "c1", "text": "Back, sorry for the wait"})).await;
    assert_eq!(said["type"], "ok", "{said}");
    // Bob's never does: after the grace he is logged out and his customer is back in the
    // queue, at the front.
    let mut requeued = false;
    for _ in 0..300 {
        if served.engine.conversation_state("c2") == Some(State::Queued) {
            requeued = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(requeued, "c2 is {:?}", served.engine.conversation_state("c2"));
    assert!(served.engine.agent_view("bob").is_none());
    assert_eq!(served.engine.conversation_state("c1"), Some(State::Assigned));
    drop(sam);
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_queues_learned_survives_a_restart() {
    let dir = TempDir::new("learned");
    let engine = start(&dir).await;
    let mut desk = login(&engine, "a1", &[("general", 3)], 1);
    for n in 0..3 {
        let id = format!("w{n}");
        engine.open(OpenConversation::new(&id, format!("cust-{n}"))).expect("open");
        engine.customer_message(&id, "I want to talk to a human agent").expect("message");
        loop {
            if let baton_engine::engine::AgentEvent::Offer { conversation, .. } =
                desk.recv().await.expect("agent event")
            {
                assert_eq!(conversation, id);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
        engine.accept("a1", &id).await.expect("accept");
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(engine.close(&id, "resolved", None).await, Ok(State::Closed));
        settle(&engine).await;
    }
    let before = engine.queue_view("general").expect("queue");
    assert_eq!(before.recent_waits_ms.len(), 3);
    assert_ne!(before.handle_ms, Config::default().routing.initial_handle_s * 1000);
    engine.shutdown().await;

    let engine = start(&dir).await;
    let after = engine.queue_view("general").expect("queue");
    assert_eq!(
        (after.handle_ms, after.answer_ms, after.recent_waits_ms),
        (before.handle_ms, before.answer_ms, before.recent_waits_ms),
        "the moving averages and the latest waits come back"
    );
    engine.shutdown().await;
}
