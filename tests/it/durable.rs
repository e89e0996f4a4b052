//! The journal: an engine started again on the same data directory finds every conversation
//! where it was, with its transcript, and every waiting customer at their place with their
//! original enqueue time; a second engine cannot open a directory in use.
//!
//! Real time (not tokio's paused clock): the journal's writer is an OS thread, and a paused
//! clock would jump to the calls' timeouts while the runtime waits on it.

use std::path::PathBuf;

use baton_engine::config::Config;
use baton_engine::engine::{Engine, OpenConversation, Role, State};

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
    assert_eq!(offered, queue.waiting[0]);
    engine.accept("a1", &offered).await.expect("accept");
    engine.shutdown().await;

    // Assigned at the stop: the agent's session is not kept, so the customer is back at the
    // front of the queue, and nobody is lost.
    let engine = start(&dir).await;
    settle(&engine).await;
    assert_eq!(engine.conversation_state(&offered), Some(State::Queued));
    let waiting = engine.queue_view("general").expect("queue").waiting;
    assert_eq!(waiting.len(), 20);
    assert_eq!(waiting[0], offered);
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
