//! `baton-loadgen --kill-every` end to end: the smoke scenario against a real `baton serve`
//! that the generator starts itself (this test binary run again as `faults::serve_child`),
//! kills with SIGKILL every second and a half, and starts again on the same port and data
//! directory. The generator's ledger, checked against the server after the last restart,
//! must show nothing acknowledged lost and nothing duplicated, and the kills must have
//! happened. Against `baton serve --ephemeral`, which forgets everything at a kill, the same
//! check must find losses (it is not vacuous). Latency is not asserted: the machine is
//! shared, and the kills break it anyway.

use std::time::Duration;

use baton_loadgen::{FaultOptions, Mode, Options, Scenario, Signal, Target};

use crate::durable::TempDir;

const DIR_ENV: &str = "BATON_FAULTS_CHILD_DIR";
const LISTEN_ENV: &str = "BATON_FAULTS_CHILD_LISTEN";

/// Not a test of its own: the server process of the tests below, on a fixed address (the
/// generator restarts it there), on a data directory or, for `-`, `--ephemeral`.
#[test]
#[ignore = "run by the fault-injection test as its server process"]
fn serve_child() {
    let (Ok(dir), Ok(listen)) = (std::env::var(DIR_ENV), std::env::var(LISTEN_ENV)) else {
        return;
    };
    // The generator holds our stdin open: if it dies outright (a killed test run), stdin
    // ends and so do we, so no server outlives the test.
    std::thread::spawn(|| {
        let mut byte = [0u8; 1];
        let _ = std::io::Read::read(&mut std::io::stdin(), &mut byte);
        std::process::exit(3);
    });
    let mut args = vec!["baton", "serve", "--listen", &listen, "--admin", "127.0.0.1:0"];
    match dir.as_str() {
        "-" => args.push("--ephemeral"),
        dir => args.extend(["--data-dir", dir]),
    }
    let mut streams = baton_engine::cli::Streams {
        stdin: std::io::empty(),
        stdout: std::io::stdout(),
        stderr: std::io::stderr(),
    };
    let code = baton_engine::cli::run(args, &mut streams);
    std::process::exit(i32::from(code));
}

/// A loopback port nobody listens on now (the server binds it again after every kill).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.local_addr().expect("its address").port()
}

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The smoke scenario against a server the generator starts with the data directory `dir`
/// (`-`: `--ephemeral`) on a free port, and kills every `every`.
fn options(dir: &str, every: Duration) -> Options {
    let listen = format!("127.0.0.1:{}", free_port());
    let exe = std::env::current_exe().expect("the test binary");
    let restart = format!(
        "{DIR_ENV}={} {LISTEN_ENV}={listen} RUST_LOG=warn exec {} --ignored --exact \
         faults::serve_child --nocapture --test-threads=1 >/dev/null 2>&1",
        quoted(dir),
        quoted(&exe.to_string_lossy()),
    );
    Options {
        scenario: Scenario::load("smoke").expect("smoke is built in"),
        mode: Mode::Target(Target {
            url: format!("ws://{listen}"),
            api_key: baton_engine::config::DEV_API_KEY.into(),
            token_secret: baton_engine::config::DEV_TOKEN_SECRET.into(),
            metrics: None,
        }),
        rate_factor: 1.0,
        // Three seconds of arrivals and three of drain (smoke runs 30× real time).
        duration_s: Some(90.0),
        msgpack: false,
        connections: 2,
        progress: false,
        data_dir: None,
        faults: Some(FaultOptions { kill_every: every, restart, signal: Signal::Kill }),
    }
}

async fn run(options: Options) -> baton_loadgen::Report {
    tokio::time::timeout(Duration::from_secs(60), baton_loadgen::run(options))
        .await
        .expect("the run ends within a minute")
        .expect("the run completes")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_under_load_the_server_loses_and_duplicates_nothing() {
    let dir = TempDir::new("faults");
    let report = run(options(&dir.0.to_string_lossy(), Duration::from_millis(1500))).await;
    let human = report.human();
    let faults = report.faults.as_ref().expect("a faults section");
    assert!(faults.kills >= 2, "the server was killed more than once:\n{human}");
    assert_eq!(faults.recovery.accepting_ms.count, faults.kills, "it came back each time");
    assert!(faults.recovery.first_success_ms.count >= 1, "requests succeeded after a kill");
    let ops = &faults.operations;
    assert!(ops.acked > 50, "the load went on through the kills:\n{human}");
    assert_eq!(ops.invoked, ops.acked + ops.failed + ops.unknown);
    assert!(faults.conversations_checked > 10, "{human}");
    assert_eq!(faults.lost, 0, "nothing acknowledged was lost:\n{human}");
    assert_eq!(faults.duplicated, 0, "nothing was duplicated:\n{human}");
    assert_eq!(report.conversations.lost, 0, "every opened conversation is there:\n{human}");
    assert!(faults.final_stop.is_empty(), "the last server stopped on SIGTERM: {human}");
    assert!(report.slo.passed, "{human}");
    assert!(human.contains("faults ") && human.contains("recovery"), "{human}");
    let json = serde_json::to_value(&report).expect("json");
    for field in ["kills", "operations", "lost", "duplicated", "recovery"] {
        assert!(json["faults"].get(field).is_some(), "faults.{field}: {json}");
    }
    eprintln!("{human}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_forgets_at_a_kill_is_caught() {
    let report = run(options("-", Duration::from_millis(2000))).await;
    let human = report.human();
    let faults = report.faults.as_ref().expect("a faults section");
    assert!(faults.kills >= 1, "{human}");
    assert!(faults.lost > 0, "an ephemeral server loses what it acknowledged:\n{human}");
    assert!(faults.notes.iter().any(|n| n.contains("unknown to the server")), "{human}");
    assert!(!report.slo.passed, "and fails the verdict:\n{human}");
    assert!(human.contains("SLO FAIL  faults.lost"), "{human}");
    eprintln!("{human}");
}
