//! The shipped Grafana dashboard and Prometheus alert rules against the exporter's inventory:
//! every series they name exists, every series is on the dashboard, every alert has a
//! severity and a runbook section (and every runbook section an alert). promtool checks the
//! rules' syntax and behaviour in CI (`dashboards/alerts_test.yml`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use baton_engine::telemetry::{HISTOGRAMS, SERIES};
use serde_json::Value;

fn read(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dashboards").join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `baton_…` metric names in a text, histogram suffixes taken off.
fn series_named(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find("baton_") {
        let start = i + at;
        let glued =
            start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        let end = text[start..]
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .map_or(text.len(), |n| start + n);
        if !glued {
            let name = &text[start..end];
            let base = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| name.strip_suffix(s).filter(|b| HISTOGRAMS.contains(b)))
                .unwrap_or(name);
            names.insert(base.to_owned());
        }
        i = end;
    }
    names
}

fn dashboard() -> Value {
    serde_json::from_str(&read("grafana/baton.json")).expect("the dashboard is JSON")
}

fn exprs(dashboard: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for panel in dashboard["panels"].as_array().expect("panels") {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let title = panel["title"].as_str().unwrap_or("?").to_owned();
            out.push((title, target["expr"].as_str().expect("a PromQL expr").to_owned()));
        }
    }
    out
}

#[test]
fn the_dashboard_shows_every_series_and_only_real_ones() {
    let dashboard = dashboard();
    let known: BTreeSet<String> = SERIES.iter().map(|s| (*s).to_owned()).collect();
    let mut shown = BTreeSet::new();
    for (title, expr) in exprs(&dashboard) {
        for name in series_named(&expr) {
            assert!(
                known.contains(&name),
                "panel {title:?} uses {name}, which Baton does not export"
            );
            shown.insert(name);
        }
    }
    let missing: Vec<_> = known.difference(&shown).collect();
    assert!(missing.is_empty(), "series not on the dashboard: {missing:?}");
}

#[test]
fn the_dashboard_is_well_formed() {
    let dashboard = dashboard();
    assert_eq!(dashboard["uid"], "baton-overview");
    let panels = dashboard["panels"].as_array().expect("panels");
    let mut ids = BTreeSet::new();
    let mut cells = BTreeSet::new();
    for panel in panels {
        let title = panel["title"].as_str().expect("a title");
        assert!(ids.insert(panel["id"].as_u64().expect("an id")), "duplicate id at {title:?}");
        let g = &panel["gridPos"];
        let (x, y, w, h) = (g["x"].as_u64(), g["y"].as_u64(), g["w"].as_u64(), g["h"].as_u64());
        let (Some(x), Some(y), Some(w), Some(h)) = (x, y, w, h) else {
            panic!("{title:?} has no gridPos")
        };
        assert!(x + w <= 24, "{title:?} is wider than the grid");
        for cx in x..x + w {
            for cy in y..y + h {
                assert!(cells.insert((cx, cy)), "{title:?} overlaps another panel at ({cx}, {cy})");
            }
        }
        if panel["type"] == "row" {
            continue;
        }
        assert!(panel["description"].as_str().is_some_and(|d| !d.is_empty()), "{title:?}");
        let targets = panel["targets"].as_array().expect("targets");
        assert!(!targets.is_empty(), "{title:?} has no query");
        let refs: BTreeSet<_> = targets.iter().map(|t| t["refId"].as_str()).collect();
        assert_eq!(refs.len(), targets.len(), "{title:?} repeats a refId");
        for target in targets {
            assert_eq!(target["datasource"]["uid"], "${datasource}", "{title:?}");
            let expr = target["expr"].as_str().expect("expr");
            assert!(expr.contains("instance=~\"$instance\""), "{title:?}: {expr}");
        }
    }
}

/// `alerts.yml`, read line by line: (alert, severity, runbook anchor).
fn alerts() -> Vec<(String, String, String)> {
    let text = read("alerts.yml");
    let mut alerts: Vec<(String, String, String)> = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("- alert: ") {
            alerts.push((name.to_owned(), String::new(), String::new()));
        } else if let Some(last) = alerts.last_mut() {
            if let Some(severity) = line.strip_prefix("severity: ") {
                last.1 = severity.to_owned();
            } else if let Some(runbook) = line.strip_prefix("runbook: dashboards/RUNBOOK.md#") {
                last.2 = runbook.to_owned();
            }
        }
    }
    alerts
}

#[test]
fn every_alert_has_a_severity_and_a_runbook_section() {
    let alerts = alerts();
    assert!(alerts.len() >= 10, "{alerts:?}");
    let runbook = read("RUNBOOK.md");
    let sections: BTreeSet<String> = runbook
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| h.trim().to_lowercase())
        .collect();
    for (name, severity, anchor) in &alerts {
        assert!(["page", "ticket"].contains(&severity.as_str()), "{name}: severity {severity:?}");
        assert_eq!(*anchor, name.to_lowercase(), "{name}'s runbook link");
        assert!(sections.contains(anchor), "RUNBOOK.md has no section {name}");
    }
    let named: BTreeSet<String> = alerts.iter().map(|a| a.0.to_lowercase()).collect();
    let orphans: Vec<_> = sections.difference(&named).collect();
    assert!(orphans.is_empty(), "runbook sections without an alert: {orphans:?}");
}

#[test]
fn alerts_use_only_real_series() {
    let text = read("alerts.yml");
    let names = series_named(&text);
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        assert!(
            SERIES.contains(&name.as_str()),
            "alerts.yml uses {name}, which Baton does not export"
        );
    }
    // And the test file feeds the rules with real series too.
    for name in series_named(&read("alerts_test.yml")) {
        assert!(SERIES.contains(&name.as_str()), "alerts_test.yml uses {name}");
    }
}

#[test]
fn the_name_scanner_finds_names_and_strips_histogram_suffixes() {
    let names = series_named(
        "sum(rate(baton_decision_latency_seconds_bucket{x=\"y\"}[5m])) / baton_queue_depth \
         + baton:abandon_rate:15m + my_baton_thing + baton_ewt_samples_count",
    );
    let names: Vec<_> = names.iter().map(String::as_str).collect();
    // `_count` is only a suffix of histograms: a gauge keeps it (and is then unknown).
    assert_eq!(
        names,
        ["baton_decision_latency_seconds", "baton_ewt_samples_count", "baton_queue_depth"]
    );
}
