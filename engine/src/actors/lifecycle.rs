//! The conversation lifecycle as a pure state machine: which action may follow which state.
//!
//! [`next`] is the whole table. A conversation's state lives in a [`Lifecycle`], which changes
//! only by entering a [`Transition`] that [`Lifecycle::check`] got from `next`: no other code
//! can set a state.
//!
//! A callback takes `queued ──schedule_callback──▶ callback_scheduled ──offer──▶ offered`;
//! closing it cancels it. An offer that ends unaccepted (declined, expired, withdrawn) is a
//! `requeue`, and the customer's callback ticket says where it goes: `requeue { ticket: true }`
//! returns a customer holding one to `callback_scheduled` (the entry keeps its place, nobody
//! waits online), `requeue { ticket: false }` returns one waiting online to `queued`. Accepting
//! an offer takes the ticket, so an assigned conversation whose agent went away never holds
//! one: it is `requeue { ticket: false }`, back to the front of `queued`.
//!
//! ```text
//! bot ──escalate──▶ queued ──offer──▶ offered ──accept──▶ assigned ──wrap_up──▶ wrap_up ──close──▶ closed
//!  ▲                 ▲  │               │ │                 │ │ │                              ▲
//!  │                 │  └──abandon──────┼─┼──▶ abandoned    │ │ └──close─────────────────────────┤
//!  │                 └────requeue───────┘ └──abandon──▶     │ └──hand_back──▶ returned_to_bot ──┤ (escalate again, or close)
//!  └───────────close──────────────────────────────────────────────────────────────────────────────┘
//!                    ▲─────────requeue (agent gone)─────────┘
//!
//! queued ──schedule_callback──▶ callback_scheduled ──offer──▶ offered
//!                                  ▲       │                    │
//!                                  │       └──close──▶ closed   │
//!                                  └──requeue { ticket: true }──┘
//! ```

use serde::{Deserialize, Serialize};

/// Where a conversation is. Exactly one at every moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The bot is answering.
    Bot,
    /// Waiting in a skill queue.
    Queued,
    /// Offered to an agent who has not answered yet.
    Offered,
    /// An agent is chatting with the customer.
    Assigned,
    /// The agent is doing after-chat work.
    WrapUp,
    /// Finished.
    Closed,
    /// The customer left while waiting.
    Abandoned,
    /// An agent handed the conversation back to the bot.
    ReturnedToBot,
    /// The customer accepted a callback: an agent will contact them when capacity frees.
    CallbackScheduled,
}

impl State {
    pub const ALL: [State; 9] = [
        State::Bot,
        State::Queued,
        State::Offered,
        State::Assigned,
        State::WrapUp,
        State::Closed,
        State::Abandoned,
        State::ReturnedToBot,
        State::CallbackScheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Bot => "bot",
            State::Queued => "queued",
            State::Offered => "offered",
            State::Assigned => "assigned",
            State::WrapUp => "wrap_up",
            State::Closed => "closed",
            State::Abandoned => "abandoned",
            State::ReturnedToBot => "returned_to_bot",
            State::CallbackScheduled => "callback_scheduled",
        }
    }

    /// Closed and abandoned conversations never change again.
    pub fn is_terminal(self) -> bool {
        matches!(self, State::Closed | State::Abandoned)
    }

    /// The bot speaks in these states and is silent in all others.
    pub fn bot_speaks(self) -> bool {
        matches!(self, State::Bot | State::ReturnedToBot)
    }
}

/// What can happen to a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Escalate,
    Offer,
    Accept,
    /// Back to waiting: the offer was declined, timed out or withdrawn, or the assigned agent
    /// went away. `ticket`: the customer holds a callback ticket (accepted a callback and has
    /// not reached an agent yet), so an ended offer returns them to `callback_scheduled`
    /// instead of `queued`. Accepting an offer takes the ticket: an assigned conversation
    /// cannot be requeued with one.
    Requeue {
        ticket: bool,
    },
    WrapUp,
    Close,
    Abandon,
    HandBack,
    /// The customer accepted a callback instead of waiting.
    ScheduleCallback,
}

impl Action {
    /// Every action, both kinds of requeue included.
    pub const ALL: [Action; 10] = [
        Action::Escalate,
        Action::Offer,
        Action::Accept,
        Action::Requeue { ticket: false },
        Action::Requeue { ticket: true },
        Action::WrapUp,
        Action::Close,
        Action::Abandon,
        Action::HandBack,
        Action::ScheduleCallback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Escalate => "escalate",
            Action::Offer => "offer",
            Action::Accept => "accept",
            Action::Requeue { .. } => "requeue",
            Action::WrapUp => "wrap_up",
            Action::Close => "close",
            Action::Abandon => "abandon",
            Action::HandBack => "hand_back",
            Action::ScheduleCallback => "schedule_callback",
        }
    }
}

/// `action` is not allowed in `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a conversation that is {}", .action.as_str(), .from.as_str())]
pub struct IllegalTransition {
    pub from: State,
    pub action: Action,
}

/// The state after `action`, or why it is not allowed.
pub fn next(from: State, action: Action) -> Result<State, IllegalTransition> {
    use State::*;
    let to = match (from, action) {
        (Bot | ReturnedToBot, Action::Escalate) => Queued,
        (Queued | CallbackScheduled, Action::Offer) => Offered,
        (Queued, Action::ScheduleCallback) => CallbackScheduled,
        (Offered, Action::Accept) => Assigned,
        (Offered | Assigned, Action::Requeue { ticket: false }) => Queued,
        (Offered, Action::Requeue { ticket: true }) => CallbackScheduled,
        (Assigned, Action::WrapUp) => WrapUp,
        (Bot | ReturnedToBot | Assigned | WrapUp | CallbackScheduled, Action::Close) => Closed,
        (Queued | Offered, Action::Abandon) => Abandoned,
        (Assigned, Action::HandBack) => ReturnedToBot,
        _ => return Err(IllegalTransition { from, action }),
    };
    Ok(to)
}

/// A move [`next`] allowed from a given state. Only [`Lifecycle::check`] makes one and only
/// [`Lifecycle::enter`] takes it, so the check can come before the side effects that go with
/// the move and the move itself after them.
#[must_use = "a checked transition changes nothing until it is entered"]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    from: State,
    action: Action,
    to: State,
}

impl Transition {
    pub fn from(self) -> State {
        self.from
    }

    pub fn action(self) -> Action {
        self.action
    }

    pub fn to(self) -> State {
        self.to
    }
}

/// One conversation's current state. It changes only by entering a [`Transition`] from
/// [`Lifecycle::check`], that is through [`next`].
#[derive(Debug, PartialEq, Eq)]
pub struct Lifecycle {
    state: State,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle::new()
    }
}

impl Lifecycle {
    /// Every conversation starts with the bot.
    pub const START: State = State::Bot;

    pub const fn new() -> Self {
        Lifecycle { state: Lifecycle::START }
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// The state a conversation was in when the journal last recorded it (recovery: not a
    /// change of state, so not a transition).
    pub const fn restore(state: State) -> Self {
        Lifecycle { state }
    }

    /// Whether `action` is allowed now and where it leads; nothing changes yet.
    pub fn check(&self, action: Action) -> Result<Transition, IllegalTransition> {
        let to = next(self.state, action)?;
        Ok(Transition { from: self.state, action, to })
    }

    /// Takes a transition checked in the current state (check and enter happen under the
    /// same lock, so nothing can move the state in between); returns the new state.
    pub fn enter(&mut self, transition: Transition) -> State {
        debug_assert_eq!(
            transition.from, self.state,
            "a transition checked in another state: {transition:?}"
        );
        self.state = transition.to;
        transition.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_and_its_branches() {
        let path = [Action::Escalate, Action::Offer, Action::Accept, Action::WrapUp, Action::Close];
        let end = path.iter().try_fold(State::Bot, |s, a| next(s, *a)).expect("legal path");
        assert_eq!(end, State::Closed);
        assert_eq!(next(State::Offered, Action::Requeue { ticket: false }), Ok(State::Queued));
        assert_eq!(next(State::Assigned, Action::HandBack), Ok(State::ReturnedToBot));
        assert_eq!(next(State::ReturnedToBot, Action::Escalate), Ok(State::Queued));
        assert_eq!(next(State::Queued, Action::Abandon), Ok(State::Abandoned));
    }

    #[test]
    fn terminal_states_accept_nothing() {
        for state in State::ALL.into_iter().filter(|s| s.is_terminal()) {
            for action in [Action::Escalate, Action::Offer, Action::Close, Action::Abandon] {
                let err = next(state, action).expect_err("terminal");
                assert!(err.to_string().starts_with("cannot "), "{err}");
            }
        }
        assert_eq!(
            next(State::Bot, Action::Accept).expect_err("illegal").to_string(),
            "cannot accept a conversation that is bot"
        );
    }

    /// What `ConvCmd::OfferEnded` does: the customer's callback ticket decides where an ended
    /// offer goes, and the table says so.
    #[test]
    fn an_ended_offer_goes_back_to_where_the_customer_waited() {
        let fold = |path: &[Action]| path.iter().try_fold(State::Bot, |s, a| next(s, *a));
        // Waiting online: back to the queue.
        let online = [Action::Escalate, Action::Offer, Action::Requeue { ticket: false }];
        assert_eq!(fold(&online), Ok(State::Queued));
        // Holding a callback ticket: back to the scheduled callback, and offered again later.
        let callback = [
            Action::Escalate,
            Action::ScheduleCallback,
            Action::Offer,
            Action::Requeue { ticket: true },
        ];
        assert_eq!(fold(&callback), Ok(State::CallbackScheduled));
        let served = [&callback[..], &[Action::Offer, Action::Accept]].concat();
        assert_eq!(fold(&served), Ok(State::Assigned));
    }

    /// What `ConvCmd::AgentGone` does: accepting took the ticket, so an assigned conversation
    /// is requeued without one.
    #[test]
    fn an_assigned_conversation_is_requeued_without_a_ticket() {
        assert_eq!(next(State::Assigned, Action::Requeue { ticket: false }), Ok(State::Queued));
        assert_eq!(
            next(State::Assigned, Action::Requeue { ticket: true }).expect_err("no ticket"),
            IllegalTransition { from: State::Assigned, action: Action::Requeue { ticket: true } }
        );
        assert_eq!(
            next(State::Assigned, Action::Requeue { ticket: true })
                .expect_err("no ticket")
                .to_string(),
            "cannot requeue a conversation that is assigned"
        );
        // Nothing that is not with an agent (or offered to one) is requeued.
        for from in [State::Bot, State::Queued, State::CallbackScheduled, State::WrapUp] {
            for ticket in [false, true] {
                assert!(next(from, Action::Requeue { ticket }).is_err(), "{from:?} {ticket}");
            }
        }
    }

    /// The whole table: every state against every action, nothing allowed that is not listed.
    #[test]
    fn every_state_and_action_against_the_table() {
        use State::*;
        let legal = [
            (Bot, Action::Escalate, Queued),
            (ReturnedToBot, Action::Escalate, Queued),
            (Queued, Action::Offer, Offered),
            (CallbackScheduled, Action::Offer, Offered),
            (Queued, Action::ScheduleCallback, CallbackScheduled),
            (Offered, Action::Accept, Assigned),
            (Offered, Action::Requeue { ticket: false }, Queued),
            (Offered, Action::Requeue { ticket: true }, CallbackScheduled),
            (Assigned, Action::Requeue { ticket: false }, Queued),
            (Assigned, Action::WrapUp, WrapUp),
            (Assigned, Action::HandBack, ReturnedToBot),
            (Bot, Action::Close, Closed),
            (ReturnedToBot, Action::Close, Closed),
            (Assigned, Action::Close, Closed),
            (WrapUp, Action::Close, Closed),
            (CallbackScheduled, Action::Close, Closed),
            (Queued, Action::Abandon, Abandoned),
            (Offered, Action::Abandon, Abandoned),
        ];
        for from in State::ALL {
            for action in Action::ALL {
                let listed = legal.iter().find(|(f, a, _)| *f == from && *a == action);
                match (next(from, action), listed) {
                    (Ok(to), Some((_, _, expected))) => {
                        assert_eq!(to, *expected, "{from:?} {action:?}")
                    }
                    (Err(e), None) => assert_eq!(e, IllegalTransition { from, action }),
                    (got, listed) => panic!("{from:?} {action:?}: {got:?}, table says {listed:?}"),
                }
            }
        }
        for state in State::ALL.into_iter().filter(|s| s.is_terminal()) {
            assert!(Action::ALL.into_iter().all(|a| next(state, a).is_err()), "{state:?}");
        }
    }

    #[test]
    fn a_lifecycle_changes_only_through_next() {
        let mut life = Lifecycle::new();
        assert_eq!(life.state(), State::Bot);
        assert_eq!(Lifecycle::default(), life);
        let err = life.check(Action::Accept).expect_err("illegal");
        assert_eq!(err, IllegalTransition { from: State::Bot, action: Action::Accept });
        let step = life.check(Action::Escalate).expect("legal");
        assert_eq!(
            (step.from(), step.action(), step.to()),
            (State::Bot, Action::Escalate, State::Queued)
        );
        assert_eq!(life.state(), State::Bot, "checking changes nothing");
        assert_eq!(life.enter(step), State::Queued);
        assert_eq!(life.state(), State::Queued);
        let path = [
            Action::ScheduleCallback,
            Action::Offer,
            Action::Requeue { ticket: true },
            Action::Offer,
            Action::Accept,
            Action::WrapUp,
            Action::Close,
        ];
        for action in path {
            let step = life.check(action).expect("legal path");
            life.enter(step);
        }
        assert_eq!(life.state(), State::Closed);
    }
}
