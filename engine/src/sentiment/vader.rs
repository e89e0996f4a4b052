//! VADER sentiment scoring with results identical to Python vaderSentiment 3.3.2.
//!
//! This is a line-by-line port of `SentimentIntensityAnalyzer.polarity_scores`, including its
//! quirks (the `but` rule that rescales the first equal value, the `never so` rule that also
//! fires on a bare `so`/`this`, the emoji descriptions glued to the next character), because
//! the golden test holds it to Python's output within 1e-4 on thousands of texts. Work buffers
//! live in a reusable [`Scratch`], so scoring allocates nothing once the buffers have grown to
//! the longest message seen.

use std::cell::RefCell;

use serde::Serialize;

use super::lexicon::{
    C_INCR, Lexicon, N_SCALAR, booster, booster_ngram, is_negation, special_case,
};
use super::pystr;

/// VADER's four scores: `compound` in [-1, 1] rounded to 4 places, the proportions rounded
/// to 3, exactly as Python returns them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Scores {
    pub compound: f64,
    pub pos: f64,
    pub neu: f64,
    pub neg: f64,
}

/// Reusable work buffers for [`Scratch::score`].
#[derive(Debug, Default)]
pub struct Scratch {
    /// The text with emoji replaced by their descriptions.
    text: String,
    /// Every token lowercased, back to back.
    lower: String,
    tokens: Vec<Token>,
    sentiments: Vec<f64>,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    lower: (usize, usize),
    valence: Option<f64>,
    upper: bool,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Scores `text` with this thread's scratch buffers.
pub fn polarity_scores(text: &str) -> Scores {
    SCRATCH.with_borrow_mut(|scratch| scratch.score(text))
}

impl Scratch {
    /// Scores `text`, reusing this scratch's buffers.
    pub fn score(&mut self, text: &str) -> Scores {
        let lexicon = Lexicon::get();
        self.expand_emoji(lexicon, text);
        self.tokenize(lexicon);
        let cap_diff = self.cap_differential();
        self.sentiments.clear();
        for i in 0..self.tokens.len() {
            let word = self.word(i);
            let valence = if booster(word).is_some()
                || (word == "kind" && i + 1 < self.tokens.len() && self.word(i + 1) == "of")
            {
                0.0
            } else {
                self.valence(i, cap_diff)
            };
            self.sentiments.push(valence);
        }
        self.but_check();
        self.score_valence()
    }

    /// Python: the emoji loop of `polarity_scores`, which inserts a space before a description
    /// unless the previous character was a plain space, and none after it.
    fn expand_emoji(&mut self, lexicon: &Lexicon, text: &str) {
        self.text.clear();
        let mut prev_space = true;
        for c in text.chars() {
            if let Some(description) = lexicon.emoji(c) {
                if !prev_space {
                    self.text.push(' ');
                }
                self.text.push_str(description);
                prev_space = false;
            } else {
                self.text.push(c);
                prev_space = c == ' ';
            }
        }
    }

    /// Python: `SentiText._words_and_emoticons` over `text.strip()`.
    fn tokenize(&mut self, lexicon: &Lexicon) {
        let Scratch { text, lower, tokens, .. } = self;
        lower.clear();
        tokens.clear();
        for raw in text.split(pystr::is_space).filter(|t| !t.is_empty()) {
            let word = pystr::strip_punct_if_word(raw);
            let start = lower.len();
            pystr::push_lower(lower, word);
            let span = (start, lower.len());
            tokens.push(Token {
                lower: span,
                valence: lexicon.valence(&lower[span.0..span.1]),
                upper: pystr::is_upper(word),
            });
        }
    }

    fn word(&self, i: usize) -> &str {
        let (start, end) = self.tokens[i].lower;
        &self.lower[start..end]
    }

    /// Python: `allcap_differential` — some but not all words are ALL CAPS.
    fn cap_differential(&self) -> bool {
        let n_upper = self.tokens.iter().filter(|t| t.upper).count();
        let differential = self.tokens.len() - n_upper;
        0 < differential && differential < self.tokens.len()
    }

    /// Python: `sentiment_valence` for the token at `i`.
    fn valence(&self, i: usize, cap_diff: bool) -> f64 {
        let Some(base) = self.tokens[i].valence else {
            return 0.0;
        };
        let n = self.tokens.len();
        let mut valence = base;
        if self.word(i) == "no" && i + 1 < n && self.tokens[i + 1].valence.is_some() {
            valence = 0.0;
        }
        if (i > 0 && self.word(i - 1) == "no")
            || (i > 1 && self.word(i - 2) == "no")
            || (i > 2 && self.word(i - 3) == "no" && matches!(self.word(i - 1), "or" | "nor"))
        {
            valence = base * N_SCALAR;
        }
        if self.tokens[i].upper && cap_diff {
            valence += if valence > 0.0 { C_INCR } else { -C_INCR };
        }
        for start_i in 0..3 {
            let j = match i.checked_sub(start_i + 1) {
                Some(j) if self.tokens[j].valence.is_none() => j,
                _ => continue,
            };
            let mut scalar = self.scalar_inc_dec(j, valence, cap_diff);
            if scalar != 0.0 {
                scalar *= [1.0, 0.95, 0.9][start_i];
            }
            valence += scalar;
            valence = self.negation_check(valence, start_i, i);
            if start_i == 2 {
                valence = self.special_idioms_check(valence, i);
            }
        }
        self.least_check(valence, i)
    }

    /// Python: `scalar_inc_dec` for the modifier at `j`.
    fn scalar_inc_dec(&self, j: usize, valence: f64, cap_diff: bool) -> f64 {
        let Some(mut scalar) = booster(self.word(j)) else {
            return 0.0;
        };
        if valence < 0.0 {
            scalar *= -1.0;
        }
        if self.tokens[j].upper && cap_diff {
            scalar += if valence > 0.0 { C_INCR } else { -C_INCR };
        }
        scalar
    }

    /// Python: `_negation_check`, including its `or` precedence at distance 3.
    fn negation_check(&self, valence: f64, start_i: usize, i: usize) -> f64 {
        let w = |back: usize| self.word(i - back);
        let so_or_this = |word: &str| word == "so" || word == "this";
        match start_i {
            0 if is_negation(w(1)) => valence * N_SCALAR,
            1 if w(2) == "never" && so_or_this(w(1)) => valence * 1.25,
            1 if w(2) == "without" && w(1) == "doubt" => valence,
            1 if is_negation(w(2)) => valence * N_SCALAR,
            2 if (w(3) == "never" && so_or_this(w(2))) || so_or_this(w(1)) => valence * 1.25,
            2 if w(3) == "without" && (w(2) == "doubt" || w(1) == "doubt") => valence,
            2 if is_negation(w(3)) => valence * N_SCALAR,
            _ => valence,
        }
    }

    /// Python: `_special_idioms_check` (only reached with `i >= 3`).
    fn special_idioms_check(&self, mut valence: f64, i: usize) -> f64 {
        let w = |k: usize| self.word(k);
        let n = self.tokens.len();
        let (three, two, one, zero) = (w(i - 3), w(i - 2), w(i - 1), w(i));
        let before: [&[&str]; 5] =
            [&[one, zero], &[two, one, zero], &[two, one], &[three, two, one], &[three, two]];
        if let Some(v) = before.iter().find_map(|seq| special_case(seq)) {
            valence = v;
        }
        if n - 1 > i
            && let Some(v) = special_case(&[zero, w(i + 1)])
        {
            valence = v;
        }
        if n - 1 > i + 1
            && let Some(v) = special_case(&[zero, w(i + 1), w(i + 2)])
        {
            valence = v;
        }
        for ngram in [&[three, two, one][..], &[three, two], &[two, one]] {
            if let Some(b) = booster_ngram(ngram) {
                valence += b;
            }
        }
        valence
    }

    /// Python: `_least_check`.
    fn least_check(&self, valence: f64, i: usize) -> f64 {
        let least_before = |k: usize| self.tokens[k].valence.is_none() && self.word(k) == "least";
        if i > 1 && least_before(i - 1) {
            if self.word(i - 2) != "at" && self.word(i - 2) != "very" {
                return valence * N_SCALAR;
            }
        } else if i > 0 && least_before(i - 1) {
            return valence * N_SCALAR;
        }
        valence
    }

    /// Python: `_but_check`. Python walks the list and rescales the *first* element equal to
    /// each value (`list.index`), so repeated values are rescaled at the first position,
    /// sometimes twice; this reproduces that. Zeros are skipped: rescaling zero is a no-op.
    fn but_check(&mut self) {
        let Some(but) = (0..self.tokens.len()).find(|&i| self.word(i) == "but") else {
            return;
        };
        let sentiments = &mut self.sentiments;
        for k in 0..sentiments.len() {
            let s = sentiments[k];
            if s == 0.0 {
                continue;
            }
            let first = sentiments.iter().position(|&x| x == s).unwrap_or(k);
            if first < but {
                sentiments[first] = s * 0.5;
            } else if first > but {
                sentiments[first] = s * 1.5;
            }
        }
    }

    /// Python: `score_valence` with `_punctuation_emphasis` and `_sift_sentiment_scores`.
    fn score_valence(&self) -> Scores {
        if self.sentiments.is_empty() {
            return Scores::default();
        }
        let sum: f64 = self.sentiments.iter().fold(0.0, |acc, s| acc + s);
        let punct = self.punctuation_emphasis();
        let sum = if sum > 0.0 {
            sum + punct
        } else if sum < 0.0 {
            sum - punct
        } else {
            sum
        };
        let compound = (sum / (sum * sum + 15.0).sqrt()).clamp(-1.0, 1.0);

        let (mut pos_sum, mut neg_sum, mut neu_count) = (0.0, 0.0, 0u32);
        for &s in &self.sentiments {
            if s > 0.0 {
                pos_sum += s + 1.0;
            } else if s < 0.0 {
                neg_sum += s - 1.0;
            } else {
                neu_count += 1;
            }
        }
        if pos_sum > f64::abs(neg_sum) {
            pos_sum += punct;
        } else if pos_sum < f64::abs(neg_sum) {
            neg_sum -= punct;
        }
        let total = pos_sum + f64::abs(neg_sum) + f64::from(neu_count);
        Scores {
            compound: pystr::round(compound, 4),
            pos: pystr::round((pos_sum / total).abs(), 3),
            neu: pystr::round((f64::from(neu_count) / total).abs(), 3),
            neg: pystr::round((neg_sum / total).abs(), 3),
        }
    }

    /// Python: `_amplify_ep` + `_amplify_qm`.
    fn punctuation_emphasis(&self) -> f64 {
        let (mut n_excl, mut n_quest) = (0u32, 0u32);
        for b in self.text.bytes() {
            n_excl += u32::from(b == b'!');
            n_quest += u32::from(b == b'?');
        }
        let excl = f64::from(n_excl.min(4)) * 0.292;
        let quest = match n_quest {
            0 | 1 => 0.0,
            2 | 3 => f64::from(n_quest) * 0.18,
            _ => 0.96,
        };
        excl + quest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, compound: f64, pos: f64, neu: f64, neg: f64) {
        let got = polarity_scores(text);
        assert_eq!(got, Scores { compound, pos, neu, neg }, "{text:?}");
    }

    #[test]
    fn readme_examples_of_vader() {
        // Scores printed by vaderSentiment 3.3.2's own `__main__` examples.
        check("VADER is smart, handsome, and funny.", 0.8316, 0.746, 0.254, 0.0);
        check(
            "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.9469, 0.706, 0.294, 0.0,
        );
        check("VADER is not smart, handsome, nor funny.", -0.7424, 0.0, 0.354, 0.646);
        check("At least it isn't a horrible book.", 0.431, 0.322, 0.678, 0.0);
        check("Today only kinda sux! But I'll get by, lol", 0.5249, 0.317, 0.556, 0.127);
        check("Catch utf-8 emoji such as 💘 and 💋 and 😁", 0.875, 0.417, 0.583, 0.0);
        check("", 0.0, 0.0, 0.0, 0.0);
    }
}
