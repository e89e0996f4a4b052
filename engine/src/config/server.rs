//! The `[server]` section: `baton serve`'s listeners, credentials and client limits. Only the
//! server receives it; its `Debug` never shows a credential.

use serde::{Deserialize, Serialize};

use super::{ConfigError, invalid};

/// `baton serve`: where it listens, who may connect, and how much a client may ask of it.
/// The defaults work out of the box on loopback and are NOT secrets: set `api_keys` and
/// `token_secret` before exposing the server.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// WebSocket endpoints `/v1/gateway`, `/v1/agent`, and `/healthz`, `/readyz`.
    pub listen: String,
    /// Prometheus `/metrics`.
    pub admin_listen: String,
    /// Gateway connections present one of these (`Authorization: Bearer …` or `?key=`).
    /// Never printed (`baton config`, `Debug`).
    #[serde(skip_serializing)]
    pub api_keys: Vec<String>,
    /// Signs agent tokens (`baton token`). Never printed.
    #[serde(skip_serializing)]
    pub token_secret: String,
    /// Largest frame accepted, bytes; larger ones get `frame_too_large`.
    pub max_frame_bytes: usize,
    /// Longest message text, bytes; longer ones get `text_too_long`.
    pub max_text_bytes: usize,
    /// Frames buffered for a client that reads slowly; beyond, it is disconnected.
    pub outbound_buffer: usize,
    /// Errors a connection may cause within `error_window_s` before it is closed (4001).
    pub error_budget: u32,
    pub error_window_s: u64,
    /// An agent whose desktop disconnects keeps its conversations this long, to reconnect.
    pub agent_resume_grace_s: u64,
    /// On shutdown, seconds to let in-flight work finish.
    pub shutdown_grace_s: u64,
    /// Logs as JSON lines instead of text.
    pub log_json: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:7878".into(),
            admin_listen: "127.0.0.1:9464".into(),
            api_keys: vec![DEV_API_KEY.into()],
            token_secret: DEV_TOKEN_SECRET.into(),
            max_frame_bytes: 64 * 1024,
            max_text_bytes: 8 * 1024,
            outbound_buffer: 1024,
            error_budget: 100,
            error_window_s: 60,
            agent_resume_grace_s: 30,
            shutdown_grace_s: 10,
            log_json: false,
        }
    }
}

/// The built-in gateway key (for trying Baton on loopback only).
pub const DEV_API_KEY: &str = "dev-gateway-key";

/// The built-in token secret (for trying Baton on loopback only).
pub const DEV_TOKEN_SECRET: &str = "dev-token-secret-change-me";

impl ServerConfig {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.api_keys.is_empty() || self.api_keys.iter().any(|k| k.len() < 8) {
            return Err(invalid("server.api_keys", "needs at least one key, each 8 bytes or more"));
        }
        if self.token_secret.len() < 16 {
            return Err(invalid("server.token_secret", "must be 16 bytes or more"));
        }
        if self.max_frame_bytes < 1024
            || self.max_text_bytes == 0
            || self.max_text_bytes > self.max_frame_bytes
        {
            return Err(invalid(
                "server.max_text_bytes",
                "must be positive and fit in max_frame_bytes (at least 1024)",
            ));
        }
        if self.outbound_buffer == 0 || self.error_budget == 0 || self.error_window_s == 0 {
            return Err(invalid(
                "server",
                "outbound_buffer, error_budget and error_window_s must be at least 1",
            ));
        }
        Ok(())
    }

    /// Whether the built-in (public) credentials are in use.
    pub fn uses_dev_credentials(&self) -> bool {
        self.api_keys.iter().any(|k| k == DEV_API_KEY) || self.token_secret == DEV_TOKEN_SECRET
    }
}

impl std::fmt::Debug for ServerConfig {
    /// Every field but the credentials, which show only how many there are.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("listen", &self.listen)
            .field("admin_listen", &self.admin_listen)
            .field("api_keys", &format_args!("[{} redacted]", self.api_keys.len()))
            .field("token_secret", &format_args!("<redacted>"))
            .field("max_frame_bytes", &self.max_frame_bytes)
            .field("max_text_bytes", &self.max_text_bytes)
            .field("outbound_buffer", &self.outbound_buffer)
            .field("error_budget", &self.error_budget)
            .field("error_window_s", &self.error_window_s)
            .field("agent_resume_grace_s", &self.agent_resume_grace_s)
            .field("shutdown_grace_s", &self.shutdown_grace_s)
            .field("log_json", &self.log_json)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show() {
        let server = ServerConfig {
            api_keys: vec!["k3y-value-1234".into()],
            token_secret: "t0ken-value-abcdefgh".into(),
            ..ServerConfig::default()
        };
        let debug = format!("{server:?}");
        assert!(!debug.contains("k3y-value") && !debug.contains("t0ken-value"), "{debug}");
        let printed = toml::to_string(&server).expect("renders");
        assert!(!printed.contains("k3y-value") && !printed.contains("t0ken-value"), "{printed}");
        assert!(!printed.contains("api_keys") && !printed.contains("token_secret"), "{printed}");
        assert!(printed.contains("listen"), "{printed}");
    }
}
