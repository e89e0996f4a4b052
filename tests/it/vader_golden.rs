//! The scorer against Python vaderSentiment 3.3.2 (golden files from
//! `tools/golden/vader_golden.py`), and its quality against human ratings.

use std::collections::HashMap;

use baton_engine::sentiment::{Scores, polarity_scores};
use serde_json::Value;

use crate::data::{data_file, golden_file};

const TOLERANCE: f64 = 1e-4;

fn expected(line: &Value) -> Scores {
    let field = |name: &str| line[name].as_f64().expect("golden score is a number");
    Scores { compound: field("compound"), pos: field("pos"), neu: field("neu"), neg: field("neg") }
}

/// Compares every text; returns the largest |Δcompound| and panics listing the texts that
/// differ by more than the tolerance in any score.
fn compare(cases: impl Iterator<Item = (String, String, Scores)>) -> (usize, f64) {
    let (mut n, mut max_diff, mut failures) = (0, 0.0f64, Vec::new());
    for (label, text, want) in cases {
        let got = polarity_scores(&text);
        n += 1;
        max_diff = max_diff.max((got.compound - want.compound).abs());
        let worst = [
            got.compound - want.compound,
            got.pos - want.pos,
            got.neu - want.neu,
            got.neg - want.neg,
        ]
        .into_iter()
        .fold(0.0f64, |m, d| m.max(d.abs()));
        if worst > TOLERANCE {
            failures.push(format!("{label} {text:?}: got {got:?}, python {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} texts differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (n, max_diff)
}

#[test]
fn probes_match_python() {
    let golden = std::fs::read_to_string(golden_file("vader_probes.jsonl")).expect("golden file");
    let cases = golden.lines().enumerate().map(|(i, line)| {
        let v: Value = serde_json::from_str(line).expect("golden line is JSON");
        let text = v["text"].as_str().expect("text").to_owned();
        (format!("probe {}", i + 1), text, expected(&v))
    });
    let (n, max_diff) = compare(cases);
    assert!(n >= 500, "the probe set shrank to {n}");
    eprintln!("vader probes: {n} texts, max |compound - python| = {max_diff:e}");
}

/// `(id, human mean, text)` of the tweets set (`tests/data/vader`, MIT); the parse matches the
/// golden script's.
fn tweets() -> Vec<(String, f64, String)> {
    let path = data_file("vader/tweets_GroundTruth.txt");
    let raw = std::fs::read_to_string(path).expect("tweets file is UTF-8");
    let rows = raw
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let id = fields.next().expect("id").to_owned();
            let mean = fields.next().and_then(|m| m.parse().ok()).expect("human mean");
            (id, mean, fields.next().expect("text").to_owned())
        })
        .collect::<Vec<_>>();
    assert_eq!(rows.len(), 4200, "the tweets set has 4,200 rows");
    rows
}

#[test]
fn tweets_match_python() {
    let tweets = tweets();
    let golden = std::fs::read_to_string(golden_file("vader_tweets.jsonl")).expect("golden file");
    let by_id: HashMap<String, Scores> = golden
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("golden line is JSON");
            (v["id"].as_str().expect("id").to_owned(), expected(&v))
        })
        .collect();
    assert_eq!(by_id.len(), tweets.len(), "golden file and tweets set disagree on size");
    let cases = tweets.into_iter().map(|(id, _, text)| {
        let want = by_id[&id];
        (format!("tweet {id}"), text, want)
    });
    let (n, max_diff) = compare(cases);
    eprintln!("vader tweets: {n} texts, max |compound - python| = {max_diff:e}");
}

#[test]
fn compound_tracks_human_ratings() {
    let tweets = tweets();
    let (xs, ys): (Vec<f64>, Vec<f64>) =
        tweets.iter().map(|(_, mean, text)| (polarity_scores(text).compound, *mean)).unzip();
    let r = pearson(&xs, &ys);
    eprintln!("pearson r(compound, human mean) over {} tweets = {r:.4}", xs.len());
    // Hutto & Gilbert (2014) report r = 0.881 for VADER on this set.
    assert!(r > 0.85, "r = {r}");
}

fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let cov: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let vx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let vy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}
