//! The VADER word and emoji lexicons (embedded, MIT; see `engine/data/vader/SOURCE.md`) and
//! VADER's fixed word lists: boosters, negations and special-case idioms.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

const WORDS: &str = include_str!("../../data/vader/vader_lexicon.txt");
const EMOJI: &str = include_str!("../../data/vader/emoji_utf8_lexicon.txt");

/// Valence of a word; lookups use the lowercased token, as vaderSentiment does.
pub(crate) struct Lexicon {
    words: FxHashMap<&'static str, f64>,
    emoji: FxHashMap<char, &'static str>,
}

impl Lexicon {
    pub(crate) fn get() -> &'static Lexicon {
        static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::parse);
        &LEXICON
    }

    fn parse() -> Lexicon {
        let mut words = FxHashMap::default();
        for line in WORDS.trim_end_matches('\n').split('\n') {
            let mut fields = line.trim().split('\t');
            if let (Some(word), Some(measure)) = (fields.next(), fields.next()) {
                // The embedded file is fixed; a malformed measure would be a packaging bug.
                let valence = measure.parse().unwrap_or(0.0);
                words.insert(word, valence);
            }
        }
        let mut emoji = FxHashMap::default();
        for line in EMOJI.trim_end_matches('\n').split('\n') {
            let mut fields = line.trim().split('\t');
            let (Some(key), Some(description)) = (fields.next(), fields.next()) else {
                continue;
            };
            // Python replaces emoji one code point at a time, so only one-code-point keys can
            // ever match; sequences (flags, skin tones, ZWJ families) are never looked up.
            let mut chars = key.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                emoji.insert(c, description);
            }
        }
        Lexicon { words, emoji }
    }

    pub(crate) fn valence(&self, lower_word: &str) -> Option<f64> {
        self.words.get(lower_word).copied()
    }

    pub(crate) fn emoji(&self, c: char) -> Option<&'static str> {
        if c.is_ascii() {
            return None;
        }
        self.emoji.get(&c).copied()
    }
}

pub(crate) const B_INCR: f64 = 0.293;
pub(crate) const B_DECR: f64 = -0.293;
pub(crate) const C_INCR: f64 = 0.733;
pub(crate) const N_SCALAR: f64 = -0.74;

/// VADER's booster and dampener words (single tokens only; the multi-word entries are
/// matched by [`booster_ngram`]).
pub(crate) fn booster(lower_word: &str) -> Option<f64> {
    Some(match lower_word {
        "absolutely" | "amazingly" | "awfully" | "completely" | "considerable" | "considerably"
        | "decidedly" | "deeply" | "effing" | "enormous" | "enormously" | "entirely"
        | "especially" | "exceptional" | "exceptionally" | "extreme" | "extremely"
        | "fabulously" | "flipping" | "flippin" | "frackin" | "fracking" | "fricking"
        | "frickin" | "frigging" | "friggin" | "fully" | "fuckin" | "fucking" | "fuggin"
        | "fugging" | "greatly" | "hella" | "highly" | "hugely" | "incredible" | "incredibly"
        | "intensely" | "major" | "majorly" | "more" | "most" | "particularly" | "purely"
        | "quite" | "really" | "remarkably" | "so" | "substantially" | "thoroughly" | "total"
        | "totally" | "tremendous" | "tremendously" | "uber" | "unbelievably" | "unusually"
        | "utter" | "utterly" | "very" => B_INCR,
        "almost" | "barely" | "hardly" | "kinda" | "kindof" | "kind-of" | "less" | "little"
        | "marginal" | "marginally" | "occasional" | "occasionally" | "partly" | "scarce"
        | "scarcely" | "slight" | "slightly" | "somewhat" | "sorta" | "sortof" | "sort-of" => {
            B_DECR
        }
        _ => return None,
    })
}

/// The multi-word booster keys ("just enough", "kind of", "sort of") as word sequences.
pub(crate) fn booster_ngram(words: &[&str]) -> Option<f64> {
    match words {
        ["just", "enough"] | ["kind", "of"] | ["sort", "of"] => Some(B_DECR),
        _ => None,
    }
}

/// VADER's special-case idioms (phrases whose valence replaces the word's own).
pub(crate) fn special_case(words: &[&str]) -> Option<f64> {
    Some(match words {
        ["the", "shit"] | ["the", "bomb"] | ["to", "die", "for"] => 3.0,
        ["bad", "ass"] => 1.5,
        ["bus", "stop"] => 0.0,
        ["yeah", "right"] => -2.0,
        ["kiss", "of", "death"] => -1.5,
        ["beating", "heart"] => 3.5,
        _ => return None,
    })
}

/// `negated([word])` of vaderSentiment for one lowercased word.
pub(crate) fn is_negation(lower_word: &str) -> bool {
    matches!(
        lower_word,
        "aint"
            | "arent"
            | "cannot"
            | "cant"
            | "couldnt"
            | "darent"
            | "didnt"
            | "doesnt"
            | "ain't"
            | "aren't"
            | "can't"
            | "couldn't"
            | "daren't"
            | "didn't"
            | "doesn't"
            | "dont"
            | "hadnt"
            | "hasnt"
            | "havent"
            | "isnt"
            | "mightnt"
            | "mustnt"
            | "neither"
            | "don't"
            | "hadn't"
            | "hasn't"
            | "haven't"
            | "isn't"
            | "mightn't"
            | "mustn't"
            | "neednt"
            | "needn't"
            | "never"
            | "none"
            | "nope"
            | "nor"
            | "not"
            | "nothing"
            | "nowhere"
            | "oughtnt"
            | "shant"
            | "shouldnt"
            | "uhuh"
            | "wasnt"
            | "werent"
            | "oughtn't"
            | "shan't"
            | "shouldn't"
            | "uh-uh"
            | "wasn't"
            | "weren't"
            | "without"
            | "wont"
            | "wouldnt"
            | "won't"
            | "wouldn't"
            | "rarely"
            | "seldom"
            | "despite"
    ) || lower_word.contains("n't")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_has_every_entry() {
        let lexicon = Lexicon::get();
        assert_eq!(lexicon.words.len(), 7506); // 7,520 lines, 14 keys repeated
        assert_eq!(lexicon.valence("good"), Some(1.9));
        assert_eq!(lexicon.emoji('😡'), Some("pouting face"));
    }
}
