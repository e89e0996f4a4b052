//! `baton`: the command line (see `baton_engine::cli`).

use std::io;
use std::process::ExitCode;

use baton_engine::cli::{Streams, run};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut streams = Streams {
        stdin: io::stdin().lock(),
        stdout: io::stdout().lock(),
        stderr: io::stderr().lock(),
    };
    ExitCode::from(run(std::env::args_os(), &mut streams))
}
