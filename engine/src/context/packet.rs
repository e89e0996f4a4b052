//! The context packet: everything an agent needs to take over without making the customer
//! repeat themselves, built by one pure function from the conversation's record (the engine
//! builds it for each offer; `baton replay --context` builds it offline). Its size is bounded
//! by configuration (see `ContextConfig` and ARCHITECTURE.md).

use std::collections::BTreeMap;

use serde::Serialize;

use super::history::{Contact, History, Profile};
use super::mood::Mood;
use super::redact::{PiiSet, redact};
use super::summary::{Attempt, Summary, clip, summarize};
use super::{ContextConfig, CustomerInfo, Handoff, Role, Turn};
use crate::escalation::{Reason, Sentiment};

/// Bot attempts and considered solutions kept in a packet (the latest).
pub const MAX_ATTEMPTS: usize = 10;
/// Points of the sentiment timeline kept in a packet (the latest).
pub const MAX_TIMELINE: usize = 100;

/// The compound score of one customer turn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct SentimentPoint {
    /// The customer turn's number (1 = first).
    pub turn: u32,
    pub at_ms: u64,
    pub compound: f64,
}

/// Why the conversation left the bot, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct HandoffSignals {
    /// Every reason that fired, the primary first.
    pub fired: Vec<Reason>,
    /// The primary reason's signal value and the threshold it crossed (1 and 1 for yes/no
    /// reasons such as an explicit request).
    pub value: f64,
    pub threshold: f64,
}

/// The customer's recent contacts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct PacketHistory {
    /// Contacts that ended within `escalation.repeat_window_s`.
    pub recent: usize,
    /// Of those, about this conversation's topic.
    pub same_topic: usize,
    /// The newest of them (at most `context.max_history_contacts`), oldest first.
    pub contacts: Vec<Contact>,
}

/// What an agent receives with an offer (and what a callback ticket keeps).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ContextPacket {
    pub conversation: String,
    pub customer: CustomerInfo,
    /// Warm handoff: read this first. Absent on queues with `handoff = "cold"`.
    pub summary: Option<Summary>,
    /// The customer's first message, then the latest turns; a `system` turn marks where
    /// `elided_turns` turns were left out.
    pub transcript: Vec<Turn>,
    pub elided_turns: usize,
    pub reason: Option<Reason>,
    pub signals: Option<HandoffSignals>,
    pub topic: Option<String>,
    pub skill: String,
    pub priority: u8,
    pub sentiment: Sentiment,
    pub mood: Mood,
    /// Compound score per customer turn (the latest [`MAX_TIMELINE`]).
    pub sentiment_timeline: Vec<SentimentPoint>,
    /// What the bot answered, with its confidence (the latest [`MAX_ATTEMPTS`]).
    pub bot_attempts: Vec<Attempt>,
    /// Solutions the bot considered but was not confident enough to offer (when it says).
    pub bot_considered: Vec<Attempt>,
    /// Account attributes from the integrator.
    pub profile: BTreeMap<String, String>,
    pub history: PacketHistory,
    /// Milliseconds the customer has waited in the queue so far.
    pub waited_ms: u64,
    /// Set when this is a callback: the agent contacts the customer.
    pub callback: bool,
    /// Personal data in this packet was replaced by placeholders (`[card]`, …).
    pub redacted: bool,
}

/// The escalation as the packet reports it.
#[derive(Debug, Clone, Copy)]
pub struct EscalationFacts<'a> {
    pub reason: Reason,
    pub fired: &'a [Reason],
    pub value: f64,
    pub threshold: f64,
    pub topic: Option<&'a str>,
    pub priority: u8,
}

/// Everything the packet is built from.
#[derive(Debug, Clone, Copy)]
pub struct PacketInput<'a> {
    pub conversation: &'a str,
    pub customer: &'a CustomerInfo,
    pub transcript: &'a [Turn],
    /// Turns not in `transcript`, between its first turns and its latest (a long
    /// conversation's middle, kept in the store).
    pub missing: usize,
    pub escalation: Option<EscalationFacts<'a>>,
    pub skill: &'a str,
    pub sentiment: Sentiment,
    pub timeline: &'a [SentimentPoint],
    pub attempts: &'a [Attempt],
    pub considered: &'a [Attempt],
    pub bot_summary: Option<&'a str>,
    pub profile: &'a Profile,
    pub history: &'a History,
    pub waited_ms: u64,
    pub callback: bool,
}

/// Who receives it: what to redact, and whether the queue hands over warm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    pub redact: PiiSet,
    pub handoff: Handoff,
}

impl Recipient {
    /// An agent with these clearances on a queue that hands over `handoff`.
    pub fn agent(config: &ContextConfig, cleared_for_pii: bool, handoff: Handoff) -> Self {
        Recipient { redact: config.redaction(cleared_for_pii), handoff }
    }
}

/// Builds the packet.
pub fn build(input: &PacketInput<'_>, config: &ContextConfig, to: Recipient) -> ContextPacket {
    let mood = config.mood.mood(&input.sentiment);
    let clean = |text: &str| redact(text, to.redact).into_owned();
    let (transcript, elided_turns) =
        bounded_transcript(input.transcript, input.missing, config, &clean);
    let cut = |a: &Attempt| Attempt {
        text: clean(&clip(&a.text, config.max_turn_chars)),
        confidence: a.confidence,
    };
    let latest = |list: &[Attempt]| -> Vec<Attempt> {
        list[list.len().saturating_sub(MAX_ATTEMPTS)..].iter().map(cut).collect()
    };
    let bot_attempts = latest(input.attempts);
    let bot_considered = latest(input.considered);
    let summary = (to.handoff == Handoff::Warm).then(|| {
        // Summarised from the raw words, then redacted as a whole: a card number split
        // across the summary's fields must not survive either.
        let mut s = summarize(input.transcript, input.attempts, input.bot_summary, mood);
        if !to.redact.is_empty() {
            s.text = clean(&s.text);
            s.problem = clean(&s.problem);
            for list in [&mut s.amounts, &mut s.dates, &mut s.references, &mut s.tried] {
                for item in list.iter_mut() {
                    *item = clean(item);
                }
            }
        }
        s
    });
    let topic = input.escalation.and_then(|e| e.topic);
    let recent = input.history.len();
    let history = PacketHistory {
        recent,
        same_topic: topic.map_or(0, |t| input.history.about(t)),
        contacts: input.history.contacts[recent.saturating_sub(config.max_history_contacts)..]
            .to_vec(),
    };
    let profile = input.profile.attributes.iter().map(|(k, v)| (k.clone(), clean(v))).collect();
    ContextPacket {
        conversation: input.conversation.to_owned(),
        customer: input.customer.clone(),
        summary,
        transcript,
        elided_turns,
        reason: input.escalation.map(|e| e.reason),
        signals: input.escalation.map(|e| HandoffSignals {
            fired: e.fired.to_vec(),
            value: e.value,
            threshold: e.threshold,
        }),
        topic: topic.map(str::to_owned),
        skill: input.skill.to_owned(),
        priority: input.escalation.map_or(0, |e| e.priority),
        sentiment: input.sentiment,
        mood,
        sentiment_timeline: input.timeline[input.timeline.len().saturating_sub(MAX_TIMELINE)..]
            .to_vec(),
        bot_attempts,
        bot_considered,
        profile,
        history,
        waited_ms: input.waited_ms,
        callback: input.callback,
        redacted: !to.redact.is_empty(),
    }
}

/// The first customer turn, a marker, and the latest turns, each cut to `max_turn_chars`.
fn bounded_transcript(
    turns: &[Turn],
    missing: usize,
    config: &ContextConfig,
    clean: &impl Fn(&str) -> String,
) -> (Vec<Turn>, usize) {
    let turn = |t: &Turn| Turn {
        role: t.role,
        text: clean(&clip(&t.text, config.max_turn_chars)),
        at_ms: t.at_ms,
    };
    let max = config.max_transcript_turns;
    if turns.len() <= max && missing == 0 {
        return (turns.iter().map(turn).collect(), 0);
    }
    // Keep the problem statement (the first customer turn), the marker, and the rest latest.
    let first = turns.iter().position(|t| t.role == Role::Customer).unwrap_or(0);
    let tail = (max - 2).min(turns.len());
    let tail_from = turns.len() - tail;
    let (head, elided) =
        if first < tail_from { (Some(&turns[first]), tail_from - 1) } else { (None, tail_from) };
    // The window in memory always holds more than the packet's latest turns, so the missing
    // ones are all before `tail_from`.
    let elided = elided + missing;
    let mut out = Vec::with_capacity(max);
    if let Some(head) = head {
        out.push(turn(head));
    }
    let at_ms = turns[tail_from].at_ms;
    out.push(Turn {
        role: Role::System,
        text: format!("… {elided} earlier turns not shown …"),
        at_ms,
    });
    out.extend(turns[tail_from..].iter().map(turn));
    (out, elided)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::history::{ContactOutcome, History};
    use crate::escalation::Tier;

    fn customer() -> CustomerInfo {
        CustomerInfo {
            id: "k".into(),
            tier: Tier::Standard,
            channel: "chat".into(),
            prior_contacts: 0,
        }
    }

    fn turns(n: usize) -> Vec<Turn> {
        (0..n)
            .map(|i| Turn {
                role: if i % 2 == 0 { Role::Customer } else { Role::Bot },
                text: format!("turn {i} card 4111 1111 1111 1111"),
                at_ms: i as u64,
            })
            .collect()
    }

    fn input<'a>(
        t: &'a [Turn],
        profile: &'a Profile,
        history: &'a History,
        c: &'a CustomerInfo,
    ) -> PacketInput<'a> {
        PacketInput {
            conversation: "c1",
            customer: c,
            transcript: t,
            missing: 0,
            escalation: Some(EscalationFacts {
                reason: Reason::ExplicitRequest,
                fired: &[Reason::ExplicitRequest, Reason::NegativeSentiment],
                value: 1.0,
                threshold: 1.0,
                topic: Some("billing_dispute"),
                priority: 6,
            }),
            skill: "billing",
            sentiment: Sentiment { last: -0.7, ewma: -0.4, min: -0.7, trend: -0.2 },
            timeline: &[],
            attempts: &[],
            considered: &[],
            bot_summary: None,
            profile,
            history,
            waited_ms: 5,
            callback: false,
        }
    }

    #[test]
    fn turns_only_in_the_store_count_among_those_not_shown() {
        let config = ContextConfig { max_transcript_turns: 10, ..ContextConfig::default() };
        let (t, p, c) = (turns(40), Profile::default(), customer());
        let h = History::default();
        // 40 turns in memory, 1,000 more between the first and the latest in the store.
        let packet = build(
            &PacketInput { missing: 1_000, ..input(&t, &p, &h, &c) },
            &config,
            Recipient { redact: PiiSet::NONE, handoff: Handoff::Warm },
        );
        assert_eq!(packet.transcript.len(), 10);
        assert_eq!(packet.elided_turns, 31 + 1_000);
        assert!(packet.transcript[0].text.starts_with("turn 0 "));
        assert!(
            packet.transcript[1].text.contains("1031 earlier turns"),
            "{:?}",
            packet.transcript[1]
        );
        assert!(packet.transcript[9].text.starts_with("turn 39 "));
        // Few turns in memory but some in the store: still marked.
        let short = turns(4);
        let packet = build(
            &PacketInput { missing: 7, ..input(&short, &p, &h, &c) },
            &config,
            Recipient { redact: PiiSet::NONE, handoff: Handoff::Warm },
        );
        assert_eq!(packet.elided_turns, 7);
    }

    #[test]
    fn long_transcripts_keep_the_problem_statement_and_the_latest_turns() {
        let config = ContextConfig { max_transcript_turns: 10, ..ContextConfig::default() };
        let (t, p, c) = (turns(100), Profile::default(), customer());
        let h = History::default();
        let packet = build(
            &input(&t, &p, &h, &c),
            &config,
            Recipient { redact: PiiSet::NONE, handoff: Handoff::Warm },
        );
        assert_eq!(packet.transcript.len(), 10);
        assert_eq!(packet.elided_turns, 91);
        assert!(packet.transcript[0].text.starts_with("turn 0 "));
        assert_eq!(packet.transcript[1].role, Role::System);
        assert!(packet.transcript[2].text.starts_with("turn 92 "));
        assert!(packet.transcript[9].text.starts_with("turn 99 "));
        assert!(!packet.redacted);
        assert!(packet.transcript[9].text.contains("4111 1111"), "a cleared agent reads it raw");
        let short = turns(4);
        let packet = build(
            &input(&short, &p, &h, &c),
            &config,
            Recipient { redact: PiiSet::NONE, handoff: Handoff::Warm },
        );
        assert_eq!((packet.transcript.len(), packet.elided_turns), (4, 0));
    }

    #[test]
    fn agents_without_clearance_read_placeholders_everywhere() {
        let config = ContextConfig::default();
        let (t, c) = (turns(6), customer());
        let mut p = Profile::default();
        p.attributes.insert("email".into(), "jane@example.com".into());
        let h = History::default();
        let to = Recipient::agent(&config, false, Handoff::Warm);
        let packet = build(&input(&t, &p, &h, &c), &config, to);
        let json = serde_json::to_string(&packet).expect("serialises");
        assert!(!json.contains("4111"), "{json}");
        assert!(!json.contains("jane@"), "{json}");
        assert!(json.contains("[card]") && json.contains("[email]"));
        assert!(packet.redacted);
        assert_eq!(packet.mood, Mood::Angry);
        let summary = packet.summary.expect("warm");
        assert!(summary.problem.contains("[card]"), "{summary:?}");
    }

    #[test]
    fn cold_queues_get_no_summary_and_history_is_counted() {
        let config = ContextConfig { max_history_contacts: 2, ..ContextConfig::default() };
        let contact = |n: u64, topic: Option<&str>| Contact {
            conversation: format!("old{n}"),
            ended_ms: n,
            topic: topic.map(str::to_owned),
            escalated: true,
            outcome: ContactOutcome::ResolvedByAgent,
        };
        let h = History {
            contacts: vec![
                contact(1, Some("billing_dispute")),
                contact(2, None),
                contact(3, Some("billing_dispute")),
            ],
        };
        let (t, p, c) = (turns(2), Profile::default(), customer());
        let packet =
            build(&input(&t, &p, &h, &c), &config, Recipient::agent(&config, true, Handoff::Cold));
        assert!(packet.summary.is_none());
        assert_eq!((packet.history.recent, packet.history.same_topic), (3, 2));
        assert_eq!(
            packet.history.contacts.iter().map(|c| c.conversation.as_str()).collect::<Vec<_>>(),
            ["old2", "old3"]
        );
        let signals = packet.signals.expect("signals");
        assert_eq!(signals.fired, [Reason::ExplicitRequest, Reason::NegativeSentiment]);
    }
}
