//! Writing the steps before a terminal action: the actions list with its
//! `Order`, and the salted hash of an OIDC client secret that was sent,
//! kept in the listener's or rule's [`CLIENT_SECRET_TAG`] tag so that a
//! later plan can tell whether the spec's secret changed (AWS never
//! returns the secret). The secret itself is only ever put in the request.

use aws_sdk_elasticloadbalancingv2::types as sdk;

use super::{own_error, AwsError, Executor};
use crate::aws::convert_auth;
use crate::model::auth::{hash_secret, Auth, CLIENT_SECRET_TAG};
use crate::model::{Action, Tags};

impl Executor<'_> {
    /// The actions to send for `auth` before `action`. Creating (`create`)
    /// an OIDC step needs a secret to send; AWS has none to keep.
    pub(super) async fn actions(
        &self,
        name: &str,
        auth: &Auth,
        action: &Action,
        create: bool,
    ) -> Result<Vec<sdk::Action>, AwsError> {
        if create && auth.oidc().is_some_and(|o| o.client_secret.is_none()) {
            return Err(own_error(
                self.step,
                name,
                "client_secret_missing",
                "a new OIDC step needs `client_secret`: AWS has none to keep \
                 (hint: add `client_secret: \"${NAME}\"` from an SSM SecureString parameter)"
                    .into(),
            ));
        }
        let terminal = self.action(action).await?;
        Ok(convert_auth::actions_to_sdk(auth, terminal))
    }

    /// After `auth` was written to the listener or rule `arn`: when it sent
    /// an OIDC client secret, tag its salted hash (a fresh salt each time).
    pub(super) async fn tag_secret(
        &self,
        name: &str,
        arn: &str,
        auth: &Auth,
    ) -> Result<(), AwsError> {
        let Some(secret) = auth.oidc().and_then(|o| o.client_secret.as_deref()) else {
            return Ok(());
        };
        let tags = Tags::from([(CLIENT_SECRET_TAG.to_string(), hash_secret(secret))]);
        self.add_tags(name, arn, &tags).await
    }
}
