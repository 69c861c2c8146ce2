//! Conversions between the SDK's authentication actions
//! (`authenticate-oidc`, `authenticate-cognito`, `jwt-validation`) and
//! `model::auth`. Pure: no API calls.
//!
//! Reading takes the first step of each kind before the terminal action
//! (by `Order`); anything else before it stays reported by
//! `unmanaged::actions`. Writing puts the steps first and the terminal
//! action last, numbered by `Order` from 1. An OIDC step without a secret
//! to send is written with `UseExistingClientSecret`, which keeps the one
//! AWS has.

use aws_sdk_elasticloadbalancingv2::types::{
    self as sdk, ActionTypeEnum, AuthenticateCognitoActionConditionalBehaviorEnum as CognitoOn,
    AuthenticateCognitoActionConfig, AuthenticateOidcActionConditionalBehaviorEnum as OidcOn,
    AuthenticateOidcActionConfig, JwtValidationActionAdditionalClaim,
    JwtValidationActionAdditionalClaimFormatEnum, JwtValidationActionConfig,
};

use crate::model::auth::{
    Auth, Authenticate, Claim, Cognito, JwtValidation, Oidc, Session, DEFAULT_COOKIE,
    DEFAULT_ON_UNAUTHENTICATED, DEFAULT_SCOPE, DEFAULT_SESSION_TIMEOUT,
};

/// The steps before the terminal action (the one with the highest `Order`).
pub(crate) fn auth_from_sdk(actions: &[sdk::Action]) -> Auth {
    let mut sorted: Vec<(usize, &sdk::Action)> = actions.iter().enumerate().collect();
    sorted.sort_by_key(|(i, a)| (a.order().unwrap_or(0), *i));
    sorted.pop();
    let mut auth = Auth::default();
    for (_, a) in sorted {
        match a.r#type() {
            Some(ActionTypeEnum::AuthenticateOidc) if auth.authenticate.is_none() => {
                auth.authenticate = a
                    .authenticate_oidc_config()
                    .map(oidc)
                    .map(Authenticate::Oidc);
            }
            Some(ActionTypeEnum::AuthenticateCognito) if auth.authenticate.is_none() => {
                auth.authenticate = a
                    .authenticate_cognito_config()
                    .map(cognito)
                    .map(Authenticate::Cognito);
            }
            Some(ActionTypeEnum::JwtValidation) if auth.jwt_validation.is_none() => {
                auth.jwt_validation = a.jwt_validation_config().map(jwt);
            }
            _ => {}
        }
    }
    auth
}

/// Whether `actions` have an OIDC step (whose secret hash lbctl reads from
/// the listener's or rule's tags).
pub(crate) fn has_oidc(actions: &[sdk::Action]) -> bool {
    actions
        .iter()
        .any(|a| a.r#type() == Some(&ActionTypeEnum::AuthenticateOidc))
}

fn text(v: Option<&str>) -> String {
    v.unwrap_or_default().to_string()
}

fn session(
    scope: Option<&str>,
    cookie: Option<&str>,
    timeout: Option<i64>,
    on: Option<&str>,
    extra: Option<&std::collections::HashMap<String, String>>,
) -> Session {
    Session {
        scope: scope.unwrap_or(DEFAULT_SCOPE).to_string(),
        session_cookie_name: cookie.unwrap_or(DEFAULT_COOKIE).to_string(),
        session_timeout: timeout.map_or(DEFAULT_SESSION_TIMEOUT, |t| t.max(0) as u64),
        on_unauthenticated: on.unwrap_or(DEFAULT_ON_UNAUTHENTICATED).to_string(),
        extra_params: extra
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

fn oidc(c: &AuthenticateOidcActionConfig) -> Oidc {
    Oidc {
        issuer: text(c.issuer()),
        authorization_endpoint: text(c.authorization_endpoint()),
        token_endpoint: text(c.token_endpoint()),
        user_info_endpoint: text(c.user_info_endpoint()),
        client_id: text(c.client_id()),
        // AWS never returns it (moto does): not read.
        client_secret: None,
        client_secret_hash: None,
        session: session(
            c.scope(),
            c.session_cookie_name(),
            c.session_timeout(),
            c.on_unauthenticated_request().map(|o| o.as_str()),
            c.authentication_request_extra_params(),
        ),
    }
}

fn cognito(c: &AuthenticateCognitoActionConfig) -> Cognito {
    Cognito {
        user_pool: text(c.user_pool_arn()),
        client_id: text(c.user_pool_client_id()),
        domain: text(c.user_pool_domain()),
        session: session(
            c.scope(),
            c.session_cookie_name(),
            c.session_timeout(),
            c.on_unauthenticated_request().map(|o| o.as_str()),
            c.authentication_request_extra_params(),
        ),
    }
}

fn jwt(c: &JwtValidationActionConfig) -> JwtValidation {
    JwtValidation {
        issuer: text(c.issuer()),
        jwks_endpoint: text(c.jwks_endpoint()),
        claims: c
            .additional_claims()
            .iter()
            .map(|claim| Claim {
                name: text(claim.name()),
                format: claim
                    .format()
                    .map(|f| f.as_str().to_string())
                    .unwrap_or_default(),
                values: claim.values().to_vec(),
            })
            .collect(),
    }
}

/// Live `actions` made fit to write back as they are: AWS does not return
/// an OIDC client secret, so each OIDC step keeps the one it has
/// (`UseExistingClientSecret`).
pub(crate) fn keep_client_secrets(actions: &mut [sdk::Action]) {
    for a in actions {
        if let Some(oidc) = a.authenticate_oidc_config.as_mut() {
            oidc.client_secret = None;
            oidc.use_existing_client_secret = Some(true);
        }
    }
}

/// The actions to write: the steps of `auth`, then `terminal`, each with
/// its `Order`. A plain action is written alone, without `Order`, as
/// before steps existed.
pub(crate) fn actions_to_sdk(auth: &Auth, terminal: sdk::Action) -> Vec<sdk::Action> {
    if auth.is_empty() {
        return vec![terminal];
    }
    let mut out = Vec::new();
    match &auth.authenticate {
        Some(Authenticate::Oidc(o)) => out.push(
            sdk::Action::builder()
                .r#type(ActionTypeEnum::AuthenticateOidc)
                .authenticate_oidc_config(oidc_to_sdk(o))
                .build(),
        ),
        Some(Authenticate::Cognito(g)) => out.push(
            sdk::Action::builder()
                .r#type(ActionTypeEnum::AuthenticateCognito)
                .authenticate_cognito_config(cognito_to_sdk(g))
                .build(),
        ),
        None => {}
    }
    if let Some(j) = &auth.jwt_validation {
        out.push(
            sdk::Action::builder()
                .r#type(ActionTypeEnum::JwtValidation)
                .jwt_validation_config(jwt_to_sdk(j))
                .build(),
        );
    }
    out.push(terminal);
    for (i, a) in out.iter_mut().enumerate() {
        a.order = Some(i as i32 + 1);
    }
    out
}

fn oidc_to_sdk(o: &Oidc) -> AuthenticateOidcActionConfig {
    let s = &o.session;
    let b = AuthenticateOidcActionConfig::builder()
        .issuer(&o.issuer)
        .authorization_endpoint(&o.authorization_endpoint)
        .token_endpoint(&o.token_endpoint)
        .user_info_endpoint(&o.user_info_endpoint)
        .client_id(&o.client_id)
        .scope(&s.scope)
        .session_cookie_name(&s.session_cookie_name)
        .session_timeout(s.session_timeout as i64)
        .on_unauthenticated_request(OidcOn::from(s.on_unauthenticated.as_str()))
        .set_authentication_request_extra_params(extra(s));
    match &o.client_secret {
        Some(secret) => b.client_secret(secret),
        None => b.use_existing_client_secret(true),
    }
    .build()
}

fn cognito_to_sdk(g: &Cognito) -> AuthenticateCognitoActionConfig {
    let s = &g.session;
    AuthenticateCognitoActionConfig::builder()
        .user_pool_arn(&g.user_pool)
        .user_pool_client_id(&g.client_id)
        .user_pool_domain(&g.domain)
        .scope(&s.scope)
        .session_cookie_name(&s.session_cookie_name)
        .session_timeout(s.session_timeout as i64)
        .on_unauthenticated_request(CognitoOn::from(s.on_unauthenticated.as_str()))
        .set_authentication_request_extra_params(extra(s))
        .build()
}

fn extra(s: &Session) -> Option<std::collections::HashMap<String, String>> {
    (!s.extra_params.is_empty()).then(|| s.extra_params.clone().into_iter().collect())
}

fn jwt_to_sdk(j: &JwtValidation) -> JwtValidationActionConfig {
    let claims = j.claims.iter().map(|c| {
        JwtValidationActionAdditionalClaim::builder()
            .name(&c.name)
            .format(JwtValidationActionAdditionalClaimFormatEnum::from(
                c.format.as_str(),
            ))
            .set_values(Some(c.values.clone()))
            .build()
    });
    JwtValidationActionConfig::builder()
        .issuer(&j.issuer)
        .jwks_endpoint(&j.jwks_endpoint)
        .set_additional_claims((!j.claims.is_empty()).then(|| claims.collect()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::auth::hash_secret;

    fn oidc_model(secret: Option<&str>) -> Oidc {
        Oidc {
            issuer: "https://idp.example.com".into(),
            authorization_endpoint: "https://idp.example.com/authorize".into(),
            token_endpoint: "https://idp.example.com/token".into(),
            user_info_endpoint: "https://idp.example.com/userinfo".into(),
            client_id: "web".into(),
            client_secret: secret.map(str::to_string),
            client_secret_hash: None,
            session: Session::default(),
        }
    }

    fn forward() -> sdk::Action {
        sdk::Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .target_group_arn("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/a/1")
            .build()
    }

    #[test]
    fn steps_go_first_in_order_and_read_back_the_same() {
        let auth = Auth {
            authenticate: Some(Authenticate::Oidc(oidc_model(Some("s3cret")))),
            jwt_validation: None,
        };
        let written = actions_to_sdk(&auth, forward());
        let orders: Vec<_> = written.iter().map(|a| a.order()).collect();
        assert_eq!(orders, [Some(1), Some(2)]);
        assert_eq!(written[1].r#type(), Some(&ActionTypeEnum::Forward));
        let config = written[0].authenticate_oidc_config().unwrap();
        assert_eq!(config.client_secret(), Some("s3cret"));
        assert_eq!(config.use_existing_client_secret(), None);
        let mut expected = auth.clone();
        expected.oidc_mut().unwrap().client_secret = None;
        assert_eq!(auth_from_sdk(&written), expected);
        assert!(has_oidc(&written));
        assert!(!hash_secret("s3cret").is_empty());
    }

    #[test]
    fn no_secret_to_send_keeps_the_existing_one() {
        let auth = Auth {
            authenticate: Some(Authenticate::Oidc(oidc_model(None))),
            jwt_validation: None,
        };
        let written = actions_to_sdk(&auth, forward());
        let config = written[0].authenticate_oidc_config().unwrap();
        assert_eq!(config.client_secret(), None);
        assert_eq!(config.use_existing_client_secret(), Some(true));
    }

    #[test]
    fn aws_defaults_read_as_the_spec_defaults() {
        let bare = sdk::Action::builder()
            .r#type(ActionTypeEnum::AuthenticateOidc)
            .order(1)
            .authenticate_oidc_config(
                AuthenticateOidcActionConfig::builder()
                    .issuer("https://i")
                    .client_id("c")
                    .build(),
            )
            .build();
        let mut terminal = forward();
        terminal.order = Some(2);
        let auth = auth_from_sdk(&[bare, terminal]);
        assert_eq!(auth.oidc().unwrap().session, Session::default());
    }

    #[test]
    fn live_oidc_steps_written_back_keep_aws_s_secret() {
        let auth = Auth {
            authenticate: Some(Authenticate::Oidc(oidc_model(Some("s3cret")))),
            jwt_validation: None,
        };
        let mut live = actions_to_sdk(&auth, forward());
        keep_client_secrets(&mut live);
        let config = live[0].authenticate_oidc_config().unwrap();
        assert_eq!(config.client_secret(), None);
        assert_eq!(config.use_existing_client_secret(), Some(true));
        let arn = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/a/1";
        let moved = crate::aws::convert::retarget(&live, arn, "arn:new").unwrap();
        assert_eq!(
            moved[0]
                .authenticate_oidc_config()
                .unwrap()
                .use_existing_client_secret(),
            Some(true)
        );
    }

    #[test]
    fn a_plain_action_is_written_alone() {
        let written = actions_to_sdk(&Auth::default(), forward());
        assert_eq!(written.len(), 1);
        assert_eq!(written[0].order(), None);
    }
}
