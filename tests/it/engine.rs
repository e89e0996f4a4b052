//! The engine through its public API, on paused tokio time: the whole lifecycle, offers that
//! time out or are declined, agents leaving mid-offer and mid-chat, capacity and skills,
//! aging, hand-back to the bot.

use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{
    AgentEvent, AgentLogin, BotReply, ConversationEvent, Engine, EngineError, OpenConversation,
    State,
};
use baton_engine::escalation::Reason;
use baton_engine::routing::Presence;
use tokio::sync::broadcast::Receiver;

pub async fn engine_with(config: Config) -> Engine {
    Engine::start(config).await.expect("engine starts")
}

pub async fn engine() -> Engine {
    engine_with(Config::default()).await
}

pub fn open(engine: &Engine, id: &str) -> Receiver<ConversationEvent> {
    engine.open_subscribed(OpenConversation::new(id, format!("customer-{id}"))).expect("open")
}

pub fn login(
    engine: &Engine,
    id: &str,
    skills: &[(&str, u8)],
    capacity: u32,
) -> Receiver<AgentEvent> {
    let skills = skills.iter().map(|(s, p)| ((*s).to_owned(), *p)).collect();
    engine
        .agent_login(AgentLogin {
            name: format!("Agent {id}"),
            // Cleared for the sensitive default topics, so routing tests see every customer.
            clearances: vec!["account_security".into(), "legal".into()],
            ..AgentLogin::new(id, skills, capacity)
        })
        .expect("login")
}

/// Lets every ready task run (paused time advances only when nothing is runnable, so a short
/// sleep returns once ractor mailboxes are drained too), then waits for empty inboxes.
///
/// `Engine::settle` bounds its wait in yields, not time. On a loaded machine a test in real
/// time with a data directory can outlast 100,000 yields while the journal's thread writes,
/// so the wait is retried a few times, a millisecond apart, before it counts as stuck.
pub async fn settle(engine: &Engine) {
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(1)).await;
        if engine.settle(100_000).await {
            return;
        }
    }
    panic!("the engine did not settle");
}

/// Opens a conversation and has the customer ask for a person (skill `general`, priority 5).
pub async fn waiting(engine: &Engine, id: &str) -> Receiver<ConversationEvent> {
    let events = open(engine, id);
    let decision = engine.customer_message(id, "I want to talk to an agent").expect("message");
    assert_eq!(decision.reason, Some(Reason::ExplicitRequest));
    settle(engine).await;
    events
}

fn drain<T: Clone>(rx: &mut Receiver<T>) -> Vec<T> {
    let mut out = Vec::new();
    while let Ok(event) = rx.try_recv() {
        out.push(event);
    }
    out
}

fn state(engine: &Engine, id: &str) -> State {
    engine.conversation_state(id).expect("known conversation")
}

#[tokio::test(start_paused = true)]
async fn the_whole_lifecycle() {
    let engine = engine().await;
    let mut conv_events = waiting(&engine, "c1").await;
    assert_eq!(state(&engine, "c1"), State::Queued);
    assert_eq!(engine.queue_view("general").expect("queue").waiting, ["c1"]);

    let mut agent_events = login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    assert_eq!(state(&engine, "c1"), State::Offered);
    let offer = drain(&mut agent_events)
        .into_iter()
        .find_map(|e| match e {
            AgentEvent::Offer { conversation, packet, expires_in_ms } => {
                Some((conversation, packet, expires_in_ms))
            }
            _ => None,
        })
        .expect("an offer");
    assert_eq!(offer.0, "c1");
    assert_eq!(offer.2, 30_000);
    assert_eq!(offer.1.transcript[0].text, "I want to talk to an agent");
    assert_eq!(offer.1.reason, Some(Reason::ExplicitRequest));
    assert_eq!(offer.1.priority, 5);

    engine.accept("a1", "c1").await.expect("accept");
    settle(&engine).await;
    assert_eq!(state(&engine, "c1"), State::Assigned);
    engine.agent_message("a1", "c1", "Hi, I'm Sam. How can I help?").await.expect("message");
    engine.customer_message("c1", "my router keeps rebooting").expect("message");
    settle(&engine).await;
    assert!(drain(&mut agent_events).iter().any(|e| matches!(e,
        AgentEvent::CustomerMessage { conversation, text } if conversation == "c1" && text.contains("router"))));

    engine.wrap_up("a1", "c1").await.expect("wrap up");
    settle(&engine).await;
    assert_eq!(state(&engine, "c1"), State::WrapUp);
    assert_eq!(engine.agent_view("a1").expect("agent").presence, Presence::AfterWork);
    assert_eq!(engine.close("c1", "resolved", Some(5)).await.expect("close"), State::Closed);
    settle(&engine).await;
    let agent = engine.agent_view("a1").expect("agent");
    assert_eq!((agent.presence, agent.used_slots), (Presence::Available, 0));

    let events = drain(&mut conv_events);
    assert!(events.contains(&ConversationEvent::BotSilenced));
    assert!(events.iter().any(|e| matches!(e, ConversationEvent::AgentJoined { agent, message, .. }
        if agent == "a1" && message == "Agent a1 from our general team has joined the conversation.")));
    let told = events.iter().find_map(|e| match e {
        ConversationEvent::Waiting { position, message, .. } => Some((*position, message.clone())),
        _ => None,
    });
    assert_eq!(
        told,
        Some((0, "Thanks for waiting. You're number 1 in line for our general team; the wait is longer than usual.".into())),
        "nobody was staffed when c1 queued"
    );
    let states: Vec<State> = events
        .iter()
        .filter_map(|e| match e {
            ConversationEvent::StateChanged { state } => Some(*state),
            _ => None,
        })
        .collect();
    assert_eq!(
        states,
        [State::Queued, State::Offered, State::Assigned, State::WrapUp, State::Closed]
    );
    assert_eq!(engine.conversations_by_state()[&State::Closed], ["c1"]);
    let stats = engine.stats();
    assert_eq!((stats.opened, stats.closed, stats.live), (1, 1, 0));
}

#[tokio::test(start_paused = true)]
async fn illegal_actions_are_errors() {
    let engine = engine().await;
    open(&engine, "c1");
    settle(&engine).await;
    let err = engine.accept("nobody", "c1").await.expect_err("unknown agent");
    assert_eq!(err.code(), "unknown_agent");
    login(&engine, "a1", &[("general", 1)], 1);
    let err = engine.accept("a1", "c1").await.expect_err("no offer");
    assert_eq!(err.code(), "no_such_offer");
    let err = engine.wrap_up("a1", "c1").await.expect_err("not assigned");
    assert_eq!(err.to_string(), "conversation \"c1\": cannot wrap_up a conversation that is bot");
    assert_eq!(engine.close("c1", "resolved by bot", None).await.expect("close"), State::Closed);
    let err = engine.close("c1", "again", None).await.expect_err("finished");
    assert_eq!(err.code(), "conversation_finished");
    let err = engine.customer_message("c1", "hello?").expect_err("finished");
    assert_eq!(err.code(), "conversation_finished");
    assert_eq!(
        engine.customer_message("zz", "hi").expect_err("unknown").code(),
        "unknown_conversation"
    );
    let dup = engine.open(OpenConversation {
        topic: Some("not_a_topic".into()),
        ..OpenConversation::new("c2", "x")
    });
    assert_eq!(dup.expect_err("bad topic").code(), "invalid_input");
    let err = engine.bot_reply("c3", BotReply::new("x", 2.0));
    assert_eq!(err.expect_err("confidence").code(), "invalid_input");
}

/// One id rule everywhere: what would become a queue and a metric label (a skill, a
/// clearance) is a lowercase snake_case id for the engine exactly as for the configuration;
/// conversation and agent ids are free text.
#[tokio::test(start_paused = true)]
async fn skills_follow_the_configuration_s_id_rule() {
    let engine = engine().await;
    for (skills, clearances) in [
        (vec![("Billing-EU".to_owned(), 3)], vec![]),
        (vec![("billing eu".to_owned(), 3)], vec![]),
        (vec![("general".to_owned(), 3)], vec!["PII".to_owned()]),
    ] {
        let login = AgentLogin { clearances, ..AgentLogin::new("a-1", skills, 1) };
        let err = engine.agent_login(login).expect_err("refused");
        assert_eq!(err.code(), "invalid_input", "{err}");
    }
    assert!(engine.skills().is_empty(), "no queue was made for a refused skill");
    let toml = "[escalation]\ndefault_skill = \"Billing-EU\"\n";
    let refused = Config::from_toml(toml).expect_err("the configuration refuses it too");
    assert!(refused.to_string().contains("lowercase snake_case"), "{refused}");
    // Names are not labels: any text without control characters.
    engine.open(OpenConversation::new("Conversation Zoë-7", "Customer/42")).expect("open");
    login_named(&engine, "Agent Sam-1");
}

fn login_named(engine: &Engine, id: &str) {
    drop(engine.agent_login(AgentLogin::new(id, vec![("general".into(), 3)], 1)).expect("login"));
}

#[tokio::test(start_paused = true)]
async fn offer_timeout_moves_on_and_repeated_timeouts_set_away() {
    let engine = engine().await;
    waiting(&engine, "c1").await;
    login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    assert_eq!(engine.agent_view("a1").expect("a1").offers, ["c1"]);
    login(&engine, "a2", &[("general", 3)], 1);
    settle(&engine).await;
    tokio::time::sleep(Duration::from_secs(31)).await;
    settle(&engine).await;
    // a1 let it expire: c1 moved on to a2, and is not offered to a1 again.
    assert_eq!(engine.agent_view("a2").expect("a2").offers, ["c1"]);
    assert!(engine.agent_view("a1").expect("a1").offers.is_empty());
    assert_eq!(engine.agent_view("a1").expect("a1").used_slots, 0);

    // a2 lets three offers expire in a row: it goes away.
    for i in 2..=3 {
        waiting(&engine, &format!("c{i}")).await;
    }
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_secs(31)).await;
        settle(&engine).await;
    }
    let a2 = engine.agent_view("a2").expect("a2");
    assert_eq!(a2.presence, Presence::Away, "{a2:?}");
    assert_eq!(a2.used_slots, 0);
}

#[tokio::test(start_paused = true)]
async fn decline_returns_to_the_original_position() {
    let engine = engine().await;
    waiting(&engine, "c1").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    waiting(&engine, "c2").await;
    login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    assert_eq!(engine.agent_view("a1").expect("a1").offers, ["c1"]);
    engine.decline("a1", "c1").await.expect("decline");
    settle(&engine).await;
    // c1 is back ahead of c2; a1 gets c2, the customer it has not declined.
    assert_eq!(engine.queue_view("general").expect("q").waiting, ["c1"]);
    assert_eq!(engine.agent_view("a1").expect("a1").offers, ["c2"]);
    login(&engine, "a2", &[("general", 3)], 1);
    settle(&engine).await;
    assert_eq!(engine.agent_view("a2").expect("a2").offers, ["c1"]);
}

#[tokio::test(start_paused = true)]
async fn agent_disconnect_mid_offer_and_mid_chat() {
    let engine = engine().await;
    waiting(&engine, "c1").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    waiting(&engine, "c2").await;
    login(&engine, "a1", &[("general", 3)], 2);
    settle(&engine).await;
    engine.accept("a1", "c1").await.expect("accept c1");
    settle(&engine).await;
    assert_eq!(engine.agent_view("a1").expect("a1").offers, ["c2"]);
    tokio::time::sleep(Duration::from_secs(1)).await;
    waiting(&engine, "c3").await;
    assert_eq!(engine.queue_view("general").expect("q").waiting, ["c3"]);

    engine.logout("a1").await.expect("logout");
    settle(&engine).await;
    // Assigned c1 goes to the front, offered c2 to its original place (ahead of c3).
    assert_eq!(engine.queue_view("general").expect("q").waiting, ["c1", "c2", "c3"]);
    for id in ["c1", "c2", "c3"] {
        assert_eq!(state(&engine, id), State::Queued);
    }
    assert!(engine.agent_view("a1").is_none());
    assert_eq!(engine.accept("a1", "c2").await.expect_err("gone").code(), "unknown_agent");
}

#[tokio::test(start_paused = true)]
async fn capacity_and_skills_filter_offers() {
    let engine = engine().await;
    login(&engine, "billing-only", &[("billing", 5)], 3);
    login(&engine, "generalist", &[("general", 2)], 2);
    settle(&engine).await;
    for i in 1..=3 {
        waiting(&engine, &format!("c{i}")).await;
    }
    let generalist = engine.agent_view("generalist").expect("agent");
    assert_eq!(generalist.offers.len(), 2, "capacity 2");
    assert!(
        engine.agent_view("billing-only").expect("agent").offers.is_empty(),
        "no general skill"
    );
    assert_eq!(engine.queue_view("general").expect("q").waiting, ["c3"]);

    let events = open(&engine, "b1");
    drop(events);
    engine.customer_message("b1", "I was charged twice for my order").expect("message");
    settle(&engine).await;
    assert_eq!(engine.agent_view("billing-only").expect("agent").offers, ["b1"]);
}

#[tokio::test(start_paused = true)]
async fn aging_beats_a_newer_high_priority_customer() {
    // low_confidence escalations have priority 3, explicit requests 5; one point = 60 s.
    async fn low_priority(engine: &Engine, id: &str) {
        open(engine, id);
        for _ in 0..2 {
            engine.bot_reply(id, BotReply::new("Sorry, could you rephrase?", 0.2)).expect("reply");
        }
        settle(engine).await;
        assert_eq!(engine.conversation_state(id), Some(State::Queued));
    }
    for (wait_s, first) in [(100, "high"), (130, "low")] {
        let engine = engine().await;
        low_priority(&engine, "low").await;
        tokio::time::sleep(Duration::from_secs(wait_s)).await;
        waiting(&engine, "high").await;
        assert_eq!(engine.queue_view("general").expect("q").waiting[0], first, "after {wait_s} s");
        login(&engine, "a1", &[("general", 3)], 1);
        settle(&engine).await;
        assert_eq!(engine.agent_view("a1").expect("a1").offers, [first]);
    }
}

#[tokio::test(start_paused = true)]
async fn hand_back_lets_the_bot_speak_again() {
    let engine = engine().await;
    let mut events = waiting(&engine, "c1").await;
    login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    engine.accept("a1", "c1").await.expect("accept");
    engine.hand_back("a1", "c1").await.expect("hand back");
    settle(&engine).await;
    assert_eq!(state(&engine, "c1"), State::ReturnedToBot);
    assert!(drain(&mut events).contains(&ConversationEvent::BotResumed));
    assert_eq!(engine.agent_view("a1").expect("a1").used_slots, 0);
    // Within the cooldown a very negative message stays with the bot; asking does not.
    let decision =
        engine.customer_message("c1", "This is horrible, terrible, awful!!!").expect("message");
    assert!(!decision.escalate);
    engine.customer_message("c1", "ok, agent please").expect("message");
    settle(&engine).await;
    assert_eq!(state(&engine, "c1"), State::Offered);
    assert_eq!(
        engine.ask_for_human("c1").await.expect_err("already handed off").code(),
        "illegal_transition"
    );
}

#[tokio::test(start_paused = true)]
async fn abandonment_while_offered_frees_the_agent() {
    let engine = engine().await;
    let _events = waiting(&engine, "c1").await;
    let mut agent_events = login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    assert_eq!(state(&engine, "c1"), State::Offered);
    assert_eq!(engine.close("c1", "customer left", None).await.expect("close"), State::Abandoned);
    settle(&engine).await;
    assert_eq!(engine.agent_view("a1").expect("a1").used_slots, 0);
    assert!(drain(&mut agent_events).iter().any(|e| matches!(e, AgentEvent::Released { .. })));
    assert_eq!(engine.accept("a1", "c1").await.expect_err("revoked").code(), "no_such_offer");
    assert_eq!(engine.stats().abandoned, 1);
    let err: EngineError = engine.ask_for_human("c1").await.expect_err("finished");
    assert_eq!(err.code(), "conversation_finished");
}

#[tokio::test(start_paused = true)]
async fn shutdown_finishes_queued_work_then_refuses_calls() {
    let engine = engine().await;
    let handle = engine.clone();
    open(&engine, "c1");
    // Queued for the actor, not yet processed: shutdown lets it finish.
    engine.customer_message("c1", "agent please").expect("message");
    engine.shutdown().await;
    assert_eq!(handle.conversation_state("c1"), Some(State::Queued));
    assert_eq!(
        handle.customer_message("c1", "hello?").expect_err("stopped").code(),
        "engine_stopped"
    );
    assert_eq!(handle.close("c1", "x", None).await.expect_err("stopped").code(), "engine_stopped");
}

#[tokio::test(start_paused = true)]
async fn idle_conversations_hibernate_and_wake_on_the_next_message() {
    let engine = engine().await;
    open(&engine, "c1");
    open(&engine, "c2");
    engine.customer_message("c1", "hello, where is my parcel?").expect("message");
    settle(&engine).await;
    assert_eq!(engine.stats().hibernating, 0);
    tokio::time::sleep(Duration::from_secs(31)).await;
    settle(&engine).await;
    assert_eq!(engine.stats().hibernating, 2);
    // The record survived; the next message wakes the conversation and escalates.
    engine.customer_message("c1", "get me a human").expect("message");
    settle(&engine).await;
    assert_eq!(state(&engine, "c1"), State::Queued);
    assert_eq!(engine.transcript("c1").expect("transcript").len(), 2);
    assert_eq!(engine.stats().hibernating, 1);
    assert_eq!(engine.close("c2", "bot resolved", None).await.expect("close"), State::Closed);
    assert_eq!(engine.stats().hibernating, 0);
}

#[tokio::test(start_paused = true)]
async fn waiting_customers_hear_their_place_and_wait() {
    // No wrap-up: with nothing learned, handle times are taken as exponential, and without a
    // wrap-up the model counts AHT / c per slot exactly (a wrap-up makes it build the curve of
    // when slots free, `wait::FreeCurve`, whose figure is not this test's subject).
    let mut config = Config::default();
    config.routing.wrap_up_s = 0;
    let engine = engine_with(config).await;
    login(&engine, "a1", &[("general", 3)], 1);
    settle(&engine).await;
    let _first = waiting(&engine, "c0").await;
    engine.accept("a1", "c0").await.expect("accept");
    let mut second = waiting(&engine, "c1").await;
    let mut third = waiting(&engine, "c2").await;
    let told = |rx: &mut Receiver<ConversationEvent>| {
        drain(rx)
            .into_iter()
            .filter_map(|e| match e {
                ConversationEvent::Waiting { position, estimate_ms, message } => {
                    Some((position, estimate_ms, message))
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    // One agent busy, AHT 240 s: c1 is next (4 minutes), c2 second (8 minutes); each slot's
    // cycle and the wait itself hold the time agents take to accept (here the 1 ms c0's
    // offer took on paused time): 240,001 + 1 and 2 · 240,001 + 1.
    assert_eq!(told(&mut second), [(0, Some(240_002), "Thanks for waiting. You're number 1 in line for our general team; the wait is less than 5 minutes.".to_owned())]);
    assert_eq!(told(&mut third)[0].1, Some(480_003));
    // c0 ends: c1 is offered, c2 moves up and hears so (after the update interval).
    tokio::time::sleep(Duration::from_secs(60)).await;
    engine.close("c0", "done", None).await.expect("close");
    settle(&engine).await;
    tokio::time::sleep(Duration::from_secs(31)).await;
    settle(&engine).await;
    let updates = told(&mut third);
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(updates[0].0, 0);
    assert!(updates[0].2.starts_with("You're now number 1 in line; the wait is "), "{updates:?}");
    assert!(told(&mut second).is_empty(), "c1 was offered, no more waiting updates");
}

#[tokio::test(start_paused = true)]
async fn sensitive_topics_reach_only_cleared_agents() {
    let engine = engine().await;
    engine
        .agent_login(AgentLogin::new("uncleared", vec![("security".into(), 5)], 1))
        .expect("login");
    let cleared = AgentLogin {
        clearances: vec!["account_security".into()],
        ..AgentLogin::new("cleared", vec![("security".into(), 1)], 1)
    };
    engine.agent_login(cleared).expect("login");
    settle(&engine).await;
    open(&engine, "c1");
    engine.customer_message("c1", "my account was hacked").expect("message");
    settle(&engine).await;
    assert!(engine.agent_view("uncleared").expect("agent").offers.is_empty());
    assert_eq!(engine.agent_view("cleared").expect("agent").offers, ["c1"]);
    // Even when the cleared agent declines, the uncleared one never gets it.
    engine.decline("cleared", "c1").await.expect("decline");
    tokio::time::sleep(Duration::from_secs(60)).await;
    settle(&engine).await;
    assert!(engine.agent_view("uncleared").expect("agent").offers.is_empty());
    assert_eq!(engine.conversation_state("c1"), Some(State::Queued));
}
