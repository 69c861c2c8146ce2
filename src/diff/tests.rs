//! Planner tests on in-memory models. Every plan built here also goes
//! through [`simulate`], which asserts that nothing is used before it
//! exists, nothing is deleted while still referenced and no rule priority is
//! ever taken twice, and that the end state has exactly the desired
//! resources. [`simulate`] also returns that end state, with every change
//! carried out the way AWS would, so property tests (`prop_tests`) can plan
//! again against it.

use std::collections::{BTreeMap, BTreeSet};

use super::{diff, Input};
use crate::model::*;
use crate::plan::{Kind, Op, Plan, StepAction};

pub(super) const STACK: &str = "shop";

pub(super) fn owned_tags() -> Tags {
    Tags::from([(STACK_TAG.to_string(), STACK.to_string())])
}

pub(super) fn tg(name: &str, port: u16) -> TargetGroup {
    TargetGroup {
        name: name.into(),
        protocol: Some("HTTP".into()),
        port: Some(port),
        vpc_id: Some("vpc-1".into()),
        target_type: "ip".into(),
        protocol_version: None,
        ip_address_type: None,
        health_check: HealthCheck::default(),
        attributes: Attributes::new(),
        targets: Targets::default(),
        tags: owned_tags(),
    }
}

/// What AWS reports for a target group created from `tg`: every unmanaged
/// setting filled in, every managed one as asked.
pub(super) fn live_tg(want: &TargetGroup) -> TargetGroup {
    let mut t = want.clone();
    t.protocol_version.get_or_insert_with(|| "HTTP1".into());
    t.ip_address_type.get_or_insert_with(|| "ipv4".into());
    let w = &want.health_check;
    t.health_check = HealthCheck {
        enabled: w.enabled.or(Some(true)),
        protocol: w.protocol.clone().or(Some("HTTP".into())),
        port: w.port.clone().or(Some("traffic-port".into())),
        path: w.path.clone().or(Some("/".into())),
        interval: w.interval.or(Some(30)),
        timeout: w.timeout.or(Some(5)),
        healthy_threshold: w.healthy_threshold.or(Some(5)),
        unhealthy_threshold: w.unhealthy_threshold.or(Some(2)),
        matcher: w.matcher.clone().or(Some(Matcher::HttpCode("200".into()))),
    };
    t.attributes
        .entry("deregistration_delay.timeout_seconds".into())
        .or_insert("300".into());
    t.attributes
        .entry("stickiness.enabled".into())
        .or_insert("false".into());
    t
}

pub(super) fn forward(tgs: &[(&str, u32)]) -> Action {
    Action::Forward(Forward {
        target_groups: tgs
            .iter()
            .map(|(n, w)| WeightedTargetGroup {
                name: n.to_string(),
                weight: *w,
            })
            .collect(),
        stickiness: None,
    })
}

pub(super) fn http_listener(port: u16, action: Action) -> Listener {
    Listener {
        port: Some(port),
        protocol: Some("HTTP".into()),
        certificates: vec![],
        ssl_policy: None,
        alpn_policy: None,
        default_action: action,
        default_auth: Default::default(),
        rules: BTreeMap::new(),
        attributes: Default::default(),
    }
}

pub(super) fn rule(priority: u32, path: &str, action: Action) -> Rule {
    Rule {
        priority,
        conditions: Conditions::new(vec![Condition::PathPattern(Patterns::values(vec![
            path.into()
        ]))]),
        action,
        transforms: Default::default(),
        auth: Default::default(),
    }
}

pub(super) fn alb(name: &str, listeners: Vec<Listener>) -> LoadBalancer {
    LoadBalancer {
        name: name.into(),
        lb_type: "application".into(),
        scheme: "internet-facing".into(),
        ip_address_type: None,
        ipam_pool: None,
        subnets: BTreeSet::from(["subnet-a".to_string(), "subnet-b".to_string()]),
        subnet_mappings: vec![],
        security_groups: None,
        attributes: Attributes::new(),
        listeners: listeners.into_iter().map(|l| (l.key(), l)).collect(),
        tags: owned_tags(),
    }
}

/// What AWS reports for a load balancer created from `want`.
pub(super) fn live_lb(want: &LoadBalancer) -> LoadBalancer {
    let mut l = want.clone();
    l.ip_address_type.get_or_insert_with(|| "ipv4".into());
    l.security_groups
        .get_or_insert_with(|| BTreeSet::from(["sg-1".to_string()]));
    l.attributes
        .entry("deletion_protection.enabled".into())
        .or_insert("false".into());
    l
}

pub(super) fn model(tgs: Vec<TargetGroup>, lbs: Vec<LoadBalancer>) -> Model {
    Model {
        target_groups: tgs.into_iter().map(|t| (t.name.clone(), t)).collect(),
        load_balancers: lbs.into_iter().map(|l| (l.name.clone(), l)).collect(),
        dns: Default::default(),
        unmanaged: Vec::new(),
    }
}

/// The live model AWS would report after creating `desired` exactly.
pub(super) fn as_live(desired: &Model) -> Model {
    Model {
        target_groups: desired
            .target_groups
            .iter()
            .map(|(k, v)| (k.clone(), live_tg(v)))
            .collect(),
        load_balancers: desired
            .load_balancers
            .iter()
            .map(|(k, v)| (k.clone(), live_lb(v)))
            .collect(),
        dns: desired.dns.clone(),
        unmanaged: Vec::new(),
    }
}

pub(super) fn in_use(live: &Model) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for lb in live.load_balancers.values() {
        for l in lb.listeners.values() {
            used.extend(l.default_action.target_groups().map(str::to_string));
            for r in l.rules.values() {
                used.extend(r.action.target_groups().map(str::to_string));
            }
        }
    }
    used
}

pub(super) fn plan_with(desired: &Model, live: &Model, adopt: bool) -> Plan {
    let used = in_use(live);
    let plan = diff(&Input {
        stack: STACK,
        desired,
        live,
        in_use: &used,
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: &BTreeMap::new(),
        adopt,
        ttl_warning: super::TTL_WARNING,
        instance_addresses: &Default::default(),
    });
    simulate(live, desired, &plan);
    plan
}

pub(super) fn plan(desired: &Model, live: &Model) -> Plan {
    plan_with(desired, live, false)
}

fn references(m: &Model) -> BTreeSet<String> {
    in_use(m)
}

fn assert_tgs_exist(state: &Model, action: &Action, what: &str) {
    for t in action.target_groups() {
        assert!(
            t.starts_with("arn:") || state.target_groups.contains_key(t),
            "{what} uses target group `{t}` before it exists"
        );
    }
}

/// Run the plan against a model of AWS, asserting the ordering invariants;
/// returns the end state as AWS would report it.
pub(super) fn simulate(live: &Model, desired: &Model, plan: &Plan) -> Model {
    let mut s = live.clone();
    let mut last_phase = 0;
    for step in &plan.steps {
        assert!(step.phase() >= last_phase, "plan is not sorted by phase");
        last_phase = step.phase();
        match &step.op {
            Op::CreateHealthCheck { .. }
            | Op::UpdateHealthCheck { .. }
            | Op::DeleteHealthCheck { .. }
            | Op::TagZone { .. }
            | Op::CidrCollection { .. }
            | Op::RecordSet { .. } => {}
            Op::SetForwardWeights { .. } | Op::SetRecordWeights { .. } => {
                panic!("the diff plans no weight steps (only `lbctl shift` does)")
            }
            Op::CreateTargetGroup { target_group } => {
                assert!(!s.target_groups.contains_key(&target_group.name));
                s.target_groups
                    .insert(target_group.name.clone(), live_tg(target_group));
            }
            Op::UpdateTargetGroup {
                name,
                health_check,
                attributes,
                tags,
            } => {
                let t = s.target_groups.get_mut(name).expect("target group exists");
                update_health_check(&mut t.health_check, health_check);
                t.attributes.extend(attributes.clone());
                update_tags(&mut t.tags, tags);
            }
            Op::Targets {
                target_group,
                register,
                deregister,
            } => {
                let t = s
                    .target_groups
                    .get_mut(target_group)
                    .expect("target group exists");
                for d in deregister {
                    t.targets.list.remove(d);
                }
                t.targets.list.extend(register.iter().cloned());
            }
            Op::ReplaceTargetGroup { target_group, .. } => {
                assert!(s.target_groups.contains_key(&target_group.name));
                s.target_groups
                    .insert(target_group.name.clone(), live_tg(target_group));
            }
            Op::DeleteTargetGroup { name } => {
                assert!(
                    !references(&s).contains(name),
                    "target group `{name}` deleted while still referenced"
                );
                assert!(s.target_groups.remove(name).is_some());
            }
            Op::CreateLoadBalancer { load_balancer } => {
                assert!(!s.load_balancers.contains_key(&load_balancer.name));
                assert!(load_balancer.listeners.is_empty());
                s.load_balancers
                    .insert(load_balancer.name.clone(), live_lb(load_balancer));
            }
            Op::UpdateLoadBalancer {
                name,
                subnets,
                subnet_mappings,
                security_groups,
                ip_address_type,
                ipam_pool,
                attributes,
                tags,
            } => {
                let l = s.load_balancers.get_mut(name).expect("lb exists");
                if let Some(pool) = ipam_pool {
                    l.ipam_pool = pool.clone();
                }
                if let Some(subnets) = subnets {
                    l.subnets = subnets.iter().cloned().collect();
                }
                if let Some(mappings) = subnet_mappings {
                    l.subnets = mappings.iter().map(|m| m.subnet.clone()).collect();
                }
                if let Some(groups) = security_groups {
                    l.security_groups = Some(groups.iter().cloned().collect());
                }
                if let Some(t) = ip_address_type {
                    l.ip_address_type = Some(t.clone());
                }
                l.attributes.extend(attributes.clone());
                update_tags(&mut l.tags, tags);
            }
            Op::ReplaceLoadBalancer { load_balancer } => {
                assert!(s.load_balancers.contains_key(&load_balancer.name));
                assert!(load_balancer.listeners.is_empty());
                s.load_balancers
                    .insert(load_balancer.name.clone(), live_lb(load_balancer));
            }
            Op::DeleteLoadBalancer { name } => {
                assert!(s.load_balancers.remove(name).is_some());
            }
            Op::CreateListener {
                load_balancer,
                listener,
            } => {
                assert_tgs_exist(&s, &listener.default_action, &step.name);
                let lb = s.load_balancers.get_mut(load_balancer).expect("lb exists");
                assert!(
                    lb.listeners
                        .insert(listener.key(), listener.clone())
                        .is_none(),
                    "listener {} created twice",
                    step.name
                );
            }
            Op::UpdateListener {
                load_balancer,
                listener,
                ..
            } => {
                assert_tgs_exist(&s, &listener.default_action, &step.name);
                let lb = s.load_balancers.get_mut(load_balancer).expect("lb exists");
                let l = lb
                    .listeners
                    .get_mut(&listener.key())
                    .expect("listener exists");
                let rules = std::mem::take(&mut l.rules);
                let attributes = std::mem::take(&mut l.attributes);
                *l = listener.clone();
                l.rules = rules;
                l.attributes = attributes;
            }
            Op::ReplaceListener {
                load_balancer,
                listener,
            } => {
                let lb = s.load_balancers.get_mut(load_balancer).expect("lb exists");
                assert!(lb.listeners.remove(&listener.key()).is_some());
                lb.listeners.insert(listener.key(), listener.clone());
            }
            Op::DeleteListener {
                load_balancer,
                port,
            } => {
                let lb = s.load_balancers.get_mut(load_balancer).expect("lb exists");
                assert!(lb.listeners.remove(port).is_some());
            }
            Op::SetListenerAttributes {
                load_balancer,
                port,
                attributes,
            } => {
                let lb = s.load_balancers.get_mut(load_balancer).expect("lb exists");
                let l = lb.listeners.get_mut(port).expect("listener exists");
                l.attributes.extend(attributes.clone());
            }
            Op::CreateRule {
                load_balancer,
                port,
                rule,
            } => {
                assert_tgs_exist(&s, &rule.action, &step.name);
                let l = listener_mut(&mut s, load_balancer, *port);
                assert!(
                    l.rules.insert(rule.priority, rule.clone()).is_none(),
                    "PriorityInUse: {} created on a taken priority",
                    step.name
                );
            }
            Op::UpdateRule {
                load_balancer,
                port,
                from_priority,
                rule,
                modify,
                ..
            } => {
                assert_tgs_exist(&s, &rule.action, &step.name);
                let l = listener_mut(&mut s, load_balancer, *port);
                let mut r = l.rules.remove(from_priority).expect("rule exists");
                assert!(
                    !l.rules.contains_key(&rule.priority),
                    "PriorityInUse: {} moved onto a taken priority",
                    step.name
                );
                if *modify {
                    r = rule.clone();
                }
                r.priority = rule.priority;
                l.rules.insert(rule.priority, r);
            }
            Op::DeleteRule {
                load_balancer,
                port,
                priority,
            } => {
                let l = listener_mut(&mut s, load_balancer, *port);
                assert!(l.rules.remove(priority).is_some());
            }
        }
    }
    if !plan.conflicts.is_empty() {
        return s;
    }
    // Resources of other stacks or of nobody are not the plan's business.
    let ours = |tags: &Tags| owner(tags) == Some(STACK);
    let keys = |m: &Model| -> Vec<String> {
        let mut k: Vec<String> = m
            .target_groups
            .iter()
            .filter(|(_, t)| ours(&t.tags))
            .map(|(n, _)| n.clone())
            .collect();
        for (n, lb) in m.load_balancers.iter().filter(|(_, l)| ours(&l.tags)) {
            for (p, l) in &lb.listeners {
                k.push(format!("{n}:{p}"));
                for (prio, r) in &l.rules {
                    k.push(format!("{n}:{p}/{prio} {:?}", r.conditions));
                }
            }
        }
        k
    };
    assert_eq!(keys(&s), keys(desired), "end state differs from the spec");
    s
}

fn update_health_check(have: &mut HealthCheck, send: &HealthCheck) {
    macro_rules! set {
        ($($f:ident),*) => {
            $(if send.$f.is_some() {
                have.$f.clone_from(&send.$f);
            })*
        };
    }
    set!(
        enabled,
        protocol,
        port,
        path,
        interval,
        timeout,
        healthy_threshold,
        unhealthy_threshold,
        matcher
    );
}

fn update_tags(have: &mut Tags, change: &crate::plan::TagChange) {
    for k in &change.remove {
        have.remove(k);
    }
    have.extend(change.set.clone());
}

fn listener_mut<'a>(m: &'a mut Model, lb: &str, port: u16) -> &'a mut Listener {
    m.load_balancers
        .get_mut(lb)
        .expect("lb exists")
        .listeners
        .get_mut(&port)
        .expect("listener exists")
}

fn blue_green(blue: u32, green: u32) -> Model {
    model(
        vec![tg("blue", 80), tg("green", 80)],
        vec![alb(
            "web",
            vec![http_listener(
                80,
                forward(&[("blue", blue), ("green", green)]),
            )],
        )],
    )
}

#[test]
fn nothing_to_do_on_an_empty_account() {
    let p = plan(&Model::default(), &Model::default());
    assert!(p.is_empty());
}

#[test]
fn creates_in_dependency_order() {
    let mut desired = blue_green(90, 10);
    desired
        .load_balancers
        .get_mut("web")
        .unwrap()
        .listeners
        .get_mut(&80)
        .unwrap()
        .rules
        .insert(10, rule(10, "/api/*", forward(&[("green", 1)])));
    let p = plan(&desired, &Model::default());
    let kinds: Vec<(StepAction, Kind)> = p.steps.iter().map(|s| (s.action, s.kind)).collect();
    assert_eq!(
        kinds,
        [
            (StepAction::Create, Kind::TargetGroup),
            (StepAction::Create, Kind::TargetGroup),
            (StepAction::Create, Kind::LoadBalancer),
            (StepAction::Create, Kind::Listener),
            (StepAction::Create, Kind::Rule),
        ]
    );
}

#[test]
fn apply_then_plan_is_empty() {
    let desired = blue_green(90, 10);
    let p = plan(&desired, &as_live(&desired));
    assert!(p.is_empty(), "phantom changes: {:#?}", p.steps);
}

#[test]
fn a_weight_change_is_one_listener_update() {
    let live = as_live(&blue_green(90, 10));
    let p = plan(&blue_green(50, 50), &live);
    assert_eq!(p.steps.len(), 1, "{:#?}", p.steps);
    let s = &p.steps[0];
    assert_eq!(
        (s.action, s.kind, s.name.as_str()),
        (StepAction::Update, Kind::Listener, "web:80")
    );
    let paths: Vec<&str> = s.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "default_action.forward.target_groups.blue.weight",
            "default_action.forward.target_groups.green.weight"
        ]
    );
}

#[test]
fn one_attribute_change_is_one_update() {
    let desired = blue_green(90, 10);
    let live = as_live(&desired);
    let mut changed = desired.clone();
    changed
        .target_groups
        .get_mut("blue")
        .unwrap()
        .attributes
        .insert("deregistration_delay.timeout_seconds".into(), "30".into());
    let p = plan(&changed, &live);
    assert_eq!(p.steps.len(), 1);
    assert_eq!(p.steps[0].changes.len(), 1);
    assert_eq!(
        p.steps[0].changes[0].path,
        "attributes.deregistration_delay"
    );
    assert_eq!(p.steps[0].changes[0].before, "300");
    assert_eq!(p.steps[0].changes[0].after, "30");
}

#[test]
fn port_change_of_a_used_target_group_is_a_create_before_delete_replace() {
    let live = as_live(&blue_green(90, 10));
    let mut desired = blue_green(90, 10);
    desired.target_groups.get_mut("blue").unwrap().port = Some(8080);
    let p = plan(&desired, &live);
    assert_eq!(p.steps.len(), 1);
    match &p.steps[0].op {
        Op::ReplaceTargetGroup {
            in_use, temp_name, ..
        } => {
            assert!(in_use);
            assert_eq!(temp_name, "blue-lbtmp");
        }
        other => panic!("expected a replace, got {other:?}"),
    }
}

#[test]
fn removing_a_target_group_with_its_last_reference_updates_before_deleting() {
    let live = as_live(&blue_green(90, 10));
    let desired = model(
        vec![tg("blue", 80)],
        vec![alb("web", vec![http_listener(80, forward(&[("blue", 1)]))])],
    );
    let p = plan(&desired, &live);
    let order: Vec<(StepAction, Kind)> = p.steps.iter().map(|s| (s.action, s.kind)).collect();
    assert_eq!(
        order,
        [
            (StepAction::Update, Kind::Listener),
            (StepAction::Delete, Kind::TargetGroup)
        ]
    );
}

#[test]
fn unmanaged_settings_never_show_as_changes() {
    let desired = blue_green(90, 10);
    let mut live = as_live(&desired);
    let tg = live.target_groups.get_mut("blue").unwrap();
    tg.attributes
        .insert("slow_start.duration_seconds".into(), "60".into());
    tg.health_check.interval = Some(10);
    assert!(plan(&desired, &live).is_empty());
}

#[test]
fn a_resource_the_stack_does_not_own_is_left_alone() {
    let desired = blue_green(90, 10);
    let mut live = as_live(&desired);
    live.load_balancers.get_mut("web").unwrap().tags.clear();
    let mut changed = desired.clone();
    changed.load_balancers.get_mut("web").unwrap().scheme = "internal".into();
    let p = plan(&changed, &live);
    assert!(p.steps.is_empty(), "{:#?}", p.steps);
    assert_eq!(p.conflicts.len(), 1);
    assert_eq!(p.conflicts[0].name, "web");
    assert_eq!(p.conflicts[0].owner, None);

    // Adopting tags it (and makes the requested change).
    let p = plan_with(&desired, &live, true);
    assert_eq!(p.steps.len(), 1);
    assert_eq!(p.steps[0].changes[0].path, format!("tags.{STACK_TAG}"));
}

#[test]
fn another_stacks_resources_are_not_deleted() {
    let mut live = as_live(&blue_green(90, 10));
    for t in live.target_groups.values_mut() {
        t.tags.insert(STACK_TAG.into(), "other".into());
    }
    for l in live.load_balancers.values_mut() {
        l.tags.insert(STACK_TAG.into(), "other".into());
    }
    let p = diff(&Input {
        stack: STACK,
        desired: &Model::default(),
        live: &live,
        in_use: &in_use(&live),
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: &BTreeMap::new(),
        adopt: false,
        ttl_warning: super::TTL_WARNING,
        instance_addresses: &Default::default(),
    });
    assert!(p.is_empty());
}

#[test]
fn owned_resources_missing_from_the_spec_are_deleted_last_to_first() {
    let live = as_live(&blue_green(90, 10));
    let p = plan(&Model::default(), &live);
    let order: Vec<(StepAction, Kind)> = p.steps.iter().map(|s| (s.action, s.kind)).collect();
    assert_eq!(
        order,
        [
            (StepAction::Delete, Kind::LoadBalancer),
            (StepAction::Delete, Kind::TargetGroup),
            (StepAction::Delete, Kind::TargetGroup)
        ]
    );
    // Each delete block says what goes.
    let text = crate::render::text::plan(&p, crate::render::text::Styling { color: false });
    for line in [
        "- load_balancer web\n    type: \"application\"\n    scheme: \"internet-facing\"\n    listeners: [web:80]\n",
        "- target_group blue\n    protocol: \"HTTP\"\n    port: 80\n",
    ] {
        assert!(text.contains(line), "{line}\nnot in\n{text}");
    }
}

fn with_rules(rules: Vec<Rule>) -> Model {
    let mut m = blue_green(1, 1);
    let l = m
        .load_balancers
        .get_mut("web")
        .unwrap()
        .listeners
        .get_mut(&80)
        .unwrap();
    for r in rules {
        l.rules.insert(r.priority, r);
    }
    m
}

#[test]
fn swapping_two_rule_priorities_goes_through_a_free_priority() {
    let a = |p| rule(p, "/a", forward(&[("blue", 1)]));
    let b = |p| rule(p, "/b", forward(&[("green", 1)]));
    let live = as_live(&with_rules(vec![a(10), b(20)]));
    let p = plan(&with_rules(vec![a(20), b(10)]), &live);
    // Three moves: park one, move the other, move the parked one.
    assert_eq!(p.steps.len(), 3, "{:#?}", p.steps);
    assert!(p
        .steps
        .iter()
        .all(|s| matches!(s.op, Op::UpdateRule { modify: false, .. })));
}

#[test]
fn a_rule_shift_moves_rules_instead_of_recreating_them() {
    let r = |p, path: &str| rule(p, path, forward(&[("blue", 1)]));
    let live = as_live(&with_rules(vec![r(10, "/a"), r(20, "/b")]));
    // Insert a new rule at 10: the old ones move down.
    let p = plan(
        &with_rules(vec![r(10, "/new"), r(20, "/a"), r(30, "/b")]),
        &live,
    );
    let creates = p
        .steps
        .iter()
        .filter(|s| s.action == StepAction::Create)
        .count();
    let moves = p
        .steps
        .iter()
        .filter(|s| matches!(s.op, Op::UpdateRule { modify: false, .. }))
        .count();
    assert_eq!((creates, moves), (1, 2), "{:#?}", p.steps);
}

#[test]
fn a_rule_whose_content_changes_is_modified_in_place() {
    let live = as_live(&with_rules(vec![rule(10, "/a", forward(&[("blue", 1)]))]));
    let p = plan(
        &with_rules(vec![rule(10, "/a", forward(&[("green", 1)]))]),
        &live,
    );
    assert_eq!(p.steps.len(), 1);
    assert!(matches!(p.steps[0].op, Op::UpdateRule { modify: true, .. }));
}

#[test]
fn scheme_change_replaces_the_load_balancer_and_recreates_listeners() {
    let live = as_live(&blue_green(90, 10));
    let mut desired = blue_green(90, 10);
    desired.load_balancers.get_mut("web").unwrap().scheme = "internal".into();
    let p = plan(&desired, &live);
    let order: Vec<(StepAction, Kind)> = p.steps.iter().map(|s| (s.action, s.kind)).collect();
    assert_eq!(
        order,
        [
            (StepAction::Replace, Kind::LoadBalancer),
            (StepAction::Create, Kind::Listener)
        ]
    );
}

#[test]
fn a_load_balancer_replacement_says_its_dns_name_changes_and_what_goes_with_it() {
    let live = as_live(&blue_green(90, 10));
    let mut desired = blue_green(90, 10);
    desired.load_balancers.get_mut("web").unwrap().scheme = "internal".into();
    let dns = BTreeMap::from([(
        "web".to_string(),
        ("web-1.elb.example.".to_string(), "Z1".to_string()),
    )]);
    let p = diff(&Input {
        stack: STACK,
        desired: &desired,
        live: &live,
        in_use: &in_use(&live),
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: &dns,
        adopt: false,
        ttl_warning: super::TTL_WARNING,
        instance_addresses: &Default::default(),
    });
    let replace = &p.steps[0];
    assert_eq!(replace.action, StepAction::Replace);
    let change = replace
        .changes
        .iter()
        .find(|c| c.path == "dns_name")
        .expect("a dns_name change");
    assert_eq!(change.before, serde_json::json!("web-1.elb.example."));
    assert_eq!(change.after, serde_json::json!("(known after apply)"));
    let notes = replace.notes.join("\n");
    assert!(notes.contains("`web-1.elb.example.` changes"), "{notes}");
    assert!(notes.contains("listener(s)"), "{notes}");
    assert!(notes.contains("--force"), "{notes}");
}

#[test]
fn targets_are_registered_and_deregistered() {
    let target = |id: &str| Target {
        id: id.into(),
        port: Some(80),
        availability_zone: None,
        quic_server_id: None,
    };
    let mut desired = blue_green(1, 1);
    desired.target_groups.get_mut("blue").unwrap().targets.list =
        BTreeSet::from([target("10.0.0.1"), target("10.0.0.2")]);
    let mut live = as_live(&desired);
    live.target_groups.get_mut("blue").unwrap().targets.list =
        BTreeSet::from([target("10.0.0.2"), target("10.0.0.3")]);
    let p = plan(&desired, &live);
    assert_eq!(p.steps.len(), 1);
    match &p.steps[0].op {
        Op::Targets {
            register,
            deregister,
            ..
        } => {
            assert_eq!(register, &[target("10.0.0.1")]);
            assert_eq!(deregister, &[target("10.0.0.3")]);
        }
        other => panic!("{other:?}"),
    }

    // Additive mode never deregisters.
    desired.target_groups.get_mut("blue").unwrap().targets.mode = TargetsMode::Additive;
    let p = plan(&desired, &live);
    match &p.steps[0].op {
        Op::Targets { deregister, .. } => assert!(deregister.is_empty()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_new_load_balancer_shows_attributes_by_their_spec_names() {
    let mut lb = alb("fresh", vec![]);
    lb.attributes
        .insert("idle_timeout.timeout_seconds".into(), "120".into());
    let p = plan(&model(vec![], vec![lb]), &Model::default());
    let paths: Vec<&str> = p.steps[0].changes.iter().map(|c| c.path.as_str()).collect();
    assert!(paths.contains(&"attributes.idle_timeout"), "{paths:?}");
    assert!(
        !paths
            .iter()
            .any(|p| p.contains("timeout_seconds") || *p == "name"),
        "{paths:?}"
    );
}

#[test]
fn a_matcher_change_shows_the_codes() {
    let mut want = tg("codes", 80);
    want.health_check.matcher = Some(crate::model::Matcher::HttpCode("200-299".into()));
    let mut have = live_tg(&want);
    have.health_check.matcher = Some(crate::model::Matcher::HttpCode("200".into()));
    let p = plan(&model(vec![want], vec![]), &model(vec![have], vec![]));
    let c = &p.steps[0].changes[0];
    assert_eq!(c.path, "health_check.matcher");
    assert_eq!(
        (&c.before, &c.after),
        (&serde_json::json!("200"), &serde_json::json!("200-299"))
    );
}
