//! Availability zones for the traffic analysis (`crate::traffic`): of
//! instance targets (DescribeInstances, `Placement`), of IP targets (the
//! subnet whose CIDR holds the address, DescribeSubnets) and of load
//! balancers' subnets. DescribeTargetHealth is not used: the analysis is of
//! the desired state, whose targets may not be registered yet (and moto
//! does not report zones there). Read-only: never changes anything.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use aws_sdk_ec2::types::{Filter, Instance, Subnet};

use super::client::error;
use super::{Aws, AwsError};
use crate::model::Model;
use crate::traffic::Zones;

/// Values per filter, well under EC2's limit.
const FILTER_VALUES: usize = 200;

impl Aws {
    /// The zones of the desired model's instance and IPv4 targets and of
    /// its load balancers' subnets. What EC2 does not know is left out.
    pub async fn zones(&self, model: &Model) -> Result<Zones, AwsError> {
        let ec2 = &self.clients.ec2;
        let mut instances = BTreeSet::new();
        let mut ips = Vec::new();
        let mut vpcs = BTreeSet::new();
        for tg in model.target_groups.values() {
            for t in &tg.targets.list {
                match tg.target_type.as_str() {
                    "instance" => {
                        instances.insert(t.id.clone());
                    }
                    "ip" => {
                        if let Ok(ip) = t.id.parse::<Ipv4Addr>() {
                            ips.push((t.id.clone(), ip));
                            vpcs.extend(tg.vpc_id.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        let lb_subnets: BTreeSet<String> = model
            .load_balancers
            .values()
            .flat_map(|lb| {
                lb.subnets
                    .iter()
                    .cloned()
                    .chain(lb.subnet_mappings.iter().map(|m| m.subnet.clone()))
            })
            .collect();
        let (in_vpcs, named, placed) = futures::try_join!(
            subnets(ec2, "vpc-id", &vpcs),
            subnets(ec2, "subnet-id", &lb_subnets),
            placements(ec2, &instances)
        )?;
        let mut zones = Zones::default();
        for s in in_vpcs.iter().chain(&named) {
            if let (Some(id), Some(az)) = (s.subnet_id(), s.availability_zone()) {
                zones.subnets.insert(id.to_string(), az.to_string());
            }
        }
        for (id, ip) in ips {
            if let Some(az) = zone_of(ip, &in_vpcs) {
                zones.targets.insert(id, az);
            }
        }
        zones.targets.extend(placed);
        Ok(zones)
    }
}

/// The zone of the most specific subnet whose IPv4 CIDR holds `ip`.
pub(super) fn zone_of(ip: Ipv4Addr, subnets: &[Subnet]) -> Option<String> {
    subnets
        .iter()
        .filter_map(|s| {
            let prefix = contains(s.cidr_block()?, ip)?;
            Some((prefix, s.availability_zone()?))
        })
        .max_by_key(|(prefix, _)| *prefix)
        .map(|(_, az)| az.to_string())
}

/// The prefix length of `cidr` if it holds `ip`.
fn contains(cidr: &str, ip: Ipv4Addr) -> Option<u32> {
    let (net, len) = cidr.split_once('/')?;
    let net: Ipv4Addr = net.parse().ok()?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
    (u32::from(net) & mask == u32::from(ip) & mask).then_some(len)
}

/// Every subnet matching one of `values` of filter `name`, following
/// `NextToken`; none when `values` is empty.
pub(super) async fn subnets(
    ec2: &aws_sdk_ec2::Client,
    name: &str,
    values: &BTreeSet<String>,
) -> Result<Vec<Subnet>, AwsError> {
    let list: Vec<String> = values.iter().cloned().collect();
    let mut out = Vec::new();
    for chunk in list.chunks(FILTER_VALUES) {
        let filter = Filter::builder()
            .name(name)
            .set_values(Some(chunk.to_vec()))
            .build();
        let resource = format!("subnets {name}={}", chunk.join(","));
        let mut token: Option<String> = None;
        loop {
            let page = ec2
                .describe_subnets()
                .filters(filter.clone())
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| error("DescribeSubnets", &resource, e))?;
            out.extend(page.subnets().iter().cloned());
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
    }
    Ok(out)
}

/// Instance ID -> zone of the instances of `ids` EC2 knows.
pub(super) async fn placements(
    ec2: &aws_sdk_ec2::Client,
    ids: &BTreeSet<String>,
) -> Result<Vec<(String, String)>, AwsError> {
    Ok(instances(ec2, ids)
        .await?
        .iter()
        .filter_map(|i| {
            let az = i.placement()?.availability_zone()?;
            Some((i.instance_id()?.to_string(), az.to_string()))
        })
        .collect())
}

/// The instances of `ids`, by an `instance-id` filter (an unknown ID
/// matches nothing rather than failing the call, as `InstanceIds` would);
/// no call when `ids` is empty.
pub(super) async fn instances(
    ec2: &aws_sdk_ec2::Client,
    ids: &BTreeSet<String>,
) -> Result<Vec<Instance>, AwsError> {
    let list: Vec<String> = ids.iter().cloned().collect();
    let mut out = Vec::new();
    for chunk in list.chunks(FILTER_VALUES) {
        let filter = Filter::builder()
            .name("instance-id")
            .set_values(Some(chunk.to_vec()))
            .build();
        let resource = format!("instances {}", chunk.join(","));
        let mut token: Option<String> = None;
        loop {
            let page = ec2
                .describe_instances()
                .filters(filter.clone())
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| error("DescribeInstances", &resource, e))?;
            out.extend(
                page.reservations()
                    .iter()
                    .flat_map(|r| r.instances())
                    .cloned(),
            );
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_fall_in_the_most_specific_subnet() {
        let subnet = |cidr: &str, az: &str| {
            Subnet::builder()
                .cidr_block(cidr)
                .availability_zone(az)
                .build()
        };
        let subnets = [
            subnet("10.0.0.0/16", "us-east-1c"),
            subnet("10.0.11.0/24", "us-east-1a"),
            subnet("10.0.12.0/24", "us-east-1b"),
        ];
        let at = |ip: &str| zone_of(ip.parse().unwrap(), &subnets);
        assert_eq!(at("10.0.11.40").as_deref(), Some("us-east-1a"));
        assert_eq!(at("10.0.12.40").as_deref(), Some("us-east-1b"));
        assert_eq!(at("10.0.99.1").as_deref(), Some("us-east-1c"));
        assert_eq!(at("192.168.0.1"), None);
        assert_eq!(contains("0.0.0.0/0", "1.2.3.4".parse().unwrap()), Some(0));
    }
}
