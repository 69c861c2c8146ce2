//! The steps a listener's default action or a rule's action may run before
//! its terminal action: user authentication (OIDC or Amazon Cognito) or
//! JWT validation (spec-v1 "ACTION: steps before the terminal action").
//!
//! Normalised like the rest of the model: the optional settings AWS
//! defaults (`scope`, cookie name, session timeout, behaviour when not
//! authenticated) are filled in, so a spec that leaves them out compares
//! equal to what AWS reports. The OIDC client secret is never read from
//! AWS (AWS does not return it): a desired model carries the value to send,
//! a live one the salted hash lbctl tagged the listener or rule with
//! (`CLIENT_SECRET_TAG`), and the diff compares the two
//! (`crate::diff::auth`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Tag key of a listener or rule that holds the salted SHA-256 of the OIDC
/// client secret lbctl last sent (`sha256:<salt hex>:<hash hex>`).
pub const CLIENT_SECRET_TAG: &str = "lbctl:oidc-client-secret";

/// AWS's default `Scope` of an authenticate action.
pub const DEFAULT_SCOPE: &str = "openid";
/// AWS's default `SessionCookieName`.
pub const DEFAULT_COOKIE: &str = "AWSELBAuthSessionCookie";
/// AWS's default `SessionTimeout` in seconds (7 days), also the maximum.
pub const DEFAULT_SESSION_TIMEOUT: u64 = 604_800;
/// AWS's default `OnUnauthenticatedRequest`.
pub const DEFAULT_ON_UNAUTHENTICATED: &str = "authenticate";

/// The steps before a terminal action; empty for a plain action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Auth {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticate: Option<Authenticate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt_validation: Option<JwtValidation>,
}

impl Auth {
    /// True when there is no step before the terminal action.
    pub fn is_empty(&self) -> bool {
        self.authenticate.is_none() && self.jwt_validation.is_none()
    }

    /// The OIDC step, if any.
    pub fn oidc(&self) -> Option<&Oidc> {
        match &self.authenticate {
            Some(Authenticate::Oidc(o)) => Some(o),
            _ => None,
        }
    }

    /// The OIDC step, if any, for changing.
    pub fn oidc_mut(&mut self) -> Option<&mut Oidc> {
        match &mut self.authenticate {
            Some(Authenticate::Oidc(o)) => Some(o),
            _ => None,
        }
    }
}

/// A user authentication step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authenticate {
    Oidc(Oidc),
    Cognito(Cognito),
}

/// An `authenticate-oidc` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Oidc {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub user_info_endpoint: String,
    pub client_id: String,
    /// Desired: the secret to send (from a SecureString parameter), `None`
    /// to keep the one AWS has. Live: always `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Live: the salted hash of the secret lbctl last sent, from the
    /// [`CLIENT_SECRET_TAG`] tag. Desired: `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_hash: Option<String>,
    #[serde(flatten)]
    pub session: Session,
}

/// An `authenticate-cognito` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cognito {
    /// The user pool's ARN.
    pub user_pool: String,
    pub client_id: String,
    /// The domain prefix or fully qualified domain of the user pool.
    pub domain: String,
    #[serde(flatten)]
    pub session: Session,
}

/// The settings both authenticate steps share, AWS's defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub scope: String,
    pub session_cookie_name: String,
    /// Seconds.
    pub session_timeout: u64,
    /// authenticate | allow | deny
    pub on_unauthenticated: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra_params: BTreeMap<String, String>,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            scope: DEFAULT_SCOPE.into(),
            session_cookie_name: DEFAULT_COOKIE.into(),
            session_timeout: DEFAULT_SESSION_TIMEOUT,
            on_unauthenticated: DEFAULT_ON_UNAUTHENTICATED.into(),
            extra_params: BTreeMap::new(),
        }
    }
}

/// A `jwt-validation` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JwtValidation {
    pub issuer: String,
    pub jwks_endpoint: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

/// An additional claim a `jwt-validation` step checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub name: String,
    /// single-string | string-array | space-separated-values
    pub format: String,
    pub values: Vec<String>,
}

/// The [`CLIENT_SECRET_TAG`] value for `secret`, with a fresh random salt:
/// `sha256:<salt hex>:<hash hex>`. The salt keeps a guessable secret from
/// being looked up from the tag.
pub fn hash_secret(secret: &str) -> String {
    let salt = new_salt();
    format!("sha256:{salt}:{}", salted(&salt, secret))
}

/// Whether the tag value `tag` (from [`hash_secret`]) is the hash of `secret`.
pub fn secret_matches(tag: &str, secret: &str) -> bool {
    let mut parts = tag.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("sha256"), Some(salt), Some(hash)) => salted(salt, secret) == hash,
        _ => false,
    }
}

fn salted(salt: &str, secret: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in [salt, secret] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// 16 random bytes as hex, from `/dev/urandom`; the clock, the process ID
/// and a randomly keyed hasher where there is none.
fn new_salt() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(now.as_nanos());
        h.write_u32(std::process::id());
        bytes[..8].copy_from_slice(&h.finish().to_be_bytes());
        bytes[8..].copy_from_slice(&(now.as_nanos() as u64).to_be_bytes());
    }
    hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_matches_its_salted_hash_and_nothing_else() {
        let a = hash_secret("s3cret-value");
        let b = hash_secret("s3cret-value");
        assert_ne!(a, b, "a fresh salt per write");
        assert!(!a.contains("s3cret"));
        assert!(secret_matches(&a, "s3cret-value"));
        assert!(secret_matches(&b, "s3cret-value"));
        assert!(!secret_matches(&a, "other"));
        assert!(!secret_matches("garbage", "s3cret-value"));
    }
}
