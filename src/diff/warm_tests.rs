//! Planner tests of the health wait: which listener and rule updates wait
//! for a target group's targets before sending it traffic. Every plan goes
//! through the ordering simulator of `tests`.

use std::collections::BTreeSet;

use super::tests::{alb, as_live, forward, http_listener, model, plan, rule, tg};
use crate::model::*;
use crate::plan::{Op, Plan};

fn with_target(mut t: TargetGroup) -> TargetGroup {
    t.targets.list = BTreeSet::from([Target {
        id: "10.0.0.1".into(),
        port: Some(80),
        availability_zone: None,
        quic_server_id: None,
    }]);
    t
}

/// `warm` of every listener and rule update, by step name.
fn warms(p: &Plan) -> Vec<(String, Vec<String>)> {
    p.steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::UpdateListener { warm, .. } | Op::UpdateRule { warm, .. } if !warm.is_empty() => {
                Some((s.name.clone(), warm.clone()))
            }
            _ => None,
        })
        .collect()
}

fn blue_only() -> Model {
    model(
        vec![with_target(tg("blue", 80))],
        vec![alb("web", vec![http_listener(80, forward(&[("blue", 1)]))])],
    )
}

#[test]
fn switching_to_a_new_target_group_waits_for_it() {
    let live = as_live(&blue_only());
    let desired = model(
        vec![with_target(tg("blue", 80)), with_target(tg("green", 80))],
        vec![alb(
            "web",
            vec![http_listener(80, forward(&[("green", 1)]))],
        )],
    );
    let p = plan(&desired, &live);
    assert_eq!(
        warms(&p),
        [("web:80".to_string(), vec!["green".to_string()])]
    );
    let step = p.steps.iter().find(|s| s.name == "web:80").unwrap();
    assert!(
        step.notes
            .iter()
            .any(|n| n.contains("waits for the targets of `green`")),
        "{:?}",
        step.notes
    );
}

#[test]
fn a_rule_switching_to_a_new_target_group_waits_for_it() {
    let mut before = blue_only();
    let l = before.load_balancers.get_mut("web").unwrap();
    let l = l.listeners.get_mut(&80).unwrap();
    l.rules
        .insert(10, rule(10, "/api/*", forward(&[("blue", 1)])));
    let live = as_live(&before);
    let mut desired = before.clone();
    desired
        .target_groups
        .insert("green".into(), with_target(tg("green", 80)));
    let l = desired.load_balancers.get_mut("web").unwrap();
    let l = l.listeners.get_mut(&80).unwrap();
    l.rules.insert(
        10,
        rule(10, "/api/*", forward(&[("blue", 90), ("green", 10)])),
    );
    let p = plan(&desired, &live);
    assert_eq!(
        warms(&p),
        [("web:80/10".to_string(), vec!["green".to_string()])]
    );
}

#[test]
fn a_weight_change_between_existing_groups_does_not_wait() {
    let two = |b, g| {
        model(
            vec![with_target(tg("blue", 80)), with_target(tg("green", 80))],
            vec![alb(
                "web",
                vec![http_listener(80, forward(&[("blue", b), ("green", g)]))],
            )],
        )
    };
    let p = plan(&two(50, 50), &as_live(&two(90, 10)));
    assert_eq!(p.steps.len(), 1);
    assert!(warms(&p).is_empty());
}

#[test]
fn a_new_group_at_weight_zero_or_without_targets_does_not_wait() {
    let live = as_live(&blue_only());
    let desired = model(
        vec![with_target(tg("blue", 80)), with_target(tg("green", 80))],
        vec![alb(
            "web",
            vec![http_listener(80, forward(&[("blue", 1), ("green", 0)]))],
        )],
    );
    assert!(warms(&plan(&desired, &live)).is_empty());
    let desired = model(
        vec![with_target(tg("blue", 80)), tg("green", 80)],
        vec![alb(
            "web",
            vec![http_listener(80, forward(&[("green", 1)]))],
        )],
    );
    assert!(warms(&plan(&desired, &live)).is_empty());
}

#[test]
fn new_listeners_and_load_balancers_do_not_wait() {
    let live = as_live(&blue_only());
    let mut desired = blue_only();
    desired
        .target_groups
        .insert("green".into(), with_target(tg("green", 80)));
    let lb = desired.load_balancers.get_mut("web").unwrap();
    lb.listeners
        .insert(8080, http_listener(8080, forward(&[("green", 1)])));
    desired.load_balancers.insert(
        "api".into(),
        alb("api", vec![http_listener(80, forward(&[("green", 1)]))]),
    );
    let p = plan(&desired, &live);
    assert!(warms(&p).is_empty(), "{:#?}", p.steps);
    assert!(p
        .steps
        .iter()
        .all(|s| s.notes.iter().all(|n| !n.contains("healthy"))));
}

#[test]
fn a_network_listener_gets_a_note_only() {
    let nlb = |target: &str| {
        let mut lb = alb("net", vec![]);
        lb.lb_type = "network".into();
        let mut l = http_listener(80, forward(&[(target, 1)]));
        l.protocol = Some("TCP".into());
        lb.listeners.insert(80, l);
        lb
    };
    let mut blue = with_target(tg("blue", 80));
    blue.protocol = Some("TCP".into());
    let mut green = with_target(tg("green", 80));
    green.protocol = Some("TCP".into());
    let live = as_live(&model(vec![blue.clone()], vec![nlb("blue")]));
    let p = plan(&model(vec![blue, green], vec![nlb("green")]), &live);
    assert!(warms(&p).is_empty());
    let step = p.steps.iter().find(|s| s.name == "net:80").unwrap();
    assert!(
        step.notes
            .iter()
            .any(|n| n.contains("cannot be checked before the switch")),
        "{:?}",
        step.notes
    );
}
