//! Where SecureString values go in a plan: each spec path a SecureString
//! parameter was substituted at, as the [`Place`] of the plan step that
//! shows it (a target group, load balancer, listener or rule setting by its
//! key; a record set member's `weight` or `ttl`).
//!
//! Only whole values are placed: a secret inside a longer text is found by
//! `crate::secrets::scrub` (when it is long enough). Settings whose plan
//! value differs from the spec's (durations such as `30s`) are left to that
//! too. A target's port is placed as `targets` (shown as `id:port`).

use std::collections::BTreeMap;

use crate::model::dns::RecordKey;
use crate::model::Model;
use crate::plan::{listener_name, rule_name, Kind};
use crate::secrets::Place;
use crate::spec::raw::dns::absolute_record;
use crate::spec::{Resolved, Spec};

/// The places of the plan that hold SecureString values; `values` has the
/// values by SSM name (as the spec gives it).
pub fn places(
    spec: &Spec,
    resolved: &Resolved,
    desired: &Model,
    values: &BTreeMap<String, String>,
) -> Vec<Place> {
    let mut out = Vec::new();
    for ((file, path), parameter) in &spec.sensitive {
        let Some(text) = values.get(parameter) else {
            continue;
        };
        let place = |kind, step: String, member: Option<String>, key: &str| Place {
            kind,
            step,
            member,
            key: key.to_string(),
            text: text.clone(),
            parameter: parameter.clone(),
        };
        if let Some(rest) = path.strip_prefix("target_groups.") {
            let (name, rel) = rest.split_once('.').unwrap_or((rest, ""));
            if rel.starts_with("targets.") && last_key(rel) == "port" {
                // Shown inside `id:port` (see `render::places`).
                for kind in [Kind::TargetGroup, Kind::Targets] {
                    out.push(place(kind, name.to_string(), None, "targets"));
                }
            } else {
                out.push(place(
                    Kind::TargetGroup,
                    name.to_string(),
                    None,
                    last_key(rel),
                ));
            }
        } else if let Some(rest) = path.strip_prefix("load_balancers.") {
            let (kind, step) = load_balancer_step(spec, rest);
            out.push(place(kind, step, None, last_key(rest)));
        } else if let Some(at) = dns_member(spec, resolved, desired, file, path) {
            let (key, members, setting) = at;
            for m in members {
                if path.contains(".health_check.") {
                    // The managed health check's own step (a calculated
                    // check's child has its own, `... children[N]`).
                    let mut step = match m.as_str() {
                        "record" => key.to_string(),
                        id => format!("{key} [{id}]"),
                    };
                    if let Some((n, _)) = path
                        .split_once(".health_check.children[")
                        .and_then(|(_, rest)| rest.split_once(']'))
                    {
                        step = format!("{step} children[{n}]");
                    }
                    out.push(place(Kind::HealthCheck, step, None, &setting));
                }
                out.push(place(Kind::RecordSet, key.to_string(), Some(m), &setting));
            }
        }
    }
    out
}

/// The step of a load balancer setting: the listener's or rule's when the
/// path is inside one (`web.listeners[0].rules[1]...`).
fn load_balancer_step(spec: &Spec, rest: &str) -> (Kind, String) {
    let (name, rel) = rest.split_once('.').unwrap_or((rest, ""));
    let lb = spec.load_balancers.get(name).map(|e| &e.raw);
    let listener = index(rel, "listeners[").and_then(|(i, after)| {
        let l = lb?.listeners.as_ref()?.get(i)?;
        Some((l, after))
    });
    let Some((l, after)) = listener else {
        return (Kind::LoadBalancer, name.to_string());
    };
    let port = l.port.as_ref().map_or(0, |p| p.0 as u16);
    let rule = index(after.trim_start_matches('.'), "rules[")
        .and_then(|(r, _)| l.rules.as_ref()?.get(r)?.priority.as_ref());
    match rule {
        Some(priority) => (Kind::Rule, rule_name(name, port, priority.0 as u32)),
        None => (Kind::Listener, listener_name(name, port)),
    }
}

/// `(3, rest)` for `prefix3]rest`.
fn index<'a>(path: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(prefix)?;
    let (i, after) = rest.split_once(']')?;
    Some((i.parse().ok()?, after))
}

/// The record set, member labels and setting a `dns[i].records[j]...`
/// path is about: one member (`weighted[0].weight`) or all of them
/// (`ttl`, `weighted_from_instances.weight`).
fn dns_member(
    spec: &Spec,
    resolved: &Resolved,
    desired: &Model,
    file: &str,
    path: &str,
) -> Option<(RecordKey, Vec<String>, String)> {
    let (z, rest) = index(path, "dns[")?;
    let (j, rest) = index(rest.strip_prefix('.')?, "records[")?;
    let rel = rest.strip_prefix('.')?;
    let e = spec
        .dns
        .iter()
        .find(|e| e.raw.index == z && spec.sources[e.file].file == file)?;
    let src = &spec.sources[e.file];
    let info = super::dns::lookup(src, "", e.raw.zone.as_ref()?, resolved, &mut Vec::new())?;
    let zone = crate::spec::absolute_zone(&info.name);
    let (_, r) = e.raw.records.iter().find(|(k, _)| *k == j)?;
    let key = RecordKey {
        name: absolute_record(r.name.as_ref()?.as_str(), &zone),
        rtype: r.rtype()?,
    };
    let label = |id: Option<String>| id.unwrap_or_else(|| "record".into());
    let member = r
        .members()
        .into_iter()
        .find(|m| !m.rel.is_empty() && rel.starts_with(&format!("{}.", m.rel)));
    let members = match member {
        Some(m) => vec![label(m.set_identifier())],
        None => desired
            .dns
            .zones
            .get(&zone)?
            .record_sets
            .get(&key)?
            .members
            .iter()
            .map(|m| label(m.set_identifier.clone()))
            .collect(),
    };
    Some((key, members, last_key(rel).to_string()))
}

/// The last key of a spec path: `weight` of `forward.target_groups[1].weight`.
fn last_key(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}
