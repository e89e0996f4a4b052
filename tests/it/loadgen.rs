//! `baton-loadgen` end to end, on real time: the `smoke` scenario shortened to a minute of
//! scenario time (two seconds of wall time) in each mode — in process, against an embedded
//! `baton serve` in both encodings, and against a separately started server with its
//! metrics scraped. Every conversation must be accounted for; the report must carry the
//! fields DESIGN.md §5 promises. Latency figures are not asserted (the machine is shared).

use baton_engine::engine::Engine;
use baton_engine::server;
use baton_loadgen::{Mode, Options, Report, Scenario, Target};
use serde_json::Value;

fn options(mode: Mode, msgpack: bool) -> Options {
    Options {
        scenario: Scenario::load("smoke").expect("smoke is built in"),
        mode,
        rate_factor: 1.0,
        duration_s: Some(60.0),
        msgpack,
        connections: 2,
        progress: false,
        data_dir: None,
        faults: None,
    }
}

/// What must hold of every run, whatever the mode.
fn check(report: &Report) -> Value {
    let c = &report.conversations;
    assert!(c.arrivals > 10, "the scenario schedules arrivals: {c:?}");
    assert_eq!(c.opened + c.refused, c.arrivals, "every arrival opened or refused: {c:?}");
    assert_eq!(c.lost, 0, "nothing lost: {c:?}");
    assert_eq!(
        c.closed + c.abandoned + c.callback_tickets + c.live_at_end,
        c.opened,
        "every opened conversation in exactly one accounted state: {c:?}"
    );
    assert_eq!(c.closed, c.closed_by_bot + c.closed_by_agent);
    assert!(
        c.closed_by_bot > 0 && c.escalated > 0,
        "the bot resolves some, hands off others: {c:?}"
    );
    assert!(report.by_reason.contains_key("explicit_request"), "{:?}", report.by_reason);
    assert_eq!(report.by_reason.values().sum::<u64>(), c.escalated);
    let d = &report.decision_latency_us;
    assert!(d.count > c.opened, "at least one decision per conversation: {d:?}");
    assert!(d.p50 <= d.p99 && d.p99 <= d.max, "percentiles ordered: {d:?}");
    assert!(d.p50 >= report.service_latency_us.p50, "from the intended time is never shorter");
    assert!(report.slo.checks.iter().any(|check| check.name.starts_with("lost")));

    let json = serde_json::to_value(report).expect("serialises");
    for field in [
        "scenario", "mode", "wall_s", "conversations", "decision_latency_us", "time_to_agent_s",
        "handoff_rate", "by_reason", "by_topic", "ewt", "throughput_msgs_per_s", "errors",
        "engine_peak_rss_bytes", "slo",
    ] {
        assert!(json.get(field).is_some(), "report has `{field}`: {json}");
    }
    for field in [
        "opened", "closed", "escalated", "abandoned", "callbacks_offered", "callbacks_accepted",
        "live_at_end", "lost",
    ] {
        assert!(json["conversations"].get(field).is_some(), "conversations.{field}");
    }
    for field in ["count", "p50", "p90", "p99", "p999", "max"] {
        assert!(json["decision_latency_us"][field].is_number(), "decision_latency_us.{field}");
    }
    assert!(json["slo"]["passed"].is_boolean());
    json
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smoke_in_process_accounts_for_every_conversation() {
    let report = baton_loadgen::run(options(Mode::InProcess, false)).await.expect("runs");
    let json = check(&report);
    assert_eq!(json["mode"], "in-process");
    assert!(report.engine_peak_rss_bytes.is_some_and(|b| b > 1 << 20), "peak RSS read");
    assert!(report.ewt.contains_key("model"), "estimator accuracy from the engine");
    // The engine counts decisions and handoffs itself, in process as behind the server. The
    // recorder is the process's, shared with tests running beside this one: at least what
    // this run saw.
    let counted = report.engine_counted.as_ref().expect("the engine's own counts");
    let handoffs: u64 = counted.handoffs_by_reason.values().sum();
    assert!(handoffs >= report.conversations.escalated, "{counted:?} vs {:?}", report.by_reason);
    assert!(counted.handoffs_by_reason.contains_key("explicit_request"), "{counted:?}");
    let decisions: u64 = counted.decisions.values().sum();
    assert!(decisions >= report.decision_latency_us.count, "{counted:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smoke_against_an_embedded_server_in_both_encodings() {
    for msgpack in [false, true] {
        let report = baton_loadgen::run(options(Mode::Embedded, msgpack)).await.expect("runs");
        let json = check(&report);
        assert_eq!(json["mode"], "embedded");
        assert_eq!(json["encoding"], if msgpack { "msgpack" } else { "json" });
        assert!(report.errors.keys().all(|code| code != "bad_request" && code != "unauthorized"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smoke_with_the_journal_on_accounts_for_every_conversation() {
    let dir = crate::durable::TempDir::new("loadgen-smoke");
    let journaled = Options { data_dir: Some(dir.0.clone()), ..options(Mode::Embedded, false) };
    let report = baton_loadgen::run(journaled).await.expect("runs");
    check(&report);
    assert!(std::fs::read_dir(&dir.0).expect("the journal's directory").next().is_some());
    // A directory in use by an earlier run is refused, so the accounting starts from nothing.
    let again = Options { data_dir: Some(dir.0.clone()), ..options(Mode::Embedded, false) };
    let refused = baton_loadgen::run(again).await.expect_err("not empty");
    assert!(refused.to_string().contains("not empty"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smoke_against_a_running_server_reads_its_metrics() {
    let scenario = Scenario::load("smoke").expect("smoke");
    let mut config = scenario.baton_config(scenario.time_scale).expect("config");
    config.server.listen = "127.0.0.1:0".into();
    config.server.admin_listen = "127.0.0.1:0".into();
    let engine = Engine::start(config.clone()).await.expect("engine");
    let metrics = baton_engine::telemetry::install();
    let served =
        server::start(engine.clone(), config.server.clone(), metrics).await.expect("serve");
    let target = Target {
        url: format!("ws://{}", served.addr),
        api_key: config.server.api_keys[0].clone(),
        token_secret: config.server.token_secret.clone(),
        metrics: Some(format!("http://{}/metrics", served.admin_addr)),
    };
    let report =
        baton_loadgen::run(options(Mode::Target(target.clone()), false)).await.expect("runs");
    let json = check(&report);
    assert_eq!(json["mode"], "target");
    assert!(report.engine_peak_rss_bytes.is_some(), "peak RSS scraped from /metrics");
    assert!(report.ewt.contains_key("model"), "estimator accuracy scraped: {:?}", report.ewt);

    // A wrong key is a connection error (exit code 2), not a failed run.
    let wrong = Target { api_key: "not-the-key".into(), ..target };
    let error = baton_loadgen::run(options(Mode::Target(wrong), false)).await.expect_err("refused");
    assert!(
        format!("{error:#}").contains("401") || format!("{error:#}").contains("unauthorized"),
        "{error:#}"
    );
    served.shutdown().await;
    engine.shutdown().await;
}
