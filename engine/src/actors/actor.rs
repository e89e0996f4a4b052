//! The shell every engine actor shares: a ractor actor over a durable [`Cell`] that drains
//! the cell's inbox on `Wake`, checks deadlines on `Timer`, and on (re)start catches up with
//! whatever its cell holds. The business of each kind is a [`Behaviour`]: plain synchronous
//! functions over the cell, so the actor never awaits while it owns state.

use std::marker::PhantomData;
use std::sync::Arc;

use ractor::{Actor, ActorProcessingErr, ActorRef};

use super::cell::{Cell, Tick};
use super::shared::{Kind, Shared};

/// What one kind of actor does with its commands.
pub(crate) trait Behaviour: Sized + Send + Sync + 'static {
    type State: Send + 'static;
    type Cmd: Send + 'static;
    const KIND: Kind;

    /// The cell with this key, if it still exists.
    fn cell(shared: &Shared, key: &str) -> Option<Arc<Cell<Self::State, Self::Cmd>>>;

    /// Keys of every cell of this kind (for a supervisor adopting orphans).
    fn keys(shared: &Shared) -> Vec<Arc<str>>;

    /// Handles one command.
    fn process(ctx: &Ctx<'_, Self>, command: Self::Cmd);

    /// A deadline may have passed.
    fn on_timer(_ctx: &Ctx<'_, Self>) {}

    /// The actor (re)started on this cell: re-arm timers, resume pending work.
    fn on_start(_ctx: &Ctx<'_, Self>) {}

    /// The cell's owner is done for good; the actor stops once its inbox is empty.
    fn finished(_ctx: &Ctx<'_, Self>) -> bool {
        false
    }

    /// The cell was closed (finished, inbox empty) and its actor is stopping.
    fn on_closed(_ctx: &Ctx<'_, Self>) {}

    /// The inbox was just drained (and the cell is not finished).
    fn after_drain(_ctx: &Ctx<'_, Self>) {}
}

/// What a behaviour works with.
pub(crate) struct Ctx<'a, B: Behaviour> {
    pub shared: &'a Arc<Shared>,
    pub cell: &'a Arc<Cell<B::State, B::Cmd>>,
    pub myself: &'a ActorRef<Tick>,
}

impl<B: Behaviour> Ctx<'_, B> {
    /// Runs `f` on this actor's state.
    pub fn with<R>(&self, f: impl FnOnce(&mut B::State) -> R) -> R {
        self.cell.with(f)
    }

    /// Asks for a `Timer` tick after `ms` milliseconds.
    pub fn timer_in(&self, ms: u64) {
        self.shared.timers.after(std::time::Duration::from_millis(ms), self.myself.clone());
    }
}

/// Commands an actor handles before it yields its thread (and goes on at its next tick).
const DRAIN_BUDGET: usize = 64;

/// The ractor actor of kind `B`.
pub(crate) struct ChildActor<B> {
    shared: Arc<Shared>,
    kind: PhantomData<fn() -> B>,
}

impl<B> ChildActor<B> {
    pub fn new(shared: Arc<Shared>) -> Self {
        ChildActor { shared, kind: PhantomData }
    }
}

impl<B: Behaviour> ChildActor<B> {
    fn drain(&self, myself: &ActorRef<Tick>, cell: &Arc<Cell<B::State, B::Cmd>>) {
        let ctx = Ctx::<B> { shared: &self.shared, cell, myself };
        for _ in 0..DRAIN_BUDGET {
            let Some(command) = cell.pop() else {
                self.drained(&ctx, myself, cell);
                return;
            };
            B::process(&ctx, command);
        }
        // More is waiting: give the thread back to the runtime and continue on the next
        // tick, so one busy actor does not hold a worker while others' messages and timers
        // wait.
        let _ = myself.cast(Tick::Wake);
    }

    fn drained(
        &self,
        ctx: &Ctx<'_, B>,
        myself: &ActorRef<Tick>,
        cell: &Arc<Cell<B::State, B::Cmd>>,
    ) {
        if B::finished(ctx) {
            if cell.close_if_empty() {
                B::on_closed(ctx);
                myself.stop(None);
            }
        } else {
            B::after_drain(ctx);
        }
    }
}

impl<B: Behaviour> Actor for ChildActor<B> {
    type Msg = Tick;
    type State = Arc<Cell<B::State, B::Cmd>>;
    type Arguments = Arc<Cell<B::State, B::Cmd>>;

    async fn pre_start(
        &self,
        myself: ActorRef<Tick>,
        cell: Self::Arguments,
    ) -> Result<Self::State, ActorProcessingErr> {
        cell.set_actor(Some(myself));
        Ok(cell)
    }

    async fn post_start(
        &self,
        myself: ActorRef<Tick>,
        cell: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        B::on_start(&Ctx::<B> { shared: &self.shared, cell, myself: &myself });
        self.drain(&myself, cell);
        Ok(())
    }

    async fn handle(
        &self,
        myself: ActorRef<Tick>,
        tick: Tick,
        cell: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match tick {
            Tick::Wake => {}
            Tick::Timer => B::on_timer(&Ctx::<B> { shared: &self.shared, cell, myself: &myself }),
            #[cfg(feature = "fault-injection")]
            Tick::Panic => panic!("injected fault in {} {}", B::KIND.as_str(), cell.key),
        }
        self.drain(&myself, cell);
        Ok(())
    }
}
