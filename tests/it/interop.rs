//! Interoperability: `tools/interop/client.py`, written from PROTOCOL.md with the `websockets`
//! and `msgpack` packages from PyPI, runs a whole handoff against the server in each
//! encoding. `.ci/run` installs the packages in a virtual environment and sets
//! `BATON_PYTHON` and `BATON_REQUIRE_INTEROP=1`; elsewhere the test runs when `python3` has
//! both packages and says plainly that it skipped otherwise.

use std::path::Path;
use std::process::Command;

use crate::ws::serve;

fn python() -> Option<String> {
    let candidate = std::env::var("BATON_PYTHON").unwrap_or_else(|_| "python3".into());
    let usable = Command::new(&candidate)
        .args(["-c", "import websockets, msgpack"])
        .output()
        .is_ok_and(|o| o.status.success());
    usable.then_some(candidate)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_python_client_written_from_the_protocol_document_completes_a_handoff() {
    let Some(python) = python() else {
        let required = std::env::var("BATON_REQUIRE_INTEROP").is_ok_and(|v| v == "1");
        assert!(!required, "BATON_REQUIRE_INTEROP=1 but no Python with websockets and msgpack");
        eprintln!("SKIPPED interop: no Python with websockets and msgpack (see tools/interop)");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/interop/client.py");
    let served = serve().await;
    let url = format!("ws://{}", served.server.addr);
    for encoding in ["json", "msgpack"] {
        let (python, script, url) = (python.clone(), script.clone(), url.clone());
        let output = tokio::task::spawn_blocking(move || {
            Command::new(python)
                .arg(script)
                .args(["--url", &url, "--encoding", encoding])
                .output()
                .expect("python runs")
        })
        .await
        .expect("client finished");
        let (stdout, stderr) =
            (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{encoding}: {stdout}{stderr}");
        assert!(stdout.starts_with(&format!("interop ok: {encoding}")), "{stdout}");
    }
    // What the Python clients did is visible to the engine too.
    let stats = served.engine.stats();
    assert_eq!((stats.opened, stats.closed), (2, 2));
    assert_eq!(stats.offers[0], 2, "two offers accepted");
    served.stop().await;
}
