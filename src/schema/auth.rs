//! The steps before an action's terminal key: `authenticate` (`oidc` or
//! `cognito`) and `jwt_validation` (HTTPS listeners of application load
//! balancers and their rules).

use serde_json::{json, Value};

use super::scalars::{duration, list, param, pattern, word};
use super::{d, object, one_key_of, r, with, WEEK};

const HTTPS_URL: &str = "^https://[^/?#\\s]+";
const ON_UNAUTHENTICATED: &[&str] = &["authenticate", "allow", "deny"];
const CLAIM_FORMATS: &[&str] = &["single-string", "string-array", "space-separated-values"];

fn url(what: &str) -> Value {
    d(&format!("{what}: a full https URL."), pattern(HTTPS_URL))
}

/// `scope`, `session_cookie_name`, `session_timeout`, `on_unauthenticated`
/// and `extra_params`, added to `props`.
fn session(mut props: Value) -> Value {
    if let Value::Object(m) = &mut props {
        let more = json!({
            "scope": d("Claims to request (default `openid`).", r("text")),
            "session_cookie_name": d("Default `AWSELBAuthSessionCookie`.", r("text")),
            "session_timeout": d("1 s..7 d (default 7 d).", duration(1, WEEK)),
            "on_unauthenticated": d("authenticate (default) | allow | deny.", word(ON_UNAUTHENTICATED, false)),
            "extra_params": d("Up to 10 query parameters for the authorization request.", json!({
                "type": "object",
                "maxProperties": 10,
                "additionalProperties": r("text")
            }))
        });
        if let Value::Object(more) = more {
            m.extend(more);
        }
    }
    props
}

pub(super) fn authenticate() -> Value {
    with(
        d(
            "User authentication before the terminal action: `oidc` or `cognito`.",
            object(json!({ "oidc": r("oidc"), "cognito": r("cognito") })),
        ),
        json!({ "oneOf": one_key_of(&["oidc", "cognito"]) }),
    )
}

pub(super) fn oidc() -> Value {
    let props = session(json!({
        "issuer": url("The IdP's issuer"),
        "authorization_endpoint": url("Authorization endpoint"),
        "token_endpoint": url("Token endpoint"),
        "user_info_endpoint": url("User info endpoint"),
        "client_id": r("text"),
        "client_secret": d(
            "`${name}` of an SSM SecureString parameter (never printed); leave out to keep the one AWS has.",
            param()
        )
    }));
    with(
        d("An OpenID Connect identity provider.", object(props)),
        json!({ "required": ["issuer", "authorization_endpoint", "token_endpoint", "user_info_endpoint", "client_id"] }),
    )
}

pub(super) fn cognito() -> Value {
    let props = session(json!({
        "user_pool": d("The user pool's ARN.", pattern("^arn:aws[a-z-]*:cognito-idp:")),
        "client_id": r("text"),
        "domain": d("The user pool domain prefix or full domain.", r("text"))
    }));
    with(
        d("An Amazon Cognito user pool.", object(props)),
        json!({ "required": ["user_pool", "client_id", "domain"] }),
    )
}

pub(super) fn jwt_validation() -> Value {
    with(
        d(
            "Validate a JWT access token before the terminal action.",
            object(json!({
                "issuer": d("The token's `iss`.", r("text")),
                "jwks_endpoint": url("The JSON Web Key Set endpoint"),
                "claims": d("Up to 10 additional claims.", json!({
                    "type": "array",
                    "maxItems": 10,
                    "items": r("jwt_claim")
                }))
            })),
        ),
        json!({ "required": ["issuer", "jwks_endpoint"] }),
    )
}

pub(super) fn jwt_claim() -> Value {
    with(
        object(json!({
            "name": d("Not `exp`, `iss`, `nbf` or `iat` (always validated).", r("text")),
            "format": word(CLAIM_FORMATS, false),
            "values": d("1..10 values.", json!({ "maxItems": 10, "allOf": [list(r("text"))] }))
        })),
        json!({ "required": ["name", "format", "values"] }),
    )
}
