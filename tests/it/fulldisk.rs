//! A real full disk: the data directory on a small tmpfs that the test mounts (and unmounts),
//! filled up until the store refuses writes. Changes are answered `storage_unavailable` while
//! decisions go on, nothing acknowledged is lost, and once space returns the store takes writes
//! again without a restart. Where mounting is not allowed (not root, no `mount`), the test
//! says so and does nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use baton_engine::config::Config;
use baton_engine::engine::{Engine, OpenConversation, State};

use crate::durable::TempDir;

/// Unmounts on drop, lazily: after a failed assertion the engine may still hold files there.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn mount_tmpfs(dir: &Path, size: &str) -> Result<Mounted, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(Mounted(dir.to_path_buf()))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// Fills the file system with one file until it is full (what is left is under a block).
fn fill(path: &Path) -> u64 {
    use std::io::Write;
    let mut file = std::fs::File::create(path).expect("filler");
    let block = vec![0x5a_u8; 64 * 1024];
    let mut written = 0;
    while file.write_all(&block).is_ok() {
        written += block.len() as u64;
    }
    let _ = file.sync_all();
    written
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_full_disk_refuses_changes_and_the_store_comes_back_when_space_returns() {
    let root = TempDir::new("fulldisk");
    let mounted = match mount_tmpfs(&root.0, "96m") {
        Ok(mounted) => mounted,
        Err(why) => {
            eprintln!("skipped: cannot mount a tmpfs here ({why})");
            return;
        }
    };
    let mut config = Config::default();
    config.store.data_dir = Some(root.0.join("data"));
    let engine = Engine::start(config.clone()).await.expect("starts on the tmpfs");
    engine.open(OpenConversation::new("before", "cust")).expect("open");
    engine.written().await.expect("written while there is room");

    let filler = root.0.join("filler");
    fill(&filler);
    // Open conversations with long messages until the store refuses (bounded).
    let text = "my order has not arrived and I keep waiting for it ".repeat(150);
    let mut acknowledged = Vec::new();
    let mut refused = None;
    for n in 0..20_000 {
        let id = format!("c{n}");
        if engine.open(OpenConversation::new(&id, "cust")).is_err() {
            break;
        }
        let _ = engine.customer_message(&id, &text);
        match engine.written().await {
            Ok(()) => acknowledged.push(id),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let refused = refused.expect("the full disk refused a write");
    eprintln!("full: {} conversations acknowledged, then: {refused}", acknowledged.len());
    assert_eq!(refused.code(), "storage_unavailable", "{refused}");
    // Decisions go on meanwhile.
    let decision = engine.customer_message("before", "get me a human agent").expect("decides");
    assert!(decision.escalate);

    // Space returns: the next writes go through, without a restart.
    std::fs::remove_file(&filler).expect("remove the filler");
    let mut back = false;
    for n in 0..50 {
        let id = format!("after{n}");
        engine.open(OpenConversation::new(&id, "cust")).expect("open");
        if engine.written().await.is_ok() {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(back, "the store took writes again once the disk had room");
    eprintln!("space returned: writes taken again");
    engine.shutdown().await;

    // Everything acknowledged is there after a restart.
    let engine = Engine::start(config).await.expect("starts again");
    for id in acknowledged.iter().chain(std::iter::once(&"before".to_owned())) {
        assert!(engine.conversation_state(id).is_some(), "{id} was acknowledged and is kept");
    }
    assert_eq!(engine.conversation_state("before").map(|s| s != State::Bot), Some(true));
    engine.shutdown().await;
    drop(mounted);
}
