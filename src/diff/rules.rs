//! Listener rules: matched by content first, then by priority, so that a
//! rule that only moves is moved (SetRulePriorities) rather than deleted and
//! created, and ordered so that no priority is ever taken twice.
//!
//! Within one listener the steps run in plan order: deletes, moves (through
//! a free temporary priority where moves form a cycle), modifications in
//! place, creates.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Listener, Rule};
use crate::plan::{rule_name, Change, Kind, Op, Plan, StepAction};

use super::{auth, changes, lb::fill_action, step, warm};

/// Highest priority AWS accepts.
const MAX_PRIORITY: u32 = 50_000;

/// Steps creating every rule of a new listener.
pub(super) fn create_all(lb: &str, listener: &Listener, plan: &mut Plan) {
    for rule in listener.rules.values() {
        push_create(lb, listener.key(), rule, plan);
    }
}

/// The step creating a rule, warning where its OIDC step has no secret.
fn push_create(lb: &str, port: u16, rule: &Rule, plan: &mut Plan) {
    if auth::secret_missing(&rule.auth, None) {
        let name = rule_name(lb, port, rule.priority);
        plan.warnings.push(auth::missing_warning(&name));
    }
    plan.steps.push(create(lb, port, rule));
}

fn create(lb: &str, port: u16, rule: &Rule) -> crate::plan::Step {
    step(
        StepAction::Create,
        Kind::Rule,
        &rule_name(lb, port, rule.priority),
        auth::spec_paths(changes::created("", &auth::shown_rule(rule))),
        Op::CreateRule {
            load_balancer: lb.to_string(),
            port,
            rule: rule.clone(),
        },
    )
}

/// The desired rule with unmanaged parts taken from a live rule, its OIDC
/// secret settled against the live one's (see `diff::auth`): with the plan
/// change when the secret is to be sent.
fn effective(want: &Rule, have: &Rule) -> (Rule, Option<Change>) {
    let mut eff = want.clone();
    fill_action(&mut eff.action, &have.action);
    let secret = auth::settle_secret("action", &mut eff.auth, &have.auth);
    (eff, secret)
}

fn same_content(want: &Rule, have: &Rule) -> bool {
    let (eff, secret) = effective(want, have);
    eff.conditions == have.conditions
        && eff.action == have.action
        && eff.transforms == have.transforms
        && auth::comparable(&eff.auth) == auth::comparable(&have.auth)
        && secret.is_none()
}

pub(super) fn rules(
    lb: &str,
    want: &Listener,
    have: &Listener,
    fresh: &BTreeSet<String>,
    plan: &mut Plan,
) {
    let port = want.key();
    let mut unmatched_live: BTreeMap<u32, &Rule> =
        have.rules.iter().map(|(p, r)| (*p, r)).collect();
    let mut pending: Vec<&Rule> = Vec::new();

    // 1. Same priority, same content: nothing to do.
    for (p, w) in &want.rules {
        match have.rules.get(p) {
            Some(h) if same_content(w, h) => {
                unmatched_live.remove(p);
            }
            _ => pending.push(w),
        }
    }

    // 2. Same content at another priority: a move.
    let mut moves: Vec<(u32, &Rule)> = Vec::new();
    let mut rest: Vec<&Rule> = Vec::new();
    for w in pending {
        let found = unmatched_live
            .iter()
            .find(|(p, h)| **p != w.priority && !want.rules.contains_key(p) && same_content(w, h))
            .map(|(p, _)| *p)
            .or_else(|| {
                unmatched_live
                    .iter()
                    .find(|(p, h)| **p != w.priority && same_content(w, h))
                    .map(|(p, _)| *p)
            });
        match found {
            Some(from) => {
                unmatched_live.remove(&from);
                moves.push((from, w));
            }
            None => rest.push(w),
        }
    }

    // 3. Same priority, other content: modify in place. 4. Else create.
    let mut modifies: Vec<(&Rule, &Rule)> = Vec::new();
    let mut creates: Vec<&Rule> = Vec::new();
    for w in rest {
        match unmatched_live.remove(&w.priority) {
            Some(h) => modifies.push((w, h)),
            None => creates.push(w),
        }
    }

    // What is left of the live rules goes.
    for (p, h) in &unmatched_live {
        let gone = changes::flatten("", &auth::comparable_rule(h))
            .into_iter()
            .map(|(path, v)| crate::plan::Change::new(path, v, serde_json::Value::Null))
            .collect();
        let gone = auth::spec_paths(gone);
        plan.steps.push(step(
            StepAction::Delete,
            Kind::Rule,
            &rule_name(lb, port, *p),
            gone,
            Op::DeleteRule {
                load_balancer: lb.to_string(),
                port,
                priority: *p,
            },
        ));
    }

    order_moves(lb, port, want, have, &unmatched_live, moves, plan);

    for (w, h) in modifies {
        let (eff, secret) = effective(w, h);
        let name = rule_name(lb, port, w.priority);
        if auth::secret_missing(&eff.auth, Some(&h.auth)) {
            plan.warnings.push(auth::missing_warning(&name));
        }
        let groups = warm::to_warm(&eff.action, &h.action, fresh);
        let reset_transforms = eff.transforms.is_empty() && !h.transforms.is_empty();
        let mut found = auth::spec_paths(changes::compare(
            "",
            &auth::comparable_rule(h),
            &auth::comparable_rule(&eff),
        ));
        found.extend(secret);
        let mut s = step(
            StepAction::Update,
            Kind::Rule,
            &name,
            found,
            Op::UpdateRule {
                load_balancer: lb.to_string(),
                port,
                from_priority: w.priority,
                rule: eff,
                modify: true,
                warm: vec![],
                reset_transforms,
            },
        );
        // Rules exist on application load balancers only.
        warm::mark(&mut s, "application", groups);
        plan.steps.push(s);
    }
    for w in creates {
        push_create(lb, port, w, plan);
    }
}

/// Emit moves so that each lands on a free priority: a move whose target is
/// free goes first; a cycle is broken through a temporary priority that no
/// live or desired rule uses.
fn order_moves(
    lb: &str,
    port: u16,
    want: &Listener,
    have: &Listener,
    deleted: &BTreeMap<u32, &Rule>,
    mut moves: Vec<(u32, &Rule)>,
    plan: &mut Plan,
) {
    let mut occupied: BTreeSet<u32> = have
        .rules
        .keys()
        .filter(|p| !deleted.contains_key(p))
        .copied()
        .collect();
    let reserved: BTreeSet<u32> = have
        .rules
        .keys()
        .chain(want.rules.keys())
        .copied()
        .collect();
    let push_move = |from: u32, to: u32, rule: &Rule, plan: &mut Plan| {
        let mut moved = rule.clone();
        moved.priority = to;
        let mut s = step(
            StepAction::Update,
            Kind::Rule,
            &rule_name(lb, port, from),
            vec![Change::new("priority", from, to)],
            Op::UpdateRule {
                load_balancer: lb.to_string(),
                port,
                from_priority: from,
                rule: moved,
                modify: false,
                warm: vec![],
                reset_transforms: false,
            },
        );
        if to != rule.priority {
            s.notes
                .push(format!("through free priority {to} to avoid PriorityInUse"));
        }
        plan.steps.push(s);
    };

    while !moves.is_empty() {
        if let Some(i) = moves
            .iter()
            .position(|(_, w)| !occupied.contains(&w.priority))
        {
            let (from, w) = moves.remove(i);
            occupied.remove(&from);
            occupied.insert(w.priority);
            push_move(from, w.priority, w, plan);
        } else {
            // Every target is taken by another moving rule: park one.
            let temp = (1..=MAX_PRIORITY)
                .rev()
                .find(|p| !reserved.contains(p) && !occupied.contains(p))
                .expect("a listener has far fewer than 50000 rules");
            let (from, w) = moves[0];
            occupied.remove(&from);
            occupied.insert(temp);
            moves[0].0 = temp;
            push_move(from, temp, w, plan);
        }
    }
}
