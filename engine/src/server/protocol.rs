//! The wire protocol (PROTOCOL.md): request frames from the chat front end's gateway and from
//! agent desktops, server frames back, and the two encodings. This is the only module that
//! knows the frame formats; the same serde types serve JSON (text frames) and MessagePack
//! (binary frames, maps with named fields).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::{AgentEvent, ConversationEvent, EngineError, ErrorCode, State, Turn};
use crate::escalation::{Reason, Sentiment, Tier};
use crate::routing::Presence;

/// Protocol version, in the subprotocol names and the hello frame.
pub const VERSION: &str = "baton.v1";
/// Subprotocol for JSON.
pub const JSON: &str = "baton.v1.json";
/// Subprotocol for MessagePack.
pub const MSGPACK: &str = "baton.v1.msgpack";

/// How server frames are encoded on a connection (requests are accepted in both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    MessagePack,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Json => "json",
            Encoding::MessagePack => "msgpack",
        }
    }
}

/// A request from a gateway (the chat front end's backend).
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GatewayRequest {
    Open {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
        customer: String,
        #[serde(default)]
        tier: Tier,
        #[serde(default = "default_channel")]
        channel: String,
        #[serde(default)]
        prior_contacts: u32,
        #[serde(default)]
        topic: Option<String>,
    },
    CustomerMessage {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
        text: String,
    },
    BotReply {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
        text: String,
        confidence: f64,
        #[serde(default)]
        intent: Option<String>,
        #[serde(default)]
        resolved: bool,
        /// Solutions considered but not offered: `[{"text": …, "confidence": …}]`.
        #[serde(default)]
        considered: Vec<crate::context::summary::Attempt>,
        /// The bot's own summary so far, for a warm handoff.
        #[serde(default)]
        summary: Option<String>,
    },
    AskForHuman {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
    },
    AcceptCallback {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
    },
    DeclineCallback {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
    },
    Close {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
        #[serde(default)]
        resolution: Option<String>,
        #[serde(default)]
        csat: Option<u8>,
    },
    /// After a reconnect: follow these conversations again and learn their state.
    Resume {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversations: Vec<String>,
    },
    /// Account attributes for a customer's profile (shown to agents in the context packet).
    CustomerAttributes {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        customer: String,
        attributes: std::collections::BTreeMap<String, String>,
    },
    Ping {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
    },
}

fn default_channel() -> String {
    "chat".into()
}

/// Whether a handoff came at the right moment, in the agent's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Appropriate,
    Premature,
    Late,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Appropriate => "appropriate",
            Verdict::Premature => "premature",
            Verdict::Late => "late",
        }
    }
}

/// A request from an agent desktop.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum AgentRequest {
    Presence {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        presence: Presence,
    },
    Accept {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
    },
    Decline {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
    },
    Message {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
        text: String,
    },
    WrapUp {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
    },
    HandBack {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
    },
    Close {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
        #[serde(default)]
        resolution: Option<String>,
    },
    Feedback {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
        verdict: Verdict,
    },
    /// Ends the agent's session now (no grace period): its offers and conversations go back
    /// to the queue, and the server closes the connection (1000).
    Logout {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
    },
    /// The transcript of a conversation offered or assigned to this agent (after a reconnect,
    /// say).
    Transcript {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
        conversation: String,
    },
    Ping {
        #[serde(rename = "ref", default)]
        reference: Option<String>,
    },
}

/// The decision part of a `decision` frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionBody {
    pub escalate: bool,
    pub reason: Option<Reason>,
    pub fired: Vec<Reason>,
    pub topic: Option<String>,
    pub skill: Option<String>,
    pub priority: Option<u8>,
    pub sentiment: Sentiment,
    /// How frustrated the customer is: the latest message, and the conversation.
    pub frustration: crate::escalation::Frustration,
    /// The learned model's scores on a customer message (absent on bot replies, or with the
    /// model off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<crate::escalation::ModelLine>,
}

/// A conversation's state, as a `state` frame reports it after `resume` (or to an agent).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConversationStatus {
    pub conversation: String,
    pub state: State,
    /// Place in line (0 = next) while queued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate_ms: Option<u64>,
    /// Everything said so far (answer to a gateway's `resume`): what the connection missed
    /// while it was away is here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turns: Option<Vec<Turn>>,
}

/// A conversation a request named and could not act on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConversationError {
    pub conversation: String,
    pub code: ErrorCode,
    pub message: String,
}

/// A frame the server sends.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// First frame on every connection.
    Hello { protocol: &'static str, encoding: &'static str, role: &'static str },
    /// A request succeeded (with the conversation's state when it changed).
    Ok {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        conversation: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        state: Option<State>,
    },
    /// The decision on a customer message or bot reply.
    Decision {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        conversation: String,
        decision: DecisionBody,
    },
    /// A callback was scheduled: an agent will contact the customer by `promised_by_ms`
    /// (milliseconds on the engine clock; `promised_in_ms` from now).
    CallbackScheduled {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        conversation: String,
        promised_in_ms: u64,
    },
    /// Current states (answer to `resume`, and an agent's state on connect).
    State {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        conversations: Vec<ConversationStatus>,
        /// The conversations of a `resume` that could not be followed, each with its code
        /// (`unknown_conversation` for one the server does not know).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        errors: Vec<ConversationError>,
    },
    /// A conversation's transcript (answer to an agent's `transcript`).
    Transcript {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        conversation: String,
        turns: Vec<Turn>,
    },
    /// Something happened in a conversation (gateway connections).
    Event { conversation: String, event: ConversationEvent },
    /// Something happened for this agent (agent connections).
    AgentEvent { event: Arc<AgentEvent> },
    Pong {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// A request failed, or something went wrong on the connection.
    Error {
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        code: ErrorCode,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        conversation: Option<String>,
        /// With `overloaded`: when to try again.
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
}

/// Why a frame could not be read, with whatever reference it carried.
#[derive(Debug)]
pub struct BadFrame {
    pub reference: Option<String>,
    pub code: ErrorCode,
    pub message: String,
}

/// The one way an error becomes a frame: its code, the message for people, the request's
/// `ref` and the conversation when known, and the retry hint of an `overloaded` engine.
pub fn error_frame(
    code: ErrorCode,
    message: String,
    reference: Option<String>,
    conversation: Option<String>,
    retry_after_ms: Option<u64>,
) -> ServerFrame {
    ServerFrame::Error { reference, code, message, conversation, retry_after_ms }
}

/// [`error_frame`] for an engine refusal.
pub fn engine_error_frame(
    error: &EngineError,
    reference: Option<String>,
    conversation: Option<String>,
) -> ServerFrame {
    error_frame(error.code(), error.to_string(), reference, conversation, error.retry_after_ms())
}

/// Decodes a request: JSON from text frames, MessagePack from binary frames. Unknown types
/// and malformed frames are told apart, and the frame's `ref` is kept when it can be read.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], binary: bool) -> Result<T, BadFrame> {
    // A MessagePack map never starts with `{` (0x7b is a bare integer), so a binary frame
    // that does is JSON sent as bytes: accepted, and its UTF-8 checked here.
    let json = !binary || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let value: serde_json::Value = if json {
        if let Err(e) = std::str::from_utf8(bytes) {
            return Err(bad(None, ErrorCode::InvalidUtf8, format!("frame is not UTF-8: {e}")));
        }
        serde_json::from_slice(bytes)
            .map_err(|e| bad(None, ErrorCode::Malformed, format!("not JSON: {e}")))?
    } else {
        rmp_serde::from_slice(bytes).map_err(|e| match e {
            rmp_serde::decode::Error::Utf8Error(e) => {
                bad(None, ErrorCode::InvalidUtf8, format!("a string is not UTF-8: {e}"))
            }
            e => bad(None, ErrorCode::Malformed, format!("not MessagePack: {e}")),
        })?
    };
    let reference = value.get("ref").and_then(|r| r.as_str()).map(str::to_owned);
    if !value.is_object() {
        return Err(bad(reference, ErrorCode::Malformed, "a frame is a map".into()));
    }
    let Some(kind) = value.get("type").and_then(|t| t.as_str()) else {
        return Err(bad(reference, ErrorCode::Malformed, "a frame needs a string `type`".into()));
    };
    // serde names the unknown tag first; an unknown value in another field is `malformed`.
    let unknown_type = format!("unknown variant `{kind}`");
    serde_json::from_value(value).map_err(|e| {
        let message = e.to_string();
        let code = if message.starts_with(&unknown_type) {
            ErrorCode::UnknownType
        } else {
            ErrorCode::Malformed
        };
        bad(reference, code, message)
    })
}

fn bad(reference: Option<String>, code: ErrorCode, message: String) -> BadFrame {
    BadFrame { reference, code, message }
}

/// A server frame as JSON text, for a text frame (serde_json's output is UTF-8 already).
pub fn encode_text(frame: &ServerFrame) -> Result<String, String> {
    serde_json::to_string(frame).map_err(|e| e.to_string())
}

/// Encodes a server frame for the connection's encoding.
pub fn encode(frame: &ServerFrame, encoding: Encoding) -> Result<Vec<u8>, String> {
    match encoding {
        Encoding::Json => serde_json::to_vec(frame).map_err(|e| e.to_string()),
        Encoding::MessagePack => rmp_serde::to_vec_named(frame).map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_both_encodings_and_tells_errors_apart() {
        let json = br#"{"type":"customer_message","ref":"r1","conversation":"c1","text":"hi"}"#;
        let req: GatewayRequest = decode(json, false).expect("valid");
        assert!(
            matches!(req, GatewayRequest::CustomerMessage { reference: Some(r), .. } if r == "r1")
        );
        let value: serde_json::Value = serde_json::from_slice(json).expect("json");
        let packed = rmp_serde::to_vec_named(&value).expect("msgpack");
        let req: GatewayRequest = decode(&packed, true).expect("valid msgpack");
        assert!(matches!(req, GatewayRequest::CustomerMessage { .. }));
        let err =
            decode::<GatewayRequest>(br#"{"type":"fly","ref":"r2"}"#, false).expect_err("unknown");
        assert_eq!((err.code, err.reference.as_deref()), (ErrorCode::UnknownType, Some("r2")));
        let err =
            decode::<GatewayRequest>(br#"{"type":"open","ref":"r3"}"#, false).expect_err("missing");
        assert_eq!((err.code, err.reference.as_deref()), (ErrorCode::Malformed, Some("r3")));
        let err = decode::<GatewayRequest>(b"{not json", false).expect_err("not json");
        assert_eq!(err.code, "malformed");
        let err = decode::<GatewayRequest>(&[0xc1], true).expect_err("not msgpack");
        assert_eq!(err.code, "malformed");
        // {"type": <str with an invalid byte>}
        let err = decode::<GatewayRequest>(&[0x81, 0xa4, b't', b'y', b'p', b'e', 0xa1, 0xff], true)
            .expect_err("utf8");
        assert_eq!(err.code, "invalid_utf8");
        let err = decode::<GatewayRequest>(b"{\"type\":\"ping\",\"ref\":\"\xff\"}", true)
            .expect_err("utf8");
        assert_eq!(err.code, "invalid_utf8");
        let req: GatewayRequest = decode(br#" {"type":"ping"}"#, true).expect("json as bytes");
        assert!(matches!(req, GatewayRequest::Ping { reference: None }));
        let json = br#"{"type":"customer_attributes","customer":"k","attributes":{"plan":"gold"}}"#;
        let req: GatewayRequest = decode(json, false).expect("decodes");
        assert!(
            matches!(req, GatewayRequest::CustomerAttributes { ref attributes, .. } if attributes["plan"] == "gold")
        );
    }

    #[test]
    fn msgpack_frames_are_maps_with_named_fields() {
        let frame = ServerFrame::Pong { reference: Some("x".into()) };
        let bytes = encode(&frame, Encoding::MessagePack).expect("encode");
        let value: serde_json::Value = rmp_serde::from_slice(&bytes).expect("decode");
        assert_eq!(value, serde_json::json!({"type": "pong", "ref": "x"}));
    }
}
