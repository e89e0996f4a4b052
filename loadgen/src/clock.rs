//! Precise wake-ups for the open-loop schedule. tokio's timer fires on millisecond ticks (and
//! its park timeout rounds up once more), which would add up to 2 ms of lateness to every
//! scheduled send and blur microsecond decisions; this clock thread sleeps until the
//! earliest due time with the OS's sub-millisecond precision and wakes the task that waits.
//! The OS itself wakes a sleeping thread 100–200 µs late on a virtual machine, so the thread
//! sleeps until shortly before the due time and spins the rest. Waking the waiting task costs
//! as much again (its runtime thread is parked too), so the task is woken a little early and
//! spins to the due time itself ([`Wake`]). Both spins stay within a CPU budget (a tenth of
//! one core) so that at high rates the generator does not starve the engine it measures;
//! past it, wake-ups are on time at best and late by the OS's wake-up latency.
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::Instant;

struct Due {
    at: Instant,
    seq: u64,
    wake: oneshot::Sender<()>,
}

impl PartialEq for Due {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Due {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

#[derive(Default)]
struct Queue {
    heap: BinaryHeap<Reverse<Due>>,
    seq: u64,
    stopped: bool,
}

/// The clock; dropping the last handle stops its thread.
#[derive(Clone)]
pub struct Clock {
    shared: Arc<(Mutex<Queue>, Condvar)>,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

impl Clock {
    pub fn start() -> Clock {
        let shared = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
        let worker = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("loadgen-clock".into())
            .spawn(move || run(&worker))
            .unwrap_or_else(|e| panic!("cannot start the clock thread: {e}"));
        Clock { shared }
    }

    /// Completes at `at` (at once if it has passed), never before.
    pub fn at(&self, at: Instant) -> Wake {
        let (wake, rx) = oneshot::channel();
        if at <= Instant::now() {
            let _ = wake.send(());
            return Wake { rx, at };
        }
        let (lock, signal) = &*self.shared;
        let mut queue = lock.lock().unwrap_or_else(PoisonError::into_inner);
        queue.seq += 1;
        let seq = queue.seq;
        let earliest = queue.heap.peek().is_none_or(|Reverse(d)| at < d.at);
        queue.heap.push(Reverse(Due { at, seq, wake }));
        if earliest {
            signal.notify_one();
        }
        Wake { rx, at }
    }

    /// Stops the thread (pending wake-ups are dropped).
    pub fn stop(&self) {
        let (lock, signal) = &*self.shared;
        lock.lock().unwrap_or_else(PoisonError::into_inner).stopped = true;
        signal.notify_one();
    }
}

/// A wake-up from [`Clock::at`]: the clock may fire it up to [`WAKE_LEAD`] early, and the task
/// then spins to the due time, so that the send happens on time although waking the task's
/// thread takes a while.
#[derive(Debug)]
pub struct Wake {
    rx: oneshot::Receiver<()>,
    at: Instant,
}

impl Future for Wake {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // A dropped clock (the run is over) completes the wait too.
        let _ = std::task::ready!(Pin::new(&mut self.rx).poll(cx));
        // Bounded in real time as well: under paused time (tests) the task's clock stands
        // still and would never reach the due time.
        #[allow(clippy::disallowed_types)]
        let spun = std::time::Instant::now();
        while Instant::now() < self.at && spun.elapsed() < 2 * WAKE_LEAD {
            std::hint::spin_loop();
        }
        Poll::Ready(())
    }
}

/// How long before a due time the thread stops sleeping and starts spinning.
const SPIN_MARGIN: Duration = Duration::from_micros(250);
/// How early a waiting task is woken (it spins the rest): about what waking a parked runtime
/// thread takes here.
const WAKE_LEAD: Duration = Duration::from_micros(200);
/// Spinning (the thread's and the woken tasks') may use this much of every `SPIN_WINDOW`.
const SPIN_BUDGET: Duration = Duration::from_millis(10);
const SPIN_WINDOW: Duration = Duration::from_millis(100);

fn run(shared: &(Mutex<Queue>, Condvar)) {
    let (lock, signal) = shared;
    let mut queue = lock.lock().unwrap_or_else(PoisonError::into_inner);
    let (mut window, mut spent) = (Instant::now(), Duration::ZERO);
    loop {
        if queue.stopped {
            return;
        }
        let now = Instant::now();
        if now.duration_since(window) >= SPIN_WINDOW {
            (window, spent) = (now, Duration::ZERO);
        }
        let within = spent < SPIN_BUDGET;
        let lead = if within { WAKE_LEAD } else { Duration::ZERO };
        match queue.heap.peek() {
            None => queue = signal.wait(queue).unwrap_or_else(PoisonError::into_inner),
            Some(Reverse(due)) if due.at <= now + lead => {
                if let Some(Reverse(due)) = queue.heap.pop() {
                    // The task spins from about now to the due time.
                    spent += due.at.saturating_duration_since(now);
                    let _ = due.wake.send(());
                }
            }
            Some(Reverse(due)) if due.at - lead - now <= SPIN_MARGIN && within => {
                // Spin without the lock, so that tasks can still schedule.
                let until = due.at - lead;
                drop(queue);
                while Instant::now() < until {
                    std::hint::spin_loop();
                }
                spent += Instant::now().duration_since(now);
                queue = lock.lock().unwrap_or_else(PoisonError::into_inner);
            }
            Some(Reverse(due)) => {
                let until = due.at - lead;
                let wait = if within {
                    (until - now).saturating_sub(SPIN_MARGIN).max(Duration::from_micros(1))
                } else {
                    until - now
                };
                queue = signal.wait_timeout(queue, wait).unwrap_or_else(PoisonError::into_inner).0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn wakes_in_order_and_not_early() {
        let clock = Clock::start();
        let base = Instant::now();
        let mut waits = Vec::new();
        for ms in [30u64, 10, 20, 0] {
            let at = base + Duration::from_millis(ms);
            waits.push((at, clock.at(at)));
        }
        for (at, wake) in waits {
            wake.await;
            assert!(Instant::now() >= at, "never early");
        }
        clock.stop();
    }
}
