//! Authentication: gateway API keys, and agent tokens — a base64url JSON claim set and its
//! HMAC-SHA256, naming the agent, its skills, capacity and clearances, and an expiry. Keys
//! and tokens are compared in constant time and never logged.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What an agent token grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentClaims {
    pub agent: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub team: String,
    /// (skill, proficiency 1..=5).
    pub skills: Vec<(String, u8)>,
    pub capacity: u32,
    /// Sensitive topics the agent may receive.
    #[serde(default)]
    pub clearances: Vec<String>,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
}

/// Why a credential was refused (the reason is for the client, never the credential).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("missing credentials")]
    Missing,
    #[error("invalid credentials")]
    Invalid,
    #[error("expired token")]
    Expired,
}

/// Equality that takes the same time wherever the inputs differ (length aside).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a gateway key against the configured ones (every one is compared).
pub fn check_api_key(presented: Option<&str>, keys: &[String]) -> Result<(), AuthError> {
    let presented = presented.ok_or(AuthError::Missing)?;
    let matched = keys
        .iter()
        .fold(false, |acc, key| acc | constant_time_eq(presented.as_bytes(), key.as_bytes()));
    if matched { Ok(()) } else { Err(AuthError::Invalid) }
}

fn mac(secret: &str) -> HmacSha256 {
    // HMAC accepts keys of any length.
    HmacSha256::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("hmac takes any key length"))
}

/// Signs claims into a token.
pub fn mint(claims: &AgentClaims, secret: &str) -> String {
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let mut mac = mac(secret);
    mac.update(body.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{body}.{signature}")
}

/// Verifies a token's signature (in constant time) and expiry against `now_unix_s`.
pub fn verify(token: &str, secret: &str, now_unix_s: u64) -> Result<AgentClaims, AuthError> {
    let (body, signature) = token.split_once('.').ok_or(AuthError::Invalid)?;
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| AuthError::Invalid)?;
    let mut mac = mac(secret);
    mac.update(body.as_bytes());
    mac.verify_slice(&signature).map_err(|_| AuthError::Invalid)?;
    let claims: AgentClaims = URL_SAFE_NO_PAD
        .decode(body)
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or(AuthError::Invalid)?;
    if claims.exp <= now_unix_s {
        return Err(AuthError::Expired);
    }
    Ok(claims)
}

/// Seconds since the Unix epoch (token expiry is wall-clock time, unlike everything else).
#[allow(clippy::disallowed_types)]
pub fn unix_now_s() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> AgentClaims {
        AgentClaims {
            agent: "sam".into(),
            name: "Sam".into(),
            team: "Billing".into(),
            skills: vec![("billing".into(), 4)],
            capacity: 2,
            clearances: vec!["account_security".into()],
            exp,
        }
    }

    #[test]
    fn tokens_verify_and_reject_tampering_and_expiry() {
        let token = mint(&claims(2_000), "secret");
        assert_eq!(verify(&token, "secret", 1_000), Ok(claims(2_000)));
        assert_eq!(verify(&token, "other", 1_000), Err(AuthError::Invalid));
        assert_eq!(verify(&token, "secret", 2_000), Err(AuthError::Expired));
        let (body, sig) = token.split_once('.').expect("dot");
        let forged = mint(&AgentClaims { capacity: 50, ..claims(2_000) }, "guess");
        let forged_body = forged.split_once('.').expect("dot").0;
        assert_eq!(
            verify(&format!("{forged_body}.{sig}"), "secret", 1_000),
            Err(AuthError::Invalid)
        );
        assert_eq!(verify(body, "secret", 1_000), Err(AuthError::Invalid));
        assert_eq!(verify("", "secret", 1_000), Err(AuthError::Invalid));
    }

    #[test]
    fn api_keys() {
        let keys = vec!["k1".to_owned(), "key-two".to_owned()];
        assert_eq!(check_api_key(Some("key-two"), &keys), Ok(()));
        assert_eq!(check_api_key(Some("key-twO"), &keys), Err(AuthError::Invalid));
        assert_eq!(check_api_key(None, &keys), Err(AuthError::Missing));
        assert!(
            constant_time_eq(b"abc", b"abc")
                && !constant_time_eq(b"abc", b"abd")
                && !constant_time_eq(b"a", b"ab")
        );
    }
}
