//! Availability zone rules of a load balancer's subnets, checked once the
//! selectors are resolved (zones are only known through EC2, so `validate`
//! cannot check them): one subnet per zone for every type, and subnets in
//! at least two zones for an application load balancer. From the
//! CreateLoadBalancer and SetSubnets pages of the API reference
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html>).
//!
//! Application load balancers on Outposts or in Local Zones may have a
//! single zone: the two-zone rule applies only when every subnet is in a
//! regular availability zone (`us-east-1a`). Subnets whose zone is unknown
//! (not resolved, as offline) are not checked.

use std::collections::BTreeMap;

use crate::spec::diag::Source;
use crate::spec::{Diagnostic, Resolved};

/// Checks the subnets of load balancer `name` of `lb_type`; `placed` is
/// every subnet ID with the spec path of the selector that matched it.
pub fn check(
    out: &mut Vec<Diagnostic>,
    src: &Source,
    (name, lb_type): (&str, &str),
    placed: &[(String, String)],
    resolved: &Resolved,
) {
    let mut zoned: Vec<(&str, &str, &str)> = Vec::new();
    for (path, id) in placed {
        if zoned.iter().any(|(_, seen, _)| seen == id) {
            continue;
        }
        let Some(zone) = resolved.subnet_zones.get(id) else {
            return;
        };
        zoned.push((path, id, zone));
    }
    let Some((first_path, _, _)) = zoned.first() else {
        return;
    };
    let mut by_zone: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (path, id, zone) in &zoned {
        by_zone.entry(zone).or_default().push((path, id));
    }
    let what = format!("load balancer `{name}`");
    let regular = zoned.iter().all(|(_, _, z)| is_regional_zone(z));
    if lb_type == "application" && by_zone.len() < 2 && regular {
        let list: Vec<String> = zoned
            .iter()
            .map(|(_, id, zone)| format!("`{id}` ({zone})"))
            .collect();
        let zone = zoned[0].2;
        let msg = format!(
            "{what}: an application load balancer needs subnets in at least two availability \
             zones, but its subnets {} are all in `{zone}`",
            list.join(", ")
        );
        let hint = "add a subnet of another availability zone of the VPC".to_string();
        // At `subnets` (or `subnet_mappings`) itself, not one selector.
        let list_path = first_path.split('[').next().unwrap_or(first_path);
        out.push(src.diag(list_path, msg, Some(hint)));
        return;
    }
    for (zone, subnets) in &by_zone {
        let Some(((_, first), rest)) = subnets.split_first() else {
            continue;
        };
        for (path, id) in rest {
            let msg = format!(
                "{what}: subnets `{first}` and `{id}` are both in availability zone `{zone}`; \
                 a {lb_type} load balancer takes one subnet per zone"
            );
            let hint = format!("keep one subnet of `{zone}`");
            out.push(src.diag(path, msg, Some(hint)));
        }
    }
}

/// Whether `zone` is a regular availability zone (`us-east-1a`,
/// `us-gov-west-1b`), not a Local Zone (`us-west-2-lax-1a`) or a
/// Wavelength Zone (`us-east-1-wl1-bos-wlz-1`).
fn is_regional_zone(zone: &str) -> bool {
    let Some(region) = zone
        .strip_suffix(|c: char| c.is_ascii_lowercase())
        .filter(|r| !r.is_empty())
    else {
        return false;
    };
    let parts: Vec<&str> = region.split('-').collect();
    let (last, rest) = parts.split_last().expect("split yields one part");
    !rest.is_empty()
        && last.chars().all(|c| c.is_ascii_digit())
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::location::Locations;

    fn run(lb_type: &str, subnets: &[(&str, &str)]) -> Vec<(String, String, String)> {
        let src = Source {
            file: "spec.yaml".into(),
            locations: Locations::default(),
        };
        let mut resolved = Resolved::default();
        let mut placed = Vec::new();
        for (i, (id, zone)) in subnets.iter().enumerate() {
            if !zone.is_empty() {
                resolved
                    .subnet_zones
                    .insert(id.to_string(), zone.to_string());
            }
            placed.push((format!("load_balancers.web.subnets[{i}]"), id.to_string()));
        }
        let mut out = Vec::new();
        check(&mut out, &src, ("web", lb_type), &placed, &resolved);
        out.into_iter()
            .map(|d| (d.path, d.message, d.hint.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn an_alb_in_one_zone_is_refused_naming_its_subnets_and_zone() {
        let p = run(
            "application",
            &[("subnet-a", "us-east-1a"), ("subnet-b", "us-east-1a")],
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "load_balancers.web.subnets");
        assert_eq!(
            p[0].1,
            "load balancer `web`: an application load balancer needs subnets in at least two availability zones, but its subnets `subnet-a` (us-east-1a), `subnet-b` (us-east-1a) are all in `us-east-1a`"
        );
        assert_eq!(
            p[0].2,
            "add a subnet of another availability zone of the VPC"
        );
        assert_eq!(run("application", &[("subnet-a", "us-east-1a")]).len(), 1);
        assert!(run(
            "application",
            &[("subnet-a", "us-east-1a"), ("subnet-b", "us-east-1b")]
        )
        .is_empty());
    }

    #[test]
    fn one_subnet_per_zone_for_every_type() {
        for ty in ["network", "gateway", "application"] {
            let p = run(
                ty,
                &[
                    ("subnet-a", "us-east-1a"),
                    ("subnet-c", "us-east-1c"),
                    ("subnet-b", "us-east-1a"),
                ],
            );
            assert_eq!(p.len(), 1, "{ty}: {p:?}");
            assert_eq!(p[0].0, "load_balancers.web.subnets[2]");
            assert_eq!(
                p[0].1,
                format!("load balancer `web`: subnets `subnet-a` and `subnet-b` are both in availability zone `us-east-1a`; a {ty} load balancer takes one subnet per zone")
            );
        }
        assert!(run("network", &[("subnet-a", "us-east-1a")]).is_empty());
    }

    #[test]
    fn unknown_zones_local_zones_and_repeats_are_not_refused() {
        assert!(run(
            "application",
            &[("subnet-a", ""), ("subnet-b", "us-east-1a")]
        )
        .is_empty());
        assert!(run("application", &[("subnet-l", "us-west-2-lax-1a")]).is_empty());
        assert!(run(
            "application",
            &[
                ("subnet-a", "us-east-1a"),
                ("subnet-a", "us-east-1a"),
                ("subnet-b", "us-east-1b")
            ]
        )
        .is_empty());
        assert!(is_regional_zone("us-gov-west-1b") && is_regional_zone("eusc-de-east-1a"));
        assert!(!is_regional_zone("us-east-1-wl1-bos-wlz-1") && !is_regional_zone("a"));
    }
}
