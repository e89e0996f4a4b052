//! `baton`: the command line. `score` and `replay` run the decision core on text and
//! recorded conversations; `config` prints the effective configuration.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use baton_engine::config::Config;
use baton_engine::escalation::Load;
use baton_engine::ingest::Decider;
use baton_engine::replay::{Summary, replay_line};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

#[derive(Debug, Parser)]
#[command(
    name = "baton",
    version,
    about = "Decides when an AI chat must go to a human"
)]
struct Cli {
    /// TOML configuration (built-in defaults when absent; `baton config` prints them).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score TEXT, or every line of stdin, as JSON: sentiment, explicit request, topic.
    Score {
        /// The text to score; without it, one text per line is read from stdin.
        text: Option<String>,
    },
    /// Replay conversations (JSONL) through the decider; prints one JSON line each.
    Replay {
        /// Input file; `-` or absent for stdin.
        input: Option<PathBuf>,
        /// Also write a summary (handoff rate, by reason, by topic) to this path.
        #[arg(long, value_name = "PATH")]
        summary: Option<PathBuf>,
        /// Load level the decisions are made under.
        #[arg(long, value_enum, default_value_t = LoadArg::Normal)]
        load: LoadArg,
    },
    /// Print the effective configuration as TOML.
    Config,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LoadArg {
    Normal,
    Elevated,
    High,
    Critical,
}

impl From<LoadArg> for Load {
    fn from(load: LoadArg) -> Load {
        match load {
            LoadArg::Normal => Load::Normal,
            LoadArg::Elevated => Load::Elevated,
            LoadArg::High => Load::High,
            LoadArg::Critical => Load::Critical,
        }
    }
}

/// A `baton score` line (DESIGN.md §5).
#[derive(Debug, Serialize)]
struct ScoreLine<'a> {
    text: &'a str,
    compound: f64,
    pos: f64,
    neu: f64,
    neg: f64,
    explicit_request: bool,
    topic: Option<&'a str>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("baton: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Ok(false) when some input lines failed (each already reported on stderr).
fn run(cli: Cli) -> anyhow::Result<bool> {
    let config = match &cli.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    match cli.command {
        Command::Config => {
            io::stdout().lock().write_all(config.to_toml().as_bytes())?;
            Ok(true)
        }
        Command::Score { text } => score(&Decider::new(config)?, text.as_deref()),
        Command::Replay {
            input,
            summary,
            load,
        } => replay(&Decider::new(config)?, input, summary, load.into()),
    }
}

fn score(decider: &Decider, text: Option<&str>) -> anyhow::Result<bool> {
    let mut out = BufWriter::new(io::stdout().lock());
    if let Some(text) = text {
        write_score(decider, &mut out, text)?;
        out.flush()?;
        return Ok(true);
    }
    let mut ok = true;
    for_each_line(io::stdin().lock(), |n, line| match line {
        Ok(text) => write_score(decider, &mut out, text).map_err(Into::into),
        Err(e) => {
            ok = false;
            eprintln!("line {n}: {e}");
            Ok(())
        }
    })?;
    out.flush()?;
    Ok(ok)
}

fn write_score(decider: &Decider, out: &mut impl Write, text: &str) -> io::Result<()> {
    let (scores, detection) = decider.analyse(text);
    let line = ScoreLine {
        text,
        compound: scores.compound,
        pos: scores.pos,
        neu: scores.neu,
        neg: scores.neg,
        explicit_request: detection.explicit_request,
        topic: detection.topic.map(|t| decider.policy().topic_name(t)),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

fn replay(
    decider: &Decider,
    input: Option<PathBuf>,
    summary_path: Option<PathBuf>,
    load: Load,
) -> anyhow::Result<bool> {
    let reader: Box<dyn BufRead> = match input {
        Some(path) if path.as_os_str() != "-" => Box::new(BufReader::new(
            File::open(&path).with_context(|| format!("cannot open {}", path.display()))?,
        )),
        _ => Box::new(io::stdin().lock()),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut summary = Summary::default();
    let mut failed = 0usize;
    for_each_line(reader, |n, line| {
        let result = line.map_err(|e| e.to_string()).and_then(|line| {
            if line.trim().is_empty() {
                return Ok(None);
            }
            replay_line(decider, line, load)
                .map(Some)
                .map_err(|e| e.to_string())
        });
        match result {
            Ok(None) => {}
            Ok(Some(outcome)) => {
                summary.add(&outcome);
                serde_json::to_writer(&mut out, &outcome)?;
                out.write_all(b"\n")?;
            }
            Err(e) => {
                failed += 1;
                eprintln!("line {n}: {e}");
            }
        }
        Ok(())
    })?;
    out.flush()?;
    if let Some(path) = summary_path {
        let file =
            File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        let mut writer = BufWriter::new(file);
        serde_json::to_writer_pretty(&mut writer, &summary)?;
        writer.write_all(b"\n")?;
        writer.flush()?;
    }
    if failed > 0 {
        eprintln!("baton: {failed} line(s) failed; the others were replayed");
    }
    Ok(failed == 0)
}

/// Calls `f` with each line (1-based number; without its `\n` or `\r\n`), or with the
/// reason it is not UTF-8. Stops at the first I/O error.
fn for_each_line(
    mut reader: impl BufRead,
    mut f: impl FnMut(usize, Result<&str, std::str::Utf8Error>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    for n in 1.. {
        buf.clear();
        if reader
            .read_until(b'\n', &mut buf)
            .context("cannot read input")?
            == 0
        {
            break;
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        f(n, std::str::from_utf8(line))?;
    }
    Ok(())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}
