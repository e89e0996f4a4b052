//! Overflow rings (bullseye routing): a billing customer first waits for an expert
//! (proficiency ≥ 3), after 60 s any billing agent may take it, after 180 s general agents too.

use std::time::Duration;

use baton_engine::config::{Config, QueueConfig, Ring};
use baton_engine::engine::{Engine, State};

use crate::engine::{engine_with, login, open, settle};

fn bullseye() -> Config {
    let ring = |after_s, min_proficiency, extra: &[&str]| Ring {
        after_s,
        min_proficiency,
        extra_skills: extra.iter().map(|s| (*s).to_owned()).collect(),
    };
    Config {
        queues: vec![QueueConfig {
            skill: "billing".into(),
            rings: vec![ring(0, 3, &[]), ring(60, 1, &[]), ring(180, 1, &["general"])],
            handoff: Default::default(),
        }],
        ..Config::default()
    }
}

#[tokio::test(start_paused = true)]
async fn a_waiting_customer_reaches_wider_rings_at_the_configured_times() {
    let engine = engine_with(bullseye()).await;
    login(&engine, "novice", &[("billing", 1)], 1);
    login(&engine, "generalist", &[("general", 3)], 1);
    settle(&engine).await;
    open(&engine, "x");
    engine.customer_message("x", "I was charged twice for my subscription").expect("message");
    settle(&engine).await;
    assert_eq!(engine.conversation_skill("x").as_deref(), Some("billing"));
    assert_eq!(engine.conversation_state("x"), Some(State::Queued), "ring 1 wants proficiency 3");

    tokio::time::sleep(Duration::from_secs(59)).await;
    settle(&engine).await;
    assert_eq!(engine.conversation_state("x"), Some(State::Queued), "59 s: still ring 1");
    tokio::time::sleep(Duration::from_secs(1)).await;
    settle(&engine).await;
    assert_eq!(engine.agent_view("novice").expect("novice").offers, ["x"], "60 s: ring 2");

    engine.decline("novice", "x").await.expect("decline");
    tokio::time::sleep(Duration::from_secs(119)).await;
    settle(&engine).await;
    assert_eq!(
        engine.conversation_state("x"),
        Some(State::Queued),
        "179 s: ring 2, the novice declined"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    settle(&engine).await;
    assert_eq!(engine.agent_view("generalist").expect("generalist").offers, ["x"], "180 s: ring 3");
    engine.accept("generalist", "x").await.expect("accept");
    settle(&engine).await;
    assert_eq!(engine.conversation_state("x"), Some(State::Assigned));
}

#[tokio::test(start_paused = true)]
async fn a_general_agent_freeing_up_pulls_an_overflowed_customer() {
    let engine = engine_with(bullseye()).await;
    login(&engine, "generalist", &[("general", 3)], 1);
    settle(&engine).await;
    // The generalist is busy with a general customer.
    open(&engine, "g");
    engine.customer_message("g", "agent please").expect("message");
    settle(&engine).await;
    engine.accept("generalist", "g").await.expect("accept");
    open(&engine, "x");
    engine.customer_message("x", "I want a refund for a double charge").expect("message");
    tokio::time::sleep(Duration::from_secs(200)).await;
    settle(&engine).await;
    assert_eq!(engine.conversation_state("x"), Some(State::Queued), "ring 3 reached, nobody free");
    // The slot frees: the generalist pulls from the billing queue through its ring.
    engine.close("g", "done", None).await.expect("close");
    settle(&engine).await;
    assert_eq!(engine.agent_view("generalist").expect("generalist").offers, ["x"]);
}

#[tokio::test]
async fn rings_are_validated() {
    let mut config = bullseye();
    config.queues[0].rings[1].after_s = 0;
    let err = Engine::start(config).await.expect_err("rings out of order");
    assert!(err.to_string().contains("ascending"), "{err}");
}
