//! The model's features, read from the text without allocating: word unigrams, word bigrams
//! and the character 3-, 4- and 5-grams of each word with its boundaries ("<hu", "uman>"),
//! each hashed into one of `2^bits` buckets. Character n-grams are what make "huamn" and
//! "somneone" look like "human" and "someone".
//!
//! The recipe is part of the model file's format ([`FEATURES_VERSION`]): a model is only
//! valid with the features it was trained on, so any change here bumps the version and
//! `Model::from_bytes` refuses older files.

/// Bumped whenever anything below changes what a text hashes to.
pub const FEATURES_VERSION: u32 = 1;

/// The features read at most this much of a message: requests and topics come early, and the
/// decision path's cost must stay bounded (about 3 features a byte).
pub const MAX_MODEL_BYTES: usize = 2048;

/// A text's features are scaled by `1 / √max(n, NORM_FLOOR)`: long texts do not outweigh
/// short ones, and a text of one or two words ("hi", "ok") is not blown up into a confident
/// score by the few features it has.
pub const NORM_FLOOR: usize = 64;

/// The scale of a text's `n` features.
pub fn norm(n: usize) -> f32 {
    1.0 / (n.max(NORM_FLOOR) as f32).sqrt()
}

/// Longest word kept whole for its character n-grams; longer words are cut (their unigram
/// hash still covers every byte).
const MAX_WORD_BYTES: usize = 32;

const SEED_WORD: u32 = 0x9e37_79b9;
const SEED_BIGRAM: u32 = 0x85eb_ca6b;
const SEED_CHAR: u32 = 0xc2b2_ae35;
/// The bigram of a message's first word with its start.
const START: u32 = 0x27d4_eb2f;

/// FNV-1a over `bytes` from `seed`.
fn fnv(seed: u32, bytes: &[u8]) -> u32 {
    bytes.iter().fold(seed ^ 0x811c_9dc5, |h, &b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// murmur3's finaliser: spreads FNV's low bits before they are masked.
fn mix(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// Calls `f` with the bucket (below `2^bits`) of every feature of `text`, in order, and
/// returns how many there were. Letters and digits make words (lowercased; every digit reads
/// as `0`); apostrophes inside a word are dropped ("don't" is "dont"); anything else separates.
pub fn for_each(text: &str, bits: u32, mut f: impl FnMut(usize)) -> usize {
    let mask = (1u32 << bits) - 1;
    let mut count = 0usize;
    let mut emit = |h: u32| {
        count += 1;
        f((mix(h) & mask) as usize);
    };
    // "<" + the word's bytes + ">", cut at MAX_WORD_BYTES.
    let mut word = [0u8; MAX_WORD_BYTES + 2];
    let mut len = 0usize;
    let mut full = SEED_WORD ^ 0x811c_9dc5;
    let mut previous = START;
    let mut end_word = |word: &mut [u8; MAX_WORD_BYTES + 2], len: &mut usize, full: &mut u32| {
        if *len == 0 {
            return;
        }
        let unigram = *full;
        emit(unigram);
        emit(fnv(SEED_BIGRAM, &previous.to_le_bytes()) ^ unigram.rotate_left(7));
        previous = unigram;
        let n = (*len).min(MAX_WORD_BYTES);
        word[0] = b'<';
        word[n + 1] = b'>';
        let bounded = &word[..n + 2];
        // FNV is sequential, so the 4- and 5-gram at a position continue its 3-gram's hash:
        // the hash of every n-gram, as `fnv(SEED_CHAR, gram)`, in one pass.
        for start in 0..bounded.len().saturating_sub(2) {
            let mut h = fnv(SEED_CHAR, &bounded[start..start + 2]);
            for &b in bounded.iter().skip(start + 2).take(3) {
                h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
                emit(h);
            }
        }
        *len = 0;
        *full = SEED_WORD ^ 0x811c_9dc5;
    };
    let mut cut = text.len().min(MAX_MODEL_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let push = |b: u8, word: &mut [u8; MAX_WORD_BYTES + 2], len: &mut usize, full: &mut u32| {
        *full = (*full ^ u32::from(b)).wrapping_mul(0x0100_0193);
        if *len < MAX_WORD_BYTES {
            word[*len + 1] = b;
        }
        *len += 1;
    };
    for c in text[..cut].chars() {
        // ASCII, nearly every byte of a chat message, without the Unicode tables; the same
        // features as the general path below.
        if c.is_ascii() {
            let b = c as u8;
            if b.is_ascii_alphanumeric() {
                let b = if b.is_ascii_digit() { b'0' } else { b.to_ascii_lowercase() };
                push(b, &mut word, &mut len, &mut full);
            } else if b != b'\'' {
                end_word(&mut word, &mut len, &mut full);
            }
            continue;
        }
        if c == '\u{2019}' {
            continue;
        }
        if !c.is_alphanumeric() {
            end_word(&mut word, &mut len, &mut full);
            continue;
        }
        let c = if c.is_numeric() { '0' } else { c };
        for lower in c.to_lowercase() {
            let mut utf8 = [0u8; 4];
            for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                push(b, &mut word, &mut len, &mut full);
            }
        }
    }
    end_word(&mut word, &mut len, &mut full);
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buckets(text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let n = for_each(text, 18, |b| out.push(b));
        assert_eq!(n, out.len());
        out
    }

    #[test]
    fn case_apostrophes_digits_and_separators_do_not_change_features() {
        assert_eq!(buckets("Don't charge me"), buckets("dont   CHARGE me!!"));
        assert_eq!(buckets("order 12345"), buckets("order 99999"));
        assert_eq!(buckets("talk to an agent"), buckets("talk, to... an agent?"));
        assert_ne!(buckets("talk to an agent"), buckets("agent an to talk"));
    }

    #[test]
    fn counts_words_bigrams_and_character_grams() {
        // "human": unigram + bigram + "<human>" has 5 3-grams, 4 4-grams, 3 5-grams.
        assert_eq!(buckets("human").len(), 2 + 5 + 4 + 3);
        // A two-letter word is "<hi>": two 3-grams and one 4-gram.
        assert_eq!(buckets("hi").len(), 2 + 2 + 1);
        assert!(buckets("  ,, ").is_empty());
    }

    #[test]
    fn a_typo_shares_most_character_grams() {
        // "<so", "som", "eon", "one", "ne>", "<som", "eone", "one>", "eone>" are shared.
        let a = buckets("someone");
        let b = buckets("somneone");
        let shared = b.iter().filter(|x| a.contains(x)).count();
        assert!(shared >= 8, "{shared}");
        assert!(a.iter().all(|&x| x < 1 << 18));
    }

    #[test]
    fn long_input_is_bounded() {
        let long = "word ".repeat(10_000);
        let n = for_each(&long, 18, |_| {});
        // ~2,048 bytes of five-byte "word " → 410 words of 2 + 4 + 3 + 2 features.
        assert!(n <= MAX_MODEL_BYTES / 5 * 11 + 11, "{n}");
        let wide = "é".repeat(5_000);
        assert!(for_each(&wide, 18, |_| {}) > 0);
    }
}
