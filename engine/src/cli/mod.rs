//! The `baton` command line, as a library function over injected stdin/stdout/stderr so
//! tests drive exactly what the binary runs. `score` and `replay` run the decision core on
//! text and recorded conversations; `config` prints the effective configuration.
//!
//! Exit codes: 0 success; 1 some input lines failed (each named on stderr, the rest
//! processed); 2 usage, configuration or I/O error.

mod audit;
mod train;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::config::{Config, EngineConfig};
use crate::escalation::Load;
use crate::escalation::ModelLine;
use crate::ingest::Decider;
use crate::replay::{Summary, replay_line_with};
use crate::server::auth::{AgentClaims, mint, unix_now_s};

#[derive(Debug, Parser)]
#[command(name = "baton", version, about = "Decides when an AI chat must go to a human")]
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
        /// Also write a summary (handoff rate, by reason, by topic, repeat-contact rate,
        /// sentiment before the handoff) to this path.
        #[arg(long, value_name = "PATH")]
        summary: Option<PathBuf>,
        /// Add to each escalated conversation's line the context packet an agent with the
        /// default clearance would receive.
        #[arg(long)]
        context: bool,
        /// Load level the decisions are made under.
        #[arg(long, value_enum, default_value_t = LoadArg::Normal)]
        load: LoadArg,
    },
    /// Print the effective configuration as TOML.
    Config,
    /// Train a model (explicit request and topics) from labelled JSONL lines
    /// (`{"text": "...", "labels": ["explicit_request"]}`), deterministically from a seed;
    /// prints precision, recall and F1 per label on the held-out rows and writes the model.
    Train(train::TrainArgs),
    /// Serve the gateway and agent WebSocket endpoints and Prometheus metrics until SIGINT or
    /// SIGTERM (PROTOCOL.md). Secrets may come from BATON_API_KEYS (comma-separated) and
    /// BATON_TOKEN_SECRET instead of the configuration file.
    Serve {
        /// Address for the WebSocket endpoints (default `server.listen`, 127.0.0.1:7878).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Address for `/metrics` (default `server.admin_listen`, 127.0.0.1:9464).
        #[arg(long, value_name = "ADDR")]
        admin: Option<String>,
        /// Where conversations, queues, callbacks and customers are kept across restarts
        /// (default `store.data_dir`, else ./baton-data; created on first run).
        #[arg(long, value_name = "DIR", conflicts_with = "ephemeral")]
        data_dir: Option<PathBuf>,
        /// Keep everything in memory: a restart loses every conversation (tests, demos).
        #[arg(long)]
        ephemeral: bool,
    },
    /// Print the audit trail (logins, logouts, packets and transcripts delivered, refusals,
    /// configurations loaded) as JSON lines, oldest first. Reads the data directory, or the
    /// running server's admin endpoint while a server holds it.
    Audit {
        /// The data directory (default `store.data_dir`, else ./baton-data).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// Only records about this conversation.
        #[arg(long, value_name = "ID")]
        conversation: Option<String>,
        /// Only records this agent made.
        #[arg(long, value_name = "ID")]
        agent: Option<String>,
        /// From this time on: RFC 3339 in UTC (2026-12-01T09:00:00Z), Unix milliseconds, or
        /// a span ago (30m, 24h, 7d).
        #[arg(long, value_name = "T")]
        since: Option<String>,
        /// The running server's admin address (default `server.admin_listen`).
        #[arg(long, value_name = "ADDR")]
        admin: Option<String>,
    },
    /// Mint a signed agent token (for testing; production tokens come from your identity
    /// service, signed with the same `server.token_secret`).
    Token {
        /// The agent's id.
        #[arg(long)]
        agent: String,
        /// Skills with proficiency 1-5, e.g. `billing:4,general:2`.
        #[arg(long, value_name = "SKILL:LEVEL,...")]
        skills: String,
        /// Conversations the agent takes at once.
        #[arg(long, default_value_t = 2)]
        capacity: u32,
        /// Display name shown to customers.
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, default_value = "")]
        team: String,
        /// A sensitive topic the agent is cleared for (repeatable).
        #[arg(long = "clearance", value_name = "TOPIC")]
        clearances: Vec<String>,
        /// Seconds until the token expires.
        #[arg(long, default_value_t = 8 * 3600)]
        ttl_s: u64,
    },
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
    /// The rules and the model together, as decisions use them.
    explicit_request: bool,
    topic: Option<&'a str>,
    /// How frustrated the message reads on its own (0..1), and the cues behind it.
    frustration: FrustrationFinding,
    /// The rules alone.
    rules: Finding<'a>,
    /// The model's scores (absent with `[model] enabled = false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<ModelLine>,
}

/// The frustration part of a `baton score` line: the score and what it read.
#[derive(Debug, Serialize)]
struct FrustrationFinding {
    score: f64,
    persistence: u8,
    waiting: u8,
    complaint: u8,
    profanity: u8,
    shouting: f64,
    punctuation: u8,
}

#[derive(Debug, Serialize)]
struct Finding<'a> {
    explicit_request: bool,
    topic: Option<&'a str>,
}

/// The standard streams a command runs against.
#[derive(Debug)]
pub struct Streams<I, O, E> {
    pub stdin: I,
    pub stdout: O,
    pub stderr: E,
}

/// Runs `baton` with `args` (program name first) and returns the exit code.
pub fn run<I: BufRead, O: Write, E: Write>(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    streams: &mut Streams<I, O, E>,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let rendered = e.render().to_string();
            let out: &mut dyn Write =
                if code == 0 { &mut streams.stdout } else { &mut streams.stderr };
            // Nothing more useful to do if the terminal is gone.
            let _ = out.write_all(rendered.as_bytes());
            return code;
        }
    };
    match command(cli, streams) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            let _ = writeln!(streams.stderr, "baton: {e:#}");
            2
        }
    }
}

/// `billing:4,general:2` as (skill, proficiency) pairs.
fn parse_skills(text: &str) -> anyhow::Result<Vec<(String, u8)>> {
    text.split(',')
        .map(|item| {
            let (skill, level) = item
                .trim()
                .split_once(':')
                .with_context(|| format!("skill `{item}`: write SKILL:LEVEL, e.g. billing:4"))?;
            let level: u8 =
                level.parse().ok().filter(|l| (1..=5).contains(l)).with_context(|| {
                    format!("skill `{skill}`: proficiency must be 1 to 5, not `{level}`")
                })?;
            crate::ids::check(crate::ids::IdKind::Label, skill)
                .map_err(|rule| anyhow::anyhow!("skill {rule}"))?;
            Ok((skill.to_owned(), level))
        })
        .collect()
}

/// Ok(false) when some input lines failed (each already reported on stderr).
fn command<I: BufRead, O: Write, E: Write>(
    cli: Cli,
    streams: &mut Streams<I, O, E>,
) -> anyhow::Result<bool> {
    let config = match &cli.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    match cli.command {
        Command::Config => {
            streams.stdout.write_all(config.to_toml().as_bytes())?;
            streams.stdout.flush()?;
            Ok(true)
        }
        Command::Train(args) => train::run(args, &mut streams.stdout).map(|()| true),
        Command::Score { text } => score(&config.decider()?, text.as_deref(), streams),
        Command::Replay { input, summary, load, context } => {
            let decider = config.decider()?;
            let (engine, _server) = config.split();
            let context = context.then_some(&engine);
            replay(&decider, input, summary, (load.into(), context), streams)
        }
        Command::Serve { listen, admin, data_dir, ephemeral } => {
            let mut config = config;
            config.store.data_dir = match (ephemeral, data_dir) {
                (true, _) => None,
                (false, Some(dir)) => Some(dir),
                (false, None) => config.store.data_dir.or_else(|| Some("baton-data".into())),
            };
            let source = cli
                .config
                .as_ref()
                .map_or("built-in defaults".into(), |p| format!("{}", p.display()));
            let addrs = crate::serve::Addrs { listen, admin };
            crate::serve::run(config, &source, addrs, &mut streams.stdout).map(|()| true)
        }
        Command::Audit { data_dir, conversation, agent, since, admin } => {
            let now_ms = unix_now_s().saturating_mul(1000);
            let since_ms = match since {
                Some(since) => audit::parse_since(&since, now_ms)?,
                None => 0,
            };
            let args = audit::AuditArgs {
                data_dir: data_dir
                    .unwrap_or_else(|| audit::default_dir(config.store.data_dir.as_deref())),
                admin: admin.unwrap_or(config.server.admin_listen),
                filter: crate::journal::AuditFilter { conversation, agent, since_ms },
            };
            let mut out = BufWriter::new(&mut streams.stdout);
            audit::print(&args, &mut out)?;
            out.flush()?;
            Ok(true)
        }
        Command::Token { agent, skills, capacity, name, team, clearances, ttl_s } => {
            let claims = AgentClaims {
                agent,
                name,
                team,
                skills: parse_skills(&skills)?,
                capacity,
                clearances,
                exp: unix_now_s().saturating_add(ttl_s),
            };
            if config.server.token_secret == crate::config::DEV_TOKEN_SECRET {
                writeln!(streams.stderr, "baton: signed with the built-in development secret")?;
            }
            let secret = std::env::var("BATON_TOKEN_SECRET").unwrap_or(config.server.token_secret);
            writeln!(streams.stdout, "{}", mint(&claims, &secret))?;
            Ok(true)
        }
    }
}

fn score<I: BufRead, O: Write, E: Write>(
    decider: &Decider,
    text: Option<&str>,
    streams: &mut Streams<I, O, E>,
) -> anyhow::Result<bool> {
    let Streams { stdin, stdout, stderr } = streams;
    let mut out = BufWriter::new(stdout);
    if let Some(text) = text {
        write_score(decider, &mut out, text)?;
        out.flush()?;
        return Ok(true);
    }
    let mut ok = true;
    for_each_line(stdin, |n, line| match line {
        Ok(text) => write_score(decider, &mut out, text).map_err(Into::into),
        Err(e) => {
            ok = false;
            writeln!(stderr, "line {n}: {e}")?;
            Ok(())
        }
    })?;
    out.flush()?;
    Ok(ok)
}

fn write_score(decider: &Decider, out: &mut impl Write, text: &str) -> io::Result<()> {
    let a = decider.analyse(text);
    let name = |t: crate::escalation::TopicId| decider.policy().topic_name(t);
    let line = ScoreLine {
        text,
        compound: a.scores.compound,
        pos: a.scores.pos,
        neu: a.scores.neu,
        neg: a.scores.neg,
        explicit_request: a.detection.explicit_request,
        topic: a.detection.topic.map(name),
        frustration: FrustrationFinding {
            score: (a.frustration() * 1000.0).round() / 1000.0,
            persistence: a.detection.cues.persistence,
            waiting: a.detection.cues.waiting,
            complaint: a.detection.cues.complaint,
            profanity: a.detection.cues.profanity,
            shouting: (f64::from(a.detection.cues.shouting) * 1000.0).round() / 1000.0,
            punctuation: a.detection.cues.punctuation,
        },
        rules: Finding {
            explicit_request: a.rules.explicit_request,
            topic: a.rules.topic.map(name),
        },
        model: a.model.as_ref().map(|m| m.line(decider.policy())),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

fn replay<I: BufRead, O: Write, E: Write>(
    decider: &Decider,
    input: Option<PathBuf>,
    summary_path: Option<PathBuf>,
    (load, context): (Load, Option<&EngineConfig>),
    streams: &mut Streams<I, O, E>,
) -> anyhow::Result<bool> {
    let Streams { stdin, stdout, stderr } = streams;
    let reader: Box<dyn BufRead + '_> = match input {
        Some(path) if path.as_os_str() != "-" => Box::new(BufReader::new(
            File::open(&path).with_context(|| format!("cannot open {}", path.display()))?,
        )),
        _ => Box::new(stdin),
    };
    let mut out = BufWriter::new(stdout);
    let mut summary = Summary::default();
    let mut failed = 0usize;
    for_each_line(reader, |n, line| {
        let result = line.map_err(|e| e.to_string()).and_then(|line| {
            if line.trim().is_empty() {
                return Ok(None);
            }
            replay_line_with(decider, line, load, context).map(Some).map_err(|e| e.to_string())
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
                writeln!(stderr, "line {n}: {e}")?;
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
        writeln!(stderr, "baton: {failed} line(s) failed; the others were replayed")?;
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
        if reader.read_until(b'\n', &mut buf).context("cannot read input")? == 0 {
            break;
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        f(n, std::str::from_utf8(line))?;
    }
    Ok(())
}

/// A closed stdout (`baton score < big | head`) ends the command quietly.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let kind = cause.downcast_ref::<io::Error>().map(io::Error::kind).or_else(|| {
            cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind)
        });
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}
