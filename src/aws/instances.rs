//! EC2 instances for instance selectors: running instances by tags, with their addresses.
//!
//! One DescribeInstances call per distinct selector (`tag:KEY` filters and
//! `instance-state-name=running`), following `NextToken`; the calls run
//! concurrently with each other and with the VPC/subnet/security group
//! selectors. Read-only: never changes anything.

use std::collections::HashMap;

use aws_sdk_ec2::types::{Filter, Instance};
use futures::stream::{self, StreamExt, TryStreamExt};

use super::client::error;
use super::{Aws, AwsError};
use crate::spec::selector::{show_tags, InstanceInfo, InstanceTags};
use crate::spec::{Resolved, Selector, SelectorKind};

/// EC2 calls in flight at once for instance selectors.
const CONCURRENCY: usize = 8;

impl Aws {
    /// Resolves VPC, subnet and security group selectors and, at the same
    /// time, instance selectors: what [`Aws::resolve`] gives, with
    /// [`Resolved::instances`] filled in.
    pub async fn resolve_with_instances(
        &self,
        selectors: &[(SelectorKind, Selector)],
        instance_selectors: &[InstanceTags],
    ) -> Result<Resolved, AwsError> {
        let (mut resolved, instances) = futures::try_join!(
            self.resolve(selectors),
            self.resolve_instances(instance_selectors)
        )?;
        resolved.instances = instances;
        Ok(resolved)
    }

    /// The running instances each instance selector matches, sorted by
    /// ID (empty: none is running).
    pub async fn resolve_instances(
        &self,
        selectors: &[InstanceTags],
    ) -> Result<HashMap<InstanceTags, Vec<InstanceInfo>>, AwsError> {
        let ec2 = &self.clients.ec2;
        stream::iter(selectors.iter().filter(|s| !s.is_empty()))
            .map(|tags| async move {
                let mut found = running(ec2, tags).await?;
                found.sort();
                found.dedup_by(|a, b| a.id == b.id);
                Ok::<_, AwsError>((tags.clone(), found))
            })
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await
    }
}

/// Every running instance with all of `tags`, following `NextToken`.
async fn running(
    ec2: &aws_sdk_ec2::Client,
    tags: &InstanceTags,
) -> Result<Vec<InstanceInfo>, AwsError> {
    let mut filters: Vec<Filter> = tags
        .iter()
        .map(|(k, v)| Filter::builder().name(format!("tag:{k}")).values(v).build())
        .collect();
    filters.push(
        Filter::builder()
            .name("instance-state-name")
            .values("running")
            .build(),
    );
    let resource = format!("instances {{ tags: {} }}", show_tags(tags));
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = ec2
            .describe_instances()
            .set_filters(Some(filters.clone()))
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| error("DescribeInstances", &resource, e))?;
        out.extend(
            page.reservations()
                .iter()
                .flat_map(|r| r.instances())
                .filter_map(info),
        );
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(out),
        }
    }
}

/// An instance's ID and IPv4 addresses. The carrier IP is on a network
/// interface's association (Wavelength); the primary interface wins.
fn info(i: &Instance) -> Option<InstanceInfo> {
    let mut interfaces: Vec<_> = i.network_interfaces().iter().collect();
    interfaces.sort_by_key(|n| {
        n.attachment()
            .and_then(|a| a.device_index())
            .unwrap_or(i32::MAX)
    });
    let carrier_ip = interfaces
        .iter()
        .find_map(|n| n.association().and_then(|a| a.carrier_ip()))
        .filter(|ip| !ip.is_empty())
        .map(str::to_string);
    let some = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
    Some(InstanceInfo {
        id: i.instance_id()?.to_string(),
        private_ip: some(i.private_ip_address()),
        public_ip: some(i.public_ip_address()),
        carrier_ip,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::{
        InstanceNetworkInterface, InstanceNetworkInterfaceAssociation,
        InstanceNetworkInterfaceAttachment,
    };

    #[test]
    fn addresses_are_read_from_the_instance_and_its_interfaces() {
        let eni = |index: i32, carrier: &str| {
            InstanceNetworkInterface::builder()
                .attachment(
                    InstanceNetworkInterfaceAttachment::builder()
                        .device_index(index)
                        .build(),
                )
                .association(
                    InstanceNetworkInterfaceAssociation::builder()
                        .carrier_ip(carrier)
                        .build(),
                )
                .build()
        };
        let i = Instance::builder()
            .instance_id("i-1")
            .private_ip_address("10.0.11.5")
            .public_ip_address("")
            .network_interfaces(eni(1, "155.146.0.2"))
            .network_interfaces(eni(0, "155.146.0.1"))
            .build();
        assert_eq!(
            info(&i),
            Some(InstanceInfo {
                id: "i-1".into(),
                private_ip: Some("10.0.11.5".into()),
                public_ip: None,
                carrier_ip: Some("155.146.0.1".into()),
            })
        );
        assert_eq!(info(&Instance::builder().build()), None);
    }
}
