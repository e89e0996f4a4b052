//! Fault injection for SREs (`--kill-every`): the generator starts the server itself, kills
//! it under the scenario's load and starts it again, keeps a ledger of what every request was
//! told, and after the run checks the ledger against what the server holds: lost and
//! duplicated operations, and how long each restart took to serve again.

pub mod check;
pub mod process;
pub mod recovery;
pub mod supervise;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

pub use process::Signal;

use self::check::Findings;
use self::recovery::Recovery;
use crate::ledger::{Op, Outcome};

/// What to do to the server.
#[derive(Debug, Clone)]
pub struct FaultOptions {
    /// From the server accepting connections to the next kill.
    pub kill_every: Duration,
    /// `sh -c` this to start the server in the foreground (again after each kill).
    pub restart: String,
    pub signal: Signal,
}

/// Parses `20s`, `500ms`, `2m`, `1.5s` (a bare number is seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().map_err(|_| format!("`{text}` is not a duration"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        other => return Err(format!("unknown unit `{other}` in `{text}` (ms, s or m)")),
    };
    if !(seconds.is_finite() && seconds > 0.0 && seconds < 1e9) {
        return Err(format!("`{text}` must be a positive duration"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The report's `faults` object.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FaultsReport {
    /// `kill` (SIGKILL) or `term` (SIGTERM).
    pub signal: String,
    pub kill_every_s: f64,
    pub kills: u64,
    pub operations: Operations,
    /// Acknowledged operations the final state does not reflect. Must be 0.
    pub lost: u64,
    /// Operations reflected more often than they were sent. Must be 0.
    pub duplicated: u64,
    /// Decided turns (no promise) missing after a kill: allowed, reported.
    pub unpromised_missing: u64,
    /// Conversations checked after the last restart.
    pub conversations_checked: u64,
    pub recovery: Recovery,
    /// The first few of what was lost or duplicated.
    pub notes: Vec<String>,
    /// How the last server took its SIGTERM at the end, when not cleanly (empty when it
    /// exited 0).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub final_stop: String,
}

/// The ledger's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Operations {
    pub invoked: u64,
    pub acked: u64,
    pub failed: u64,
    pub failed_by_code: BTreeMap<String, u64>,
    /// No answer before the connection died (or the run ended), or the server could not tell.
    pub unknown: u64,
}

impl Operations {
    pub fn count(ops: &[Op]) -> Operations {
        let mut counts = Operations { invoked: ops.len() as u64, ..Operations::default() };
        for op in ops {
            match &op.outcome {
                Outcome::Acked { .. } => counts.acked += 1,
                Outcome::Failed(code) => {
                    counts.failed += 1;
                    *counts.failed_by_code.entry(code.clone()).or_default() += 1;
                }
                Outcome::Unknown(_) | Outcome::Pending => counts.unknown += 1,
            }
        }
        counts
    }
}

impl FaultsReport {
    pub fn new(
        options: &FaultOptions,
        ops: &[Op],
        findings: Findings,
        recovery: Recovery,
    ) -> FaultsReport {
        FaultsReport {
            signal: options.signal.name().to_owned(),
            kill_every_s: options.kill_every.as_secs_f64(),
            kills: recovery.kills,
            operations: Operations::count(ops),
            lost: findings.lost,
            duplicated: findings.duplicated,
            unpromised_missing: findings.unpromised_missing,
            conversations_checked: findings.conversations,
            recovery,
            notes: findings.notes,
            final_stop: String::new(),
        }
    }

    /// The human report's section.
    pub fn human(&self, out: &mut String) {
        let o = &self.operations;
        let r = &self.recovery;
        let _ = writeln!(
            out,
            "faults         {} kills (SIG{}) every {} s · {} conversations checked after the last restart",
            self.kills,
            self.signal.to_uppercase(),
            self.kill_every_s,
            self.conversations_checked
        );
        let failed: Vec<String> =
            o.failed_by_code.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(
            out,
            "  ledger       {} invoked · {} acked · {} failed ({}) · {} unknown",
            o.invoked,
            o.acked,
            o.failed,
            if failed.is_empty() { "none".to_owned() } else { failed.join(" · ") },
            o.unknown
        );
        let _ = writeln!(
            out,
            "  checked      lost {} · duplicated {} · decided turns not kept {} (not promised)",
            self.lost, self.duplicated, self.unpromised_missing
        );
        let _ = writeln!(
            out,
            "  recovery     accepting again median {:.0} ms, max {:.0} ms · first success median {:.0} ms, max {:.0} ms",
            r.accepting_ms.median,
            r.accepting_ms.max,
            r.first_success_ms.median,
            r.first_success_ms.max
        );
        for note in &self.notes {
            let _ = writeln!(out, "  found        {note}");
        }
        if !self.final_stop.is_empty() {
            let _ = writeln!(out, "  at the end   {}", self.final_stop);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_their_units() {
        assert_eq!(parse_duration("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert_eq!(parse_duration(" 3 s "), Ok(Duration::from_secs(3)));
        for bad in ["", "s", "0s", "-1s", "10h", "fast", "1..2s", "1e3s"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn operations_are_counted_by_outcome() {
        let op = |outcome| Op {
            kind: "open".into(),
            conversation: None,
            text: None,
            invoked: tokio::time::Instant::now(),
            settled: None,
            outcome,
        };
        let ops = [
            op(Outcome::Acked { state: None }),
            op(Outcome::Failed("overloaded".into())),
            op(Outcome::Failed("overloaded".into())),
            op(Outcome::Failed("not_sent".into())),
            op(Outcome::Unknown("disconnected".into())),
            op(Outcome::Pending),
        ];
        let counts = Operations::count(&ops);
        assert_eq!((counts.invoked, counts.acked, counts.failed, counts.unknown), (6, 1, 3, 2));
        assert_eq!(counts.failed_by_code["overloaded"], 2);
        assert_eq!(counts.failed_by_code["not_sent"], 1);
    }
}
