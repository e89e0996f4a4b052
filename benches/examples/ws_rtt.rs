//! Round-trip time over loopback from a `customer_message` frame to its `decision` frame,
//! against a running `baton serve`, at a fixed open-loop rate (messages are sent on schedule
//! whether or not replies have come back), and memory per idle gateway connection.
//!
//! ```text
//! baton serve &
//! cargo run --release -p baton-benches --example ws_rtt -- rtt --rate 1000 --seconds 10 --encoding json
//! cargo run --release -p baton-benches --example ws_rtt -- idle --connections 2000 --pid $(pidof baton)
//! ```
//!
//! RTT is measured from when each frame was actually written. The sender's lag behind its
//! schedule is reported beside it, to show the offered rate was really offered (tokio's timer
//! has millisecond granularity, so a lag up to about 1 ms is the timer, not the sender).
//! Client and server share this machine's cores.

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
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().expect("a value after each option");
        match arg.as_str() {
            "rtt" | "idle" => args.mode = arg,
            "--url" => args.url = value(),
            "--key" => args.key = value(),
            "--rate" => args.rate = value().parse().expect("--rate N"),
            "--seconds" => args.seconds = value().parse().expect("--seconds N"),
            "--encoding" => args.encoding = value(),
            "--connections" => args.connections = value().parse().expect("--connections N"),
            "--conversations" => args.conversations = value().parse().expect("--conversations N"),
            "--pid" => args.pid = Some(value().parse().expect("--pid N")),
            other => panic!("unknown argument {other}"),
        }
    }
    args
}

async fn connect(args: &Args) -> Ws {
    let mut request = format!("{}/v1/gateway", args.url).into_client_request().unwrap();
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
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0;
    [at(0.5), at(0.99), at(0.999), at(1.0)]
}

const TEXTS: [&str; 4] = [
    "Where is my parcel? It was due yesterday.", "Can I change the delivery address on my order?",
    "ok thanks, and how long does shipping take to Canada",
    "The tracking page says it left the depot this morning",
];

async fn rtt(args: &Args) {
    let msgpack = args.encoding == "msgpack";
    let run = std::process::id();
    let mut sockets = Vec::new();
    for c in 0..args.connections {
        let mut ws = connect(args).await;
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
    let total = args.rate * args.seconds;
    let interval_ns = 1_000_000_000 / args.rate;
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
            let deadline = Duration::from_secs(30);
            while actual.len() < expected {
                let Ok(Some(Ok(message))) = tokio::time::timeout(deadline, stream.next()).await
                else {
                    break;
                };
                let now = start.elapsed().as_nanos() as u64;
                let Some(frame) = decode(&message) else { continue };
                if frame["type"] != "decision" {
                    continue;
                }
                let seq: u64 = frame["ref"].as_str().and_then(|r| r.parse().ok()).unwrap();
                actual.push(now - sent[seq as usize].load(Relaxed));
            }
            actual
        }));
        let sent = Arc::clone(&sent_at);
        let (connections, conversations) = (args.connections as u64, args.conversations as u64);
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
            let finished = start.elapsed();
            // Keep the socket open until the replies are in.
            tokio::time::sleep(Duration::from_secs(2)).await;
            drop(sink);
            finished
        }));
    }
    let mut sending = Duration::ZERO;
    for w in writers {
        sending = sending.max(w.await.unwrap());
    }
    let mut actual = Vec::new();
    for r in readers {
        actual.extend(r.await.unwrap());
    }
    let mut lag: Vec<u64> = (0..total)
        .map(|seq| sent_at[seq as usize].load(Relaxed).saturating_sub(seq * interval_ns))
        .collect();
    let achieved = total as f64 / sending.as_secs_f64();
    let lost = total as usize - actual.len();
    let [a50, a99, a999, amax] = summary(&mut actual);
    let [l50, l99, _, _] = summary(&mut lag);
    println!(
        "{} rate {}/s ({:.0}/s achieved) {} msgs over {} connections: rtt median {a50:.0} µs p99 {a99:.0} µs p99.9 {a999:.0} µs max {amax:.0} µs; sender lag median {l50:.0} µs p99 {l99:.0} µs; {lost} unanswered",
        args.encoding, args.rate, achieved, total, args.connections
    );
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
    let warm: Vec<Ws> = futures_util::future::join_all((0..10).map(|_| connect(args))).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(pid);
    let mut sockets = Vec::new();
    for _ in 0..args.connections {
        sockets.push(connect(args).await);
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
        _ => rtt(&args).await,
    }
}
