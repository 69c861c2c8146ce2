//! What lets a plan find the stack's DNS without the spec: the hosted-zone
//! tag `lbctl:stack:<stack>` (set while the stack owns record sets in a
//! zone, removed once it owns none), and the deletion of health checks
//! tagged with the stack that no live record uses.
//!
//! A zone the stack owns records in without the tag (applied by an lbctl
//! before the tag existed) is tagged by the next apply: that is the
//! migration, and why the first plan after upgrading shows a step.

use std::collections::BTreeSet;

use crate::model::dns::{
    zone_tag_key, Dns, HealthCheckRef, ManagedHealthCheck, Zone, ZONE_TAG_VALUE,
};
use crate::plan::{Change, Kind, Op, Plan, StepAction};

use super::step;

/// Tag or untag a live zone so that its tag says whether the stack owns
/// record sets there after the plan (`keeps`). A zone that does not
/// exist gets nothing.
pub(super) fn zone_tag(
    stack: &str,
    zone: &str,
    keeps: bool,
    have: &Zone,
    live: &Dns,
    plan: &mut Plan,
) {
    let tagged = live.tagged.contains(zone);
    if have.id.is_none() || keeps == tagged {
        return;
    }
    let path = format!("tags.{}", zone_tag_key(stack));
    let (before, after) = if keeps {
        (None, Some(ZONE_TAG_VALUE))
    } else {
        (Some(ZONE_TAG_VALUE), None)
    };
    let mut s = step(
        StepAction::Update,
        Kind::HostedZone,
        zone,
        vec![Change::new(path, before, after)],
        Op::TagZone {
            zone: zone.to_string(),
            stack: stack.to_string(),
            tag: keeps,
        },
    );
    s.notes.push(if keeps {
        format!(
            "marks the zone as holding record sets of stack `{stack}`, so that a plan without \
             this zone in its spec still finds them"
        )
    } else {
        format!("stack `{stack}` owns no record set in this zone any more")
    });
    plan.steps.push(s);
}

/// Delete every health check tagged with the stack that no live record of
/// the zones read uses and no step deletes already. One that a create step
/// of this plan may reuse (a check left by a stopped apply: same settings,
/// see `aws::route53::health_check`) is kept; if it is not reused, the
/// next plan deletes it.
pub(super) fn unused_health_checks(live: &Dns, plan: &mut Plan) {
    let creates: Vec<ManagedHealthCheck> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::CreateHealthCheck { check, .. } => Some(check.clone()),
            _ => None,
        })
        .collect();
    // A check is used by a record, or as a child of a check a record uses.
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    for r in live
        .zones
        .values()
        .flat_map(|z| z.record_sets.values())
        .flat_map(|s| &s.members)
    {
        match &r.health_check {
            Some(HealthCheckRef::Id(id)) => {
                used_ids.insert(id.clone());
            }
            Some(HealthCheckRef::Managed(m)) => super::dns_health::ids_of(m, &mut used_ids),
            None => {}
        }
    }
    let used: BTreeSet<&str> = used_ids.iter().map(String::as_str).collect();
    let deleted: BTreeSet<String> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::DeleteHealthCheck { id } => Some(id.clone()),
            _ => None,
        })
        .collect();
    // Calculated checks before the children they name.
    let mut unused: Vec<(&String, &ManagedHealthCheck)> = live.health_checks.iter().collect();
    unused.sort_by_key(|(_, c)| c.children.is_empty());
    for (id, have) in unused {
        if used.contains(id.as_str())
            || deleted.contains(id)
            || creates.iter().any(|want| reusable(want, have))
        {
            continue;
        }
        let mut s = step(
            StepAction::Delete,
            Kind::HealthCheck,
            id,
            vec![],
            Op::DeleteHealthCheck { id: id.clone() },
        );
        s.notes
            .push("tagged with the stack, and no record uses it".to_string());
        plan.steps.push(s);
    }
}

/// Whether a create of `want` may reuse the live check `have`: the same
/// settings, where the spec gives them.
fn reusable(want: &ManagedHealthCheck, have: &ManagedHealthCheck) -> bool {
    fn given<T: PartialEq>(want: &Option<T>, have: &Option<T>) -> bool {
        want.is_none() || want == have
    }
    want.check_type == have.check_type
        && want.fqdn == have.fqdn
        && want.ip_address == have.ip_address
        && want.path == have.path
        && given(&want.port, &have.port)
        && given(&want.interval, &have.interval)
        && given(&want.failure_threshold, &have.failure_threshold)
        && want.children.is_empty()
        && !super::dns_health::needs_new(want, have)
        && super::dns_health::check_changes(want, have).is_empty()
}
