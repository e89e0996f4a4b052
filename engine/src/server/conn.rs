//! What every WebSocket connection does, whatever its role: a bounded outbound buffer that the
//! connection's task writes out, a burst of frames at a time (a client that does not keep up
//! is cut off without slowing anyone else),
//! decoding frames in either encoding, an error budget, and closing with a documented code.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

use super::AppState;
use super::close;
use super::protocol::{
    Encoding, ServerFrame, VERSION, encode, encode_text, engine_error_frame, error_frame,
};
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
///
/// The connection's own frames (its replies, written by its task) wait in `own`, which does
/// not wake the task that fills it; a clone (an event forwarder, another task) sends through
/// the channel, which wakes the connection's task. Each holds at most `outbound_buffer`
/// frames.
pub(crate) struct Outbound {
    tx: mpsc::Sender<Outgoing>,
    own: Option<Mutex<VecDeque<Outgoing>>>,
    capacity: usize,
    encoding: Encoding,
    slow: Arc<Notify>,
    errors: Arc<AtomicU32>,
}

impl Clone for Outbound {
    /// A sender for another task: through the channel.
    fn clone(&self) -> Self {
        Outbound {
            tx: self.tx.clone(),
            own: None,
            capacity: self.capacity,
            encoding: self.encoding,
            slow: Arc::clone(&self.slow),
            errors: Arc::clone(&self.errors),
        }
    }
}

impl Outbound {
    /// Queues a frame; a full buffer marks the client as too slow.
    pub fn send(&self, frame: &ServerFrame) {
        let message = match self.encoding {
            Encoding::Json => encode_text(frame).map(|text| Message::Text(text.into())),
            Encoding::MessagePack => {
                encode(frame, self.encoding).map(|b| Message::Binary(b.into()))
            }
        };
        let message = match message {
            Ok(message) => message,
            Err(e) => {
                tracing::error!("cannot encode a frame: {e}");
                return;
            }
        };
        if !self.queue(Outgoing::Frame(message)) {
            self.slow.notify_one();
        }
    }

    /// Queues in `own` or the channel; false when full. A closed channel (the connection has
    /// written its close frame) takes everything and drops it.
    fn queue(&self, outgoing: Outgoing) -> bool {
        match &self.own {
            // The close frame is written: what follows is dropped (the client reads no more).
            Some(_) if self.tx.is_closed() => true,
            Some(own) => {
                let mut own = own.lock().unwrap_or_else(PoisonError::into_inner);
                if own.len() >= self.capacity {
                    return false;
                }
                own.push_back(outgoing);
                true
            }
            None => !matches!(self.tx.try_send(outgoing), Err(mpsc::error::TrySendError::Full(_))),
        }
    }

    /// The next of the connection's own frames.
    fn pop_own(&self) -> Option<Outgoing> {
        let own = self.own.as_ref()?;
        own.lock().unwrap_or_else(PoisonError::into_inner).pop_front()
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
        let _ = self.queue(Outgoing::Close(code, reason));
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

/// Frames handled one after another, replies unflushed, while more are already read: then
/// the replies go out in one write.
const MAX_BATCH: usize = 64;

/// The connection's writing half, driven by the connection's own task: frames queued in the
/// outbound buffer are fed to the socket and flushed once per batch, so a burst of replies
/// is one write (and a reply no task hop).
struct Writer {
    sink: SplitSink<WebSocket, Message>,
    /// Frames fed since the last completed flush.
    unflushed: bool,
    /// The socket takes no more for now: nothing is taken from the buffer until it does, so
    /// the buffer's bound applies to a client that stops reading.
    blocked: bool,
    /// A close frame was written: nothing more is.
    closed: bool,
    /// The connection's close frame, waiting for what other tasks queued before it.
    closing: Option<(u16, &'static str)>,
    /// Frames handed to the socket so far.
    written: u64,
}

/// The socket failed: the connection is over.
struct Broken;

/// Polls once with the task's own waker (so a pending poll wakes the task).
async fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut *future).poll(cx))).await
}

impl Writer {
    /// Writes what is queued (the connection's own frames first), then flushes; stops,
    /// marked blocked, where the socket would not take more.
    async fn pump(
        &mut self,
        out: &Outbound,
        rx: &mut mpsc::Receiver<Outgoing>,
    ) -> Result<(), Broken> {
        while !self.blocked && !self.closed {
            match poll_once(&mut std::future::poll_fn(|cx| self.sink.poll_ready_unpin(cx))).await {
                Poll::Pending => self.blocked = true,
                Poll::Ready(Err(_)) => return Err(Broken),
                Poll::Ready(Ok(())) => {
                    let own = if self.closing.is_none() { out.pop_own() } else { None };
                    let next = match own {
                        // What other tasks queued before the close goes out before it.
                        Some(Outgoing::Close(code, reason)) => {
                            self.closing = Some((code, reason));
                            continue;
                        }
                        Some(frame) => frame,
                        None => match rx.try_recv() {
                            Ok(outgoing) => outgoing,
                            Err(_) => match self.closing.take() {
                                Some((code, reason)) => Outgoing::Close(code, reason),
                                None => break,
                            },
                        },
                    };
                    self.start(next, rx)?;
                }
            }
        }
        if self.unflushed && !self.blocked {
            match poll_once(&mut std::future::poll_fn(|cx| self.sink.poll_flush_unpin(cx))).await {
                Poll::Pending => self.blocked = true,
                Poll::Ready(Err(_)) => return Err(Broken),
                Poll::Ready(Ok(())) => self.unflushed = false,
            }
        }
        Ok(())
    }

    /// Hands one frame to the socket (after `poll_ready`).
    fn start(
        &mut self,
        outgoing: Outgoing,
        rx: &mut mpsc::Receiver<Outgoing>,
    ) -> Result<(), Broken> {
        let message = match outgoing {
            Outgoing::Frame(message) => message,
            Outgoing::Close(code, reason) => {
                // Nothing goes out after the close frame; later sends are dropped.
                self.closed = true;
                rx.close();
                Message::Close(Some(CloseFrame { code, reason: reason.into() }))
            }
        };
        self.unflushed = true;
        self.written += 1;
        self.sink.start_send_unpin(message).map_err(|_| Broken)
    }

    /// Waits until the socket takes the rest of what was written.
    async fn unblock(&mut self) -> Result<(), Broken> {
        std::future::poll_fn(|cx| self.sink.poll_flush_unpin(cx)).await.map_err(|_| Broken)?;
        (self.blocked, self.unflushed) = (false, false);
        Ok(())
    }

    /// Writes everything queued (up to a close frame), then closes the socket.
    async fn finish(mut self, out: &Outbound, mut rx: mpsc::Receiver<Outgoing>) {
        loop {
            if self.pump(out, &mut rx).await.is_err() {
                return;
            }
            if !self.blocked {
                break;
            }
            if self.unblock().await.is_err() {
                return;
            }
        }
        let _ = self.sink.close().await;
    }
}

/// What the connection's loop does next.
enum Step {
    CutOff,
    Stop,
    Kicked,
    Unblocked(Result<(), Broken>),
    Incoming(Option<Result<Message, axum::Error>>),
    Outgoing(Option<Outgoing>),
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
    let (tx, mut rx) = mpsc::channel(settings.outbound_buffer);
    let slow = Arc::new(Notify::new());
    let out = Outbound {
        tx,
        own: Some(Mutex::new(VecDeque::new())),
        capacity: settings.outbound_buffer,
        encoding,
        slow: Arc::clone(&slow),
        errors: Arc::new(AtomicU32::new(0)),
    };
    let mut writer =
        Writer { sink, unflushed: false, blocked: false, closed: false, closing: None, written: 0 };
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
    let mut broken = writer.pump(&out, &mut rx).await.is_err();
    while !broken {
        let step = tokio::select! {
            biased;
            _ = slow.notified() => Step::CutOff,
            _ = stop.changed() => Step::Stop,
            _ = kicked.notified() => Step::Kicked,
            unblocked = writer.unblock(), if writer.blocked => Step::Unblocked(unblocked),
            message = stream.next() => Step::Incoming(message),
            outgoing = rx.recv(), if !writer.blocked && !writer.closed => Step::Outgoing(outgoing),
        };
        match step {
            Step::CutOff => {
                cut_off = true;
                break;
            }
            Step::Stop => {
                out.close(close::GOING_AWAY, "server shutting down");
                break;
            }
            Step::Kicked => {
                replaced = true;
                out.close(close::REPLACED, "replaced by a newer connection");
                break;
            }
            Step::Unblocked(result) => broken = result.is_err(),
            Step::Outgoing(None) => {}
            Step::Outgoing(Some(outgoing)) => broken = writer.start(outgoing, &mut rx).is_err(),
            Step::Incoming(mut message) => {
                let mut handled = 0;
                let mut over = false;
                // The frames already read are handled before their replies are flushed.
                loop {
                    let (bytes, binary) = match &message {
                        Some(Ok(Message::Text(text))) => (text.as_bytes(), false),
                        Some(Ok(Message::Binary(bytes))) => (&bytes[..], true),
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => (&[][..], false),
                        Some(Err(_)) => {
                            if let Some(Err(e)) = message
                                && is_invalid_utf8(e)
                            {
                                // RFC 6455 §8.1: a text frame that is not UTF-8 fails the
                                // connection.
                                out.error(
                                    None,
                                    ErrorCode::InvalidUtf8,
                                    "a text frame is not UTF-8".into(),
                                    None,
                                );
                                out.close(close::INVALID_UTF8, "text frame not UTF-8");
                            }
                            over = true;
                            break;
                        }
                        Some(Ok(Message::Close(_))) | None => {
                            over = true;
                            break;
                        }
                    };
                    if matches!(message, Some(Ok(Message::Text(_) | Message::Binary(_)))) {
                        if bytes.len() > settings.max_frame_bytes {
                            let message = format!(
                                "{} bytes; at most {}",
                                bytes.len(),
                                settings.max_frame_bytes
                            );
                            out.error(None, ErrorCode::FrameTooLarge, message, None);
                        } else {
                            let mut handling = std::pin::pin!(session.handle(bytes, binary, &out));
                            if poll_once(&mut handling).await.is_pending() {
                                // It waits on the engine: what earlier frames answered goes out
                                // first.
                                if writer.pump(&out, &mut rx).await.is_err() {
                                    broken = true;
                                }
                                handling.await;
                            }
                        }
                        if !budget.allows(out.errors.load(Relaxed)) {
                            out.close(close::ABUSE, "too many errors");
                            over = true;
                            break;
                        }
                    }
                    handled += 1;
                    if broken || handled == MAX_BATCH {
                        break;
                    }
                    match poll_once(&mut stream.next()).await {
                        Poll::Ready(next) => message = next,
                        Poll::Pending => break,
                    }
                }
                if over {
                    break;
                }
            }
        }
        if !broken {
            let written = writer.written;
            broken = writer.pump(&out, &mut rx).await.is_err();
            if writer.written != written {
                // Give this CPU to whoever the replies woke before the work they started (the
                // handoff after an escalation, say) runs: a gateway or load generator on this
                // host then reads its reply at once instead of waiting behind that work. On a
                // host of its own the call returns at once (docs/decisions.md).
                std::thread::yield_now();
            }
        }
    }
    if cut_off {
        // The client stopped reading: drop it without waiting on its socket.
        tracing::warn!("{} connection cut off: outbound buffer full", S::ROLE);
        crate::telemetry::record_error(ErrorCode::SlowConsumer.as_str());
    } else if !broken {
        let _ = tokio::time::timeout(Duration::from_secs(2), writer.finish(&out, rx)).await;
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
