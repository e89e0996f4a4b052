//! One task for every actor's deadlines. A pending deadline is an entry in an ordered map
//! (about 32 bytes), not a task of its own: ractor's `send_after` spawns a task per timer,
//! about 0.5 KiB and a spawn each, and every live conversation keeps one (its hibernation
//! check) — 50 MiB at 100,000 conversations.
//!
//! A deadline only ever sends `Tick::Timer`, and every behaviour checks on that tick which
//! of its deadlines passed, so a timer needs no cancelling: an actor that stopped meanwhile
//! just does not receive it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use ractor::ActorRef;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::cell::{Tick, lock};

/// Stands for a deadline too far for the clock.
const FAR: Duration = Duration::from_secs(365 * 24 * 3600);

/// Deadlines by time (and arrival, so two at the same instant both stay).
type Due = BTreeMap<(Instant, u64), ActorRef<Tick>>;

struct Inner {
    due: Mutex<Due>,
    seq: AtomicU64,
    /// Wakes the task: an earlier deadline arrived, or the timers were dropped.
    changed: Arc<Notify>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // The task finds nothing to upgrade and ends.
        self.changed.notify_one();
    }
}

/// The engine's timers; [`Timers::start`] runs the task that fires them.
pub(crate) struct Timers {
    inner: Arc<Inner>,
}

impl Timers {
    pub fn new() -> Self {
        Timers {
            inner: Arc::new(Inner {
                due: Mutex::new(BTreeMap::new()),
                seq: AtomicU64::new(0),
                changed: Arc::new(Notify::new()),
            }),
        }
    }

    /// Starts the task on the current runtime. It ends once these timers are dropped.
    pub fn start(&self) {
        let inner = Arc::downgrade(&self.inner);
        let changed = Arc::clone(&self.inner.changed);
        tokio::spawn(run(inner, changed));
    }

    /// Sends `Tick::Timer` to `actor` once `delay` has passed.
    pub fn after(&self, delay: Duration, actor: ActorRef<Tick>) {
        let now = Instant::now();
        // A deadline past the clock's range is as good as never (a year is far enough).
        let at = now.checked_add(delay).unwrap_or_else(|| now + FAR);
        let key = (at, self.inner.seq.fetch_add(1, Relaxed));
        let earliest = {
            let mut due = lock(&self.inner.due);
            let earliest = due.first_key_value().is_none_or(|(first, _)| key < *first);
            due.insert(key, actor);
            earliest
        };
        if earliest {
            // A permit is kept if the task is not waiting yet, so this is never missed.
            self.inner.changed.notify_one();
        }
    }

    /// Deadlines not fired yet.
    #[cfg(test)]
    pub fn pending(&self) -> usize {
        lock(&self.inner.due).len()
    }
}

/// Fires what is due, then sleeps until the next deadline or an earlier one arrives.
async fn run(inner: Weak<Inner>, changed: Arc<Notify>) {
    loop {
        let next = {
            let Some(inner) = inner.upgrade() else { return };
            fire_due(&inner.due)
        };
        match next {
            Some(at) => {
                tokio::select! {
                    () = tokio::time::sleep_until(at) => {}
                    () = changed.notified() => {}
                }
            }
            None => changed.notified().await,
        }
    }
}

/// Sends every due tick (outside the lock) and returns the next deadline.
fn fire_due(due: &Mutex<Due>) -> Option<Instant> {
    let now = Instant::now();
    loop {
        let actor = {
            let mut due = lock(due);
            match due.first_key_value() {
                Some(((at, _), _)) if *at <= now => due.pop_first().map(|(_, actor)| actor),
                Some(((at, _), _)) => return Some(*at),
                None => return None,
            }
        };
        if let Some(actor) = actor {
            // An actor that stopped meanwhile does not need its tick.
            let _ = actor.cast(Tick::Timer);
        }
    }
}

#[cfg(test)]
mod tests {
    use ractor::{Actor, ActorProcessingErr, ActorRef};
    use tokio::sync::mpsc;

    use super::*;

    /// Reports each tick it receives, with its name and when.
    struct Probe;

    impl Actor for Probe {
        type Msg = Tick;
        type State = (u32, mpsc::UnboundedSender<(u32, Instant)>);
        type Arguments = (u32, mpsc::UnboundedSender<(u32, Instant)>);

        async fn pre_start(
            &self,
            _: ActorRef<Tick>,
            args: Self::Arguments,
        ) -> Result<Self::State, ActorProcessingErr> {
            Ok(args)
        }

        async fn handle(
            &self,
            _: ActorRef<Tick>,
            tick: Tick,
            (name, tx): &mut Self::State,
        ) -> Result<(), ActorProcessingErr> {
            assert_eq!(tick, Tick::Timer);
            let _ = tx.send((*name, Instant::now()));
            Ok(())
        }
    }

    async fn probe(name: u32, tx: &mpsc::UnboundedSender<(u32, Instant)>) -> ActorRef<Tick> {
        Actor::spawn(None, Probe, (name, tx.clone())).await.expect("probe starts").0
    }

    async fn next(rx: &mut mpsc::UnboundedReceiver<(u32, Instant)>) -> (u32, Instant) {
        tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("a tick within 5 s")
            .expect("probes alive")
    }

    #[tokio::test]
    async fn fires_each_deadline_in_order_and_never_early() {
        let timers = Timers::new();
        timers.start();
        let (tx, mut rx) = mpsc::unbounded_channel();
        let start = Instant::now();
        let delays = [(1, 30), (2, 10), (3, 20), (4, 10)];
        for (name, ms) in delays {
            timers.after(Duration::from_millis(ms), probe(name, &tx).await);
        }
        let mut got = Vec::new();
        for _ in delays {
            let (name, at) = next(&mut rx).await;
            let ms = delays.iter().find(|(n, _)| *n == name).map(|(_, ms)| *ms).expect("known");
            assert!(at >= start + Duration::from_millis(ms), "probe {name} fired early");
            got.push(name);
        }
        // Equal deadlines fire in the order they were set.
        assert_eq!(got, [2, 4, 3, 1]);
        assert_eq!(timers.pending(), 0);
    }

    #[tokio::test]
    async fn an_earlier_deadline_wakes_the_sleeping_task() {
        let timers = Timers::new();
        timers.start();
        let (tx, mut rx) = mpsc::unbounded_channel();
        // The task sleeps towards an hour away …
        timers.after(Duration::from_secs(3600), probe(1, &tx).await);
        tokio::task::yield_now().await;
        // … and a deadline 10 ms away still fires (the wait for it gives up after 5 s).
        timers.after(Duration::from_millis(10), probe(2, &tx).await);
        assert_eq!(next(&mut rx).await.0, 2);
        assert_eq!(timers.pending(), 1);
    }
}
