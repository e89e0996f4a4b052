//! The ledger against what the server holds after the last restart. Only what the protocol
//! promises counts as lost (PROTOCOL.md §12 "What a reply promises"): an `ok` to a change, a
//! `callback_scheduled`, an agent's `ok` to a message. A `decision` promises no state, so a
//! decided turn missing after a kill is counted apart and fails nothing. Duplicates are
//! counted wherever they show: a conversation listed twice, a turn more often in the
//! transcript than it was ever sent, queue places that do not form gap-free queues.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use baton_engine::engine::lifecycle::{Action, State, next};
use serde::Serialize;

use crate::ledger::{Op, Outcome};

/// One conversation as `resume` listed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub state: String,
    /// Place in line while queued.
    pub position: Option<u64>,
    /// `(role, text)` of every turn, when the server sent them (open conversations).
    pub turns: Option<Vec<(String, String)>>,
}

/// What the check found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Findings {
    /// Conversations the ledger names, all checked.
    pub conversations: u64,
    /// Acknowledged operations the final state does not reflect. Must be 0.
    pub lost: u64,
    /// Operations that show more often than they were sent. Must be 0.
    pub duplicated: u64,
    /// Turns answered with a `decision` and missing from the transcript: a decision is sent
    /// before its turn is written, so a kill may take it (allowed, reported).
    pub unpromised_missing: u64,
    /// The first few of what was lost or duplicated, for people.
    pub notes: Vec<String>,
}

/// At most this many notes are kept.
const NOTES: usize = 20;

impl Findings {
    fn note(&mut self, note: String) {
        if self.notes.len() < NOTES {
            self.notes.push(note);
        }
    }
}

/// The state an acknowledged request promises the conversation reached (from there it may
/// only have moved on), if it promises one.
fn promised_state(op: &Op) -> Option<&str> {
    let Outcome::Acked { state } = &op.outcome else { return None };
    let named = state.as_deref();
    match op.kind.as_str() {
        "open" => Some("bot"),
        "ask_for_human" | "decline_callback" => Some(named.unwrap_or("queued")),
        // The gateway's close names the final state; an agent's does not.
        "close" => Some(named.unwrap_or("closed")),
        "accept_callback" => Some("callback_scheduled"),
        "accept" => Some("assigned"),
        "wrap_up" => Some("wrap_up"),
        "hand_back" => Some("returned_to_bot"),
        _ => None,
    }
}

fn parse_state(name: &str) -> Option<State> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

/// Whether a conversation that was `from` can now be `to`: the engine's own transitions
/// (requeues included, which is where a restart puts offered and assigned conversations).
/// Names this build does not know are given the benefit of the doubt.
pub fn reachable(from: &str, to: &str) -> bool {
    let (Some(from), Some(to)) = (parse_state(from), parse_state(to)) else { return true };
    let mut seen = BTreeSet::from([from.as_str()]);
    let mut todo = VecDeque::from([from]);
    while let Some(state) = todo.pop_front() {
        if state == to {
            return true;
        }
        for action in Action::ALL {
            if let Ok(after) = next(state, action)
                && seen.insert(after.as_str())
            {
                todo.push_back(after);
            }
        }
    }
    false
}

/// Checks the ledger's `ops` against the conversations `resume` listed (in the order listed,
/// repeats kept) and those it did not know.
pub fn check(ops: &[Op], listed: &[(String, Seen)], unknown: &BTreeSet<String>) -> Findings {
    let mut f = Findings::default();
    let mut by_conversation: BTreeMap<&str, Vec<&Op>> = BTreeMap::new();
    for op in ops {
        if let Some(id) = op.conversation.as_deref() {
            by_conversation.entry(id).or_default().push(op);
        }
    }
    let mut seen: BTreeMap<&str, &Seen> = BTreeMap::new();
    for (id, status) in listed {
        if seen.insert(id, status).is_some() {
            f.duplicated += 1;
            f.note(format!("{id}: listed twice by resume"));
        }
    }
    f.conversations = by_conversation.len() as u64;
    let mut places = Vec::new();
    // A callback ticket keeps its place in line without being `queued` (`resume` gives it no
    // position): each may fill one gap.
    let tickets = seen.values().filter(|s| s.state == "callback_scheduled").count() as u64;
    for (id, ops) in &by_conversation {
        match seen.get(id) {
            Some(status) => {
                check_state(&mut f, id, ops, status);
                if let Some(turns) = &status.turns {
                    check_turns(&mut f, id, ops, turns);
                }
                if status.state == "queued"
                    && let Some(place) = status.position
                {
                    places.push(place);
                }
            }
            None => {
                // Gone (or never listed): everything acknowledged about it is lost.
                let promised = ops
                    .iter()
                    .filter(|op| promised_state(op).is_some() || promised_turn(op))
                    .count() as u64;
                if promised > 0 {
                    f.lost += promised;
                    let why = if unknown.contains(*id) { "unknown to" } else { "not listed by" };
                    f.note(format!("{id}: {promised} acknowledged operations, {why} the server"));
                }
            }
        }
    }
    let gaps = queue_gaps(&places).saturating_sub(tickets);
    if gaps > 0 {
        f.duplicated += gaps;
        places.sort_unstable();
        f.note(format!(
            "queue places {places:?} do not form gap-free queues ({gaps} missing beyond the {tickets} callback tickets that hold places)"
        ));
    }
    f
}

fn check_state(f: &mut Findings, id: &str, ops: &[&Op], status: &Seen) {
    for op in ops {
        if let Some(promised) = promised_state(op)
            && !reachable(promised, &status.state)
        {
            f.lost += 1;
            f.note(format!(
                "{id}: `{}` was acknowledged ({promised}) but the conversation is {}",
                op.kind, status.state
            ));
        }
    }
}

/// An agent's `ok` to `message` promises the turn is kept.
fn promised_turn(op: &Op) -> bool {
    op.kind == "message" && matches!(op.outcome, Outcome::Acked { .. })
}

/// Per `(role, text)`: no more turns than were sent (acknowledged or unknown), no fewer than
/// were promised.
fn check_turns(f: &mut Findings, id: &str, ops: &[&Op], turns: &[(String, String)]) {
    #[derive(Default)]
    struct Said {
        sent: u64,
        acked: u64,
        promised: bool,
    }
    let mut said: BTreeMap<(&str, &str), Said> = BTreeMap::new();
    for op in ops {
        let (Some(role), Some(text)) = (op.role(), op.text.as_deref()) else { continue };
        let entry = said.entry((role, text)).or_default();
        entry.promised = op.kind == "message";
        match op.outcome {
            Outcome::Acked { .. } => {
                entry.sent += 1;
                entry.acked += 1;
            }
            Outcome::Unknown(_) | Outcome::Pending => entry.sent += 1,
            Outcome::Failed(_) => {}
        }
    }
    for ((role, text), s) in &said {
        let kept = turns.iter().filter(|(r, t)| r == role && t == text).count() as u64;
        if kept > s.sent {
            f.duplicated += kept - s.sent;
            f.note(format!("{id}: {role} turn {text:?} kept {kept} times, sent {}", s.sent));
        }
        let missing = s.acked.saturating_sub(kept);
        if missing > 0 && s.promised {
            f.lost += missing;
            f.note(format!(
                "{id}: {role} turn {text:?} acknowledged {} times, kept {kept}",
                s.acked
            ));
        } else {
            f.unpromised_missing += missing;
        }
    }
}

/// How many places are missing from the queued customers' places for them to form gap-free
/// queues. `resume` does not say which queue a customer is in, so the places of every queue
/// come mixed: gap-free queues give at least as many customers at each place as at the next
/// (0 in every queue, 1 in all but the shortest…). The fewest places to add for that is, at
/// each place, the most customers at any later place less those at this one. A customer
/// queued twice takes a place nobody listed holds: one missing. (A callback ticket holds a
/// place too, unlisted: the caller allows for those.)
pub fn queue_gaps(places: &[u64]) -> u64 {
    let mut at: BTreeMap<u64, u64> = BTreeMap::new();
    for place in places {
        *at.entry(*place).or_default() += 1;
    }
    let Some(last) = at.keys().next_back().copied() else { return 0 };
    let (mut missing, mut most_later) = (0, 0);
    for place in (0..=last).rev() {
        let here = at.get(&place).copied().unwrap_or(0);
        most_later = most_later.max(here);
        missing += most_later - here;
    }
    missing
}

#[cfg(test)]
mod tests {
    use tokio::time::Instant;

    use super::*;

    fn op(kind: &str, conversation: &str, text: Option<&str>, outcome: Outcome) -> Op {
        Op {
            kind: kind.into(),
            conversation: Some(conversation.into()),
            text: text.map(str::to_owned),
            invoked: Instant::now(),
            settled: None,
            outcome,
        }
    }

    fn acked(state: Option<&str>) -> Outcome {
        Outcome::Acked { state: state.map(str::to_owned) }
    }

    fn seen(state: &str, position: Option<u64>, turns: &[(&str, &str)]) -> Seen {
        Seen {
            state: state.into(),
            position,
            turns: Some(turns.iter().map(|(r, t)| ((*r).into(), (*t).into())).collect()),
        }
    }

    #[test]
    fn reachability_follows_the_engines_transitions() {
        assert!(reachable("bot", "closed"));
        assert!(reachable("queued", "assigned"));
        // A restart puts an assigned conversation back in its queue.
        assert!(reachable("assigned", "queued"));
        assert!(!reachable("queued", "bot"), "a handoff is never undone into `bot`");
        assert!(!reachable("closed", "queued"), "closed is final");
        assert!(!reachable("abandoned", "closed"));
        assert!(!reachable("wrap_up", "queued"));
        assert!(reachable("wrap_up", "closed"));
        assert!(reachable("a_state_from_the_future", "bot"), "unknown names are not judged");
    }

    #[test]
    fn an_acknowledged_change_must_be_reflected() {
        let ops = [
            op("open", "c1", None, acked(Some("bot"))),
            op("ask_for_human", "c1", None, acked(Some("queued"))),
            op("open", "c2", None, acked(Some("bot"))),
            op("close", "c2", None, acked(Some("closed"))),
        ];
        let listed = vec![
            ("c1".to_owned(), seen("bot", None, &[])),
            ("c2".to_owned(), seen("closed", None, &[])),
        ];
        let f = check(&ops, &listed, &BTreeSet::new());
        assert_eq!((f.conversations, f.lost, f.duplicated), (2, 1, 0), "{f:?}");
        assert!(f.notes[0].contains("c1") && f.notes[0].contains("ask_for_human"), "{f:?}");

        let listed = vec![
            ("c1".to_owned(), seen("assigned", None, &[])),
            ("c2".to_owned(), seen("closed", None, &[])),
        ];
        assert_eq!(
            check(&ops, &listed, &BTreeSet::new()),
            Findings { conversations: 2, ..Findings::default() }
        );
    }

    #[test]
    fn a_conversation_gone_loses_what_was_acknowledged_and_only_that() {
        let ops = [
            op("open", "c1", None, acked(Some("bot"))),
            op("customer_message", "c1", Some("hi"), acked(None)),
            op("open", "c2", None, Outcome::Unknown("disconnected".into())),
            op("open", "c3", None, Outcome::Failed("overloaded".into())),
        ];
        let unknown = BTreeSet::from(["c1".to_owned(), "c2".to_owned(), "c3".to_owned()]);
        let f = check(&ops, &[], &unknown);
        // c1's open was promised; its decided message was not; c2 and c3 were never promised.
        assert_eq!((f.lost, f.duplicated), (1, 0), "{f:?}");
    }

    #[test]
    fn turns_count_against_what_was_sent_and_what_was_promised() {
        let ops = [
            op("open", "c1", None, acked(Some("bot"))),
            op("customer_message", "c1", Some("late parcel"), acked(None)),
            op("customer_message", "c1", Some("late parcel"), Outcome::Unknown("timeout".into())),
            op("customer_message", "c1", Some("hello?"), acked(None)),
            op("message", "c1", Some("Hi, I'm here"), acked(None)),
            op("message", "c1", Some("Hi, I'm here"), acked(None)),
        ];
        let unknown = BTreeSet::new();
        // Sent twice (one unknown) and kept twice: fine. The decided "hello?" is missing
        // (allowed); one of the two acknowledged agent messages is missing (lost).
        let turns =
            [("customer", "late parcel"), ("customer", "late parcel"), ("agent", "Hi, I'm here")];
        let f = check(&ops, &[("c1".into(), seen("assigned", None, &turns))], &unknown);
        assert_eq!((f.lost, f.duplicated, f.unpromised_missing), (1, 0, 1), "{f:?}");

        // Kept three times, sent at most twice: a duplicate.
        let turns = [
            ("customer", "late parcel"),
            ("customer", "late parcel"),
            ("customer", "late parcel"),
            ("customer", "hello?"),
            ("agent", "Hi, I'm here"),
            ("agent", "Hi, I'm here"),
            ("bot", "a turn of the engine's own, not judged"),
        ];
        let f = check(&ops, &[("c1".into(), seen("assigned", None, &turns))], &unknown);
        assert_eq!((f.lost, f.duplicated, f.unpromised_missing), (0, 1, 0), "{f:?}");
    }

    #[test]
    fn a_conversation_listed_twice_is_a_duplicate() {
        let ops = [op("open", "c1", None, acked(Some("bot")))];
        let listed =
            vec![("c1".into(), seen("bot", None, &[])), ("c1".into(), seen("bot", None, &[]))];
        assert_eq!(check(&ops, &listed, &BTreeSet::new()).duplicated, 1);
    }

    #[test]
    fn queue_places_must_form_gap_free_queues() {
        assert_eq!(queue_gaps(&[]), 0);
        assert_eq!(queue_gaps(&[0, 1, 2]), 0);
        // Two queues of 3 and 1.
        assert_eq!(queue_gaps(&[2, 0, 1, 0]), 0);
        // Nobody at 0: someone is queued twice (or ahead of a customer who is not listed).
        assert_eq!(queue_gaps(&[1]), 1);
        assert_eq!(queue_gaps(&[0, 2]), 1);
        // Two at place 1 but one at place 0.
        assert_eq!(queue_gaps(&[0, 1, 1]), 1);
        // One place missing in a long queue is one, however many wait behind it.
        assert_eq!(queue_gaps(&[0, 0, 1, 2, 3, 5, 6, 7, 8]), 1);
        assert_eq!(queue_gaps(&[0, 1, 3, 5]), 2);
    }

    #[test]
    fn queued_places_are_checked_with_the_states() {
        let ops = [
            op("ask_for_human", "c1", None, acked(Some("queued"))),
            op("ask_for_human", "c2", None, acked(Some("queued"))),
        ];
        let listed = vec![
            ("c1".into(), seen("queued", Some(0), &[])),
            ("c2".into(), seen("queued", Some(2), &[])),
        ];
        let f = check(&ops, &listed, &BTreeSet::new());
        assert_eq!((f.lost, f.duplicated), (0, 1), "{f:?}");

        // Unless a callback ticket holds place 1.
        let ops = [&ops[..], &[op("accept_callback", "c3", None, acked(None))]].concat();
        let listed =
            [&listed[..], &[("c3".into(), seen("callback_scheduled", None, &[]))]].concat();
        let f = check(&ops, &listed, &BTreeSet::new());
        assert_eq!((f.lost, f.duplicated), (0, 0), "{f:?}");
    }
}
