//! diff(desired, live) -> Plan: pure, no AWS calls.
//!
//! Compares like with like (both sides are [`Model`]s) and orders the
//! resulting steps by [`Step::phase`]. Ownership is decided here: a live
//! resource the stack does not own is never changed unless adopting, and is
//! reported as a [`Conflict`] instead.

mod auth;
mod changes;
mod dns;
mod dns_alias;
mod dns_cidr;
mod dns_health;
mod dns_stack;
mod lb;
mod listener_attributes;
mod quic;
mod rules;
mod unmanaged_dns;
mod warm;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{owner, Action, Model, TargetGroup};
use crate::plan::{Change, Conflict, Kind, Op, Plan, Step, StepAction, FORMAT_VERSION};

pub use changes::{flatten, spec_attribute_name};

/// What the diff needs to know.
pub struct Input<'a> {
    pub stack: &'a str,
    pub desired: &'a Model,
    pub live: &'a Model,
    /// Names of live target groups that some listener or rule uses.
    pub in_use: &'a BTreeSet<String>,
    /// Live target group ARN -> name, to match `{ arn: ... }` references.
    pub target_group_names: &'a BTreeMap<String, String>,
    /// Live load balancer name -> (DNS name, canonical hosted zone ID), for
    /// aliases.
    pub load_balancer_dns: &'a BTreeMap<String, (String, String)>,
    /// Treat resources the stack does not own as owned (`--adopt`).
    pub adopt: bool,
    /// Warn when a changed record set has a TTL above this many seconds.
    pub ttl_warning: u32,
    /// Addresses of the running instances the spec's instance selectors
    /// matched (empty when it has none): removed instance members pointing
    /// elsewhere are reported as stale.
    pub instance_addresses: &'a BTreeSet<String>,
}

/// The default of [`Input::ttl_warning`].
pub const TTL_WARNING: u32 = 300;

/// Compute the plan that makes `live` look like `desired`.
pub fn diff(input: &Input) -> Plan {
    let desired = normalise_references(input.desired, input.target_group_names);
    let mut plan = Plan {
        format_version: FORMAT_VERSION,
        stack: input.stack.to_string(),
        ..Plan::default()
    };
    let mut ctx = Ctx {
        stack: input.stack,
        adopt: input.adopt,
        fresh: BTreeSet::new(),
        load_balancer_dns: input.load_balancer_dns,
    };

    // Target groups the plan deletes and creates again, for the listener
    // diff to know which load balancers lose them.
    for (name, want) in &desired.target_groups {
        match input.live.target_groups.get(name) {
            None => plan.steps.push(create_target_group(want)),
            Some(have) => {
                if !ctx.may_change(Kind::TargetGroup, name, &have.tags, &mut plan) {
                    continue;
                }
                target_group(want, have, input.in_use.contains(name), &mut plan);
            }
        }
    }
    for (name, have) in &input.live.target_groups {
        if !desired.target_groups.contains_key(name) && ctx.owns(&have.tags) {
            plan.steps.push(step(
                StepAction::Delete,
                Kind::TargetGroup,
                name,
                deleted_target_group(have),
                Op::DeleteTargetGroup { name: name.clone() },
            ));
        }
    }

    ctx.fresh = warm::fresh_target_groups(&plan);
    lb::load_balancers(&ctx, &desired, input.live, &mut plan);

    let new_load_balancers = plan
        .steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::CreateLoadBalancer { load_balancer }
            | Op::ReplaceLoadBalancer { load_balancer } => Some(load_balancer.name.clone()),
            _ => None,
        })
        .collect();
    dns::zones(
        &ctx,
        &desired.dns,
        &input.live.dns,
        &dns::DnsInput {
            load_balancer_dns: input.load_balancer_dns,
            new_load_balancers,
            ttl_warning: input.ttl_warning,
            instance_addresses: input.instance_addresses,
        },
        &mut plan,
    );
    dns_cidr::collections(&desired.dns, &input.live.dns, &mut plan);

    warn_foreign_users(&desired, input, &mut plan);
    // Lossless rule: what lbctl read but cannot model is named in the plan.
    plan.unmanaged.clone_from(&input.live.unmanaged);
    plan.warnings
        .extend(crate::safety::unmanaged::notes(&plan.unmanaged));
    // Stable: steps of one phase keep the order the diff gave them, which
    // matters for the rules of one listener.
    plan.steps.sort_by_key(Step::phase);
    plan
}

/// What deleting a target group destroys, for the plan.
fn deleted_target_group(have: &TargetGroup) -> Vec<Change> {
    let targets: Vec<String> = have.targets.list.iter().map(|t| t.to_string()).collect();
    changes::deleted(vec![
        ("protocol", serde_json::json!(have.protocol)),
        ("port", serde_json::json!(have.port)),
        ("target_type", serde_json::json!(have.target_type)),
        ("targets", serde_json::json!(targets)),
    ])
}

/// Ownership decisions shared by every resource kind.
struct Ctx<'a> {
    stack: &'a str,
    adopt: bool,
    /// Target groups with targets that this plan creates: traffic waits for
    /// their health (see `warm`).
    fresh: BTreeSet<String>,
    /// Live load balancers' DNS names, for what a replacement changes.
    load_balancer_dns: &'a BTreeMap<String, (String, String)>,
}

impl Ctx<'_> {
    fn owns(&self, tags: &crate::model::Tags) -> bool {
        owner(tags) == Some(self.stack)
    }

    /// Whether an existing resource with a spec name may be changed; records
    /// a conflict when it may not.
    fn may_change(
        &self,
        kind: Kind,
        name: &str,
        tags: &crate::model::Tags,
        plan: &mut Plan,
    ) -> bool {
        if self.owns(tags) || self.adopt {
            return true;
        }
        plan.conflicts.push(Conflict {
            kind,
            name: name.to_string(),
            owner: owner(tags).map(str::to_string),
        });
        false
    }
}

fn step(action: StepAction, kind: Kind, name: &str, changes: Vec<Change>, op: Op) -> Step {
    Step {
        action,
        kind,
        name: name.to_string(),
        changes,
        notes: vec![],
        op,
    }
}

fn create_target_group(want: &TargetGroup) -> Step {
    step(
        StepAction::Create,
        Kind::TargetGroup,
        &want.name,
        changes::created("", &CreatedTargetGroup::from(want)),
        Op::CreateTargetGroup {
            target_group: want.clone(),
        },
    )
}

/// How a new target group is shown: targets as `id:port` strings.
#[derive(serde::Serialize)]
struct CreatedTargetGroup<'a> {
    protocol: &'a Option<String>,
    port: &'a Option<u16>,
    target_type: &'a str,
    vpc: &'a Option<String>,
    protocol_version: &'a Option<String>,
    health_check: &'a crate::model::HealthCheck,
    attributes: BTreeMap<String, &'a String>,
    targets: Vec<String>,
    tags: &'a crate::model::Tags,
}

impl<'a> From<&'a TargetGroup> for CreatedTargetGroup<'a> {
    fn from(tg: &'a TargetGroup) -> Self {
        CreatedTargetGroup {
            protocol: &tg.protocol,
            port: &tg.port,
            target_type: &tg.target_type,
            vpc: &tg.vpc_id,
            protocol_version: &tg.protocol_version,
            health_check: &tg.health_check,
            attributes: tg
                .attributes
                .iter()
                .map(|(k, v)| (spec_attribute_name(k), v))
                .collect(),
            targets: tg.targets.list.iter().map(ToString::to_string).collect(),
            tags: &tg.tags,
        }
    }
}

/// Settings of a target group that AWS cannot change in place.
fn immutable_changes(want: &TargetGroup, have: &TargetGroup) -> Vec<Change> {
    let mut out = Vec::new();
    let mut check = |path: &str, w: &Option<String>, h: &Option<String>| {
        if w.is_some() && w != h {
            out.push(Change::new(path, h, w));
        }
    };
    check("protocol", &want.protocol, &have.protocol);
    check("vpc", &want.vpc_id, &have.vpc_id);
    check(
        "protocol_version",
        &want.protocol_version,
        &have.protocol_version,
    );
    check(
        "ip_address_type",
        &want.ip_address_type,
        &have.ip_address_type,
    );
    if want.port.is_some() && want.port != have.port {
        out.push(Change::new("port", have.port, want.port));
    }
    if want.target_type != have.target_type {
        out.push(Change::new(
            "target_type",
            &have.target_type,
            &want.target_type,
        ));
    }
    out
}

fn target_group(want: &TargetGroup, have: &TargetGroup, in_use: bool, plan: &mut Plan) {
    let name = &want.name;
    let immutable = immutable_changes(want, have);
    if !immutable.is_empty() {
        let temp_name = temporary_name(name);
        let mut s = step(
            StepAction::Replace,
            Kind::TargetGroup,
            name,
            immutable,
            Op::ReplaceTargetGroup {
                target_group: want.clone(),
                in_use,
                temp_name: temp_name.clone(),
            },
        );
        s.notes.push(if in_use {
            let wait = if want.targets.list.is_empty() {
                ""
            } else {
                "; each move waits for the receiving group's targets to be healthy (application listeners)"
            };
            format!(
                "in use: traffic moves to temporary target group `{temp_name}` while `{name}` is created again (create before delete){wait}"
            )
        } else {
            "not in use: deleted, then created again".to_string()
        });
        plan.steps.push(s);
        return;
    }

    let mut all = Vec::new();
    let hc = health_check_changes(&want.health_check, &have.health_check, &mut all);
    let (attributes, tags) = changes::attributes_and_tags(
        (&want.attributes, &want.tags),
        (&have.attributes, &have.tags),
        &mut all,
    );
    if !all.is_empty() {
        plan.steps.push(step(
            StepAction::Update,
            Kind::TargetGroup,
            name,
            all,
            Op::UpdateTargetGroup {
                name: name.clone(),
                health_check: hc,
                attributes,
                tags,
            },
        ));
    }

    let register: Vec<_> = want
        .targets
        .list
        .difference(&have.targets.list)
        .cloned()
        .collect();
    let deregister: Vec<_> = match want.targets.mode {
        crate::model::TargetsMode::Exclusive => have
            .targets
            .list
            .difference(&want.targets.list)
            .cloned()
            .collect(),
        crate::model::TargetsMode::Additive => vec![],
    };
    let requic = quic::changed(want, have);
    let (mut register, mut deregister) = (register, deregister);
    if !register.is_empty() || !deregister.is_empty() || !requic.is_empty() {
        let mut changes: Vec<Change> = register
            .iter()
            .map(|t| Change::new("targets", serde_json::Value::Null, t.to_string()))
            .collect();
        changes.extend(
            deregister
                .iter()
                .map(|t| Change::new("targets", t.to_string(), serde_json::Value::Null)),
        );
        for (live, wanted) in requic {
            changes.push(quic::change(&live, &wanted));
            deregister.push(live);
            register.push(wanted);
        }
        plan.steps.push(step(
            StepAction::Update,
            Kind::Targets,
            name,
            changes,
            Op::Targets {
                target_group: name.clone(),
                register,
                deregister,
            },
        ));
    }
}

/// Health check fields the spec sets that differ from live; returns the
/// fields to send (others `None`).
fn health_check_changes(
    want: &crate::model::HealthCheck,
    have: &crate::model::HealthCheck,
    changes: &mut Vec<Change>,
) -> crate::model::HealthCheck {
    let mut send = crate::model::HealthCheck::default();
    macro_rules! field {
        ($f:ident) => {
            if want.$f.is_some() && want.$f != have.$f {
                changes.push(Change::new(
                    concat!("health_check.", stringify!($f)),
                    &have.$f,
                    &want.$f,
                ));
                send.$f = want.$f.clone();
            }
        };
    }
    field!(enabled);
    field!(protocol);
    field!(port);
    field!(path);
    field!(interval);
    field!(timeout);
    field!(healthy_threshold);
    field!(unhealthy_threshold);
    if want.matcher.is_some() && want.matcher != have.matcher {
        // By the spec's `matcher: "200-299"`, not the model's enum.
        let codes = |m: &Option<crate::model::Matcher>| {
            m.as_ref().map(|m| match m {
                crate::model::Matcher::HttpCode(c) | crate::model::Matcher::GrpcCode(c) => {
                    c.clone()
                }
            })
        };
        changes.push(Change::new(
            "health_check.matcher",
            codes(&have.matcher),
            codes(&want.matcher),
        ));
        send.matcher = want.matcher.clone();
    }
    send
}

/// A name for the temporary target group of an in-use replacement: at most
/// 32 characters, never ending in `-`.
pub fn temporary_name(name: &str) -> String {
    let base: String = name.chars().take(32 - 6).collect();
    format!("{}-lbtmp", base.trim_end_matches('-'))
}

/// `{ arn: X }` references to a target group that was read by name become
/// that name, so both sides compare alike.
fn normalise_references(desired: &Model, names: &BTreeMap<String, String>) -> Model {
    let mut model = desired.clone();
    let fix = |action: &mut Action| {
        if let Action::Forward(f) = action {
            for tg in &mut f.target_groups {
                if let Some(name) = names.get(&tg.name) {
                    tg.name = name.clone();
                }
            }
        }
    };
    for lb in model.load_balancers.values_mut() {
        for l in lb.listeners.values_mut() {
            fix(&mut l.default_action);
            for r in l.rules.values_mut() {
                fix(&mut r.action);
            }
        }
    }
    model
}

/// Warn about target groups the plan deletes while a load balancer outside
/// the plan still uses them: AWS would refuse with ResourceInUse.
fn warn_foreign_users(desired: &Model, input: &Input, plan: &mut Plan) {
    let deleted: Vec<&str> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::DeleteTargetGroup { name } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    for name in deleted {
        let used_by_managed = input.live.load_balancers.values().any(|lb| {
            lb.listeners.values().any(|l| {
                l.default_action.target_groups().any(|t| t == name)
                    || l.rules
                        .values()
                        .any(|r| r.action.target_groups().any(|t| t == name))
            })
        });
        if input.in_use.contains(name) && !used_by_managed && !desired.target_groups.is_empty() {
            plan.warnings.push(format!(
                "target group `{name}` is to be deleted but a load balancer outside this stack uses it; AWS will refuse with ResourceInUse"
            ));
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod dns_tests;

#[cfg(test)]
mod dns_health_tests;

#[cfg(test)]
mod prop_tests;

#[cfg(test)]
mod prop_lossless;

#[cfg(test)]
mod warm_tests;

#[cfg(test)]
mod conditions_tests;

#[cfg(test)]
mod auth_tests;
