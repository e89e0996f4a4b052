//! What the frustration score reads in one message besides its words' meaning: counts of cue
//! phrases (found by the detectors' one scan), capitals, runs of `!` and `?`, and a signature
//! of the message's words for noticing that the customer repeats themselves.

/// The cue counts of one message. `Copy`, no heap.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cues {
    pub persistence: u8,
    pub waiting: u8,
    pub complaint: u8,
    pub profanity: u8,
    /// Share of the message's words (of two letters or more) written in capitals, when at
    /// least two are; else 0.
    pub shouting: f32,
    /// Runs of two or more `!` or `?` ("!!", "?!", "???").
    pub punctuation: u8,
    /// A 64-bit set of the message's content words (see [`signature`]).
    pub signature: u64,
}

/// Which cue list a phrase comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Persistence,
    Waiting,
    Complaint,
    Profanity,
}

impl Cues {
    /// Counts one cue phrase found in the message (saturating).
    pub fn add(&mut self, cue: Cue) {
        let count = match cue {
            Cue::Persistence => &mut self.persistence,
            Cue::Waiting => &mut self.waiting,
            Cue::Complaint => &mut self.complaint,
            Cue::Profanity => &mut self.profanity,
        };
        *count = count.saturating_add(1);
    }

    /// Reads capitals and punctuation runs in the raw text (the detectors read the
    /// normalised one, which has neither).
    pub fn read_surface(&mut self, text: &str) {
        let (mut words, mut caps, mut runs) = (0u32, 0u32, 0u32);
        let (mut letters, mut upper, mut marks) = (0u32, 0u32, 0u32);
        let mut end_word = |letters: &mut u32, upper: &mut u32| {
            if *letters >= 2 {
                words += 1;
                caps += u32::from(*upper == *letters);
            }
            (*letters, *upper) = (0, 0);
        };
        for b in text.bytes() {
            if b.is_ascii_alphabetic() {
                letters += 1;
                upper += u32::from(b.is_ascii_uppercase());
            } else if b == b'\'' || b.is_ascii_digit() || b >= 0x80 {
                // Inside a word (non-ASCII letters count toward neither case).
            } else {
                end_word(&mut letters, &mut upper);
            }
            if b == b'!' || b == b'?' {
                marks += 1;
            } else {
                runs += u32::from(marks >= 2);
                marks = 0;
            }
        }
        end_word(&mut letters, &mut upper);
        runs += u32::from(marks >= 2);
        self.shouting = if caps >= 2 { caps as f32 / words as f32 } else { 0.0 };
        self.punctuation = u8::try_from(runs).unwrap_or(u8::MAX);
    }
}

/// Words too common to say what a message is about.
const STOP_WORDS: &[&str] = &[
    "the", "and", "you", "your", "for", "this", "that", "with", "have", "are", "was", "not", "but",
    "can", "could", "would", "will", "please", "what", "how", "why", "when", "there", "they",
    "them", "from", "just", "get", "got", "does", "did", "has", "had", "been", "any", "all", "its",
    "out", "about", "again", "still", "now", "yes", "thanks", "thank", "hello",
];

/// A 64-bit set of the content words (three letters or more, not [`STOP_WORDS`]) of a
/// normalised message: each word sets one bit chosen by its hash. Two messages with many
/// words in common share many bits; [`similarity`] compares them.
pub fn signature<'a>(words: impl Iterator<Item = &'a str>) -> u64 {
    let mut bits = 0u64;
    for word in words.filter(|w| w.len() >= 3 && !STOP_WORDS.contains(w)) {
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        for b in word.bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        bits |= 1 << (hash >> 58);
    }
    bits
}

/// The overlap of two signatures (shared bits over all bits, 0..1); 0 unless both have at
/// least three words' bits, so "ok" after "ok" is no repetition.
pub fn similarity(a: u64, b: u64) -> f32 {
    if a.count_ones() < 3 || b.count_ones() < 3 {
        return 0.0;
    }
    (a & b).count_ones() as f32 / (a | b).count_ones() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(text: &str) -> Cues {
        let mut cues = Cues::default();
        cues.read_surface(text);
        cues
    }

    #[test]
    fn capitals_count_from_two_words() {
        assert_eq!(surface("AGENT please").shouting, 0.0);
        assert_eq!(surface("WHERE IS my parcel").shouting, 0.5);
        assert_eq!(surface("I NEED IT NOW").shouting, 1.0, "'I' is one letter: not counted");
        assert_eq!(surface("my ISP and the USA").shouting, 0.4);
    }

    #[test]
    fn punctuation_runs() {
        assert_eq!(surface("why?").punctuation, 0);
        assert_eq!(surface("why?? seriously!?! ok!").punctuation, 2);
        assert_eq!(surface("hello!!!").punctuation, 1);
    }

    #[test]
    fn repeated_messages_are_similar_and_others_not() {
        let sig = |t: &str| signature(t.split(' '));
        let a = sig("my internet connection keeps dropping every evening");
        let b = sig("the internet connection is dropping again every evening");
        let c = sig("can i change the delivery address for my order");
        assert!(similarity(a, b) >= 0.5, "{}", similarity(a, b));
        assert!(similarity(a, c) < 0.2, "{}", similarity(a, c));
        assert_eq!(similarity(sig("ok"), sig("ok")), 0.0);
    }
}
