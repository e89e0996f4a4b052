//! Supervision: root → one supervisor per kind (conversations, agents, queues) → one actor
//! per cell.
//!
//! ```text
//!                 root
//!     ┌────────────┼─────────────┐
//! conversations  agents        queues        (Supervisor<B>)
//!   │ │ │ …      │ │ …         │ │ …         (ChildActor<B>, one per cell)
//! ```
//!
//! ractor's default stops a supervisor when any child exits; these override
//! `handle_supervisor_evt`. A failed child is restarted on the same cell (its state and inbox
//! survive) and the cell's actor ref is replaced, so every sender reaches the new actor. More
//! than `max_restarts` restarts within `restart_window_s` is a storm: the supervisor fails,
//! ractor kills its children, and the root restarts the supervisor, which adopts every cell
//! of its kind again. A storm at the root stops the engine. Every restart is counted.

use std::collections::{HashMap, VecDeque};
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use ractor::{Actor, ActorCell, ActorId, ActorProcessingErr, ActorRef, SupervisionEvent};
use tokio::time::Instant;

use super::actor::{Behaviour, ChildActor};
use super::agent::AgentBehaviour;
use super::conversation::ConversationBehaviour;
use super::queue::QueueBehaviour;
use super::shared::{Kind, Shared};

/// How often a supervisor looks for cells without a live actor (a cell created while its
/// supervisor was restarting would otherwise wait for the next storm).
const RECONCILE_EVERY: Duration = Duration::from_secs(5);
/// Cells checked between two yields of a reconcile walk.
const RECONCILE_CHUNK: usize = 256;

/// Messages to a kind's supervisor.
#[derive(Debug)]
pub(crate) enum SupMsg {
    /// Start an actor for the cell with this key (no-op if one is alive).
    Spawn(Arc<str>),
    /// Start actors for every cell that has none.
    Reconcile,
    /// Test-only: make this supervisor fail as if its children stormed.
    #[cfg(feature = "fault-injection")]
    Panic,
}

/// Restarts within a sliding window.
#[derive(Debug)]
struct RestartWindow {
    times: VecDeque<Instant>,
    max: u32,
    window: Duration,
}

impl RestartWindow {
    fn new(shared: &Shared) -> Self {
        let engine = &shared.config().engine;
        RestartWindow {
            times: VecDeque::new(),
            max: engine.max_restarts,
            window: Duration::from_secs(engine.restart_window_s),
        }
    }

    /// Records a restart; false when it makes a storm.
    fn allow(&mut self, now: Instant) -> bool {
        while self.times.front().is_some_and(|t| now.saturating_duration_since(*t) > self.window) {
            self.times.pop_front();
        }
        self.times.push_back(now);
        self.times.len() <= self.max as usize
    }
}

/// Supervisor of all actors of kind `B`.
pub(crate) struct Supervisor<B> {
    shared: Arc<Shared>,
    kind: PhantomData<fn() -> B>,
}

pub(crate) struct SupState {
    children: HashMap<ActorId, Arc<str>>,
    restarts: RestartWindow,
}

impl<B: Behaviour> Supervisor<B> {
    pub fn new(shared: Arc<Shared>) -> Self {
        Supervisor { shared, kind: PhantomData }
    }

    async fn spawn_child(&self, myself: &ActorRef<SupMsg>, state: &mut SupState, key: Arc<str>) {
        let Some(cell) = B::cell(&self.shared, &key) else { return };
        if !cell.needs_actor() || cell.has_live_actor() {
            return;
        }
        let child = ChildActor::<B>::new(Arc::clone(&self.shared));
        match Actor::spawn_linked(None, child, Arc::clone(&cell), myself.get_cell()).await {
            Ok((actor, _)) => {
                state.children.insert(actor.get_id(), key);
            }
            // The next reconcile tries again; the cell keeps its inbox meanwhile.
            Err(e) => tracing::warn!("cannot start {} {key}: {e}", B::KIND.as_str()),
        }
    }

    /// Starts an actor for every cell that needs one and has none. At 100,000 conversations
    /// the walk is tens of milliseconds: the keys are gathered on the blocking pool and the
    /// walk yields every [`RECONCILE_CHUNK`] cells, so no worker thread stalls on it (timers
    /// and messages of everyone else keep their times).
    async fn adopt_orphans(&self, myself: &ActorRef<SupMsg>, state: &mut SupState) {
        let shared = Arc::clone(&self.shared);
        let keys = match tokio::task::spawn_blocking(move || B::keys(&shared)).await {
            Ok(keys) => keys,
            // The runtime is shutting down.
            Err(_) => return,
        };
        for (i, key) in keys.into_iter().enumerate() {
            if i % RECONCILE_CHUNK == RECONCILE_CHUNK - 1 {
                tokio::task::yield_now().await;
            }
            self.spawn_child(myself, state, key).await;
        }
    }
}

impl<B: Behaviour> Actor for Supervisor<B> {
    type Msg = SupMsg;
    type State = SupState;
    type Arguments = ();

    async fn pre_start(
        &self,
        myself: ActorRef<SupMsg>,
        _: (),
    ) -> Result<SupState, ActorProcessingErr> {
        self.shared.set_supervisor(B::KIND, Some(myself.clone()));
        myself.send_interval(RECONCILE_EVERY, || SupMsg::Reconcile);
        Ok(SupState { children: HashMap::new(), restarts: RestartWindow::new(&self.shared) })
    }

    async fn post_start(
        &self,
        myself: ActorRef<SupMsg>,
        state: &mut SupState,
    ) -> Result<(), ActorProcessingErr> {
        self.adopt_orphans(&myself, state).await;
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<SupMsg>,
        message: SupMsg,
        state: &mut SupState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            SupMsg::Spawn(key) => self.spawn_child(&myself, state, key).await,
            SupMsg::Reconcile => self.adopt_orphans(&myself, state).await,
            #[cfg(feature = "fault-injection")]
            SupMsg::Panic => panic!("injected fault in the {} supervisor", B::KIND.as_str()),
        }
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<SupMsg>,
        event: SupervisionEvent,
        state: &mut SupState,
    ) -> Result<(), ActorProcessingErr> {
        match event {
            SupervisionEvent::ActorFailed(child, error) => {
                let Some(key) = state.children.remove(&child.get_id()) else { return Ok(()) };
                self.shared.count_restart(B::KIND);
                tracing::warn!("{} {key} failed: {error}; restarting it", B::KIND.as_str());
                if !state.restarts.allow(Instant::now()) {
                    return Err(format!(
                        "restart storm among {} actors (last: {key}: {error})",
                        B::KIND.as_str()
                    )
                    .into());
                }
                self.spawn_child(&myself, state, key).await;
            }
            SupervisionEvent::ActorTerminated(child, _, _) => {
                state.children.remove(&child.get_id());
            }
            _ => {}
        }
        Ok(())
    }

    async fn post_stop(
        &self,
        _: ActorRef<SupMsg>,
        _: &mut SupState,
    ) -> Result<(), ActorProcessingErr> {
        self.shared.set_supervisor(B::KIND, None);
        Ok(())
    }
}

/// The root: starts the three supervisors and restarts any that fails.
pub(crate) struct Root {
    shared: Arc<Shared>,
}

pub(crate) struct RootState {
    supervisors: HashMap<ActorId, Kind>,
    restarts: RestartWindow,
}

impl Root {
    pub fn new(shared: Arc<Shared>) -> Self {
        Root { shared }
    }

    async fn start(
        &self,
        myself: &ActorRef<()>,
        state: &mut RootState,
        kind: Kind,
    ) -> Result<(), ActorProcessingErr> {
        let supervisor = myself.get_cell();
        let cell = match kind {
            Kind::Conversation => spawn::<ConversationBehaviour>(&self.shared, supervisor).await?,
            Kind::Agent => spawn::<AgentBehaviour>(&self.shared, supervisor).await?,
            Kind::Queue => spawn::<QueueBehaviour>(&self.shared, supervisor).await?,
        };
        state.supervisors.insert(cell.get_id(), kind);
        Ok(())
    }
}

async fn spawn<B: Behaviour>(
    shared: &Arc<Shared>,
    root: ActorCell,
) -> Result<ActorCell, ActorProcessingErr> {
    let (actor, _) =
        Actor::spawn_linked(None, Supervisor::<B>::new(Arc::clone(shared)), (), root).await?;
    Ok(actor.get_cell())
}

impl Actor for Root {
    type Msg = ();
    type State = RootState;
    type Arguments = ();

    async fn pre_start(
        &self,
        myself: ActorRef<()>,
        _: (),
    ) -> Result<RootState, ActorProcessingErr> {
        let mut state =
            RootState { supervisors: HashMap::new(), restarts: RestartWindow::new(&self.shared) };
        // Queues and agents first: conversations route into them.
        for kind in [Kind::Queue, Kind::Agent, Kind::Conversation] {
            self.start(&myself, &mut state, kind).await?;
        }
        Ok(state)
    }

    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<()>,
        event: SupervisionEvent,
        state: &mut RootState,
    ) -> Result<(), ActorProcessingErr> {
        if let SupervisionEvent::ActorFailed(child, error) = event {
            let Some(kind) = state.supervisors.remove(&child.get_id()) else { return Ok(()) };
            self.shared.count_supervisor_restart();
            tracing::warn!("{} supervisor failed: {error}; restarting it", kind.as_str());
            if !state.restarts.allow(Instant::now()) {
                return Err(format!("restart storm among supervisors (last: {error})").into());
            }
            self.start(&myself, state, kind).await?;
        }
        Ok(())
    }

    async fn post_stop(
        &self,
        _: ActorRef<()>,
        _: &mut RootState,
    ) -> Result<(), ActorProcessingErr> {
        self.shared.mark_stopped();
        Ok(())
    }
}
