//! Property test of the lossless rule: for generated desired and live
//! models where some live load balancers, listeners, rules and target
//! groups carry settings lbctl cannot model, every resource the plan would
//! change (found by carrying the plan out, not by reading its steps) is
//! named by a refusal, and every marked resource is reported.

use proptest::prelude::*;

use super::prop_tests::{as_live, model, raw_model};
use super::tests::{plan_with, simulate};
use crate::model::*;

/// Marks live load balancers, listeners, rules and target groups (by the
/// bits of `mask`, in order) as carrying a setting lbctl cannot model.
fn mark_unmanaged(live: &mut Model, mask: u32) {
    use crate::plan::{listener_name, rule_name, Kind, UnmanagedResource};
    let mut marked = Vec::new();
    let mut i = 0;
    let mut mark = |kind: Kind, name: String| {
        if mask & (1 << (i % 32)) != 0 {
            marked.push(UnmanagedResource {
                kind,
                name,
                settings: vec![unmanaged::Unmanaged {
                    path: "default_action".into(),
                    what: "a second terminal action (redirect) before forward".into(),
                }],
            });
        }
        i += 1;
    };
    for name in live.target_groups.keys() {
        mark(Kind::TargetGroup, name.clone());
    }
    for lb in live.load_balancers.values() {
        mark(Kind::LoadBalancer, lb.name.clone());
        for (port, l) in &lb.listeners {
            mark(Kind::Listener, listener_name(&lb.name, *port));
            for priority in l.rules.keys() {
                mark(Kind::Rule, rule_name(&lb.name, *port, *priority));
            }
        }
    }
    live.unmanaged = marked;
}

/// Names of marked resources that exist before and after `end` and differ
/// (what AWS would have been sent again), found by comparing the models.
/// The plan's steps are read only for where a rule went: a rule deleted,
/// or moved to another priority (whose old priority another rule may then
/// take), is compared where it ended, not with whatever holds its old
/// priority.
fn modified_marked(live: &Model, end: &Model, plan: &crate::plan::Plan) -> Vec<String> {
    use crate::plan::{listener_name, rule_name, Kind};
    let mut out = Vec::new();
    let marked = |kind: Kind, name: &str| {
        live.unmanaged
            .iter()
            .any(|r| r.kind == kind && r.name == name)
    };
    for (name, have) in &live.target_groups {
        let Some(now) = end.target_groups.get(name) else {
            continue;
        };
        let (mut a, mut b) = (have.clone(), now.clone());
        a.targets = Targets::default();
        b.targets = Targets::default();
        if a != b && marked(Kind::TargetGroup, name) {
            out.push(name.clone());
        }
    }
    for (name, have) in &live.load_balancers {
        let Some(now) = end.load_balancers.get(name) else {
            continue;
        };
        let (mut a, mut b) = (have.clone(), now.clone());
        a.listeners.clear();
        b.listeners.clear();
        if a != b && marked(Kind::LoadBalancer, name) {
            out.push(name.clone());
        }
        for (port, l) in &have.listeners {
            let Some(m) = now.listeners.get(port) else {
                continue;
            };
            let (mut a, mut b) = (l.clone(), m.clone());
            a.rules.clear();
            b.rules.clear();
            let lname = listener_name(name, *port);
            if a != b && marked(Kind::Listener, &lname) {
                out.push(lname);
            }
            for (priority, r) in &l.rules {
                let rname = rule_name(name, *port, *priority);
                let Some(landed) = landed_at(plan, name, *port, *priority) else {
                    continue;
                };
                if m.rules.get(&landed).is_some_and(|s| !same_rule(s, r))
                    && marked(Kind::Rule, &rname)
                {
                    out.push(rname);
                }
            }
        }
    }
    out
}

/// The priority the live rule at `priority` has after the plan, `None`
/// when the plan deletes it.
fn landed_at(plan: &crate::plan::Plan, lb: &str, port: u16, priority: u32) -> Option<u32> {
    use crate::plan::Op;
    let mut at = Some(priority);
    for step in &plan.steps {
        match &step.op {
            Op::DeleteRule {
                load_balancer,
                port: p,
                priority: q,
            } if load_balancer == lb && *p == port && *q == priority => at = None,
            Op::UpdateRule {
                load_balancer,
                port: p,
                from_priority,
                rule,
                ..
            } if load_balancer == lb && *p == port && *from_priority == priority => {
                at = Some(rule.priority)
            }
            _ => {}
        }
    }
    at
}

/// The same rule but for its priority (a move sends nothing else).
fn same_rule(a: &Rule, b: &Rule) -> bool {
    Rule {
        priority: b.priority,
        ..a.clone()
    } == *b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_resource_with_unmanaged_settings_is_never_modified_without_a_refusal(
        desired in raw_model(),
        previous in raw_model(),
        mask in any::<u32>(),
    ) {
        use crate::safety::{self, Limit};
        let desired = model(&desired, "");
        let mut live = as_live(&model(&previous, ""));
        mark_unmanaged(&mut live, mask);

        let plan = plan_with(&desired, &live, false);
        let end = simulate(&live, &desired, &plan);
        let violations = safety::check(&plan, &live, &safety::Thresholds::default());
        let refused: Vec<&str> = violations
            .iter()
            .filter(|v| v.limit == Limit::Unmanaged)
            .map(|v| v.message.as_str())
            .collect();
        for name in modified_marked(&live, &end, &plan) {
            let named = format!("`{name}` would be");
            prop_assert!(
                refused.iter().any(|m| m.contains(&named)),
                "{name} is modified without a refusal: {refused:#?}\nplan: {:#?}",
                plan.steps
            );
            prop_assert!(safety::refuse(&violations, false).is_err());
        }
        // Every marked resource is reported, whether it changes or not.
        for r in &live.unmanaged {
            let note = format!("{}: unmanaged live setting:", r.name);
            prop_assert!(plan.warnings.iter().any(|w| w.starts_with(&note)));
        }
        prop_assert_eq!(&plan.unmanaged, &live.unmanaged);
        // Without marks, nothing is refused for this reason.
        live.unmanaged.clear();
        let plain = plan_with(&desired, &live, false);
        prop_assert!(safety::check(&plain, &live, &safety::Thresholds::default())
            .iter()
            .all(|v| v.limit != Limit::Unmanaged));
    }
}
