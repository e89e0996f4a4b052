//! The warm-handoff summary an agent reads in five seconds: the bot's own summary when it
//! gave one, otherwise an extractive one built here from the transcript — the customer's
//! problem statement in their own words, the amounts, dates and references they mentioned,
//! what the bot tried, and how the customer feels. Nothing is generated: every phrase is
//! lifted from the conversation, so nothing can be made up.

use serde::Serialize;

use super::mood::Mood;
use super::{Role, Turn};

/// Longest problem statement kept, in characters (a cut ends with "…").
pub const MAX_PROBLEM_CHARS: usize = 240;
/// At most this many items of each kind.
pub const MAX_ITEMS: usize = 5;
/// Longest bot attempt kept, in characters.
pub const MAX_TRIED_CHARS: usize = 120;

/// Where a summary came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummarySource {
    /// The bot supplied it.
    Bot,
    /// Built from the transcript.
    Extractive,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Summary {
    pub source: SummarySource,
    /// The whole summary as a few short lines, ready to show.
    pub text: String,
    /// The customer's first substantive message (extractive summaries).
    pub problem: String,
    pub amounts: Vec<String>,
    pub dates: Vec<String>,
    pub references: Vec<String>,
    /// What the bot offered as solutions (its questions left out), most confident first.
    pub tried: Vec<String>,
    pub mood: Mood,
}

/// A bot turn offered as a solution, and how sure the bot was.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attempt {
    pub text: String,
    pub confidence: f64,
}

/// The summary for a handoff. `bot_summary` wins when the bot gave one; the extracted
/// facts are kept alongside either way.
pub fn summarize(
    transcript: &[Turn],
    attempts: &[Attempt],
    bot_summary: Option<&str>,
    mood: Mood,
) -> Summary {
    // One scan per customer turn: its facts count toward the problem statement's choice
    // (the first few turns) and join the summary's.
    let mut facts = Facts::default();
    let mut best: Option<(&Turn, usize)> = None;
    let customer = transcript.iter().filter(|t| t.role == Role::Customer);
    for (i, turn) in customer.enumerate() {
        let found = facts.scan(&turn.text);
        if i < PROBLEM_CANDIDATES {
            // Customers mostly state the problem first; later messages need facts to win.
            let bonus = if i == 0 { FIRST_MESSAGE_BONUS } else { 0 };
            let score = words(&turn.text).min(12) + 6 * found + bonus;
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((turn, score));
            }
        }
    }
    let problem = best.map_or_else(String::new, |(t, _)| clip(&t.text, MAX_PROBLEM_CHARS));
    // A question back to the customer is not a solution.
    let mut ranked: Vec<&Attempt> =
        attempts.iter().filter(|a| !a.text.trim_end().ends_with('?')).collect();
    ranked.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    let mut tried: Vec<String> = Vec::new();
    for attempt in ranked {
        let text = clip(&attempt.text, MAX_TRIED_CHARS);
        if tried.len() < 3 && !tried.contains(&text) {
            tried.push(text);
        }
    }
    let (source, text) = match bot_summary.map(str::trim).filter(|s| !s.is_empty()) {
        Some(summary) => (SummarySource::Bot, format!("{}\nCustomer: {}", summary, mood.as_str())),
        None => (SummarySource::Extractive, render(&problem, &facts, &tried, mood)),
    };
    Summary {
        source,
        text,
        problem,
        amounts: facts.amounts,
        dates: facts.dates,
        references: facts.references,
        tried,
        mood,
    }
}

fn render(problem: &str, facts: &Facts, tried: &[String], mood: Mood) -> String {
    let mut out = String::new();
    if !problem.is_empty() {
        out.push_str("Problem: ");
        out.push_str(problem);
        out.push('\n');
    }
    let mentioned: Vec<&str> = facts
        .amounts
        .iter()
        .chain(&facts.dates)
        .chain(&facts.references)
        .map(String::as_str)
        .collect();
    if !mentioned.is_empty() {
        out.push_str("Mentioned: ");
        out.push_str(&mentioned.join(", "));
        out.push('\n');
    }
    if !tried.is_empty() {
        out.push_str("Bot tried: ");
        out.push_str(&tried.join(" | "));
        out.push('\n');
    }
    out.push_str("Customer: ");
    out.push_str(mood.as_str());
    out
}

/// How many of the customer's first messages compete to be the problem statement.
const PROBLEM_CANDIDATES: usize = 3;
const FIRST_MESSAGE_BONUS: usize = 4;

// The problem statement is the customer's own words: of their first few messages, the one
// that says most — words (a greeting counts for nothing, length stops counting at 12), above
// all facts (amounts, dates, references), and a head start for the first; the earliest on
// a tie.

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| !GREETINGS.iter().any(|g| g.eq_ignore_ascii_case(trim_word(w))))
        .count()
}

fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

const GREETINGS: &[&str] = &[
    "hi", "hello", "hey", "hiya", "good", "morning", "afternoon", "evening", "there", "please",
    "thanks",
];

/// A token without the punctuation around it (a full stop only at its end).
fn trim_token(raw: &str) -> &str {
    let token = raw
        .trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '!' | '?' | '(' | ')' | '"' | '\''));
    token.strip_suffix('.').unwrap_or(token)
}

fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric())
}

/// `text` cut to `max` characters at a word boundary when it can be, with "…".
pub(crate) fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(at) if at > max / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

/// Amounts, dates and references found in the customer's words.
#[derive(Debug, Default)]
struct Facts {
    amounts: Vec<String>,
    dates: Vec<String>,
    references: Vec<String>,
}

const CURRENCY_SYMBOLS: &[char] = &['$', '£', '€', '¥'];
const CURRENCY_WORDS: &[&str] =
    &["usd", "eur", "gbp", "dollars", "dollar", "pounds", "pound", "euros", "euro", "bucks"];
const REFERENCE_WORDS: &[&str] = &[
    "order", "invoice", "ticket", "case", "booking", "tracking", "reference", "ref",
    "confirmation", "transaction", "contract", "policy", "claim", "account",
];
const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
];
const DAY_WORDS: &[&str] = &[
    "today", "yesterday", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
];

impl Facts {
    /// Adds the facts of `text`; returns how many it mentions (repeats of known ones too).
    fn scan(&mut self, text: &str) -> usize {
        let mut found = 0;
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let folded_text = text.to_ascii_lowercase();
        let folded: Vec<&str> = folded_text.split_whitespace().collect();
        // A token already taken as a reference's id.
        let mut skip = usize::MAX;
        for (i, raw) in tokens.iter().enumerate() {
            if i == skip {
                continue;
            }
            let token = trim_token(raw);
            if token.is_empty() {
                continue;
            }
            // ASCII lowercasing keeps every byte where it was: the folded tokens line up.
            let lower = trim_token(folded[i]);
            let next = folded.get(i + 1).map(|t| trim_word(t));
            let prev = i.checked_sub(1).map(|p| trim_word(folded[p]));
            // Amounts: "$49.99", "£5", "49.99€", "49.99 USD", "EUR 30", "30 dollars".
            if token.starts_with(CURRENCY_SYMBOLS) && has_digit(token)
                || token.ends_with(CURRENCY_SYMBOLS)
                    && token.starts_with(|c: char| c.is_ascii_digit())
            {
                push_counted(&mut self.amounts, &mut found, token.to_owned());
                continue;
            }
            if is_number(token) {
                // The customer's own spelling of the currency is kept.
                if next.is_some_and(|w| CURRENCY_WORDS.contains(&w)) {
                    push_counted(
                        &mut self.amounts,
                        &mut found,
                        format!("{token} {}", trim_word(tokens[i + 1])),
                    );
                    continue;
                }
                if prev.is_some_and(|w| CURRENCY_WORDS.contains(&w)) {
                    push_counted(
                        &mut self.amounts,
                        &mut found,
                        format!("{} {token}", trim_word(tokens[i - 1])),
                    );
                    continue;
                }
            }
            // Dates: ISO and slashed dates, "12 March", "March 12", weekdays, "yesterday",
            // "last week".
            if is_numeric_date(token) {
                push_counted(&mut self.dates, &mut found, token.to_owned());
                continue;
            }
            if MONTHS.contains(&lower) {
                let before = i.checked_sub(1).and_then(|p| tokens.get(p)).copied();
                let after = tokens.get(i + 1).copied();
                let date = match (day_in(before), day_in(after)) {
                    (Some(d), _) => Some(format!("{d} {token}")),
                    (_, Some(d)) => Some(format!("{token} {d}")),
                    _ => None,
                };
                if let Some(date) = date {
                    push_counted(&mut self.dates, &mut found, date);
                }
                continue;
            }
            if DAY_WORDS.contains(&lower) {
                let phrase = match prev {
                    Some(p @ ("last" | "this" | "on" | "since")) => format!("{p} {token}"),
                    _ => token.to_owned(),
                };
                push_counted(&mut self.dates, &mut found, phrase);
                continue;
            }
            if (lower == "week" || lower == "month") && prev == Some("last") {
                push_counted(&mut self.dates, &mut found, format!("last {lower}"));
                continue;
            }
            // References: "#55321", "order 55321", "order number 55321", "ABC-12345".
            if let Some(id) = token.strip_prefix('#').filter(|t| has_digit(t)) {
                push_counted(&mut self.references, &mut found, format!("#{id}"));
                continue;
            }
            if REFERENCE_WORDS.contains(&lower) {
                let at = match next {
                    Some("number" | "no" | "id" | "") => i + 2,
                    _ => i + 1,
                };
                let raw = tokens.get(at).copied().unwrap_or_default();
                let hash = if raw.starts_with('#') { "#" } else { "" };
                let id = trim_word(raw);
                if is_reference(id) {
                    push_counted(&mut self.references, &mut found, format!("{lower} {hash}{id}"));
                    skip = at;
                }
                continue;
            }
            if is_code(token) && !self.references.iter().any(|r| r.ends_with(token)) {
                push_counted(&mut self.references, &mut found, token.to_owned());
            }
        }
        found
    }
}

/// The day of the month in a token ("12", "12th,"), if it is one.
fn day_in(token: Option<&str>) -> Option<&str> {
    token.map(trim_word).filter(|t| is_day(t))
}

fn push_counted(list: &mut Vec<String>, found: &mut usize, item: String) {
    *found += 1;
    push(list, item);
}

fn push(list: &mut Vec<String>, item: String) {
    if list.len() < MAX_ITEMS && !list.contains(&item) {
        list.push(item);
    }
}

/// "49", "49.99", "1,299.00".
fn is_number(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

fn is_day(t: &str) -> bool {
    let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &t[digits.len()..];
    (1..=2).contains(&digits.len())
        && digits.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
        && matches!(suffix, "" | "st" | "nd" | "rd" | "th")
}

/// "2024-03-15", "15/03/2024", "3/15".
fn is_numeric_date(t: &str) -> bool {
    if !t.starts_with(|c: char| c.is_ascii_digit()) || !t.contains(['-', '/']) {
        return false;
    }
    let parts: Vec<&str> = t.split(['-', '/']).collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    numeric
        && match parts.as_slice() {
            [y, m, d] if y.len() == 4 => m.len() <= 2 && d.len() <= 2,
            [d, m, y] => d.len() <= 2 && m.len() <= 2 && (y.len() == 2 || y.len() == 4),
            [a, b] => t.contains('/') && a.len() <= 2 && b.len() <= 2,
            _ => false,
        }
}

/// An id after "order", "invoice", …: has a digit, 3 to 40 characters, no spaces.
fn is_reference(t: &str) -> bool {
    (3..=40).contains(&t.len())
        && has_digit(t)
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '/')
}

/// A code standing on its own: letters and digits mixed, at least 6 characters ("AB-12345",
/// "X7Y8Z9QW").
fn is_code(t: &str) -> bool {
    let letters = t.chars().filter(char::is_ascii_alphabetic).count();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    t.len() >= 6
        && t.len() <= 40
        && letters >= 1
        && digits >= 3
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(role: Role, text: &str) -> Turn {
        Turn { role, text: text.into(), at_ms: 0 }
    }

    #[test]
    fn the_problem_is_the_first_substantive_customer_message() {
        let t = [
            turn(Role::Customer, "hi there"),
            turn(Role::Bot, "Hello! How can I help?"),
            turn(Role::Customer, "My router keeps dropping the connection every evening"),
        ];
        let s = summarize(&t, &[], None, Mood::Calm);
        assert_eq!(s.problem, "My router keeps dropping the connection every evening");
        assert_eq!(s.source, SummarySource::Extractive);
        assert!(s.text.starts_with("Problem: My router"), "{}", s.text);
    }

    #[test]
    fn long_statements_are_clipped_at_a_word() {
        let long = "word ".repeat(100);
        let s = summarize(&[turn(Role::Customer, &long)], &[], None, Mood::Calm);
        assert!(s.problem.ends_with('…'));
        assert!(s.problem.chars().count() <= MAX_PROBLEM_CHARS + 1);
    }

    #[test]
    fn amounts_dates_and_references() {
        let t = [turn(
            Role::Customer,
            "I was charged $49.99 twice on 12 March for order #55321, and again 30 EUR yesterday. \
             Invoice number INV-2024-0042 says 2024-03-15; my booking AB12345 too.",
        )];
        let s = summarize(&t, &[], None, Mood::Concerned);
        assert_eq!(s.amounts, ["$49.99", "30 EUR"]);
        assert_eq!(s.dates, ["12 March", "yesterday", "2024-03-15"]);
        assert_eq!(s.references, ["order #55321", "invoice INV-2024-0042", "booking AB12345"]);
    }

    #[test]
    fn the_bot_summary_wins_and_attempts_are_ranked() {
        let attempts = [
            Attempt { text: "Restart the router.".into(), confidence: 0.6 },
            Attempt { text: "Check the cable is plugged in.".into(), confidence: 0.9 },
            Attempt { text: "Restart the router.".into(), confidence: 0.6 },
        ];
        let t = [turn(Role::Customer, "internet down since Monday")];
        let s = summarize(
            &t,
            &attempts,
            Some("Customer's broadband is down since Monday."),
            Mood::Frustrated,
        );
        assert_eq!(s.source, SummarySource::Bot);
        assert!(s.text.starts_with("Customer's broadband is down since Monday."));
        assert!(s.text.ends_with("Customer: frustrated"));
        assert_eq!(s.tried, ["Check the cable is plugged in.", "Restart the router."]);
        assert_eq!(s.dates, ["since Monday"]);
        // Blank summaries do not count.
        assert_eq!(summarize(&t, &[], Some("  "), Mood::Calm).source, SummarySource::Extractive);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in ["", " ", "$", "£", "#", "order", "12/", "/12", "-", "ordér #é1", "€€€ 1,,2"]
        {
            let _ = summarize(&[turn(Role::Customer, text)], &[], None, Mood::Calm);
        }
        let _ = summarize(&[], &[], None, Mood::Calm);
    }
}
