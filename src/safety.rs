//! Safety thresholds: what apply refuses to do without `--force`.
//!
//! In the spirit of octoDNS: a plan that deletes a load balancer, or
//! removes a large share of what the stack owns, of a target group's
//! targets or of the traffic weight of a weighted record set or forward,
//! is probably a mistake (a spec file left out of `-f`, a selector that
//! matches nothing). [`check`] is a pure function of the plan, the live
//! model and the [`Thresholds`]; `plan` shows its [`Violation`]s as
//! warnings and `apply` refuses while any remain ([`refuse`]).
//!
//! A load balancer with deletion protection on is never deleted, not even
//! with `--force` (moto stores the attribute but does not enforce it, so
//! lbctl refuses by itself). Nothing here talks to AWS or prints.

use std::collections::BTreeSet;

pub mod adopt;
pub mod gates;
pub mod unmanaged;
pub mod unmanaged_dns;

use serde::{Deserialize, Serialize};

use crate::model::dns::{owned_key, parse_owner_value, Record, Routing};
use crate::model::{owner, Action, Model};
use crate::plan::{listener_name, rule_name, Op, Plan, StepAction};

/// A share threshold trips only when at least this many things are
/// removed: in a small stack any single removal is a large share, and
/// removing one thing is what editing a spec does (octoDNS skips small
/// zones for the same reason). Deleting a load balancer has its own rule.
pub const MIN_REMOVALS: usize = 2;

/// The limits a plan is checked against. Shares are percentages (0..=100);
/// a share above its limit is a violation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Target groups and load balancers the stack owns that one apply may
    /// delete.
    pub max_delete_share: f64,
    /// Record sets the stack owns that one apply may delete.
    pub max_record_delete_share: f64,
    /// Registered targets of one target group that one apply may
    /// deregister.
    pub max_target_removal_share: f64,
    /// Traffic weight of one weighted record set or weighted forward that
    /// may go to members being removed.
    pub max_weight_removal_share: f64,
    /// Whether a load balancer may be deleted at all. A replacement (type
    /// or scheme changed: delete, then create, so its DNS name changes)
    /// is a deletion too.
    pub allow_load_balancer_delete: bool,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_delete_share: 30.0,
            max_record_delete_share: 30.0,
            max_target_removal_share: 50.0,
            max_weight_removal_share: 50.0,
            allow_load_balancer_delete: false,
        }
    }
}

/// Thresholds given by the spec's `safety:` section or by flags; `None`
/// leaves the value below as it is.
/// Why apply (or adopt) stops before any change: the message lists what
/// failed, the hint says how to go on. The command turns it into
/// `Error::Refused` (exit 1).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overrides {
    pub max_delete_share: Option<f64>,
    pub max_record_delete_share: Option<f64>,
    pub max_target_removal_share: Option<f64>,
    pub max_weight_removal_share: Option<f64>,
    pub allow_load_balancer_delete: Option<bool>,
}

impl Thresholds {
    /// The thresholds in force: defaults, then the spec's `safety:`
    /// section, then flags.
    pub fn resolve(spec: &Overrides, flags: &Overrides) -> Thresholds {
        Thresholds::default().with(spec).with(flags)
    }

    /// These thresholds with `o`'s values where it gives one. Flags win
    /// over the spec: `defaults.with(&spec).with(&flags)`.
    pub fn with(self, o: &Overrides) -> Thresholds {
        Thresholds {
            max_delete_share: o.max_delete_share.unwrap_or(self.max_delete_share),
            max_record_delete_share: o
                .max_record_delete_share
                .unwrap_or(self.max_record_delete_share),
            max_target_removal_share: o
                .max_target_removal_share
                .unwrap_or(self.max_target_removal_share),
            max_weight_removal_share: o
                .max_weight_removal_share
                .unwrap_or(self.max_weight_removal_share),
            allow_load_balancer_delete: o
                .allow_load_balancer_delete
                .unwrap_or(self.allow_load_balancer_delete),
        }
    }
}

/// A share as written in the spec or on the command line: `30%`, `30` or
/// `12.5%`, meaning percent, from 0 to 100.
pub fn parse_share(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let number = t.strip_suffix('%').unwrap_or(t).trim();
    match number.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        Ok(_) => Err(format!("`{t}` is out of range: a share is 0% to 100%")),
        Err(_) => Err(format!(
            "`{t}` is not a share: write a percentage like `30%`"
        )),
    }
}

/// Which limit a violation breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// A load balancer would be deleted.
    LoadBalancerDelete,
    /// A load balancer with deletion protection on would be deleted or
    /// replaced; `--force` does not help.
    DeletionProtection,
    MaxDeleteShare,
    MaxRecordDeleteShare,
    MaxTargetRemovalShare,
    MaxWeightRemovalShare,
    /// A live resource with settings lbctl cannot model would be modified
    /// or replaced (see [`unmanaged`]).
    Unmanaged,
}

/// One thing the plan does that the thresholds do not allow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    pub limit: Limit,
    /// Lower case, names in backticks; says what and by how much.
    pub message: String,
}

impl Violation {
    /// Whether `--force` lets apply go on despite it.
    pub fn forceable(&self) -> bool {
        self.limit != Limit::DeletionProtection
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Everything in `plan` that `thresholds` do not allow, given the live
/// state the plan was made from. Pure.
pub fn check(plan: &Plan, live: &Model, thresholds: &Thresholds) -> Vec<Violation> {
    let mut out = Vec::new();
    load_balancer_deletes(plan, live, thresholds, &mut out);
    delete_share(plan, live, thresholds, &mut out);
    record_delete_share(plan, live, thresholds, &mut out);
    target_removals(plan, live, thresholds, &mut out);
    weight_removals(plan, live, thresholds, &mut out);
    out.extend(unmanaged::check(plan, live));
    out.extend(unmanaged_dns::check(plan, live));
    out
}

/// The violations as plan warnings: `safety: ...`, with what would let
/// apply go on.
pub fn warnings(violations: &[Violation]) -> Vec<String> {
    violations
        .iter()
        .map(|v| {
            let tail = if v.forceable() {
                "apply refuses without --force"
            } else {
                "apply refuses, even with --force"
            };
            format!("safety: {v}; {tail}")
        })
        .collect()
}

/// The violations that stop apply: all of them, or with `force` only
/// those `--force` cannot override.
pub fn blocking(violations: &[Violation], force: bool) -> Vec<&Violation> {
    violations
        .iter()
        .filter(|v| !force || !v.forceable())
        .collect()
}

/// `Ok` when apply may go on; else the refusal listing every blocking
/// violation (exit 1, nothing changed).
pub fn refuse(violations: &[Violation], force: bool) -> Result<(), Refusal> {
    let stop = blocking(violations, force);
    if stop.is_empty() {
        return Ok(());
    }
    let list: String = stop.iter().map(|v| format!("\n  - {v}")).collect();
    let protected = stop.iter().any(|v| !v.forceable());
    let lossy = stop.iter().any(|v| v.limit == Limit::Unmanaged);
    let hint = if protected {
        "turn deletion protection off first (set `attributes: { deletion_protection: false }` \
         on the load balancer in the spec and apply, or use the AWS console), then apply again; \
         --force does not override deletion protection"
    } else if lossy {
        "lbctl cannot model those live settings yet: change that resource in AWS directly, \
         or apply again with --force to drop them (review the list above first)"
    } else {
        "review the plan; if this is intended, apply again with --force, or raise the \
         threshold (`safety:` in the spec, or --max-delete-share and friends)"
    };
    Err(Refusal {
        message: format!(
            "refusing to apply: {} safety check(s) failed; nothing was changed{list}",
            stop.len()
        ),
        hint: Some(hint.into()),
    })
}

/// `33.3%`, `50%`.
fn pct(share: f64) -> String {
    let r = (share * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}%")
    } else {
        format!("{r:.1}%")
    }
}

fn share(part: f64, whole: f64) -> f64 {
    if whole <= 0.0 {
        0.0
    } else {
        100.0 * part / whole
    }
}

fn load_balancer_deletes(plan: &Plan, live: &Model, t: &Thresholds, out: &mut Vec<Violation>) {
    for step in &plan.steps {
        let (name, replace) = match &step.op {
            Op::DeleteLoadBalancer { name } => (name.as_str(), false),
            Op::ReplaceLoadBalancer { load_balancer } => (load_balancer.name.as_str(), true),
            _ => continue,
        };
        let what = if replace {
            "deleted and created again (replace; its DNS name changes)"
        } else {
            "deleted"
        };
        let protected = live
            .load_balancers
            .get(name)
            .and_then(|lb| lb.attributes.get("deletion_protection.enabled"))
            .is_some_and(|v| v == "true");
        if protected {
            out.push(Violation {
                limit: Limit::DeletionProtection,
                message: format!(
                    "load balancer `{name}` would be {what} but has deletion protection on"
                ),
            });
        } else if !t.allow_load_balancer_delete {
            // A replacement deletes the load balancer as surely as a
            // removal does: new ARN, new DNS name, listeners gone until
            // re-created. Whatever points at the old DNS name breaks.
            out.push(Violation {
                limit: Limit::LoadBalancerDelete,
                message: format!(
                    "load balancer `{name}` would be {what} (allow_load_balancer_delete is off)"
                ),
            });
        }
    }
}

fn delete_share(plan: &Plan, live: &Model, t: &Thresholds, out: &mut Vec<Violation>) {
    let mine = |tags: &crate::model::Tags| owner(tags) == Some(plan.stack.as_str());
    let owned = live
        .target_groups
        .values()
        .filter(|g| mine(&g.tags))
        .count()
        + live
            .load_balancers
            .values()
            .filter(|l| mine(&l.tags))
            .count();
    let deleted = plan
        .steps
        .iter()
        .filter(|s| {
            matches!(
                s.op,
                Op::DeleteTargetGroup { .. }
                    | Op::DeleteLoadBalancer { .. }
                    | Op::ReplaceLoadBalancer { .. }
            )
        })
        .count();
    let s = share(deleted as f64, owned as f64);
    if deleted >= MIN_REMOVALS && s > t.max_delete_share {
        out.push(Violation {
            limit: Limit::MaxDeleteShare,
            message: format!(
                "{deleted} of the {owned} target groups and load balancers of stack `{}` would be deleted ({}, more than max_delete_share {})",
                plan.stack,
                pct(s),
                pct(t.max_delete_share)
            ),
        });
    }
}

fn record_delete_share(plan: &Plan, live: &Model, t: &Thresholds, out: &mut Vec<Violation>) {
    // Owned record sets are those with an ownership record naming the stack.
    let owned: usize = live
        .dns
        .zones
        .values()
        .flat_map(|z| &z.record_sets)
        .filter(|(key, set)| {
            owned_key(key).is_some()
                && set
                    .members
                    .iter()
                    .flat_map(|m| &m.values)
                    .any(|v| parse_owner_value(v).as_deref() == Some(plan.stack.as_str()))
        })
        .count();
    let deleted = plan
        .steps
        .iter()
        .filter(|s| s.action == StepAction::Delete)
        .filter(|s| matches!(&s.op, Op::RecordSet { key, .. } if owned_key(key).is_none()))
        .count();
    let s = share(deleted as f64, owned as f64);
    if deleted >= MIN_REMOVALS && s > t.max_record_delete_share {
        out.push(Violation {
            limit: Limit::MaxRecordDeleteShare,
            message: format!(
                "{deleted} of the {owned} record sets of stack `{}` would be deleted ({}, more than max_record_delete_share {})",
                plan.stack,
                pct(s),
                pct(t.max_record_delete_share)
            ),
        });
    }
}

fn target_removals(plan: &Plan, live: &Model, t: &Thresholds, out: &mut Vec<Violation>) {
    for step in &plan.steps {
        let Op::Targets {
            target_group,
            deregister,
            ..
        } = &step.op
        else {
            continue;
        };
        let registered = live
            .target_groups
            .get(target_group)
            .map_or(0, |g| g.targets.list.len());
        let removed = deregister.len();
        let s = share(removed as f64, registered as f64);
        if removed >= MIN_REMOVALS && s > t.max_target_removal_share {
            out.push(Violation {
                limit: Limit::MaxTargetRemovalShare,
                message: format!(
                    "{removed} of the {registered} targets of target group `{target_group}` would be deregistered ({}, more than max_target_removal_share {})",
                    pct(s),
                    pct(t.max_target_removal_share)
                ),
            });
        }
    }
}

fn weight_removals(plan: &Plan, live: &Model, t: &Thresholds, out: &mut Vec<Violation>) {
    for step in &plan.steps {
        let found = match &step.op {
            Op::RecordSet {
                zone,
                key,
                delete,
                create,
            } if step.action == StepAction::Update => {
                let members = live
                    .dns
                    .zones
                    .get(zone)
                    .and_then(|z| z.record_sets.get(key))
                    .map(|s| s.members.as_slice())
                    .unwrap_or_default();
                record_weight_removed(members, delete, create)
                    .map(|s| (format!("record set `{key}`"), s))
            }
            Op::UpdateListener {
                load_balancer,
                listener,
                ..
            } => live
                .load_balancers
                .get(load_balancer)
                .and_then(|lb| lb.listeners.get(&listener.key()))
                .and_then(|l| forward_weight_removed(&l.default_action, &listener.default_action))
                .map(|s| {
                    let name = listener_name(load_balancer, listener.key());
                    (format!("the default action of listener `{name}`"), s)
                }),
            Op::UpdateRule {
                load_balancer,
                port,
                from_priority,
                rule,
                ..
            } => live
                .load_balancers
                .get(load_balancer)
                .and_then(|lb| lb.listeners.get(port))
                .and_then(|l| l.rules.get(from_priority))
                .and_then(|r| forward_weight_removed(&r.action, &rule.action))
                .map(|s| {
                    let name = rule_name(load_balancer, *port, *from_priority);
                    (format!("rule `{name}`"), s)
                }),
            _ => None,
        };
        if let Some((what, s)) = found {
            if s > t.max_weight_removal_share {
                out.push(Violation {
                    limit: Limit::MaxWeightRemovalShare,
                    message: format!(
                        "{} of the traffic weight of {what} goes to members that would be removed (more than max_weight_removal_share {})",
                        pct(s),
                        pct(t.max_weight_removal_share)
                    ),
                });
            }
        }
    }
}

/// Share of a weighted forward's weight on target groups the new action
/// no longer forwards to; `None` unless the live action is a forward to
/// two or more target groups (moving a single forward elsewhere is a
/// cutover, not a removal from a mix).
fn forward_weight_removed(have: &Action, want: &Action) -> Option<f64> {
    let Action::Forward(h) = have else {
        return None;
    };
    if h.target_groups.len() < 2 {
        return None;
    }
    let kept: BTreeSet<&str> = want.target_groups().collect();
    let total: u32 = h.target_groups.iter().map(|g| g.weight).sum();
    let removed = h
        .target_groups
        .iter()
        .filter(|g| !kept.contains(g.name.as_str()));
    Some(if total == 0 {
        // All weights 0: nothing flows anywhere; count members instead.
        share(removed.count() as f64, h.target_groups.len() as f64)
    } else {
        share(
            f64::from(removed.map(|g| g.weight).sum::<u32>()),
            f64::from(total),
        )
    })
}

/// Share of a weighted record set's live weight on members that go away
/// (deleted and not created again under the same set identifier); `None`
/// when the live set has no weighted members.
///
/// Members whose set identifier is an instance ID (made by
/// `weighted_from_instances`) follow the running instances by design and
/// do not count, unless no weighted member would be left at all.
fn record_weight_removed(live: &[Record], delete: &[Record], create: &[Record]) -> Option<f64> {
    let weight = |r: &Record| match r.routing {
        Routing::Weighted { weight } => Some(weight),
        _ => None,
    };
    let weighted: Vec<(&Record, u32)> = live
        .iter()
        .filter_map(|r| weight(r).map(|w| (r, w)))
        .collect();
    if weighted.is_empty() {
        return None;
    }
    let recreated: BTreeSet<&Option<String>> = create.iter().map(|r| &r.set_identifier).collect();
    let gone = |r: &Record| delete.contains(r) && !recreated.contains(&r.set_identifier);
    let left = weighted.iter().filter(|(r, _)| !gone(r)).count()
        + create.iter().filter(|r| weight(r).is_some()).count();
    let counts = |r: &Record| {
        gone(r) && (left == 0 || !r.set_identifier.as_deref().is_some_and(is_instance_id))
    };
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    Some(if total == 0 {
        let n = weighted.iter().filter(|(r, _)| counts(r)).count();
        share(n as f64, weighted.len() as f64)
    } else {
        let w: u32 = weighted
            .iter()
            .filter(|(r, _)| counts(r))
            .map(|(_, w)| w)
            .sum();
        share(f64::from(w), f64::from(total))
    })
}

/// `i-` and hex digits.
fn is_instance_id(id: &str) -> bool {
    id.strip_prefix("i-")
        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests;
