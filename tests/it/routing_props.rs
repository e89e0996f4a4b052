//! Property tests over random sequences of logins, logouts, presence changes, arrivals,
//! accepts, declines, wrap-ups, hand-backs, closes and time passing. After every step, once
//! the engine is quiet, the invariants must hold:
//!
//! - every conversation ever opened is in exactly one state;
//! - no agent is over capacity, and its used slots are exactly what it holds;
//! - no conversation is held by two agents, and states agree with who holds what;
//! - no agent holds a conversation of a skill it does not have;
//! - work conservation: no available agent with a free slot and the skill stays idle while a
//!   customer of that skill waits, unless that agent declined (or let expire) that customer.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{AgentLogin, Engine, OpenConversation, State};
use baton_engine::routing::Presence;
use proptest::prelude::*;

pub const AGENTS: usize = 4;
pub const SKILLS: [&str; 3] = ["general", "billing", "security"];
/// Every strategy keeps the invariants (each case picks one).
const STRATEGIES: [baton_engine::routing::Strategy; 3] = [
    baton_engine::routing::Strategy::LongestIdle,
    baton_engine::routing::Strategy::LeastOccupied,
    baton_engine::routing::Strategy::HighestProficiency,
];
/// A message that escalates to each skill.
const ASKS: [&str; 3] = ["can I talk to an agent", "I was charged twice", "my account was hacked"];

#[derive(Debug, Clone)]
pub enum Op {
    Login { agent: usize, skills: u8, capacity: u32 },
    Logout { agent: usize },
    Presence { agent: usize, available: bool },
    Arrive { skill: usize },
    Accept { agent: usize },
    Decline { agent: usize },
    WrapUp { agent: usize },
    HandBack { agent: usize },
    Close { conv: usize },
    Wait { seconds: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    let agent = 0..AGENTS;
    prop_oneof![
        2 => (agent.clone(), 1..8u8, 1..4u32).prop_map(|(agent, skills, capacity)| Op::Login { agent, skills, capacity }),
        1 => agent.clone().prop_map(|agent| Op::Logout { agent }),
        1 => (agent.clone(), any::<bool>()).prop_map(|(agent, available)| Op::Presence { agent, available }),
        3 => (0..SKILLS.len()).prop_map(|skill| Op::Arrive { skill }),
        3 => agent.clone().prop_map(|agent| Op::Accept { agent }),
        1 => agent.clone().prop_map(|agent| Op::Decline { agent }),
        1 => agent.clone().prop_map(|agent| Op::WrapUp { agent }),
        1 => agent.prop_map(|agent| Op::HandBack { agent }),
        2 => (0..16usize).prop_map(|conv| Op::Close { conv }),
        1 => (0..45u64).prop_map(|seconds| Op::Wait { seconds }),
    ]
}

pub async fn apply(engine: &Engine, op: &Op, opened: &mut Vec<String>) {
    let agent_id = |i: usize| format!("agent-{i}");
    // Results are ignored on purpose: random sequences include refused actions.
    match op {
        Op::Login { agent, skills, capacity } => {
            let skills = SKILLS
                .iter()
                .enumerate()
                .filter(|(i, _)| skills & (1 << i) != 0)
                .map(|(i, s)| ((*s).to_owned(), (i + 1) as u8))
                .collect();
            let clearances = vec!["account_security".to_owned(), "legal".to_owned()];
            let login =
                AgentLogin { clearances, ..AgentLogin::new(agent_id(*agent), skills, *capacity) };
            let _ = engine.agent_login(login);
        }
        Op::Logout { agent } => drop(engine.logout(&agent_id(*agent)).await),
        Op::Presence { agent, available } => {
            let presence = if *available { Presence::Available } else { Presence::Away };
            let _ = engine.set_presence(&agent_id(*agent), presence).await;
        }
        Op::Arrive { skill } => {
            let id = format!("c{}", opened.len());
            engine.open(OpenConversation::new(&id, &id)).expect("open");
            engine.customer_message(&id, ASKS[*skill]).expect("message");
            opened.push(id);
        }
        Op::Accept { agent } | Op::Decline { agent } => {
            let id = agent_id(*agent);
            if let Some(conv) = engine.agent_view(&id).and_then(|v| v.offers.first().cloned()) {
                let _ = match op {
                    Op::Accept { .. } => engine.accept(&id, &conv).await,
                    _ => engine.decline(&id, &conv).await,
                };
            }
        }
        Op::WrapUp { agent } | Op::HandBack { agent } => {
            let id = agent_id(*agent);
            if let Some(conv) = engine.agent_view(&id).and_then(|v| v.assigned.first().cloned()) {
                let _ = match op {
                    Op::WrapUp { .. } => engine.wrap_up(&id, &conv).await,
                    _ => engine.hand_back(&id, &conv).await,
                };
            }
        }
        Op::Close { conv } => {
            if let Some(id) = opened.get(*conv) {
                let _ = engine.close(id, "closed", None).await;
            }
        }
        Op::Wait { seconds } => tokio::time::sleep(Duration::from_secs(*seconds)).await,
    }
}

/// The invariants, as a list of violations (empty when all hold).
pub fn violations(engine: &Engine, opened: &[String]) -> Vec<String> {
    let mut bad = Vec::new();
    let mut state_of: BTreeMap<String, State> = BTreeMap::new();
    for (state, ids) in engine.conversations_by_state() {
        for id in ids {
            if let Some(other) = state_of.insert(id.clone(), state) {
                bad.push(format!("{id} is both {other:?} and {state:?}"));
            }
        }
    }
    for id in opened {
        if !state_of.contains_key(id) {
            bad.push(format!("{id} is in no state"));
        }
    }
    let mut holders: BTreeMap<String, Vec<(String, State)>> = BTreeMap::new();
    let mut free_agents: Vec<(String, Vec<String>)> = Vec::new();
    for agent in engine.agents() {
        let Some(v) = engine.agent_view(&agent) else { continue };
        let held = v.offers.len() + v.assigned.len() + v.wrapping.len();
        if v.used_slots as usize != held || v.used_slots > v.capacity {
            bad.push(format!(
                "{agent}: {} slots used for {held} held, capacity {}",
                v.used_slots, v.capacity
            ));
        }
        let skills: Vec<String> = v.skills.iter().map(|(s, _)| s.clone()).collect();
        for (list, state) in [
            (&v.offers, State::Offered),
            (&v.assigned, State::Assigned),
            (&v.wrapping, State::WrapUp),
        ] {
            for conv in list {
                holders.entry(conv.clone()).or_default().push((agent.clone(), state));
                if let Some(skill) = engine.conversation_skill(conv)
                    && !skills.contains(&skill)
                {
                    bad.push(format!("{agent} holds {conv} of skill {skill} it does not have"));
                }
            }
        }
        if v.presence == Presence::Available && v.used_slots < v.capacity {
            free_agents.push((agent, skills));
        }
    }
    let mut in_queue: BTreeSet<String> = BTreeSet::new();
    for skill in engine.skills() {
        let Some(q) = engine.queue_view(&skill) else { continue };
        for conv in &q.waiting {
            in_queue.insert(conv.clone());
            if !matches!(state_of.get(conv), Some(State::Queued | State::CallbackScheduled)) {
                bad.push(format!("{conv} waits in {skill} but is {:?}", state_of.get(conv)));
            }
            let excluded = q
                .excluded
                .iter()
                .find(|(c, _)| c == conv)
                .map(|(_, a)| a.clone())
                .unwrap_or_default();
            for (agent, skills) in &free_agents {
                if skills.contains(&skill) && !excluded.contains(agent) {
                    bad.push(format!(
                        "{agent} is idle with a free {skill} slot while {conv} waits"
                    ));
                }
            }
        }
    }
    for (conv, state) in &state_of {
        let held = holders.get(conv).map_or(&[][..], Vec::as_slice);
        let expected_holders =
            usize::from(matches!(state, State::Offered | State::Assigned | State::WrapUp));
        if held.len() != expected_holders || held.iter().any(|(_, s)| s != state) {
            bad.push(format!("{conv} is {state:?} but held by {held:?}"));
        }
        if matches!(state, State::Queued | State::CallbackScheduled) != in_queue.contains(conv) {
            bad.push(format!("{conv} is {state:?}; in a queue: {}", in_queue.contains(conv)));
        }
    }
    bad
}

fn run(strategy: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build()?;
    runtime.block_on(async {
        let mut config = Config::default();
        config.routing.strategy = STRATEGIES[strategy];
        let engine = Engine::start(config).await.expect("engine");
        let mut opened = Vec::new();
        for (step, op) in ops.iter().enumerate() {
            apply(&engine, op, &mut opened).await;
            crate::engine::settle(&engine).await;
            let bad = violations(&engine, &opened);
            prop_assert!(bad.is_empty(), "after step {step} {op:?}: {bad:#?}");
        }
        let stats = engine.stats();
        prop_assert_eq!(stats.opened, opened.len() as u64);
        prop_assert_eq!(stats.live + stats.closed + stats.abandoned, stats.opened);
        engine.shutdown().await;
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn routing_invariants_hold(
        strategy in 0..STRATEGIES.len(),
        ops in proptest::collection::vec(op(), 1..60),
    ) {
        run(strategy, &ops)?;
    }
}
