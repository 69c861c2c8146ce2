//! `dns:` rules for the multivalue and geoproximity members of a record
//! set (the routing kinds of the December 2026 additions). Values, aliases
//! and health checks are `record`'s, like for every member.
//!
//! Route 53's rules, from the developer guide (routing-policy-multivalue,
//! routing-policy-geoproximity) and the API reference (`GeoProximityLocation`,
//! `Coordinates`): multivalue records are not aliases and not NS or CNAME;
//! a geoproximity member names exactly one of an AWS region, a Local Zone
//! group or coordinates; bias is -99..99; latitude is -90..90 and
//! longitude -180..180, with at most two decimals.

use super::places;
use crate::spec::diag::{suggest, Check};
use crate::spec::location::join_key;
use crate::spec::raw::dns::{Member, RawGeoproximity};

/// One multivalue member: values, never an alias; not an NS or CNAME set.
pub(super) fn multivalue(c: &mut Check, m: &Member, rtype: Option<&str>) {
    if m.alias.is_some() {
        c.hint(
            &join_key(&m.rel, "alias"),
            "a multivalue member cannot be an alias: Route 53 has no multivalue alias records",
            "give the member `values`, or use `weighted` members with `alias`",
        );
    }
    if let Some(t) = rtype.filter(|t| matches!(*t, "NS" | "CNAME")) {
        c.hint(
            "type",
            format!("a multivalue record set cannot have type {t}"),
            "multivalue answer routing takes any type but NS and CNAME",
        );
    }
}

/// One geoproximity member: exactly one location, a bias in range.
pub(super) fn geoproximity(c: &mut Check, rel: &str, g: &RawGeoproximity) {
    let key = |k: &str| join_key(rel, k);
    let given: Vec<&str> = [
        ("region", g.region.is_some()),
        ("local_zone_group", g.local_zone_group.is_some()),
        ("coordinates", g.coordinates.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, given)| given.then_some(k))
    .collect();
    match given.as_slice() {
        [] => c.hint(
            rel,
            "a geoproximity member needs `region`, `local_zone_group` or `coordinates`",
            "add `region: us-east-1`, `local_zone_group: us-west-2-lax-1` or \
             `coordinates: { latitude: \"40.71\", longitude: \"-74.01\" }`",
        ),
        [_] => {}
        [first, second, ..] => c.hint(
            &key(second),
            format!(
                "a geoproximity member takes exactly one of `region`, `local_zone_group` and \
                 `coordinates`; found `{first}` and `{second}`"
            ),
            "one member routes from one location; make a member per location",
        ),
    }
    if let Some(region) = &g.region {
        if !places::is_latency_region(region.trim()) {
            c.hint(
                &key("region"),
                format!("`{region}` is not an AWS region"),
                suggest(region, places::LATENCY_REGIONS, "AWS regions"),
            );
        }
    }
    if let Some(group) = &g.local_zone_group {
        let group = group.trim();
        if group.is_empty() || group.len() > 64 {
            c.hint(
                &key("local_zone_group"),
                "a Local Zone group must be 1 to 64 characters",
                "give the group's name, like `us-west-2-lax-1`",
            );
        }
    }
    if let Some(co) = &g.coordinates {
        let at = key("coordinates");
        coordinate(
            c,
            &at,
            "latitude",
            co.latitude.as_ref().map(|t| t.as_str()),
            90,
        );
        coordinate(
            c,
            &at,
            "longitude",
            co.longitude.as_ref().map(|t| t.as_str()),
            180,
        );
    }
    if let Some(bias) = g.bias {
        if !(-99..=99).contains(&bias.0) {
            c.hint(
                &key("bias"),
                format!("bias ({}) must be between -99 and 99", bias.0),
                "a positive bias grows the member's region, a negative one shrinks it",
            );
        }
    }
}

/// A latitude (`max` 90) or longitude (`max` 180): a decimal string with
/// at most two decimals, within `-max..=max`.
fn coordinate(c: &mut Check, at: &str, key: &str, v: Option<&str>, max: u32) {
    let rel = join_key(at, key);
    let Some(v) = v.map(str::trim) else {
        let hint = format!("add `{key}: \"...\"` (degrees, at most two decimals)");
        return c.hint(at, format!("`coordinates` needs `{key}`"), hint);
    };
    if let Some(problem) = coordinate_problem(v, max) {
        let hint = format!(
            "write degrees between -{max} and {max} with at most two decimals, like `\"40.71\"`"
        );
        c.hint(&rel, format!("{key} `{v}` {problem}"), hint);
    }
}

/// Why `v` is not a coordinate within `-max..=max`, if it is not.
pub(super) fn coordinate_problem(v: &str, max: u32) -> Option<&'static str> {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int_len = if max == 90 { 2 } else { 3 };
    if int.is_empty()
        || int.len() > int_len
        || !int.chars().all(|ch| ch.is_ascii_digit())
        || !frac.chars().all(|ch| ch.is_ascii_digit())
    {
        return Some("is not a decimal number of degrees");
    }
    if frac.len() > 2 {
        return Some("has more than two decimals");
    }
    match v.parse::<f64>() {
        Ok(x) if x.abs() <= f64::from(max) => None,
        _ => Some("is out of range"),
    }
}

#[cfg(test)]
mod tests {
    use super::coordinate_problem;

    #[test]
    fn coordinates_are_degrees_with_two_decimals() {
        assert_eq!(coordinate_problem("40.71", 90), None);
        assert_eq!(coordinate_problem("-74.01", 180), None);
        assert_eq!(coordinate_problem("+0", 90), None);
        assert!(coordinate_problem("91", 90).is_some());
        assert!(coordinate_problem("40.123", 90).is_some());
        assert!(coordinate_problem("north", 90).is_some());
        assert!(coordinate_problem("-181", 180).is_some());
    }
}
