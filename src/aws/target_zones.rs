//! The Availability Zone of each target for `lbctl targets list`.
//!
//! DescribeTargetHealth names a target's zone only when it was registered
//! with one (`all`, or a zone for IP targets outside the VPC). Otherwise
//! the zone is where the target lives: an instance's placement, or the
//! zone of the subnet of the target group's VPC that holds an IP address.
//! Read-only; a zone that cannot be found stays unknown.

use std::net::Ipv4Addr;

use aws_sdk_ec2::types::Filter;

use super::client::error;
use super::{Aws, AwsError, TargetGroupInfo, TargetHealth};

/// Values per EC2 filter (AWS accepts up to 200).
const IDS_PER_CALL: usize = 100;

impl Aws {
    /// Fills in `availability_zone` of every target in `health` that AWS
    /// reported without one.
    pub async fn fill_target_zones(
        &self,
        tg: &TargetGroupInfo,
        health: &mut [TargetHealth],
    ) -> Result<(), AwsError> {
        let missing = |h: &&mut TargetHealth| h.target.availability_zone.is_none();
        let instances: Vec<String> = health
            .iter_mut()
            .filter(missing)
            .filter(|h| h.target.id.starts_with("i-"))
            .map(|h| h.target.id.clone())
            .collect();
        let mut zones = std::collections::BTreeMap::new();
        for ids in instances.chunks(IDS_PER_CALL) {
            self.instance_zones(ids, &mut zones).await?;
        }
        let has_ips = health
            .iter_mut()
            .filter(missing)
            .any(|h| h.target.id.parse::<Ipv4Addr>().is_ok());
        let subnets = match (&tg.vpc_id, has_ips) {
            (Some(vpc), true) => self.subnet_zones(vpc).await?,
            _ => Vec::new(),
        };
        for h in health
            .iter_mut()
            .filter(|h| h.target.availability_zone.is_none())
        {
            h.target.availability_zone = match h.target.id.parse::<Ipv4Addr>() {
                Ok(ip) => zone_of(ip, &subnets),
                Err(_) => zones.get(&h.target.id).cloned(),
            };
        }
        Ok(())
    }

    async fn instance_zones(
        &self,
        ids: &[String],
        zones: &mut std::collections::BTreeMap<String, String>,
    ) -> Result<(), AwsError> {
        let filter = Filter::builder()
            .name("instance-id")
            .set_values(Some(ids.to_vec()))
            .build();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .clients
                .ec2
                .describe_instances()
                .filters(filter.clone())
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| error("DescribeInstances", "targets", e))?;
            for i in page.reservations().iter().flat_map(|r| r.instances()) {
                let zone = i.placement().and_then(|p| p.availability_zone());
                if let (Some(id), Some(zone)) = (i.instance_id(), zone) {
                    zones.insert(id.to_string(), zone.to_string());
                }
            }
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(()),
            }
        }
    }

    /// (IPv4 CIDR, zone) of every subnet of the VPC.
    async fn subnet_zones(&self, vpc: &str) -> Result<Vec<(Cidr, String)>, AwsError> {
        let filter = Filter::builder().name("vpc-id").values(vpc).build();
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .clients
                .ec2
                .describe_subnets()
                .filters(filter.clone())
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| error("DescribeSubnets", vpc, e))?;
            for s in page.subnets() {
                let cidr = s.cidr_block().and_then(Cidr::parse);
                if let (Some(cidr), Some(zone)) = (cidr, s.availability_zone()) {
                    out.push((cidr, zone.to_string()));
                }
            }
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(out),
            }
        }
    }
}

/// An IPv4 network, `10.0.1.0/24`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cidr {
    base: u32,
    len: u32,
}

impl Cidr {
    fn parse(text: &str) -> Option<Cidr> {
        let (ip, len) = text.split_once('/')?;
        let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
        Some(Cidr {
            base: u32::from(ip.parse::<Ipv4Addr>().ok()?),
            len,
        })
    }

    fn contains(self, ip: Ipv4Addr) -> bool {
        let mask = if self.len == 0 {
            0
        } else {
            u32::MAX << (32 - self.len)
        };
        u32::from(ip) & mask == self.base & mask
    }
}

/// The zone of the most specific subnet holding `ip`.
fn zone_of(ip: Ipv4Addr, subnets: &[(Cidr, String)]) -> Option<String> {
    subnets
        .iter()
        .filter(|(c, _)| c.contains(ip))
        .max_by_key(|(c, _)| c.len)
        .map(|(_, z)| z.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ip_is_in_the_zone_of_its_most_specific_subnet() {
        let subnets = vec![
            (
                Cidr::parse("10.0.0.0/16").unwrap(),
                "us-east-1a".to_string(),
            ),
            (
                Cidr::parse("10.0.12.0/24").unwrap(),
                "us-east-1b".to_string(),
            ),
        ];
        let ip = |s: &str| s.parse::<Ipv4Addr>().unwrap();
        assert_eq!(
            zone_of(ip("10.0.12.10"), &subnets).as_deref(),
            Some("us-east-1b")
        );
        assert_eq!(
            zone_of(ip("10.0.11.10"), &subnets).as_deref(),
            Some("us-east-1a")
        );
        assert_eq!(zone_of(ip("192.0.2.1"), &subnets), None);
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("192.0.2.1")));
    }
}
