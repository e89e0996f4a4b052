//! Benchmarks live in `benches/`; this library holds what they share.

/// The runtime the engine benches run on: two workers, as on the target machine.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}
