//! The store's files after a crash: a torn tail (the last write cut short) is cut off with a
//! log line and everything before it is kept; corruption anywhere else refuses to start.

use std::path::{Path, PathBuf};

use baton_engine::journal::{Backend, FjallBackend, Op, Space};

use crate::durable::TempDir;

/// Every file under `dir`, with its size.
fn files(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
                out.push((path, len));
            }
        }
    }
    out.sort();
    out
}

fn write(backend: &FjallBackend, from: u32, to: u32) {
    for n in from..to {
        let op = Op::put(Space::Conversations, format!("c{n:05}"), vec![n as u8; 200]);
        backend.apply(&[op], false).expect("write");
    }
}

/// The journal file (`*.jnl` at the directory's root) with the highest number.
fn newest_journal(dir: &Path) -> PathBuf {
    let mut journals: Vec<PathBuf> = files(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.parent() == Some(dir) && p.extension().is_some_and(|e| e == "jnl"))
        .collect();
    journals.sort_by_key(|p| {
        p.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
    });
    journals.pop().expect("a journal file")
}

fn count(backend: &FjallBackend) -> usize {
    backend.scan(Space::Conversations, &[]).expect("scan").len()
}

#[test]
fn a_torn_journal_tail_is_cut_off_and_what_came_before_is_kept() {
    let dir = TempDir::new("torn");
    let backend = FjallBackend::open(&dir.0).expect("opens");
    write(&backend, 0, 100);
    drop(backend);
    // A crash in the middle of the next write: half a batch's worth of bytes after the last
    // whole one (the file is preallocated, so "after" is where the data ends, not its size).
    let journal = newest_journal(&dir.0);
    let mut bytes = std::fs::read(&journal).expect("read the journal");
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    let torn: Vec<u8> = (0..150u32).map(|i| (i * 37 % 251) as u8 | 1).collect();
    if bytes.len() < end + torn.len() {
        bytes.resize(end + torn.len(), 0);
    }
    bytes[end..end + torn.len()].copy_from_slice(&torn);
    std::fs::write(&journal, &bytes).expect("tear the tail");

    let backend = FjallBackend::open(&dir.0).expect("a torn tail does not stop the start");
    assert_eq!(count(&backend), 100, "every whole write before the tear is kept");
    // Writing goes on after the cut, and survives another reopen.
    write(&backend, 100, 110);
    drop(backend);
    let backend = FjallBackend::open(&dir.0).expect("opens again");
    assert_eq!(count(&backend), 110);
    let kept = std::fs::read(newest_journal(&dir.0)).expect("read");
    assert!(!kept.windows(torn.len()).any(|w| w == torn.as_slice()), "the torn bytes were cut off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corruption_outside_the_tail_refuses_to_start() {
    let dir = TempDir::new("corrupt");
    let backend = FjallBackend::open(&dir.0).expect("opens");
    write(&backend, 0, 500);
    // Into the tables, out of the journal: the corruption is in data fjall has already
    // checkpointed, not in a tail it may cut.
    backend.flush_tables().expect("flush");
    drop(backend);
    let (table, len) = files(&dir.0)
        .into_iter()
        .filter(|(p, _)| p.components().any(|c| c.as_os_str() == "tables"))
        .max_by_key(|(_, len)| *len)
        .expect("a table file");
    let mut bytes = std::fs::read(&table).expect("read the table");
    for b in &mut bytes[(len / 4) as usize..(len / 4) as usize + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&table, &bytes).expect("corrupt it");

    let mut config = baton_engine::config::Config::default();
    config.store.data_dir = Some(dir.0.clone());
    let refused =
        baton_engine::Engine::start(config).await.expect_err("a corrupt store is refused");
    let message = refused.to_string();
    let keyspace = table.parent().and_then(Path::parent).expect("the keyspace's folder");
    assert!(
        message.contains(&format!("damaged in {}", keyspace.display())),
        "names where the damage is: {message}"
    );
    assert!(message.contains("will not start"), "{message}");
}
