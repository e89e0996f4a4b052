//! What every WebSocket connection does, whatever its role: a bounded outbound buffer drained
//! by a writer task (a client that does not keep up is cut off without slowing anyone else),
//! decoding frames in either encoding, an error budget, and closing with a documented code.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

use super::AppState;
use super::close;
use super::protocol::{Encoding, ServerFrame, VERSION, encode, engine_error_frame, error_frame};
use crate::engine::{EngineError, ErrorCode};

/// One connection's side of a session: handles each request.
pub(crate) trait Session: Send {
    /// `gateway` or `agent`, for the hello frame.
    const ROLE: &'static str;

    /// Handles one frame (`binary`: MessagePack, else JSON); replies through `out`.
    fn handle(
        &mut self,
        bytes: &[u8],
        binary: bool,
        out: &Outbound,
    ) -> impl Future<Output = ()> + Send;

    /// The connection is up and has sent its hello: send what the client needs first.
    fn started(&mut self, _out: &Outbound) {}

    /// Notified when another connection takes over this session.
    fn kicked(&self) -> Option<Arc<Notify>> {
        None
    }

    /// The connection ended (`replaced`: by a newer one for the same session).
    fn closed(self, replaced: bool) -> impl Future<Output = ()> + Send;
}

enum Outgoing {
    Frame(Message),
    Close(u16, &'static str),
}

/// The sending half of a connection, cheap to clone into event forwarders.
#[derive(Clone)]
pub(crate) struct Outbound {
    tx: mpsc::Sender<Outgoing>,
    encoding: Encoding,
    slow: Arc<Notify>,
    errors: Arc<AtomicU32>,
}

impl Outbound {
    /// Queues a frame; a full buffer marks the client as too slow.
    pub fn send(&self, frame: &ServerFrame) {
        let message = match encode(frame, self.encoding) {
            Ok(bytes) => match self.encoding {
                Encoding::Json => {
                    Message::Text(String::from_utf8(bytes).unwrap_or_default().into())
                }
                Encoding::MessagePack => Message::Binary(bytes.into()),
            },
            Err(e) => {
                tracing::error!("cannot encode a frame: {e}");
                return;
            }
        };
        match self.tx.try_send(Outgoing::Frame(message)) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => self.slow.notify_one(),
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    /// Sends an error frame (and counts it against the connection's budget).
    pub fn error(
        &self,
        reference: Option<String>,
        code: ErrorCode,
        message: String,
        conversation: Option<String>,
    ) {
        self.send_error(error_frame(code, message, reference, conversation, None));
    }

    /// Sends an engine error as an error frame.
    pub fn engine_error(
        &self,
        reference: Option<String>,
        error: &EngineError,
        conversation: Option<&str>,
    ) {
        let conversation = conversation.map(str::to_owned);
        self.send_error(engine_error_frame(error, reference, conversation));
    }

    fn send_error(&self, frame: ServerFrame) {
        self.errors.fetch_add(1, Relaxed);
        if let ServerFrame::Error { code, .. } = &frame {
            crate::telemetry::record_error(code.as_str());
        }
        self.send(&frame);
    }

    /// Sends a close frame after everything queued; the client's answer ends the connection.
    pub fn close(&self, code: u16, reason: &'static str) {
        let _ = self.tx.try_send(Outgoing::Close(code, reason));
    }
}

/// Errors within a sliding window.
struct ErrorBudget {
    seen: u32,
    times: VecDeque<Instant>,
    budget: u32,
    window: Duration,
}

impl ErrorBudget {
    /// Counts new errors; false once the budget is exceeded.
    fn allows(&mut self, total: u32) -> bool {
        let now = Instant::now();
        for _ in self.seen..total {
            self.times.push_back(now);
        }
        self.seen = total;
        while self.times.front().is_some_and(|t| now.duration_since(*t) > self.window) {
            self.times.pop_front();
        }
        self.times.len() <= self.budget as usize
    }
}

async fn write_loop(
    mut sink: futures_util::stream::SplitSink<WebSocket, Message>,
    mut rx: mpsc::Receiver<Outgoing>,
) {
    while let Some(outgoing) = rx.recv().await {
        let result = match outgoing {
            Outgoing::Frame(message) => sink.send(message).await,
            Outgoing::Close(code, reason) => {
                let _ = sink
                    .send(Message::Close(Some(CloseFrame { code, reason: reason.into() })))
                    .await;
                break;
            }
        };
        if result.is_err() {
            break;
        }
    }
    let _ = sink.close().await;
}

/// Serves one connection until the client leaves, the server stops, or the client is cut off.
pub(crate) async fn run<S: Session>(
    socket: WebSocket,
    encoding: Encoding,
    mut session: S,
    state: Arc<AppState>,
) {
    let settings = &state.settings;
    let (sink, mut stream) = socket.split();
    let (tx, rx) = mpsc::channel(settings.outbound_buffer);
    let slow = Arc::new(Notify::new());
    let out =
        Outbound { tx, encoding, slow: Arc::clone(&slow), errors: Arc::new(AtomicU32::new(0)) };
    let writer = tokio::spawn(write_loop(sink, rx));
    // Subscribed before the client hears anything: a shutdown that starts once the client
    // has its hello (but before this task reaches its loop) is still seen, not missed.
    let mut stop = state.stop.subscribe();
    if *stop.borrow() {
        stop.mark_changed();
    }
    out.send(&ServerFrame::Hello { protocol: VERSION, encoding: encoding.name(), role: S::ROLE });
    session.started(&out);
    let mut budget = ErrorBudget {
        seen: 0,
        times: VecDeque::new(),
        budget: settings.error_budget,
        window: Duration::from_secs(settings.error_window_s),
    };
    let kicked = session.kicked().unwrap_or_default();
    let (mut replaced, mut cut_off) = (false, false);
    loop {
        tokio::select! {
            biased;
            _ = slow.notified() => {
                cut_off = true;
                break;
            }
            _ = stop.changed() => {
                out.close(close::GOING_AWAY, "server shutting down");
                break;
            }
            _ = kicked.notified() => {
                replaced = true;
                out.close(close::REPLACED, "replaced by a newer connection");
                break;
            }
            message = stream.next() => {
                let (bytes, binary) = match message {
                    Some(Ok(Message::Text(text))) => (text.as_bytes().to_vec(), false),
                    Some(Ok(Message::Binary(bytes))) => (bytes.to_vec(), true),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Err(e)) => {
                        if is_invalid_utf8(e) {
                            // RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection.
                            out.error(None, ErrorCode::InvalidUtf8, "a text frame is not UTF-8".into(), None);
                            out.close(close::INVALID_UTF8, "text frame not UTF-8");
                        }
                        break;
                    }
                    Some(Ok(Message::Close(_))) | None => break,
                };
                if bytes.len() > settings.max_frame_bytes {
                    let message = format!("{} bytes; at most {}", bytes.len(), settings.max_frame_bytes);
                    out.error(None, ErrorCode::FrameTooLarge, message, None);
                } else {
                    session.handle(&bytes, binary, &out).await;
                }
                if !budget.allows(out.errors.load(Relaxed)) {
                    out.close(close::ABUSE, "too many errors");
                    break;
                }
            }
        }
    }
    if cut_off {
        // The client stopped reading: drop it without waiting on its socket.
        tracing::warn!("{} connection cut off: outbound buffer full", S::ROLE);
        crate::telemetry::record_error(ErrorCode::SlowConsumer.as_str());
        writer.abort();
    } else {
        drop(out);
        let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    }
    session.closed(replaced).await;
}

fn is_invalid_utf8(error: axum::Error) -> bool {
    error
        .into_inner()
        .downcast::<tungstenite::Error>()
        .is_ok_and(|e| matches!(*e, tungstenite::Error::Utf8(_)))
}

/// Refuses a connection after the upgrade (e.g. an agent the engine will not log in).
pub(crate) async fn reject(socket: WebSocket, encoding: Encoding, error: &EngineError) {
    let (mut sink, _) = socket.split();
    crate::telemetry::record_error(error.code().as_str());
    let frame = engine_error_frame(error, None, None);
    if let Ok(bytes) = encode(&frame, encoding) {
        let message = match encoding {
            Encoding::Json => Message::Text(String::from_utf8(bytes).unwrap_or_default().into()),
            Encoding::MessagePack => Message::Binary(bytes.into()),
        };
        let _ = sink.send(message).await;
    }
    let _ = sink
        .send(Message::Close(Some(CloseFrame { code: close::REFUSED, reason: "refused".into() })))
        .await;
}
