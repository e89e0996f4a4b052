//! Reads the engine's own figures from its Prometheus exposition (target mode): each
//! estimator's accuracy and the process's peak memory.

use std::collections::BTreeMap;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::report::Accuracy;

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
    fn reads_the_engine_series() {
        let body = "# HELP x\nbaton_ewt_median_abs_pct_error{estimator=\"model\"} 20.5\n\
                    baton_ewt_samples{estimator=\"model\"} 12\nbaton_process_peak_resident_memory_bytes 1048576\n";
        let (ewt, peak) = super::parse(body);
        assert_eq!(ewt["model"].n, 12);
        assert!((ewt["model"].median_abs_pct_err - 20.5).abs() < 1e-9);
        assert_eq!(peak, Some(1_048_576));
    }
}
