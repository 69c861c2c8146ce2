//! `dns:` rules inside one record: exactly one routing key, the members of
//! a routing policy (set identifiers, weights, locations, regions), and
//! each member's values, alias and health check. The record's name and
//! type, and conflicts with other records, are `dns`'s.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::common::{self, int_range, not_applicable, one_of_values, secs_range};
use super::dns::dns_name_problem;
use super::Broken;
use super::{cidr, places, rdata, record_alias, routing};
use crate::spec::diag::{one_of, suggest, Check};
use crate::spec::location::join_key;
use crate::spec::raw::dns::{
    Member, MemberKind, RawAlias, RawGeo, RawLatency, RawR53HealthCheck, RawRecord,
    RawWeightedFromInstances,
};
use crate::spec::selector::AddressKind;
use crate::spec::Spec;

use crate::model::vocab::{Continent, RecordType, MAX_TTL};

/// Whether a record of type `t` may be an alias (Route 53: all but NS and
/// SOA; DS aliases are not allowed either).
pub(super) fn may_alias(t: &str) -> bool {
    RecordType::parse(t).is_some_and(RecordType::may_alias)
}

/// Check one record; `rtype` is its upper-cased type when known and valid.
pub fn check(c: &mut Check, r: &RawRecord, rtype: Option<&str>, spec: &Spec, broken: &Broken) {
    if let Some(w) = &r.weighted_from_instances {
        return from_instances(c, r, w, rtype);
    }
    let keys = r.routing_keys();
    match keys.as_slice() {
        [] => {
            let hint = "a simple record takes `values` or `alias`; a routing policy lists members \
                        (or `weighted_from_instances` makes one per running instance)";
            return c.hint(
                "",
                "a record needs one of `values`, `alias`, `weighted`, `failover`, `geolocation`, \
                 `latency`, `multivalue`, `geoproximity` or `cidr`",
                hint,
            );
        }
        // Reported by `member`, as inside a routing policy.
        [_] | ["values", "alias"] => {}
        [first, second, ..] => {
            let msg = format!(
                "a record takes exactly one of `values`, `alias`, `weighted`, `failover`, \
                 `geolocation`, `latency`, `multivalue`, `geoproximity` and `cidr`; found `{first}` \
                 and `{second}`"
            );
            let hint = "`values` and `alias` go inside each member of a routing policy";
            return c.hint(second, msg, hint);
        }
    }
    let members = r.members();
    if let Some(ttl) = r.ttl {
        secs_range(c, "ttl", "ttl", ttl, 0, MAX_TTL);
        if !members.is_empty() && members.iter().all(|m| m.alias.is_some()) {
            c.hint(
                "ttl",
                "`ttl` cannot be set on an alias record: alias records take the target's TTL",
                "remove `ttl`",
            );
        }
    }
    policy(c, r, &members);
    if let Some(x) = &r.cidr {
        cidr::record(c, x, &members, spec);
    }
    set_identifiers(c, &members);
    for m in &members {
        member(c, m, rtype, spec, broken);
    }
}

/// `weighted_from_instances`: the only routing key of its record, an A
/// record, an instance selector with tags, an address kind and a weight.
fn from_instances(c: &mut Check, r: &RawRecord, w: &RawWeightedFromInstances, rtype: Option<&str>) {
    const KEY: &str = "weighted_from_instances";
    if let Some(other) = r.routing_keys().first() {
        let msg = format!("`{KEY}` cannot be combined with `{other}`");
        let hint = "`weighted_from_instances` makes every member of the record set; \
                    list other members in a record of their own name";
        c.hint(other, msg, hint);
    }
    if let Some(t) = rtype.filter(|t| *t != "A") {
        c.hint(
            "type",
            format!("`{KEY}` makes A records (IPv4 addresses), not {t}"),
            "use `type: A`",
        );
    }
    if let Some(ttl) = r.ttl {
        secs_range(c, "ttl", "ttl", ttl, 0, MAX_TTL);
    }
    let rel = |k: &str| join_key(KEY, k);
    match &w.instances {
        None => c.hint(
            KEY,
            "`weighted_from_instances` needs `instances`",
            "add `instances: { tags: { KEY: VALUE } }`",
        ),
        Some(sel) => common::instance_selector(c, &rel("instances"), sel),
    }
    match w.address.as_deref() {
        None => c.hint(
            KEY,
            "`weighted_from_instances` needs `address`",
            "add `address: carrier` (Wavelength), `public` or `private`",
        ),
        Some(a) => {
            if AddressKind::parse(a).is_none() {
                c.hint(
                    &rel("address"),
                    format!("unknown address kind `{a}`"),
                    one_of(AddressKind::NAMES),
                );
            }
        }
    }
    match w.weight {
        None => c.hint(
            KEY,
            "`weighted_from_instances` needs `weight`",
            "add `weight: N` (0..255), the weight of each instance's record",
        ),
        Some(weight) => {
            int_range(c, &rel("weight"), "weight", weight, 0, 255);
        }
    }
}

/// The routing policy as a whole: members present, failover complete.
fn policy(c: &mut Check, r: &RawRecord, members: &[Member]) {
    for (key, list_len) in [
        ("weighted", r.weighted.as_ref().map(Vec::len)),
        ("geolocation", r.geolocation.as_ref().map(Vec::len)),
        ("latency", r.latency.as_ref().map(Vec::len)),
        ("multivalue", r.multivalue.as_ref().map(Vec::len)),
        ("geoproximity", r.geoproximity.as_ref().map(Vec::len)),
    ] {
        if list_len == Some(0) {
            c.hint(
                key,
                format!("`{key}` needs at least one member"),
                "list the members, each with an `id`",
            );
        }
    }
    if let Some(f) = &r.failover {
        for (key, given) in [
            ("primary", f.primary.is_some()),
            ("secondary", f.secondary.is_some()),
        ] {
            if !given {
                let hint = format!("add `{key}: {{ values: [...] }}` or `{{ alias: ... }}`");
                c.hint("failover", format!("failover needs a `{key}`"), hint);
            }
        }
    }
    // Route 53 takes each location once per record set.
    let mut locations: BTreeMap<String, String> = BTreeMap::new();
    for m in members {
        if let MemberKind::Geo(g) = m.kind {
            let Some(loc) = location(g) else { continue };
            if let Some(first) = locations.insert(loc.clone(), m.rel.clone()) {
                c.hint(
                    &m.rel,
                    format!("location `{loc}` is used twice in this record set (first at {first})"),
                    "give each location one member",
                );
            }
        }
    }
}

/// The location of a geolocation member, as `EU`, `US` or `US-CA`.
fn location(g: &RawGeo) -> Option<String> {
    let up = |s: &str| s.trim().to_ascii_uppercase();
    match (&g.continent, &g.country, &g.subdivision) {
        (Some(c), None, _) => Some(up(c)),
        (None, Some(c), None) => Some(up(c)),
        (None, Some(c), Some(s)) => Some(format!("{}-{}", up(c), up(s.as_str()))),
        _ => None,
    }
}

/// Set identifiers: present where the policy needs them, 1..128
/// characters, unique in the record set.
fn set_identifiers(c: &mut Check, members: &[Member]) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for m in members {
        let noun = match m.kind {
            MemberKind::Simple => continue,
            MemberKind::Weighted(_) => "a weighted member",
            MemberKind::Geo(_) => "a geolocation member",
            MemberKind::Latency(_) => "a latency member",
            MemberKind::Multivalue => "a multivalue member",
            MemberKind::Geoproximity(_) => "a geoproximity member",
            MemberKind::Cidr(..) => "a CIDR member",
            MemberKind::Primary | MemberKind::Secondary => "",
        };
        let Some(id) = m.set_identifier() else {
            let hint = "add `id: NAME`, unique in the record set (Route 53's set identifier)";
            c.hint(&m.rel, format!("{noun} needs `id`"), hint);
            continue;
        };
        let rel = if m.id.is_some() {
            join_key(&m.rel, "id")
        } else {
            m.rel.clone()
        };
        let len = id.chars().count();
        if !(1..=128).contains(&len) {
            c.err(
                &rel,
                format!("set identifier must be 1 to 128 characters, not {len}"),
            );
        }
        if let Some(first) = seen.insert(id.clone(), m.rel.clone()) {
            c.hint(
                &rel,
                format!(
                    "set identifier `{id}` is used twice in this record set (first at {first})"
                ),
                "give each member its own `id`",
            );
        }
    }
}

/// One member: its routing settings, values or alias, and health check.
fn member(c: &mut Check, m: &Member, rtype: Option<&str>, spec: &Spec, broken: &Broken) {
    let rel = |k: &str| join_key(&m.rel, k);
    match m.kind {
        MemberKind::Weighted(w) => match w.weight {
            None => c.hint(
                &m.rel,
                "a weighted member needs `weight`",
                "add `weight: N` (0..255); members share traffic by weight",
            ),
            Some(weight) => {
                int_range(c, &rel("weight"), "weight", weight, 0, 255);
            }
        },
        MemberKind::Geo(g) => geo(c, &m.rel, g),
        MemberKind::Latency(l) => latency(c, &m.rel, l),
        MemberKind::Multivalue => routing::multivalue(c, m, rtype),
        MemberKind::Geoproximity(g) => routing::geoproximity(c, &m.rel, g),
        // Checked with their collection by `cidr::record`.
        MemberKind::Cidr(..) => {}
        MemberKind::Simple | MemberKind::Primary | MemberKind::Secondary => {}
    }
    match (m.values, m.alias) {
        (Some(_), Some(_)) => c.hint(
            &rel("alias"),
            "`alias` and `values` cannot be given together",
            "an alias takes its addresses from its target; remove `values` or `alias`",
        ),
        (None, None) => c.hint(
            &m.rel,
            "a member needs `values` or `alias`",
            "add `values: [...]` or `alias: { load_balancer: NAME }`",
        ),
        (Some(values), None) => self::values(c, &rel("values"), values, rtype),
        (None, Some(a)) => alias(c, &rel("alias"), a, rtype, spec, broken),
    }
    if let Some(hc) = m.health_check {
        health_check(c, &rel("health_check"), hc);
    }
}

fn values(c: &mut Check, rel: &str, values: &[crate::spec::scalar::Text], rtype: Option<&str>) {
    if values.is_empty() {
        let hint = "list at least one value, or remove the record";
        return c.hint(rel, "`values` must not be empty", hint);
    }
    for (i, v) in values.iter().enumerate() {
        let vrel = format!("{rel}[{i}]");
        let v = v.as_str().trim();
        match rtype {
            Some("A") if v.parse::<Ipv4Addr>().is_err() => c.hint(
                &vrel,
                format!("`{v}` is not an IPv4 address"),
                "A records take IPv4 addresses; use AAAA for IPv6, CNAME or an alias for a name",
            ),
            Some("AAAA") if v.parse::<Ipv6Addr>().is_err() => c.hint(
                &vrel,
                format!("`{v}` is not an IPv6 address"),
                "AAAA records take IPv6 addresses; use A for IPv4",
            ),
            _ if v.is_empty() => c.err(&vrel, "a value must not be empty"),
            Some(t) => {
                if let Some((msg, hint)) = rdata::problem(t, v) {
                    c.hint(&vrel, msg, hint);
                }
            }
            None => {}
        }
    }
    if rtype == Some("CNAME") && values.len() > 1 {
        c.hint(
            rel,
            format!(
                "a CNAME record takes exactly one value, not {}",
                values.len()
            ),
            "use a routing policy to spread over several names",
        );
    }
}

fn alias(
    c: &mut Check,
    rel: &str,
    a: &RawAlias,
    rtype: Option<&str>,
    spec: &Spec,
    broken: &Broken,
) {
    if a.record.is_some() {
        return record_alias::member(c, rel, a, rtype);
    }
    match (&a.load_balancer, &a.dns_name) {
        (Some(_), Some(_)) => c.hint(
            rel,
            "give either `load_balancer` or `dns_name`, not both",
            "`load_balancer` names a load balancer of the spec; `dns_name` any other target",
        ),
        (None, None) => c.hint(
            rel,
            "an alias needs `load_balancer`, `record`, or `dns_name` and `hosted_zone_id`",
            "write `alias: { load_balancer: NAME }` or `alias: { record: NAME }`",
        ),
        (Some(lb), None) => {
            if a.hosted_zone_id.is_some() {
                not_applicable(
                    c,
                    &join_key(rel, "hosted_zone_id"),
                    "hosted_zone_id",
                    "aliases with `dns_name`",
                );
            }
            if !spec.load_balancers.contains_key(lb) && !broken.load_balancers.contains(lb) {
                let names: Vec<&str> = spec.load_balancer_names().collect();
                c.hint(
                    &join_key(rel, "load_balancer"),
                    format!("load balancer `{lb}` is not defined in the spec"),
                    suggest(lb, &names, "load balancers"),
                );
            }
            if let Some(t) = rtype.filter(|t| !matches!(*t, "A" | "AAAA")) {
                c.hint(
                    "type",
                    format!("an alias to a load balancer must be an A or AAAA record, not {t}"),
                    "use `type: A` (and `AAAA` too for a dualstack load balancer)",
                );
            }
        }
        (None, Some(name)) => {
            if a.hosted_zone_id.as_deref().is_none_or(str::is_empty) {
                c.hint(
                    rel,
                    "`dns_name` needs `hosted_zone_id`",
                    "give the hosted zone ID of the target (for a load balancer, its canonical hosted zone ID)",
                );
            }
            if let Some(problem) = dns_name_problem(name) {
                c.err(
                    &join_key(rel, "dns_name"),
                    format!("alias DNS name `{name}` {problem}"),
                );
            }
            if let Some(t) = rtype.filter(|t| !may_alias(t)) {
                c.hint(
                    "type",
                    format!("an alias record cannot have type {t}"),
                    format!(
                        "alias records may be {}",
                        RecordType::alias_names().join(", ")
                    ),
                );
            }
        }
    }
}

fn geo(c: &mut Check, rel: &str, g: &RawGeo) {
    let key = |k: &str| join_key(rel, k);
    match (&g.continent, &g.country) {
        (None, None) => c.hint(
            rel,
            "a geolocation member needs `continent` or `country`",
            "use `country: \"*\"` for the default location",
        ),
        (Some(_), Some(_)) => c.hint(
            &key("country"),
            "give either `continent` or `country`, not both",
            "a member routes one location: a continent, a country or a subdivision",
        ),
        (Some(cont), None) => {
            let cont = cont.trim().to_ascii_uppercase();
            one_of_values(
                c,
                &key("continent"),
                "continent code",
                &cont,
                &Continent::spec_names(),
            );
        }
        (None, Some(country)) => {
            let country = country.trim();
            if country != "*"
                && !(country.len() == 2 && country.chars().all(|ch| ch.is_ascii_alphabetic()))
            {
                c.hint(
                    &key("country"),
                    format!("country `{country}` must be `*` or a two-letter code"),
                    "use ISO 3166 codes like `US` or `DE`, or `*` for the default location",
                );
            } else if country != "*" && !places::is_country(&country.to_ascii_uppercase()) {
                c.hint(
                    &key("country"),
                    format!("unknown country code `{country}`"),
                    "use an ISO 3166-1 alpha-2 code like `US`, `DE` or `GB`, or `*` for the default location",
                );
            }
        }
    }
    if let Some(sub) = &g.subdivision {
        let sub = sub.as_str().trim();
        let country = g.country.as_deref().map(str::trim);
        if country.is_none_or(|c| c == "*") {
            c.hint(
                &key("subdivision"),
                "`subdivision` needs `country`",
                "add the subdivision's country, like `country: US`",
            );
        } else if !(1..=3).contains(&sub.len()) || !sub.chars().all(|ch| ch.is_ascii_alphanumeric())
        {
            c.err(
                &key("subdivision"),
                format!("subdivision `{sub}` must be 1 to 3 letters or digits"),
            );
        } else {
            subdivision(c, &key("subdivision"), country.unwrap_or_default(), sub);
        }
    }
}

/// Route 53 knows subdivisions of the United States (its states and
/// possessions) and of Ukraine; no others.
fn subdivision(c: &mut Check, rel: &str, country: &str, sub: &str) {
    let (country, sub) = (country.to_ascii_uppercase(), sub.to_ascii_uppercase());
    match country.as_str() {
        "US" if !places::is_us_subdivision(&sub) => c.hint(
            rel,
            format!("unknown US state `{sub}`"),
            "use a two-letter USPS code like `WA`, `NY` or `DC`",
        ),
        "US" | "UA" => {}
        _ => c.hint(
            rel,
            format!("Route 53 has no subdivisions of country `{country}`"),
            format!("subdivisions are US states (`country: US`); route all of `{country}` with `country: {country}` alone"),
        ),
    }
}

fn latency(c: &mut Check, rel: &str, l: &RawLatency) {
    match &l.region {
        None => c.hint(
            rel,
            "a latency member needs `region`",
            "add the AWS region the target runs in, like `region: us-east-1`",
        ),
        Some(region) if !places::is_latency_region(region) => c.hint(
            &join_key(rel, "region"),
            format!("`{region}` is not an AWS region"),
            suggest(region, places::LATENCY_REGIONS, "Route 53 latency regions"),
        ),
        Some(_) => {}
    }
}

/// A member's health check (`validate::health_check` has the rules).
fn health_check(c: &mut Check, rel: &str, hc: &RawR53HealthCheck) {
    super::health_check::check(c, rel, hc, false);
}
