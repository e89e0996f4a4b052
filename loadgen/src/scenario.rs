//! Scenarios: TOML files (`loadgen/scenarios/*.toml`, also built into the binary) describing
//! arrivals, the customer mix, agent pools, time scale and SLOs. Every time in a scenario is
//! in scenario seconds; `time_scale` scenario seconds pass per wall second.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use baton_engine::config::Config;
use serde::{Deserialize, Serialize};

use crate::rng::{Dist, Rng};
use crate::script::Behaviour;

/// The scenarios shipped with the generator, by name.
pub const BUILT_IN: [(&str, &str); 6] = [
    ("smoke", include_str!("../scenarios/smoke.toml")),
    ("steady", include_str!("../scenarios/steady.toml")),
    ("spike", include_str!("../scenarios/spike.toml")),
    ("agent-outage", include_str!("../scenarios/agent-outage.toml")),
    ("callback-storm", include_str!("../scenarios/callback-storm.toml")),
    ("scale", include_str!("../scenarios/scale.toml")),
];

/// What `{i}` stands for in a spread pool's skill names and in generated topics.
pub const INDEX: &str = "{i}";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Scenario seconds of arrivals.
    pub duration_s: f64,
    /// Scenario seconds per wall second.
    #[serde(default = "one")]
    pub time_scale: f64,
    /// After the last arrival, scenario seconds to let conversations finish before counting.
    #[serde(default)]
    pub drain_s: f64,
    #[serde(default)]
    pub seed: u64,
    /// Arrival rate, contacts per scenario minute, linear between points (a step is two points
    /// at the same time); flat after the last point.
    pub arrivals: Vec<RatePoint>,
    /// Relative weights of the customer behaviours.
    pub mix: BTreeMap<Behaviour, f64>,
    #[serde(default)]
    pub customers: Customers,
    /// Topics the front end names when it opens a conversation, generated (absent: none).
    #[serde(default)]
    pub topics: Option<Topics>,
    pub agents: Vec<AgentPool>,
    #[serde(default)]
    pub slo: Slo,
    /// Baton configuration for this scenario (the `baton.toml` format, in scenario seconds;
    /// the generator divides its times by `time_scale`).
    #[serde(default)]
    pub baton: toml::Table,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatePoint {
    pub at_s: f64,
    pub per_min: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Customers {
    /// Time a customer takes to write the next message.
    pub think: Dist,
    /// How long a customer waits in line before leaving (every behaviour but `abandons`).
    pub patience: Dist,
    /// How long an `abandons` customer waits before leaving.
    pub abandon_after: Dist,
    /// Share of customers by tier.
    pub premium_share: f64,
    pub enterprise_share: f64,
}

impl Default for Customers {
    fn default() -> Self {
        Customers {
            think: Dist::Exponential { mean_s: 15.0 },
            patience: Dist::Exponential { mean_s: 1800.0 },
            abandon_after: Dist::Uniform { min_s: 30.0, max_s: 180.0 },
            premium_share: 0.2,
            enterprise_share: 0.05,
        }
    }
}

/// `count` topics, `id` → `skill` with `{i}` standing for 0..count, added to the engine's
/// topics; the front end names one, chosen uniformly, when it opens a `share` of the
/// conversations, so escalations spread over the skills.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topics {
    pub count: u32,
    #[serde(default = "topic_pattern")]
    pub id: String,
    #[serde(default = "skill_pattern")]
    pub skill: String,
    #[serde(default = "one")]
    pub share: f64,
}

fn topic_pattern() -> String {
    "topic_{i}".into()
}

fn skill_pattern() -> String {
    "skill_{i}".into()
}

impl Topics {
    /// The `i`-th topic's id.
    pub fn id_of(&self, i: u32) -> String {
        self.id.replace(INDEX, &i.to_string())
    }

    /// The engine's topics: no phrases (only the front end names them), not mandatory.
    pub fn configs(&self) -> Vec<baton_engine::config::TopicConfig> {
        (0..self.count)
            .map(|i| baton_engine::config::TopicConfig {
                id: self.id_of(i),
                skill: self.skill.replace(INDEX, &i.to_string()),
                mandatory: false,
                sensitive: false,
                priority: None,
                phrases: Vec::new(),
                except: Vec::new(),
                intents: Vec::new(),
            })
            .collect()
    }

    /// The topic a new conversation opens with, if any.
    pub fn pick(&self, rng: &mut Rng) -> Option<String> {
        rng.chance(self.share).then(|| self.id_of(rng.below(self.count as usize) as u32))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentPool {
    pub name: String,
    pub count: u32,
    /// (skill, proficiency 1..=5). With `skill_count`, `{i}` in a name is the agent's share.
    pub skills: Vec<(String, u8)>,
    /// Spreads the pool over this many skills: the pool's `n`-th agent has `{i}` = `n` mod
    /// `skill_count` in its skill names (10,000 agents over `skill_{i}` × 200: 50 a skill).
    #[serde(default)]
    pub skill_count: Option<u32>,
    #[serde(default)]
    pub clearances: Vec<String>,
    #[serde(default = "two")]
    pub capacity: u32,
    /// From accepting to wrapping up.
    pub handle: Dist,
    /// From an offer to the answer.
    #[serde(default = "default_accept_delay")]
    pub accept_delay: Dist,
    #[serde(default)]
    pub decline_rate: f64,
    /// Offers left to time out.
    #[serde(default)]
    pub no_answer_rate: f64,
    /// A share of the pool logs off at this time ...
    #[serde(default)]
    pub log_off_at_s: Option<f64>,
    #[serde(default)]
    pub log_off_share: f64,
    /// ... and back on at this one.
    #[serde(default)]
    pub log_on_at_s: Option<f64>,
}

fn two() -> u32 {
    2
}

impl AgentPool {
    /// The skills of the pool's `n`-th agent.
    pub fn skills_of(&self, n: u32) -> Vec<(String, u8)> {
        match self.skill_count {
            None => self.skills.clone(),
            Some(k) => {
                let i = (n % k.max(1)).to_string();
                self.skills.iter().map(|(s, level)| (s.replace(INDEX, &i), *level)).collect()
            }
        }
    }
}

fn default_accept_delay() -> Dist {
    Dist::Uniform { min_s: 2.0, max_s: 8.0 }
}

/// Service-level objectives; absent ones are not checked. `lost = 0` is always checked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Slo {
    pub decision_p99_us: Option<f64>,
    pub decision_p999_us: Option<f64>,
    pub time_to_agent_p90_s: Option<f64>,
    /// At most this many error replies (admission refusals count).
    pub max_errors: Option<u64>,
    pub min_callbacks_offered: Option<u64>,
    pub max_abandon_rate: Option<f64>,
    /// The model estimator's median absolute percentage error, at most.
    pub ewt_model_median_abs_pct_err: Option<f64>,
    /// Share of the intended arrivals actually opened, at least.
    pub min_throughput_share: Option<f64>,
}

impl Scenario {
    /// A built-in scenario by name, or a TOML file by path.
    pub fn load(name_or_path: &str) -> anyhow::Result<Scenario> {
        let text = match BUILT_IN.iter().find(|(name, _)| *name == name_or_path) {
            Some((_, text)) => (*text).to_owned(),
            None => {
                let path = Path::new(name_or_path);
                if !path.exists() {
                    let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
                    bail!(
                        "no scenario `{name_or_path}`: give a path or one of {}",
                        names.join(", ")
                    );
                }
                std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {name_or_path}"))?
            }
        };
        Scenario::parse(&text).with_context(|| format!("scenario {name_or_path}"))
    }

    /// A scenario from its TOML text, validated.
    pub fn parse(text: &str) -> anyhow::Result<Scenario> {
        let scenario: Scenario = toml::from_str(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        let positive = |x: f64| x.is_finite() && x > 0.0;
        // NaN fails every comparison, so "not negative" is spelt as a range check.
        let not_negative = |x: f64| (0.0..=f64::MAX).contains(&x);
        if !positive(self.duration_s) || !positive(self.time_scale) || !not_negative(self.drain_s) {
            bail!("duration_s and time_scale must be positive, drain_s not negative");
        }
        if self.arrivals.is_empty()
            || self.arrivals.iter().any(|p| !(not_negative(p.at_s) && not_negative(p.per_min)))
            || self.arrivals.windows(2).any(|w| w[1].at_s < w[0].at_s)
        {
            bail!("arrivals: points in time order, at_s and per_min not negative");
        }
        if self.mix.values().any(|w| !not_negative(*w)) || self.mix.values().sum::<f64>() <= 0.0 {
            bail!("mix: weights not negative, some positive");
        }
        let c = &self.customers;
        if ![c.think, c.patience, c.abandon_after].iter().all(Dist::is_valid)
            || !(0.0..=1.0).contains(&(c.premium_share + c.enterprise_share))
        {
            bail!("customers: invalid distribution or tier shares");
        }
        for pool in &self.agents {
            if pool.skills.is_empty() || !(1..=100).contains(&pool.capacity) {
                bail!("agents `{}`: needs skills and capacity 1..=100", pool.name);
            }
            let spread = pool.skills.iter().any(|(s, _)| s.contains(INDEX));
            match pool.skill_count {
                None if spread => {
                    bail!("agents `{}`: `{INDEX}` in a skill needs skill_count", pool.name)
                }
                Some(k) if !spread || k == 0 || k > pool.count => bail!(
                    "agents `{}`: skill_count needs `{INDEX}` in a skill name and 1..=count",
                    pool.name
                ),
                _ => {}
            }
            let last = pool.skill_count.map_or(0, |k| k - 1);
            for (skill, level) in [pool.skills_of(0), pool.skills_of(last)].concat() {
                if let Err(e) = baton_engine::ids::check(baton_engine::ids::IdKind::Label, &skill) {
                    bail!("agents `{}`: skill {skill:?}: {e}", pool.name);
                }
                if !(1..=5).contains(&level) {
                    bail!("agents `{}`: proficiency of {skill:?} must be 1..=5", pool.name);
                }
            }
            let rates = [pool.decline_rate, pool.no_answer_rate, pool.log_off_share];
            if !pool.handle.is_valid()
                || !pool.accept_delay.is_valid()
                || rates.iter().any(|r| !(0.0..=1.0).contains(r))
                || pool.decline_rate + pool.no_answer_rate > 1.0
            {
                bail!("agents `{}`: invalid distribution or rate", pool.name);
            }
        }
        if let Some(t) = &self.topics {
            if t.count == 0 || !(0.0..=1.0).contains(&t.share) {
                bail!("topics: count at least 1, share in [0, 1]");
            }
            if t.count > 1 && !t.id.contains(INDEX) {
                bail!("topics: the id needs `{INDEX}` to name {} topics", t.count);
            }
        }
        self.baton_config(1.0)?;
        Ok(())
    }

    /// Every agent count times `factor` (rounded; a pool keeps at least one agent per skill
    /// it spreads over): with `--scale-agents` the floor grows with the arrivals, so a rate
    /// search finds what the engine and the machine carry rather than what the staff do.
    pub fn scale_agents(&mut self, factor: f64) {
        for pool in &mut self.agents {
            let scaled = (f64::from(pool.count) * factor).round().min(f64::from(u32::MAX)) as u32;
            pool.count = scaled.max(pool.skill_count.unwrap_or(1));
        }
    }

    /// Agents logged in by the run.
    pub fn agent_count(&self) -> u64 {
        self.agents.iter().map(|p| u64::from(p.count)).sum()
    }

    /// Distinct skills the agents have.
    pub fn skills(&self) -> std::collections::BTreeSet<String> {
        let mut skills = std::collections::BTreeSet::new();
        for pool in &self.agents {
            for n in 0..pool.skill_count.unwrap_or(1) {
                skills.extend(pool.skills_of(n).into_iter().map(|(s, _)| s));
            }
        }
        skills
    }

    /// Wall seconds for `s` scenario seconds.
    pub fn wall(&self, s: f64) -> std::time::Duration {
        std::time::Duration::from_secs_f64((s / self.time_scale).max(0.0))
    }

    /// The arrival rate (per scenario second) at scenario time `t`.
    pub fn rate_at(&self, t: f64) -> f64 {
        let points = &self.arrivals;
        let per_min = match points.iter().position(|p| p.at_s > t) {
            None => points.last().map_or(0.0, |p| p.per_min),
            Some(0) => points[0].per_min,
            Some(i) => {
                let (a, b) = (points[i - 1], points[i]);
                if b.at_s == a.at_s {
                    b.per_min
                } else {
                    a.per_min + (b.per_min - a.per_min) * (t - a.at_s) / (b.at_s - a.at_s)
                }
            }
        };
        per_min / 60.0
    }

    /// Arrival times (scenario seconds) of a non-homogeneous Poisson process with the
    /// profile times `factor`, by thinning.
    pub fn arrival_times(&self, factor: f64, rng: &mut Rng) -> Vec<f64> {
        let max_rate = self.arrivals.iter().map(|p| p.per_min / 60.0).fold(0.0, f64::max) * factor;
        if max_rate <= 0.0 {
            return Vec::new();
        }
        let mut times = Vec::new();
        let mut t = 0.0;
        loop {
            t += rng.exponential(1.0 / max_rate);
            if t >= self.duration_s {
                return times;
            }
            if rng.unit() * max_rate < self.rate_at(t) * factor {
                times.push(t);
            }
        }
    }

    /// Expected number of arrivals (for the progress bar and the throughput check).
    pub fn expected_arrivals(&self, factor: f64) -> f64 {
        let steps = 10_000;
        let dt = self.duration_s / steps as f64;
        (0..steps).map(|i| self.rate_at((i as f64 + 0.5) * dt) * dt).sum::<f64>() * factor
    }

    /// Picks a behaviour by the mix's weights.
    pub fn pick(&self, rng: &mut Rng) -> Behaviour {
        let total: f64 = self.mix.values().sum();
        let mut x = rng.unit() * total;
        for (behaviour, weight) in &self.mix {
            if x < *weight {
                return *behaviour;
            }
            x -= weight;
        }
        *self.mix.keys().next_back().unwrap_or(&Behaviour::Happy)
    }

    /// The agents' mean handle time, weighted by their slots (scenario seconds).
    pub fn mean_handle_s(&self) -> Option<f64> {
        let slots = |p: &AgentPool| f64::from(p.count) * f64::from(p.capacity);
        let total: f64 = self.agents.iter().map(slots).sum();
        (total > 0.0)
            .then(|| self.agents.iter().map(|p| slots(p) * p.handle.mean()).sum::<f64>() / total)
    }

    /// The Baton configuration: the scenario's `[baton]` table over the defaults, its times
    /// divided by `time_scale` (rounded, at least one second) so the engine's timers run at
    /// the scenario's pace.
    pub fn baton_config(&self, time_scale: f64) -> anyhow::Result<Config> {
        let text = toml::to_string(&self.baton).context("[baton]")?;
        let mut config = Config::from_toml(&text).context("[baton]")?;
        if let Some(topics) = &self.topics {
            config.topics.extend(topics.configs());
        }
        let routing = self.baton.get("routing").and_then(|r| r.as_table());
        if !routing.is_some_and(|r| r.contains_key("initial_handle_s")) {
            // A contact center configures the handle time it knows; the scenario's agents
            // define it here (their mean handle time plus the engine's wrap-up), so the
            // estimates start right instead of learning from 240 s over the first few dozen.
            if let Some(handle) = self.mean_handle_s() {
                let wrap = config.routing.wrap_up_s as f64;
                config.routing.initial_handle_s = (handle + wrap).round().max(1.0) as u64;
            }
        }
        scale_config(&mut config, time_scale);
        config.validate().context("[baton] once scaled")?;
        Ok(config)
    }
}

/// Divides every time-based setting of the engine by `scale`.
pub fn scale_config(config: &mut Config, scale: f64) {
    if scale == 1.0 {
        return;
    }
    let s = |v: &mut u64| {
        if *v > 0 {
            *v = ((*v as f64 / scale).round() as u64).max(1);
        }
    };
    let r = &mut config.routing;
    s(&mut r.aging_s_per_priority);
    s(&mut r.offer_timeout_s);
    s(&mut r.wrap_up_s);
    s(&mut r.initial_handle_s);
    for level in [&mut config.load.elevated, &mut config.load.high, &mut config.load.critical] {
        s(&mut level.enter_ewt_s);
    }
    s(&mut config.messages.update_every_s);
    for band in &mut config.messages.bands {
        s(&mut band.up_to_s);
    }
    s(&mut config.callback.offer_above_s);
    s(&mut config.callback.promise_unknown_s);
    for queue in &mut config.queues {
        for ring in &mut queue.rings {
            s(&mut ring.after_s);
        }
    }
    s(&mut config.escalation.handback_cooldown_s);
    s(&mut config.engine.hibernate_after_s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_scenario_loads() {
        for (name, _) in BUILT_IN {
            let scenario = Scenario::load(name).expect("loads");
            assert_eq!(scenario.name, name);
        }
    }

    #[test]
    fn arrivals_follow_the_profile() {
        let scenario = Scenario::load("spike").expect("spike");
        let mut rng = Rng::new(1);
        let times = scenario.arrival_times(1.0, &mut rng);
        let expected = scenario.expected_arrivals(1.0);
        let n = times.len() as f64;
        assert!((n - expected).abs() < 4.0 * expected.sqrt(), "{n} arrivals, {expected} expected");
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
    }
}
