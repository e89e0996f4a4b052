//! Arbitrary input never breaks the decision path: random strings drawn from ASCII, the
//! punctuation VADER cares about, whitespace of every kind, emoji, combining marks and other
//! scripts, through the scorer, the detectors and a conversation. A small deterministic
//! generator keeps the test reproducible without a property-testing dependency.

use baton_engine::config::Config;
use baton_engine::escalation::Load;
use baton_engine::sentiment::{BotTurn, ConversationSignals, Customer, polarity_scores};
use tokio::time::Instant;

/// xorshift64*: enough randomness for input shapes, same sequence every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "good", "bad", "not", "no", "but", "BUT", "very", "kind", "of", "least", "at", "never", "so",
    "this", "without", "doubt", "agent", "human", "talk to", "don't", "can't", "refund", "charged",
    "twice", "hacked", "cancel my account", "lawyer", "!", "?", "!!!", "...", ":)", ":(", "'",
    "\"", "-", ",", ".", " ", "  ", "\t", "\n", "\r\n", "\u{a0}", "\u{1c}", "\u{2028}", "\u{3000}",
    "😡", "😁", "👍🏽", "❤️", "🇺🇸", "\u{200d}", "\u{301}", "İ", "Σ", "ß", "ǅ", "K", "日本語",
    "مرحبا", "\u{feff}", "\u{202e}", "a", "Z", "0", "42",
];

fn random_text(rng: &mut Rng) -> String {
    let pieces = rng.below(40);
    let mut text = String::new();
    for _ in 0..pieces {
        text.push_str(PIECES[rng.below(PIECES.len())]);
        if rng.below(3) == 0 {
            text.push(' ');
        }
    }
    text
}

#[test]
fn random_text_through_the_whole_path() {
    let decider = Config::default().decider().expect("default config");
    let mut rng = Rng(0x5eed_ba70_0000_0001);
    let now = Instant::now();
    for round in 0..300 {
        let signals = ConversationSignals::new(Customer::default(), now);
        for turn in 0..8 {
            let text = random_text(&mut rng);
            let scores = polarity_scores(&text);
            assert!((-1.0..=1.0).contains(&scores.compound), "{text:?}: {scores:?}");
            let total = scores.pos + scores.neu + scores.neg;
            assert!(total == 0.0 || (total - 1.0).abs() <= 0.002, "{text:?}: {scores:?}");
            let outcome = decider.customer_message(&signals, &text, None, Load::Normal, now);
            let decision = outcome.decision;
            assert_eq!(decision.escalate, decision.reason.is_some());
            assert_eq!(decision.escalate, decision.skill.is_some());
            assert!(decision.priority.is_none_or(|p| (1..=9).contains(&p)));
            if outcome.detection.explicit_request {
                assert!(decision.escalate, "round {round} turn {turn}: {text:?}");
            }
            let reply =
                BotTurn { text: &text, confidence: rng.below(101) as f64 / 100.0, resolved: false };
            decider.bot_reply(&signals, &reply, None, Load::High, now);
        }
    }
}
