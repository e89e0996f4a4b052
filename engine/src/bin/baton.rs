//! `baton`: the command line (see `baton_engine::cli`).

use std::io;
use std::process::ExitCode;

use baton_engine::cli::{Streams, run};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Standard error is not locked for the whole run: `baton serve` logs there from every
    // thread (tokio's workers, the store's), and a lock held by the main thread would stop
    // each of them at its first log line. (Standard error is unbuffered: a lock per write
    // costs nothing more.)
    let mut streams =
        Streams { stdin: io::stdin().lock(), stdout: io::stdout().lock(), stderr: io::stderr() };
    ExitCode::from(run(std::env::args_os(), &mut streams))
}
