//! `--find-max-rate`: the highest arrival rate at which a scenario still meets its SLOs on
//! this machine. Every trial is a fresh run of the scenario with its arrival curve multiplied
//! by a factor: starting from the given one, the factor doubles until a trial fails (or halves
//! until one passes), then the bracket between the highest passing and the lowest failing
//! factor is bisected until it is within the tolerance. Its two ends are then run again until
//! a majority of `repeats` trials settles each, so one noisy trial cannot place the knee, and
//! a trial that would decide fewer than `min_decisions` messages runs longer, so its p99 is
//! not just its few slowest samples.

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
    /// The bracket's ends are each settled by a majority of this many trials at their factor
    /// (1: one trial decides, as while the bracket is being found).
    pub repeats: usize,
    /// A trial is lengthened (up to `MAX_STRETCH` times) so that it should decide at least
    /// this many messages; 0 keeps every trial at the given duration.
    pub min_decisions: u64,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            start: 1.0,
            tolerance: 0.05,
            max_trials: 20,
            max_factor: 1024.0,
            scale_agents: false,
            repeats: 3,
            min_decisions: 1000,
        }
    }
}

/// Halving stops this far below the first factor.
const MIN_SHARE: f64 = 1.0 / 1024.0;

/// A trial is lengthened to at most this many times the given duration: at a very low rate
/// the decisions it needs would otherwise take hours.
pub const MAX_STRETCH: f64 = 8.0;

/// One trial: a whole run at one factor, summed up.
#[derive(Debug, Clone, Serialize)]
pub struct Trial {
    /// 1, 2, … in the order they ran.
    pub n: usize,
    pub rate_factor: f64,
    /// Scenario seconds of arrivals: the given duration, or longer to reach `min_decisions`.
    pub duration_s: f64,
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
    /// A passing and a failing factor within the tolerance of each other, each settled by
    /// the majority of its trials.
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
    pub repeats: usize,
    pub min_decisions: u64,
    pub trials: Vec<Trial>,
    /// The highest factor whose trials met every SLO by a majority: its latest passing trial.
    pub found: Option<Trial>,
    /// How that factor's trials went.
    pub found_votes: Option<Votes>,
    /// The lowest factor above it whose trials did not: its latest failing trial, with the
    /// SLOs it failed.
    pub first_failing: Option<Trial>,
    pub first_failing_votes: Option<Votes>,
    pub stopped: Stopped,
    pub wall_s: f64,
    /// A rate was found and no trial lost a conversation.
    pub passed: bool,
}

/// How the trials at one factor went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Votes {
    pub passed: usize,
    pub failed: usize,
}

impl Votes {
    /// Passing by a strict majority; a tie counts as failing, so the capacity found is never
    /// the optimistic reading of a split factor.
    fn passes(self) -> bool {
        self.passed > self.failed
    }

    /// No further trial out of `repeats` can change the majority.
    fn settled(self, repeats: usize) -> bool {
        let repeats = repeats.max(1);
        self.passed.max(self.failed) > repeats / 2 || self.passed + self.failed >= repeats
    }
}

/// Every factor tried, and how its trials went.
#[derive(Debug, Default)]
struct Tally(Vec<(f64, Votes)>);

impl Tally {
    fn count(&mut self, t: &Trial) {
        let votes = match self.0.iter().position(|(f, _)| *f == t.rate_factor) {
            Some(i) => &mut self.0[i].1,
            None => {
                self.0.push((t.rate_factor, Votes::default()));
                &mut self.0.last_mut().expect("just pushed").1
            }
        };
        if t.passed {
            votes.passed += 1;
        } else {
            votes.failed += 1;
        }
    }

    /// How the trials at a factor already tried went.
    fn votes(&self, factor: f64) -> Votes {
        let found = self.0.iter().find(|(f, _)| *f == factor);
        found.map_or(Votes::default(), |(_, v)| *v)
    }

    /// The lowest factor failing by its majority, and the highest passing one below it (a pass
    /// above a failure is noise the failure outranks).
    fn ends(&self) -> (Option<f64>, Option<f64>) {
        let fail =
            self.0.iter().filter(|(_, v)| !v.passes()).map(|(f, _)| *f).min_by(f64::total_cmp);
        let pass = self
            .0
            .iter()
            .filter(|(f, v)| v.passes() && fail.is_none_or(|hi| *f < hi))
            .map(|(f, _)| *f)
            .max_by(f64::total_cmp);
        (pass, fail)
    }
}

/// What the next trial runs at, or why the search ends.
fn next(search: &Search, tally: &Tally) -> Result<f64, Stopped> {
    let min_factor = search.start * MIN_SHARE;
    // An end is confirmed before the search stops on it.
    let settle = |factor: f64, stop: Stopped| {
        if tally.votes(factor).settled(search.repeats) { Err(stop) } else { Ok(factor) }
    };
    match tally.ends() {
        (Some(lo), None) if lo >= search.max_factor => settle(lo, Stopped::MaxFactor),
        (Some(lo), None) => Ok((lo * 2.0).min(search.max_factor)),
        (None, Some(hi)) if hi <= min_factor => settle(hi, Stopped::MinFactor),
        (None, Some(hi)) => Ok((hi / 2.0).max(min_factor)),
        (Some(lo), Some(hi)) if hi - lo > search.tolerance * lo => Ok((lo + hi) / 2.0),
        (Some(lo), Some(hi)) => {
            settle(lo, Stopped::Bracketed).or_else(|_| settle(hi, Stopped::Bracketed))
        }
        (None, None) => Ok(search.start),
    }
}

/// How long a trial at `factor` runs: the given duration, stretched so that it should decide
/// `min_decisions` messages by the decisions per arrival and the arrivals per unit of factor
/// that the trials so far have shown.
fn duration_for(factor: f64, search: &Search, lengths: Lengths, trials: &[Trial]) -> f64 {
    let decisions: u64 = trials.iter().map(|t| t.decision_latency_us.count).sum();
    let arrivals: u64 = trials.iter().map(|t| t.arrivals).sum();
    let expected = if arrivals == 0 {
        0.0
    } else {
        factor * lengths.arrivals_per_factor * decisions as f64 / arrivals as f64
    };
    if search.min_decisions == 0 || expected <= 0.0 {
        return lengths.base_s;
    }
    lengths.base_s * (search.min_decisions as f64 / expected).clamp(1.0, MAX_STRETCH)
}

/// What a trial's duration is computed from.
#[derive(Debug, Clone, Copy)]
struct Lengths {
    /// The given scenario seconds of arrivals.
    base_s: f64,
    /// Expected arrivals in `base_s` at factor 1.
    arrivals_per_factor: f64,
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
    anyhow::ensure!(search.repeats > 0, "the search needs at least one trial per factor");
    anyhow::ensure!(search.max_factor >= search.start, "the highest factor is below the first");
    let began = Instant::now();
    let scenario = &base.scenario;
    let base_s = base.duration_s.unwrap_or(scenario.duration_s);
    let mut at_base = scenario.clone();
    at_base.duration_s = base_s;
    let lengths = Lengths { base_s, arrivals_per_factor: at_base.expected_arrivals(1.0) };
    let trial = async |n: usize, factor: f64, duration_s: f64| {
        let mut options = base.clone();
        options.rate_factor = factor;
        options.duration_s = Some(duration_s);
        if search.scale_agents {
            options.scenario.scale_agents(factor);
        }
        let report = crate::run::run(options.clone()).await?;
        Ok(summarise(n, &options, &report))
    };
    let (trials, tally, stopped) = bracket(&search, lengths, trial, &mut on_trial).await?;
    let (pass, fail) = tally.ends();
    let latest = |factor: Option<f64>, passed: bool| {
        let factor = factor?;
        trials.iter().rev().find(|t| t.rate_factor == factor && t.passed == passed).cloned()
    };
    let found = latest(pass, true);
    let first_failing = latest(fail, false);
    let passed = found.is_some() && trials.iter().all(|t| t.lost == 0);
    Ok(SearchReport {
        scenario: scenario.name.clone(),
        mode: mode_name(&base.mode).to_owned(),
        duration_s: base_s,
        time_scale: scenario.time_scale,
        tolerance: search.tolerance,
        max_trials: search.max_trials,
        max_factor: search.max_factor,
        scale_agents: search.scale_agents,
        repeats: search.repeats,
        min_decisions: search.min_decisions,
        found_votes: pass.map(|f| tally.votes(f)),
        first_failing_votes: fail.map(|f| tally.votes(f)),
        trials,
        found,
        first_failing,
        stopped,
        wall_s: began.elapsed().as_secs_f64(),
        passed,
    })
}

/// The search itself, over any way of running a trial: the trials in order, how each factor
/// went, and why it stopped.
async fn bracket(
    search: &Search,
    lengths: Lengths,
    mut run: impl AsyncFnMut(usize, f64, f64) -> anyhow::Result<Trial>,
    on_trial: &mut impl FnMut(&Trial),
) -> anyhow::Result<(Vec<Trial>, Tally, Stopped)> {
    let mut trials: Vec<Trial> = Vec::new();
    let mut tally = Tally::default();
    let stopped = loop {
        let factor = match next(search, &tally) {
            Ok(factor) => factor,
            Err(stopped) => break stopped,
        };
        if trials.len() == search.max_trials {
            break Stopped::MaxTrials;
        }
        let duration_s = duration_for(factor, search, lengths, &trials);
        let trial = run(trials.len() + 1, factor, duration_s).await?;
        on_trial(&trial);
        tally.count(&trial);
        trials.push(trial);
    };
    Ok((trials, tally, stopped))
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
        duration_s: options.duration_s.unwrap_or(scenario.duration_s),
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

/// ` in 2 of 3 trials · the latest` when a factor ran more than once: the figures that
/// follow are its latest trial with that verdict.
fn votes(votes: Option<Votes>, passed: bool) -> String {
    match votes {
        Some(v) if v.passed + v.failed > 1 => {
            let n = if passed { v.passed } else { v.failed };
            format!(" in {n} of {} trials · the latest", v.passed + v.failed)
        }
        _ => String::new(),
    }
}

impl Trial {
    /// One line: the factor and rate, the verdict, the percentiles, what failed.
    pub fn line(&self) -> String {
        let mut line = format!(
            "trial {:>2} · {} · {:.0} s · {} agents · {} · {}",
            self.n,
            rate(self),
            self.duration_s,
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
            "search         scenario {} · mode {} · {} s of arrivals per trial{} · ends settled by a majority of {} · {} trials in {:.0} s{}",
            self.scenario,
            self.mode,
            self.duration_s,
            if self.min_decisions > 0 {
                format!(" (up to ×{MAX_STRETCH} to decide {} messages)", self.min_decisions)
            } else {
                String::new()
            },
            self.repeats,
            self.trials.len(),
            self.wall_s,
            if self.scale_agents { " · agents scaled with the rate" } else { "" }
        );
        match &self.found {
            Some(t) => {
                let _ = writeln!(
                    out,
                    "capacity       {} meets every SLO{} · {}",
                    rate(t),
                    votes(self.found_votes, true),
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
                "knee           {} fails{} {} · {}",
                rate(t),
                votes(self.first_failing_votes, false),
                match self.first_failing_votes {
                    Some(v) if v.passed + v.failed > 1 => format!("failed {}", failures(t)),
                    _ => failures(t),
                },
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

    /// A trial at `factor` for `duration_s`: `passes` decides, and it decides ten messages
    /// per scenario second per unit of factor, from ten arrivals.
    fn trial(n: usize, factor: f64, duration_s: f64, passed: bool) -> Trial {
        let arrivals = (factor * duration_s).round() as u64;
        Trial {
            n,
            rate_factor: factor,
            duration_s,
            peak_per_min: 8.0 * factor,
            peak_per_wall_s: 4.0 * factor,
            agents: 16,
            passed,
            decision_latency_us: Percentiles { count: 10 * arrivals, ..Percentiles::default() },
            failed: Vec::new(),
            arrivals,
            lost: 0,
            throughput_msgs_per_s: 0.0,
            peak_live_conversations: 0,
            engine_peak_rss_bytes: None,
            wall_s: 1.0,
        }
    }

    /// One trial per factor and the given duration: the search as it was before repeats.
    fn once() -> Search {
        Search { repeats: 1, min_decisions: 0, max_trials: 12, ..Search::default() }
    }

    const LENGTHS: Lengths = Lengths { base_s: 100.0, arrivals_per_factor: 100.0 };

    /// Runs the search over `passes(n, factor)`: the factors tried, the ends and why it stopped.
    async fn search(
        search: Search,
        passes: impl Fn(usize, f64) -> bool,
    ) -> (Vec<Trial>, Option<f64>, Option<f64>, Stopped) {
        let run = async |n, factor, duration_s| Ok(trial(n, factor, duration_s, passes(n, factor)));
        let (trials, tally, stopped) =
            bracket(&search, LENGTHS, run, &mut |_| {}).await.expect("searches");
        let (pass, fail) = tally.ends();
        (trials, pass, fail, stopped)
    }

    async fn factors(search: Search, knee: f64) -> (Vec<f64>, Option<f64>, Option<f64>, Stopped) {
        let (trials, pass, fail, stopped) = self::search(search, |_, f| f < knee).await;
        (trials.iter().map(|t| t.rate_factor).collect(), pass, fail, stopped)
    }

    #[tokio::test]
    async fn doubles_until_a_failure_then_bisects_to_the_tolerance() {
        let (tried, pass, fail, stopped) = factors(once(), 3.3).await;
        assert_eq!(tried[..4], [1.0, 2.0, 4.0, 3.0]);
        assert_eq!(stopped, Stopped::Bracketed);
        let (lo, hi) = (pass.expect("a pass"), fail.expect("a failure"));
        assert!(lo < 3.3 && 3.3 <= hi && hi - lo <= 0.05 * lo, "{lo} .. {hi}: {tried:?}");
    }

    #[tokio::test]
    async fn halves_when_the_first_trial_fails_and_stops_at_the_limits() {
        let (tried, pass, fail, stopped) = factors(once(), 0.3).await;
        assert_eq!(tried[..3], [1.0, 0.5, 0.25]);
        assert_eq!(stopped, Stopped::Bracketed);
        assert!(pass.expect("a pass") < 0.3 && fail.expect("a failure") >= 0.3);

        let capped = Search { max_factor: 8.0, ..once() };
        let (tried, pass, fail, stopped) = factors(capped, 100.0).await;
        assert_eq!(
            (tried, pass, fail, stopped),
            (vec![1.0, 2.0, 4.0, 8.0], Some(8.0), None, Stopped::MaxFactor)
        );

        let few = Search { max_trials: 3, ..once() };
        let (tried, _, _, stopped) = factors(few, 100.0).await;
        assert_eq!((tried.len(), stopped), (3, Stopped::MaxTrials));

        let (tried, pass, _, stopped) = factors(once(), 0.0).await;
        assert_eq!((pass, stopped), (None, Stopped::MinFactor));
        assert!(tried.len() == 11 && tried.windows(2).all(|w| w[1] < w[0]), "{tried:?}");
    }

    #[tokio::test]
    async fn one_noisy_failure_moves_the_knee_only_without_repeats() {
        // The true knee is 3.3; the second trial (×2) fails once, as a stalled machine would.
        let noisy = |n: usize, f: f64| f < 3.3 && n != 2;
        let (_, pass, fail, _) = search(once(), noisy).await;
        assert!(fail.expect("a failure") <= 2.0, "without repeats ×2 stays the knee");
        assert!(pass.expect("a pass") < 2.0);

        let repeated = Search { min_decisions: 0, ..Search::default() };
        let (trials, pass, fail, stopped) = search(repeated, noisy).await;
        assert_eq!(stopped, Stopped::Bracketed);
        let (lo, hi) = (pass.expect("a pass"), fail.expect("a failure"));
        assert!(lo < 3.3 && 3.3 <= hi && hi - lo <= 0.05 * lo, "{lo} .. {hi}");
        // ×2 ran again when it was an end, and each end was settled by two of three.
        let at = |f: f64| trials.iter().filter(|t| t.rate_factor == f).count();
        assert!(at(2.0) >= 2, "{trials:?}");
        assert_eq!((at(lo), at(hi)), (2, 2), "{trials:?}");
    }

    #[tokio::test]
    async fn a_split_factor_counts_as_failing_and_runs_until_settled() {
        // ×1.5 passes, fails (its second trial, the fourth of the search), then passes:
        // settled as passing by 2 of 3.
        let split = |n: usize, f: f64| if f == 1.5 { n != 4 } else { f < 1.6 };
        let repeated = Search { min_decisions: 0, tolerance: 0.5, ..Search::default() };
        let (trials, pass, fail, stopped) = search(repeated, split).await;
        assert_eq!(stopped, Stopped::Bracketed);
        let at: Vec<bool> =
            trials.iter().filter(|t| t.rate_factor == 1.5).map(|t| t.passed).collect();
        assert!(at.len() >= 2 && at.iter().filter(|p| **p).count() >= 2, "{at:?}");
        assert_eq!((pass, fail), (Some(1.5), Some(2.0)), "{trials:?}");
        let votes = Votes { passed: 1, failed: 1 };
        assert!(!votes.passes() && !votes.settled(3) && votes.settled(2));
        assert!(
            Votes { passed: 2, failed: 0 }.settled(3) && Votes { passed: 1, failed: 0 }.settled(1)
        );
    }

    #[tokio::test]
    async fn a_thin_trial_runs_longer_up_to_the_stretch() {
        // Ten decisions per scenario second per unit of factor: at ×1 over 100 s, 1,000.
        let long = Search { repeats: 1, min_decisions: 4000, ..Search::default() };
        let (trials, ..) = search(long, |_, f| f < 3.3).await;
        // The first trial knows nothing yet; later ones stretch to about 4,000 decisions.
        assert_eq!(trials[0].duration_s, 100.0);
        for t in &trials[1..] {
            let want = (100.0 * 4.0 / t.rate_factor).clamp(100.0, 100.0 * MAX_STRETCH);
            assert!((t.duration_s - want).abs() < 1e-6 * want, "{t:?}");
        }
        assert_eq!(trials[1].duration_s, 200.0, "×2 needs twice the base");
        let low = Search { repeats: 1, min_decisions: 4000, ..Search::default() };
        let (trials, ..) = search(low, |_, f| f < 0.1).await;
        assert!(trials.iter().any(|t| t.duration_s == 100.0 * MAX_STRETCH), "{trials:?}");
        assert!(trials.iter().all(|t| t.duration_s <= 100.0 * MAX_STRETCH));
    }
}
