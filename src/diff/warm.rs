//! Which listener and rule updates must wait for the health of a target
//! group before they send it traffic.
//!
//! A forward that starts sending traffic (weight > 0) to a target group
//! this same plan creates, with targets, waits until those targets are
//! healthy. Only updates of existing application listeners and rules wait:
//! a new listener or load balancer carries no traffic yet, and a weight
//! change between existing groups moves traffic between groups already
//! health-checked. Network and gateway listeners have no header rules to
//! warm a group through a side rule (a network listener may forward to
//! several weighted groups, but pointing it at a new group sends that group
//! traffic at once), so their steps get a note instead.

use std::collections::BTreeSet;

use crate::model::Action;
use crate::plan::{Op, Plan, Step};

/// Target groups (with at least one target) that the plan creates, or
/// deletes and creates again.
pub(super) fn fresh_target_groups(plan: &Plan) -> BTreeSet<String> {
    plan.steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::CreateTargetGroup { target_group }
            | Op::ReplaceTargetGroup { target_group, .. }
                if !target_group.targets.list.is_empty() =>
            {
                Some(target_group.name.clone())
            }
            _ => None,
        })
        .collect()
}

/// The fresh target groups `new` sends traffic to that `old` did not.
pub(super) fn to_warm(new: &Action, old: &Action, fresh: &BTreeSet<String>) -> Vec<String> {
    let carrying = |a: &Action| -> BTreeSet<String> {
        match a {
            Action::Forward(f) => f
                .target_groups
                .iter()
                .filter(|t| t.weight > 0)
                .map(|t| t.name.clone())
                .collect(),
            _ => BTreeSet::new(),
        }
    };
    let before = carrying(old);
    carrying(new)
        .into_iter()
        .filter(|n| fresh.contains(n) && !before.contains(n))
        .collect()
}

/// Records on an update step that it waits for `groups`, with a note for
/// the reader; on a load balancer that is not an application one, only a
/// note that the health cannot be checked first.
pub(super) fn mark(step: &mut Step, lb_type: &str, groups: Vec<String>) {
    if groups.is_empty() {
        return;
    }
    let list = groups
        .iter()
        .map(|g| format!("`{g}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if lb_type != "application" {
        step.notes.push(format!(
            "the health of the targets of {list} cannot be checked before the switch: a {lb_type} listener has no rule to warm them through; use `lbctl shift`, which checks the receiving group's health before each step"
        ));
        return;
    }
    step.notes.push(format!(
        "waits for the targets of {list} to be healthy before switching"
    ));
    match &mut step.op {
        Op::UpdateListener { warm, .. } | Op::UpdateRule { warm, .. } => *warm = groups,
        _ => {}
    }
}
