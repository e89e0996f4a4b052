//! Round-trip time over loopback from a `customer_message` frame to its `decision` frame,
//! against a running `baton serve`, at a fixed open-loop rate (messages are sent on schedule
//! whether or not replies have come back), the server's CPU per message, and memory per idle
//! gateway connection.
//!
//! ```text
//! baton serve --ephemeral &
//! cargo run --release -p baton-benches --example ws_rtt -- rtt --rate 1000 --seconds 10 --encoding json --pid $(pidof baton)
//! cargo run --release -p baton-benches --example ws_rtt -- idle --connections 2000 --pid $(pidof baton)
//! ```
//!
//! With `--pid`, the server's CPU time (user + system, every thread, from `/proc/PID/stat`)
//! from just before the first message to the last reply, divided by the messages: what one
//! message costs the server, idle work (timers, the metrics sampler) included. `/proc` counts
//! in 10 ms ticks, so a 10 s run at 1,000/s reads to about ±1 µs per message.
//!
//! **Against the bare stack, side by side.** `bare_ws` is an axum WebSocket server answering
//! the same frames with fixed replies and no engine. `compare` runs every rate against every
//! target, `--rounds` times, alternating which target goes first, and prints the medians over
//! the rounds with each target's CPU per message as a ratio to the first target's:
//!
//! ```text
//! cargo build --release -p baton-engine --bin baton -p baton-benches --example bare_ws --example ws_rtt
//! target/release/baton serve --ephemeral & BATON=$!
//! target/release/examples/bare_ws --listen 127.0.0.1:7879 & BARE=$!
//! target/release/examples/ws_rtt compare --rates 1000,10000,20000 --seconds 10 --rounds 3 \
//!     --target bare=ws://127.0.0.1:7879@$BARE --target baton=ws://127.0.0.1:7878@$BATON
//! kill $BATON $BARE
//! ```
//!
//! (`benches/net_floor.sh` does exactly this.) Each run opens its own 1,000 conversations
//! first (not measured). RTT is measured from when each frame was actually written. The
//! sender's lag behind its schedule is reported beside it, to show the offered rate was really
//! offered (tokio's timer has millisecond granularity, so a lag up to about 1 ms is the timer,
//! not the sender). Client and servers share this machine's cores.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

struct Args {
    mode: String,
    url: String,
    key: String,
    rate: u64,
    seconds: u64,
    encoding: String,
    connections: usize,
    conversations: usize,
    pid: Option<u32>,
    targets: Vec<Target>,
    rates: Vec<u64>,
    rounds: usize,
}

/// A server to compare (`--target NAME=URL[@PID]`).
struct Target {
    name: String,
    url: String,
    pid: Option<u32>,
}

fn target(spec: &str) -> Target {
    let (name, rest) = spec.split_once('=').expect("--target NAME=URL[@PID]");
    let (url, pid) = match rest.rsplit_once('@') {
        Some((url, pid)) => (url, Some(pid.parse().expect("--target NAME=URL@PID"))),
        None => (rest, None),
    };
    Target { name: name.to_owned(), url: url.to_owned(), pid }
}

fn args() -> Args {
    let mut args = Args {
        mode: "rtt".into(),
        url: "ws://127.0.0.1:7878".into(),
        key: "dev-gateway-key".into(),
        rate: 1000,
        seconds: 10,
        encoding: "json".into(),
        connections: 4,
        conversations: 1000,
        pid: None,
        targets: Vec::new(),
        rates: vec![1000, 10_000, 20_000],
        rounds: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().expect("a value after each option");
        match arg.as_str() {
            "rtt" | "idle" | "compare" => args.mode = arg,
            "--url" => args.url = value(),
            "--key" => args.key = value(),
            "--rate" => args.rate = value().parse().expect("--rate N"),
            "--seconds" => args.seconds = value().parse().expect("--seconds N"),
            "--encoding" => args.encoding = value(),
            "--connections" => args.connections = value().parse().expect("--connections N"),
            "--conversations" => args.conversations = value().parse().expect("--conversations N"),
            "--pid" => args.pid = Some(value().parse().expect("--pid N")),
            "--target" => args.targets.push(target(&value())),
            "--rates" => {
                args.rates =
                    value().split(',').map(|r| r.parse().expect("--rates N,N,…")).collect();
            }
            "--rounds" => args.rounds = value().parse().expect("--rounds N"),
            other => panic!("unknown argument {other}"),
        }
    }
    args
}

async fn connect(args: &Args, url: &str) -> Ws {
    let mut request = format!("{url}/v1/gateway").into_client_request().unwrap();
    let protocol = if args.encoding == "msgpack" { "baton.v1.msgpack" } else { "baton.v1.json" };
    request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static(protocol));
    let bearer = HeaderValue::from_str(&format!("Bearer {}", args.key)).unwrap();
    request.headers_mut().insert("authorization", bearer);
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(request, None, true).await.expect("connect");
    let _hello = ws.next().await;
    ws
}

fn encode(frame: &Value, msgpack: bool) -> Message {
    if msgpack {
        Message::binary(rmp_serde::to_vec_named(frame).unwrap())
    } else {
        Message::text(frame.to_string())
    }
}

fn decode(message: &Message) -> Option<Value> {
    match message {
        Message::Text(text) => serde_json::from_str(text).ok(),
        Message::Binary(bytes) => rmp_serde::from_slice(bytes).ok(),
        _ => None,
    }
}

/// Sorted samples in nanoseconds → (median, p99, p99.9, max) in microseconds.
fn summary(samples: &mut [u64]) -> [f64; 4] {
    if samples.is_empty() {
        return [f64::NAN; 4];
    }
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0;
    [at(0.5), at(0.99), at(0.999), at(1.0)]
}

const TEXTS: [&str; 4] = [
    "Where is my parcel? It was due yesterday.", "Can I change the delivery address on my order?",
    "ok thanks, and how long does shipping take to Canada",
    "The tracking page says it left the depot this morning",
];

/// One measured run against one server.
struct Run {
    achieved: f64,
    total: u64,
    lost: usize,
    /// Answered with an error frame.
    errors: usize,
    /// Round trips: median, p99, p99.9, max (µs).
    rtt: [f64; 4],
    /// Sender lag behind the schedule: median, p99 (µs).
    lag: [f64; 2],
    /// Server CPU (user + system) per message (µs), with `--pid`.
    cpu_per_msg: Option<f64>,
}

impl Run {
    fn line(&self, encoding: &str, rate: u64, connections: usize) -> String {
        let [a50, a99, a999, amax] = self.rtt;
        let [l50, l99] = self.lag;
        let cpu = self.cpu_per_msg.map_or(String::new(), |c| format!("; server CPU {c:.1} µs/msg"));
        format!(
            "{encoding} rate {rate}/s ({:.0}/s achieved) {} msgs over {connections} connections: rtt median {a50:.0} µs p99 {a99:.0} µs p99.9 {a999:.0} µs max {amax:.0} µs{cpu}; sender lag median {l50:.0} µs p99 {l99:.0} µs; {} errors, {} unanswered",
            self.achieved, self.total, self.errors, self.lost
        )
    }
}

/// Linux's `USER_HZ`: the unit of `/proc/PID/stat`'s CPU times (100 on every Linux ABI).
const TICKS_PER_S: f64 = 100.0;

/// User + system CPU seconds the process has used, all its threads (live and gone) included.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("server process");
    // After the command name in parentheses: state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields[i - 3].parse::<f64>().expect("a tick count");
    (ticks(14) + ticks(15)) / TICKS_PER_S
}

async fn rtt_run(args: &Args, url: &str, pid: Option<u32>, rate: u64, tag: &str) -> Run {
    let msgpack = args.encoding == "msgpack";
    let run = format!("{}-{tag}", std::process::id());
    let mut sockets = Vec::new();
    for c in 0..args.connections {
        let mut ws = connect(args, url).await;
        for i in (c..args.conversations).step_by(args.connections) {
            let open = json!({"type": "open", "conversation": format!("rtt-{run}-{i}"), "customer": format!("u{i}")});
            ws.send(encode(&open, msgpack)).await.unwrap();
            loop {
                let frame = decode(&ws.next().await.unwrap().unwrap());
                if frame.is_some_and(|f| f["type"] == "ok" || f["type"] == "error") {
                    break;
                }
            }
        }
        sockets.push(ws);
    }
    let total = rate * args.seconds;
    let interval_ns = 1_000_000_000 / rate;
    let sent_at: Arc<Vec<AtomicU64>> = Arc::new((0..total).map(|_| AtomicU64::new(0)).collect());
    let start = Instant::now() + Duration::from_millis(100);
    let mut readers = Vec::new();
    let mut writers = Vec::new();
    for (c, ws) in sockets.into_iter().enumerate() {
        let (mut sink, mut stream) = ws.split();
        let expected = (c as u64..total).step_by(args.connections).count();
        let sent = Arc::clone(&sent_at);
        readers.push(tokio::spawn(async move {
            let mut actual = Vec::with_capacity(expected);
            let mut errors = 0usize;
            let deadline = Duration::from_secs(30);
            while actual.len() + errors < expected {
                let Ok(Some(Ok(message))) = tokio::time::timeout(deadline, stream.next()).await
                else {
                    break;
                };
                let now = start.elapsed().as_nanos() as u64;
                let Some(frame) = decode(&message) else { continue };
                if frame["type"] == "error" && frame.get("ref").is_some() {
                    errors += 1;
                    continue;
                }
                if frame["type"] != "decision" {
                    continue;
                }
                let seq: u64 = frame["ref"].as_str().and_then(|r| r.parse().ok()).unwrap();
                actual.push(now - sent[seq as usize].load(Relaxed));
            }
            (actual, errors, stream)
        }));
        let sent = Arc::clone(&sent_at);
        let (connections, conversations) = (args.connections as u64, args.conversations as u64);
        let run = run.clone();
        writers.push(tokio::spawn(async move {
            let mut seq = c as u64;
            while seq < total {
                tokio::time::sleep_until(start + Duration::from_nanos(seq * interval_ns)).await;
                let conversation = format!("rtt-{run}-{}", seq % conversations);
                let text = TEXTS[(seq / conversations) as usize % TEXTS.len()];
                let frame = json!({"type": "customer_message", "ref": seq.to_string(), "conversation": conversation, "text": text});
                sent[seq as usize].store(start.elapsed().as_nanos() as u64, Relaxed);
                sink.send(encode(&frame, msgpack)).await.unwrap();
                seq += connections;
            }
            (start.elapsed(), sink)
        }));
    }
    // The server's CPU from just before the first message to the last reply.
    tokio::time::sleep_until(start).await;
    let cpu_before = pid.map(cpu_seconds);
    let mut sending = Duration::ZERO;
    let mut sinks = Vec::new();
    for w in writers {
        let (finished, sink) = w.await.unwrap();
        sending = sending.max(finished);
        sinks.push(sink);
    }
    let (mut actual, mut errors) = (Vec::new(), 0);
    let mut streams = Vec::new();
    for r in readers {
        let (samples, errored, stream) = r.await.unwrap();
        actual.extend(samples);
        errors += errored;
        streams.push(stream);
    }
    let cpu_after = pid.map(cpu_seconds);
    // Closed only now, so that the close is not in the window.
    drop((sinks, streams));
    let mut lag: Vec<u64> = (0..total)
        .map(|seq| sent_at[seq as usize].load(Relaxed).saturating_sub(seq * interval_ns))
        .collect();
    let lost = total as usize - actual.len() - errors;
    let [l50, l99, _, _] = summary(&mut lag);
    Run {
        achieved: total as f64 / sending.as_secs_f64(),
        total,
        lost,
        errors,
        rtt: summary(&mut actual),
        lag: [l50, l99],
        cpu_per_msg: cpu_before
            .zip(cpu_after)
            .map(|(before, after)| (after - before) * 1e6 / total as f64),
    }
}

async fn rtt(args: &Args) {
    let run = rtt_run(args, &args.url, args.pid, args.rate, "0").await;
    println!("{}", run.line(&args.encoding, args.rate, args.connections));
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

/// Every target at every rate, `--rounds` times, alternating the order of the targets from
/// one round to the next; then the medians over the rounds and the CPU ratio to the first
/// target.
async fn compare(args: &Args) {
    assert!(!args.targets.is_empty(), "compare needs --target NAME=URL[@PID], at least one");
    // results[rate][target] = the runs.
    let mut results: Vec<Vec<Vec<Run>>> =
        args.rates.iter().map(|_| args.targets.iter().map(|_| Vec::new()).collect()).collect();
    for round in 0..args.rounds {
        for (r, &rate) in args.rates.iter().enumerate() {
            let mut order: Vec<usize> = (0..args.targets.len()).collect();
            if (round + r) % 2 == 1 {
                order.reverse();
            }
            for t in order {
                let target = &args.targets[t];
                let tag = format!("{round}-{rate}");
                let run = rtt_run(args, &target.url, target.pid, rate, &tag).await;
                println!(
                    "round {} {}: {}",
                    round + 1,
                    target.name,
                    run.line(&args.encoding, rate, args.connections)
                );
                results[r][t].push(run);
                // Let the server settle (connections closed, timers quiet) before the next.
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    println!(
        "\nmedians over {} rounds ({}, {} connections, {} s per run):",
        args.rounds, args.encoding, args.connections, args.seconds
    );
    println!(
        "| rate | server | RTT median | p99 | p99.9 | CPU/msg | CPU ratio to {} | errors + unanswered |",
        args.targets[0].name
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (r, &rate) in args.rates.iter().enumerate() {
        let cpu = |runs: &[Run]| {
            let mut c: Vec<f64> = runs.iter().filter_map(|run| run.cpu_per_msg).collect();
            (!c.is_empty()).then(|| median(&mut c))
        };
        let base = cpu(&results[r][0]);
        for (t, target) in args.targets.iter().enumerate() {
            let runs = &results[r][t];
            let of = |i: usize| median(&mut runs.iter().map(|run| run.rtt[i]).collect::<Vec<_>>());
            let this = cpu(runs);
            let ratio = match (this, base) {
                (Some(c), Some(b)) if b > 0.0 => format!("{:.2}×", c / b),
                _ => "—".into(),
            };
            let lost: usize = runs.iter().map(|run| run.lost + run.errors).sum();
            println!(
                "| {rate}/s | {} | {:.0} µs | {:.0} µs | {:.0} µs | {} | {ratio} | {lost} |",
                target.name,
                of(0),
                of(1),
                of(2),
                this.map_or("—".into(), |c| format!("{c:.1} µs")),
            );
        }
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("server process");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("VmRSS")
}

async fn idle(args: &Args) {
    let pid = args.pid.expect("--pid of the baton serve process");
    // Warm the server's allocator with a few connections first.
    let warm: Vec<Ws> =
        futures_util::future::join_all((0..10).map(|_| connect(args, &args.url))).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(pid);
    let mut sockets = Vec::new();
    for _ in 0..args.connections {
        sockets.push(connect(args, &args.url).await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(pid);
    let per = (after - before) as f64 * 1024.0 / args.connections as f64;
    println!(
        "{} idle {} gateway connections: server RSS {before} KiB -> {after} KiB, {per:.0} bytes per connection",
        args.encoding, args.connections
    );
    drop((warm, sockets));
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = args();
    match args.mode.as_str() {
        "idle" => idle(&args).await,
        "compare" => compare(&args).await,
        _ => rtt(&args).await,
    }
}
