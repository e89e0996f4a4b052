//! The customer directory the engine keeps by itself: every contact that ends is recorded
//! with its topic and outcome, and a customer's fifth contact in the window escalates as
//! `repeat_contact` with no integration at all. Paused time.

use std::collections::BTreeMap;
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::context::history::ContactOutcome;
use baton_engine::engine::{Engine, EngineError, OpenConversation};
use baton_engine::escalation::Reason;

use crate::engine::{engine_with, login, settle};

fn open(engine: &Engine, id: &str, customer: &str) {
    engine.open(OpenConversation::new(id, customer)).expect("open");
}

#[tokio::test(start_paused = true)]
async fn the_fifth_contact_in_the_window_is_a_repeat_contact() {
    let mut config = Config::default();
    config.escalation.repeat_window_s = 3600;
    let engine = engine_with(config).await;
    let _agent = login(&engine, "a1", &[("general", 3), ("billing", 3)], 4);
    settle(&engine).await;

    // Contact 1: the bot resolves it.
    open(&engine, "k1", "cust");
    engine.customer_message("k1", "where is my parcel?").expect("message");
    engine.close("k1", "answered", Some(5)).await.expect("close");
    // Contacts 2 and 3: billing disputes an agent resolves.
    for id in ["k2", "k3"] {
        open(&engine, id, "cust");
        let d = engine.customer_message(id, "I was charged twice for my order").expect("message");
        assert_eq!(d.reason, Some(Reason::MandatoryTopic));
        settle(&engine).await;
        engine.accept("a1", id).await.expect("accept");
        engine.close(id, "refunded", None).await.expect("close");
    }
    // Contact 4: asks for a person and leaves while waiting.
    let _busy = login(&engine, "a2", &[("legal", 3)], 1);
    engine.logout("a1").await.expect("logout");
    open(&engine, "k4", "cust");
    engine.customer_message("k4", "let me talk to a human").expect("message");
    settle(&engine).await;
    engine.close("k4", "left", None).await.expect("close");
    settle(&engine).await;

    let history = engine.recent_history("cust");
    assert_eq!(history.len(), 4);
    assert_eq!(history.about("billing_dispute"), 2);
    let outcomes: Vec<ContactOutcome> = history.contacts.iter().map(|c| c.outcome).collect();
    assert_eq!(
        outcomes,
        [
            ContactOutcome::ResolvedByBot,
            ContactOutcome::ResolvedByAgent,
            ContactOutcome::ResolvedByAgent,
            ContactOutcome::Abandoned
        ]
    );
    assert_eq!(history.contacts.iter().filter(|c| c.escalated).count(), 3);

    // Contact 5: the integrator says nothing of prior contacts; the directory does.
    open(&engine, "k5", "cust");
    let d = engine.customer_message("k5", "hello again").expect("message");
    assert!(d.escalate);
    assert_eq!(d.reason, Some(Reason::RepeatContact));
    // Another customer's first contact is not.
    open(&engine, "other-1", "someone-else");
    assert!(!engine.customer_message("other-1", "hello again").expect("message").escalate);

    // An hour later the old contacts are out of the window.
    engine.close("k5", "done", None).await.expect("close");
    tokio::time::sleep(Duration::from_secs(3601)).await;
    assert_eq!(engine.recent_history("cust").len(), 0);
    assert_eq!(engine.customer_contacts("cust").len(), 5, "kept, just not recent");
    open(&engine, "k6", "cust");
    assert!(!engine.customer_message("k6", "hello again").expect("message").escalate);
}

#[tokio::test(start_paused = true)]
async fn integrators_push_profile_attributes() {
    let engine = engine_with(Config::default()).await;
    let attributes = BTreeMap::from([
        ("plan".to_owned(), "business".to_owned()),
        ("customer_since".to_owned(), "2019-04".to_owned()),
    ]);
    engine.set_customer_attributes("cust", attributes).expect("set");
    engine
        .set_customer_attributes("cust", BTreeMap::from([("plan".to_owned(), String::new())]))
        .expect("an empty value removes");
    let profile = engine.customer_profile("cust");
    assert_eq!(profile.attributes.keys().collect::<Vec<_>>(), ["customer_since"]);

    let too_long = BTreeMap::from([("note".to_owned(), "x".repeat(257))]);
    let error = engine.set_customer_attributes("cust", too_long).expect_err("refused");
    assert!(matches!(error, EngineError::InvalidInput(_)), "{error:?}");
    assert_eq!(error.code(), "invalid_input");
    let bad_id = engine.set_customer_attributes("", BTreeMap::new()).expect_err("refused");
    assert!(matches!(bad_id, EngineError::InvalidInput(_)), "{bad_id:?}");
}
