//! Reading moto's state back with the SDK, for assertions shared by several
//! test files. Not every test binary uses every helper.
#![allow(dead_code)]

use aws_sdk_elasticloadbalancingv2 as elbv2;
use aws_sdk_route53::types::{ResourceRecordSet, RrType};

use super::Moto;

impl Moto {
    /// Every record set of the public hosted zone `zone` (`example.com`).
    pub async fn record_sets(&self, zone: &str) -> Vec<ResourceRecordSet> {
        record_sets(&self.route53().await, zone).await
    }

    /// The record sets named `name` (absolute, `api.example.com.`) of type
    /// `kind` in `zone`.
    pub async fn record_set(&self, zone: &str, name: &str, kind: &str) -> Vec<ResourceRecordSet> {
        self.record_sets(zone)
            .await
            .into_iter()
            .filter(|r| r.name() == name && r.r#type().as_str() == kind)
            .collect()
    }

    /// Registered targets of target group `name` as `id:port`, sorted.
    pub async fn target_ids(&self, name: &str) -> Vec<String> {
        target_ids(&self.elbv2().await, name).await
    }

    /// Deregisters every target of target group `name`; panics when it has
    /// none (the tests use it to make a group unhealthy).
    pub async fn deregister_all(&self, name: &str) {
        let c = self.elbv2().await;
        let tgs = c.describe_target_groups().names(name).send().await.unwrap();
        let arn = tgs.target_groups()[0].target_group_arn().unwrap();
        let health = c
            .describe_target_health()
            .target_group_arn(arn)
            .send()
            .await
            .unwrap();
        let targets: Vec<_> = health
            .target_health_descriptions()
            .iter()
            .filter_map(|d| d.target().cloned())
            .collect();
        assert!(!targets.is_empty(), "`{name}` has no targets to deregister");
        c.deregister_targets()
            .target_group_arn(arn)
            .set_targets(Some(targets))
            .send()
            .await
            .unwrap();
    }
}

/// Every record set of the public hosted zone `zone`, all pages of 300,
/// with a client of one's own (e.g. on another thread). moto (not AWS)
/// repeats a record where a page ends inside a weighted set; callers that
/// count dedupe.
pub async fn record_sets(c: &aws_sdk_route53::Client, zone: &str) -> Vec<ResourceRecordSet> {
    let zones = c
        .list_hosted_zones_by_name()
        .dns_name(zone)
        .send()
        .await
        .unwrap();
    let wanted = format!("{}.", zone.trim_end_matches('.'));
    let id = zones
        .hosted_zones()
        .iter()
        .find(|z| z.name() == wanted && !z.config().is_some_and(|c| c.private_zone()))
        .unwrap_or_else(|| panic!("no public zone `{zone}` in moto"))
        .id()
        .to_string();
    let mut out = Vec::new();
    let mut next: Option<(String, RrType, Option<String>)> = None;
    loop {
        let mut req = c
            .list_resource_record_sets()
            .hosted_zone_id(&id)
            .max_items(300);
        if let Some((name, kind, set_id)) = next.take() {
            req = req
                .start_record_name(name)
                .start_record_type(kind)
                .set_start_record_identifier(set_id);
        }
        let page = req.send().await.unwrap();
        out.extend(page.resource_record_sets().iter().cloned());
        if !page.is_truncated() {
            return out;
        }
        next = Some((
            page.next_record_name().unwrap().to_string(),
            page.next_record_type().unwrap().clone(),
            page.next_record_identifier().map(str::to_string),
        ));
    }
}

/// [`Moto::target_ids`] with a client of one's own.
pub async fn target_ids(c: &elbv2::Client, name: &str) -> Vec<String> {
    let tgs = c.describe_target_groups().names(name).send().await.unwrap();
    let arn = tgs.target_groups()[0].target_group_arn().unwrap();
    let out = c
        .describe_target_health()
        .target_group_arn(arn)
        .send()
        .await
        .unwrap();
    let mut ids: Vec<String> = out
        .target_health_descriptions()
        .iter()
        .map(|d| {
            let t = d.target().unwrap();
            format!("{}:{}", t.id().unwrap(), t.port().unwrap_or_default())
        })
        .collect();
    ids.sort();
    ids
}

/// The name of the target group with this ARN.
pub async fn target_group_name(c: &elbv2::Client, arn: &str) -> String {
    let out = c
        .describe_target_groups()
        .target_group_arns(arn)
        .send()
        .await
        .unwrap();
    out.target_groups()[0]
        .target_group_name()
        .unwrap()
        .to_string()
}
