//! The conversation lifecycle as a pure state machine: which action may follow which state.
//!
//! A callback takes `queued ──schedule_callback──▶ callback_scheduled ──offer──▶ offered`
//! (an expired or declined offer returns it to `callback_scheduled`); closing it cancels it.
//!
//! ```text
//! bot ──escalate──▶ queued ──offer──▶ offered ──accept──▶ assigned ──wrap_up──▶ wrap_up ──close──▶ closed
//!  ▲                 ▲  │               │ │                 │ │ │                              ▲
//!  │                 │  └──abandon──────┼─┼──▶ abandoned    │ │ └──close─────────────────────────┤
//!  │                 └────requeue───────┘ └──abandon──▶     │ └──hand_back──▶ returned_to_bot ──┤ (escalate again, or close)
//!  └───────────close──────────────────────────────────────────────────────────────────────────────┘
//!                    ▲─────────requeue (agent gone)─────────┘
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
    /// Back to the queue: the offer was declined or timed out, or the agent went away.
    Requeue,
    WrapUp,
    Close,
    Abandon,
    HandBack,
    /// The customer accepted a callback instead of waiting.
    ScheduleCallback,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Escalate => "escalate",
            Action::Offer => "offer",
            Action::Accept => "accept",
            Action::Requeue => "requeue",
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
        (Offered | Assigned, Action::Requeue) => Queued,
        (Assigned, Action::WrapUp) => WrapUp,
        (Bot | ReturnedToBot | Assigned | WrapUp | CallbackScheduled, Action::Close) => Closed,
        (Queued | Offered, Action::Abandon) => Abandoned,
        (Assigned, Action::HandBack) => ReturnedToBot,
        _ => return Err(IllegalTransition { from, action }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_and_its_branches() {
        let path = [Action::Escalate, Action::Offer, Action::Accept, Action::WrapUp, Action::Close];
        let end = path.iter().try_fold(State::Bot, |s, a| next(s, *a)).expect("legal path");
        assert_eq!(end, State::Closed);
        assert_eq!(next(State::Offered, Action::Requeue), Ok(State::Queued));
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
}
