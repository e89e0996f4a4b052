//! A small seeded random source (SplitMix64) and the distributions scenarios use. Seeded so
//! that a scenario with the same seed offers the same arrivals and behaviours every run.

use serde::{Deserialize, Serialize};

/// SplitMix64: fast, statistically good enough for workloads, trivially seedable.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// An independent stream for a sub-task (a customer, an agent).
    pub fn fork(&mut self, salt: u64) -> Rng {
        Rng(self.next_u64() ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform index below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// A duration distribution in scenario seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Dist {
    Fixed {
        s: f64,
    },
    Uniform {
        min_s: f64,
        max_s: f64,
    },
    Exponential {
        mean_s: f64,
    },
    /// Log-normal with this mean and standard deviation (handle times are right-skewed).
    Lognormal {
        mean_s: f64,
        sd_s: f64,
    },
}

impl Dist {
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        match *self {
            Dist::Fixed { s } => s,
            Dist::Uniform { min_s, max_s } => min_s + (max_s - min_s) * rng.unit(),
            Dist::Exponential { mean_s } => rng.exponential(mean_s),
            Dist::Lognormal { mean_s, sd_s } => {
                let variance = (1.0 + (sd_s / mean_s).powi(2)).ln();
                let mu = mean_s.ln() - variance / 2.0;
                (mu + variance.sqrt() * rng.normal()).exp()
            }
        }
    }

    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed { s } => s,
            Dist::Uniform { min_s, max_s } => (min_s + max_s) / 2.0,
            Dist::Exponential { mean_s } | Dist::Lognormal { mean_s, .. } => mean_s,
        }
    }

    /// Every parameter finite and non-negative, means positive.
    pub fn is_valid(&self) -> bool {
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        match *self {
            Dist::Fixed { s } => ok(s),
            Dist::Uniform { min_s, max_s } => ok(min_s) && ok(max_s) && min_s <= max_s,
            Dist::Exponential { mean_s } => ok(mean_s) && mean_s > 0.0,
            Dist::Lognormal { mean_s, sd_s } => ok(mean_s) && mean_s > 0.0 && ok(sd_s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_have_their_means() {
        let mut rng = Rng::new(7);
        for dist in [
            Dist::Fixed { s: 3.0 },
            Dist::Uniform { min_s: 2.0, max_s: 10.0 },
            Dist::Exponential { mean_s: 180.0 },
            Dist::Lognormal { mean_s: 180.0, sd_s: 90.0 },
        ] {
            let n = 200_000;
            let mean = (0..n).map(|_| dist.sample(&mut rng)).sum::<f64>() / n as f64;
            assert!((mean / dist.mean() - 1.0).abs() < 0.02, "{dist:?}: {mean}");
        }
    }
}
