//! `baton serve`: logging, the runtime, the engine and the server, and graceful shutdown on
//! SIGINT/SIGTERM. The server itself is in [`crate::server`].

use std::io::Write;

use anyhow::Context;
use sha2::Digest;
use tracing_subscriber::EnvFilter;

use crate::config::Config;
use crate::engine::Engine;

/// `--listen` and `--admin`, over the configuration's.
#[derive(Debug, Default)]
pub struct Addrs {
    pub listen: Option<String>,
    pub admin: Option<String>,
}

/// Serves until a shutdown signal; prints where it listens on `stdout` once it does.
/// `source` names where the configuration came from (for the audit trail).
pub fn run(
    mut config: Config,
    source: &str,
    Addrs { listen, admin }: Addrs,
    stdout: &mut impl Write,
) -> anyhow::Result<()> {
    if let Some(listen) = listen {
        config.server.listen = listen;
    }
    if let Some(admin) = admin {
        config.server.admin_listen = admin;
    }
    // Secrets from the environment, so they need not sit in a configuration file.
    if let Ok(keys) = std::env::var("BATON_API_KEYS") {
        config.server.api_keys = keys.split(',').map(|k| k.trim().to_owned()).collect();
    }
    if let Ok(secret) = std::env::var("BATON_TOKEN_SECRET") {
        config.server.token_secret = secret;
    }
    config.validate()?;
    init_logging(config.server.log_json);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(async {
        let metrics = crate::telemetry::install();
        match &config.store.data_dir {
            Some(dir) => tracing::info!("keeping state in {}", dir.display()),
            None => tracing::warn!("--ephemeral: everything is in memory and a restart loses it"),
        }
        let engine = Engine::start(config.clone()).await?;
        // The effective configuration (credentials are never in its TOML).
        let digest = sha2::Sha256::digest(config.to_toml().as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        if let Err(e) = engine.audit_config_loaded(source, &hex).await {
            engine.shutdown().await;
            return Err(e).context("cannot record the configuration in the audit trail");
        }
        let server = match crate::server::start(engine.clone(), config.server.clone(), metrics).await
        {
            Ok(server) => server,
            Err(e) => {
                engine.shutdown().await;
                return Err(e).context("cannot serve");
            }
        };
        if config.server.uses_dev_credentials() {
            tracing::warn!(
                "using the built-in development credentials (loopback only); set \
                 server.api_keys and server.token_secret, or BATON_API_KEYS and BATON_TOKEN_SECRET"
            );
        }
        tracing::info!(addr = %server.addr, admin = %server.admin_addr, "serving");
        writeln!(
            stdout,
            "baton serving on ws://{addr}/v1/gateway and ws://{addr}/v1/agent; metrics on http://{}/metrics",
            server.admin_addr,
            addr = server.addr,
        )?;
        stdout.flush()?;
        let signal = shutdown_signal().await;
        tracing::info!(signal, open_connections = server.open_connections(), "shutting down");
        server.shutdown().await;
        engine.shutdown().await;
        tracing::info!("stopped");
        Ok(())
    })
}

/// `RUST_LOG` filters (default [`DEFAULT_LOG`]); JSON lines when configured. The store's
/// own `log` records come through too. A second call (tests running several servers) keeps
/// the first subscriber.
pub fn init_logging(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

/// `info`, and the line fjall writes (at its debug level) when it cuts a torn batch off the
/// journal's tail at start: an operator must see that a crash cut a write short.
pub const DEFAULT_LOG: &str = "info,fjall::journal::batch_reader=debug";

/// Waits for SIGINT or SIGTERM and names it.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}
