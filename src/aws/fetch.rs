//! The ELBv2 describe calls behind a read, one function per call: every
//! page followed (moto ignores page sizes), results as SDK types or model
//! values. Read-only; knows nothing about stacks or what to keep.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_elasticloadbalancingv2::types::{
    self as sdk, TargetHealthReasonEnum, TargetHealthStateEnum,
};
use aws_sdk_elasticloadbalancingv2::Client;
use futures::stream::{self, StreamExt, TryStreamExt};

use super::client::error;
use super::{convert, AwsError};
use crate::model::{Attributes, Tags, Target};

/// DescribeTags calls in flight at once.
const CONCURRENCY: usize = 8;
/// DescribeLoadBalancers / DescribeTargetGroups page size (AWS's maximum).
const PAGE_SIZE: i32 = 400;
/// ARNs per DescribeTags call (AWS's maximum).
const TAG_BATCH: usize = 20;

pub(crate) async fn all_load_balancers(elb: &Client) -> Result<Vec<sdk::LoadBalancer>, AwsError> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let page = elb
            .describe_load_balancers()
            .page_size(PAGE_SIZE)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| error("DescribeLoadBalancers", "*", e))?;
        out.extend(page.load_balancers().iter().cloned());
        marker = next(page.next_marker());
        if marker.is_none() {
            return Ok(out);
        }
    }
}

pub(crate) async fn all_target_groups(elb: &Client) -> Result<Vec<sdk::TargetGroup>, AwsError> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let page = elb
            .describe_target_groups()
            .page_size(PAGE_SIZE)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| error("DescribeTargetGroups", "*", e))?;
        out.extend(page.target_groups().iter().cloned());
        marker = next(page.next_marker());
        if marker.is_none() {
            return Ok(out);
        }
    }
}

/// Every listener of a load balancer.
pub(crate) async fn listeners(elb: &Client, lb_arn: &str) -> Result<Vec<sdk::Listener>, AwsError> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let page = elb
            .describe_listeners()
            .load_balancer_arn(lb_arn)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| error("DescribeListeners", lb_arn, e))?;
        out.extend(page.listeners().iter().cloned());
        marker = next(page.next_marker());
        if marker.is_none() {
            return Ok(out);
        }
    }
}

/// Every rule of a listener, the default rule included.
pub(crate) async fn rules(elb: &Client, listener_arn: &str) -> Result<Vec<sdk::Rule>, AwsError> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let page = elb
            .describe_rules()
            .listener_arn(listener_arn)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| error("DescribeRules", listener_arn, e))?;
        out.extend(page.rules().iter().cloned());
        marker = next(page.next_marker());
        if marker.is_none() {
            return Ok(out);
        }
    }
}

/// Certificate ARNs of a listener: the default first, the rest sorted.
pub(crate) async fn certificates(
    elb: &Client,
    listener_arn: &str,
) -> Result<Vec<String>, AwsError> {
    let mut default = Vec::new();
    let mut extra = BTreeSet::new();
    let mut marker = None;
    loop {
        let page = elb
            .describe_listener_certificates()
            .listener_arn(listener_arn)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| error("DescribeListenerCertificates", listener_arn, e))?;
        for cert in page.certificates() {
            let Some(arn) = cert.certificate_arn() else {
                continue;
            };
            if cert.is_default() == Some(true) {
                default.push(arn.to_string());
            } else {
                extra.insert(arn.to_string());
            }
        }
        marker = next(page.next_marker());
        if marker.is_none() {
            break;
        }
    }
    extra.retain(|arn| !default.contains(arn));
    default.extend(extra);
    Ok(default)
}

/// Key/value pairs as the three Describe*Attributes calls return them; a
/// pair without a key is skipped, a missing value is empty.
pub(crate) fn attributes<'a>(
    pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> Attributes {
    pairs
        .filter_map(|(k, v)| Some((k?.to_string(), v.unwrap_or_default().to_string())))
        .collect()
}

pub(crate) async fn lb_attributes(elb: &Client, arn: &str) -> Result<Attributes, AwsError> {
    let out = elb
        .describe_load_balancer_attributes()
        .load_balancer_arn(arn)
        .send()
        .await
        .map_err(|e| error("DescribeLoadBalancerAttributes", arn, e))?;
    Ok(attributes(
        out.attributes().iter().map(|a| (a.key(), a.value())),
    ))
}

pub(crate) async fn tg_attributes(elb: &Client, arn: &str) -> Result<Attributes, AwsError> {
    let out = elb
        .describe_target_group_attributes()
        .target_group_arn(arn)
        .send()
        .await
        .map_err(|e| error("DescribeTargetGroupAttributes", arn, e))?;
    Ok(attributes(
        out.attributes().iter().map(|a| (a.key(), a.value())),
    ))
}

/// Registered targets: draining targets and unused ones that are not
/// registered (`Target.NotRegistered`) do not count.
pub(crate) async fn targets(elb: &Client, arn: &str) -> Result<BTreeSet<Target>, AwsError> {
    let out = elb
        .describe_target_health()
        .target_group_arn(arn)
        .send()
        .await
        .map_err(|e| error("DescribeTargetHealth", arn, e))?;
    Ok(out
        .target_health_descriptions()
        .iter()
        .filter(|d| {
            let health = d.target_health();
            let state = health.and_then(|h| h.state());
            let reason = health.and_then(|h| h.reason());
            let gone = state == Some(&TargetHealthStateEnum::Draining)
                || (state == Some(&TargetHealthStateEnum::Unused)
                    && reason == Some(&TargetHealthReasonEnum::NotRegistered));
            !gone
        })
        .filter_map(|d| {
            let t = d.target()?;
            Some(Target {
                id: t.id()?.to_string(),
                port: t.port().and_then(|p| u16::try_from(p).ok()),
                availability_zone: t.availability_zone().map(str::to_string),
                quic_server_id: t.quic_server_id().map(str::to_string),
            })
        })
        .collect())
}

/// Tags of every ARN, in batches of [`TAG_BATCH`].
pub(crate) async fn all_tags(
    elb: &Client,
    arns: &[String],
) -> Result<HashMap<String, Tags>, AwsError> {
    let pages: Vec<Vec<(String, Tags)>> = stream::iter(arns.chunks(TAG_BATCH))
        .map(|chunk| async move {
            let out = elb
                .describe_tags()
                .set_resource_arns(Some(chunk.to_vec()))
                .send()
                .await
                .map_err(|e| error("DescribeTags", &chunk.join(","), e))?;
            Ok::<_, AwsError>(
                out.tag_descriptions()
                    .iter()
                    .filter_map(|d| {
                        Some((
                            d.resource_arn()?.to_string(),
                            convert::tags_from_sdk(d.tags()),
                        ))
                    })
                    .collect(),
            )
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(pages.into_iter().flatten().collect())
}

fn next(marker: Option<&str>) -> Option<String> {
    marker.filter(|m| !m.is_empty()).map(str::to_string)
}
