//! Load balancer rules: type and scheme, subnets, security groups,
//! attributes by type, and the listener set (ports unique, the gateway's
//! single port-less listener). Each listener is checked in `listener`.

use std::collections::BTreeMap;

use super::common::{self, not_applicable, one_of_values};
use super::{listener, Broken};
use crate::spec::diag::Check;
use crate::spec::raw::{RawAccessLogs, RawLbAttributes, RawLoadBalancer, RawSelector};
use crate::spec::Spec;

const TYPES: &[&str] = &["application", "network", "gateway"];

pub fn check(c: &mut Check, name: &str, lb: &RawLoadBalancer, spec: &Spec, broken: &Broken) {
    common::name(c, name, "load balancer");
    if name.starts_with("internal-") {
        c.hint(
            "",
            "load balancer name may not start with `internal-`",
            "choose another name",
        );
    }
    let ty = lb.lb_type();
    if !one_of_values(c, "type", "load balancer type", ty, TYPES) {
        return;
    }
    let scheme = lb.scheme();
    if one_of_values(
        c,
        "scheme",
        "scheme",
        scheme,
        &["internet-facing", "internal"],
    ) && ty == "gateway"
        && scheme != "internal"
    {
        c.hint(
            "scheme",
            "a gateway load balancer is always internal",
            "remove `scheme` or set `scheme: internal`",
        );
    }
    if let Some(t) = &lb.ip_address_type {
        ip_address_type(c, ty, scheme, t);
    }
    if let Some(pool) = &lb.ipam_pool {
        ipam_pool(c, ty, scheme, pool);
    }
    subnets(c, lb, ty);
    if let Some(sgs) = &lb.security_groups {
        if ty == "gateway" {
            not_applicable(
                c,
                "security_groups",
                "security_groups",
                "application and network load balancers",
            );
        }
        for (i, sel) in sgs.iter().enumerate() {
            common::selector(c, &format!("security_groups[{i}]"), sel, "sg-");
        }
    }
    if let Some(attrs) = &lb.attributes {
        attributes(c, ty, attrs);
    }
    listeners(c, name, lb, spec, broken);
    common::tags(c, &lb.tags);
}

/// `dualstack-without-public-ipv4` (public IPv6 only) exists for
/// internet-facing application load balancers alone
/// (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html>).
fn ip_address_type(c: &mut Check, ty: &str, scheme: &str, t: &str) {
    let allowed = ["ipv4", "dualstack", "dualstack-without-public-ipv4"];
    if !one_of_values(c, "ip_address_type", "IP address type", t, &allowed) {
        return;
    }
    if t == "dualstack-without-public-ipv4" {
        if ty != "application" {
            let msg = "`dualstack-without-public-ipv4` only applies to application load balancers";
            c.hint("ip_address_type", msg, "use `ip_address_type: dualstack`");
        } else if scheme != "internet-facing" {
            let msg =
                "`dualstack-without-public-ipv4` only applies to internet-facing load balancers";
            c.hint(
                "ip_address_type",
                msg,
                "use `ip_address_type: dualstack` for an internal load balancer",
            );
        }
    }
}

/// `ipam_pool`: an IPAM pool ID (`^ipam-pool-[a-zA-Z0-9]+$`) for the public
/// IPv4 addresses of an internet-facing application load balancer
/// (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_IpamPools.html>).
fn ipam_pool(c: &mut Check, ty: &str, scheme: &str, pool: &str) {
    let id = pool.strip_prefix("ipam-pool-").unwrap_or_default();
    if id.is_empty() || !id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        let msg = format!("`{pool}` is not an IPAM pool ID");
        c.hint(
            "ipam_pool",
            msg,
            "give the pool's ID, like `ipam-pool-0123456789abcdef0`",
        );
    }
    if ty != "application" {
        not_applicable(c, "ipam_pool", "ipam_pool", "application load balancers");
    } else if scheme != "internet-facing" {
        let msg = "`ipam_pool` only applies to internet-facing load balancers (it assigns public IPv4 addresses)";
        c.hint("ipam_pool", msg, "remove `ipam_pool`");
    }
}

fn subnets(c: &mut Check, lb: &RawLoadBalancer, ty: &str) {
    let selectors: Vec<(String, &RawSelector)> = match (&lb.subnets, &lb.subnet_mappings) {
        (Some(_), Some(_)) => {
            let hint = "keep `subnet_mappings` for static IPs, else `subnets`";
            return c.hint(
                "subnet_mappings",
                "give either `subnets` or `subnet_mappings`, not both",
                hint,
            );
        }
        (None, None) => {
            let hint = "add `subnets: [subnet-..., subnet-...]` or `{ tags: {...} }` selectors";
            return c.hint("", "`subnets` is required", hint);
        }
        (Some(list), None) => list
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("subnets[{i}]"), s))
            .collect(),
        (None, Some(maps)) => {
            if ty == "application" && maps.iter().any(|m| m.allocation_id.is_some()) {
                not_applicable(
                    c,
                    "subnet_mappings",
                    "allocation_id",
                    "network load balancers",
                );
            }
            let mut sels = Vec::new();
            for (i, m) in maps.iter().enumerate() {
                match &m.subnet {
                    Some(s) => sels.push((format!("subnet_mappings[{i}].subnet"), s)),
                    None => c.err(
                        &format!("subnet_mappings[{i}]"),
                        "a subnet mapping needs `subnet`",
                    ),
                }
            }
            sels
        }
    };
    let rel = if lb.subnets.is_some() {
        "subnets"
    } else {
        "subnet_mappings"
    };
    if selectors.is_empty() {
        return c.err(rel, format!("`{rel}` must not be empty"));
    }
    let mut ids = BTreeMap::new();
    for (path, sel) in &selectors {
        common::selector(c, path, sel, "subnet-");
        if let RawSelector::Id(id) = sel {
            if ids.insert(id.clone(), ()).is_some() {
                c.err(path, format!("subnet `{id}` is listed twice"));
            }
        }
    }
    // A tag selector may match several subnets, so only a list of plain IDs
    // can be counted before resolving.
    let all_ids = selectors
        .iter()
        .all(|(_, s)| matches!(s, RawSelector::Id(_)));
    if ty == "application" && all_ids && ids.len() < 2 {
        let hint = "list subnets in at least two availability zones";
        c.hint(
            rel,
            "an application load balancer needs at least two subnets",
            hint,
        );
    }
}

fn attributes(c: &mut Check, ty: &str, a: &RawLbAttributes) {
    let app = ty == "application";
    if a.cross_zone.is_some() && app {
        let hint = "remove `cross_zone`; target groups of an ALB may set their own `cross_zone`";
        c.hint(
            "attributes.cross_zone",
            "`cross_zone` cannot be set on an application load balancer: ALB is always cross-zone",
            hint,
        );
    }
    if let Some(t) = a.idle_timeout {
        if !app {
            not_applicable(
                c,
                "attributes.idle_timeout",
                "idle_timeout",
                "application load balancers",
            );
        } else {
            common::secs_range(c, "attributes.idle_timeout", "idle timeout", t, 1, 4000);
        }
    }
    for (key, given) in [
        ("http2", a.http2.is_some()),
        (
            "drop_invalid_header_fields",
            a.drop_invalid_header_fields.is_some(),
        ),
    ] {
        if given && !app {
            not_applicable(
                c,
                &format!("attributes.{key}"),
                key,
                "application load balancers",
            );
        }
    }
    super::typed_attrs::load_balancer(c, ty, a);
    if let Some(extra) = &a.extra {
        super::attribute_rules::load_balancer(c, ty, extra);
    }
    match &a.access_logs {
        Some(RawAccessLogs::Off(true)) => {
            let hint = "write `access_logs: { bucket: my-logs, prefix: web }`";
            c.hint(
                "attributes.access_logs",
                "`access_logs` needs a bucket",
                hint,
            );
        }
        Some(RawAccessLogs::On(to)) => {
            if ty == "gateway" {
                not_applicable(
                    c,
                    "attributes.access_logs",
                    "access_logs",
                    "application and network load balancers",
                );
            }
            if to.bucket.as_deref().is_none_or(str::is_empty) {
                c.hint(
                    "attributes.access_logs",
                    "`access_logs` needs `bucket`",
                    "add `bucket: BUCKET_NAME`",
                );
            }
        }
        _ => {}
    }
}

fn listeners(c: &mut Check, name: &str, lb: &RawLoadBalancer, spec: &Spec, broken: &Broken) {
    let list = lb.listeners.as_deref().unwrap_or_default();
    let ty = lb.lb_type();
    if ty == "gateway" && list.len() > 1 {
        let hint = "keep one `- default_action: { forward: TG }`";
        c.hint(
            "listeners",
            "a gateway load balancer has at most one listener",
            hint,
        );
    }
    let mut ports: BTreeMap<i64, usize> = BTreeMap::new();
    for (i, l) in list.iter().enumerate() {
        let rel = format!("listeners[{i}]");
        if let Some(p) = l.port {
            if let Some(first) = ports.insert(p.0, i) {
                let msg = format!(
                    "listener port {} is used twice (listeners {first} and {i})",
                    p.0
                );
                c.hint(
                    &format!("{rel}.port"),
                    msg,
                    "listener ports must be unique per load balancer",
                );
            }
        }
        let label = match (ty, l.port) {
            ("gateway", _) => format!("listener `{name}`"),
            (_, Some(p)) => format!("listener `{name}:{}`", p.0),
            (_, None) => format!("listener `{name}` #{i}"),
        };
        let mut lc = c.sub(&rel, label);
        listener::check(&mut lc, ty, l, spec, broken);
    }
    super::limits::target_groups_per_alb(c, ty, list);
}
