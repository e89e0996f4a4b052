//! A spike to ten times the arrival rate for a minute: callback offers appear for exactly the
//! customers whose expected wait at handoff crosses the threshold, stop once it falls back,
//! and every conversation and every accepted ticket is accounted for at the end.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashSet};
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{ConversationEvent, Engine, OpenConversation, State};
use tokio::sync::broadcast::Receiver;
use tokio::time::Instant;

use crate::engine::login;
use crate::sim::{Rng, accept_all_offers};

const MINUTE: u64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Arrival(u64),
    Done(u64),
}

#[tokio::test(start_paused = true)]
async fn a_ten_fold_spike_offers_callbacks_exactly_while_waits_are_long() {
    let mut config = Config::default();
    config.callback.offer_above_s = 240;
    config.routing.initial_handle_s = 120;
    config.routing.offer_timeout_s = 3600;
    let engine = Engine::start(config).await.expect("engine");
    let mut desks: Vec<_> = (0..10)
        .map(|i| (format!("a{i}"), login(&engine, &format!("a{i}"), &[("general", 3)], 1)))
        .collect();
    let start = Instant::now();
    let now_ms = || u64::try_from(Instant::now().duration_since(start).as_millis()).expect("ms");
    // Steady: one customer every 15 s (AHT 120 s, 10 agents: occupancy 0.8); minutes 20–21: ten times that.
    let mean_gap_s = |ms: u64| if (20 * MINUTE..21 * MINUTE).contains(&ms) { 1.5 } else { 15.0 };
    let mut rng = Rng(41);
    let mut timeline: BinaryHeap<Reverse<(u64, Event)>> = BinaryHeap::new();
    timeline.push(Reverse((0, Event::Arrival(0))));
    let mut events: BTreeMap<u64, Receiver<ConversationEvent>> = BTreeMap::new();
    let mut opened = 0u64;
    let mut taken_callback: HashSet<u64> = HashSet::new();
    // (conversation, arrival minute, estimate at handoff, callback offered)
    let mut handoffs: Vec<(u64, u64, Option<u64>, bool)> = Vec::new();
    while let Some(Reverse((when, event))) = timeline.pop() {
        tokio::time::sleep_until(start + Duration::from_millis(when)).await;
        match event {
            Event::Arrival(n) => {
                let id = format!("c{n}");
                let rx = engine.open_subscribed(OpenConversation::new(&id, &id)).expect("open");
                engine.customer_message(&id, "agent please").expect("message");
                events.insert(n, rx);
                opened += 1;
                let next = when + rng.exp_ms(mean_gap_s(when));
                if next < 50 * MINUTE {
                    timeline.push(Reverse((next, Event::Arrival(n + 1))));
                }
            }
            Event::Done(n) => {
                engine.close(&format!("c{n}"), "resolved", None).await.expect("close");
            }
        }
        for (_, conversation) in accept_all_offers(&engine, &mut desks).await {
            let n: u64 = conversation[1..].parse().expect("numbered");
            timeline.push(Reverse((now_ms() + rng.exp_ms(120.0), Event::Done(n))));
        }
        // What each new customer was told at handoff; every third offered takes the callback.
        for (n, rx) in &mut events {
            let (mut estimate, mut told, mut offered) = (None, false, false);
            while let Ok(event) = rx.try_recv() {
                match event {
                    ConversationEvent::Waiting { estimate_ms, .. } if !told => {
                        (estimate, told) = (estimate_ms, true)
                    }
                    ConversationEvent::CallbackOffered { .. } => offered = true,
                    _ => {}
                }
            }
            if told {
                handoffs.push((*n, when / MINUTE, estimate, offered));
                if offered && n % 3 == 0 {
                    engine.accept_callback(&format!("c{n}")).await.expect("callback");
                    taken_callback.insert(*n);
                }
            }
        }
        events.retain(|n, _| !handoffs.iter().any(|h| h.0 == *n));
    }
    // Offered exactly when the estimate at handoff is above the threshold.
    for (n, _, estimate, offered) in &handoffs {
        let long = estimate.is_none_or(|ms| ms > 240_000);
        assert_eq!(*offered, long, "c{n}: estimate {estimate:?}");
    }
    let offered_minutes: Vec<u64> = handoffs.iter().filter(|h| h.3).map(|h| h.1).collect();
    assert!(!offered_minutes.is_empty(), "the spike made waits long");
    assert!(
        offered_minutes.iter().all(|m| (20..35).contains(m)),
        "offers only during and after the spike: {offered_minutes:?}"
    );
    assert!(handoffs.iter().filter(|h| h.1 >= 40).all(|h| !h.3), "none once waits fell back");
    eprintln!(
        "spike: {opened} customers, {} offered a callback (minutes {:?}..={:?}), {} took it",
        offered_minutes.len(),
        offered_minutes.first(),
        offered_minutes.last(),
        taken_callback.len()
    );
    // Nothing lost: every conversation closed, every ticket served and gone from the store.
    settle_all(&engine).await;
    let stats = engine.stats();
    assert_eq!(stats.opened, opened);
    assert_eq!((stats.live, stats.closed), (0, opened), "{stats:?}");
    assert_eq!(stats.callbacks_accepted, taken_callback.len() as u64);
    assert!(!taken_callback.is_empty());
    assert!(engine.callbacks().is_empty());
    assert!(engine.conversations_by_state().keys().all(|s| *s == State::Closed));
}

async fn settle_all(engine: &Engine) {
    assert!(engine.settle(1_000_000).await);
}
