//! The run's report: the JSON contract of DESIGN.md §5 (fields are only ever added), the SLO
//! verdicts, and the human-readable rendering.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::faults::FaultsReport;
use crate::scenario::Slo;
use crate::stats::Percentiles;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub scenario: String,
    /// `embedded`, `target` or `in-process`.
    pub mode: String,
    /// `json` or `msgpack` over the network; `none` in process.
    pub encoding: String,
    pub time_scale: f64,
    pub rate_factor: f64,
    pub wall_s: f64,
    pub conversations: Conversations,
    /// Agents logged in, and the wall seconds logging them in took (before the first arrival).
    pub agents: u64,
    pub login_s: f64,
    /// The most conversations open at once (opened, not yet closed or abandoned), as the
    /// generator saw them.
    pub peak_live_conversations: u64,
    /// From the moment each message was due to be sent (coordinated omission corrected).
    pub decision_latency_us: Latency,
    /// From the moment each message was actually sent: the engine's (and network's) own time.
    pub service_latency_us: Latency,
    pub time_to_agent_s: Wait,
    pub handoff_rate: f64,
    pub by_reason: BTreeMap<String, u64>,
    pub by_topic: BTreeMap<String, u64>,
    /// Decisions and handoffs as the engine itself counted them during the run
    /// (`baton_decisions_total`, `baton_handoffs_total`); absent when its metrics could not be
    /// read (a target without `--metrics`).
    pub engine_counted: Option<EngineCounts>,
    pub offers: Offers,
    /// Each estimator's accuracy, from the engine (absent when the engine could not be asked).
    pub ewt: BTreeMap<String, Accuracy>,
    /// Per phase of the scenario, each estimator beside the oracle (the best prediction
    /// possible from the floor at enqueue): only when the engine runs in this process (and
    /// the floor has at most 1,000 agents); empty otherwise.
    pub ewt_phases: Vec<EwtPhase>,
    pub throughput_msgs_per_s: f64,
    pub errors: BTreeMap<String, u64>,
    /// Peak resident memory of the engine's process (in process and embedded modes, the
    /// generator runs in the same process and is included).
    pub engine_peak_rss_bytes: Option<u64>,
    pub slo: SloVerdict,
    /// Fault injection (`--kill-every`): kills, the ledger and what its check found; absent
    /// from a run without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub faults: Option<FaultsReport>,
}

/// What the engine's own metrics counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EngineCounts {
    /// Decisions by outcome (`escalate`, `stay`).
    pub decisions: BTreeMap<String, u64>,
    /// Conversations handed over to a human, by reason.
    pub handoffs_by_reason: BTreeMap<String, u64>,
}

impl EngineCounts {
    /// What was counted after `before` (the recorder is per process and outlives a run).
    pub fn since(&self, before: &EngineCounts) -> EngineCounts {
        let minus = |now: &BTreeMap<String, u64>, then: &BTreeMap<String, u64>| {
            now.iter()
                .map(|(k, v)| (k.clone(), v.saturating_sub(then.get(k).copied().unwrap_or(0))))
                .filter(|(_, v)| *v > 0)
                .collect()
        };
        EngineCounts {
            decisions: minus(&self.decisions, &before.decisions),
            handoffs_by_reason: minus(&self.handoffs_by_reason, &before.handoffs_by_reason),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Conversations {
    /// Arrivals the scenario scheduled.
    pub arrivals: u64,
    /// Arrivals the engine accepted.
    pub opened: u64,
    /// Refused at admission (`overloaded`) or by an error: never opened.
    pub refused: u64,
    pub closed: u64,
    pub closed_by_bot: u64,
    pub closed_by_agent: u64,
    pub escalated: u64,
    pub abandoned: u64,
    pub callbacks_offered: u64,
    pub callbacks_accepted: u64,
    /// Callbacks accepted and not yet served at the end (their tickets are in the store).
    pub callback_tickets: u64,
    pub live_at_end: u64,
    /// Opened conversations the engine cannot account for. Must be 0.
    pub lost: u64,
}

/// Latency percentiles in microseconds (the histogram's own summary).
pub type Latency = Percentiles;

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Wait {
    pub count: u64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

impl From<Percentiles> for Wait {
    fn from(p: Percentiles) -> Wait {
        Wait { count: p.count, p50: p.p50, p90: p.p90, p99: p.p99 }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Offers {
    pub accepted: u64,
    pub declined: u64,
    /// Left to time out by the simulated agents.
    pub unanswered: u64,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Accuracy {
    pub n: u64,
    pub median_abs_pct_err: f64,
    pub mape: f64,
}

/// One phase of the scenario: customers who joined a queue from `from_s` to `to_s`
/// (scenario seconds) and were served.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EwtPhase {
    pub name: String,
    pub from_s: f64,
    pub to_s: f64,
    /// By estimator name, `oracle` among them.
    pub estimators: BTreeMap<String, PhaseAccuracy>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PhaseAccuracy {
    pub n: u64,
    pub median_abs_pct_err: f64,
    pub mape: f64,
    /// The median and the mean error over the oracle's (1 for the oracle itself).
    pub x_oracle_median: f64,
    pub x_oracle_mean: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SloVerdict {
    pub passed: bool,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub target: String,
    pub actual: String,
    pub passed: bool,
    /// Reported, not judged (a latency SLO while the server is being killed on purpose).
    #[serde(skip_serializing_if = "is_false")]
    pub informational: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Check {
    fn new(name: &str, target: String, actual: String, passed: bool) -> Check {
        Check { name: name.into(), target, actual, passed, informational: false }
    }
}

impl Report {
    /// Checks the SLOs (and `lost == 0`, always) and records the verdict.
    pub fn judge(&mut self, slo: &Slo) {
        let lost = self.conversations.lost;
        let mut checks = vec![Check::new("lost", "= 0".into(), lost.to_string(), lost == 0)];
        let mut at_most = |name: &str, target: Option<f64>, actual: f64| {
            if let Some(target) = target {
                let (wanted, shown) = (format!("<= {target}"), format!("{actual:.1}"));
                checks.push(Check::new(name, wanted, shown, actual <= target));
            }
        };
        let d = self.decision_latency_us;
        at_most("decision_latency_us.p99", slo.decision_p99_us, d.p99);
        at_most("decision_latency_us.p999", slo.decision_p999_us, d.p999);
        at_most("time_to_agent_s.p90", slo.time_to_agent_p90_s, self.time_to_agent_s.p90);
        at_most(
            "errors",
            slo.max_errors.map(|n| n as f64),
            self.errors.values().sum::<u64>() as f64,
        );
        let c = &self.conversations;
        let abandon_rate =
            if c.escalated == 0 { 0.0 } else { c.abandoned as f64 / c.escalated as f64 };
        at_most("abandon_rate", slo.max_abandon_rate, abandon_rate);
        let model = self.ewt.get("model").map_or(f64::NAN, |a| a.median_abs_pct_err);
        if let Some(target) = slo.ewt_model_median_abs_pct_err {
            checks.push(Check::new(
                "ewt.model.median_abs_pct_err",
                format!("<= {target}"),
                format!("{model:.1}"),
                model <= target,
            ));
        }
        if let Some(min) = slo.min_callbacks_offered {
            checks.push(Check::new(
                "callbacks_offered",
                format!(">= {min}"),
                c.callbacks_offered.to_string(),
                c.callbacks_offered >= min,
            ));
        }
        if let Some(min) = slo.min_throughput_share {
            let share = if c.arrivals == 0 { 1.0 } else { c.opened as f64 / c.arrivals as f64 };
            checks.push(Check::new(
                "opened / arrivals",
                format!(">= {min}"),
                format!("{share:.3}"),
                share >= min,
            ));
        }
        if let Some(f) = &self.faults {
            // The kills break latency, error and wait SLOs on purpose: under fault injection
            // they are reported, and the verdict is what the server kept.
            for check in &mut checks[1..] {
                check.informational = true;
            }
            let zero = |n: u64| (n.to_string(), n == 0);
            let (lost, no_loss) = zero(f.lost);
            checks.push(Check::new("faults.lost", "= 0".into(), lost, no_loss));
            let (duplicated, no_dup) = zero(f.duplicated);
            checks.push(Check::new("faults.duplicated", "= 0".into(), duplicated, no_dup));
            checks.push(Check::new(
                "faults.kills",
                ">= 1".into(),
                f.kills.to_string(),
                f.kills > 0,
            ));
        }
        let passed = checks.iter().all(|c| c.passed || c.informational);
        self.slo = SloVerdict { passed, checks };
    }

    /// The report for people.
    pub fn human(&self) -> String {
        let mut out = String::new();
        let c = &self.conversations;
        let d = self.decision_latency_us;
        let t = self.time_to_agent_s;
        let _ = writeln!(
            out,
            "scenario {} · mode {} ({}) · time ×{} · arrivals ×{} · {:.1} s wall",
            self.scenario, self.mode, self.encoding, self.time_scale, self.rate_factor, self.wall_s
        );
        let _ = writeln!(
            out,
            "conversations  {} arrived, {} opened, {} refused · {} escalated ({:.1} %) · closed {} (bot {}, agent {}) · abandoned {} · callback tickets {} · live at end {} · lost {}",
            c.arrivals,
            c.opened,
            c.refused,
            c.escalated,
            self.handoff_rate * 100.0,
            c.closed,
            c.closed_by_bot,
            c.closed_by_agent,
            c.abandoned,
            c.callback_tickets,
            c.live_at_end,
            c.lost
        );
        let _ = writeln!(
            out,
            "floor          {} agents logged in in {:.1} s · at most {} conversations live at once",
            self.agents, self.login_s, self.peak_live_conversations
        );
        let _ = writeln!(
            out,
            "decisions      {} · p50 {:.0} µs · p90 {:.0} µs · p99 {:.0} µs · p99.9 {:.0} µs · max {:.0} µs · {:.0} msgs/s",
            d.count, d.p50, d.p90, d.p99, d.p999, d.max, self.throughput_msgs_per_s
        );
        let v = self.service_latency_us;
        let _ = writeln!(
            out,
            "  from send    p50 {:.0} µs · p90 {:.0} µs · p99 {:.0} µs · p99.9 {:.0} µs · max {:.0} µs",
            v.p50, v.p90, v.p99, v.p999, v.max
        );
        let _ = writeln!(
            out,
            "time to agent  {} customers · p50 {:.0} s · p90 {:.0} s · p99 {:.0} s (scenario time)",
            t.count, t.p50, t.p90, t.p99
        );
        let reasons: Vec<String> = self.by_reason.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(out, "handoffs       {}", reasons.join(" · "));
        if let Some(e) = &self.engine_counted {
            let join = |m: &BTreeMap<String, u64>| {
                m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(" · ")
            };
            let _ = writeln!(
                out,
                "  engine count decisions {} · handoffs {}",
                join(&e.decisions),
                join(&e.handoffs_by_reason)
            );
        }
        let _ = writeln!(
            out,
            "callbacks      {} offered · {} accepted · offers {} accepted, {} declined, {} unanswered",
            c.callbacks_offered,
            c.callbacks_accepted,
            self.offers.accepted,
            self.offers.declined,
            self.offers.unanswered
        );
        for (name, a) in &self.ewt {
            let _ = writeln!(
                out,
                "ewt {name:<20} n {} · median abs error {:.1} % · mean {:.1} %",
                a.n, a.median_abs_pct_err, a.mape
            );
        }
        if !self.ewt_phases.is_empty() {
            let _ = writeln!(
                out,
                "ewt by phase   median / mean abs error %, and × the oracle's (the best possible from the floor at enqueue)"
            );
        }
        for phase in &self.ewt_phases {
            let _ = writeln!(out, "  {}", phase.name);
            for (name, a) in &phase.estimators {
                let _ = writeln!(
                    out,
                    "    {name:<20} n {:>4} · {:>5.1} / {:>5.1} % · × oracle {:.2} / {:.2}",
                    a.n, a.median_abs_pct_err, a.mape, a.x_oracle_median, a.x_oracle_mean
                );
            }
        }
        if !self.errors.is_empty() {
            let errors: Vec<String> = self.errors.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(out, "errors         {}", errors.join(" · "));
        }
        if let Some(rss) = self.engine_peak_rss_bytes {
            let _ = writeln!(out, "peak RSS       {:.1} MiB", rss as f64 / (1024.0 * 1024.0));
        }
        if let Some(faults) = &self.faults {
            faults.human(&mut out);
        }
        for check in &self.slo.checks {
            let mark = match (check.passed, check.informational) {
                (true, _) => "pass",
                (false, true) => "info",
                (false, false) => "FAIL",
            };
            let _ = writeln!(
                out,
                "SLO {mark}  {} {} (actual {})",
                check.name, check.target, check.actual
            );
        }
        let _ = writeln!(out, "verdict        {}", if self.slo.passed { "PASS" } else { "FAIL" });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(lost: u64, p99: f64, callbacks_offered: u64) -> Report {
        Report {
            conversations: Conversations {
                arrivals: 10,
                opened: 10,
                escalated: 5,
                callbacks_offered,
                lost,
                ..Conversations::default()
            },
            decision_latency_us: Latency { count: 40, p50: 100.0, p99, ..Latency::default() },
            ..Report::default()
        }
    }

    #[test]
    fn a_lost_conversation_fails_the_run_whatever_the_slos() {
        let mut r = report(1, 10.0, 0);
        r.judge(&Slo::default());
        assert!(!r.slo.passed);
        assert_eq!(r.slo.checks.len(), 1);
        assert!(r.human().contains("verdict        FAIL"), "{}", r.human());
        let mut r = report(0, 10.0, 0);
        r.judge(&Slo::default());
        assert!(r.slo.passed, "nothing lost, nothing else asked");
    }

    #[test]
    fn each_slo_is_checked_against_its_figure() {
        let slo = Slo {
            decision_p99_us: Some(1000.0),
            min_callbacks_offered: Some(1),
            min_throughput_share: Some(0.99),
            ..Slo::default()
        };
        let mut r = report(0, 999.0, 3);
        r.judge(&slo);
        assert!(r.slo.passed, "{:?}", r.slo);
        assert_eq!(r.slo.checks.len(), 4);

        let mut r = report(0, 1001.0, 3);
        r.judge(&slo);
        assert!(!r.slo.passed);
        let failed: Vec<&str> =
            r.slo.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
        assert_eq!(failed, ["decision_latency_us.p99"]);

        let mut r = report(0, 10.0, 0);
        r.conversations.opened = 9;
        r.conversations.refused = 1;
        r.judge(&slo);
        let failed: Vec<&str> =
            r.slo.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
        assert_eq!(failed, ["callbacks_offered", "opened / arrivals"]);
    }

    #[test]
    fn under_fault_injection_the_verdict_is_what_the_server_kept() {
        let slo = Slo { decision_p99_us: Some(1000.0), ..Slo::default() };
        // Without faults: no `faults` object, the SLO judged.
        let mut r = report(0, 5000.0, 0);
        r.judge(&slo);
        assert!(!r.slo.passed);
        let json = serde_json::to_value(&r).expect("json");
        assert!(json.get("faults").is_none(), "{json}");
        assert!(json["slo"]["checks"][1].get("informational").is_none(), "{json}");

        // With kills: the latency SLO is reported, not judged; lost and duplicated are.
        let faults = FaultsReport { kills: 3, ..FaultsReport::default() };
        let mut r = Report { faults: Some(faults), ..report(0, 5000.0, 0) };
        r.judge(&slo);
        assert!(r.slo.passed, "{:?}", r.slo);
        assert!(r.human().contains("SLO info  decision_latency_us.p99"), "{}", r.human());
        assert!(r.human().contains("faults         3 kills"), "{}", r.human());
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["faults"]["kills"], 3);
        assert_eq!(json["slo"]["checks"][1]["informational"], true);

        for (lost, duplicated, kills) in [(1, 0, 3), (0, 2, 3), (0, 0, 0)] {
            let faults = FaultsReport { kills, lost, duplicated, ..FaultsReport::default() };
            let mut r = Report { faults: Some(faults), ..report(0, 10.0, 0) };
            r.judge(&slo);
            assert!(!r.slo.passed, "lost {lost}, duplicated {duplicated}, kills {kills}");
            assert!(r.human().contains("verdict        FAIL"));
        }
    }
}
