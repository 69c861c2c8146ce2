//! The Availability Zone of each target for `lbctl targets list`.
//!
//! DescribeTargetHealth names a target's zone only when it was registered
//! with one (`all`, or a zone for IP targets outside the VPC). Otherwise
//! the zone is where the target lives: an instance's placement, or the
//! zone of the subnet of the target group's VPC that holds an IP address.
//! Read-only; a zone that cannot be found stays unknown.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use super::zones::{placements, subnets, zone_of};
use super::{Aws, AwsError, TargetGroupInfo, TargetHealth};

impl Aws {
    /// Fills in `availability_zone` of every target in `health` that AWS
    /// reported without one: at most one DescribeInstances and one
    /// DescribeSubnets (of the target group's VPC) per 200 targets.
    pub async fn fill_target_zones(
        &self,
        tg: &TargetGroupInfo,
        health: &mut [TargetHealth],
    ) -> Result<(), AwsError> {
        let ec2 = &self.clients.ec2;
        let missing = || {
            health
                .iter()
                .filter(|h| h.target.availability_zone.is_none())
        };
        let instances: BTreeSet<String> = missing()
            .filter(|h| h.target.id.starts_with("i-"))
            .map(|h| h.target.id.clone())
            .collect();
        let has_ips = missing().any(|h| h.target.id.parse::<Ipv4Addr>().is_ok());
        let vpcs: BTreeSet<String> = match (&tg.vpc_id, has_ips) {
            (Some(vpc), true) => BTreeSet::from([vpc.clone()]),
            _ => BTreeSet::new(),
        };
        let (in_vpc, placed) =
            futures::try_join!(subnets(ec2, "vpc-id", &vpcs), placements(ec2, &instances))?;
        let placed: BTreeMap<String, String> = placed.into_iter().collect();
        for h in health
            .iter_mut()
            .filter(|h| h.target.availability_zone.is_none())
        {
            h.target.availability_zone = match h.target.id.parse::<Ipv4Addr>() {
                Ok(ip) => zone_of(ip, &in_vpc),
                Err(_) => placed.get(&h.target.id).cloned(),
            };
        }
        Ok(())
    }
}
