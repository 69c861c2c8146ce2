//! `dns:` rules for aliases to another record set of the same zone
//! (`alias: { record: NAME }`): the alias on its own (no other target
//! keys, a type Route 53 lets alias a record), and, across the zone, that
//! the target is a record set of the spec and that no aliases form a
//! cycle.
//!
//! Route 53 (developer guide, "Choosing between alias and non-alias
//! records", and `AliasTarget` in the API reference): an alias to a record
//! in the same hosted zone has the target's type; NS and SOA records
//! cannot be aliases.

use std::collections::BTreeMap;

use super::dns::dns_name_problem;
use super::record::may_alias;
use crate::model::vocab::RecordType;
use crate::spec::diag::Check;
use crate::spec::location::join_key;
use crate::spec::raw::dns::{absolute_record, RawAlias, RawRecord, RawZone};

/// An alias with `record`: nothing else names a target, the target's type
/// (if given) is the record's own, and the type may be an alias.
pub(super) fn member(c: &mut Check, rel: &str, a: &RawAlias, rtype: Option<&str>) {
    for (key, given) in [
        ("load_balancer", a.load_balancer.is_some()),
        ("dns_name", a.dns_name.is_some()),
        ("hosted_zone_id", a.hosted_zone_id.is_some()),
    ] {
        if given {
            c.hint(
                &join_key(rel, key),
                format!("`record` and `{key}` cannot be given together"),
                "`record` names a record set of this zone; remove the other target",
            );
        }
    }
    if let Some(name) = &a.record {
        let name = name.as_str().trim();
        if name != "@" {
            if let Some(problem) = dns_name_problem(name) {
                let hint = "name a record of this zone, relative (`www`) or `@` for the apex";
                c.hint(
                    &join_key(rel, "record"),
                    format!("alias record `{name}` {problem}"),
                    hint,
                );
            }
        }
    }
    let target = a.rtype.as_deref().map(|t| t.trim().to_ascii_uppercase());
    if let (Some(t), Some(own)) = (&target, rtype) {
        if t != own {
            c.hint(
                &join_key(rel, "type"),
                format!("an alias of type {own} cannot point at a {t} record"),
                format!(
                    "Route 53 aliases a record of the same zone only to one of the same type; \
                     remove `type` or point at a {own} record"
                ),
            );
        }
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

/// A record set of the zone as validation names it: absolute name (or the
/// name as written in a zone given by ID) and type.
type Key = (String, String);

/// Across the zone: every `alias: { record }` points at a record set the
/// spec lists in this zone, and no aliases form a cycle.
pub(super) fn zone(c: &mut Check, zone: Option<&str>, z: &RawZone) {
    let key_of = |name: &str| match zone {
        Some(zone) => absolute_record(name, zone),
        None => name.trim().to_ascii_lowercase(),
    };
    let mut records: BTreeMap<Key, usize> = BTreeMap::new();
    for (j, r) in &z.records {
        if let (Some(n), Some(t)) = (&r.name, r.rtype()) {
            records.entry((key_of(n.as_str()), t)).or_insert(*j);
        }
    }
    // Record set -> (path of the alias, target) for each alias member.
    let mut edges: BTreeMap<Key, Vec<(String, Key)>> = BTreeMap::new();
    for (j, r) in &z.records {
        let (Some(n), Some(t)) = (&r.name, r.rtype()) else {
            continue;
        };
        for (rel, target) in targets(r, *j, &t, &key_of) {
            // In a zone given by ID, names written relative and absolute
            // cannot be compared before the zone's name is known.
            if !records.contains_key(&target) && zone.is_none() {
                continue;
            }
            if !records.contains_key(&target) {
                let hint = "an alias `record` names a record set listed in this zone's \
                            `records` (same type); add it, or use `dns_name` for a record \
                            lbctl does not manage";
                c.hint(
                    &rel,
                    format!(
                        "alias target `{} {}` is not a record of this zone",
                        target.0, target.1
                    ),
                    hint,
                );
                continue;
            }
            edges
                .entry((key_of(n.as_str()), t.clone()))
                .or_default()
                .push((rel, target));
        }
    }
    for (rel, chain) in cycles(&edges) {
        let shown: Vec<String> = chain.iter().map(|(n, t)| format!("`{n} {t}`")).collect();
        c.hint(
            &rel,
            format!("aliases form a cycle: {}", shown.join(" -> ")),
            "an alias must end at a record with values or another target; point one of them \
             elsewhere",
        );
    }
}

/// (path of `alias.record`, target key) for each alias-to-record member
/// of `r`.
fn targets(
    r: &RawRecord,
    j: usize,
    rtype: &str,
    key_of: &dyn Fn(&str) -> String,
) -> Vec<(String, Key)> {
    r.members()
        .iter()
        .filter_map(|m| {
            let a = m.alias?;
            let name = a.record.as_ref()?;
            let t = a
                .rtype
                .as_deref()
                .map_or(rtype.to_string(), |t| t.trim().to_ascii_uppercase());
            let rel = join_key(&format!("records[{j}]"), &join_key(&m.rel, "alias.record"));
            Some((rel, (key_of(name.as_str()), t)))
        })
        .collect()
}

/// Each alias cycle once: the path of the alias where it is first found
/// and the record sets along it (the first repeated at the end).
fn cycles(edges: &BTreeMap<Key, Vec<(String, Key)>>) -> Vec<(String, Vec<Key>)> {
    let mut out = Vec::new();
    let mut done: std::collections::BTreeSet<Key> = Default::default();
    for start in edges.keys() {
        let mut stack: Vec<Key> = Vec::new();
        walk(start, edges, &mut stack, &mut done, &mut out);
    }
    out
}

fn walk(
    at: &Key,
    edges: &BTreeMap<Key, Vec<(String, Key)>>,
    stack: &mut Vec<Key>,
    done: &mut std::collections::BTreeSet<Key>,
    out: &mut Vec<(String, Vec<Key>)>,
) {
    if done.contains(at) {
        return;
    }
    stack.push(at.clone());
    for (rel, next) in edges.get(at).into_iter().flatten() {
        if let Some(i) = stack.iter().position(|k| k == next) {
            let mut chain = stack[i..].to_vec();
            chain.push(next.clone());
            out.push((rel.clone(), chain));
        } else {
            walk(next, edges, stack, done, out);
        }
    }
    stack.pop();
    done.insert(at.clone());
}
