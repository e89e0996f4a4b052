//! `--find-max-rate`: the highest arrival rate at which a scenario still meets its SLOs on
//! this machine. Every trial is a fresh run of the scenario with its arrival curve multiplied
//! by a factor: starting from the given one, the factor doubles until a trial fails (or halves
//! until one passes), then the bracket between the highest passing and the lowest failing
//! factor is bisected until it is within the tolerance or the trials run out.

use std::fmt::Write as _;

use serde::Serialize;
use tokio::time::Instant;

use crate::report::{Check, Report};
use crate::run::{Mode, Options};
use crate::stats::Percentiles;

/// How far to search.
#[derive(Debug, Clone, Copy)]
pub struct Search {
    /// The first trial's factor.
    pub start: f64,
    /// Stop once the lowest failing factor is within this share above the highest passing one.
    pub tolerance: f64,
    /// At most this many trials.
    pub max_trials: usize,
    /// Doubling stops here: a scenario that never fails is reported as passing at this factor.
    pub max_factor: f64,
    /// Multiply the agent pools by the factor too (`--scale-agents`), so the search measures
    /// the engine and the machine rather than the staffing.
    pub scale_agents: bool,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            start: 1.0,
            tolerance: 0.05,
            max_trials: 12,
            max_factor: 1024.0,
            scale_agents: false,
        }
    }
}

/// Halving stops this far below the first factor.
const MIN_SHARE: f64 = 1.0 / 1024.0;

/// One trial: a whole run at one factor, summed up.
#[derive(Debug, Clone, Serialize)]
pub struct Trial {
    /// 1, 2, … in the order they ran.
    pub n: usize,
    pub rate_factor: f64,
    /// The arrival curve's highest rate times the factor, per scenario minute …
    pub peak_per_min: f64,
    /// … and as new conversations per wall second.
    pub peak_per_wall_s: f64,
    pub agents: u64,
    pub passed: bool,
    pub decision_latency_us: Percentiles,
    /// The SLO checks that failed (`lost` among them when a conversation was lost).
    pub failed: Vec<Check>,
    pub arrivals: u64,
    pub lost: u64,
    pub throughput_msgs_per_s: f64,
    pub peak_live_conversations: u64,
    pub engine_peak_rss_bytes: Option<u64>,
    pub wall_s: f64,
}

/// Why the search stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stopped {
    /// A passing and a failing factor within the tolerance of each other.
    Bracketed,
    /// The trials ran out first.
    MaxTrials,
    /// Passing at the highest factor allowed: the knee is beyond it.
    MaxFactor,
    /// Failing down to the lowest factor tried: nothing passes.
    MinFactor,
}

/// The search's result: every trial, the knee, and why it stopped.
#[derive(Debug, Clone, Serialize)]
pub struct SearchReport {
    pub scenario: String,
    pub mode: String,
    /// Scenario seconds of arrivals in each trial.
    pub duration_s: f64,
    pub time_scale: f64,
    pub tolerance: f64,
    pub max_trials: usize,
    pub max_factor: f64,
    pub scale_agents: bool,
    pub trials: Vec<Trial>,
    /// The highest factor that met every SLO.
    pub found: Option<Trial>,
    /// The lowest factor above it that did not, with the SLOs it failed.
    pub first_failing: Option<Trial>,
    pub stopped: Stopped,
    pub wall_s: f64,
    /// A rate was found and no trial lost a conversation.
    pub passed: bool,
}

/// Runs trials until the knee is bracketed; `on_trial` sees each one as it ends.
pub async fn find_max_rate(
    base: Options,
    search: Search,
    mut on_trial: impl FnMut(&Trial),
) -> anyhow::Result<SearchReport> {
    anyhow::ensure!(base.faults.is_none(), "a rate search cannot inject faults");
    anyhow::ensure!(base.data_dir.is_none(), "a rate search runs each trial in memory");
    let positive = |x: f64| x.is_finite() && x > 0.0;
    anyhow::ensure!(
        positive(search.start) && positive(search.tolerance) && search.max_trials > 0,
        "the search needs a positive start factor and tolerance, and at least one trial"
    );
    anyhow::ensure!(search.max_factor >= search.start, "the highest factor is below the first");
    let began = Instant::now();
    let trial = async |n: usize, factor: f64| {
        let mut options = base.clone();
        options.rate_factor = factor;
        if search.scale_agents {
            options.scenario.scale_agents(factor);
        }
        let report = crate::run::run(options.clone()).await?;
        Ok(summarise(n, &options, &report))
    };
    let (trials, pass, fail, stopped) = bracket(&search, trial, &mut on_trial).await?;
    let found = pass.map(|i| trials[i].clone());
    let first_failing = fail.map(|i| trials[i].clone());
    let passed = found.is_some() && trials.iter().all(|t| t.lost == 0);
    let scenario = &base.scenario;
    Ok(SearchReport {
        scenario: scenario.name.clone(),
        mode: mode_name(&base.mode).to_owned(),
        duration_s: base.duration_s.unwrap_or(scenario.duration_s),
        time_scale: scenario.time_scale,
        tolerance: search.tolerance,
        max_trials: search.max_trials,
        max_factor: search.max_factor,
        scale_agents: search.scale_agents,
        trials,
        found,
        first_failing,
        stopped,
        wall_s: began.elapsed().as_secs_f64(),
        passed,
    })
}

/// The search itself, over any way of running a trial: the trials in order, the indices of
/// the highest passing and the lowest failing one, and why it stopped.
async fn bracket(
    search: &Search,
    mut run: impl AsyncFnMut(usize, f64) -> anyhow::Result<Trial>,
    on_trial: &mut impl FnMut(&Trial),
) -> anyhow::Result<(Vec<Trial>, Option<usize>, Option<usize>, Stopped)> {
    let mut trials: Vec<Trial> = Vec::new();
    let (mut pass, mut fail): (Option<usize>, Option<usize>) = (None, None);
    let mut factor = search.start;
    let min_factor = search.start * MIN_SHARE;
    let stopped = loop {
        if trials.len() == search.max_trials {
            break Stopped::MaxTrials;
        }
        let trial = run(trials.len() + 1, factor).await?;
        on_trial(&trial);
        // Every new factor lies between the highest pass and the lowest failure so far, so
        // the latest pass is the highest and the latest failure the lowest.
        if trial.passed {
            pass = Some(trials.len());
        } else {
            fail = Some(trials.len());
        }
        trials.push(trial);
        let at = |i: Option<usize>| i.map(|i| trials[i].rate_factor);
        factor = match (at(pass), at(fail)) {
            (Some(lo), None) if lo >= search.max_factor => break Stopped::MaxFactor,
            (Some(lo), None) => (lo * 2.0).min(search.max_factor),
            (None, Some(hi)) if hi <= min_factor => break Stopped::MinFactor,
            (None, Some(hi)) => (hi / 2.0).max(min_factor),
            (Some(lo), Some(hi)) if hi - lo <= search.tolerance * lo => break Stopped::Bracketed,
            (Some(lo), Some(hi)) => (lo + hi) / 2.0,
            (None, None) => unreachable!("every trial passes or fails"),
        };
    };
    Ok((trials, pass, fail, stopped))
}

fn mode_name(mode: &Mode) -> &'static str {
    match mode {
        Mode::Embedded => "embedded",
        Mode::Target(_) => "target",
        Mode::InProcess => "in-process",
    }
}

fn summarise(n: usize, options: &Options, report: &Report) -> Trial {
    let scenario = &options.scenario;
    let peak = scenario.arrivals.iter().map(|p| p.per_min).fold(0.0, f64::max);
    let peak_per_min = peak * options.rate_factor;
    Trial {
        n,
        rate_factor: options.rate_factor,
        peak_per_min,
        peak_per_wall_s: peak_per_min / 60.0 * scenario.time_scale,
        agents: report.agents,
        passed: report.slo.passed,
        decision_latency_us: report.decision_latency_us,
        failed: report
            .slo
            .checks
            .iter()
            .filter(|c| !c.passed && !c.informational)
            .cloned()
            .collect(),
        arrivals: report.conversations.arrivals,
        lost: report.conversations.lost,
        throughput_msgs_per_s: report.throughput_msgs_per_s,
        peak_live_conversations: report.peak_live_conversations,
        engine_peak_rss_bytes: report.engine_peak_rss_bytes,
        wall_s: report.wall_s,
    }
}

/// Microseconds for people: `850 µs`, `1.24 ms`, `40.1 ms`.
fn us(v: f64) -> String {
    if v < 1000.0 { format!("{v:.0} µs") } else { format!("{:.2} ms", v / 1000.0) }
}

fn latencies(d: &Percentiles) -> String {
    format!("{} decisions: p50 {} · p99 {} · p99.9 {}", d.count, us(d.p50), us(d.p99), us(d.p999))
}

/// Below this many decisions a p99 is one of the few slowest samples, whatever the rate.
const FEW_DECISIONS: u64 = 1000;

fn rate(t: &Trial) -> String {
    format!("×{} · {:.1} a minute ({:.1}/s wall)", t.rate_factor, t.peak_per_min, t.peak_per_wall_s)
}

fn failures(t: &Trial) -> String {
    let named: Vec<String> =
        t.failed.iter().map(|c| format!("{} {} (actual {})", c.name, c.target, c.actual)).collect();
    named.join(", ")
}

impl Trial {
    /// One line: the factor and rate, the verdict, the percentiles, what failed.
    pub fn line(&self) -> String {
        let mut line = format!(
            "trial {:>2} · {} · {} agents · {} · {}",
            self.n,
            rate(self),
            self.agents,
            if self.passed { "PASS" } else { "FAIL" },
            latencies(&self.decision_latency_us)
        );
        if !self.passed {
            let _ = write!(line, " · failed {}", failures(self));
        }
        line
    }
}

impl SearchReport {
    /// The summary after the trials' lines.
    pub fn human(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "search         scenario {} · mode {} · {} s of arrivals per trial · {} trials in {:.0} s{}",
            self.scenario,
            self.mode,
            self.duration_s,
            self.trials.len(),
            self.wall_s,
            if self.scale_agents { " · agents scaled with the rate" } else { "" }
        );
        match &self.found {
            Some(t) => {
                let _ = writeln!(
                    out,
                    "capacity       {} meets every SLO · {}",
                    rate(t),
                    latencies(&t.decision_latency_us)
                );
            }
            None => {
                let _ = writeln!(out, "capacity       no rate tried met the SLOs");
            }
        }
        if let Some(t) = &self.first_failing {
            let _ = writeln!(
                out,
                "knee           {} fails {} · {}",
                rate(t),
                failures(t),
                latencies(&t.decision_latency_us)
            );
        }
        let why = match self.stopped {
            Stopped::Bracketed => format!("bracketed within {} %", self.tolerance * 100.0),
            Stopped::MaxTrials => format!("stopped after {} trials", self.max_trials),
            Stopped::MaxFactor => {
                format!("no failure up to ×{} (the highest factor allowed)", self.max_factor)
            }
            Stopped::MinFactor => "every factor tried failed, down to the lowest allowed".into(),
        };
        let _ = writeln!(out, "stopped        {why}");
        let thin = [&self.found, &self.first_failing]
            .into_iter()
            .flatten()
            .map(|t| t.decision_latency_us.count)
            .min()
            .filter(|n| *n < FEW_DECISIONS);
        if let Some(n) = thin {
            let _ = writeln!(
                out,
                "note           the bracket rests on trials of {n} decisions: a p99 there is one of the \
                 few slowest, so machine noise can move the knee; lengthen --duration"
            );
        }
        let lost: u64 = self.trials.iter().map(|t| t.lost).sum();
        if lost > 0 {
            let _ = writeln!(out, "lost           {lost} conversations across the trials");
        }
        let _ = writeln!(out, "verdict        {}", if self.passed { "PASS" } else { "FAIL" });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trial that passes below `knee`.
    fn fake(knee: f64) -> impl AsyncFnMut(usize, f64) -> anyhow::Result<Trial> {
        move |n, factor| {
            let passed = factor < knee;
            std::future::ready(Ok(Trial {
                n,
                rate_factor: factor,
                peak_per_min: 8.0 * factor,
                peak_per_wall_s: 4.0 * factor,
                agents: 16,
                passed,
                decision_latency_us: Percentiles::default(),
                failed: Vec::new(),
                arrivals: 100,
                lost: 0,
                throughput_msgs_per_s: 0.0,
                peak_live_conversations: 0,
                engine_peak_rss_bytes: None,
                wall_s: 1.0,
            }))
        }
    }

    async fn factors(search: Search, knee: f64) -> (Vec<f64>, Option<f64>, Option<f64>, Stopped) {
        let (trials, pass, fail, stopped) =
            bracket(&search, fake(knee), &mut |_| {}).await.expect("searches");
        let at = |i: Option<usize>| i.map(|i| trials[i].rate_factor);
        (trials.iter().map(|t| t.rate_factor).collect(), at(pass), at(fail), stopped)
    }

    #[tokio::test]
    async fn doubles_until_a_failure_then_bisects_to_the_tolerance() {
        let search = Search { tolerance: 0.05, ..Search::default() };
        let (tried, pass, fail, stopped) = factors(search, 3.3).await;
        assert_eq!(tried[..4], [1.0, 2.0, 4.0, 3.0]);
        assert_eq!(stopped, Stopped::Bracketed);
        let (lo, hi) = (pass.expect("a pass"), fail.expect("a failure"));
        assert!(lo < 3.3 && 3.3 <= hi && hi - lo <= 0.05 * lo, "{lo} .. {hi}: {tried:?}");
    }

    #[tokio::test]
    async fn halves_when_the_first_trial_fails_and_stops_at_the_limits() {
        let (tried, pass, fail, stopped) = factors(Search::default(), 0.3).await;
        assert_eq!(tried[..3], [1.0, 0.5, 0.25]);
        assert_eq!(stopped, Stopped::Bracketed);
        assert!(pass.expect("a pass") < 0.3 && fail.expect("a failure") >= 0.3);

        let capped = Search { max_factor: 8.0, ..Search::default() };
        let (tried, pass, fail, stopped) = factors(capped, 100.0).await;
        assert_eq!(
            (tried, pass, fail, stopped),
            (vec![1.0, 2.0, 4.0, 8.0], Some(8.0), None, Stopped::MaxFactor)
        );

        let few = Search { max_trials: 3, ..Search::default() };
        let (tried, _, _, stopped) = factors(few, 100.0).await;
        assert_eq!((tried.len(), stopped), (3, Stopped::MaxTrials));

        let (tried, pass, _, stopped) = factors(Search::default(), 0.0).await;
        assert_eq!((pass, stopped), (None, Stopped::MinFactor));
        assert!(tried.len() == 11 && tried.windows(2).all(|w| w[1] < w[0]), "{tried:?}");
    }
}
