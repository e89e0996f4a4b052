//! Python 3 string semantics that VADER's results depend on: whitespace, `isupper`, ASCII
//! punctuation stripping and `round(x, n)`, reproduced without allocating.
//!
//! vaderSentiment is defined by what CPython does with its text, not by what Rust would do, so
//! these helpers follow CPython 3.11 (Unicode 14) where the two differ: Python counts the
//! information separators U+001C..U+001F as whitespace, and its `isupper` treats titlecase
//! letters as disqualifying.

/// `str.isspace()` for one character, as `str.split()` and `str.strip()` use it.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// Characters of `string.punctuation`, the set `str.strip(string.punctuation)` removes.
pub(crate) fn is_ascii_punct(c: char) -> bool {
    c.is_ascii_punctuation()
}

/// Python's `str.isupper()`: at least one cased character and no lowercase or titlecase one.
pub(crate) fn is_upper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        let (lower, upper) = case_flags(c);
        if lower {
            return false;
        }
        cased |= upper;
    }
    cased
}

/// (lowercase or titlecase, uppercase) as CPython 3.11's Unicode 14 tables have them. Rust's
/// tables are newer; the 181 code points whose casing changed since (checked exhaustively
/// against CPython) are mapped back.
fn case_flags(c: char) -> (bool, bool) {
    if c.is_ascii() {
        return (c.is_ascii_lowercase(), c.is_ascii_uppercase());
    }
    match c {
        '\u{295}' => (true, false),
        '\u{10FC}'
        | '\u{1C89}'..='\u{1C8A}'
        | '\u{A7CB}'..='\u{A7CF}'
        | '\u{A7D2}'
        | '\u{A7D4}'
        | '\u{A7DA}'..='\u{A7DC}'
        | '\u{A7F1}'..='\u{A7F4}'
        | '\u{AB69}'
        | '\u{10D50}'..='\u{10D65}'
        | '\u{10D70}'..='\u{10D85}'
        | '\u{16EA0}'..='\u{16EB8}'
        | '\u{16EBB}'..='\u{16ED3}'
        | '\u{1DF25}'..='\u{1DF2A}'
        | '\u{1E030}'..='\u{1E06D}' => (false, false),
        _ => {
            let lower = c.is_lowercase() || is_titlecase(c);
            (lower, !lower && c.is_uppercase())
        }
    }
}

/// Unicode general category Lt (titlecase letters), which Python's `isupper` rejects.
fn is_titlecase(c: char) -> bool {
    matches!(
        c,
        '\u{1C5}'
            | '\u{1C8}'
            | '\u{1CB}'
            | '\u{1F2}'
            | '\u{1F88}'..='\u{1F8F}'
            | '\u{1F98}'..='\u{1F9F}'
            | '\u{1FA8}'..='\u{1FAF}'
            | '\u{1FBC}'
            | '\u{1FCC}'
            | '\u{1FFC}'
    )
}

/// `token.strip(string.punctuation)`, kept only when more than two characters remain (VADER's
/// rule that keeps emoticons such as `:)` whole).
pub(crate) fn strip_punct_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(is_ascii_punct);
    if stripped.chars().nth(2).is_none() { token } else { stripped }
}

/// Appends `s.lower()` to `out` (full Unicode lowercase mapping; Python's final-sigma rule is
/// not needed because every key it could change is non-ASCII and no lexicon key is Greek).
pub(crate) fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Python's `round(x, digits)` for the small magnitudes VADER produces (|x| well under 2^40):
/// rounds the exact binary value half-to-even, then returns the double nearest the decimal,
/// exactly as CPython's correctly rounded `float.__round__` does.
pub(crate) fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    let y = x * scale;
    // The product's rounding error, exact thanks to the fused multiply-add.
    let err = x.mul_add(scale, -y);
    let floor = y.floor();
    // Both are multiples of ulp(y), so this subtraction is exact; when it is non-zero it
    // outweighs `err`, which is at most half an ulp.
    let above_half = (y - floor) - 0.5;
    let up = if above_half != 0.0 {
        above_half > 0.0
    } else if err != 0.0 {
        err > 0.0
    } else {
        floor % 2.0 != 0.0
    };
    let k = if up { floor + 1.0 } else { floor };
    k / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_matches_python_on_ties_and_near_ties() {
        // Values and results from CPython 3.11 `round`.
        assert_eq!(round(0.0625, 3), 0.062);
        assert_eq!(round(0.1875, 3), 0.188);
        assert_eq!(round(-0.0625, 3), -0.062);
        assert_eq!(round(0.5, 0), 0.0);
        assert_eq!(round(1.5, 0), 2.0);
        assert_eq!(round(2.675, 2), 2.67); // 2.675 is below the tie in binary
        assert_eq!(round(0.12345, 4), 0.1235); // 0.12345 is above the tie in binary
        assert_eq!(round(0.1234499999, 4), 0.1234);
        assert_eq!(round(-0.98765, 4), -0.9877);
        assert_eq!(round(1.0, 3), 1.0);
    }

    #[test]
    fn python_whitespace_includes_information_separators() {
        assert!(is_space('\u{1c}') && is_space('\u{85}') && is_space('\u{3000}'));
        assert!(!is_space('\u{200b}'));
    }

    #[test]
    fn isupper_follows_python() {
        assert!(is_upper("GOOD!"));
        assert!(is_upper("İSTANBUL"));
        assert!(!is_upper("Good"));
        assert!(!is_upper("123"));
        assert!(!is_upper("ǅ"));
        assert!(!is_upper(":)"));
    }

    #[test]
    fn strip_keeps_short_emoticons() {
        assert_eq!(strip_punct_if_word("good."), "good");
        assert_eq!(strip_punct_if_word(":)"), ":)");
        assert_eq!(strip_punct_if_word("(ok)"), "(ok)");
        assert_eq!(strip_punct_if_word("--no--"), "--no--");
    }
}
