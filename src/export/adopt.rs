//! What an exported spec names that its stack does not own yet, so the
//! export can say that its first apply needs `--adopt`, and whether an
//! export holds anything at all. Pure.

use crate::model::owner;

use super::dns::{owners_of, selected_records};
use super::Selection;

/// The exported resources `stack` does not own, in words (`load balancer
/// `web``, `record set `www.example.com. A` (stack `site`)`).
pub fn not_owned(selection: &Selection, stack: &str) -> Vec<String> {
    let m = &selection.model;
    let mut out = Vec::new();
    for (name, lb) in &m.load_balancers {
        if owner(&lb.tags) != Some(stack) {
            out.push(format!("load balancer `{name}`"));
        }
    }
    for (name, tg) in &m.target_groups {
        if owner(&tg.tags) != Some(stack) {
            out.push(format!("target group `{name}`"));
        }
    }
    for zone in m.dns.zones.values() {
        let owners = owners_of(zone);
        for (key, _) in selected_records(zone, &selection.records) {
            match owners.get(key).map(String::as_str) {
                Some(s) if s == stack => {}
                Some(other) => out.push(format!("record set `{key}` (stack `{other}`)")),
                None => out.push(format!("record set `{key}`")),
            }
        }
    }
    out
}

/// The warning for [`not_owned`] resources, if there are any.
pub fn adopt_warning(not_owned: &[String], stack: &str) -> Option<String> {
    if not_owned.is_empty() {
        return None;
    }
    const SHOWN: usize = 5;
    let mut list = not_owned[..not_owned.len().min(SHOWN)].join(", ");
    if not_owned.len() > SHOWN {
        list.push_str(&format!(" and {} more", not_owned.len() - SHOWN));
    }
    Some(format!(
        "stack `{stack}` does not own {list}: apply with --adopt to take them over \
         (`lbctl apply -f FILE --adopt`; a plan without it reports them and changes nothing)"
    ))
}

/// Whether the export holds no load balancer, target group or record set.
pub fn is_empty(selection: &Selection) -> bool {
    let m = &selection.model;
    m.load_balancers.is_empty()
        && m.target_groups.is_empty()
        && m.dns
            .zones
            .values()
            .all(|z| selected_records(z, &selection.records).is_empty())
}
