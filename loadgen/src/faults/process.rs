//! The server process a faulted run owns: `sh -c CMD` in a process group of its own. The
//! shell does not always `exec` its command (dash keeps itself as the parent), so a signal
//! to the shell's PID alone would leave the server running: signals go to the group, which
//! holds only what this run started. The process never outlives the generator: it is killed
//! on drop (a panic, an error, an interrupted run), and its stdin is a pipe held here, so a
//! server that watches stdin also ends when the generator is killed outright.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::time::Duration;

use tokio::time::Instant;

/// A signal to the server's process group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGKILL: a crash, nothing more is written.
    Kill,
    /// SIGTERM: a graceful stop, the way a deploy does it.
    Term,
}

impl Signal {
    fn number(self) -> i32 {
        match self {
            Signal::Kill => libc::SIGKILL,
            Signal::Term => libc::SIGTERM,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Signal::Kill => "kill",
            Signal::Term => "term",
        }
    }
}

/// Sends `signal` to process group `group` (0 only asks whether any member is alive).
#[allow(unsafe_code)]
fn signal_group(group: u32, signal: i32) -> io::Result<()> {
    let group = libc::pid_t::try_from(group).map_err(io::Error::other)?;
    if group <= 1 {
        // Never a broadcast (-1) or our own group (0): only the group we created.
        return Err(io::Error::other("not a process group of ours"));
    }
    // SAFETY: kill(2) takes plain integers and touches no memory of ours; a negative pid
    // names the process group, which `process_group(0)` made the child's own.
    let rc = unsafe { libc::kill(-group, signal) };
    if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

/// One run of the restart command.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    /// The process group: the shell's PID (it leads the group it was put in).
    group: u32,
    /// Held open while the server should run (see the module doc).
    _stdin: Option<ChildStdin>,
    exited: Option<ExitStatus>,
}

impl ServerProcess {
    /// Starts `sh -c cmd`. Its stdout is discarded (the report owns ours); its stderr is ours,
    /// so the server's complaints are seen (redirect them in `cmd` to keep them apart).
    pub fn spawn(cmd: &str) -> io::Result<ServerProcess> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take();
        let group = child.id();
        Ok(ServerProcess { child, group, _stdin: stdin, exited: None })
    }

    pub fn pid(&self) -> u32 {
        self.group
    }

    /// The shell's exit status once it has exited (it is reaped here).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        if self.exited.is_none() {
            self.exited = self.child.try_wait().ok().flatten();
        }
        self.exited
    }

    /// Signals the whole group (nothing when it is already gone).
    pub fn signal(&mut self, signal: Signal) -> io::Result<()> {
        match signal_group(self.group, signal.number()) {
            Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Ok(()),
            other => other,
        }
    }

    /// Whether any process of the group is still running. A server the shell did not `exec`
    /// is orphaned when the shell dies and stays a zombie until init reaps it (a second or
    /// more here), so zombies do not count: /proc tells them apart. Without /proc, any member
    /// counts, and callers bound how long they wait on this.
    fn group_alive(&self) -> bool {
        if signal_group(self.group, 0).is_err() {
            return false;
        }
        let Ok(entries) = std::fs::read_dir("/proc") else { return true };
        entries.filter_map(Result::ok).any(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            running_in(&stat, self.group)
        })
    }

    /// Waits until the shell has exited and, for at most `linger`, until the rest of its
    /// group has too (a server the shell did not `exec` is its child, not ours).
    pub async fn wait_gone(&mut self, within: Duration, linger: Duration) -> bool {
        let deadline = Instant::now() + within;
        while self.exited().is_none() {
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let deadline = Instant::now() + linger;
        while self.group_alive() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }

    /// Kills the group (SIGKILL) and waits for it.
    pub async fn kill(&mut self) -> io::Result<()> {
        self.signal(Signal::Kill)?;
        self.wait_gone(Duration::from_secs(10), Duration::from_secs(2)).await;
        Ok(())
    }

    /// Stops the group with SIGTERM, waiting up to `grace` before SIGKILL; the shell's exit
    /// status (`None` if it had to be killed).
    pub async fn stop(mut self, grace: Duration) -> Option<ExitStatus> {
        let _ = self.signal(Signal::Term);
        if self.wait_gone(grace, grace).await && !self.group_alive() {
            return self.exited();
        }
        let _ = self.kill().await;
        None
    }
}

/// Whether a /proc/PID/stat line is of a process in `group` that is not a zombie.
fn running_in(stat: &str, group: u32) -> bool {
    // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses: split after the
    // last `)`.
    let Some((_, rest)) = stat.rsplit_once(')') else { return false };
    let mut fields = rest.split_whitespace();
    let state = fields.next();
    let pgrp = fields.nth(1).and_then(|g| g.parse::<u32>().ok());
    pgrp == Some(group) && !matches!(state, Some("Z" | "X"))
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // Whatever became of the run, nothing it started outlives it. The group's number is
        // ours while the shell is unreaped, or while any member is left (Linux does not hand
        // out the id of a group that exists): never signal a group that may be someone else's.
        if self.exited().is_none() || self.group_alive() {
            let _ = signal_group(self.group, libc::SIGKILL);
        }
        if self.exited().is_none() {
            let _ = self.child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_kill_reaches_the_command_the_shell_did_not_exec() {
        // Two commands: the shell cannot exec the first, so `sleep` is its child.
        let mut server = ServerProcess::spawn("sleep 30; true").expect("sh starts");
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(server.exited().is_none());
        server.kill().await.expect("kill");
        assert!(server.exited().is_some(), "the shell is gone");
        let deadline = Instant::now() + Duration::from_secs(5);
        while server.group_alive() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(!server.group_alive(), "and so is its sleep");
    }

    #[test]
    fn proc_stat_lines_tell_running_members_from_zombies() {
        assert!(running_in("4242 (baton) S 4241 4241 4241 0 -1", 4241));
        assert!(!running_in("4242 (baton) Z 1 4241 4241 0 -1", 4241), "a zombie");
        assert!(!running_in("4242 (baton) S 4241 999 999 0 -1", 4241), "another group");
        assert!(running_in("7 (a (weird) name) R 1 4241 4241", 4241));
        assert!(!running_in("", 4241));
    }

    #[tokio::test]
    async fn stop_is_a_graceful_sigterm() {
        let server = ServerProcess::spawn("exec sleep 30").expect("sh starts");
        let status = server.stop(Duration::from_secs(5)).await;
        // SIGTERM ended it (no exit code: killed by a signal), without needing SIGKILL.
        let status = status.expect("stopped by SIGTERM");
        assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(libc::SIGTERM));
    }
}
