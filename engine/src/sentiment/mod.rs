//! Sentiment: the VADER-exact scorer and the per-conversation tracker built on it.

mod config;
mod lexicon;
mod pystr;
mod tracker;
mod vader;

pub use config::SentimentConfig;
pub use tracker::{BotTurn, ConversationSignals, Customer, MAX_TREND_WINDOW, SignalsRecord};
pub use vader::{Scores, Scratch, polarity_scores};

/// Parses the embedded lexicons now (about 20 ms), so that the first decision does not.
pub fn load_lexicon() {
    lexicon::Lexicon::get();
}
