//! How long each kill kept the service away: from the kill to the server accepting a
//! WebSocket connection again, and to the first request after the kill that succeeded.

use serde::Serialize;
use tokio::time::Instant;

use crate::ledger::{Op, Outcome};

/// One kill: when it was sent and when the restarted server accepted a connection.
#[derive(Debug, Clone, Copy)]
pub struct Kill {
    pub at: Instant,
    /// `None`: the server did not come back.
    pub accepting: Option<Instant>,
}

/// Milliseconds, over the kills that got there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    pub count: u64,
    pub median: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(mut ms: Vec<f64>) -> Spread {
        ms.sort_by(f64::total_cmp);
        let n = ms.len();
        let median = match n {
            0 => 0.0,
            _ if n % 2 == 1 => ms[n / 2],
            _ => (ms[n / 2 - 1] + ms[n / 2]) / 2.0,
        };
        Spread { count: n as u64, median, max: ms.last().copied().unwrap_or(0.0) }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Recovery {
    pub kills: u64,
    /// Kill → the server accepting a WebSocket connection again.
    pub accepting_ms: Spread,
    /// Kill → the first request sent after it that was acknowledged.
    pub first_success_ms: Spread,
}

/// Recovery figures for `kills` (in order) from the ledger's `ops`.
pub fn recovery(kills: &[Kill], ops: &[Op]) -> Recovery {
    let ms = |from: Instant, to: Instant| to.saturating_duration_since(from).as_secs_f64() * 1e3;
    let accepting = kills.iter().filter_map(|k| k.accepting.map(|a| ms(k.at, a))).collect();
    let first_success = kills
        .iter()
        .enumerate()
        .filter_map(|(i, kill)| {
            // A success that came after the next kill belongs to that one.
            let until = kills.get(i + 1).map(|k| k.at);
            ops.iter()
                .filter(|op| matches!(op.outcome, Outcome::Acked { .. }) && op.invoked >= kill.at)
                .filter_map(|op| op.settled)
                .filter(|settled| until.is_none_or(|until| *settled < until))
                .min()
                .map(|settled| ms(kill.at, settled))
        })
        .collect();
    Recovery {
        kills: kills.len() as u64,
        accepting_ms: Spread::of(accepting),
        first_success_ms: Spread::of(first_success),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn spreads_are_medians_and_maxima() {
        assert_eq!(Spread::of(vec![]), Spread::default());
        assert_eq!(
            Spread::of(vec![30.0, 10.0, 20.0]),
            Spread { count: 3, median: 20.0, max: 30.0 }
        );
        assert_eq!(Spread::of(vec![40.0, 10.0]), Spread { count: 2, median: 25.0, max: 40.0 });
    }

    #[test]
    fn each_kill_is_timed_to_its_first_success() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let op = |invoked: u64, settled: u64, outcome: Outcome| Op {
            kind: "open".into(),
            conversation: None,
            text: None,
            invoked: at(invoked),
            settled: Some(at(settled)),
            outcome,
        };
        let acked = || Outcome::Acked { state: None };
        let kills = [
            Kill { at: at(1000), accepting: Some(at(1300)) },
            Kill { at: at(5000), accepting: Some(at(5100)) },
            Kill { at: at(9000), accepting: None },
        ];
        let ops = [
            // Before the first kill: not a recovery.
            op(900, 950, acked()),
            // Sent before the kill, its connection died: unknown, not a success.
            op(990, 1000, Outcome::Unknown("disconnected".into())),
            // Waited for the connection, acknowledged by the new server.
            op(1100, 1400, acked()),
            op(1200, 1350, Outcome::Failed("illegal_transition".into())),
            op(1500, 1600, acked()),
            op(5200, 5250, acked()),
        ];
        let r = recovery(&kills, &ops);
        assert_eq!(r.kills, 3);
        assert_eq!(r.accepting_ms, Spread { count: 2, median: 200.0, max: 300.0 });
        assert_eq!(r.first_success_ms.count, 2, "the last kill saw no success: {r:?}");
        assert!((r.first_success_ms.max - 400.0).abs() < 1e-6, "{r:?}");
        assert!((r.first_success_ms.median - 325.0).abs() < 1e-6, "{r:?}");
    }
}
