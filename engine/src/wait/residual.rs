//! When the slots ahead of a customer free, from how long each busy slot has been busy and
//! the shape of handle times: a renewal count on a time grid ([`FreeCurve`]).
//!
//! `(k − f + 1) · AHT / c` is right only for memoryless handle times. Real handle times vary
//! less than exponential ones (log-normal-like, a coefficient of variation near 0.5), and
//! then what a slot has left depends on how long it has been busy: just after a shift logs
//! on, every slot is fresh and the first one frees much later than `AHT / c`; on a floor
//! busy for a while, some slot is nearly done and the first frees sooner. Handle times are
//! fitted by a Weibull distribution with the learned mean and variance (shape 1 is the
//! exponential, so memoryless floors keep the old answer), each busy slot frees after what
//! is left of its handle time, and a freed slot takes the next customer and frees again after
//! a fresh cycle (answer delay plus handle time).

/// Time steps of the grid.
const STEPS: usize = 96;

/// The grid spans this many cycles; beyond it slots free at their long-run rate.
const HORIZON_CYCLES: f64 = 1.5;

/// Ages taken from the busy slots (evenly spaced in age order) when there are more.
pub const AGES: usize = 16;

/// Handle times as a Weibull distribution: `P(S > t) = exp(−(t/λ)^k)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weibull {
    shape: f64,
    scale: f64,
}

impl Weibull {
    /// The Weibull with this mean and coefficient of variation (sd / mean); the shape is
    /// kept within 0.5..=8 (CV about 2.2 down to 0.15).
    pub fn fit(mean: f64, cv: f64) -> Weibull {
        let target = cv.clamp(0.15, 2.2);
        // CV falls as the shape grows: bisect.
        let (mut lo, mut hi) = (0.5_f64, 8.0_f64);
        for _ in 0..40 {
            let mid = 0.5 * (lo + hi);
            if weibull_cv(mid) > target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let shape = 0.5 * (lo + hi);
        Weibull { shape, scale: mean.max(1.0) / ln_gamma(1.0 + 1.0 / shape).exp() }
    }

    /// `P(S > t)`.
    fn survival(&self, t: f64) -> f64 {
        if t <= 0.0 { 1.0 } else { (-(t / self.scale).powf(self.shape)).exp() }
    }

    /// `(t/λ)^k`, the cumulative hazard.
    fn hazard(&self, t: f64) -> f64 {
        if t <= 0.0 { 0.0 } else { (t / self.scale).powf(self.shape) }
    }

    /// The shape `k` (1 is the exponential).
    pub fn shape(&self) -> f64 {
        self.shape
    }
}

/// At most [`AGES`] of `ages`, evenly spaced in their order: the middle of each of that
/// many equal parts.
fn evenly_spaced(ages: &[f64]) -> Vec<f64> {
    let mut sorted = ages.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.len() <= AGES {
        return sorted;
    }
    (0..AGES).map(|i| sorted[(2 * i + 1) * sorted.len() / (2 * AGES)]).collect()
}

/// The coefficient of variation of a Weibull of shape `k`.
fn weibull_cv(k: f64) -> f64 {
    let g1 = ln_gamma(1.0 + 1.0 / k);
    let g2 = ln_gamma(1.0 + 2.0 / k);
    ((g2 - 2.0 * g1).exp() - 1.0).max(0.0).sqrt()
}

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, nine terms; about 15 digits).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9, 676.520_368_121_885_1, -1_259.139_216_722_402_8,
        771.323_428_777_653_1, -176.615_029_162_140_6, 12.507_343_278_686_905,
        -0.138_571_095_265_720_12, 9.984_369_578_019_572e-6, 1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// What a queue has learned of its slots' cycle: accept to release (chat plus after-chat
/// work), its spread, the after-chat part, and the answer delay before a fresh chat starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Times {
    /// Mean time from accept to release, milliseconds.
    pub handle_ms: f64,
    /// Coefficient of variation of that time.
    pub cv: f64,
    /// Mean after-chat (wrap-up) time within it, milliseconds.
    pub wrap_ms: f64,
    /// Mean time from offer to accept, milliseconds.
    pub answer_ms: f64,
}

/// The busy slots as a queue sees them, milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct BusySlots<'a> {
    /// Since accept, for slots whose agent is still chatting.
    pub talking: &'a [f64],
    /// Since the wrap-up started, for slots in after-chat work.
    pub wrapping: &'a [f64],
}

impl BusySlots<'_> {
    fn is_empty(&self) -> bool {
        self.talking.is_empty() && self.wrapping.is_empty()
    }
}

/// The expected number of frees by each time on a grid, per busy slot (with the ages of the
/// queue's busy slots) and per fresh slot (about to take a customer). The floor's curve is
/// `busy · aged + fresh · fresh`, so one curve serves every staffing until the ages move on.
///
/// A cycle is the answer delay, a chat (Weibull) and the after-chat work, taken as its mean:
/// wrap-ups run to a timer or end when the agent is ready, so they vary far less than chats,
/// and a slot in wrap-up frees within what is left of it, whatever the chat took.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeCurve {
    /// Grid step, milliseconds.
    step_ms: f64,
    /// `aged[i]`: expected frees of one busy slot by `i · step_ms` (empty without ages).
    aged: Vec<f64>,
    /// `fresh[i]`: the same for a slot whose customer is only being offered now.
    fresh: Vec<f64>,
    /// A cycle (answer delay plus handle time), milliseconds: past the grid each slot frees
    /// once per cycle.
    cycle_ms: f64,
}

impl FreeCurve {
    /// The curves for busy slots like `busy` (talking slots sampled at [`AGES`] evenly spaced
    /// ages, wrapping slots all counted) and for fresh slots. `None` without a handle time.
    pub fn build(busy: BusySlots<'_>, times: Times) -> Option<FreeCurve> {
        let Times { handle_ms, cv, wrap_ms, answer_ms } = times;
        if handle_ms <= 0.0 || !handle_ms.is_finite() {
            return None;
        }
        let wrap = if wrap_ms.is_finite() { wrap_ms.clamp(0.0, 0.95 * handle_ms) } else { 0.0 };
        // The chat is what the cycle holds besides the wrap-up; its spread is the cycle's
        // (the wrap-up's own is small beside it).
        let chat_ms = handle_ms - wrap;
        let chat = Weibull::fit(chat_ms, cv * handle_ms / chat_ms);
        let answer = if answer_ms.is_finite() { answer_ms.max(0.0) } else { 0.0 };
        let cycle = handle_ms + answer;
        let step = HORIZON_CYCLES * cycle / STEPS as f64;
        // A fresh cycle's probability of having ended by each step.
        let mut cycle_cdf = vec![0.0; STEPS + 1];
        for (i, cdf) in cycle_cdf.iter_mut().enumerate() {
            *cdf = 1.0 - chat.survival(i as f64 * step - answer - wrap);
        }
        // renewals[i]: expected ends of fresh cycles by step i, from `U = F + U ∗ dF`.
        let mut renewals = vec![0.0; STEPS + 1];
        for i in 1..=STEPS {
            let mut u = 0.0;
            for l in 1..=i {
                u += (cycle_cdf[l] - cycle_cdf[l - 1]) * (1.0 + renewals[i - l]);
            }
            renewals[i] = u;
        }
        // Every first free is followed by the renewals of fresh cycles.
        let after_first = |first: &[f64]| {
            let mut frees = vec![0.0; STEPS + 1];
            for i in 1..=STEPS {
                let mut n = 0.0;
                for l in 1..=i {
                    n += (first[l] - first[l - 1]) * (1.0 + renewals[i - l]);
                }
                frees[i] = n;
            }
            frees
        };
        let aged = if busy.is_empty() {
            Vec::new()
        } else {
            let mut first = vec![0.0; STEPS + 1];
            let slots = (busy.talking.len() + busy.wrapping.len()) as f64;
            let ages = evenly_spaced(busy.talking);
            let weight = busy.talking.len() as f64 / slots / ages.len().max(1) as f64;
            for &age in &ages {
                let held = chat.hazard(age);
                for (i, f) in first.iter_mut().enumerate() {
                    // P(chat ≤ age + t − wrap | chat > age) = 1 − exp(H(age) − H(age + t − wrap)).
                    let until = (i as f64 * step - wrap).max(0.0);
                    *f += weight * (1.0 - (held - chat.hazard(age + until)).exp());
                }
            }
            // A slot in wrap-up frees when what is left of it has passed: a step at that
            // grid point, counted for every such slot (no powers, so no sampling). One past
            // the mean is about to end (wrap-ups end at a deadline): it frees within the first
            // step, never at step 0, which the renewals below start after and would drop.
            let mut steps = vec![0.0; STEPS + 2];
            for &elapsed in busy.wrapping {
                let left = (wrap - elapsed).max(0.0);
                steps[((left / step).ceil() as usize).clamp(1, STEPS + 1)] += 1.0;
            }
            // Counted whole and divided once, so all of them make exactly their share.
            let mut done = 0.0;
            for (f, s) in first.iter_mut().zip(&steps) {
                done += s;
                *f += done / slots;
            }
            after_first(&first)
        };
        // A fresh slot's frees are the renewals themselves: its first free is a cycle's end.
        Some(FreeCurve { step_ms: step, aged, fresh: renewals, cycle_ms: cycle })
    }

    /// Milliseconds until `n` of `busy` busy and `fresh` fresh slots are expected to have
    /// freed (linear between grid points, once per cycle per slot past the grid); `None`
    /// when no slot is staffed or the busy slots' ages are unknown.
    pub fn time_for(&self, n: f64, busy: u32, fresh: u32) -> Option<f64> {
        let (busy, fresh) = (f64::from(busy), f64::from(fresh));
        if busy + fresh == 0.0 || (busy > 0.0 && self.aged.is_empty()) {
            return None;
        }
        if n <= 0.0 {
            return Some(0.0);
        }
        let at = |i: usize| busy * self.aged.get(i).copied().unwrap_or(0.0) + fresh * self.fresh[i];
        let last = self.fresh.len() - 1;
        if n > at(last) {
            let rate = (busy + fresh) / self.cycle_ms;
            return Some(last as f64 * self.step_ms + (n - at(last)) / rate);
        }
        // The first grid point reaching n (frees only grow).
        let (mut lo, mut hi) = (0, last);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if at(mid) < n { lo = mid + 1 } else { hi = mid }
        }
        let i = lo.max(1);
        let (a, b) = (at(i - 1), at(i));
        let within = if b > a { (n - a) / (b - a) } else { 1.0 };
        Some((i as f64 - 1.0 + within) * self.step_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance * b.abs()
    }

    fn times(handle_ms: f64, cv: f64, answer_ms: f64) -> Times {
        Times { handle_ms, cv, wrap_ms: 0.0, answer_ms }
    }

    fn talking(ages: &[f64]) -> BusySlots<'_> {
        BusySlots { talking: ages, wrapping: &[] }
    }

    #[test]
    fn the_fit_keeps_the_mean_and_the_cv() {
        assert!(close(ln_gamma(5.0).exp(), 24.0, 1e-12));
        assert!(close(ln_gamma(0.5).exp(), std::f64::consts::PI.sqrt(), 1e-12));
        let exponential = Weibull::fit(180_000.0, 1.0);
        assert!(close(exponential.shape(), 1.0, 1e-6), "{exponential:?}");
        for cv in [0.3, 0.5, 1.0, 1.5] {
            let w = Weibull::fit(240_000.0, cv);
            let mean = w.scale * ln_gamma(1.0 + 1.0 / w.shape).exp();
            assert!(close(mean, 240_000.0, 1e-9), "cv {cv}: {w:?}");
            assert!(close(weibull_cv(w.shape), cv, 1e-6), "cv {cv}: {w:?}");
        }
    }

    #[test]
    fn memoryless_handle_times_free_slots_at_aht_over_c_whatever_their_ages() {
        // Ten busy slots of all ages: the n-th free comes after n · AHT / 10.
        let ages: Vec<f64> = (0..10).map(|i| f64::from(i) * 60_000.0).collect();
        let curve = FreeCurve::build(talking(&ages), times(180_000.0, 1.0, 0.0)).expect("curve");
        for n in [1.0, 3.0, 10.0, 25.0, 60.0] {
            let expected = n * 18_000.0;
            let t = curve.time_for(n, 10, 0).expect("staffed");
            assert!(close(t, expected, 0.03), "n {n}: {t}");
            // Fresh slots are memoryless too.
            let t = curve.time_for(n, 4, 6).expect("staffed");
            assert!(close(t, expected, 0.03), "n {n}, four busy and six fresh: {t}");
        }
    }

    #[test]
    fn ages_matter_when_handle_times_vary_little() {
        let (handle, cv) = (240_000.0, 0.5);
        // Thirty slots that have just started, against thirty busy for 200–316 s (past the
        // 240 s mean, when handle times that vary little are about to end).
        let fresh = FreeCurve::build(talking(&[0.0]), times(handle, cv, 0.0)).expect("curve");
        let ages: Vec<f64> = (0..30).map(|i| 200_000.0 + f64::from(i) * 4_000.0).collect();
        let spread = FreeCurve::build(talking(&ages), times(handle, cv, 0.0)).expect("curve");
        let memoryless = handle / 30.0;
        let first = |curve: &FreeCurve| curve.time_for(1.0, 30, 0).expect("staffed");
        assert!(first(&fresh) > 3.0 * memoryless, "{}", first(&fresh));
        assert!(first(&spread) < memoryless, "{}", first(&spread));
        // Thirty slots just offered a customer behave as thirty busy for no time at all.
        let offered = fresh.time_for(1.0, 0, 30).expect("staffed");
        assert!(close(offered, first(&fresh), 0.02), "{offered}");
        // Deep in the queue both come back to the long-run rate: 30 slots per cycle.
        for curve in [&fresh, &spread] {
            let t = curve.time_for(300.0, 30, 0).expect("staffed");
            assert!(close(t, 10.0 * handle, 0.1), "{t}");
        }
    }

    #[test]
    fn fresh_slots_wait_for_the_answer_first_and_nothing_to_go_on_is_none() {
        let curve =
            FreeCurve::build(BusySlots::default(), times(100_000.0, 1.0, 20_000.0)).expect("curve");
        let t = curve.time_for(0.5, 0, 4).expect("fresh slots need no ages");
        assert!(t > 20_000.0, "{t}");
        assert_eq!(curve.time_for(0.0, 0, 4), Some(0.0));
        assert_eq!(curve.time_for(1.0, 3, 0), None, "busy slots of unknown ages");
        assert_eq!(curve.time_for(1.0, 0, 0), None, "nobody staffed");
        assert_eq!(FreeCurve::build(talking(&[1.0]), times(0.0, 1.0, 0.0)), None);
    }

    #[test]
    fn slots_in_wrap_up_free_within_what_is_left_of_it() {
        // Chats of 240 s (CV 0.5) and 30 s of wrap-up: 270 s from accept to release.
        let times = Times {
            handle_ms: 270_000.0,
            cv: 0.5 * 240.0 / 270.0,
            wrap_ms: 30_000.0,
            answer_ms: 0.0,
        };
        // Ten slots 20 s into their wrap-up free within about 10 s; ten chatting for 250 s
        // (the same time since accept) have the rest of a chat and all the wrap-up to go.
        let wrapping = [20_000.0; 10];
        let wrapped = FreeCurve::build(BusySlots { talking: &[], wrapping: &wrapping }, times)
            .expect("curve");
        let chatting = FreeCurve::build(talking(&[250_000.0; 10]), times).expect("curve");
        let step = 1.5 * 270_000.0 / 96.0;
        let all_ten = wrapped.time_for(10.0, 10, 0).expect("staffed");
        assert!(all_ten <= 10_000.0 + step, "{all_ten}");
        let first = chatting.time_for(1.0, 10, 0).expect("staffed");
        assert!(first > 30_000.0, "{first}");
        // Slots that have just accepted free no sooner than the wrap-up takes.
        let fresh = FreeCurve::build(talking(&[0.0]), times).expect("curve");
        assert!(fresh.time_for(0.01, 1, 0).expect("staffed") > 30_000.0);
        // Half and half: the five in wrap-up are the first five to free.
        let ages = [250_000.0; 5];
        let mixed = FreeCurve::build(BusySlots { talking: &ages, wrapping: &wrapping[..5] }, times)
            .expect("curve");
        assert!(mixed.time_for(5.0, 10, 0).expect("staffed") <= 10_000.0 + step);
        // Deep in the queue: ten slots free once per cycle.
        let t = wrapped.time_for(100.0, 10, 0).expect("staffed");
        assert!(close(t, 10.0 * 270_000.0, 0.1), "{t}");
        // Wrap-ups that have run past the mean free within the first step, not never.
        let overran = [31_000.0, 45_000.0];
        let late = FreeCurve::build(BusySlots { talking: &ages, wrapping: &overran }, times)
            .expect("curve");
        assert!(late.time_for(2.0, 7, 0).expect("staffed") <= step, "both free at once");
    }
}
