//! Spec -> desired [`Model`], with selectors replaced by what they matched.
//!
//! Values are normalised exactly as AWS reports them (attribute keys and
//! string values, upper-case protocols, redirect defaults, weight 1 for a
//! lone target group), so that apply followed by plan shows no changes.
//! Only what the spec sets is put in the model (`None` = not managed). The
//! spec is already validated; this module only checks selector matches
//! (and, in `dns`, that the hosted zones exist; in `subnet_zones`, that a
//! load balancer's subnets lie in zones AWS accepts).

use std::collections::{BTreeMap, BTreeSet};

use super::diag::Source;
use super::location::join_key;
use super::raw::{RawSelector, RawTargetGroup};
use super::{Diagnostic, Resolved, Selector, SelectorKind, Spec, SpecErrors};
use crate::model::{
    HealthCheck, LoadBalancer, Matcher, Model, SubnetMapping, Tags, Target, TargetGroup, Targets,
    TargetsMode, STACK_TAG,
};

mod actions;
mod attributes;
mod auth;
mod dns;
mod dns_routing;
mod instances;
mod listener_attributes;
mod sensitive;
mod subnet_zones;

pub use dns::zone_refs;
pub use instances::{instance_selectors, instance_warnings};
pub use sensitive::places;

/// Every selector of the spec, each once.
pub fn selectors(spec: &Spec) -> Vec<(SelectorKind, Selector)> {
    let mut all = BTreeSet::new();
    for e in spec.target_groups.values() {
        if let Some(v) = &e.raw.vpc {
            all.insert((SelectorKind::Vpc, selector(v)));
        }
    }
    for e in spec.load_balancers.values() {
        for s in e.raw.subnets.iter().flatten() {
            all.insert((SelectorKind::Subnet, selector(s)));
        }
        for m in e.raw.subnet_mappings.iter().flatten() {
            if let Some(s) = &m.subnet {
                all.insert((SelectorKind::Subnet, selector(s)));
            }
        }
        for s in e.raw.security_groups.iter().flatten() {
            all.insert((SelectorKind::SecurityGroup, selector(s)));
        }
    }
    all.into_iter().collect()
}

/// The public form of a selector as written.
fn selector(raw: &RawSelector) -> Selector {
    match raw {
        RawSelector::Id(id) => Selector::Id(id.clone()),
        RawSelector::Tags(t) => Selector::Tags(
            t.tags
                .iter()
                .map(|(k, v)| (k.clone(), v.0.clone()))
                .collect(),
        ),
    }
}

/// Looks selectors up in a [`Resolved`] and reports bad matches.
struct Lookup<'a> {
    resolved: &'a Resolved,
    out: Vec<Diagnostic>,
}

impl Lookup<'_> {
    /// What a selector matched. An ID the resolver did not look up stands
    /// for itself; one it looked up and did not find matched nothing.
    fn ids(&self, kind: SelectorKind, raw: &RawSelector) -> Vec<String> {
        let sel = selector(raw);
        match (self.resolved.matches.get(&(kind, sel.clone())), &sel) {
            (Some(ids), _) => ids.clone(),
            (None, Selector::Id(id)) => vec![id.clone()],
            (None, Selector::Tags(_)) => Vec::new(),
        }
    }

    /// A selector that must match exactly one object.
    fn one(&mut self, src: &Source, path: &str, kind: SelectorKind, raw: &RawSelector) -> String {
        let ids = self.ids(kind, raw);
        if ids.len() != 1 {
            self.report(src, path, kind, raw, &ids, "exactly one is expected");
        }
        ids.into_iter().next().unwrap_or_default()
    }

    /// A selector in a list: at least one match.
    fn some(
        &mut self,
        src: &Source,
        path: &str,
        kind: SelectorKind,
        raw: &RawSelector,
    ) -> Vec<String> {
        let ids = self.ids(kind, raw);
        if ids.is_empty() {
            self.report(src, path, kind, raw, &ids, "");
        }
        ids
    }

    fn report(
        &mut self,
        src: &Source,
        path: &str,
        kind: SelectorKind,
        raw: &RawSelector,
        ids: &[String],
        want: &str,
    ) {
        let noun = match kind {
            SelectorKind::Vpc => "VPC",
            SelectorKind::Subnet => "subnet",
            SelectorKind::SecurityGroup => "security group",
        };
        let sel = selector(raw);
        let (msg, hint) = if ids.is_empty() {
            let hint = match sel {
                Selector::Id(_) => {
                    format!("check that the {noun} exists in this account and region")
                }
                Selector::Tags(_) => {
                    format!("check the tags; no {noun} in this account and region has them all")
                }
            };
            (format!("{noun} selector `{sel}` matched nothing"), hint)
        } else {
            let msg = format!(
                "{noun} selector `{sel}` matched {} {noun}s ({}); {want}",
                ids.len(),
                ids.join(", ")
            );
            (
                msg,
                "add tags to narrow the match, or give the ID".to_string(),
            )
        };
        self.out.push(src.diag(path, msg, Some(hint)));
    }
}

pub fn to_model(spec: &Spec, resolved: &Resolved) -> Result<Model, SpecErrors> {
    let mut m = Lookup {
        resolved,
        out: Vec::new(),
    };
    let mut model = Model::default();
    for (name, e) in &spec.target_groups {
        let src = &spec.sources[e.file];
        let vpc_id = e.raw.vpc.as_ref().map(|v| {
            m.one(
                src,
                &join_key(&join_key("target_groups", name), "vpc"),
                SelectorKind::Vpc,
                v,
            )
        });
        model.target_groups.insert(
            name.clone(),
            target_group(spec, resolved, name, &e.raw, vpc_id),
        );
    }
    for (name, e) in &spec.load_balancers {
        let src = &spec.sources[e.file];
        let lb = &e.raw;
        let base = join_key("load_balancers", name);
        let mut subnets = BTreeSet::new();
        // Every subnet with the place of the selector that matched it.
        let mut placed = Vec::new();
        for (i, s) in lb.subnets.iter().flatten().enumerate() {
            let path = format!("{base}.subnets[{i}]");
            let ids = m.some(src, &path, SelectorKind::Subnet, s);
            placed.extend(ids.iter().map(|id| (path.clone(), id.clone())));
            subnets.extend(ids);
        }
        let mut subnet_mappings = Vec::new();
        for (i, sm) in lb.subnet_mappings.iter().flatten().enumerate() {
            let Some(s) = &sm.subnet else { continue };
            let path = format!("{base}.subnet_mappings[{i}].subnet");
            let subnet = m.one(src, &path, SelectorKind::Subnet, s);
            placed.push((path, subnet.clone()));
            subnet_mappings.push(SubnetMapping {
                subnet,
                allocation_id: sm.allocation_id.clone(),
                private_ipv4_address: sm.private_ipv4_address.clone(),
            });
        }
        subnet_zones::check(&mut m.out, src, (name, lb.lb_type()), &placed, resolved);
        let security_groups = lb.security_groups.as_ref().map(|list| {
            let mut ids = BTreeSet::new();
            for (i, s) in list.iter().enumerate() {
                ids.extend(m.some(
                    src,
                    &format!("{base}.security_groups[{i}]"),
                    SelectorKind::SecurityGroup,
                    s,
                ));
            }
            ids
        });
        let lb_type = lb.lb_type().to_string();
        let listeners = lb
            .listeners
            .iter()
            .flatten()
            .map(|l| {
                let l = actions::listener(l, &lb_type);
                (l.key(), l)
            })
            .collect();
        model.load_balancers.insert(
            name.clone(),
            LoadBalancer {
                name: name.clone(),
                scheme: lb.scheme().to_string(),
                lb_type,
                ip_address_type: lb.ip_address_type.clone(),
                ipam_pool: lb.ipam_pool.clone(),
                subnets,
                subnet_mappings,
                security_groups,
                attributes: attributes::load_balancer(lb.attributes.as_ref()),
                listeners,
                tags: tags(spec, &lb.tags),
            },
        );
    }
    model.dns = dns::dns(spec, resolved, &mut m.out);
    if m.out.is_empty() {
        Ok(model)
    } else {
        Err(SpecErrors(m.out))
    }
}

fn target_group(
    spec: &Spec,
    resolved: &Resolved,
    name: &str,
    tg: &RawTargetGroup,
    vpc_id: Option<String>,
) -> TargetGroup {
    let lambda = tg.target_type() == "lambda";
    let port = if lambda {
        None
    } else {
        tg.port.and_then(|p| u16::try_from(p.0).ok())
    };
    let targets = tg.targets.as_ref();
    TargetGroup {
        name: name.to_string(),
        protocol: if lambda { None } else { tg.protocol() },
        port,
        vpc_id: if lambda { None } else { vpc_id },
        target_type: tg.target_type().to_string(),
        protocol_version: tg.protocol_version.as_ref().map(|v| v.to_ascii_uppercase()),
        ip_address_type: tg.ip_address_type.clone(),
        health_check: health_check(tg),
        attributes: attributes::target_group(tg),
        targets: Targets {
            mode: match targets.and_then(|t| t.mode.as_deref()) {
                Some("additive") => TargetsMode::Additive,
                _ => TargetsMode::Exclusive,
            },
            list: targets
                .and_then(|t| t.list.as_ref())
                .into_iter()
                .flatten()
                .flat_map(|t| {
                    let port = if lambda {
                        None
                    } else {
                        t.port.and_then(|p| u16::try_from(p.0).ok()).or(port)
                    };
                    if t.instances.is_some() {
                        return instances::targets(resolved, t, tg.target_type(), port);
                    }
                    t.id.as_ref()
                        .map(|id| Target {
                            id: id.0.clone(),
                            port,
                            availability_zone: t.availability_zone.clone(),
                            quic_server_id: t.quic_server_id.clone(),
                        })
                        .into_iter()
                        .collect()
                })
                .collect(),
        },
        tags: tags(spec, &tg.tags),
    }
}

fn health_check(tg: &RawTargetGroup) -> HealthCheck {
    let Some(hc) = &tg.health_check else {
        return HealthCheck::default();
    };
    let grpc = tg
        .protocol_version
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case("GRPC"));
    HealthCheck {
        enabled: hc.enabled,
        protocol: hc.protocol.as_ref().map(|p| p.to_ascii_uppercase()),
        // AWS stores the port as text: "traffic-port" or digits.
        port: hc.port.as_ref().map(|p| match p.as_str().parse::<u16>() {
            Ok(n) => n.to_string(),
            Err(_) => p.0.clone(),
        }),
        path: hc.path.clone(),
        interval: hc.interval.map(|s| s.0 as u32),
        timeout: hc.timeout.map(|s| s.0 as u32),
        healthy_threshold: hc.healthy_threshold.map(|n| n.0 as u32),
        unhealthy_threshold: hc.unhealthy_threshold.map(|n| n.0 as u32),
        matcher: hc.matcher.as_ref().map(|m| {
            let codes: String = m.0.chars().filter(|c| !c.is_whitespace()).collect();
            if grpc {
                Matcher::GrpcCode(codes)
            } else {
                Matcher::HttpCode(codes)
            }
        }),
    }
}

/// The spec's tags plus the stack's ownership tag.
fn tags(spec: &Spec, raw: &Option<super::raw::RawTags>) -> Tags {
    let mut t: BTreeMap<String, String> = raw
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.0.clone()))
        .collect();
    t.insert(STACK_TAG.to_string(), spec.stack.clone());
    t
}

#[cfg(test)]
mod tests;
