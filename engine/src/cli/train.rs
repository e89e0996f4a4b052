//! `baton train`: a model from labelled JSONL, deterministic from a seed, with the held-out
//! figures printed per label (see `model::train`).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::model::train::{self, Example, Options, Report};

/// `baton train`'s arguments.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// A JSONL file of labelled texts (repeatable; read in the order given).
    #[arg(long = "data", value_name = "FILE", required = true)]
    pub data: Vec<PathBuf>,
    /// Where to write the model (`[model] file` in the configuration reads it).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long, default_value_t = Options::default().seed)]
    pub seed: u64,
    /// Passes over the training rows.
    #[arg(long, default_value_t = Options::default().epochs)]
    pub epochs: u32,
    /// The model has 2^BITS feature buckets (10 to 22).
    #[arg(long, default_value_t = Options::default().bits)]
    pub bits: u32,
    /// Rows are split by a hash of their text into FOLDS parts ...
    #[arg(long, default_value_t = Options::default().folds)]
    pub folds: u32,
    /// ... and part FOLD is held out, to calibrate the thresholds and to report on.
    #[arg(long, default_value_t = Options::default().fold)]
    pub fold: u32,
    /// Calibrate each topic's threshold for the best held-out F1 among those with at least
    /// this precision (when any reaches it).
    #[arg(long, default_value_t = Options::default().min_precision)]
    pub min_precision: f32,
    /// The same for `explicit_request` (a false request hands a customer over for nothing).
    #[arg(long, default_value_t = Options::default().request_min_precision)]
    pub request_min_precision: f32,
    /// L2 penalty on the weights each row touches: it keeps the rare n-grams small, so a
    /// short text with nothing known in it scores near the label's prior.
    #[arg(long, default_value_t = Options::default().l2)]
    pub l2: f32,
}

/// One input line: `{"text": "...", "labels": ["explicit_request"]}`, or `"label": "..."`
/// for one label; other keys are ignored.
#[derive(Debug, Deserialize)]
struct Line {
    text: String,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    label: Option<String>,
}

/// Each input file's name and SHA-256, as the model records them.
type Sources = Vec<(String, String)>;

/// Reads every file's rows, in order; returns them with each file's (name, SHA-256).
pub fn read(paths: &[PathBuf]) -> anyhow::Result<(Vec<Example>, Sources)> {
    let mut rows = Vec::new();
    let mut sources = Vec::new();
    for path in paths {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let sum: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        sources.push((name, sum));
        for (n, line) in BufReader::new(&bytes[..]).lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}: not UTF-8", path.display(), n + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let parsed: Line = serde_json::from_str(&line).with_context(|| {
                format!("{}:{}: expected {{\"text\", \"labels\"}}", path.display(), n + 1)
            })?;
            let mut labels = parsed.labels;
            labels.extend(parsed.label.filter(|l| !l.is_empty()));
            labels.sort();
            labels.dedup();
            rows.push(Example { text: parsed.text, labels });
        }
    }
    Ok((rows, sources))
}

/// Trains, writes the model to `args.out`, and prints the report.
pub fn run(args: TrainArgs, stdout: &mut impl Write) -> anyhow::Result<()> {
    let (rows, sources) = read(&args.data)?;
    let options = Options {
        seed: args.seed,
        epochs: args.epochs,
        bits: args.bits,
        folds: args.folds,
        fold: args.fold,
        min_precision: args.min_precision,
        request_min_precision: args.request_min_precision,
        l2: args.l2,
        sources,
        ..Options::default()
    };
    let out = &args.out;
    let (model, report) = train::train(&rows, &options)?;
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    print_report(stdout, &report)?;
    writeln!(
        stdout,
        "wrote {} ({} bytes, {} labels, 2^{} buckets, sha256 {})",
        out.display(),
        bytes.len(),
        model.labels().len(),
        model.bits(),
        model.checksum_hex()
    )?;
    Ok(())
}

fn print_report(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "trained on {} rows; held out {} (precision, recall and F1 below are theirs)",
        report.train_rows, report.held_out_rows
    )?;
    writeln!(
        out,
        "{:<24} {:>9} {:>7} {:>9} {:>7} {:>7}",
        "label", "threshold", "support", "precision", "recall", "f1"
    )?;
    for l in &report.labels {
        writeln!(
            out,
            "{:<24} {:>9.3} {:>7} {:>9.3} {:>7.3} {:>7.3}",
            l.label, l.threshold, l.support, l.precision, l.recall, l.f1
        )?;
    }
    Ok(())
}
