//! `baton-loadgen`: runs a scenario against Baton and prints the report.
//!
//! Exit codes: 0 every SLO held; 1 an SLO failed (or a conversation was lost); 2 usage,
//! scenario or connection error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use baton_loadgen::{Mode, Options, Scenario, Target};
use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "baton-loadgen",
    version,
    about = "Open-loop load scenarios against Baton, with SLO verdicts"
)]
struct Cli {
    /// A built-in scenario (smoke, steady, spike, agent-outage, callback-storm) or a TOML file.
    #[arg(long, default_value = "spike")]
    scenario: String,
    /// Drive a running `baton serve` at this address (`ws://host:port`) instead of an
    /// embedded one.
    #[arg(long, value_name = "URL", conflicts_with = "in_process")]
    target: Option<String>,
    /// Call the engine API directly: no network (separates engine cost from network cost).
    #[arg(long)]
    in_process: bool,
    /// Also write the JSON report here (`-` for stdout, the human report then goes to stderr).
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,
    /// Scenario seconds of arrivals (overrides the scenario's `duration_s`).
    #[arg(long, value_name = "S")]
    duration: Option<f64>,
    /// Multiplies every arrival rate of the scenario.
    #[arg(long, default_value_t = 1.0, value_name = "F")]
    rate_factor: f64,
    /// Frame encoding over the network.
    #[arg(long, default_value = "json", value_parser = ["json", "msgpack"])]
    encoding: String,
    /// Gateway connections over the network.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Gateway API key for --target (else BATON_API_KEY, else the development key).
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,
    /// Secret that signs agent tokens for --target (else BATON_TOKEN_SECRET, else the
    /// development secret).
    #[arg(long, value_name = "SECRET")]
    token_secret: Option<String>,
    /// The target's metrics (`http://host:9464/metrics`), for the engine's estimator accuracy
    /// and memory.
    #[arg(long, value_name = "URL")]
    metrics: Option<String>,
    /// Keep the embedded engine's journal in this (empty or new) directory, as `baton serve`
    /// does; without it the embedded engine keeps everything in memory.
    #[arg(long, value_name = "DIR", conflicts_with = "target")]
    data_dir: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// List the built-in scenarios and exit.
    #[arg(long)]
    list: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(passed) => ExitCode::from(if passed { 0 } else { 1 }),
        Err(e) => {
            eprintln!("baton-loadgen: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<bool> {
    let mut stdout = std::io::stdout().lock();
    if cli.list {
        for (name, _) in baton_loadgen::scenario::BUILT_IN {
            let scenario = Scenario::load(name)?;
            writeln!(stdout, "{name:<16} {}", scenario.description)?;
        }
        return Ok(true);
    }
    if !(cli.rate_factor.is_finite() && cli.rate_factor > 0.0)
        || cli.duration.is_some_and(|d| !(d.is_finite() && d > 0.0))
    {
        anyhow::bail!("--rate-factor and --duration must be positive");
    }
    let scenario = Scenario::load(&cli.scenario)?;
    let mode = match (&cli.target, cli.in_process) {
        (Some(url), _) => Mode::Target(Target {
            url: url.trim_end_matches('/').to_owned(),
            api_key: cli
                .api_key
                .clone()
                .or_else(|| std::env::var("BATON_API_KEY").ok())
                .unwrap_or_else(|| baton_engine::config::DEV_API_KEY.into()),
            token_secret: cli
                .token_secret
                .clone()
                .or_else(|| std::env::var("BATON_TOKEN_SECRET").ok())
                .unwrap_or_else(|| baton_engine::config::DEV_TOKEN_SECRET.into()),
            metrics: cli.metrics.clone(),
        }),
        (None, true) => Mode::InProcess,
        (None, false) => Mode::Embedded,
    };
    let options = Options {
        scenario,
        mode,
        rate_factor: cli.rate_factor,
        duration_s: cli.duration,
        msgpack: cli.encoding == "msgpack",
        connections: cli.connections,
        progress: !cli.quiet && std::io::stderr().is_terminal(),
        data_dir: cli.data_dir.clone(),
    };
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("runtime")?;
    let report = runtime.block_on(baton_loadgen::run(options))?;
    let json = serde_json::to_string_pretty(&report)?;
    match cli.json.as_deref() {
        Some(path) if path.as_os_str() == "-" => {
            eprint!("{}", report.human());
            writeln!(stdout, "{json}")?;
        }
        Some(path) => {
            std::fs::write(path, format!("{json}\n"))
                .with_context(|| format!("cannot write {}", path.display()))?;
            write!(stdout, "{}", report.human())?;
        }
        None => write!(stdout, "{}", report.human())?,
    }
    Ok(report.slo.passed)
}
