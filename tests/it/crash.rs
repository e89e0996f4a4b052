//! The crash harness: the real `baton serve` on a temporary data directory, driven over its
//! WebSocket gateway, killed with SIGKILL at a random moment and started again, round after
//! round, or stopped by a crash point armed in it (`BATON_FAULT_ABORT`: after a batch is
//! written and before anything waiting on it is answered, half-way through a group of writes,
//! in the middle of recovery). A client-side ledger records every request as invoked, then
//! acknowledged, refused or unknown (no answer before the kill). After each restart every conversation is resumed:
//! whatever was acknowledged is there (an `ok` for `open`, `ask_for_human` or `close` is a
//! promise), nothing is duplicated (the queued customers' places are exactly 0..n), and a
//! conversation whose last request got no answer is in one of the states it could reach.
//!
//! The server is this test binary run again as a child (`serve_child` below runs
//! `baton serve` itself through `baton_engine::cli::run`), so the test needs no binary beside
//! it. Rounds: `BATON_CRASH_ROUNDS` (default 30); the last round stops with SIGTERM instead,
//! which must lose nothing either. In every other round the journal's writer waits 20 ms
//! before each batch (a failpoint of fault-injection builds), which holds the window between
//! a change and its write open: with replies sent before their writes (tried by hand), the
//! harness fails within a few rounds.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use crate::durable::TempDir;

const CHILD_ENV: &str = "BATON_CRASH_CHILD_DIR";

/// Not a test of its own: the server process of [`a_killed_server_loses_nothing_it_acknowledged`].
#[test]
#[ignore = "run by the crash harness as its server process"]
fn serve_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    // The parent holds our stdin open: if it dies (a killed test run), stdin ends and so do
    // we, so no server outlives the harness.
    std::thread::spawn(|| {
        let mut byte = [0u8; 1];
        let _ = std::io::Read::read(&mut std::io::stdin(), &mut byte);
        std::process::exit(3);
    });
    let args =
        ["baton", "serve", "--data-dir", &dir, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"];
    let mut streams = baton_engine::cli::Streams {
        stdin: std::io::empty(),
        stdout: std::io::stdout(),
        stderr: std::io::stderr(),
    };
    let code = baton_engine::cli::run(args, &mut streams);
    std::process::exit(i32::from(code));
}

/// A running server process and where it listens. Dropped without `kill` or `terminate`
/// (a failed check panicking), it kills the process, so no server outlives the test.
struct Server {
    child: Child,
    url: String,
    /// The child's stdin, held here (`Child::wait` would close it): while it is open the
    /// child serves.
    _stdin: Option<std::process::ChildStdin>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Server {
    /// Starts `baton serve`; `slow_journal` delays every journal batch by that many ms (a
    /// fault-injection build's failpoint), so kills land between changes and their writes.
    fn start(dir: &TempDir, slow_journal: u64) -> Server {
        match Server::try_start(dir, slow_journal, None) {
            Ok(server) => server,
            Err(status) => panic!("the server did not start: {status}"),
        }
    }

    /// Starts `baton serve` with a crash point armed (`BATON_FAULT_ABORT=POINT:N`, see
    /// `journal::fault`); `Err` with how it ended if it died before it served.
    fn try_start(dir: &TempDir, slow_journal: u64, abort: Option<&str>) -> Result<Server, String> {
        let exe = std::env::current_exe().expect("the test binary");
        let mut command = Command::new(exe);
        command
            .args(["--ignored", "--exact", "crash::serve_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &dir.0)
            .env("RUST_LOG", "warn")
            .env("BATON_FAULT_JOURNAL_DELAY_MS", slow_journal.to_string())
            .env_remove("BATON_FAULT_ABORT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(abort) = abort {
            command.env("BATON_FAULT_ABORT", abort);
        }
        let mut child = command.spawn().expect("the server process starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let mut url = None;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // libtest prints the test's name on the same line first.
            if let Some((_, rest)) = line.split_once("baton serving on ") {
                url = rest.split("/v1/gateway").next().map(str::to_owned);
                break;
            }
        }
        let Some(url) = url else {
            let _ = child.kill();
            let status = child.wait();
            return Err(format!("{status:?}"));
        };
        Ok(Server { child, url, _stdin: stdin })
    }

    /// SIGKILL: no chance to write anything more.
    /// Returns whether it had already stopped on its own (an armed crash point).
    fn kill(mut self) -> bool {
        let crashed = matches!(self.child.try_wait(), Ok(Some(_)));
        let _ = self.child.kill();
        let _ = self.child.wait();
        crashed
    }

    /// SIGTERM, the way a deploy stops it; it must exit 0.
    fn terminate(mut self) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("exit");
        assert!(exit.success(), "baton serve exited {exit:?} on SIGTERM");
    }
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(url: &str) -> Ws {
    let mut request = format!("{url}/v1/gateway").into_client_request().expect("request");
    let headers = request.headers_mut();
    headers.insert("sec-websocket-protocol", HeaderValue::from_static("baton.v1.json"));
    let bearer = format!("Bearer {}", baton_engine::config::DEV_API_KEY);
    headers.insert("authorization", HeaderValue::from_str(&bearer).expect("header"));
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.expect("connects");
    let hello = next_frame(&mut ws).await.expect("hello");
    assert_eq!(hello["type"], "hello");
    ws
}

/// The next frame, `None` once the connection is gone (the server was killed).
async fn next_frame(ws: &mut Ws) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(20), ws.next()).await.ok()?? {
            Ok(Message::Text(text)) => return serde_json::from_str(&text).ok(),
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            _ => return None,
        }
    }
}

/// Sends a request and waits for the frame answering it (events in between are skipped);
/// `None`: no answer (the connection ended first).
async fn request(ws: &mut Ws, frame: Value) -> Option<Value> {
    let reference = frame["ref"].as_str()?.to_owned();
    ws.send(Message::text(frame.to_string())).await.ok()?;
    loop {
        let reply = next_frame(ws).await?;
        if reply["ref"] == reference.as_str() {
            return Some(reply);
        }
    }
}

/// What the client was told of one conversation.
#[derive(Debug, Default, Clone)]
struct Known {
    /// The last state an `ok` confirmed (`open` → bot).
    acked: Option<String>,
    /// A request that changes state got no answer: any state it could reach is fine.
    unknown: bool,
    /// Open was sent but never confirmed.
    maybe_opened: bool,
}

#[derive(Debug, Default)]
struct Ledger {
    conversations: BTreeMap<String, Known>,
    invoked: u64,
    acknowledged: u64,
    refused: u64,
    unknown: u64,
    next_id: u64,
}

/// A tiny deterministic generator (xorshift), so a failing round can be replayed by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Drives requests until the connection ends; records each in the ledger.
async fn drive(url: String, mut ledger: Ledger, seed: u64) -> Ledger {
    let mut ws = connect(&url).await;
    let mut rng = Rng(seed | 1);
    for n in 0.. {
        let open: Vec<String> = ledger
            .conversations
            .iter()
            .filter(|(_, k)| !k.unknown && matches!(k.acked.as_deref(), Some("bot" | "queued")))
            .map(|(id, _)| id.clone())
            .collect();
        let reference = format!("r{n}");
        let choice = if open.is_empty() { 0 } else { rng.below(10) };
        let (id, frame) = match choice {
            0..=3 => {
                let id = format!("k{}", ledger.next_id);
                ledger.next_id += 1;
                ledger
                    .conversations
                    .insert(id.clone(), Known { maybe_opened: true, ..Known::default() });
                let frame = json!({"type": "open", "ref": reference, "conversation": id,
                                   "customer": format!("cust-{}", rng.below(50))});
                (id, frame)
            }
            4..=5 => {
                let id = open[rng.below(open.len() as u64) as usize].clone();
                let text = if rng.below(3) == 0 {
                    "I want to talk to a human agent"
                } else {
                    "my parcel is late"
                };
                let frame = json!({"type": "customer_message", "ref": reference, "conversation": id, "text": text});
                (id, frame)
            }
            6..=7 => {
                let id = open[rng.below(open.len() as u64) as usize].clone();
                (id.clone(), json!({"type": "ask_for_human", "ref": reference, "conversation": id}))
            }
            _ => {
                let id = open[rng.below(open.len() as u64) as usize].clone();
                let frame = json!({"type": "close", "ref": reference, "conversation": id, "resolution": "done"});
                (id, frame)
            }
        };
        ledger.invoked += 1;
        let kind = frame["type"].as_str().unwrap_or_default().to_owned();
        match request(&mut ws, frame).await {
            None => {
                ledger.unknown += 1;
                ledger.conversations.entry(id).or_default().unknown = true;
                return ledger;
            }
            Some(reply) if reply["type"] == "error" => {
                ledger.refused += 1;
            }
            Some(reply) => {
                ledger.acknowledged += 1;
                let known = ledger.conversations.entry(id).or_default();
                match kind.as_str() {
                    "open" => {
                        known.maybe_opened = false;
                        known.acked = Some("bot".into());
                    }
                    "ask_for_human" | "close" => {
                        known.acked = reply["state"].as_str().map(str::to_owned);
                    }
                    // A decision confirms no state: an escalating one may be lost.
                    _ => {}
                }
            }
        }
    }
    ledger
}

/// Resumes every conversation in the ledger and checks the server against it.
async fn check(url: &str, ledger: &mut Ledger, round: usize) {
    let mut ws = connect(url).await;
    let ids: Vec<String> = ledger.conversations.keys().cloned().collect();
    let mut queued_positions = Vec::new();
    for chunk in ids.chunks(200) {
        let reply =
            request(&mut ws, json!({"type": "resume", "ref": "check", "conversations": chunk}))
                .await
                .expect("resume answered");
        assert_eq!(reply["type"], "state", "{reply}");
        let mut seen = BTreeSet::new();
        for status in reply["conversations"].as_array().expect("conversations") {
            let id = status["conversation"].as_str().expect("id").to_owned();
            assert!(seen.insert(id.clone()), "round {round}: {id} listed twice");
            let state = status["state"].as_str().expect("state").to_owned();
            let known = ledger.conversations.get_mut(&id).expect("a conversation we opened");
            if state == "queued" {
                queued_positions.push(status["position"].as_u64().expect("a queued position"));
            }
            let allowed: &[&str] = match (known.unknown, known.acked.as_deref()) {
                (true, _) | (_, None) => &["bot", "queued", "closed", "abandoned"],
                (false, Some("bot")) => &["bot", "queued"],
                (false, Some(acked)) => &[acked][..],
            };
            assert!(
                allowed.contains(&state.as_str()),
                "round {round}: {id} is {state}, but the client was told {:?} (unknown after: {})",
                known.acked,
                known.unknown
            );
            // Settled by this check: what the server holds now is what is known.
            known.acked = Some(state);
            known.unknown = false;
            known.maybe_opened = false;
        }
        for error in reply["errors"].as_array().into_iter().flatten() {
            let id = error["conversation"].as_str().expect("id").to_owned();
            let known = ledger.conversations.get(&id).expect("ours").clone();
            assert_eq!(error["code"], "unknown_conversation", "{error}");
            assert!(
                known.maybe_opened && known.acked.is_none(),
                "round {round}: {id} was acknowledged ({:?}) and is gone",
                known.acked
            );
            ledger.conversations.remove(&id);
        }
    }
    // Nobody waits twice, and nobody's place is missing.
    queued_positions.sort_unstable();
    let expected: Vec<u64> = (0..queued_positions.len() as u64).collect();
    assert_eq!(queued_positions, expected, "round {round}: queue places");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_nothing_it_acknowledged() {
    let rounds: usize =
        std::env::var("BATON_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(30);
    let dir = TempDir::new("crash");
    let mut ledger = Ledger::default();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = tokio::time::Instant::now();
    let mut crashed_in_recovery = 0;
    let mut crashed_before_serving = 0;
    let mut crashed_at_a_point = 0u32;
    for round in 0..rounds {
        // Every other round the journal is slow (20 ms a batch): an acknowledgement sent
        // before its write would be lost to the kill. Some rounds arm a crash point instead
        // of (or before) the kill: just after a batch is written and before anything
        // waiting on it is answered, half-way through a group of writes, or in the middle
        // of the start's recovery (that server dies before it serves and is started again).
        let last = round + 1 == rounds;
        let abort = match round % 8 {
            2 if !last => Some(format!("journal.after_apply:{}", 1 + rng.below(60))),
            6 if !last => Some(format!("journal.mid_group:{}", 1 + rng.below(20))),
            _ => None,
        };
        let slow = if round % 2 == 1 { 20 } else { 0 };
        let mut server = None;
        if round % 8 == 4 && !last {
            let live = ledger.conversations.len() as u64;
            let at = format!("recovery.conversation:{}", 1 + rng.below(live + 1));
            match Server::try_start(&dir, 0, Some(&at)) {
                Err(status) => {
                    crashed_in_recovery += 1;
                    eprintln!("round {round}: crashed in recovery ({at}): {status}");
                }
                // Fewer conversations than the point's count: it served.
                Ok(started) => server = Some(started),
            }
        }
        let server = match server {
            Some(server) => server,
            None => match Server::try_start(&dir, slow, abort.as_deref()) {
                Ok(server) => server,
                // The armed point came before the server served (start-up writes): again,
                // unarmed.
                Err(status) if abort.is_some() => {
                    crashed_before_serving += 1;
                    eprintln!("round {round}: crashed before serving ({abort:?}): {status}");
                    Server::start(&dir, slow)
                }
                Err(status) => panic!("round {round}: the server did not start: {status}"),
            },
        };
        if round > 0 {
            check(&server.url, &mut ledger, round).await;
        }
        let driver = tokio::spawn(drive(server.url.clone(), ledger, rng.next()));
        // Somewhere between 20 and 300 ms of traffic, then the kill.
        tokio::time::sleep(Duration::from_millis(20 + rng.below(280))).await;
        if round + 1 == rounds {
            server.terminate();
        } else {
            crashed_at_a_point += u32::from(server.kill());
        }
        ledger = driver.await.expect("the driver");
    }
    let server = Server::start(&dir, 0);
    check(&server.url, &mut ledger, rounds).await;
    server.terminate();
    eprintln!(
        "crash harness: {rounds} rounds in {:.1} s ({crashed_at_a_point} crashed at an armed point under load, {crashed_in_recovery} in recovery, {crashed_before_serving} before serving); {} requests: {} acknowledged, {} refused, {} unknown at a kill; {} conversations",
        started.elapsed().as_secs_f64(),
        ledger.invoked,
        ledger.acknowledged,
        ledger.refused,
        ledger.unknown,
        ledger.conversations.len()
    );
    assert!(ledger.acknowledged > rounds as u64, "the rounds did some work");

    // Every start that served recorded its configuration in the audit trail, kills or not
    // (one that crashed before serving may have, too).
    let dir_arg = dir.0.display().to_string();
    let out = crate::cli::baton(&["audit", "--data-dir", &dir_arg], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = out.stdout;
    let loaded = out.lines().filter(|l| l.contains(r#""kind":"config_loaded""#)).count();
    let served = rounds + 1;
    assert!(
        (served..=served + crashed_before_serving).contains(&loaded),
        "one config_loaded per start that served ({served}, {crashed_before_serving} more \
         crashed before serving), found {loaded}:\n{out}"
    );
}
