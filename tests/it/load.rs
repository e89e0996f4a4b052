//! Load levels derived from the queues (with hysteresis) feeding the decider, each decision
//! under the level of the queue it would go to; admission control at the engine's ingress;
//! abandonment recorded with its wait.

use std::time::Duration;

use baton_engine::config::{Config, TopicConfig};
use baton_engine::engine::{OpenConversation, State};
use baton_engine::escalation::{Load, Reason};

use crate::engine::{engine, engine_with, login, open, settle, waiting};

#[tokio::test(start_paused = true)]
async fn queue_levels_rise_with_the_wait_and_fall_with_hysteresis() {
    let engine = engine().await;
    login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    assert_eq!(engine.load(), Load::Normal);
    // One agent, AHT 240 s (the prior): the 4th waiting customer expects ~12 minutes.
    for i in 0..5 {
        waiting(&engine, &format!("c{i}")).await;
    }
    assert_eq!(engine.queue_levels(), [("general".to_owned(), Load::Critical)]);
    assert_eq!(engine.load(), Load::Critical);
    let queue = engine.queue_view("general").expect("queue");
    // c0 holds the only slot (offered), c1..c4 wait: a newcomer is fifth, 5 × 240 s.
    assert_eq!((queue.level, queue.expected_wait_ms), (Load::Critical, Some(1_200_000)));

    // Under critical load a merely unhappy customer stays with the bot; one who asks does not.
    open(&engine, "grumpy");
    for text in ["this is bad", "this is really bad and annoying", "terrible, just terrible"] {
        engine.customer_message("grumpy", text).expect("message");
    }
    let decision =
        engine.customer_message("grumpy", "awful service, I hate this").expect("message");
    assert!(!decision.escalate, "{decision:?}");
    assert!(decision.relaxed.contains(Reason::NegativeSentiment), "{decision:?}");
    assert!(engine.customer_message("grumpy", "agent please").expect("message").escalate);
    settle(&engine).await;

    // Serve everyone: the level falls back to normal.
    while let Some(conv) = engine.agent_view("a1").and_then(|v| v.offers.first().cloned()) {
        engine.accept("a1", &conv).await.expect("accept");
        tokio::time::sleep(Duration::from_secs(60)).await;
        engine.close(&conv, "done", None).await.expect("close");
        settle(&engine).await;
    }
    tokio::time::sleep(Duration::from_secs(6)).await;
    settle(&engine).await;
    assert_eq!(engine.load(), Load::Normal);
}

#[tokio::test(start_paused = true)]
async fn a_busy_queue_relaxes_only_the_conversations_bound_for_it() {
    let mut config = Config::default();
    config.topics.push(TopicConfig {
        id: "delivery".into(),
        skill: "logistics".into(),
        mandatory: false,
        sensitive: false,
        priority: None,
        phrases: vec!["parcel".into()],
        except: Vec::new(),
        intents: Vec::new(),
    });
    let engine = engine_with(config).await;
    login(&engine, "a1", &[("logistics", 3)], 1);
    login(&engine, "g1", &[("general", 3)], 1);
    settle(&engine).await;
    for i in 0..5 {
        let id = format!("p{i}");
        open(&engine, &id);
        let d = engine
            .customer_message(&id, "I want to talk to an agent about my parcel")
            .expect("message");
        assert_eq!(d.reason, Some(Reason::ExplicitRequest));
        settle(&engine).await;
    }
    let levels = engine.queue_levels();
    assert!(levels.contains(&("logistics".to_owned(), Load::Critical)), "{levels:?}");
    assert!(levels.contains(&("general".to_owned(), Load::Normal)), "{levels:?}");
    assert_eq!(engine.load(), Load::Critical, "the engine's level is its busiest queue's");

    let upset = ["this is bad", "this is really bad and annoying", "terrible, just terrible"];
    // Bound for the idle general queue: decided at normal load.
    open(&engine, "general-grump");
    for text in upset {
        engine.customer_message("general-grump", text).expect("message");
    }
    let d = engine.customer_message("general-grump", "awful service, I hate this").expect("msg");
    assert_eq!(d.reason, Some(Reason::NegativeSentiment), "{d:?}");
    assert!(d.relaxed.is_empty(), "{d:?}");
    // Bound for the critical logistics queue: the same words stay with the bot.
    open(&engine, "parcel-grump");
    engine.customer_message("parcel-grump", "where is my parcel").expect("message");
    for text in upset {
        engine.customer_message("parcel-grump", text).expect("message");
    }
    let d = engine.customer_message("parcel-grump", "awful service, I hate this").expect("msg");
    assert!(!d.escalate, "{d:?}");
    assert!(d.relaxed.contains(Reason::NegativeSentiment), "{d:?}");
    // The operator's override still applies to every queue.
    engine.set_load(Some(Load::Critical));
    open(&engine, "overridden");
    for text in upset {
        engine.customer_message("overridden", text).expect("message");
    }
    let d = engine.customer_message("overridden", "awful service, I hate this").expect("msg");
    assert!(d.relaxed.contains(Reason::NegativeSentiment), "{d:?}");
}

#[tokio::test(start_paused = true)]
async fn admission_control_sheds_with_a_retry_hint() {
    let mut config = Config::default();
    config.engine.max_live_conversations = 20;
    config.engine.max_inbox = 8;
    config.engine.retry_after_ms = 2_500;
    let engine = engine_with(config).await;
    for i in 0..20 {
        open(&engine, &format!("c{i}"));
    }
    let refused = engine.open(OpenConversation::new("one-too-many", "x"));
    let err = refused.expect_err("over the live limit");
    assert_eq!(err.code(), "overloaded");
    assert_eq!(err.to_string(), "the engine is overloaded; retry after 2500 ms");
    // A flood for one conversation: without yielding, its actor cannot drain.
    let results: Vec<_> =
        (0..12).map(|i| engine.customer_message("c0", &format!("message {i}"))).collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 8);
    assert!(results[8..].iter().all(|r| r.as_ref().is_err_and(|e| e.code() == "overloaded")));
    // Everyone else is still served, and the flooded conversation after it drains.
    engine.customer_message("c1", "hello").expect("another conversation");
    settle(&engine).await;
    engine.customer_message("c0", "still there?").expect("drained");
    settle(&engine).await;
    assert_eq!(engine.transcript("c0").expect("transcript").len(), 9);
    assert_eq!(engine.stats().live, 20);
}

#[tokio::test(start_paused = true)]
async fn abandonment_is_recorded_with_its_wait() {
    let engine = engine().await;
    waiting(&engine, "c1").await;
    tokio::time::sleep(Duration::from_secs(40)).await;
    assert_eq!(engine.close("c1", "customer left", None).await.expect("close"), State::Abandoned);
    let stats = engine.stats();
    assert_eq!(stats.abandoned, 1);
    assert!((40_000..40_100).contains(&stats.abandoned_wait_ms), "{stats:?}");
}
