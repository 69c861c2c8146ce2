//! Value problems of an entry that also has typing problems, reported in
//! the same run.
//!
//! A target group or load balancer with an unknown key or a wrong type is
//! not typed, so its other values (a `type: applicaton`, a `mode: addtive`)
//! used to be checked only once the typing problems were fixed: three runs
//! for four typos. Here the entry as repaired past its typing problems
//! (`params::typed_repaired`) is validated, and a problem it shows is kept
//! only where no stand-in can be behind it: not at, inside, around or next
//! to (in the same mapping as) a place that was repaired. Nothing repaired
//! ever reaches a spec that is returned: with problems, loading fails.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::location::join_key;
use super::raw::{RawLoadBalancer, RawTargetGroup};
use super::validate::{self, Broken};
use super::{Diagnostic, Entry, Spec};

/// Entries typed only after repairs, and the places repaired.
#[derive(Default)]
pub struct Repaired {
    pub target_groups: IndexMap<String, Entry<RawTargetGroup>>,
    pub load_balancers: IndexMap<String, Entry<RawLoadBalancer>>,
    /// (file, path) of each typing problem: where a repair was made.
    pub at: BTreeSet<(String, String)>,
}

/// Add to `out` the problems of the repaired entries that no repair can
/// explain. `spec` holds the entries that typed; `broken` names the others.
pub fn problems(spec: &Spec, broken: &Broken, repaired: Repaired, out: &mut Vec<Diagnostic>) {
    if repaired.target_groups.is_empty() && repaired.load_balancers.is_empty() {
        return;
    }
    // (path, name) of each repaired entry.
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut all = spec.clone();
    for (name, e) in repaired.target_groups {
        entries.push((join_key("target_groups", &name), name.clone()));
        all.target_groups.insert(name, e);
    }
    for (name, e) in repaired.load_balancers {
        entries.push((join_key("load_balancers", &name), name.clone()));
        all.load_balancers.insert(name, e);
    }
    let mut found = Vec::new();
    validate::validate(&all, broken, &mut found);
    for d in found {
        let Some((_, own)) = entries.iter().find(|(base, _)| within(base, &d.path)) else {
            continue;
        };
        let explained = repaired
            .at
            .iter()
            .any(|(file, p)| *file == d.file && near(p, &d.path));
        // What another repaired entry shows (its protocol, say) may be a
        // stand-in: a problem naming one is not kept.
        let names_other = entries
            .iter()
            .any(|(_, n)| n != own && d.message.contains(&format!("`{n}`")));
        if !explained && !names_other && !out.contains(&d) {
            out.push(d);
        }
    }
}

/// `path` is `outer` or inside it.
fn within(outer: &str, path: &str) -> bool {
    path == outer
        || path
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
}

/// The mapping or list `path` is in (`a.b` of `a.b.c`, `a.b` of `a.b[2]`).
fn parent(path: &str) -> &str {
    path.rfind(['.', '[']).map_or("", |i| &path[..i])
}

/// A problem at `path` may come from a repair at `repaired`.
fn near(repaired: &str, path: &str) -> bool {
    within(path, repaired) || within(repaired, path) || parent(path) == parent(repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_near_a_repair_are_not_kept() {
        let r = "target_groups.a.health_check.timout";
        assert!(near(r, "target_groups.a.health_check.timeout"));
        assert!(near(r, "target_groups.a.health_check"));
        assert!(near(r, "target_groups.a"));
        assert!(near(r, "target_groups.a.health_check.timout.x"));
        assert!(!near(r, "target_groups.a.targets.mode"));
        assert!(!near(r, "target_groups.ab.health_check.path"));
        assert!(near(
            "load_balancers.b.listeners[0]",
            "load_balancers.b.listeners[1]"
        ));
        assert!(!near(
            "load_balancers.b.attributes.x",
            "load_balancers.b.type"
        ));
    }
}
