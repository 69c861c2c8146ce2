//! The steps before an action's terminal key, as written: `authenticate`
//! (`oidc` or `cognito`) and `jwt_validation`. Checked by
//! `validate::auth`, turned into `model::auth` by `desired::auth`.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::spec::scalar::{Seconds, Text};

/// `authenticate: { oidc: {...} }` or `authenticate: { cognito: {...} }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthenticate {
    pub oidc: Option<RawOidc>,
    pub cognito: Option<RawCognito>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOidc {
    pub issuer: Option<Text>,
    pub authorization_endpoint: Option<Text>,
    pub token_endpoint: Option<Text>,
    pub user_info_endpoint: Option<Text>,
    pub client_id: Option<Text>,
    pub client_secret: Option<Text>,
    pub scope: Option<Text>,
    pub session_cookie_name: Option<Text>,
    pub session_timeout: Option<Seconds>,
    pub on_unauthenticated: Option<String>,
    pub extra_params: Option<IndexMap<String, Text>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCognito {
    pub user_pool: Option<Text>,
    pub client_id: Option<Text>,
    pub domain: Option<Text>,
    pub scope: Option<Text>,
    pub session_cookie_name: Option<Text>,
    pub session_timeout: Option<Seconds>,
    pub on_unauthenticated: Option<String>,
    pub extra_params: Option<IndexMap<String, Text>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJwtValidation {
    pub issuer: Option<Text>,
    pub jwks_endpoint: Option<Text>,
    pub claims: Option<Vec<RawClaim>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub name: Option<Text>,
    pub format: Option<String>,
    pub values: Option<Vec<Text>>,
}
