//! `baton serve`: the engine on the network. Two WebSocket endpoints — `/v1/gateway` for the
//! chat front end's backend, `/v1/agent` for agent desktops — plus `/healthz` and `/readyz`,
//! and Prometheus `/metrics` on the admin port. The frames are in [`protocol`] (and
//! PROTOCOL.md); authentication in [`auth`]; the connection plumbing shared by both endpoints
//! (bounded outbound buffer, error budget, close codes) in `conn`.

mod agent;
pub mod auth;
mod conn;
mod gateway;
pub mod protocol;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering::SeqCst};
use std::time::Duration;

use axum::Router;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use dashmap::DashMap;
use metrics_exporter_prometheus::PrometheusHandle;
use serde::Deserialize;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::config::ServerConfig;
use crate::engine::Engine;
use crate::journal::AuditKind;
use protocol::{Encoding, JSON, MSGPACK};

/// WebSocket close codes (PROTOCOL.md).
pub mod close {
    /// The agent logged out.
    pub const NORMAL: u16 = 1000;
    /// The server is shutting down.
    pub const GOING_AWAY: u16 = 1001;
    /// A text frame was not UTF-8 (the WebSocket rule; binary frames get an error frame).
    pub const INVALID_UTF8: u16 = 1007;
    /// The agent's token is valid but the engine would not log it in (an invalid skill, say).
    pub const REFUSED: u16 = 1008;
    /// The connection caused too many errors.
    pub const ABUSE: u16 = 4001;
    /// The same agent connected again elsewhere.
    pub const REPLACED: u16 = 4002;
    // A client too slow to read its frames cannot read a close frame either: it is dropped
    // without one (its side sees 1006).
}

/// An agent's desktop session across reconnects.
#[derive(Debug)]
pub(crate) struct AgentEntry {
    /// Bumped by every connection, so a stale grace timer knows it lost.
    generation: u64,
    connected: bool,
    /// Tells the current connection to close (another one replaced it).
    kick: Arc<Notify>,
    /// The presence the agent had when its connection dropped (it is set away meanwhile),
    /// restored when it reconnects in time.
    restore: Option<crate::routing::Presence>,
}

/// What every connection handler shares.
pub(crate) struct AppState {
    engine: Engine,
    settings: ServerConfig,
    stop: watch::Sender<bool>,
    ready: AtomicBool,
    agents: DashMap<String, AgentEntry>,
    connections: [AtomicI64; 2],
}

impl AppState {
    fn connection_opened(&self, kind: usize) {
        let n = self.connections[kind].fetch_add(1, SeqCst) + 1;
        crate::telemetry::set_connections(KINDS[kind], n);
    }

    fn connection_closed(&self, kind: usize) {
        let n = self.connections[kind].fetch_sub(1, SeqCst) - 1;
        crate::telemetry::set_connections(KINDS[kind], n);
    }

    fn open_connections(&self) -> i64 {
        self.connections.iter().map(|c| c.load(SeqCst)).sum()
    }
}

const GATEWAY: usize = 0;
const AGENT: usize = 1;
const KINDS: [&str; 2] = ["gateway", "agent"];

/// A running server.
#[derive(Debug)]
pub struct RunningServer {
    /// Where the WebSocket endpoints listen.
    pub addr: SocketAddr,
    /// Where `/metrics` is served.
    pub admin_addr: SocketAddr,
    state: Arc<AppState>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("connections", &self.open_connections())
            .finish_non_exhaustive()
    }
}

/// Binds both listeners and serves until [`RunningServer::shutdown`].
pub async fn start(
    engine: Engine,
    settings: ServerConfig,
    metrics: PrometheusHandle,
) -> std::io::Result<RunningServer> {
    let listener = TcpListener::bind(&settings.listen).await?;
    let admin = TcpListener::bind(&settings.admin_listen).await?;
    let (addr, admin_addr) = (listener.local_addr()?, admin.local_addr()?);
    if settings.uses_dev_credentials()
        && !(addr.ip().is_loopback() && admin_addr.ip().is_loopback())
    {
        // The built-in key and secret are public: never expose them beyond this machine.
        return Err(std::io::Error::other(
            "the built-in development credentials serve loopback only: set server.api_keys and \
             server.token_secret (or BATON_API_KEYS and BATON_TOKEN_SECRET) to listen on another address",
        ));
    }
    let state = Arc::new(AppState {
        engine,
        settings,
        stop: watch::channel(false).0,
        ready: AtomicBool::new(true),
        agents: DashMap::new(),
        connections: Default::default(),
    });
    agent::await_recovered(&state);
    let app = Router::new()
        .route("/v1/gateway", get(gateway_upgrade))
        .route("/v1/agent", get(agent_upgrade))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .with_state(Arc::clone(&state));
    let metrics_for_admin = metrics.clone();
    let admin_app = Router::new()
        .route("/metrics", get(move || std::future::ready(metrics_for_admin.render())))
        .route("/audit", get(audit_trail))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(Arc::clone(&state));
    let mut tasks = Vec::new();
    let stop = state.stop.subscribe();
    tasks.push(tokio::spawn(async move {
        let shutdown = stopped(stop);
        // Frames are small and latency is the point: no Nagle delay.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
            tracing::error!("server: {e}");
        }
    }));
    let stop = state.stop.subscribe();
    tasks.push(tokio::spawn(async move {
        if let Err(e) = axum::serve(admin, admin_app).with_graceful_shutdown(stopped(stop)).await {
            tracing::error!("admin server: {e}");
        }
    }));
    let sampler_state = Arc::clone(&state);
    tasks.push(tokio::spawn(async move {
        let mut stop = sampler_state.stop.subscribe();
        loop {
            crate::telemetry::record_sample(&sampler_state.engine.metrics_sample());
            metrics.run_upkeep();
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => break,
            }
        }
    }));
    Ok(RunningServer { addr, admin_addr, state, tasks })
}

async fn stopped(mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

impl RunningServer {
    /// Graceful shutdown: stop accepting, tell every client (close 1001), let in-flight work
    /// finish (up to `shutdown_grace_s`), then stop the listeners. The engine is left running
    /// for the caller to shut down.
    pub async fn shutdown(self) {
        self.state.ready.store(false, SeqCst);
        let _ = self.state.stop.send(true);
        let deadline =
            tokio::time::Instant::now() + Duration::from_secs(self.state.settings.shutdown_grace_s);
        while self.state.open_connections() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(1), task).await;
        }
    }

    /// Open WebSocket connections now.
    pub fn open_connections(&self) -> i64 {
        self.state.open_connections()
    }
}

/// `GET /audit?conversation=&agent=&since=` (since: Unix ms): the audit trail as JSON lines,
/// oldest first (what `baton audit` reads while the server holds the data directory).
async fn audit_trail(
    State(state): State<Arc<AppState>>,
    Query(filter): Query<AuditQuery>,
) -> Response {
    let filter = crate::journal::AuditFilter {
        conversation: filter.conversation,
        agent: filter.agent,
        since_ms: filter.since.unwrap_or(0),
    };
    match state.engine.audit_trail(filter).await {
        Ok(records) => {
            let mut body = String::new();
            for record in &records {
                if let Ok(line) = serde_json::to_string(record) {
                    body.push_str(&line);
                    body.push('\n');
                }
            }
            ([(axum::http::header::CONTENT_TYPE, "application/x-ndjson")], body).into_response()
        }
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("{e}\n")).into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    conversation: Option<String>,
    agent: Option<String>,
    since: Option<u64>,
}

async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.ready.load(SeqCst) && state.engine.is_running() {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response()
    }
}

/// Credentials may come as `Authorization: Bearer …` or, for browsers that cannot set
/// headers on a WebSocket, as a query parameter.
#[derive(Debug, Default, Deserialize)]
struct Credentials {
    key: Option<String>,
    token: Option<String>,
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::to_owned)
}

fn encoding_of(ws: &WebSocketUpgrade) -> Encoding {
    match ws.selected_protocol().and_then(|p| p.to_str().ok()) {
        Some(MSGPACK) => Encoding::MessagePack,
        _ => Encoding::Json,
    }
}

/// An upgrade refused before it starts: bad credentials (401, counted as `unauthorized`) or
/// a server shutting down (503, counted as `engine_stopped`).
fn refuse(status: StatusCode, message: &'static str) -> Response {
    let code = if status == StatusCode::UNAUTHORIZED {
        crate::engine::ErrorCode::Unauthorized
    } else {
        crate::engine::ErrorCode::EngineStopped
    };
    crate::telemetry::record_error(code.as_str());
    (status, message).into_response()
}

async fn gateway_upgrade(
    State(state): State<Arc<AppState>>,
    Query(credentials): Query<Credentials>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !state.ready.load(SeqCst) {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    let key = bearer(&headers).or(credentials.key);
    if let Err(e) = auth::check_api_key(key.as_deref(), &state.settings.api_keys) {
        tracing::warn!("gateway connection refused: {e}");
        state.engine.audit(AuditKind::AuthRefused, "gateway", None, e.to_string());
        return refuse(StatusCode::UNAUTHORIZED, "unauthorized: present a gateway API key");
    }
    let ws = configure(ws, &state.settings);
    let encoding = encoding_of(&ws);
    ws.on_upgrade(move |socket| async move {
        state.connection_opened(GATEWAY);
        let session = gateway::GatewaySession::new(Arc::clone(&state));
        conn::run(socket, encoding, session, Arc::clone(&state)).await;
        state.connection_closed(GATEWAY);
    })
}

async fn agent_upgrade(
    State(state): State<Arc<AppState>>,
    Query(credentials): Query<Credentials>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !state.ready.load(SeqCst) {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    let Some(token) = bearer(&headers).or(credentials.token) else {
        state.engine.audit(AuditKind::AuthRefused, "agent", None, "no agent token".into());
        return refuse(StatusCode::UNAUTHORIZED, "unauthorized: present an agent token");
    };
    let claims = match auth::verify(&token, &state.settings.token_secret, auth::unix_now_s()) {
        Ok(claims) => claims,
        Err(e) => {
            tracing::warn!("agent connection refused: {e}");
            state.engine.audit(AuditKind::AuthRefused, "agent", None, e.to_string());
            return refuse(
                StatusCode::UNAUTHORIZED,
                "unauthorized: invalid or expired agent token",
            );
        }
    };
    let ws = configure(ws, &state.settings);
    let encoding = encoding_of(&ws);
    ws.on_upgrade(move |socket| async move {
        state.connection_opened(AGENT);
        match agent::AgentSession::connect(Arc::clone(&state), claims).await {
            Ok(session) => conn::run(socket, encoding, session, Arc::clone(&state)).await,
            Err(e) => conn::reject(socket, encoding, &e).await,
        }
        state.connection_closed(AGENT);
    })
}

const READ_BUFFER_BYTES: usize = 4096;

fn configure(ws: WebSocketUpgrade, settings: &ServerConfig) -> WebSocketUpgrade {
    // Frames up to 4× the limit are read and answered with `frame_too_large`; beyond that the
    // WebSocket layer closes the connection (1009).
    // The read buffer is allocated up front for every connection (128 KiB by default);
    // frames here are a few hundred bytes, and a larger one just takes more reads.
    ws.protocols([JSON, MSGPACK])
        .read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(settings.max_frame_bytes.saturating_mul(4))
        .max_frame_size(settings.max_frame_bytes.saturating_mul(4))
}
