//! How often each Rust VADER implementation agrees with Python vaderSentiment 3.3.2 on the
//! golden files (all four scores within 1e-4), to back the choice of scorer:
//!
//!     cargo run --release -p baton-benches --example crate_agreement
//!
//! The tweets golden file holds scores only; their texts are read from ../shared.

#![allow(clippy::print_stdout)] // an example reports on stdout

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

type Scorer = Box<dyn Fn(&str) -> [f64; 4]>;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let cases = golden_cases(&root);
    let sentimental = vader_sentimental::SentimentIntensityAnalyzer::new();
    let parity = vader_parity::SentimentIntensityAnalyzer::new();
    let scorers: Vec<(&str, Scorer)> = vec![
        (
            "baton",
            Box::new(|t| {
                let s = baton_engine::sentiment::polarity_scores(t);
                [s.compound, s.pos, s.neu, s.neg]
            }),
        ),
        (
            "vader-sentimental 0.1.3",
            Box::new(move |t| {
                let s = sentimental.polarity_scores(t);
                [s.compound, s.pos, s.neu, s.neg]
            }),
        ),
        (
            "vader-parity 0.1.0",
            Box::new(move |t| {
                let s = parity.polarity_scores(t);
                [s.compound, s.pos, s.neu, s.neg]
            }),
        ),
    ];
    println!("{} golden texts", cases.len());
    for (name, score) in &scorers {
        let (mut agree, mut max_diff) = (0, 0.0f64);
        for (text, want) in &cases {
            let got = score(text);
            let worst = got.iter().zip(want).fold(0.0f64, |m, (g, w)| m.max((g - w).abs()));
            max_diff = max_diff.max((got[0] - want[0]).abs());
            agree += usize::from(worst <= 1e-4);
        }
        println!(
            "{name:26} agrees on {agree:5} / {}  max |compound diff| {max_diff:.4}",
            cases.len()
        );
    }
}

fn scores(v: &Value) -> [f64; 4] {
    ["compound", "pos", "neu", "neg"].map(|k| v[k].as_f64().expect("score"))
}

fn golden_cases(root: &Path) -> Vec<(String, [f64; 4])> {
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut cases: Vec<(String, [f64; 4])> = read(root.join("tests/golden/vader_probes.jsonl"))
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON");
            (v["text"].as_str().expect("text").to_owned(), scores(&v))
        })
        .collect();
    let tweets = root.join("../shared/data/vader/tweets_GroundTruth.txt");
    if let Ok(raw) = std::fs::read_to_string(&tweets) {
        let golden: HashMap<String, [f64; 4]> = read(root.join("tests/golden/vader_tweets.jsonl"))
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("JSON");
                (v["id"].as_str().expect("id").to_owned(), scores(&v))
            })
            .collect();
        for line in
            raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).filter(|l| !l.is_empty())
        {
            let mut f = line.splitn(3, '\t');
            let (id, _, text) = (f.next().expect("id"), f.next(), f.next().expect("text"));
            cases.push((text.to_owned(), golden[id]));
        }
    } else {
        eprintln!("{} absent: probes only", tweets.display());
    }
    cases
}
