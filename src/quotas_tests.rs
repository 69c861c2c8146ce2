//! Unit tests of `quotas`: what is counted, when the limits are asked for,
//! and what the refusal says.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::model::{
    Attributes, Conditions, Forward, Listener, LoadBalancer, Rule, Tags, WeightedTargetGroup,
};
use crate::plan::{Kind, Step, StepAction};

fn forward(tgs: &[&str]) -> Action {
    Action::Forward(Forward {
        target_groups: tgs
            .iter()
            .map(|n| WeightedTargetGroup {
                name: n.to_string(),
                weight: 1,
            })
            .collect(),
        stickiness: None,
    })
}

fn listener(port: u16, rules: u32) -> Listener {
    Listener {
        port: Some(port),
        protocol: Some("HTTP".into()),
        certificates: vec![],
        ssl_policy: None,
        alpn_policy: None,
        default_action: forward(&["web"]),
        default_auth: Default::default(),
        attributes: Default::default(),
        rules: (1..=rules)
            .map(|p| {
                let rule = Rule {
                    priority: p,
                    conditions: Conditions::new(vec![]),
                    action: forward(&["web"]),
                    transforms: Default::default(),
                    auth: Default::default(),
                };
                (p, rule)
            })
            .collect(),
    }
}

fn lb(lb_type: &str, listeners: Vec<Listener>) -> LoadBalancer {
    LoadBalancer {
        name: "web".into(),
        lb_type: lb_type.into(),
        scheme: "internet-facing".into(),
        ip_address_type: None,
        ipam_pool: None,
        subnets: BTreeSet::new(),
        subnet_mappings: vec![],
        security_groups: None,
        attributes: Attributes::new(),
        listeners: listeners.into_iter().map(|l| (l.key(), l)).collect(),
        tags: Tags::new(),
    }
}

fn model(lbs: Vec<LoadBalancer>) -> Model {
    Model {
        load_balancers: lbs.into_iter().map(|l| (l.name.clone(), l)).collect(),
        ..Model::default()
    }
}

fn step(op: Op) -> Step {
    Step {
        action: StepAction::Create,
        kind: Kind::Rule,
        name: "x".into(),
        changes: vec![],
        notes: vec![],
        op,
    }
}

fn create_rule(priority: u32) -> Step {
    step(Op::CreateRule {
        load_balancer: "web".into(),
        port: 80,
        rule: listener(80, priority).rules[&priority].clone(),
    })
}

fn plan(steps: Vec<Step>) -> Plan {
    Plan {
        steps,
        ..Plan::default()
    }
}

fn run(plan: &Plan, desired: &Model, live: &Model, usage: &Usage, limits: &Limits) -> Vec<Excess> {
    check(&Input {
        plan,
        desired,
        live,
        usage,
        limits,
    })
}

#[test]
fn only_a_plan_that_grows_something_asks_for_the_limits() {
    assert!(!needs_limits(&plan(vec![])));
    let delete = step(Op::DeleteRule {
        load_balancer: "web".into(),
        port: 80,
        priority: 1,
    });
    assert!(!needs_limits(&plan(vec![delete])));
    assert!(needs_limits(&plan(vec![create_rule(1)])));
}

#[test]
fn rules_per_alb_count_every_listener_against_the_account_limit() {
    let desired = model(vec![lb(
        "application",
        vec![listener(80, 100), listener(81, 50)],
    )]);
    let p = plan(vec![create_rule(1)]);
    let e = run(
        &p,
        &desired,
        &Model::default(),
        &Usage::default(),
        &Limits::new(),
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].quota, RULES_PER_ALB);
    assert_eq!((e[0].limit, e[0].count), (100, 150));
    // A raised quota lets it through.
    let raised = Limits::from([(RULES_PER_ALB.name.to_string(), 200)]);
    assert!(run(&p, &desired, &Model::default(), &Usage::default(), &raised).is_empty());
}

#[test]
fn deleting_rules_while_creating_others_is_not_refused() {
    // 100 live rules; the spec replaces 40 of them by 40 others: still 100.
    let live = model(vec![lb("application", vec![listener(80, 100)])]);
    let mut want = listener(80, 60);
    for p in 200..240 {
        let mut r = want.rules[&1].clone();
        r.priority = p;
        want.rules.insert(p, r);
    }
    let desired = model(vec![lb("application", vec![want])]);
    let p = plan(vec![create_rule(200)]);
    assert!(run(&p, &desired, &live, &Usage::default(), &Limits::new()).is_empty());
}

#[test]
fn a_dropped_listener_counts_until_it_is_deleted_after_the_creates() {
    let limits = Limits::from([(LISTENERS_PER_ALB.name.to_string(), 2)]);
    let live = model(vec![lb(
        "application",
        vec![listener(80, 0), listener(81, 0)],
    )]);
    let desired = model(vec![lb(
        "application",
        vec![listener(80, 0), listener(82, 0)],
    )]);
    let create = step(Op::CreateListener {
        load_balancer: "web".into(),
        listener: listener(82, 0),
    });
    let e = run(
        &plan(vec![create]),
        &desired,
        &live,
        &Usage::default(),
        &limits,
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].quota, e[0].count), (LISTENERS_PER_ALB, 3));
}

#[test]
fn a_live_count_over_the_limit_is_refused_only_when_it_grows() {
    let limits = Limits::from([(RULES_PER_ALB.name.to_string(), 5)]);
    let live = model(vec![lb("application", vec![listener(80, 10)])]);
    let p = plan(vec![create_rule(1)]);
    assert!(run(&p, &live.clone(), &live, &Usage::default(), &limits).is_empty());
    let more = model(vec![lb("application", vec![listener(80, 11)])]);
    assert_eq!(run(&p, &more, &live, &Usage::default(), &limits).len(), 1);
}

#[test]
fn region_quotas_count_what_exists_plus_what_the_plan_creates() {
    let usage = Usage {
        load_balancers: BTreeMap::from([("application".to_string(), 50)]),
        target_groups: 2999,
    };
    let desired = model(vec![lb("application", vec![])]);
    let create_lb = step(Op::CreateLoadBalancer {
        load_balancer: lb("application", vec![]),
    });
    let e = run(
        &plan(vec![create_lb]),
        &desired,
        &Model::default(),
        &usage,
        &Limits::new(),
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].quota, e[0].count), (APPLICATION_LOAD_BALANCERS, 51));
    assert!(
        e[0].what.contains("50 exist, the plan creates 1"),
        "{}",
        e[0].what
    );
    // An NLB does not count against the ALB quota.
    let nlb = step(Op::CreateLoadBalancer {
        load_balancer: lb("network", vec![]),
    });
    assert!(run(
        &plan(vec![nlb]),
        &Model::default(),
        &Model::default(),
        &usage,
        &Limits::new()
    )
    .is_empty());
}

#[test]
fn too_many_target_groups_in_one_forward_or_on_one_alb() {
    let limits = Limits::from([(TARGET_GROUPS_PER_ACTION_ALB.name.to_string(), 2)]);
    let mut l = listener(80, 0);
    l.default_action = forward(&["a", "b", "c"]);
    let desired = model(vec![lb("application", vec![l])]);
    let p = plan(vec![create_rule(1)]);
    let e = run(&p, &desired, &Model::default(), &Usage::default(), &limits);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].quota, TARGET_GROUPS_PER_ACTION_ALB);
    assert_eq!(e[0].what, "listener `web:80`: target groups of one forward");
    let limits = Limits::from([(TARGET_GROUPS_PER_ALB.name.to_string(), 2)]);
    let e = run(&p, &desired, &Model::default(), &Usage::default(), &limits);
    assert_eq!(e[0].quota, TARGET_GROUPS_PER_ALB);
}

#[test]
fn the_refusal_names_the_quota_its_value_the_need_and_how_to_raise_it() {
    let e = Excess {
        quota: RULES_PER_ALB,
        limit: 100,
        count: 150,
        what: "load balancer `web`: rules (not counting default rules)".into(),
    };
    let crate::error::Error::Refused { message, hint } = refusal(&[e]) else {
        panic!("not a refusal");
    };
    assert!(
        message.ends_with(
            "load balancer `web`: rules (not counting default rules): 150 needed, over quota \
         `rules-per-application-load-balancer` (Rules per Application Load Balancer) of 100"
        ),
        "{message}"
    );
    let hint = hint.unwrap();
    assert!(hint.contains("Service Quotas console"), "{hint}");
    assert!(hint.contains(
        "aws service-quotas request-service-quota-increase --service-code elasticloadbalancing \
         --quota-code L-7EED9B64 --desired-value 150"
    ), "{hint}");
    let fixed = Excess {
        quota: TARGET_GROUPS_PER_ACTION_ALB,
        limit: 5,
        count: 6,
        what: "x".into(),
    };
    let crate::error::Error::Refused { hint, .. } = refusal(&[fixed]) else {
        panic!("not a refusal");
    };
    assert!(hint.unwrap().starts_with("AWS does not raise"));
}
