//! The steps before an action's terminal key as the spec writes them
//! (`authenticate: { oidc | cognito }`, `jwt_validation`), settings equal
//! to AWS's defaults left out. The OIDC client secret is never exported
//! (AWS does not return it); a spec without it keeps the one AWS has, and
//! export says so.

use serde_json::{json, Value};

use crate::model::auth::{Auth, Authenticate, Session};

use super::emit::{duration, put, Obj};

/// `terminal` (`{ forward: ... }`) with the steps of `auth` in front.
/// `what` names the listener or rule in warnings.
pub(super) fn with_steps(auth: &Auth, terminal: Value, what: &str, w: &mut Vec<String>) -> Value {
    if auth.is_empty() {
        return terminal;
    }
    let mut o = Obj::new();
    match &auth.authenticate {
        Some(Authenticate::Oidc(x)) => {
            let mut s = Obj::new();
            put(&mut s, "issuer", x.issuer.as_str());
            put(
                &mut s,
                "authorization_endpoint",
                x.authorization_endpoint.as_str(),
            );
            put(&mut s, "token_endpoint", x.token_endpoint.as_str());
            put(&mut s, "user_info_endpoint", x.user_info_endpoint.as_str());
            put(&mut s, "client_id", x.client_id.as_str());
            session(&mut s, &x.session);
            put(&mut o, "authenticate", json!({ "oidc": s }));
            w.push(format!(
                "{what}: the OIDC client secret is not exported (AWS never returns it); \
                 without `client_secret` apply keeps the one AWS has"
            ));
        }
        Some(Authenticate::Cognito(x)) => {
            let mut s = Obj::new();
            put(&mut s, "user_pool", x.user_pool.as_str());
            put(&mut s, "client_id", x.client_id.as_str());
            put(&mut s, "domain", x.domain.as_str());
            session(&mut s, &x.session);
            put(&mut o, "authenticate", json!({ "cognito": s }));
        }
        None => {}
    }
    if let Some(j) = &auth.jwt_validation {
        let mut s = Obj::new();
        put(&mut s, "issuer", j.issuer.as_str());
        put(&mut s, "jwks_endpoint", j.jwks_endpoint.as_str());
        if !j.claims.is_empty() {
            let claims: Vec<Value> = j
                .claims
                .iter()
                .map(|c| json!({ "name": c.name, "format": c.format, "values": c.values }))
                .collect();
            put(&mut s, "claims", claims);
        }
        put(&mut o, "jwt_validation", s);
    }
    if let Value::Object(t) = terminal {
        o.extend(t);
    }
    Value::Object(o)
}

/// The shared settings that differ from AWS's defaults.
fn session(o: &mut Obj, s: &Session) {
    let d = Session::default();
    if s.scope != d.scope {
        put(o, "scope", s.scope.as_str());
    }
    if s.session_cookie_name != d.session_cookie_name {
        put(o, "session_cookie_name", s.session_cookie_name.as_str());
    }
    if s.session_timeout != d.session_timeout {
        o.insert("session_timeout".into(), duration(s.session_timeout));
    }
    if s.on_unauthenticated != d.on_unauthenticated {
        put(o, "on_unauthenticated", s.on_unauthenticated.as_str());
    }
    if !s.extra_params.is_empty() {
        put(o, "extra_params", json!(s.extra_params));
    }
}
