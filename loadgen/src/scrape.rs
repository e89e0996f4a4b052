//! Reads the engine's own figures from its Prometheus exposition: each estimator's accuracy
//! and the process's peak memory (target mode), and the decisions and handoffs the engine
//! counted (every mode: in process and embedded from this process's recorder).

use std::collections::BTreeMap;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::report::{Accuracy, EngineCounts};

/// `(ewt by estimator, peak RSS)` from `http://host:port/metrics`; empty when unreachable.
pub async fn engine_figures(url: &str) -> (BTreeMap<String, Accuracy>, Option<u64>) {
    match fetch(url).await {
        Some(body) => parse(&body),
        None => {
            tracing::warn!("cannot read {url}: no estimator accuracy or memory in the report");
            (BTreeMap::new(), None)
        }
    }
}

/// The engine's counts from `http://host:port/metrics`; `None` when unreachable.
pub async fn engine_counts(url: &str) -> Option<EngineCounts> {
    fetch(url).await.map(|body| counts(&body))
}

/// `baton_decisions_total` by outcome and `baton_handoffs_total` by reason (summed over
/// topics) from an exposition.
pub fn counts(body: &str) -> EngineCounts {
    let mut counts = EngineCounts::default();
    for line in body.lines().filter(|l| !l.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else { continue };
        let Ok(value) = value.parse::<f64>() else { continue };
        let label = |name: &str| {
            series.split(&format!("{name}=\"")).nth(1)?.split('"').next().map(str::to_owned)
        };
        let into = if series.starts_with("baton_decisions_total{") {
            label("outcome").map(|l| (&mut counts.decisions, l))
        } else if series.starts_with("baton_handoffs_total{") {
            label("reason").map(|l| (&mut counts.handoffs_by_reason, l))
        } else {
            None
        };
        if let Some((map, key)) = into {
            *map.entry(key).or_default() += value as u64;
        }
    }
    counts
}

async fn fetch(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) =
        rest.split_once('/').map_or((rest, "/metrics".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned())
}

/// Parses the series this module needs from an exposition.
pub fn parse(body: &str) -> (BTreeMap<String, Accuracy>, Option<u64>) {
    let mut ewt: BTreeMap<String, Accuracy> = BTreeMap::new();
    let mut peak = None;
    for line in body.lines().filter(|l| !l.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else { continue };
        let Ok(value) = value.parse::<f64>() else { continue };
        let estimator =
            || series.split("estimator=\"").nth(1)?.split('"').next().map(str::to_owned);
        if series.starts_with("baton_ewt_median_abs_pct_error{") {
            ewt.entry(estimator().unwrap_or_default()).or_default().median_abs_pct_err = value;
        } else if series.starts_with("baton_ewt_mean_abs_pct_error{") {
            ewt.entry(estimator().unwrap_or_default()).or_default().mape = value;
        } else if series.starts_with("baton_ewt_samples{") {
            ewt.entry(estimator().unwrap_or_default()).or_default().n = value as u64;
        } else if series == "baton_process_peak_resident_memory_bytes" {
            peak = Some(value as u64);
        }
    }
    (ewt, peak)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_engine_counts() {
        let body = "# TYPE baton_decisions_total counter\n\
            baton_decisions_total{outcome=\"stay\"} 7\n\
            baton_decisions_total{outcome=\"escalate\"} 3\n\
            baton_handoffs_total{reason=\"explicit_request\",topic=\"none\"} 2\n\
            baton_handoffs_total{reason=\"explicit_request\",topic=\"billing_dispute\"} 1\n\
            baton_handoffs_total{reason=\"mandatory_topic\",topic=\"legal\"} 1\n";
        let counts = super::counts(body);
        assert_eq!(counts.decisions["stay"], 7);
        assert_eq!(counts.decisions["escalate"], 3);
        assert_eq!(counts.handoffs_by_reason["explicit_request"], 3);
        assert_eq!(counts.handoffs_by_reason["mandatory_topic"], 1);
        let before = super::counts("baton_decisions_total{outcome=\"stay\"} 5\n");
        let since = counts.since(&before);
        assert_eq!((since.decisions["stay"], since.decisions["escalate"]), (2, 3));
    }

    #[test]
    fn reads_the_engine_series() {
        let body = "# HELP x\nbaton_ewt_median_abs_pct_error{estimator=\"model\"} 20.5\n\
                    baton_ewt_samples{estimator=\"model\"} 12\nbaton_process_peak_resident_memory_bytes 1048576\n";
        let (ewt, peak) = super::parse(body);
        assert_eq!(ewt["model"].n, 12);
        assert!((ewt["model"].median_abs_pct_err - 20.5).abs() < 1e-9);
        assert_eq!(peak, Some(1_048_576));
    }
}
