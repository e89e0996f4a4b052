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

    /// A sample of what is left of a duration drawn from this distribution that has already
    /// lasted `elapsed_s`: the distribution conditioned on exceeding `elapsed_s`, less
    /// `elapsed_s`. The oracle needs it for a slot busy since some time ago.
    pub fn sample_after(&self, elapsed_s: f64, rng: &mut Rng) -> f64 {
        if elapsed_s <= 0.0 {
            return self.sample(rng);
        }
        match *self {
            Dist::Fixed { s } => (s - elapsed_s).max(0.0),
            Dist::Uniform { min_s, max_s } => {
                let from = min_s.max(elapsed_s);
                if from >= max_s {
                    return 0.0;
                }
                from + (max_s - from) * rng.unit() - elapsed_s
            }
            // Memoryless.
            Dist::Exponential { mean_s } => rng.exponential(mean_s),
            Dist::Lognormal { mean_s, sd_s } => {
                let variance = (1.0 + (sd_s / mean_s).powi(2)).ln();
                let (mu, sigma) = (mean_s.ln() - variance / 2.0, variance.sqrt());
                if sigma == 0.0 {
                    return (mean_s - elapsed_s).max(0.0);
                }
                // Inverse transform over the tail beyond `elapsed_s`.
                let below = normal_cdf((elapsed_s.ln() - mu) / sigma);
                let u = (below + (1.0 - below) * rng.unit()).min(1.0 - 1e-12);
                ((mu + sigma * normal_quantile(u)).exp() - elapsed_s).max(0.0)
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

/// The standard normal distribution function, from the complementary error function of
/// Numerical Recipes (`erfcc`, relative error below 1.2e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let z = (x / std::f64::consts::SQRT_2).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = [
        -1.265_512_23, 1.000_023_68, 0.374_091_96, 0.096_784_18, -0.186_288_06, 0.278_868_07,
        -1.135_203_98, 1.488_515_87, -0.822_152_23, 0.170_872_77,
    ]
    .iter()
    .rev()
    .fold(0.0, |acc, c| c + t * acc);
    let erfc = t * (-z * z + poly).exp();
    if x >= 0.0 { 1.0 - erfc / 2.0 } else { erfc / 2.0 }
}

/// The standard normal quantile for `p` in (0, 1): Acklam's rational approximation (relative
/// error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1, 2.209_460_984_245_205e2, -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2, -3.066_479_806_614_716e1, 2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1, 1.615_858_368_580_409e2, -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1, -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3, -3.223_964_580_411_365e-1, -2.400_758_277_161_838,
        -2.549_732_539_343_734, 4.374_664_141_464_968, 2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let horner = |c: &[f64], x: f64| c.iter().fold(0.0, |acc, k| acc * x + k);
    let tail = |q: f64| horner(&C, q) / (horner(&D, q) * q + 1.0);
    if p < 0.024_25 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.024_25 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        q * horner(&A, r) / (horner(&B, r) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_functions_invert_each_other() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
        for p in [1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 1.0 - 1e-6] {
            let back = normal_cdf(normal_quantile(p));
            assert!((back - p).abs() < 1e-6 * p.max(1e-3), "{p}: {back}");
        }
    }

    #[test]
    fn what_is_left_of_a_long_duration_follows_its_tail() {
        let mut rng = Rng::new(11);
        let n = 100_000;
        let dist = Dist::Lognormal { mean_s: 240.0, sd_s: 120.0 };
        // Rejection sampling of the same conditional, to compare means.
        let (mut direct, mut kept) = (0.0, 0);
        while kept < n {
            let x = dist.sample(&mut rng);
            if x > 300.0 {
                direct += x - 300.0;
                kept += 1;
            }
        }
        let direct = direct / f64::from(kept);
        let inverse = (0..n).map(|_| dist.sample_after(300.0, &mut rng)).sum::<f64>() / n as f64;
        assert!((inverse / direct - 1.0).abs() < 0.03, "{inverse} vs {direct}");
        let fixed = Dist::Fixed { s: 30.0 };
        assert_eq!(fixed.sample_after(10.0, &mut rng), 20.0);
        assert_eq!(fixed.sample_after(40.0, &mut rng), 0.0);
        let uniform = Dist::Uniform { min_s: 2.0, max_s: 8.0 };
        for _ in 0..1000 {
            let left = uniform.sample_after(5.0, &mut rng);
            assert!((0.0..=3.0).contains(&left), "{left}");
        }
    }

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
