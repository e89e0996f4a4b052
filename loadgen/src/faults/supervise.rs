//! Driving the server process: start it and wait until it accepts connections; every
//! interval kill it (its whole process group), wait until it is gone and start it again; after
//! the run, read back every conversation the ledger names, for the check.

use std::collections::BTreeSet;
use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;
use tokio::sync::watch;
use tokio::time::Instant;

use super::check::Seen;
use super::process::{ServerProcess, Signal};
use super::recovery::Kill;
use super::{FaultOptions, FaultsReport, check, recovery};
use crate::net::{Conn, Redial};

/// How long a started server has to accept a connection.
const READY_WITHIN: Duration = Duration::from_secs(60);
/// Starts of the command per restart: a restarted server may find the old one's port still
/// held for a moment (an orphan of the shell still exiting) and exit at once.
const STARTS: usize = 3;
/// How long a SIGTERM'd server has to stop (its connections' grace, 10 s by default, and
/// the journal's close) before it is killed.
const TERM_GRACE: Duration = Duration::from_secs(30);

/// Starts the command and waits until `url` accepts a gateway connection; returns the
/// process and when it started accepting.
pub async fn start(cmd: &str, url: &str, key: &str) -> anyhow::Result<(ServerProcess, Instant)> {
    let mut last = None;
    for attempt in 0..STARTS {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let mut process = ServerProcess::spawn(cmd).with_context(|| format!("sh -c {cmd:?}"))?;
        match wait_ready(&mut process, url, key).await {
            Ok(at) => return Ok((process, at)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| anyhow::anyhow!("the restart command did not start")))
}

async fn wait_ready(process: &mut ServerProcess, url: &str, key: &str) -> anyhow::Result<Instant> {
    let gateway = format!("{url}/v1/gateway");
    let deadline = Instant::now() + READY_WITHIN;
    loop {
        if let Some(status) = process.exited() {
            anyhow::bail!(
                "the restart command exited ({status}) before {url} accepted connections"
            );
        }
        if let Ok(Ok(conn)) =
            tokio::time::timeout(Duration::from_secs(2), Conn::connect(&gateway, key, false)).await
        {
            conn.close();
            return Ok(Instant::now());
        }
        if Instant::now() >= deadline {
            anyhow::bail!("{url} did not accept connections within {READY_WITHIN:?} of a start");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What the kill loop leaves: the server running now (none if a restart failed), and the
/// kills.
#[derive(Debug)]
pub struct Injected {
    pub process: Option<ServerProcess>,
    pub kills: Vec<Kill>,
    pub failure: Option<anyhow::Error>,
}

/// Kills and restarts the server every `options.kill_every` (counted from it accepting
/// connections again, so a slow restart is never killed before it serves) until `stop`.
pub async fn kill_loop(
    mut process: ServerProcess,
    options: FaultOptions,
    url: String,
    key: String,
    mut stop: watch::Receiver<bool>,
) -> Injected {
    let mut kills = Vec::new();
    loop {
        tokio::select! {
            () = tokio::time::sleep(options.kill_every) => {}
            _ = stop.changed() => break,
        }
        if *stop.borrow() {
            break;
        }
        let at = Instant::now();
        if let Err(e) = end(&mut process, options.signal).await {
            return Injected { process: Some(process), kills, failure: Some(e) };
        }
        match start(&options.restart, &url, &key).await {
            Ok((next, accepting)) => {
                process = next;
                kills.push(Kill { at, accepting: Some(accepting) });
            }
            Err(e) => {
                kills.push(Kill { at, accepting: None });
                let failure = e.context(format!("restart after kill {}", kills.len()));
                return Injected { process: None, kills, failure: Some(failure) };
            }
        }
    }
    Injected { process: Some(process), kills, failure: None }
}

/// The kill loop running beside the scenario. Dropped before [`Killer::finish`] (an error,
/// an interrupted run), it is aborted, which drops the server process and so kills it.
#[derive(Debug)]
pub struct Killer(Option<tokio::task::JoinHandle<Injected>>);

impl Killer {
    pub fn spawn(
        process: ServerProcess,
        options: FaultOptions,
        url: String,
        key: String,
        stop: watch::Receiver<bool>,
    ) -> Killer {
        Killer(Some(tokio::spawn(kill_loop(process, options, url, key, stop))))
    }

    /// Waits for the loop to see the run's stop (a restart under way is finished first).
    pub async fn finish(mut self) -> Injected {
        let Some(handle) = self.0.take() else { unreachable!("finished once") };
        match handle.await {
            Ok(injected) => injected,
            Err(e) => Injected {
                process: None,
                kills: Vec::new(),
                failure: Some(anyhow::anyhow!("the kill loop failed: {e}")),
            },
        }
    }
}

impl Drop for Killer {
    fn drop(&mut self) {
        if let Some(handle) = &self.0 {
            handle.abort();
        }
    }
}

/// After the run: holds the queues still (every connection of the run closed, so agents go
/// away and take no new offers), resumes every conversation the ledger names, checks the
/// ledger against it, and stops the last server with SIGTERM.
pub async fn settle(
    injected: Injected,
    options: &FaultOptions,
    url: &str,
    key: &str,
    redial: &Redial,
) -> anyhow::Result<FaultsReport> {
    let Injected { process, kills, failure } = injected;
    if let Some(failure) = failure {
        return Err(failure);
    }
    redial.links.close_all();
    let ops = redial.ledger.ops();
    let ids: BTreeSet<String> = ops.iter().filter_map(|op| op.conversation.clone()).collect();
    let ids: Vec<String> = ids.into_iter().collect();
    let (listed, unknown) = observe(url, key, &ids).await?;
    let findings = check::check(&ops, &listed, &unknown);
    let recovery = recovery::recovery(&kills, &ops);
    let mut report = FaultsReport::new(options, &ops, findings, recovery);
    if let Some(process) = process {
        match process.stop(TERM_GRACE).await {
            // A shell that did not `exec` its command dies of the SIGTERM itself; its server
            // stopped in time (the group is gone), which is what is asked.
            Some(status) if status.success() || status.signal() == Some(libc::SIGTERM) => {}
            Some(status) => {
                report.final_stop = format!("the last server exited {status} on SIGTERM")
            }
            None => report.final_stop = "the last server ignored SIGTERM and was killed".into(),
        }
    }
    Ok(report)
}

/// One kill: the signal to the group, then wait until it is gone.
async fn end(process: &mut ServerProcess, signal: Signal) -> anyhow::Result<()> {
    let pid = process.pid();
    match signal {
        Signal::Kill => process.kill().await.with_context(|| format!("SIGKILL to group {pid}")),
        Signal::Term => {
            process.signal(Signal::Term).with_context(|| format!("SIGTERM to group {pid}"))?;
            if !process.wait_gone(TERM_GRACE, TERM_GRACE).await {
                process.kill().await.with_context(|| format!("SIGKILL to group {pid}"))?;
            }
            Ok(())
        }
    }
}

/// What `resume` says of these conversations now: each listed one (repeats kept, in order),
/// and those the server does not know.
pub async fn observe(
    url: &str,
    key: &str,
    ids: &[String],
) -> anyhow::Result<(Vec<(String, Seen)>, BTreeSet<String>)> {
    let conn = Conn::connect(&format!("{url}/v1/gateway"), key, false)
        .await
        .context("connecting to check the ledger")?;
    let (mut listed, mut unknown) = (Vec::new(), BTreeSet::new());
    for chunk in ids.chunks(200) {
        let reply = conn
            .resume(chunk)
            .await
            .map_err(|e| anyhow::anyhow!("resume for the check: {}", e.code))?;
        for status in reply["conversations"].as_array().into_iter().flatten() {
            let id = status["conversation"].as_str().unwrap_or_default().to_owned();
            listed.push((id, seen(status)));
        }
        for error in reply["errors"].as_array().into_iter().flatten() {
            unknown.insert(error["conversation"].as_str().unwrap_or_default().to_owned());
        }
    }
    conn.close();
    Ok((listed, unknown))
}

fn seen(status: &Value) -> Seen {
    let turns = status["turns"].as_array().map(|turns| {
        turns
            .iter()
            .map(|t| {
                let field = |name: &str| t[name].as_str().unwrap_or_default().to_owned();
                (field("role"), field("text"))
            })
            .collect()
    });
    Seen {
        state: status["state"].as_str().unwrap_or_default().to_owned(),
        position: status["position"].as_u64(),
        turns,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_resume_status_reads_as_seen() {
        let status = json!({"conversation": "c1", "state": "queued", "position": 2,
            "estimate_ms": 9000, "turns": [{"role": "customer", "text": "hi", "at_ms": 3}]});
        let s = seen(&status);
        assert_eq!(s.state, "queued");
        assert_eq!(s.position, Some(2));
        assert_eq!(s.turns, Some(vec![("customer".to_owned(), "hi".to_owned())]));
        let finished = seen(&json!({"conversation": "c2", "state": "closed"}));
        assert_eq!((finished.position, finished.turns), (None, None));
    }
}
