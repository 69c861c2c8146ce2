//! Reading live state for `lbctl export`: the load balancers asked for
//! (with the target groups they forward to), everything a stack's tag
//! marks (record sets in every zone tagged for it included), and whole
//! hosted zones. Reuses `read` and `route53::read`;
//! deciding what goes into the spec text is `crate::export`'s business.
//! Read-only.

use std::collections::{BTreeMap, BTreeSet};

use super::client::own_error;
use super::{read, route53, Aws, AwsError, Live, Names};
use crate::export::{self, ExportRead, Records, Request, Selection};
use crate::model::dns::{HealthCheckRef, Zone, ZoneRef};
use crate::model::{owner, Model};

impl Aws {
    /// Reads what `request` asks to export. A load balancer or hosted zone
    /// asked for by name that does not exist is an error.
    pub async fn read_export(&self, request: &Request) -> Result<ExportRead, AwsError> {
        let elb = &self.clients.elb;
        let named: BTreeSet<String> = request.load_balancers.iter().cloned().collect();
        let flag = request.stack.as_deref();
        let mut live = Live::default();
        if flag.is_some() || !named.is_empty() {
            let names = Names {
                load_balancers: named.clone(),
                ..Names::default()
            };
            live = read::read(elb, flag.unwrap_or_default(), &names).await?;
        }
        for name in &named {
            if !live.model.load_balancers.contains_key(name) {
                return Err(own_error(
                    "DescribeLoadBalancers",
                    name,
                    "LoadBalancerNotFound",
                    format!(
                        "load balancer `{name}` does not exist in {}",
                        self.scope().await
                    ),
                ));
            }
        }
        // The stack the named load balancers share: read again with it, so
        // that what it owns beyond them is known (for a warning).
        let candidate: Option<String> = match flag {
            Some(s) => Some(s.to_string()),
            None => shared_owner(named.iter().map(|n| &live.model.load_balancers[n].tags)),
        };
        let referenced = referenced_target_groups(&live.model, &named, &live.target_group_names);
        let missing = referenced
            .iter()
            .any(|t| !live.model.target_groups.contains_key(t));
        if missing || candidate.as_deref() != flag {
            let names = Names {
                load_balancers: named.clone(),
                target_groups: referenced.clone(),
                ..Names::default()
            };
            live = read::read(elb, candidate.as_deref().unwrap_or_default(), &names).await?;
        }

        let mut model = Model::default();
        let mut left_out = Vec::new();
        for (name, lb) in &live.model.load_balancers {
            if named.contains(name) || (flag.is_some() && owner(&lb.tags) == flag) {
                model.load_balancers.insert(name.clone(), lb.clone());
            } else {
                left_out.push(format!("load balancer `{name}`"));
            }
        }
        for (name, tg) in &live.model.target_groups {
            if referenced.contains(name) || (flag.is_some() && owner(&tg.tags) == flag) {
                model.target_groups.insert(name.clone(), tg.clone());
            } else {
                left_out.push(format!("target group `{name}`"));
            }
        }
        let read_stack = candidate.clone().unwrap_or_default();
        model.dns.zones = self.read_zones(&request.zones, &read_stack).await?;
        if let Some(stack) = flag {
            // Every zone where the stack owns record sets, named or not.
            let owned = route53::read_stack(&self.clients.route53, stack, &[]).await?;
            for (name, zone) in owned.zones {
                model.dns.zones.entry(name).or_insert(zone);
            }
        }
        let mut selection = Selection {
            model,
            records: match flag {
                Some(s) => Records::OwnedBy(s.to_string()),
                None => Records::All,
            },
            target_group_arns: live
                .target_group_names
                .iter()
                .map(|(arn, name)| (name.clone(), arn.clone()))
                .collect(),
            load_balancer_dns: BTreeMap::new(),
        };
        selection.load_balancer_dns = live
            .index
            .load_balancers()
            .into_iter()
            .filter(|(name, _)| selection.model.load_balancers.contains_key(name))
            .filter_map(|(name, e)| Some((name, (e.dns_name?, e.hosted_zone_id?))))
            .collect();

        let stack = match flag {
            Some(s) => s.to_string(),
            None => export::common_stack(&selection)
                .unwrap_or_else(|| export::DEFAULT_STACK.to_string()),
        };
        if stack != read_stack && !request.zones.is_empty() {
            // Health checks count as managed only when tagged with the
            // spec's stack.
            if stack == export::DEFAULT_STACK {
                demote_health_checks(&mut selection.model.dns.zones);
            } else {
                selection.model.dns.zones = self.read_zones(&request.zones, &stack).await?;
            }
        }
        // The collections of CIDR records, by name.
        route53::read_cidr(
            &self.clients.route53,
            &BTreeSet::new(),
            &mut selection.model.dns,
        )
        .await?;
        let mut warnings = Vec::new();
        if flag.is_none() && candidate.as_deref() == Some(stack.as_str()) && !left_out.is_empty() {
            warnings.push(format!(
                "stack `{stack}` also owns {} that are not exported; a plan of this file would delete them (export with `--stack {stack}` to include them)",
                left_out.join(", ")
            ));
        }
        warnings.extend(left_out_settings(&live.model, &selection.model));
        Ok(ExportRead {
            selection,
            stack,
            warnings,
        })
    }

    /// Hosted zones by name, public or else private; health checks tagged
    /// with `stack` read as managed ones.
    async fn read_zones(
        &self,
        zones: &[String],
        stack: &str,
    ) -> Result<BTreeMap<String, Zone>, AwsError> {
        let mut out = BTreeMap::new();
        for name in zones {
            let name = absolute_zone(name);
            let mut found = None;
            for private in [false, true] {
                let refs = [ZoneRef::Name {
                    name: name.clone(),
                    private: Some(private),
                }];
                let mut read = route53::read(&self.clients.route53, stack, &refs).await?;
                if let Some(zone) = read.remove(&name) {
                    found = Some(zone);
                    break;
                }
            }
            match found {
                Some(zone) => {
                    out.insert(name, zone);
                }
                None => {
                    return Err(own_error(
                        "ListHostedZonesByName",
                        &name,
                        "NoSuchHostedZone",
                        format!(
                            "hosted zone `{name}` does not exist in {}",
                            self.scope().await
                        ),
                    ))
                }
            }
        }
        Ok(out)
    }
}

/// Warnings for what the exported file cannot say: live settings of the
/// exported resources that lbctl cannot model (see `aws::unmanaged`).
fn left_out_settings(live: &Model, exported: &Model) -> Vec<String> {
    let exported_lb = |name: &str| {
        let lb = name.split(':').next().unwrap_or(name);
        exported.load_balancers.contains_key(lb)
    };
    live.unmanaged
        .iter()
        .filter(|r| match r.kind {
            crate::plan::Kind::TargetGroup => exported.target_groups.contains_key(&r.name),
            _ => exported_lb(&r.name),
        })
        .flat_map(|r| {
            r.settings.iter().map(move |s| {
                format!(
                    "{} `{}`: not exported: {} has {} (lbctl cannot model it yet; a plan of \
                     this file reports it and apply refuses to modify it without --force)",
                    r.kind.as_str(),
                    r.name,
                    s.path,
                    s.what
                )
            })
        })
        .collect()
}

/// `Example.COM` -> `example.com.`
fn absolute_zone(name: &str) -> String {
    let n = name.trim().to_ascii_lowercase();
    if n.ends_with('.') {
        n
    } else {
        format!("{n}.")
    }
}

/// The `lbctl:stack` tag all of `tags` carry, if they agree and there are any.
fn shared_owner<'a>(tags: impl Iterator<Item = &'a crate::model::Tags>) -> Option<String> {
    let owners: Vec<Option<&str>> = tags.map(owner).collect();
    let first = (*owners.first()?)?;
    owners
        .iter()
        .all(|o| *o == Some(first))
        .then(|| first.to_string())
}

/// Names of the live target groups the named load balancers forward to.
fn referenced_target_groups(
    model: &Model,
    named: &BTreeSet<String>,
    tg_names: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let known: BTreeSet<&String> = tg_names.values().collect();
    named
        .iter()
        .filter_map(|n| model.load_balancers.get(n))
        .flat_map(|lb| lb.listeners.values())
        .flat_map(|l| {
            let rules = l.rules.values().flat_map(|r| r.action.target_groups());
            l.default_action.target_groups().chain(rules)
        })
        .filter(|t| known.contains(&t.to_string()))
        .map(str::to_string)
        .collect()
}

/// Managed health checks back to bare IDs (for a stack that does not
/// manage them).
fn demote_health_checks(zones: &mut BTreeMap<String, Zone>) {
    for zone in zones.values_mut() {
        for set in zone.record_sets.values_mut() {
            for r in &mut set.members {
                if let Some(HealthCheckRef::Managed(m)) = &r.health_check {
                    if let Some(id) = m.id.clone() {
                        r.health_check = Some(HealthCheckRef::Id(id));
                    }
                }
            }
        }
    }
}
