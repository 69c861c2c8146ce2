//! Load balancer steps: create (look first), update in place, delete (and
//! wait until it is gone, so a replacement can reuse the name).

use std::time::Duration;

use aws_sdk_elasticloadbalancingv2::types::{
    self as sdk, IpAddressType, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerTypeEnum,
};

use super::{error, has_code, AwsError, Executor};
use crate::aws::{convert, LoadBalancerEntry};
use crate::model::{Attributes, LoadBalancer, SubnetMapping};
use crate::plan::TagChange;

/// How often and how long to wait for a deleted load balancer to go.
const DELETE_POLL: Duration = Duration::from_secs(2);
const DELETE_POLLS: u32 = 90;

/// What an in-place update changes; `None` and empty stay as they are.
pub(super) struct Update<'a> {
    pub(super) subnets: Option<&'a [String]>,
    pub(super) subnet_mappings: Option<&'a [SubnetMapping]>,
    pub(super) security_groups: Option<&'a [String]>,
    pub(super) ip_address_type: Option<&'a str>,
    /// `Some(None)`: remove the pool.
    pub(super) ipam_pool: Option<Option<&'a str>>,
    pub(super) attributes: &'a Attributes,
    pub(super) tags: &'a TagChange,
}

impl Executor<'_> {
    /// Creates the load balancer (without listeners), or adopts one of that
    /// name left by an earlier apply; then sets attributes and tags.
    pub(super) async fn create_load_balancer(&self, lb: &LoadBalancer) -> Result<(), AwsError> {
        let name = lb.name.as_str();
        let found = match self.find_load_balancer(name).await? {
            Some(existing) => {
                let arn = existing.load_balancer_arn().unwrap_or_default();
                self.add_tags(name, arn, &lb.tags).await?;
                existing
            }
            None => {
                let made = self.create_load_balancer_call(lb).await?;
                self.index.note_created(self.step, created(name));
                made
            }
        };
        let entry = entry(&found);
        self.index.set_load_balancer(name, entry.clone());
        self.set_lb_attributes(name, &entry.arn, &lb.attributes)
            .await
    }

    async fn create_load_balancer_call(
        &self,
        lb: &LoadBalancer,
    ) -> Result<sdk::LoadBalancer, AwsError> {
        let gateway = lb.lb_type == "gateway";
        let mut call = self
            .elb
            .create_load_balancer()
            .name(&lb.name)
            .r#type(LoadBalancerTypeEnum::from(lb.lb_type.as_str()))
            .set_ip_address_type(lb.ip_address_type.as_deref().map(IpAddressType::from))
            .set_ipam_pools(lb.ipam_pool.as_deref().map(ipam_pools))
            .set_tags(Some(convert::tags_to_sdk(&lb.tags)).filter(|t| !t.is_empty()));
        if !gateway {
            // Gateway load balancers have no scheme and no security groups.
            call = call
                .scheme(LoadBalancerSchemeEnum::from(lb.scheme.as_str()))
                .set_security_groups(
                    lb.security_groups
                        .as_ref()
                        .map(|s| s.iter().cloned().collect()),
                );
        }
        call = if lb.subnet_mappings.is_empty() {
            call.set_subnets(Some(lb.subnets.iter().cloned().collect()))
        } else {
            call.set_subnet_mappings(Some(mappings(&lb.subnet_mappings)))
        };
        let out = call
            .send()
            .await
            .map_err(|e| error("CreateLoadBalancer", &lb.name, e))?;
        out.load_balancers()
            .first()
            .cloned()
            .ok_or_else(|| self.not_found("load balancer", &lb.name))
    }

    pub(super) async fn update_load_balancer(
        &self,
        name: &str,
        update: Update<'_>,
    ) -> Result<(), AwsError> {
        let arn = self.load_balancer_arn(name).await?;
        if let Some(mappings_) = update.subnet_mappings.filter(|m| !m.is_empty()) {
            self.elb
                .set_subnets()
                .load_balancer_arn(&arn)
                .set_subnet_mappings(Some(mappings(mappings_)))
                .send()
                .await
                .map_err(|e| error("SetSubnets", name, e))?;
        } else if let Some(subnets) = update.subnets {
            self.elb
                .set_subnets()
                .load_balancer_arn(&arn)
                .set_subnets(Some(subnets.to_vec()))
                .send()
                .await
                .map_err(|e| error("SetSubnets", name, e))?;
        }
        if let Some(groups) = update.security_groups {
            self.elb
                .set_security_groups()
                .load_balancer_arn(&arn)
                .set_security_groups(Some(groups.to_vec()))
                .send()
                .await
                .map_err(|e| error("SetSecurityGroups", name, e))?;
        }
        if let Some(kind) = update.ip_address_type {
            self.elb
                .set_ip_address_type()
                .load_balancer_arn(&arn)
                .ip_address_type(IpAddressType::from(kind))
                .send()
                .await
                .map_err(|e| error("SetIpAddressType", name, e))?;
        }
        if let Some(pool) = update.ipam_pool {
            self.modify_ip_pools(name, &arn, pool).await?;
        }
        self.set_lb_attributes(name, &arn, update.attributes)
            .await?;
        self.change_tags(name, &arn, update.tags).await
    }

    /// Moves the ALB's public IPv4 addresses to `pool`, or back to AWS's
    /// own (`None`: `RemoveIpamPools: [ipv4]`).
    async fn modify_ip_pools(
        &self,
        name: &str,
        arn: &str,
        pool: Option<&str>,
    ) -> Result<(), AwsError> {
        let call = self.elb.modify_ip_pools().load_balancer_arn(arn);
        let call = match pool {
            Some(p) => call.ipam_pools(ipam_pools(p)),
            None => call.remove_ipam_pools(sdk::RemoveIpamPoolEnum::Ipv4),
        };
        call.send()
            .await
            .map_err(|e| error("ModifyIpPools", name, e))?;
        Ok(())
    }

    /// Deletes the load balancer and waits until AWS no longer lists it;
    /// one that is already gone is fine.
    pub(super) async fn delete_load_balancer(&self, name: &str) -> Result<(), AwsError> {
        let arn = match self.index.load_balancer(name) {
            Some(entry) => entry.arn,
            None => match self.find_load_balancer(name).await? {
                Some(found) => found.load_balancer_arn().unwrap_or_default().to_string(),
                None => return Ok(()),
            },
        };
        match self
            .elb
            .delete_load_balancer()
            .load_balancer_arn(&arn)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if has_code(&e, "LoadBalancerNotFound") => {}
            Err(e) => return Err(error("DeleteLoadBalancer", name, e)),
        }
        self.index.remove_load_balancer(name);
        self.index.note_deleted(&created(name));
        for _ in 0..DELETE_POLLS {
            match self
                .elb
                .describe_load_balancers()
                .load_balancer_arns(&arn)
                .send()
                .await
            {
                Ok(out) if out.load_balancers().is_empty() => return Ok(()),
                Ok(_) => tokio::time::sleep(DELETE_POLL).await,
                Err(e) if has_code(&e, "LoadBalancerNotFound") => return Ok(()),
                Err(e) => return Err(error("DescribeLoadBalancers", name, e)),
            }
        }
        Err(crate::aws::client::own_error(
            "DeleteLoadBalancer",
            name,
            "timeout",
            format!(
                "still listed {}s after deletion",
                DELETE_POLL.as_secs() * u64::from(DELETE_POLLS)
            ),
        ))
    }

    async fn set_lb_attributes(
        &self,
        name: &str,
        arn: &str,
        attributes: &Attributes,
    ) -> Result<(), AwsError> {
        if attributes.is_empty() {
            return Ok(());
        }
        let list = attributes
            .iter()
            .map(|(k, v)| LoadBalancerAttribute::builder().key(k).value(v).build())
            .collect();
        self.elb
            .modify_load_balancer_attributes()
            .load_balancer_arn(arn)
            .set_attributes(Some(list))
            .send()
            .await
            .map_err(|e| error("ModifyLoadBalancerAttributes", name, e))?;
        Ok(())
    }

    /// The load balancer's index entry, looked up by name when not indexed.
    pub(crate) async fn load_balancer_entry(
        &self,
        name: &str,
    ) -> Result<LoadBalancerEntry, AwsError> {
        if let Some(entry) = self.index.load_balancer(name) {
            return Ok(entry);
        }
        let found = self
            .find_load_balancer(name)
            .await?
            .ok_or_else(|| self.not_found("load balancer", name))?;
        let entry = entry(&found);
        self.index.set_load_balancer(name, entry.clone());
        Ok(entry)
    }

    async fn load_balancer_arn(&self, name: &str) -> Result<String, AwsError> {
        Ok(self.load_balancer_entry(name).await?.arn)
    }

    async fn find_load_balancer(&self, name: &str) -> Result<Option<sdk::LoadBalancer>, AwsError> {
        match self.elb.describe_load_balancers().names(name).send().await {
            Ok(out) => Ok(out.load_balancers().first().cloned()),
            Err(e) if has_code(&e, "LoadBalancerNotFound") => Ok(None),
            Err(e) => Err(error("DescribeLoadBalancers", name, e)),
        }
    }
}

fn entry(lb: &sdk::LoadBalancer) -> LoadBalancerEntry {
    LoadBalancerEntry {
        arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
        lb_type: lb
            .r#type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        dns_name: lb.dns_name().map(str::to_string),
        hosted_zone_id: lb.canonical_hosted_zone_id().map(str::to_string),
    }
}

fn mappings(list: &[SubnetMapping]) -> Vec<sdk::SubnetMapping> {
    list.iter()
        .map(|m| {
            sdk::SubnetMapping::builder()
                .subnet_id(&m.subnet)
                .set_allocation_id(m.allocation_id.clone())
                .set_private_ipv4_address(m.private_ipv4_address.clone())
                .build()
        })
        .collect()
}

/// How a load balancer this apply created is named in the report.
fn created(name: &str) -> String {
    format!("load balancer `{name}`")
}

/// The IPv4 IPAM pool of a create or ModifyIpPools call.
fn ipam_pools(pool: &str) -> sdk::IpamPools {
    sdk::IpamPools::builder().ipv4_ipam_pool_id(pool).build()
}
