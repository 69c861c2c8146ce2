//! Reading live ELBv2 state into a [`Model`] plus the [`Index`] of ARNs.
//!
//! Lists every load balancer and target group (following markers: moto
//! ignores page sizes), reads tags in batches, keeps what the spec names or
//! the stack owns, then fetches details with bounded concurrency. Every
//! value AWS reports ends up `Some` in the model. Read-only.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_sdk_elasticloadbalancingv2::types::{self as sdk, ProtocolEnum};
use aws_sdk_elasticloadbalancingv2::Client;
use futures::future::BoxFuture;
use futures::stream::{self, StreamExt, TryStreamExt};
use futures::FutureExt;

use super::client::own_error;
use super::{convert, fetch, read_auth, unmanaged};
use super::{AwsError, Index, Live, LoadBalancerEntry, Names};
use crate::model::{
    self, Attributes, Listener, LoadBalancer, Model, Rule, SubnetMapping, Tags, Target,
    TargetGroup, Targets,
};
use crate::plan::{Kind, UnmanagedResource};

/// Calls in flight at once.
const CONCURRENCY: usize = 8;

/// What one detail fetch returned, by position in the kept lists.
enum Fetched {
    LbAttributes(usize, Attributes),
    Listeners(usize, Vec<sdk::Listener>),
    TgAttributes(usize, Attributes),
    TgTargets(usize, BTreeSet<Target>),
    ListenerDetails(usize, usize, Vec<String>, Vec<sdk::Rule>),
}

type Job<'a> = BoxFuture<'a, Result<Fetched, AwsError>>;

pub(crate) async fn read(elb: &Client, stack: &str, names: &Names) -> Result<Live, AwsError> {
    let (lbs, tgs) = futures::try_join!(
        fetch::all_load_balancers(elb),
        fetch::all_target_groups(elb)
    )?;
    let arns: Vec<String> = lbs
        .iter()
        .filter_map(|lb| lb.load_balancer_arn())
        .chain(tgs.iter().filter_map(|tg| tg.target_group_arn()))
        .map(str::to_string)
        .collect();
    let tags = fetch::all_tags(elb, &arns).await?;
    let tags_of = |arn: Option<&str>| arn.and_then(|a| tags.get(a)).cloned().unwrap_or_default();
    let kept = |t: &Tags, name: Option<&str>, named: &BTreeSet<String>| {
        model::owner(t) == Some(stack) || name.is_some_and(|n| named.contains(n))
    };
    let kept_lbs: Vec<(&sdk::LoadBalancer, Tags)> = lbs
        .iter()
        .map(|lb| (lb, tags_of(lb.load_balancer_arn())))
        .filter(|(lb, t)| kept(t, lb.load_balancer_name(), &names.load_balancers))
        .collect();
    let kept_tgs: Vec<(&sdk::TargetGroup, Tags)> = tgs
        .iter()
        .map(|tg| (tg, tags_of(tg.target_group_arn())))
        .filter(|(tg, t)| kept(t, tg.target_group_name(), &names.target_groups))
        .collect();
    let target_group_names: BTreeMap<String, String> = tgs
        .iter()
        .filter_map(|tg| {
            Some((
                tg.target_group_arn()?.to_string(),
                tg.target_group_name()?.to_string(),
            ))
        })
        .collect();

    let mut details = details(elb, &kept_lbs, &kept_tgs).await?;
    let (mut listener_details, listener_attributes) = futures::try_join!(
        listener_details(elb, &kept_lbs, &details.listeners),
        super::read_listener_attributes::fetch_all(elb, &details.listeners)
    )?;
    let secret_hashes =
        read_auth::secret_hashes(elb, &details.listeners, &listener_details).await?;

    let index = Index::default();
    let mut model = Model::default();
    let mut in_use: BTreeSet<String> = BTreeSet::new();
    for (i, (lb, tags)) in kept_lbs.iter().enumerate() {
        let listeners = details.listeners.remove(&i).unwrap_or_default();
        let attributes = details.lb_attributes.remove(&i).unwrap_or_default();
        let read = ReadLoadBalancer {
            lb,
            tags,
            attributes,
            listeners: &listeners,
            details: &mut listener_details,
            position: i,
            secret_hashes: &secret_hashes,
        };
        let model_lb = read.into_model(
            &target_group_names,
            &index,
            &mut in_use,
            &mut model.unmanaged,
        )?;
        model.load_balancers.insert(model_lb.name.clone(), model_lb);
    }
    super::read_listener_attributes::attach(&mut model, &index, listener_attributes);
    for (i, (tg, tags)) in kept_tgs.iter().enumerate() {
        let name = tg.target_group_name().unwrap_or_default().to_string();
        index.set_target_group(&name, tg.target_group_arn().unwrap_or_default());
        let attributes = details.tg_attributes.remove(&i).unwrap_or_default();
        unmanaged::note(
            &mut model.unmanaged,
            Kind::TargetGroup,
            &name,
            unmanaged::target_group(tg),
        );
        let targets = details.tg_targets.remove(&i).unwrap_or_default();
        model
            .target_groups
            .insert(name, target_group_model(tg, tags, attributes, targets));
    }
    for tg in &tgs {
        if !tg.load_balancer_arns().is_empty() {
            if let Some(name) = tg.target_group_name() {
                in_use.insert(name.to_string());
            }
        }
    }
    for (name, arn) in target_group_names.iter().map(|(a, n)| (n, a)) {
        // Known to the executor even when not kept: actions may name them.
        if index.target_group_arn(name).is_none() {
            index.set_target_group(name, arn);
        }
    }

    model
        .unmanaged
        .sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    Ok(Live {
        model,
        in_use,
        target_group_names,
        index,
        usage: usage(&lbs, tgs.len()),
    })
}

/// Round one of the detail fetches, by position in the kept lists.
#[derive(Default)]
struct Details {
    lb_attributes: HashMap<usize, Attributes>,
    listeners: HashMap<usize, Vec<sdk::Listener>>,
    tg_attributes: HashMap<usize, Attributes>,
    tg_targets: HashMap<usize, BTreeSet<Target>>,
}

/// Attributes and listeners of each load balancer, attributes and targets
/// of each target group.
async fn details(
    elb: &Client,
    lbs: &[(&sdk::LoadBalancer, Tags)],
    tgs: &[(&sdk::TargetGroup, Tags)],
) -> Result<Details, AwsError> {
    let mut jobs: Vec<Job> = Vec::new();
    for (i, (lb, _)) in lbs.iter().enumerate() {
        let arn = lb.load_balancer_arn().unwrap_or_default();
        jobs.push(
            fetch::lb_attributes(elb, arn)
                .map(move |r| r.map(|a| Fetched::LbAttributes(i, a)))
                .boxed(),
        );
        jobs.push(
            fetch::listeners(elb, arn)
                .map(move |r| r.map(|l| Fetched::Listeners(i, l)))
                .boxed(),
        );
    }
    for (i, (tg, _)) in tgs.iter().enumerate() {
        let arn = tg.target_group_arn().unwrap_or_default();
        jobs.push(
            fetch::tg_attributes(elb, arn)
                .map(move |r| r.map(|a| Fetched::TgAttributes(i, a)))
                .boxed(),
        );
        jobs.push(
            fetch::targets(elb, arn)
                .map(move |r| r.map(|t| Fetched::TgTargets(i, t)))
                .boxed(),
        );
    }
    let mut out = Details::default();
    for fetched in run(jobs).await? {
        match fetched {
            Fetched::LbAttributes(i, a) => {
                out.lb_attributes.insert(i, a);
            }
            Fetched::Listeners(i, l) => {
                out.listeners.insert(i, l);
            }
            Fetched::TgAttributes(i, a) => {
                out.tg_attributes.insert(i, a);
            }
            Fetched::TgTargets(i, t) => {
                out.tg_targets.insert(i, t);
            }
            Fetched::ListenerDetails(..) => {}
        }
    }
    Ok(out)
}

/// Certificates and rules of each listener, by (load balancer position,
/// listener position).
pub(super) type ListenerDetails = HashMap<(usize, usize), (Vec<String>, Vec<sdk::Rule>)>;

/// Round two: certificates of each secure listener, rules of each
/// application listener.
async fn listener_details(
    elb: &Client,
    lbs: &[(&sdk::LoadBalancer, Tags)],
    listeners: &HashMap<usize, Vec<sdk::Listener>>,
) -> Result<ListenerDetails, AwsError> {
    let mut jobs: Vec<Job> = Vec::new();
    for (i, (lb, _)) in lbs.iter().enumerate() {
        let application = lb.r#type() == Some(&sdk::LoadBalancerTypeEnum::Application);
        for (j, listener) in listeners.get(&i).into_iter().flatten().enumerate() {
            let arn = listener.listener_arn().unwrap_or_default();
            let secure = matches!(
                listener.protocol(),
                Some(ProtocolEnum::Https | ProtocolEnum::Tls)
            );
            jobs.push(
                async move {
                    let certs = if secure {
                        fetch::certificates(elb, arn).await?
                    } else {
                        Vec::new()
                    };
                    let rules = if application {
                        fetch::rules(elb, arn).await?
                    } else {
                        Vec::new()
                    };
                    Ok(Fetched::ListenerDetails(i, j, certs, rules))
                }
                .boxed(),
            );
        }
    }
    let mut out = ListenerDetails::new();
    for fetched in run(jobs).await? {
        if let Fetched::ListenerDetails(i, j, certs, rules) = fetched {
            out.insert((i, j), (certs, rules));
        }
    }
    Ok(out)
}

/// One kept load balancer with what was fetched for it.
struct ReadLoadBalancer<'a> {
    lb: &'a sdk::LoadBalancer,
    tags: &'a Tags,
    attributes: Attributes,
    listeners: &'a [sdk::Listener],
    details: &'a mut ListenerDetails,
    /// Its position in the kept list (the key of `details`).
    position: usize,
    /// [`read_auth::secret_hashes`] of every listener and rule read.
    secret_hashes: &'a HashMap<String, String>,
}

impl ReadLoadBalancer<'_> {
    /// The model of the load balancer; records its ARNs (and its listeners'
    /// and rules') in `index` and the target groups it forwards to in
    /// `in_use`.
    fn into_model(
        self,
        target_group_names: &BTreeMap<String, String>,
        index: &Index,
        in_use: &mut BTreeSet<String>,
        found: &mut Vec<UnmanagedResource>,
    ) -> Result<LoadBalancer, AwsError> {
        let lb = self.lb;
        let name = lb.load_balancer_name().unwrap_or_default().to_string();
        unmanaged::note(
            found,
            Kind::LoadBalancer,
            &name,
            unmanaged::load_balancer(lb),
        );
        let lb_type = lb
            .r#type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_string();
        index.set_load_balancer(
            &name,
            LoadBalancerEntry {
                arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
                lb_type: lb_type.clone(),
                dns_name: lb.dns_name().map(str::to_string),
                hosted_zone_id: lb.canonical_hosted_zone_id().map(str::to_string),
            },
        );
        let mut use_arn = |arn: &str| {
            if let Some(name) = target_group_names.get(arn) {
                in_use.insert(name.clone());
            }
        };
        let mut listeners = BTreeMap::new();
        for (j, l) in self.listeners.iter().enumerate() {
            let (certs, rules) = self.details.remove(&(self.position, j)).unwrap_or_default();
            for arn in convert::action_target_groups(l.default_actions()) {
                use_arn(arn);
            }
            for r in &rules {
                for arn in convert::action_target_groups(r.actions()) {
                    use_arn(arn);
                }
            }
            let mut listener = listener_model(l, certs, &rules, target_group_names, &name)?;
            read_auth::auth_model(&mut listener, l, &rules, self.secret_hashes);
            let port = listener.key();
            let numbered = rules.iter().filter_map(|r| Some((rule_priority(r)?, r)));
            unmanaged::of_listener(found, &name, port, l, numbered);
            index.set_listener(&name, port, l.listener_arn().unwrap_or_default());
            for r in &rules {
                if let (Some(arn), Some(priority)) = (r.rule_arn(), rule_priority(r)) {
                    index.set_rule(&name, port, priority, arn);
                }
            }
            listeners.insert(port, listener);
        }
        Ok(LoadBalancer {
            name,
            scheme: scheme(lb, &lb_type),
            lb_type,
            ip_address_type: lb.ip_address_type().map(|t| t.as_str().to_string()),
            ipam_pool: lb
                .ipam_pools()
                .and_then(|p| p.ipv4_ipam_pool_id())
                .map(str::to_string),
            subnets: lb
                .availability_zones()
                .iter()
                .filter_map(|az| az.subnet_id().map(str::to_string))
                .collect(),
            subnet_mappings: subnet_mappings(lb),
            security_groups: Some(lb.security_groups().iter().cloned().collect()),
            attributes: self.attributes,
            listeners,
            tags: self.tags.clone(),
        })
    }
}

fn target_group_model(
    tg: &sdk::TargetGroup,
    tags: &Tags,
    attributes: Attributes,
    targets: BTreeSet<Target>,
) -> TargetGroup {
    TargetGroup {
        name: tg.target_group_name().unwrap_or_default().to_string(),
        protocol: tg.protocol().map(|p| p.as_str().to_string()),
        port: tg.port().and_then(|p| u16::try_from(p).ok()),
        vpc_id: tg.vpc_id().map(str::to_string),
        target_type: tg
            .target_type()
            .map(|t| t.as_str())
            .unwrap_or("instance")
            .to_string(),
        protocol_version: tg.protocol_version().map(str::to_string),
        ip_address_type: tg.ip_address_type().map(|t| t.as_str().to_string()),
        health_check: convert::health_check_from_sdk(tg),
        attributes,
        targets: Targets {
            mode: model::TargetsMode::default(),
            list: targets,
        },
        tags: tags.clone(),
    }
}

/// Runs detail fetches, at most [`CONCURRENCY`] at once.
async fn run(jobs: Vec<Job<'_>>) -> Result<Vec<Fetched>, AwsError> {
    stream::iter(jobs)
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await
}

fn listener_model(
    l: &sdk::Listener,
    certificates: Vec<String>,
    rules: &[sdk::Rule],
    tg_names: &BTreeMap<String, String>,
    lb_name: &str,
) -> Result<Listener, AwsError> {
    let port = l.port().and_then(|p| u16::try_from(p).ok());
    let listener_name = crate::plan::listener_name(lb_name, port.unwrap_or(0));
    let unsupported = |what: &str| {
        own_error(
            "DescribeListeners",
            &listener_name,
            "unsupported",
            format!("{what} has no forward, redirect or fixed-response action lbctl can manage"),
        )
    };
    let default_action = convert::action_from_sdk(l.default_actions(), tg_names)
        .ok_or_else(|| unsupported("the default action"))?;
    let mut model_rules = BTreeMap::new();
    for r in rules {
        let Some(priority) = rule_priority(r) else {
            continue;
        };
        let action = convert::action_from_sdk(r.actions(), tg_names)
            .ok_or_else(|| unsupported(&format!("rule {priority}")))?;
        model_rules.insert(
            priority,
            Rule {
                priority,
                conditions: convert::conditions_from_sdk(r.conditions()),
                action,
                transforms: convert::transforms_from_sdk(r.transforms()),
                auth: Default::default(),
            },
        );
    }
    // moto reports an empty protocol for the gateway listener (AWS none)
    // and a security policy on every listener (AWS only on HTTPS and TLS).
    let protocol = l.protocol().map(|p| p.as_str()).filter(|p| !p.is_empty());
    let secure = matches!(protocol, Some("HTTPS" | "TLS"));
    Ok(Listener {
        port,
        protocol: protocol.map(str::to_string),
        certificates,
        ssl_policy: l.ssl_policy().filter(|_| secure).map(str::to_string),
        alpn_policy: l.alpn_policy().first().cloned(),
        default_action,
        default_auth: Default::default(),
        rules: model_rules,
        attributes: Default::default(),
    })
}

/// The priority of a non-default rule (`None` for the default rule).
pub(super) fn rule_priority(r: &sdk::Rule) -> Option<u32> {
    if r.is_default() == Some(true) {
        return None;
    }
    r.priority().and_then(|p| p.parse().ok())
}

/// One mapping per zone when any zone has an Elastic IP; else none.
fn subnet_mappings(lb: &sdk::LoadBalancer) -> Vec<SubnetMapping> {
    let zones = lb.availability_zones();
    let has_eip = zones.iter().any(|az| {
        az.load_balancer_addresses()
            .iter()
            .any(|a| a.allocation_id().is_some())
    });
    if !has_eip {
        return Vec::new();
    }
    zones
        .iter()
        .filter_map(|az| {
            let address = az.load_balancer_addresses().first();
            Some(SubnetMapping {
                subnet: az.subnet_id()?.to_string(),
                allocation_id: address.and_then(|a| a.allocation_id()).map(str::to_string),
                private_ipv4_address: address
                    .and_then(|a| a.private_ipv4_address())
                    .map(str::to_string),
            })
        })
        .collect()
}

/// The scheme AWS reports. A gateway load balancer is always internal; moto
/// leaves `Scheme` empty for them, so an empty one on a gateway reads as
/// `internal`.
fn scheme(lb: &sdk::LoadBalancer, lb_type: &str) -> String {
    match lb.scheme().map(|s| s.as_str()) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ if lb_type == "gateway" => "internal".to_string(),
        _ => String::new(),
    }
}

/// The region's load balancers by type and its number of target groups.
fn usage(lbs: &[sdk::LoadBalancer], target_groups: usize) -> crate::quotas::Usage {
    let mut out = crate::quotas::Usage {
        target_groups,
        ..Default::default()
    };
    for lb in lbs {
        let lb_type = lb.r#type().map(|t| t.as_str()).unwrap_or_default();
        *out.load_balancers.entry(lb_type.to_string()).or_default() += 1;
    }
    out
}
