//! The steps before an action's terminal key -> `model::auth`, with AWS's
//! defaults filled in (scope `openid`, cookie `AWSELBAuthSessionCookie`,
//! 7 days, `authenticate`), so that a spec that leaves them out matches
//! what AWS reports.

use indexmap::IndexMap;

use crate::model::auth::{Auth, Authenticate, Claim, Cognito, JwtValidation, Oidc, Session};
use crate::spec::raw::RawAction;
use crate::spec::scalar::{Seconds, Text};

/// The steps of a validated action.
pub fn auth(a: &RawAction) -> Auth {
    let authenticate = a.authenticate.as_ref().and_then(|raw| {
        if let Some(o) = &raw.oidc {
            return Some(Authenticate::Oidc(Oidc {
                issuer: text(&o.issuer),
                authorization_endpoint: text(&o.authorization_endpoint),
                token_endpoint: text(&o.token_endpoint),
                user_info_endpoint: text(&o.user_info_endpoint),
                client_id: text(&o.client_id),
                client_secret: o.client_secret.as_ref().map(|s| s.0.clone()),
                client_secret_hash: None,
                session: session(
                    &o.scope,
                    &o.session_cookie_name,
                    o.session_timeout,
                    &o.on_unauthenticated,
                    &o.extra_params,
                ),
            }));
        }
        let g = raw.cognito.as_ref()?;
        Some(Authenticate::Cognito(Cognito {
            user_pool: text(&g.user_pool),
            client_id: text(&g.client_id),
            domain: text(&g.domain),
            session: session(
                &g.scope,
                &g.session_cookie_name,
                g.session_timeout,
                &g.on_unauthenticated,
                &g.extra_params,
            ),
        }))
    });
    let jwt_validation = a.jwt_validation.as_ref().map(|j| JwtValidation {
        issuer: text(&j.issuer),
        jwks_endpoint: text(&j.jwks_endpoint),
        claims: j
            .claims
            .iter()
            .flatten()
            .map(|c| Claim {
                name: text(&c.name),
                format: c.format.clone().unwrap_or_default(),
                values: c.values.iter().flatten().map(|v| v.0.clone()).collect(),
            })
            .collect(),
    });
    Auth {
        authenticate,
        jwt_validation,
    }
}

fn text(t: &Option<Text>) -> String {
    t.as_ref().map(|t| t.0.clone()).unwrap_or_default()
}

fn session(
    scope: &Option<Text>,
    cookie: &Option<Text>,
    timeout: Option<Seconds>,
    on: &Option<String>,
    extra: &Option<IndexMap<String, Text>>,
) -> Session {
    let d = Session::default();
    Session {
        scope: scope.as_ref().map_or(d.scope, |s| s.0.clone()),
        session_cookie_name: cookie
            .as_ref()
            .map_or(d.session_cookie_name, |s| s.0.clone()),
        session_timeout: timeout.map_or(d.session_timeout, |t| t.0),
        on_unauthenticated: on.clone().unwrap_or(d.on_unauthenticated),
        extra_params: extra
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.0.clone()))
            .collect(),
    }
}
