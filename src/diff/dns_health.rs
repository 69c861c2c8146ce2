//! The health checks lbctl manages for record set members: which to
//! create, update or replace, and which to delete.
//!
//! A check whose immutable settings change (type, interval, latency
//! measuring, adding an IP address, anything of a recovery control check)
//! is replaced safely: a new check is created (phase 5), the records move
//! to it (phase 6), then the old check is deleted (phase 7). A calculated
//! check's children that lbctl manages are matched with the live check's
//! children by settings; new ones are created before the parent, which is
//! replaced when it gains one (its create names the children by slot), and
//! children it drops are deleted after it. Health check steps of one phase
//! run one after another in plan order (`Step::group`).

use std::collections::BTreeSet;

use crate::model::dns::{HealthCheckRef, ManagedHealthCheck, Record, RecordKey, RecordSet};
use crate::plan::{Change, Kind, Op, Plan, StepAction};

use super::step;

/// AWS's default for `InsufficientDataHealthStatus`.
const INSUFFICIENT_DEFAULT: &str = "LastKnownStatus";

pub(super) fn managed(r: &Record) -> Option<&ManagedHealthCheck> {
    match &r.health_check {
        Some(HealthCheckRef::Managed(m)) => Some(m),
        _ => None,
    }
}

/// Where the checks of one member go: the record and its set identifier.
struct Slot<'a> {
    zone: &'a str,
    key: &'a RecordKey,
    set_identifier: Option<String>,
    /// `api.example.com. A [primary]`
    name: String,
}

/// Decide the health check of each desired member: reuse (possibly
/// updating) the live managed check of the same member, or create a new
/// one. Returns the members as they will be written.
pub(super) fn health_checks(
    zone: &str,
    key: &RecordKey,
    wset: &RecordSet,
    hset: &RecordSet,
    plan: &mut Plan,
) -> Vec<Record> {
    let mut out = Vec::new();
    for w in &wset.members {
        let mut w = w.clone();
        if let Some(want) = managed(&w).cloned() {
            let live = hset
                .members
                .iter()
                .find(|h| h.set_identifier == w.set_identifier)
                .and_then(managed);
            let slot = Slot {
                zone,
                key,
                set_identifier: w.set_identifier.clone(),
                name: format!(
                    "{key}{}",
                    w.set_identifier
                        .as_ref()
                        .map(|s| format!(" [{s}]"))
                        .unwrap_or_default()
                ),
            };
            let check = plan_check(&slot, &want, live, plan);
            w.health_check = Some(HealthCheckRef::Managed(check));
        }
        out.push(w);
    }
    out
}

/// The steps for one member's check (children first); returns the check
/// as the record will use it (with its ID when it is kept).
fn plan_check(
    slot: &Slot,
    want: &ManagedHealthCheck,
    have: Option<&ManagedHealthCheck>,
    plan: &mut Plan,
) -> ManagedHealthCheck {
    let (children, new_child) = plan_children(slot, want, have, plan);
    let want = ManagedHealthCheck {
        children,
        ..want.clone()
    };
    match have {
        Some(h) if !new_child && !needs_new(&want, h) => {
            let changes = check_changes(&want, h);
            let kept = ManagedHealthCheck {
                id: h.id.clone(),
                ..want
            };
            if !changes.is_empty() {
                plan.steps.push(step(
                    StepAction::Update,
                    Kind::HealthCheck,
                    &slot.name,
                    changes,
                    Op::UpdateHealthCheck {
                        id: kept.id.clone().unwrap_or_default(),
                        check: kept.clone(),
                    },
                ));
            }
            kept
        }
        _ => {
            let mut s = create_step(slot, None, &want);
            if let Some(old) = have.and_then(|h| h.id.as_deref()) {
                s.notes.push(format!(
                    "replaces health check `{old}`, whose {} cannot change in place: the new \
                     check is created first, the records move to it, then `{old}` is deleted",
                    immutable_changes(&want, have.unwrap_or(&want), new_child).join(", ")
                ));
            }
            plan.steps.push(s);
            want
        }
    }
}

fn create_step(slot: &Slot, child: Option<usize>, want: &ManagedHealthCheck) -> crate::plan::Step {
    let name = match child {
        None => slot.name.clone(),
        Some(i) => format!("{} children[{i}]", slot.name),
    };
    // Children show as what they are to the parent: IDs, or the steps
    // above that create them.
    let mut changes = super::changes::created(
        "health_check",
        &ManagedHealthCheck {
            children: vec![],
            ..want.clone()
        },
    );
    if !want.children.is_empty() {
        let children: Vec<String> = want
            .children
            .iter()
            .enumerate()
            .map(|(i, c)| match ref_id(c) {
                Some(id) => id.to_string(),
                None => format!("(new: {} children[{i}])", slot.name),
            })
            .collect();
        changes.push(Change::new(
            "health_check.children",
            serde_json::Value::Null,
            children,
        ));
    }
    step(
        StepAction::Create,
        Kind::HealthCheck,
        &name,
        changes,
        Op::CreateHealthCheck {
            zone: slot.zone.to_string(),
            key: slot.key.clone(),
            set_identifier: slot.set_identifier.clone(),
            child,
            check: want.clone(),
        },
    )
}

/// The children of a calculated check as it will be written, each managed
/// one matched with a live child of `have` (same settings first, then one
/// that can be updated in place) or created; and whether any is created.
fn plan_children(
    slot: &Slot,
    want: &ManagedHealthCheck,
    have: Option<&ManagedHealthCheck>,
    plan: &mut Plan,
) -> (Vec<HealthCheckRef>, bool) {
    let pool: Vec<&ManagedHealthCheck> = have
        .map(|h| h.managed_children().collect())
        .unwrap_or_default();
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    let mut pick = |wc: &ManagedHealthCheck, exact: bool| {
        let found = pool.iter().enumerate().find(|(j, lc)| {
            !taken.contains(j)
                && if exact {
                    same_settings(wc, lc)
                } else {
                    !needs_new(wc, lc)
                }
        });
        found.map(|(j, lc)| {
            taken.insert(j);
            *lc
        })
    };
    // Exact matches first, so that a changed child does not take the live
    // check another child matches exactly.
    let exact: Vec<Option<&ManagedHealthCheck>> = want
        .children
        .iter()
        .map(|c| match c {
            HealthCheckRef::Managed(wc) => pick(wc, true),
            HealthCheckRef::Id(_) => None,
        })
        .collect();
    let mut out = Vec::new();
    let mut created = false;
    for (i, c) in want.children.iter().enumerate() {
        let HealthCheckRef::Managed(wc) = c else {
            out.push(c.clone());
            continue;
        };
        let live = exact[i].or_else(|| pick(wc, false));
        match live {
            Some(lc) => {
                let kept = ManagedHealthCheck {
                    id: lc.id.clone(),
                    ..wc.clone()
                };
                let changes = check_changes(&kept, lc);
                if !changes.is_empty() {
                    plan.steps.push(step(
                        StepAction::Update,
                        Kind::HealthCheck,
                        &format!("{} children[{i}]", slot.name),
                        changes,
                        Op::UpdateHealthCheck {
                            id: kept.id.clone().unwrap_or_default(),
                            check: kept.clone(),
                        },
                    ));
                }
                out.push(HealthCheckRef::Managed(kept));
            }
            None => {
                created = true;
                plan.steps.push(create_step(slot, Some(i), wc));
                out.push(HealthCheckRef::Managed(wc.clone()));
            }
        }
    }
    (out, created)
}

/// Every setting equal, the ID aside.
fn same_settings(want: &ManagedHealthCheck, have: &ManagedHealthCheck) -> bool {
    !needs_new(want, have) && check_changes(want, have).is_empty()
}

/// The ID a check reference names, if known.
fn ref_id(c: &HealthCheckRef) -> Option<&str> {
    match c {
        HealthCheckRef::Id(id) => Some(id),
        HealthCheckRef::Managed(m) => m.id.as_deref(),
    }
}

/// Settings of a managed health check the spec gives that differ from live.
pub(super) fn check_changes(want: &ManagedHealthCheck, have: &ManagedHealthCheck) -> Vec<Change> {
    let mut out = Vec::new();
    macro_rules! field {
        ($f:ident) => {
            if want.$f.is_some() && want.$f != have.$f {
                out.push(Change::new(
                    concat!("health_check.", stringify!($f)),
                    &have.$f,
                    &want.$f,
                ));
            }
        };
        (always $f:ident) => {
            if want.$f != have.$f {
                out.push(Change::new(
                    concat!("health_check.", stringify!($f)),
                    &have.$f,
                    &want.$f,
                ));
            }
        };
    }
    if want.check_type != have.check_type {
        out.push(Change::new(
            "health_check.type",
            &have.check_type,
            &want.check_type,
        ));
    }
    field!(fqdn);
    field!(ip_address);
    field!(port);
    field!(path);
    field!(interval);
    field!(failure_threshold);
    field!(always search_string);
    field!(always regions);
    field!(always inverted);
    field!(always disabled);
    field!(always measure_latency);
    if want.is_https() {
        let (w, h) = (
            want.enable_sni.unwrap_or(true),
            have.enable_sni.unwrap_or(true),
        );
        if w != h {
            out.push(Change::new("health_check.enable_sni", h, w));
        }
    }
    field!(healthy_threshold);
    let ids = |c: &ManagedHealthCheck| -> BTreeSet<Option<String>> {
        c.children
            .iter()
            .map(|c| ref_id(c).map(str::to_string))
            .collect()
    };
    if ids(want) != ids(have) {
        let show = |c: &ManagedHealthCheck| -> Vec<String> {
            c.children
                .iter()
                .map(|c| ref_id(c).unwrap_or("(new)").to_string())
                .collect()
        };
        out.push(Change::new("health_check.children", show(have), show(want)));
    }
    field!(always alarm);
    if want.check_type == "CLOUDWATCH_METRIC" {
        let norm = |s: &Option<String>| s.clone().unwrap_or_else(|| INSUFFICIENT_DEFAULT.into());
        if norm(&want.insufficient_data) != norm(&have.insufficient_data) {
            out.push(Change::new(
                "health_check.insufficient_data",
                norm(&have.insufficient_data),
                norm(&want.insufficient_data),
            ));
        }
    }
    field!(always routing_control);
    out
}

/// Whether the check must be replaced: Route 53 cannot change its type,
/// interval, latency measuring or routing control, cannot add an IP address
/// to a check by name, and updates no recovery control check at all.
pub(super) fn needs_new(want: &ManagedHealthCheck, have: &ManagedHealthCheck) -> bool {
    !immutable_changes(want, have, false).is_empty()
}

/// What makes a replacement, by spec key.
fn immutable_changes(
    want: &ManagedHealthCheck,
    have: &ManagedHealthCheck,
    new_child: bool,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if want.check_type != have.check_type {
        out.push("`type`");
    }
    if want.interval.is_some() && want.interval != have.interval {
        out.push("`interval`");
    }
    if want.measure_latency != have.measure_latency {
        out.push("`measure_latency`");
    }
    if want.routing_control != have.routing_control {
        out.push("`routing_control`");
    }
    if want.ip_address.is_some() && have.ip_address.is_none() {
        out.push("`ip_address` (added)");
    }
    if out.is_empty()
        && want.check_type == "RECOVERY_CONTROL"
        && (want.inverted != have.inverted || want.disabled != have.disabled)
    {
        out.push("settings (a recovery control check takes no update)");
    }
    if new_child {
        out.push("`children` (a child this plan creates)");
    }
    out
}

/// Delete the live managed health checks (and their managed children) no
/// desired member keeps: a parent before its children.
pub(super) fn delete_managed_checks(live: &[Record], kept: &[Record], plan: &mut Plan) {
    let mut keep: BTreeSet<String> = BTreeSet::new();
    for m in kept.iter().filter_map(managed) {
        ids_of(m, &mut keep);
    }
    for m in live.iter().filter_map(managed) {
        for c in std::iter::once(m).chain(m.managed_children()) {
            let Some(id) = &c.id else { continue };
            if keep.contains(id) || plan_deletes(plan, id) {
                continue;
            }
            plan.steps.push(step(
                StepAction::Delete,
                Kind::HealthCheck,
                id,
                vec![],
                Op::DeleteHealthCheck { id: id.clone() },
            ));
        }
    }
}

/// The IDs of a check and of its managed children.
pub(super) fn ids_of(m: &ManagedHealthCheck, out: &mut BTreeSet<String>) {
    out.extend(m.id.clone());
    for c in &m.children {
        match c {
            HealthCheckRef::Id(id) => {
                out.insert(id.clone());
            }
            HealthCheckRef::Managed(child) => ids_of(child, out),
        }
    }
}

fn plan_deletes(plan: &Plan, id: &str) -> bool {
    plan.steps
        .iter()
        .any(|s| matches!(&s.op, Op::DeleteHealthCheck { id: d } if d == id))
}
