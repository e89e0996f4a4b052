//! Supervision with injected panics (feature `fault-injection`): every actor kind restarts
//! on its durable cell with nothing lost, restarts are counted, and a restart storm escalates
//! to the root, which restarts the supervisor and everything under it.

use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{FaultTarget, State};

use crate::engine::{engine, engine_with, login, settle, waiting};

/// Injected panics are expected: keep their messages and backtraces out of the test output
/// (any other panic is still printed).
pub fn silence_injected_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or("");
            if !message.starts_with("injected fault") {
                default(info);
            }
        }));
    });
}

#[tokio::test(start_paused = true)]
async fn a_queue_restarts_with_its_waiting_customers() {
    silence_injected_panics();
    let engine = engine().await;
    for id in ["c1", "c2", "c3"] {
        waiting(&engine, id).await;
    }
    engine.inject_panic(FaultTarget::Queue("general".into())).expect("inject");
    settle(&engine).await;
    assert_eq!(engine.stats().queue_restarts, 1);
    assert_eq!(engine.queue_view("general").expect("q").waiting, ["c1", "c2", "c3"]);
    login(&engine, "a1", &[("general", 3)], 3);
    settle(&engine).await;
    assert_eq!(engine.agent_view("a1").expect("a1").offers, ["c1", "c2", "c3"]);
}

#[tokio::test(start_paused = true)]
async fn an_agent_restarts_with_its_offer_and_timer() {
    silence_injected_panics();
    let engine = engine().await;
    waiting(&engine, "c1").await;
    login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    engine.inject_panic(FaultTarget::Agent("a1".into())).expect("inject");
    settle(&engine).await;
    assert_eq!(engine.stats().agent_restarts, 1);
    assert_eq!(engine.agent_view("a1").expect("a1").offers, ["c1"]);
    // The restarted actor re-armed the offer timer: the offer still expires.
    tokio::time::sleep(Duration::from_secs(31)).await;
    settle(&engine).await;
    assert_eq!(engine.conversation_state("c1"), Some(State::Queued));
    assert_eq!(engine.agent_view("a1").expect("a1").used_slots, 0);
}

#[tokio::test(start_paused = true)]
async fn a_conversation_restarts_mid_handoff() {
    silence_injected_panics();
    let engine = engine().await;
    waiting(&engine, "c1").await;
    login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    engine.inject_panic(FaultTarget::Conversation("c1".into())).expect("inject");
    settle(&engine).await;
    assert_eq!(engine.stats().conversation_restarts, 1);
    assert_eq!(engine.conversation_state("c1"), Some(State::Offered));
    engine.accept("a1", "c1").await.expect("accept after restart");
    settle(&engine).await;
    assert_eq!(engine.conversation_state("c1"), Some(State::Assigned));
    assert_eq!(engine.transcript("c1").expect("transcript").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_restart_storm_escalates_and_the_supervisor_comes_back() {
    let mut config = Config::default();
    config.engine.max_restarts = 3;
    silence_injected_panics();
    let engine = engine_with(config).await;
    for id in ["c1", "c2"] {
        waiting(&engine, id).await;
    }
    for _ in 0..5 {
        // Some panics land on an actor that is already restarting: keep injecting.
        let _ = engine.inject_panic(FaultTarget::Conversation("c1".into()));
        settle(&engine).await;
    }
    let stats = engine.stats();
    assert!(stats.conversation_restarts >= 4, "{stats:?}");
    assert!(stats.supervisor_restarts >= 1, "{stats:?}");
    // Every conversation came back under the new supervisor, in its state.
    for id in ["c1", "c2"] {
        assert_eq!(engine.conversation_state(id), Some(State::Queued), "{id}");
    }
    login(&engine, "a1", &[("general", 3)], 2);
    settle(&engine).await;
    engine.accept("a1", "c1").await.expect("accept");
    engine.accept("a1", "c2").await.expect("accept");
    settle(&engine).await;
    assert_eq!(engine.conversation_state("c2"), Some(State::Assigned));
}

#[tokio::test(start_paused = true)]
async fn supervisors_themselves_restart() {
    silence_injected_panics();
    let engine = engine().await;
    waiting(&engine, "c1").await;
    login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    for target in [
        FaultTarget::QueueSupervisor,
        FaultTarget::AgentSupervisor,
        FaultTarget::ConversationSupervisor,
    ] {
        engine.inject_panic(target).expect("inject");
        settle(&engine).await;
    }
    assert_eq!(engine.stats().supervisor_restarts, 3);
    assert_eq!(engine.agent_view("a1").expect("a1").offers, ["c1"]);
    engine.accept("a1", "c1").await.expect("accept");
    settle(&engine).await;
    assert_eq!(engine.conversation_state("c1"), Some(State::Assigned));
}
