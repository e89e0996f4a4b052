//! Estimate against reality: for every customer who waited, the absolute percentage error of
//! each estimator's prediction at enqueue time. Median from a fixed histogram (0.1 % bins up
//! to 1000 %, beyond that the last bin), mean exact; memory is constant however long it runs.

use serde::Serialize;

const BINS: usize = 10_001;
const BIN_WIDTH: f64 = 0.001;

/// Errors of one estimator.
#[derive(Debug, Clone)]
pub struct Accuracy {
    n: u64,
    sum_ape: f64,
    bins: Vec<u32>,
    /// Customers for whom the estimator had no estimate.
    missing: u64,
}

/// `ewt{<estimator>{n, median_abs_pct_err, mape}}` of the load generator's report, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AccuracySummary {
    pub n: u64,
    pub median_abs_pct_err: f64,
    pub mape: f64,
    /// Customers who waited but got no estimate.
    pub no_estimate: u64,
}

impl Default for Accuracy {
    fn default() -> Self {
        Accuracy { n: 0, sum_ape: 0.0, bins: vec![0; BINS], missing: 0 }
    }
}

impl Accuracy {
    /// Records one customer who waited `actual_ms` (> 0) and was told `estimate_ms`.
    pub fn record(&mut self, estimate_ms: Option<u64>, actual_ms: u64) {
        if actual_ms == 0 {
            return;
        }
        let Some(estimate) = estimate_ms else {
            self.missing += 1;
            return;
        };
        let ape = (estimate as f64 - actual_ms as f64).abs() / actual_ms as f64;
        self.n += 1;
        self.sum_ape += ape;
        let bin = ((ape / BIN_WIDTH) as usize).min(BINS - 1);
        self.bins[bin] += 1;
    }

    pub fn summary(&self) -> AccuracySummary {
        let mape = if self.n == 0 { 0.0 } else { 100.0 * self.sum_ape / self.n as f64 };
        AccuracySummary {
            n: self.n,
            median_abs_pct_err: 100.0 * self.median(),
            mape,
            no_estimate: self.missing,
        }
    }

    /// The median APE (fraction), from the bins' midpoints.
    fn median(&self) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let half = self.n.div_ceil(2);
        let mut seen = 0u64;
        for (i, count) in self.bins.iter().enumerate() {
            seen += u64::from(*count);
            if seen >= half {
                return (i as f64 + 0.5) * BIN_WIDTH;
            }
        }
        BINS as f64 * BIN_WIDTH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_mean_of_absolute_percentage_errors() {
        let mut a = Accuracy::default();
        a.record(Some(110), 100); // 10 %
        a.record(Some(50), 100); // 50 %
        a.record(Some(100), 100); // 0 %
        a.record(Some(1), 0); // did not wait: not counted
        a.record(None, 100); // no estimate
        let s = a.summary();
        assert_eq!((s.n, s.no_estimate), (3, 1));
        assert!((s.mape - 20.0).abs() < 1e-9, "{s:?}");
        assert!((s.median_abs_pct_err - 10.05).abs() < 1e-9, "{s:?}");
    }
}
