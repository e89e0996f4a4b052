//! Callback offers under a spike: offered exactly to the customers whose expected wait at
//! handoff exceeds the threshold; accepted tickets keep their place, are served ahead of
//! newer customers of equal priority, and are never dropped.

use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{AgentEvent, ConversationEvent, State};
use tokio::sync::broadcast::Receiver;

use crate::engine::{engine_with, login, settle, waiting};

fn callback_offered(rx: &mut Receiver<ConversationEvent>) -> bool {
    let mut offered = false;
    while let Ok(event) = rx.try_recv() {
        offered |= matches!(event, ConversationEvent::CallbackOffered { .. });
    }
    offered
}

/// Three agents, AHT 240 s (the prior): each queued customer adds 80 s to the wait of the
/// next; the threshold is 300 s.
async fn spiked() -> (baton_engine::engine::Engine, Vec<(String, Receiver<ConversationEvent>)>) {
    let mut config = Config::default();
    config.callback.offer_above_s = 300;
    let engine = engine_with(config).await;
    for i in 0..3 {
        login(&engine, &format!("a{i}"), &[("general", 3)], 1);
    }
    settle(&engine).await;
    let mut customers = Vec::new();
    for i in 0..12 {
        let id = format!("c{i}");
        let rx = waiting(&engine, &id).await;
        customers.push((id, rx));
    }
    (engine, customers)
}

#[tokio::test(start_paused = true)]
async fn offers_follow_the_estimate_across_the_threshold() {
    let (engine, mut customers) = spiked().await;
    for (id, rx) in &mut customers {
        let Some(view) = engine.waiting(id) else {
            assert!(!callback_offered(rx), "{id} was offered to an agent at once: no callback");
            continue;
        };
        let estimate = view.estimates_at_enqueue[0].1.expect("staffed");
        assert_eq!(callback_offered(rx), estimate > 300_000, "{id}: estimate {estimate} ms");
    }
    // Nine wait (positions 0..=8, 80 s apart): positions 3..=8 expect 320 s and more.
    assert_eq!(engine.stats().callbacks_offered, 6);
    // The spike is served; new arrivals wait less and get no offer.
    for round in 0..12 {
        for agent in engine.agents() {
            let view = engine.agent_view(&agent).expect("agent");
            for conv in view.offers {
                engine.accept(&agent, &conv).await.expect("accept");
            }
            for conv in view.assigned {
                engine.close(&conv, "done", None).await.expect("close");
            }
        }
        settle(&engine).await;
        tokio::time::sleep(Duration::from_secs(30 + round)).await;
    }
    let mut late = waiting(&engine, "late").await;
    assert!(!callback_offered(&mut late));
    assert_eq!(engine.stats().callbacks_offered, 6);
}

#[tokio::test(start_paused = true)]
async fn an_accepted_callback_keeps_its_place_and_is_never_dropped() {
    let (engine, _customers) = spiked().await;
    // c11 waits the longest: it takes the callback and leaves the chat.
    let ticket = engine.accept_callback("c11").await.expect("callback");
    assert_eq!((ticket.id.as_str(), ticket.skill.as_str(), ticket.priority), ("c11", "general", 5));
    assert!(ticket.promised_by_ms > ticket.created_ms);
    assert_eq!(engine.conversation_state("c11"), Some(State::CallbackScheduled));
    assert_eq!(engine.callbacks().len(), 1);
    assert_eq!(engine.decline_callback("c10").await, Ok(()));
    assert_eq!(
        engine.accept_callback("c0").await.expect_err("not offered").code(),
        "illegal_transition"
    );
    // c3 waits at position 0 (80 s): queued, but never offered a callback, so the queue
    // refuses either answer; a taken callback cannot be taken or declined again.
    assert_eq!(engine.conversation_state("c3"), Some(State::Queued));
    assert_eq!(
        engine.accept_callback("c3").await.expect_err("no offer").code(),
        "illegal_transition"
    );
    assert_eq!(
        engine.decline_callback("c3").await.expect_err("no offer").code(),
        "illegal_transition"
    );
    assert_eq!(
        engine.accept_callback("c11").await.expect_err("taken").code(),
        "illegal_transition"
    );
    assert_eq!(
        engine.decline_callback("c11").await.expect_err("taken").code(),
        "illegal_transition"
    );
    // Declining keeps the customer waiting online.
    assert_eq!(engine.decline_callback("c9").await, Ok(()));
    assert_eq!(engine.conversation_state("c9"), Some(State::Queued));
    // A newer customer of the same priority arrives after the ticket.
    waiting(&engine, "newer").await;
    let queue = engine.queue_view("general").expect("queue").waiting;
    let at = |id: &str| queue.iter().position(|c| c == id).expect("queued");
    assert!(at("c11") < at("newer"), "{queue:?}");
    assert_eq!(engine.stats().callbacks_accepted, 1);

    // Serve everyone in order: the ticket reaches an agent before "newer".
    let mut desks: Vec<_> =
        (0..3).map(|i| engine.subscribe_agent(&format!("a{i}")).expect("agent")).collect();
    let mut served = Vec::new();
    for _ in 0..100 {
        if served.len() == 13 {
            break;
        }
        for agent in engine.agents() {
            let view = engine.agent_view(&agent).expect("agent");
            for conv in view.offers {
                engine.accept(&agent, &conv).await.expect("accept");
                served.push(conv);
            }
            for conv in view.assigned {
                engine.close(&conv, "done", None).await.expect("close");
            }
        }
        settle(&engine).await;
    }
    assert_eq!(served.len(), 13, "everyone, the callback included, reached an agent");
    let position = |id: &str| served.iter().position(|c| c == id).expect("served");
    assert!(position("c11") < position("newer"), "{served:?}");
    assert!(engine.callbacks().is_empty(), "a ticket taken by an agent leaves the store");
    let mut callback_packets = 0;
    for desk in &mut desks {
        while let Ok(event) = desk.try_recv() {
            if let AgentEvent::Offer { packet, .. } = event {
                assert_eq!(packet.callback, packet.conversation == "c11", "{packet:?}");
                callback_packets += usize::from(packet.callback);
            }
        }
    }
    assert_eq!(callback_packets, 1, "the agent is told it is a callback");
}

#[tokio::test(start_paused = true)]
async fn closing_a_scheduled_callback_cancels_it() {
    let (engine, _customers) = spiked().await;
    engine.accept_callback("c11").await.expect("callback");
    assert_eq!(
        engine.close("c11", "customer cancelled", None).await.expect("close"),
        State::Closed
    );
    settle(&engine).await;
    assert!(engine.callbacks().is_empty());
    assert!(!engine.queue_view("general").expect("queue").waiting.contains(&"c11".to_owned()));
}

/// The state machine settles where an ended offer goes: a customer holding a callback ticket
/// goes back to `callback_scheduled` (ticket kept, place kept), not to waiting online.
#[tokio::test(start_paused = true)]
async fn a_declined_offer_of_a_callback_goes_back_to_the_ticket() {
    let engine = engine_with(Config::default()).await;
    let mut events = waiting(&engine, "c1").await;
    assert!(callback_offered(&mut events), "nobody is staffed: a callback is offered");
    engine.accept_callback("c1").await.expect("callback");
    let _a1 = login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    assert_eq!(engine.conversation_state("c1"), Some(State::Offered));
    engine.decline("a1", "c1").await.expect("decline");
    settle(&engine).await;
    assert_eq!(engine.conversation_state("c1"), Some(State::CallbackScheduled));
    assert_eq!(engine.callbacks().len(), 1, "the ticket is kept");
    // The next agent gets it, and taking it uses the ticket up.
    let _a2 = login(&engine, "a2", &[("general", 3)], 1);
    settle(&engine).await;
    assert_eq!(engine.conversation_state("c1"), Some(State::Offered));
    engine.accept("a2", "c1").await.expect("accept");
    settle(&engine).await;
    assert_eq!(engine.conversation_state("c1"), Some(State::Assigned));
    assert!(engine.callbacks().is_empty());
}
