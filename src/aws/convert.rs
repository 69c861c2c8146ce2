//! Conversions between ELBv2 SDK types and the model: actions, rule
//! conditions, health checks, attributes and tags. Pure: no API calls.
//!
//! Target groups are names in the model and ARNs in the SDK; callers pass
//! the mapping (ARN -> name when reading, name -> ARN when writing).

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{
    self as sdk, ActionTypeEnum, FixedResponseActionConfig, ForwardActionConfig,
    RedirectActionConfig, RedirectActionStatusCodeEnum, TargetGroupStickinessConfig,
    TargetGroupTuple,
};

use super::AwsError;

mod rule;
use crate::model::{
    Action, FixedResponse, Forward, HealthCheck, Matcher, Redirect, Tags, Target,
    WeightedTargetGroup,
};
pub(crate) use rule::{
    conditions_from_sdk, conditions_to_sdk, transforms_from_sdk, transforms_to_sdk,
};

/// The model action of a listener or rule: its terminal action (the one
/// with the highest `Order`). Authentication actions before it are not
/// modelled; `None` when there is no forward, redirect or fixed response.
pub(crate) fn action_from_sdk(
    actions: &[sdk::Action],
    tg_names: &BTreeMap<String, String>,
) -> Option<Action> {
    let terminal = actions
        .iter()
        .enumerate()
        .max_by_key(|(i, a)| (a.order().unwrap_or(0), *i))
        .map(|(_, a)| a)?;
    match terminal.r#type()? {
        ActionTypeEnum::Forward => Some(Action::Forward(forward_from_sdk(terminal, tg_names))),
        ActionTypeEnum::Redirect => {
            let r = terminal.redirect_config()?;
            Some(Action::Redirect(Redirect {
                protocol: r.protocol().unwrap_or("#{protocol}").to_string(),
                port: r.port().unwrap_or("#{port}").to_string(),
                host: r.host().unwrap_or("#{host}").to_string(),
                path: r.path().unwrap_or("/#{path}").to_string(),
                query: r.query().unwrap_or("#{query}").to_string(),
                status: r
                    .status_code()
                    .map(|s| s.as_str())
                    .unwrap_or("HTTP_301")
                    .to_string(),
            }))
        }
        ActionTypeEnum::FixedResponse => {
            let f = terminal.fixed_response_config()?;
            Some(Action::FixedResponse(FixedResponse {
                status: f.status_code().unwrap_or_default().to_string(),
                content_type: f.content_type().map(str::to_string),
                body: f.message_body().map(str::to_string),
            }))
        }
        _ => None,
    }
}

fn forward_from_sdk(action: &sdk::Action, tg_names: &BTreeMap<String, String>) -> Forward {
    let name = |arn: &str| {
        tg_names
            .get(arn)
            .cloned()
            .unwrap_or_else(|| arn.to_string())
    };
    let config = action
        .forward_config()
        .filter(|c| !c.target_groups().is_empty());
    let (mut target_groups, stickiness) = match config {
        Some(config) => {
            let groups = config
                .target_groups()
                .iter()
                .filter_map(|t| {
                    Some(WeightedTargetGroup {
                        name: name(t.target_group_arn()?),
                        weight: t.weight().unwrap_or(1).max(0) as u32,
                    })
                })
                .collect::<Vec<_>>();
            let stickiness = config
                .target_group_stickiness_config()
                .filter(|s| s.enabled() == Some(true))
                .map(|s| s.duration_seconds().unwrap_or(0).max(0) as u64);
            (groups, stickiness)
        }
        None => {
            let groups = action
                .target_group_arn()
                .map(|arn| WeightedTargetGroup {
                    name: name(arn),
                    weight: 1,
                })
                .into_iter()
                .collect();
            (groups, None)
        }
    };
    if let [only] = target_groups.as_mut_slice() {
        only.weight = 1;
    }
    Forward {
        target_groups,
        stickiness,
    }
}

/// The SDK action for a model action. `arn` maps a target group name to its
/// ARN (names starting with `arn:` are ARNs already).
pub(crate) fn action_to_sdk(
    action: &Action,
    arn: impl Fn(&str) -> Result<String, AwsError>,
) -> Result<sdk::Action, AwsError> {
    let built = match action {
        Action::Forward(forward) => {
            let builder = sdk::Action::builder().r#type(ActionTypeEnum::Forward);
            match (forward.target_groups.as_slice(), forward.stickiness) {
                ([only], None) => builder.target_group_arn(arn(&only.name)?).build(),
                (groups, stickiness) => {
                    let mut config = ForwardActionConfig::builder();
                    for group in groups {
                        config = config.target_groups(
                            TargetGroupTuple::builder()
                                .target_group_arn(arn(&group.name)?)
                                .weight(group.weight as i32)
                                .build(),
                        );
                    }
                    let sticky = TargetGroupStickinessConfig::builder()
                        .enabled(stickiness.is_some())
                        .set_duration_seconds(stickiness.map(|d| d as i32))
                        .build();
                    builder
                        .forward_config(config.target_group_stickiness_config(sticky).build())
                        .build()
                }
            }
        }
        Action::Redirect(r) => sdk::Action::builder()
            .r#type(ActionTypeEnum::Redirect)
            .redirect_config(
                RedirectActionConfig::builder()
                    .protocol(&r.protocol)
                    .port(&r.port)
                    .host(&r.host)
                    .path(&r.path)
                    .query(&r.query)
                    .status_code(RedirectActionStatusCodeEnum::from(r.status.as_str()))
                    .build(),
            )
            .build(),
        Action::FixedResponse(f) => sdk::Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .fixed_response_config(
                FixedResponseActionConfig::builder()
                    .status_code(&f.status)
                    .set_content_type(f.content_type.clone())
                    .set_message_body(f.body.clone())
                    .build(),
            )
            .build(),
    };
    Ok(built)
}

/// `actions` with every reference to target group `from` pointed at `to`,
/// or `None` when none of them refers to `from`.
pub(crate) fn retarget(actions: &[sdk::Action], from: &str, to: &str) -> Option<Vec<sdk::Action>> {
    let mut changed = false;
    let mut out: Vec<sdk::Action> = actions
        .iter()
        .map(|action| {
            let mut action = action.clone();
            if action.target_group_arn.as_deref() == Some(from) {
                action.target_group_arn = Some(to.to_string());
                changed = true;
            }
            if let Some(config) = action.forward_config.as_mut() {
                for tuple in config.target_groups.iter_mut().flatten() {
                    if tuple.target_group_arn.as_deref() == Some(from) {
                        tuple.target_group_arn = Some(to.to_string());
                        changed = true;
                    }
                }
            }
            action
        })
        .collect();
    super::convert_auth::keep_client_secrets(&mut out);
    changed.then_some(out)
}

/// ARNs of the target groups the actions forward to.
pub(crate) fn action_target_groups(actions: &[sdk::Action]) -> impl Iterator<Item = &str> {
    actions.iter().flat_map(|a| {
        let tuples = a
            .forward_config()
            .map(|c| c.target_groups())
            .unwrap_or_default();
        a.target_group_arn()
            .into_iter()
            .chain(tuples.iter().filter_map(|t| t.target_group_arn()))
    })
}

/// The health check of a target group as AWS reports it.
pub(crate) fn health_check_from_sdk(tg: &sdk::TargetGroup) -> HealthCheck {
    let count = |v: Option<i32>| v.map(|v| v.max(0) as u32);
    HealthCheck {
        enabled: tg.health_check_enabled(),
        protocol: tg.health_check_protocol().map(|p| p.as_str().to_string()),
        port: tg.health_check_port().map(str::to_string),
        path: tg.health_check_path().map(str::to_string),
        interval: count(tg.health_check_interval_seconds()),
        timeout: count(tg.health_check_timeout_seconds()),
        healthy_threshold: count(tg.healthy_threshold_count()),
        unhealthy_threshold: count(tg.unhealthy_threshold_count()),
        matcher: tg
            .matcher()
            .and_then(|m| match (m.http_code(), m.grpc_code()) {
                (Some(code), _) => Some(Matcher::HttpCode(code.to_string())),
                (None, Some(code)) => Some(Matcher::GrpcCode(code.to_string())),
                (None, None) => None,
            }),
    }
}

pub(crate) fn matcher_to_sdk(matcher: &Matcher) -> sdk::Matcher {
    match matcher {
        Matcher::HttpCode(code) => sdk::Matcher::builder().http_code(code).build(),
        Matcher::GrpcCode(code) => sdk::Matcher::builder().grpc_code(code).build(),
    }
}

/// True when any health check setting is managed.
pub(crate) fn health_check_is_set(h: &HealthCheck) -> bool {
    h != &HealthCheck::default()
}

pub(crate) fn tags_to_sdk(tags: &Tags) -> Vec<sdk::Tag> {
    tags.iter()
        .map(|(k, v)| sdk::Tag::builder().key(k).value(v).build())
        .collect()
}

pub(crate) fn tags_from_sdk(tags: &[sdk::Tag]) -> Tags {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

pub(crate) fn target_to_sdk(target: &Target) -> sdk::TargetDescription {
    sdk::TargetDescription::builder()
        .id(&target.id)
        .set_port(target.port.map(i32::from))
        .set_availability_zone(target.availability_zone.clone())
        .set_quic_server_id(target.quic_server_id.clone())
        .build()
}
