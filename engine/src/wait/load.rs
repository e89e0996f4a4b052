//! A queue's load level from its expected wait and its agents' occupancy, with hysteresis:
//! it rises as soon as a level's entry condition holds and falls only once the wait is well
//! below the level's threshold (`exit_ewt_share`) and occupancy clearly below
//! (`occupancy_margin`), so a queue hovering around a threshold does not flap.

use crate::escalation::{Load, LoadConfig, LoadRule};

const LEVELS: [Load; 3] = [Load::Elevated, Load::High, Load::Critical];

fn rule(config: &LoadConfig, level: Load) -> &LoadRule {
    match level {
        Load::Elevated => &config.elevated,
        Load::High => &config.high,
        _ => &config.critical,
    }
}

/// The level after observing `ewt_ms` (a new customer's expected wait; `None` when nobody is
/// staffed) with `waiting` customers and `occupancy` (busy / staffed slots).
pub fn next_level(
    current: Load,
    ewt_ms: Option<u64>,
    waiting: usize,
    occupancy: f64,
    config: &LoadConfig,
) -> Load {
    // Customers waiting and nobody to serve them: as bad as it gets.
    let ewt_ms = match ewt_ms {
        Some(ms) => ms,
        None if waiting > 0 => u64::MAX,
        None => 0,
    };
    let enters = |level: Load| {
        let r = rule(config, level);
        ewt_ms >= r.enter_ewt_s.saturating_mul(1000) || occupancy >= r.enter_occupancy
    };
    let stays = |level: Load| {
        let r = rule(config, level);
        let exit_ms = (r.enter_ewt_s as f64 * 1000.0 * config.exit_ewt_share) as u64;
        ewt_ms >= exit_ms || occupancy >= r.enter_occupancy - config.occupancy_margin
    };
    let entered = LEVELS.into_iter().rev().find(|l| enters(*l)).unwrap_or(Load::Normal);
    let mut held = current;
    while held != Load::Normal && !stays(held) {
        held = match held {
            Load::Critical => Load::High,
            Load::High => Load::Elevated,
            _ => Load::Normal,
        };
    }
    entered.max(held)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rises_at_once_and_falls_with_hysteresis() {
        let c = LoadConfig::default(); // elevated 60 s / 0.85, high 180 s / 0.95, critical 600 s
        let s = |ms: u64| Some(ms * 1000);
        assert_eq!(next_level(Load::Normal, s(30), 3, 0.5, &c), Load::Normal);
        assert_eq!(next_level(Load::Normal, s(200), 9, 0.9, &c), Load::High);
        assert_eq!(next_level(Load::Normal, s(10), 1, 0.96, &c), Load::High, "occupancy alone");
        // 170 s is below high's 180 s but above 0.75 × 180 = 135 s: stays high.
        assert_eq!(next_level(Load::High, s(170), 5, 0.5, &c), Load::High);
        // 100 s: leaves high (below 135 s) but stays elevated (above 60 s).
        assert_eq!(next_level(Load::High, s(100), 5, 0.5, &c), Load::Elevated);
        // 50 s is below elevated's 60 s but above 45 s: still elevated; 40 s: normal.
        assert_eq!(next_level(Load::Elevated, s(50), 2, 0.5, &c), Load::Elevated);
        assert_eq!(next_level(Load::Elevated, s(40), 2, 0.5, &c), Load::Normal);
        assert_eq!(
            next_level(Load::Critical, s(0), 0, 0.0, &c),
            Load::Normal,
            "falls through every level"
        );
        assert_eq!(
            next_level(Load::Normal, None, 4, 0.0, &c),
            Load::Critical,
            "waiting with nobody staffed"
        );
        assert_eq!(next_level(Load::Normal, None, 0, 0.0, &c), Load::Normal);
    }
}
