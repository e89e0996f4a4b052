//! Detectors over normalised text: an explicit request for a human, and the message's topic.
//!
//! One aho-corasick automaton holds every configured phrase; a message is normalised (see
//! [`normalize`]) and scanned once with overlapping matches, and the rules below run over the
//! word positions of those hits:
//!
//! - a *noun* ("agent", "real person") is a request when a *verb* precedes it within
//!   `window` words of the same clause ("can I talk to an agent"), a *trailing verb* follows
//!   it ("someone I can talk to"), or the whole message is that noun plus filler words
//!   ("agent please!!");
//! - a *request phrase* ("transfer me") is a request on its own;
//! - either is cancelled by a *negation* earlier in the clause ("I don't need a human"), an
//!   *adjacent negation* right before it ("no agent please"), or a *hard negative* anywhere
//!   in the clause ("what is the phone number of an agent" asks for contact details);
//! - a topic phrase raises its topic; a paired phrase `A ... B` needs A then B in one clause
//!   with at most [`PAIR_GAP`] words between. A negation ending right before it ("I don't
//!   want to cancel my account") or one of the topic's `except` phrases in the clause ("found
//!   my lost card") cancels it; when several topics match, the first in configuration order
//!   wins.
//!
//! The same scan counts the frustration score's cue phrases ([`crate::frustration`]), and the
//! detection carries those counts, the message's capitals and punctuation runs, and a
//! signature of its words.
//!
//! Inability is deliberately not negation: "I can't reach an agent" is a request.

mod config;
mod normalize;
pub mod phrases;

use std::cell::RefCell;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use rustc_hash::{FxHashMap, FxHashSet};

pub use config::ExplicitRequestConfig;
pub use normalize::Normalized;

use crate::escalation::{TopicConfig, TopicId};
use crate::frustration::{Cue, Cues, FrustrationConfig};

/// Separates the two halves of a paired topic phrase: "charged ... twice".
pub const PAIR_SEPARATOR: &str = "...";

/// Most words between the halves of a paired topic phrase.
pub const PAIR_GAP: usize = 4;

/// The detectors read at most this much of a message. Requests and topics in a chat message
/// come early, and the rules compare hits pairwise, so an unbounded message would make the
/// decision path's cost unbounded too.
pub const MAX_DETECT_BYTES: usize = 16 * 1024;

/// What the detectors found in one message.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Detection {
    pub explicit_request: bool,
    pub topic: Option<TopicId>,
    /// A request the rules saw was cancelled (a negation, a hard negative), or the message
    /// asks about contact details: the learned model may not make it a request.
    pub request_vetoed: bool,
    /// A topic phrase was cancelled (a negation before it, one of the topic's exceptions):
    /// the learned model may not raise a topic.
    pub topic_vetoed: bool,
    /// What the frustration score reads besides the words' meaning.
    pub cues: Cues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Noun,
    Verb,
    TrailingVerb,
    Phrase,
    Negation,
    AdjacentNegation,
    HardNegative,
    Machine,
    Topic(TopicId),
    /// A distinct first half of paired phrases.
    PairFirst(u16),
    /// A distinct second half of paired phrases.
    PairSecond(u16),
    TopicExcept(TopicId),
    Cue(Cue),
}

/// A phrase found in the message: words `start..end` of clause `clause`.
#[derive(Debug, Clone, Copy)]
struct Hit {
    kind: Kind,
    start: usize,
    end: usize,
    clause: u32,
}

/// Words that may surround a noun in a message that is nothing but a request ("agent pls",
/// "real person now"). Fixed rather than configured: they are grammar, not vocabulary.
const FILLERS: &[&str] = &[
    "a", "an", "the", "some", "please", "now", "right", "just", "i", "me", "to", "with", "you",
    "can", "could", "get", "give", "want", "need", "speak", "talk", "chat", "hi", "hello", "hey",
    "ok", "okay", "yes", "again", "immediately", "asap", "thanks", "thank", "real", "live",
    "actual", "human", "one", "sir", "madam",
];

/// The compiled detectors.
#[derive(Debug)]
pub struct Detector {
    automaton: AhoCorasick,
    kinds: Vec<Kind>,
    /// The topic of each (first half, second half) pair.
    pairs: FxHashMap<(u16, u16), TopicId>,
    fillers: FxHashSet<String>,
    window: usize,
    standalone_max_words: usize,
}

#[derive(Debug, Default)]
struct Scratch {
    normalized: Normalized,
    hits: Vec<Hit>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Detector {
    /// Compiles the phrase lists of a validated configuration.
    pub fn new(
        er: &ExplicitRequestConfig,
        frustration: &FrustrationConfig,
        topics: &[TopicConfig],
    ) -> Detector {
        let mut b = PatternBuilder::default();
        b.add_all(&frustration.persistence, Kind::Cue(Cue::Persistence));
        b.add_all(&frustration.waiting, Kind::Cue(Cue::Waiting));
        b.add_all(&frustration.complaint, Kind::Cue(Cue::Complaint));
        b.add_all(&frustration.profanity, Kind::Cue(Cue::Profanity));
        b.add_all(&er.nouns, Kind::Noun);
        b.add_all(&er.verbs, Kind::Verb);
        b.add_all(&er.trailing_verbs, Kind::TrailingVerb);
        b.add_all(&er.phrases, Kind::Phrase);
        b.add_all(&er.negations, Kind::Negation);
        b.add_all(&er.adjacent_negations, Kind::AdjacentNegation);
        b.add_all(&er.hard_negatives, Kind::HardNegative);
        b.add_all(&er.machines, Kind::Machine);
        let mut pairs = FxHashMap::default();
        for (i, topic) in topics.iter().enumerate() {
            let id = TopicId::new(i);
            b.add_all(&topic.except, Kind::TopicExcept(id));
            for phrase in &topic.phrases {
                match phrase.split_once(PAIR_SEPARATOR) {
                    Some((first, second)) => {
                        // Halves shared by several pairs ("... account") are one pattern.
                        let first = b.part(first, true);
                        let second = b.part(second, false);
                        pairs.entry((first, second)).or_insert(id);
                    }
                    None => b.add(phrase, Kind::Topic(id)),
                }
            }
        }
        let PatternBuilder { mut normalized, patterns, kinds, .. } = b;
        // Phrases are a few thousand short strings at most; building cannot fail on them.
        // A DFA: the fastest search, and the memory it costs is small for phrase lists.
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .unwrap_or_else(|e| {
                unreachable!("aho-corasick rejected {} patterns: {e}", patterns.len())
            });
        let fillers = FILLERS.iter().map(|w| normalized.phrase(w).to_owned()).collect();
        Detector {
            automaton,
            kinds,
            pairs,
            fillers,
            window: er.window,
            standalone_max_words: er.standalone_max_words,
        }
    }

    /// Detects an explicit request and the topic in `text`.
    pub fn detect(&self, text: &str) -> Detection {
        SCRATCH.with_borrow_mut(|scratch| self.detect_with(scratch, text))
    }

    fn detect_with(&self, scratch: &mut Scratch, text: &str) -> Detection {
        let Scratch { normalized, hits } = scratch;
        let text = prefix(text, MAX_DETECT_BYTES);
        normalized.message(text);
        self.collect_hits(normalized, hits);
        let topic = self.topic(hits);
        let mut cues = Cues {
            signature: crate::frustration::signature(normalized.words()),
            ..Cues::default()
        };
        cues.read_surface(text);
        for hit in hits.iter() {
            if let Kind::Cue(cue) = hit.kind {
                cues.add(cue);
            }
        }
        Detection {
            explicit_request: self.explicit_request(normalized, hits),
            topic,
            request_vetoed: self.request_vetoed(hits),
            topic_vetoed: topic.is_none() && self.any_topic_cancelled(hits),
            cues,
        }
    }

    /// A hard negative anywhere, or a cancelled request phrase or noun.
    fn request_vetoed(&self, hits: &[Hit]) -> bool {
        hits.iter().any(|hit| match hit.kind {
            Kind::HardNegative => true,
            Kind::Noun if names_the_bot(hit, hits) => false,
            Kind::Phrase | Kind::Noun => self.cancelled(hit, hits),
            _ => false,
        })
    }

    /// Some topic phrase of the message was cancelled.
    fn any_topic_cancelled(&self, hits: &[Hit]) -> bool {
        hits.iter().any(|h| match h.kind {
            Kind::Topic(topic) => self.topic_cancelled(topic, h, hits),
            _ => false,
        })
    }

    fn collect_hits(&self, normalized: &Normalized, hits: &mut Vec<Hit>) {
        hits.clear();
        let text = normalized.text();
        let bytes = text.as_bytes();
        for m in self.automaton.find_overlapping_iter(text) {
            let at_boundary = (m.start() == 0 || bytes[m.start() - 1] == b' ')
                && (m.end() == bytes.len() || bytes[m.end()] == b' ');
            if !at_boundary {
                continue;
            }
            let start = normalized.word_starting_at(m.start());
            hits.push(Hit {
                kind: self.kinds[m.pattern().as_usize()],
                start,
                end: normalized.word_ending_at(m.end()),
                clause: normalized.clause_of(start),
            });
        }
    }

    fn explicit_request(&self, normalized: &Normalized, hits: &[Hit]) -> bool {
        let standalone = normalized.n_words() <= self.standalone_max_words
            && self.only_request_words(normalized, hits);
        hits.iter().any(|hit| {
            let asked = match hit.kind {
                Kind::Phrase => true,
                Kind::Noun if names_the_bot(hit, hits) => false,
                Kind::Noun => standalone || self.asked_for(hit, hits),
                _ => false,
            };
            asked && !self.cancelled(hit, hits)
        })
    }

    /// A verb before the noun, or a trailing verb after it, in the same clause.
    fn asked_for(&self, noun: &Hit, hits: &[Hit]) -> bool {
        hits.iter().any(|h| {
            h.clause == noun.clause
                && match h.kind {
                    Kind::Verb => h.end <= noun.start && noun.start - h.end <= self.window,
                    Kind::TrailingVerb => h.start >= noun.end && h.start - noun.end <= self.window,
                    _ => false,
                }
        })
    }

    fn cancelled(&self, request: &Hit, hits: &[Hit]) -> bool {
        hits.iter().any(|h| {
            h.clause == request.clause
                && match h.kind {
                    Kind::HardNegative => true,
                    Kind::Negation => ends_before(h, request, self.window + 2),
                    Kind::AdjacentNegation => ends_before(h, request, 1),
                    _ => false,
                }
        })
    }

    /// Every word is part of a request phrase or a filler: the message is only a request.
    fn only_request_words(&self, normalized: &Normalized, hits: &[Hit]) -> bool {
        let covered = |i: usize| {
            hits.iter().any(|h| {
                matches!(h.kind, Kind::Noun | Kind::Verb | Kind::TrailingVerb | Kind::Phrase)
                    && (h.start..h.end).contains(&i)
            })
        };
        normalized
            .words()
            .enumerate()
            .all(|(i, w)| w == normalize::BREAK || self.fillers.contains(w) || covered(i))
    }

    /// The first topic (in precedence order) raised and not cancelled in the message.
    fn topic(&self, hits: &[Hit]) -> Option<TopicId> {
        let single = hits.iter().filter_map(|h| match h.kind {
            Kind::Topic(topic) => Some((topic, *h)),
            _ => None,
        });
        let paired = hits.iter().filter_map(|second| match second.kind {
            Kind::PairSecond(b) => hits.iter().find_map(|first| match first.kind {
                Kind::PairFirst(a)
                    if first.clause == second.clause && ends_before(first, second, PAIR_GAP) =>
                {
                    let topic = self.pairs.get(&(a, b))?;
                    Some((*topic, Hit { end: second.end, ..*first }))
                }
                _ => None,
            }),
            _ => None,
        });
        single
            .chain(paired)
            .filter(|(topic, h)| !self.topic_cancelled(*topic, h, hits))
            .map(|(topic, _)| topic)
            .min()
    }

    fn topic_cancelled(&self, topic: TopicId, raised: &Hit, hits: &[Hit]) -> bool {
        hits.iter().any(|h| {
            h.clause == raised.clause
                && match h.kind {
                    Kind::Negation => ends_before(h, raised, 1),
                    // "not received my refund" is no exception to a refund dispute.
                    Kind::TopicExcept(t) => t == topic && !self.negated_adjacent(h, hits),
                    _ => false,
                }
        })
    }

    fn negated_adjacent(&self, hit: &Hit, hits: &[Hit]) -> bool {
        hits.iter().any(|n| n.kind == Kind::AdjacentNegation && ends_before(n, hit, 1))
    }
}

/// Normalised patterns and what each one means, each (pattern, meaning) once.
#[derive(Default)]
struct PatternBuilder {
    normalized: Normalized,
    patterns: Vec<String>,
    kinds: Vec<Kind>,
    seen: FxHashSet<(String, Kind)>,
    first_parts: FxHashMap<String, u16>,
    second_parts: FxHashMap<String, u16>,
}

impl PatternBuilder {
    fn add(&mut self, phrase: &str, kind: Kind) {
        let phrase = self.normalized.phrase(phrase);
        if !phrase.is_empty() && self.seen.insert((phrase.to_owned(), kind)) {
            self.patterns.push(phrase.to_owned());
            self.kinds.push(kind);
        }
    }

    /// The id of a pair half, adding its pattern the first time it is seen.
    fn part(&mut self, phrase: &str, first: bool) -> u16 {
        let key = self.normalized.phrase(phrase).to_owned();
        let parts = if first { &mut self.first_parts } else { &mut self.second_parts };
        let next = u16::try_from(parts.len()).unwrap_or(u16::MAX);
        let id = *parts.entry(key).or_insert(next);
        self.add(phrase, if first { Kind::PairFirst(id) } else { Kind::PairSecond(id) });
        id
    }

    fn add_all(&mut self, phrases: &[String], kind: Kind) {
        for phrase in phrases {
            self.add(phrase, kind);
        }
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The noun is the end of a phrase naming the bot ("virtual assistant").
fn names_the_bot(noun: &Hit, hits: &[Hit]) -> bool {
    hits.iter().any(|h| h.kind == Kind::Machine && h.start < noun.start && h.end == noun.end)
}

/// `before` ends at most `gap` words before `after` starts.
fn ends_before(before: &Hit, after: &Hit, gap: usize) -> bool {
    before.end <= after.start && after.start - before.end <= gap
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> Detector {
        Detector::new(
            &ExplicitRequestConfig::default(),
            &FrustrationConfig::default(),
            &phrases::default_topics(),
        )
    }

    #[track_caller]
    fn check(text: &str, explicit: bool, topic: Option<&str>) {
        let topics = phrases::default_topics();
        let got = detector().detect(text);
        let topic_name = got.topic.map(|t| topics[t.index()].id.as_str());
        assert_eq!((got.explicit_request, topic_name), (explicit, topic), "{text:?}");
    }

    #[test]
    fn explicit_requests() {
        check("Can I talk to an agent please?", true, None);
        check("I want to speak to a real person NOW", true, None);
        check("agent", true, None);
        check("AGENT!!!", true, None);
        check("human pls", true, None);
        check("Representative please.", true, None);
        check("is there someone I can talk to", true, None);
        check("transfer me", true, None);
        check("I can't reach anyone, get me a human", true, None);
        check("I cannot talk to an agent", true, None);
        check("you are not helpful, how do I chat with someone?", true, None);
        check("No. Get me an agent", true, None);
    }

    #[test]
    fn negations_and_hard_negatives() {
        check("I don't need a human, the bot is fine.", false, None);
        check("no agent please", false, None);
        check("No agent please, just tell me the opening hours.", false, None);
        check("What is your phone number?", false, None);
        check("what hours can I contact customer service?", false, None);
        check("what is the phone number to talk to an agent", false, None);
        check("someone stole my card", false, Some("account_security"));
        check("the agent told me I'd get a refund", false, Some("billing_dispute"));
        check("I do not want to speak with a person", false, None);
        check("please don't transfer me", false, None);
        // A negated verb of handing over, and the softer refusals.
        check("don't connect me to an agent, I'll wait", false, None);
        check("do not pass me to a person", false, None);
        check("I'd rather not speak to a human", false, None);
        check("I would prefer not to be put through to an agent", false, None);
        check("I'm not trying to reach a person, I want to pay", false, None);
        // Negation clears the request, and it vetoes the model too.
        let never = detector().detect("I never asked for an agent");
        assert!(!never.explicit_request && never.request_vetoed, "{never:?}");
        // A noun naming the bot is no person: refusing it is no negated request, and asking
        // for it is no request.
        let bot = detector().detect("I'd rather not discuss this with an automated assistant");
        assert!(!bot.explicit_request && !bot.request_vetoed, "{bot:?}");
        check("can I ask the virtual assistant about my bill", false, None);
        check("can I talk to an assistant", true, None);
        // A negated hold is no negated request.
        check("don't put me on hold again, put me through to an agent", true, None);
    }

    #[test]
    fn frustration_cues_are_counted_in_the_same_scan() {
        let cues = detector().detect("Third time asking!! still waiting, this is USELESS").cues;
        assert_eq!((cues.persistence, cues.waiting, cues.complaint), (2, 2, 1), "{cues:?}");
        assert_eq!((cues.profanity, cues.punctuation), (0, 1));
        let calm = detector().detect("hello, where is my parcel?").cues;
        assert_eq!((calm.persistence, calm.waiting, calm.complaint, calm.profanity), (0, 0, 0, 0));
        assert_ne!(calm.signature, 0);
    }

    #[test]
    fn fraud_and_consent_follow_what_was_done() {
        // A contested charge is billing, however it is worded ...
        check("There is a fraudulent payment on my statement!", false, Some("billing_dispute"));
        check("this transaction is bogus", false, Some("billing_dispute"));
        check(
            "a payment was taken from my account without my permission",
            false,
            Some("billing_dispute"),
        );
        check("you renewed my subscription without my consent", false, Some("billing_dispute"));
        // ... the card, phone or account in someone else's hands is security ...
        check("How do I report fraud on my card?", false, Some("account_security"));
        check("someone is using my card without my permission", false, Some("account_security"));
        check(
            "my card was used without my permission, what do I do?",
            false,
            Some("account_security"),
        );
        check("my number was ported out without my permission", false, Some("account_security"));
        check(
            "someone used my card and made payments without my permission",
            false,
            Some("account_security"),
        );
        check(
            "i read out my one time code to a caller from your fraud team",
            false,
            Some("account_security"),
        );
        // ... and the fraud team is neither.
        check("how do i reach the fraud line", false, None);
        check("do you offer fraud protection on purchases", false, None);
    }

    #[test]
    fn topics() {
        check("I was charged twice for one order", false, Some("billing_dispute"));
        check("My account has been HACKED", false, Some("account_security"));
        check("I will sue you", false, Some("legal"));
        check("Please cancel my subscription", false, Some("cancellation"));
        check("I don't want to cancel my subscription", false, None);
        check("I have not received my refund", false, Some("billing_dispute"));
        check("someone used my card, I want a refund", false, Some("account_security"));
        check("I want a refund, let me talk to a supervisor", true, Some("billing_dispute"));
        check("where is my parcel", false, None);
        check("They charged my card twice!", false, Some("billing_dispute"));
        check("the exchange rate on my payment was wrong", false, Some("billing_dispute"));
        check("I found my lost card", false, None);
        check("I got my refund, thanks", false, None);
        check("Please delete all of my account data", false, Some("cancellation"));
        check("cancel the transfer from my account", false, None);
        check("can I talk to someone else", true, None);
        // Past the detectors' reading limit, phrases are not seen.
        let long = format!("{} I was charged twice", "é".repeat(MAX_DETECT_BYTES));
        check(&long, false, None);
    }
}
