//! Bounded memory: with a data directory a conversation of 100,000 turns keeps only a window
//! in memory (its first turns and its latest), while `transcript` (what `resume` returns)
//! still gives every turn, read back from the store, before and after a restart.

use baton_engine::config::Config;
use baton_engine::engine::{Engine, OpenConversation};

use crate::durable::TempDir;
use crate::engine::settle;

const TURNS: usize = 100_000;

fn text(n: usize) -> String {
    // Numbers glued to a letter: a bare "182" is slang for "I hate you" in VADER's lexicon.
    format!("note n{n} about the parcel p{n}")
}

async fn talk(engine: &Engine, id: &str, turns: usize) {
    engine.open(OpenConversation::new(id, "cust")).expect("open");
    for n in 0..turns {
        engine.customer_message(id, &text(n)).expect("message");
        if n % 500 == 499 {
            // The actor's inbox is bounded: let it catch up.
            settle(engine).await;
        }
    }
    settle(engine).await;
    engine.written().await.expect("written");
    // The journal's confirmation reaches the conversation as a command of its own.
    settle(engine).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_of_100000_turns_costs_bounded_memory() {
    let dir = TempDir::new("bounded");
    let mut config = Config::default();
    config.store.data_dir = Some(dir.0.clone());
    let engine = Engine::start(config.clone()).await.expect("starts");
    talk(&engine, "long", TURNS).await;
    let (in_memory, total, bytes) = engine.transcript_memory("long").expect("live");
    assert_eq!(total, TURNS);
    eprintln!("100,000 turns: {in_memory} in memory, {bytes} heap bytes");
    assert!(in_memory <= 16 + 2 * 128 + 1, "{in_memory} turns in memory");
    assert!(bytes < 64 * 1024, "{bytes} bytes in memory");
    let whole = engine.transcript("long").expect("the whole transcript");
    assert_eq!(whole.len(), TURNS);
    for n in [0, 15, 16, 17, 50_000, TURNS - 200, TURNS - 1] {
        assert_eq!(whole[n].text, text(n), "turn {n}");
    }
    engine.shutdown().await;

    // After a restart: the same window in memory, every turn still readable.
    let engine = Engine::start(config).await.expect("starts again");
    assert_eq!(engine.recovered().turns, TURNS);
    let (in_memory, total, _) = engine.transcript_memory("long").expect("live");
    assert_eq!(total, TURNS);
    assert!(in_memory <= 16 + 2 * 128 + 1, "{in_memory} turns in memory after the restart");
    let again = engine.transcript("long").expect("the whole transcript");
    assert_eq!(again, whole);
    engine.shutdown().await;

    // Without a journal the transcript is all in memory (so `--ephemeral` is unbounded).
    let ephemeral = Engine::start(Config::default()).await.expect("starts");
    talk(&ephemeral, "short", 2_000).await;
    let (in_memory, _, bytes) = ephemeral.transcript_memory("short").expect("live");
    eprintln!("ephemeral, 2,000 turns: {in_memory} in memory, {bytes} heap bytes");
    assert_eq!(in_memory, 2_000);
    assert!(bytes > 2_000 * 40, "{bytes}");
    ephemeral.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_conversation_hibernates_its_transcript_to_the_store() {
    let dir = TempDir::new("hibernate");
    let mut config = Config::default();
    config.store.data_dir = Some(dir.0.clone());
    config.engine.hibernate_after_s = 1;
    // A bot that keeps a customer 300 turns without handing over (not the default).
    config.escalation.stall_bot_turns = 1_000;
    config.escalation.stall_repeats = 1_000;
    let engine = Engine::start(config).await.expect("starts");
    engine.open(OpenConversation::new("idle", "cust")).expect("open");
    for n in 0..300 {
        if n % 2 == 0 {
            let d = engine.customer_message("idle", &text(n)).expect("message");
            assert!(d.reason.is_none(), "turn {n}: {d:?}");
        } else {
            let said = text(n);
            let reply = baton_engine::engine::BotReply::new(&said, 0.95);
            engine.bot_reply("idle", reply).expect("bot reply");
        }
        if n % 100 == 99 {
            settle(&engine).await;
        }
    }
    settle(&engine).await;
    assert_eq!(engine.conversation_state("idle"), Some(baton_engine::engine::State::Bot));
    let mut slept = None;
    for _ in 0..200 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let (in_memory, total, _) = engine.transcript_memory("idle").expect("kept");
        if in_memory == 16 {
            slept = Some(total);
            break;
        }
    }
    let state = engine.conversation_state("idle");
    let memory = engine.transcript_memory("idle");
    assert_eq!(
        slept,
        Some(300),
        "only the first 16 turns stay in memory while it sleeps: {state:?} {memory:?}"
    );
    let whole = engine.transcript("idle").expect("read from the store");
    assert_eq!(
        whole.iter().map(|t| t.text.clone()).collect::<Vec<_>>(),
        (0..300).map(text).collect::<Vec<_>>()
    );
    // A message wakes it: the latest turns come back for the packet, and the new one joins.
    engine.customer_message("idle", &text(300)).expect("message");
    assert_eq!(engine.conversation_state("idle"), Some(baton_engine::engine::State::Bot));
    settle(&engine).await;
    let (in_memory, total, _) = engine.transcript_memory("idle").expect("awake");
    assert_eq!((in_memory, total), (16 + 128 + 1, 301));
    let whole = engine.transcript("idle").expect("whole");
    assert_eq!(whole.len(), 301);
    assert_eq!(whole[299].text, text(299));
    assert_eq!(whole[300].text, text(300));
    engine.shutdown().await;
}
