//! Reading the steps before listeners' and rules' terminal actions
//! (`model::auth`), with the salted hash of the OIDC client secret lbctl
//! last sent, from the listener's or rule's tags. Read-only.

use std::collections::HashMap;

use aws_sdk_elasticloadbalancingv2::types as sdk;
use aws_sdk_elasticloadbalancingv2::Client;

use super::read::{rule_priority, ListenerDetails};
use super::{convert_auth, fetch, AwsError};
use crate::model::{self, Listener};

/// The [`CLIENT_SECRET_TAG`](model::auth::CLIENT_SECRET_TAG) of each
/// listener and rule with an OIDC step, by ARN: its tags are read only
/// then (DescribeTags, 20 ARNs a call), so reading a stack without OIDC
/// costs no extra call.
pub(super) async fn secret_hashes(
    elb: &Client,
    listeners: &HashMap<usize, Vec<sdk::Listener>>,
    details: &ListenerDetails,
) -> Result<HashMap<String, String>, AwsError> {
    let mut arns: Vec<String> = Vec::new();
    for l in listeners.values().flatten() {
        if convert_auth::has_oidc(l.default_actions()) {
            arns.extend(l.listener_arn().map(str::to_string));
        }
    }
    for (_, rules) in details.values() {
        for r in rules.iter().filter(|r| r.is_default() != Some(true)) {
            if convert_auth::has_oidc(r.actions()) {
                arns.extend(r.rule_arn().map(str::to_string));
            }
        }
    }
    if arns.is_empty() {
        return Ok(HashMap::new());
    }
    let tags = fetch::all_tags(elb, &arns).await?;
    Ok(tags
        .into_iter()
        .filter_map(|(arn, mut t)| Some((arn, t.remove(model::auth::CLIENT_SECRET_TAG)?)))
        .collect())
}

/// The steps before the default action and each rule's action, with the
/// OIDC secret hash from the tags.
pub(super) fn auth_model(
    listener: &mut Listener,
    l: &sdk::Listener,
    rules: &[sdk::Rule],
    hashes: &HashMap<String, String>,
) {
    let with_hash = |actions: &[sdk::Action], arn: Option<&str>| {
        let mut auth = convert_auth::auth_from_sdk(actions);
        if let Some(o) = auth.oidc_mut() {
            o.client_secret_hash = arn.and_then(|a| hashes.get(a)).cloned();
        }
        auth
    };
    listener.default_auth = with_hash(l.default_actions(), l.listener_arn());
    for r in rules {
        if let Some(rule) = rule_priority(r).and_then(|p| listener.rules.get_mut(&p)) {
            rule.auth = with_hash(r.actions(), r.rule_arn());
        }
    }
}
