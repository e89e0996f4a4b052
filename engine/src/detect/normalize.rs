//! Text normalisation for phrase detection: lowercase, contractions expanded ("don't" →
//! "do not", "wanna" → "want to"), runs of a repeated letter collapsed to one ("pleeease" →
//! "please", "call" → "cal"), punctuation dropped, and sentence punctuation kept as a clause
//! break `|` so that a negation in one clause cannot cancel a request in the next.
//!
//! Phrases from the configuration go through the same function, so collapsing letters is
//! safe: "cancelled" and "canceled" both become "canceled", in the text and in the list.

/// A normalised message: words separated by single spaces, with word offsets and clause
/// numbers. Reused between messages so normalising allocates nothing once grown.
#[derive(Debug, Default)]
pub struct Normalized {
    text: String,
    word_starts: Vec<u32>,
    clauses: Vec<u32>,
    n_words: usize,
    word: String,
    clause: u32,
}

/// The clause-break word.
pub(crate) const BREAK: &str = "|";

impl Normalized {
    /// Normalises a customer message.
    pub fn message(&mut self, text: &str) -> &str {
        self.run(text, true);
        &self.text
    }

    /// Normalises a configured phrase (punctuation separates words, it never breaks clauses).
    pub fn phrase(&mut self, phrase: &str) -> &str {
        self.run(phrase, false);
        &self.text
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Words in the message, clause breaks not counted.
    pub(crate) fn n_words(&self) -> usize {
        self.n_words
    }

    /// Index of the word starting at byte `start`.
    pub(crate) fn word_starting_at(&self, start: usize) -> usize {
        self.word_starts.partition_point(|&s| (s as usize) < start)
    }

    /// Index one past the word ending at byte `end`.
    pub(crate) fn word_ending_at(&self, end: usize) -> usize {
        self.word_starts.partition_point(|&s| (s as usize) < end)
    }

    pub(crate) fn clause_of(&self, word: usize) -> u32 {
        self.clauses[word]
    }

    /// The words of the message, clause breaks included.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|w| !w.is_empty())
    }

    fn run(&mut self, input: &str, clauses: bool) {
        self.text.clear();
        self.word_starts.clear();
        self.clauses.clear();
        self.n_words = 0;
        self.word.clear();
        self.clause = 0;
        for c in input.chars() {
            // ASCII first: nearly every chat message is mostly ASCII.
            let word_char = if c.is_ascii() {
                c.is_ascii_alphanumeric() || c == '\'' || c == '`'
            } else {
                c.is_alphanumeric() || is_apostrophe(c)
            };
            if !word_char {
                self.flush_word();
                if clauses && is_clause_break(c) {
                    self.push_break();
                }
            } else if c.is_ascii_alphanumeric() {
                self.word.push(c.to_ascii_lowercase());
            } else if is_apostrophe(c) {
                self.word.push('\'');
            } else {
                for lower in c.to_lowercase() {
                    self.word.push(lower);
                }
            }
        }
        self.flush_word();
        if self.text.ends_with(BREAK) {
            // No break after the last clause.
            self.text.truncate(self.text.len() - BREAK.len());
            self.text.truncate(self.text.trim_end().len());
            self.word_starts.pop();
            self.clauses.pop();
        }
    }

    fn flush_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let word = std::mem::take(&mut self.word);
        let trimmed = word.trim_matches('\'');
        let (first, second) = expand(trimmed);
        self.push_word(first);
        if let Some(second) = second {
            self.push_word(second);
        }
        self.word = word;
        self.word.clear();
    }

    fn push_word(&mut self, word: &str) {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        let start = self.text.len();
        let mut prev = None;
        for c in word.chars().filter(|&c| c != '\'') {
            // Collapse runs of one letter ("sooo" → "so"); digits stay as written.
            let letter = if c.is_ascii() { c.is_ascii_alphabetic() } else { c.is_alphabetic() };
            if letter && prev == Some(c) {
                continue;
            }
            prev = Some(c);
            self.text.push(c);
        }
        if self.text.len() == start {
            // Only apostrophes: drop the word and its separator.
            self.text.truncate(start.saturating_sub(1));
            return;
        }
        self.word_starts.push(start as u32);
        self.clauses.push(self.clause);
        self.n_words += 1;
    }

    fn push_break(&mut self) {
        // One break between clauses, none at the start.
        if self.text.is_empty() || self.text.ends_with(BREAK) {
            return;
        }
        self.text.push(' ');
        self.word_starts.push(self.text.len() as u32);
        self.clauses.push(self.clause);
        self.text.push_str(BREAK);
        self.clause += 1;
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}')
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | '!'
            | '?'
            | ';'
            | ':'
            | '\n'
            | '\u{2026}'
            | '\u{3002}'
            | '\u{ff01}'
            | '\u{ff1f}'
    )
}

/// Expands a contraction or chat shorthand into at most two words.
fn expand(word: &str) -> (&str, Option<&'static str>) {
    // Most words are none of these: every listed form is short, ends in "nt" or has an
    // apostrophe.
    if word.len() > 6 && !word.ends_with("nt") && !word.contains('\'') {
        return (word, None);
    }
    let fixed = match word {
        "can't" | "cant" | "cannot" => Some(("can", "not")),
        "won't" | "wont" => Some(("will", "not")),
        "shan't" => Some(("shall", "not")),
        "ain't" | "aint" => Some(("is", "not")),
        "im" => Some(("i", "am")),
        "ive" => Some(("i", "have")),
        "youre" => Some(("you", "are")),
        "wanna" => Some(("want", "to")),
        "gonna" => Some(("going", "to")),
        "gotta" => Some(("got", "to")),
        "lemme" => Some(("let", "me")),
        "gimme" => Some(("give", "me")),
        _ => None,
    };
    if let Some((first, second)) = fixed {
        return (first, Some(second));
    }
    let single = match word {
        "pls" | "plz" | "pleas" => Some("please"),
        "u" | "ya" => Some("you"),
        "ur" => Some("your"),
        "ppl" => Some("people"),
        "thx" => Some("thanks"),
        _ => None,
    };
    if let Some(single) = single {
        return (single, None);
    }
    if let Some(base) = word.strip_suffix("n't") {
        return (base, Some("not"));
    }
    // Apostrophe-less negations: "dont", "didnt", "couldnt" ...
    if let Some(base) = word.strip_suffix("nt")
        && matches!(
            base,
            "do" | "did"
                | "does"
                | "is"
                | "are"
                | "was"
                | "were"
                | "have"
                | "has"
                | "had"
                | "could"
                | "should"
                | "would"
                | "must"
                | "need"
        )
    {
        return (base, Some("not"));
    }
    for (suffix, full) in
        [("'m", "am"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would")]
    {
        if let Some(base) = word.strip_suffix(suffix) {
            return (base, Some(full));
        }
    }
    if let Some(base) = word.strip_suffix("'s") {
        return (base, None);
    }
    (word, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expected: &str) {
        let mut n = Normalized::default();
        assert_eq!(n.message(input), expected, "{input:?}");
    }

    #[test]
    fn normalises_case_contractions_letters_and_punctuation() {
        check("I DON'T need a HUMAN!!!", "i do not ned a human");
        check("Pleeeease, get me an agent", "please | get me an agent");
        check(
            "I can’t talk to anyone. Wanna speak w/ a rep",
            "i can not talk to anyone | want to speak w a rep",
        );
        check("dont cancel my account", "do not cancel my acount");
        check("I'm fed up; it's broken", "i am fed up | it broken");
        check("  ", "");
        check("...!!!", "");
        check("call 0800 100 100", "cal 0800 100 100");
        check("'quoted' words", "quoted words");
    }

    #[test]
    fn records_words_and_clauses() {
        let mut n = Normalized::default();
        n.message("no. agent please");
        assert_eq!(n.text(), "no | agent please");
        assert_eq!(n.n_words(), 3);
        assert_eq!(n.word_starting_at(5), 2);
        assert_eq!(n.clause_of(0), 0);
        assert_eq!(n.clause_of(2), 1);
    }
}
