//! `baton-loadgen`: runs a scenario against Baton and prints the report.
//!
//! Exit codes: 0 every SLO held; 1 an SLO failed (or a conversation was lost; with
//! `--kill-every`, an acknowledged operation lost or one duplicated); 2 usage, scenario or
//! connection error (or a server that did not come back after a kill). With
//! `--find-max-rate`: 0 a rate met every SLO and no trial lost a conversation; 1 no rate
//! tried met them, or a trial lost one; 2 as above.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use baton_loadgen::faults::parse_duration;
use baton_loadgen::{FaultOptions, Mode, Options, Scenario, Signal, Target};
use clap::Parser;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "baton-loadgen",
    version,
    about = "Open-loop load scenarios against Baton, with SLO verdicts"
)]
struct Cli {
    /// A built-in scenario (smoke, steady, spike, agent-outage, callback-storm, scale) or a
    /// TOML file.
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
    /// Multiplies every arrival rate of the scenario (with --find-max-rate: the first trial's).
    #[arg(long, default_value_t = 1.0, value_name = "F")]
    rate_factor: f64,
    /// Multiplies every agent pool by the rate factor too, so staffing grows with traffic.
    #[arg(long)]
    scale_agents: bool,
    /// Search for the highest rate factor that meets every SLO: trials double the factor until
    /// one fails, then bisect; prints each trial and the knee.
    #[arg(long, conflicts_with_all = ["kill_every", "data_dir"])]
    find_max_rate: bool,
    /// With --find-max-rate: stop once the failing factor is within this share of the passing one.
    #[arg(long, default_value_t = 0.05, value_name = "SHARE", requires = "find_max_rate")]
    search_tolerance: f64,
    /// With --find-max-rate: at most this many trials.
    #[arg(long, default_value_t = 20, value_name = "N", requires = "find_max_rate")]
    search_trials: usize,
    /// With --find-max-rate: settle each end of the bracket by a majority of N trials at its
    /// factor (1: one trial decides).
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), requires = "find_max_rate")]
    search_repeats: u64,
    /// With --find-max-rate: lengthen a trial (up to 8 times --duration) so that it should
    /// decide at least N messages (0: never lengthen).
    #[arg(long, default_value_t = 1000, value_name = "N", requires = "find_max_rate")]
    search_min_decisions: u64,
    /// With --find-max-rate: the highest factor tried.
    #[arg(long, default_value_t = 1024.0, value_name = "F", requires = "find_max_rate")]
    search_max_factor: f64,
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
    /// Kill the server every DURATION (`20s`, `500ms`, `2m`) under load and start it again
    /// with --restart; the run then checks what the server kept against what it acknowledged.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires_all = ["target", "restart"])]
    kill_every: Option<std::time::Duration>,
    /// The shell command (`sh -c`) that runs the --target server in the foreground: with
    /// --kill-every the generator starts it, kills it (its process group) and starts it again.
    #[arg(long, value_name = "CMD", requires = "kill_every")]
    restart: Option<String>,
    /// How each kill is sent: `kill` (SIGKILL, a crash) or `term` (SIGTERM, a graceful restart).
    #[arg(long, value_name = "SIGNAL", default_value = "kill", value_parser = ["kill", "term"], requires = "kill_every")]
    kill_signal: String,
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
    let result = if cli.find_max_rate && !cli.list { search(cli) } else { run(cli) };
    match result {
        Ok(passed) => ExitCode::from(if passed { 0 } else { 1 }),
        Err(e) => {
            eprintln!("baton-loadgen: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The options of one run (the first trial's, for a search).
fn options(cli: &Cli) -> anyhow::Result<Options> {
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
        faults: cli.kill_every.zip(cli.restart.clone()).map(|(kill_every, restart)| FaultOptions {
            kill_every,
            restart,
            signal: if cli.kill_signal == "term" { Signal::Term } else { Signal::Kill },
        }),
    };
    Ok(options)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("runtime")
}

/// `--json`: `-` is stdout (the text then goes to stderr), else a file.
fn write_json(path: &std::path::Path, json: &str) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        writeln!(std::io::stdout().lock(), "{json}")?;
        return Ok(());
    }
    std::fs::write(path, format!("{json}\n"))
        .with_context(|| format!("cannot write {}", path.display()))
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
    let mut options = options(&cli)?;
    if cli.scale_agents {
        options.scenario.scale_agents(cli.rate_factor);
    }
    let faulted = options.faults.is_some();
    let runtime = runtime()?;
    let report = runtime.block_on(async {
        if !faulted {
            return baton_loadgen::run(options).await.map(Some);
        }
        // The server runs in its own process group, out of reach of a Ctrl-C at the terminal:
        // on SIGINT or SIGTERM the run is dropped, and with it the server process (killed).
        tokio::select! {
            report = baton_loadgen::run(options) => report.map(Some),
            () = interrupted() => Ok(None),
        }
    });
    // Every task goes with the runtime, the kill loop (and so its server) included.
    drop(runtime);
    let Some(report) = report? else {
        anyhow::bail!("interrupted: the server it started is stopped")
    };
    let json = serde_json::to_string_pretty(&report)?;
    match cli.json.as_deref() {
        Some(path) if path.as_os_str() == "-" => eprint!("{}", report.human()),
        _ => write!(stdout, "{}", report.human())?,
    }
    drop(stdout);
    if let Some(path) = cli.json.as_deref() {
        write_json(path, &json)?;
    }
    Ok(report.slo.passed)
}

/// `--find-max-rate`: one line per trial as it ends, then the summary (on stderr when the
/// JSON goes to stdout).
fn search(cli: Cli) -> anyhow::Result<bool> {
    let options = options(&cli)?;
    let search = baton_loadgen::Search {
        start: cli.rate_factor,
        tolerance: cli.search_tolerance,
        max_trials: cli.search_trials,
        max_factor: cli.search_max_factor,
        scale_agents: cli.scale_agents,
        repeats: usize::try_from(cli.search_repeats).unwrap_or(usize::MAX),
        min_decisions: cli.search_min_decisions,
    };
    let to_stderr = cli.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let say = |text: &str| {
        if to_stderr {
            eprint!("{text}");
        } else {
            let mut stdout = std::io::stdout().lock();
            let _ = write!(stdout, "{text}");
            let _ = stdout.flush();
        }
    };
    let runtime = runtime()?;
    let report = runtime.block_on(baton_loadgen::find_max_rate(options, search, |trial| {
        say(&format!("{}\n", trial.line()));
    }));
    drop(runtime);
    let report = report?;
    say(&report.human());
    if let Some(path) = cli.json.as_deref() {
        write_json(path, &serde_json::to_string_pretty(&report)?)?;
    }
    Ok(report.passed)
}

async fn interrupted() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).ok();
    let term = async {
        match term.as_mut() {
            Some(term) => drop(term.recv().await),
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("baton-loadgen").chain(args.iter().copied()))
    }

    /// Against a target, with these flags.
    fn aimed(args: &[&str]) -> Result<Cli, clap::Error> {
        parse(&[&["--target", "ws://127.0.0.1:7801"][..], args].concat())
    }

    #[test]
    fn kill_every_needs_a_target_and_a_restart_command() {
        let ok = aimed(&["--kill-every", "500ms", "--restart", "baton serve"]).expect("parses");
        assert_eq!(ok.kill_every, Some(std::time::Duration::from_millis(500)));
        assert_eq!(ok.restart.as_deref(), Some("baton serve"));
        assert_eq!(ok.kill_signal, "kill");

        let missing = [
            parse(&["--kill-every", "20s", "--restart", "baton serve"]),
            aimed(&["--kill-every", "20s"]),
            aimed(&["--restart", "baton serve"]),
            aimed(&["--kill-signal", "term"]),
        ];
        for refused in missing {
            let error = refused.expect_err("refused");
            assert_eq!(error.kind(), clap::error::ErrorKind::MissingRequiredArgument, "{error}");
        }
        let error = aimed(&["--kill-every", "soon", "--restart", "x"]).expect_err("a duration");
        assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(error.to_string().contains("soon"), "{error}");
        let error = aimed(&["--kill-every", "2m", "--restart", "x", "--kill-signal", "hup"])
            .expect_err("kill or term");
        assert_eq!(error.kind(), clap::error::ErrorKind::InvalidValue);
        // Without --kill-every nothing changes.
        let plain = aimed(&[]).expect("parses");
        assert!(plain.kill_every.is_none() && plain.restart.is_none());
    }

    #[test]
    fn the_search_flags_need_find_max_rate_and_exclude_faults_and_a_journal() {
        let search =
            parse(&["--find-max-rate", "--search-trials", "4", "--in-process"]).expect("parses");
        assert!(search.find_max_rate && search.in_process);
        assert_eq!((search.search_trials, search.search_tolerance), (4, 0.05));
        assert_eq!((search.search_repeats, search.search_min_decisions), (3, 1000));
        let error = parse(&["--find-max-rate", "--search-repeats", "0"]).expect_err("at least 1");
        assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation, "{error}");
        let error = parse(&["--search-tolerance", "0.1"]).expect_err("needs --find-max-rate");
        assert_eq!(error.kind(), clap::error::ErrorKind::MissingRequiredArgument, "{error}");
        for refused in [
            parse(&["--find-max-rate", "--data-dir", "/tmp/x"]),
            aimed(&["--find-max-rate", "--kill-every", "5s", "--restart", "baton serve"]),
        ] {
            let error = refused.expect_err("refused");
            assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict, "{error}");
        }
    }
}
