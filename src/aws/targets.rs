//! The ELBv2 reads behind `lbctl targets`: one target group by name, the
//! health of its targets and the deregistration delay. Registering and
//! deregistering are plan steps (`Op::Targets`), run by `execute`.
//!
//! ARNs and SDK types stay here: a [`TargetGroupInfo`] keeps its ARN private and
//! health comes back as [`TargetHealth`] with plain strings. Deciding what
//! to do (capacity guard, waits, output) is the command's job, not this
//! file's.

use aws_sdk_elasticloadbalancingv2::types::{
    TargetHealthDescription, TargetHealthReasonEnum, TargetHealthStateEnum,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::client::error;
use super::{fetch, Aws, AwsError};
pub use crate::model::health::{TargetHealth, TargetState};
use crate::model::{self, Target};

/// Health checks AWS applies when a target group does not say (HTTP/HTTPS
/// defaults; the wait bound only needs an order of magnitude).
const DEFAULT_HEALTHY_THRESHOLD: u32 = 5;
const DEFAULT_INTERVAL: u32 = 30;
/// AWS's default `deregistration_delay.timeout_seconds`.
const DEFAULT_DEREGISTRATION_DELAY: u32 = 300;

/// A target group as `lbctl targets` needs it.
#[derive(Debug, Clone)]
pub struct TargetGroupInfo {
    pub name: String,
    arn: String,
    /// `None` for lambda target groups.
    pub port: Option<u16>,
    /// `instance`, `ip`, `lambda` or `alb`.
    pub target_type: String,
    /// Consecutive successful checks before a target is healthy.
    pub healthy_threshold: u32,
    /// Seconds between health checks.
    pub interval: u32,
    /// Whether any load balancer (listener or rule) forwards to it.
    pub in_use: bool,
    /// The `lbctl:stack` tag: the stack whose spec manages it.
    pub stack: Option<String>,
    /// Its VPC (`None` for lambda target groups): where IP targets'
    /// subnets, and so their zones, are looked up.
    pub vpc_id: Option<String>,
}

impl Aws {
    /// The target group with this name, with its tags; `None` if there is
    /// none in the region.
    pub async fn target_group(&self, name: &str) -> Result<Option<TargetGroupInfo>, AwsError> {
        let elb = &self.clients.elb;
        let out = match elb.describe_target_groups().names(name).send().await {
            Ok(out) => out,
            Err(e) if e.code() == Some("TargetGroupNotFound") => return Ok(None),
            Err(e) => return Err(error("DescribeTargetGroups", name, e)),
        };
        let Some(tg) = out.target_groups().first() else {
            return Ok(None);
        };
        let arn = tg.target_group_arn().unwrap_or_default().to_string();
        let tags = fetch::all_tags(elb, std::slice::from_ref(&arn))
            .await?
            .remove(&arn)
            .unwrap_or_default();
        let positive =
            |n: Option<i32>, default| n.and_then(|n| u32::try_from(n).ok()).unwrap_or(default);
        Ok(Some(TargetGroupInfo {
            name: name.to_string(),
            port: tg.port().and_then(|p| u16::try_from(p).ok()),
            target_type: tg
                .target_type()
                .map_or("instance", |t| t.as_str())
                .to_string(),
            healthy_threshold: positive(tg.healthy_threshold_count(), DEFAULT_HEALTHY_THRESHOLD),
            interval: positive(tg.health_check_interval_seconds(), DEFAULT_INTERVAL),
            in_use: !tg.load_balancer_arns().is_empty(),
            stack: model::owner(&tags).map(str::to_string),
            vpc_id: tg.vpc_id().map(str::to_string),
            arn,
        }))
    }

    /// The health of every target AWS reports for the group (registered,
    /// initial, draining), sorted by target.
    pub async fn target_health(&self, tg: &TargetGroupInfo) -> Result<Vec<TargetHealth>, AwsError> {
        let out = self
            .clients
            .elb
            .describe_target_health()
            .target_group_arn(&tg.arn)
            .send()
            .await
            .map_err(|e| error("DescribeTargetHealth", &tg.name, e))?;
        let mut health: Vec<TargetHealth> = out
            .target_health_descriptions()
            .iter()
            .filter_map(health_from_sdk)
            .collect();
        health.sort_by(|a, b| (&a.target.id, a.target.port).cmp(&(&b.target.id, b.target.port)));
        Ok(health)
    }

    /// The group's `deregistration_delay.timeout_seconds`: how long AWS
    /// drains a deregistered target at most.
    pub async fn deregistration_delay(&self, tg: &TargetGroupInfo) -> Result<u32, AwsError> {
        let attributes = fetch::tg_attributes(&self.clients.elb, &tg.arn).await?;
        Ok(attributes
            .get("deregistration_delay.timeout_seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_DEREGISTRATION_DELAY))
    }
}

pub(crate) fn health_from_sdk(d: &TargetHealthDescription) -> Option<TargetHealth> {
    let t = d.target()?;
    let health = d.target_health();
    let state = match health.and_then(|h| h.state()) {
        Some(TargetHealthStateEnum::Initial) => TargetState::Initial,
        Some(TargetHealthStateEnum::Healthy) => TargetState::Healthy,
        Some(TargetHealthStateEnum::Unhealthy) => TargetState::Unhealthy,
        Some(TargetHealthStateEnum::UnhealthyDraining) => TargetState::UnhealthyDraining,
        Some(TargetHealthStateEnum::Unused) => TargetState::Unused,
        Some(TargetHealthStateEnum::Draining) => TargetState::Draining,
        Some(TargetHealthStateEnum::Unavailable) => TargetState::Unavailable,
        Some(other) => TargetState::Other(other.as_str().to_string()),
        None => TargetState::Other("unknown".to_string()),
    };
    Some(TargetHealth {
        target: Target {
            id: t.id()?.to_string(),
            port: t.port().and_then(|p| u16::try_from(p).ok()),
            availability_zone: t.availability_zone().map(str::to_string),
            quic_server_id: t.quic_server_id().map(str::to_string),
        },
        state,
        reason: health
            .and_then(|h| h.reason())
            .map(TargetHealthReasonEnum::as_str)
            .map(str::to_string),
        description: health.and_then(|h| h.description()).map(str::to_string),
    })
}
