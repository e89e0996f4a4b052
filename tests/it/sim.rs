//! A small discrete-event driver for simulations through the engine on paused time: a
//! reproducible random source, and serving every offer made at the current instant.

use baton_engine::engine::{AgentEvent, Engine};
use tokio::sync::broadcast::Receiver;

/// SplitMix64: small, good, reproducible.
pub struct Rng(pub u64);

impl Rng {
    /// Uniform in (0, 1].
    pub fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        ((z >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// Exponentially distributed with mean `mean_s`, in whole milliseconds.
    pub fn exp_ms(&mut self, mean_s: f64) -> u64 {
        (-self.unit().ln() * mean_s * 1000.0).round() as u64
    }
}

/// Lets the engine settle, then accepts every offer its agents received, until none is left;
/// returns the (agent, conversation) pairs accepted.
pub async fn accept_all_offers(
    engine: &Engine,
    desks: &mut [(String, Receiver<AgentEvent>)],
) -> Vec<(String, String)> {
    let mut accepted = Vec::new();
    loop {
        assert!(engine.settle(1_000_000).await, "engine did not settle");
        let mut offers = Vec::new();
        for (agent, rx) in desks.iter_mut() {
            while let Ok(event) = rx.try_recv() {
                if let AgentEvent::Offer { conversation, .. } = event {
                    offers.push((agent.clone(), conversation));
                }
            }
        }
        if offers.is_empty() {
            return accepted;
        }
        for (agent, conversation) in offers {
            engine.accept(&agent, &conversation).await.expect("accept");
            accepted.push((agent, conversation));
        }
    }
}
