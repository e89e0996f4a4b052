//! Panics injected into every kind of actor, and into supervisors, while traffic flows: the
//! routing invariants hold after every step and, once every customer is served, every
//! conversation ever opened is accounted as closed or abandoned — none lost.

use std::time::Duration;

use baton_engine::config::Config;
use baton_engine::engine::{Engine, FaultTarget, State};

use crate::engine::{login, settle};
use crate::routing_props::{AGENTS, Op, SKILLS, apply, violations};

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n
    }
}

fn random_op(rng: &mut Rng) -> Op {
    let agent = rng.below(AGENTS as u64) as usize;
    match rng.below(12) {
        0 => Op::Login { agent, skills: 1 + rng.below(7) as u8, capacity: 1 + rng.below(3) as u32 },
        1 => Op::Logout { agent },
        2 => Op::Presence { agent, available: rng.below(4) != 0 },
        3..=5 => Op::Arrive { skill: rng.below(SKILLS.len() as u64) as usize },
        6 | 7 => Op::Accept { agent },
        8 => Op::Decline { agent },
        9 => Op::WrapUp { agent },
        10 => Op::Close { conv: rng.below(400) as usize },
        _ => Op::Wait { seconds: rng.below(40) },
    }
}

fn random_fault(rng: &mut Rng, opened: &[String], engine: &Engine) -> FaultTarget {
    match rng.below(10) {
        0..=3 if !opened.is_empty() => {
            FaultTarget::Conversation(opened[rng.below(opened.len() as u64) as usize].clone())
        }
        4..=5 => FaultTarget::Agent(format!("agent-{}", rng.below(AGENTS as u64))),
        6..=7 => FaultTarget::Queue(SKILLS[rng.below(SKILLS.len() as u64) as usize].to_owned()),
        8 => FaultTarget::QueueSupervisor,
        _ => match engine.agents().first() {
            Some(_) => FaultTarget::AgentSupervisor,
            None => FaultTarget::ConversationSupervisor,
        },
    }
}

#[tokio::test(start_paused = true)]
async fn panics_under_load_lose_nothing() {
    crate::supervision::silence_injected_panics();
    let mut config = Config::default();
    // Injected faults are many and fast; only a real storm should escalate.
    config.engine.max_restarts = 1_000;
    let engine = Engine::start(config).await.expect("engine");
    let mut rng = Rng(7);
    let mut opened = Vec::new();
    let mut injected = 0;
    for step in 0..600 {
        let op = random_op(&mut rng);
        apply(&engine, &op, &mut opened).await;
        if step % 3 == 0 {
            // A target that does not exist (yet) is fine: nothing to break.
            injected +=
                u32::from(engine.inject_panic(random_fault(&mut rng, &opened, &engine)).is_ok());
        }
        settle(&engine).await;
        let bad = violations(&engine, &opened);
        assert!(bad.is_empty(), "step {step} {op:?}: {bad:#?}");
    }
    // Drain: agents for every skill take and close everyone still open.
    for i in 0..3 {
        let _ = login(
            &engine,
            &format!("closer-{i}"),
            &[("general", 1), ("billing", 1), ("security", 1)],
            100,
        );
    }
    for _ in 0..50 {
        settle(&engine).await;
        for agent in engine.agents() {
            let Some(view) = engine.agent_view(&agent) else { continue };
            for conv in view.offers {
                let _ = engine.accept(&agent, &conv).await;
            }
        }
        for id in &opened {
            if engine
                .conversation_state(id)
                .is_some_and(|s| !s.is_terminal() && s != State::Queued && s != State::Offered)
            {
                let _ = engine.close(id, "drained", None).await;
            }
        }
        tokio::time::sleep(Duration::from_secs(40)).await;
    }
    settle(&engine).await;
    let stats = engine.stats();
    let restarts = stats.conversation_restarts
        + stats.agent_restarts
        + stats.queue_restarts
        + stats.supervisor_restarts;
    eprintln!(
        "chaos: {} conversations, {injected} faults injected, {restarts} restarts, {stats:?}",
        opened.len()
    );
    assert!(restarts >= u64::from(injected) / 2, "faults were not injected: {stats:?}");
    assert_eq!(stats.opened, opened.len() as u64);
    assert_eq!(stats.live, 0, "{:?}", engine.conversations_by_state());
    assert_eq!(stats.closed + stats.abandoned, stats.opened);
}
