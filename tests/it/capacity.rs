//! Capacity answers (issue 13): the built-in `scale` scenario is what it says (10,000 agents
//! over 200 skills, topics spreading the escalations), a run of it scaled down works in
//! process, and `--find-max-rate` brackets a knee with a monotone sequence of trials. Nothing
//! here asserts on speed: the knee test's SLO is an admission limit, not a latency.

use std::collections::BTreeMap;

use baton_loadgen::search::Stopped;
use baton_loadgen::{Mode, Options, Scenario, Search};

fn options(scenario: Scenario) -> Options {
    Options {
        scenario,
        mode: Mode::InProcess,
        rate_factor: 1.0,
        duration_s: None,
        msgpack: false,
        connections: 2,
        progress: false,
        data_dir: None,
        faults: None,
    }
}

#[test]
fn the_scale_scenario_is_ten_thousand_agents_over_two_hundred_skills() {
    let scenario = Scenario::load("scale").expect("scale is built in and valid");
    assert_eq!(scenario.agent_count(), 10_000);
    let skills = scenario.skills();
    assert_eq!(skills.len(), 200, "{skills:?}");
    assert!(skills.contains("skill_0") && skills.contains("skill_199"));
    // 50 agents a skill.
    let mut per_skill: BTreeMap<String, u32> = BTreeMap::new();
    for pool in &scenario.agents {
        for n in 0..pool.count {
            for (skill, _) in pool.skills_of(n) {
                *per_skill.entry(skill).or_default() += 1;
            }
        }
    }
    assert!(per_skill.values().all(|&n| n == 50), "{per_skill:?}");
    // Every skill has its topic in the engine's configuration, and nothing else does.
    let config = scenario.baton_config(scenario.time_scale).expect("config");
    assert_eq!(config.topics.len(), 200);
    let served: std::collections::BTreeSet<String> =
        config.topics.iter().map(|t| t.skill.clone()).collect();
    assert_eq!(served, skills);
    assert!(scenario.arrivals.iter().any(|p| p.per_min >= 9000.0), "{:?}", scenario.arrivals);
    assert!(scenario.slo.decision_p99_us.is_some_and(|us| us <= 1000.0));

    // Scaled down, every skill keeps an agent.
    let mut small = scenario.clone();
    small.scale_agents(0.001);
    assert_eq!((small.agent_count(), small.skills().len()), (200, 200));
}

#[test]
fn spread_pools_and_topics_are_checked() {
    let base = Scenario::load("scale").expect("scale");
    let refused = |edit: &dyn Fn(&mut Scenario)| {
        let mut s = base.clone();
        edit(&mut s);
        s.validate().expect_err("refused").to_string()
    };
    let e = refused(&|s| s.agents[0].skill_count = None);
    assert!(e.contains("skill_count"), "{e}");
    let e = refused(&|s| s.agents[0].skill_count = Some(20_000));
    assert!(e.contains("skill_count"), "{e}");
    let e = refused(&|s| s.agents[0].skills[0].0 = "Skill-{i}".into());
    assert!(e.contains("snake_case"), "{e}");
    let e = refused(&|s| s.topics.as_mut().expect("topics").id = "one_topic".into());
    assert!(e.contains("{i}"), "{e}");
    let e = refused(&|s| s.topics.as_mut().expect("topics").count = 300);
    assert!(format!("{e:#}").contains("topics") || e.contains("[baton]"), "{e}");
    // Unknown fields stay errors, in the new places too.
    let text = include_str!("../../loadgen/scenarios/scale.toml");
    let typo = text.replace("skill_count = 200", "skill_count = 200\nskills_count = 200");
    assert!(Scenario::parse(&typo).is_err_and(|e| e.to_string().contains("unknown field")));
    let typo = text.replace("count = 200\nid", "count = 200\nshares = 1\nid");
    assert!(Scenario::parse(&typo).is_err_and(|e| e.to_string().contains("unknown field")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scaled_down_scale_run_works_in_process() {
    let mut scenario = Scenario::load("scale").expect("scale");
    // One agent a skill, two minutes of the ramp at 60× with quick customers and agents.
    scenario.scale_agents(0.001);
    scenario.time_scale = 60.0;
    scenario.drain_s = 60.0;
    scenario.customers.think = baton_loadgen::rng::Dist::Fixed { s: 20.0 };
    scenario.agents[0].handle = baton_loadgen::rng::Dist::Fixed { s: 20.0 };
    let options = Options { rate_factor: 0.05, duration_s: Some(120.0), ..options(scenario) };
    let report = baton_loadgen::run(options).await.expect("runs");
    let c = &report.conversations;
    assert_eq!(report.agents, 200);
    assert!(c.arrivals >= 20, "{c:?}");
    assert_eq!(c.lost, 0, "{c:?}");
    assert_eq!(c.opened + c.refused, c.arrivals, "{c:?}");
    assert_eq!(c.closed + c.abandoned + c.callback_tickets + c.live_at_end, c.opened, "{c:?}");
    assert!(c.closed_by_bot > 0 && c.escalated > 0, "{c:?}");
    assert!(report.peak_live_conversations > 0);
    // Escalations went to the topics the front end named, over several skills.
    let topics: Vec<&String> = report.by_topic.keys().filter(|t| t.starts_with("topic_")).collect();
    assert!(topics.len() >= 2, "{:?}", report.by_topic);
    assert_eq!(report.by_topic.values().sum::<u64>(), c.escalated);
}

/// A scenario whose knee is an admission limit: customers stay with the bot for 30 s, the
/// engine takes at most 100 live conversations, and the SLO allows no refusal.
const KNEE: &str = r#"
name = "knee"
duration_s = 90
time_scale = 60
drain_s = 30
seed = 5
arrivals = [{ at_s = 0, per_min = 60 }]
[mix]
happy = 1
[customers]
think = { kind = "fixed", s = 30 }
[[agents]]
name = "general"
count = 1
skills = [["general", 3]]
handle = { kind = "fixed", s = 10 }
[slo]
max_errors = 0
[baton.engine]
max_live_conversations = 100
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_max_rate_brackets_the_knee_with_monotone_trials() {
    let scenario = Scenario::parse(KNEE).expect("valid");
    let search = Search {
        start: 1.0,
        tolerance: 0.25,
        max_trials: 6,
        max_factor: 16.0,
        scale_agents: false,
        // One trial a factor and no lengthening: the knee is an admission limit, not noise.
        repeats: 1,
        min_decisions: 0,
    };
    let mut seen = Vec::new();
    let report = baton_loadgen::find_max_rate(options(scenario), search, |t| seen.push(t.line()))
        .await
        .expect("searches");
    let trials = &report.trials;
    assert_eq!(seen.len(), trials.len());
    assert!(!trials.is_empty() && trials.len() <= 6);
    assert_eq!(trials[0].rate_factor, 1.0);
    for (i, t) in trials.iter().enumerate() {
        assert_eq!(t.n, i + 1);
        assert!(seen[i].contains(if t.passed { "PASS" } else { "FAIL" }), "{}", seen[i]);
        assert_eq!(t.passed, t.failed.is_empty(), "{t:?}");
        assert_eq!(t.lost, 0, "{t:?}");
    }
    // Monotone: the passes rise, the failures fall, and every pass is below every failure.
    let passes: Vec<f64> = trials.iter().filter(|t| t.passed).map(|t| t.rate_factor).collect();
    let fails: Vec<f64> = trials.iter().filter(|t| !t.passed).map(|t| t.rate_factor).collect();
    assert!(passes.windows(2).all(|w| w[0] < w[1]), "{passes:?}");
    assert!(fails.windows(2).all(|w| w[0] > w[1]), "{fails:?}");
    assert!(passes.iter().all(|p| fails.iter().all(|f| p < f)), "{passes:?} {fails:?}");

    // ×16 is far past 100 live conversations: the search finds a failure before the cap.
    assert_ne!(report.stopped, Stopped::MaxFactor, "{report:?}");
    let knee = report.first_failing.as_ref().expect("a failing rate");
    assert!(knee.failed.iter().any(|c| c.name == "errors"), "{knee:?}");
    match &report.found {
        Some(found) => {
            assert!(found.passed && found.rate_factor < knee.rate_factor);
            assert_eq!(found.rate_factor, *passes.last().expect("a pass"));
            assert_eq!(knee.rate_factor, *fails.last().expect("a failure"));
            if report.stopped == Stopped::Bracketed {
                assert!(knee.rate_factor - found.rate_factor <= 0.25 * found.rate_factor);
            }
            assert!(report.passed);
        }
        // Only if the engine refused even at the lowest factors tried.
        None => assert!(!report.passed && passes.is_empty()),
    }
    let human = report.human();
    assert!(human.contains("knee") && human.contains("verdict"), "{human}");
    let json = serde_json::to_value(&report).expect("json");
    for field in ["trials", "found", "first_failing", "stopped", "passed", "mode"] {
        assert!(json.get(field).is_some(), "{field}: {json}");
    }
}
