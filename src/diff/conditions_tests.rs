//! The diff of rule conditions and transforms: AWS's order of conditions
//! makes no change, repeated kinds are compared as they are, and a rule
//! whose spec drops live transforms is modified with `ResetTransforms`.

use super::tests::*;
use crate::model::*;
use crate::plan::{Op, StepAction};

fn header(name: &str, value: &str) -> Condition {
    Condition::HttpHeader(HttpHeader {
        name: name.into(),
        values: vec![value.into()],
        regex: vec![],
    })
}

fn query(key: &str, value: &str) -> Condition {
    Condition::QueryString(vec![QueryString {
        key: Some(key.into()),
        value: value.into(),
    }])
}

/// An ALB `web` whose listener has rule 10 with `conditions` and
/// `transforms`.
fn with_rule(conditions: Vec<Condition>, transforms: Transforms) -> Model {
    let mut r = rule(10, "/a", forward(&[("blue", 1)]));
    r.conditions = Conditions::new(conditions);
    r.transforms = transforms;
    let mut l = http_listener(80, forward(&[("blue", 1)]));
    l.rules.insert(10, r);
    model(vec![tg("blue", 80)], vec![alb("web", vec![l])])
}

fn url_rewrite(replace: &str) -> Transforms {
    Transforms {
        host_header_rewrite: None,
        url_rewrite: Some(Rewrite {
            regex: "^/a/(.*)$".into(),
            replace: replace.into(),
        }),
    }
}

#[test]
fn the_order_of_conditions_makes_no_change() {
    let desired = with_rule(
        vec![header("X-A", "a"), header("X-B", "b"), query("k", "1")],
        Transforms::default(),
    );
    let live = as_live(&with_rule(
        vec![query("k", "1"), header("X-B", "b"), header("X-A", "a")],
        Transforms::default(),
    ));
    assert!(plan(&desired, &live).steps.is_empty());
}

#[test]
fn a_second_header_condition_is_a_change_not_a_merge() {
    let desired = with_rule(vec![header("X-A", "a")], Transforms::default());
    let live = as_live(&with_rule(
        vec![header("X-A", "a"), header("X-B", "b")],
        Transforms::default(),
    ));
    let p = plan(&desired, &live);
    assert_eq!(p.steps.len(), 1, "{:?}", p.steps);
    assert_eq!(p.steps[0].action, StepAction::Update);
    let paths: Vec<&str> = p.steps[0].changes.iter().map(|c| c.path.as_str()).collect();
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("conditions[1].http_header")),
        "{paths:?}"
    );
}

#[test]
fn dropped_transforms_are_removed_with_reset_transforms() {
    let desired = with_rule(vec![header("X-A", "a")], Transforms::default());
    let live = as_live(&with_rule(vec![header("X-A", "a")], url_rewrite("/$1")));
    let p = plan(&desired, &live);
    assert_eq!(p.steps.len(), 1);
    let s = &p.steps[0];
    assert!(
        matches!(
            s.op,
            Op::UpdateRule {
                modify: true,
                reset_transforms: true,
                ..
            }
        ),
        "{:?}",
        s.op
    );
    assert!(s
        .changes
        .iter()
        .any(|c| c.path == "transforms.url_rewrite.regex" && c.after.is_null()));

    // A changed rewrite is sent as it is, without ResetTransforms.
    let desired = with_rule(vec![header("X-A", "a")], url_rewrite("/v2/$1"));
    let p = plan(&desired, &live);
    assert!(matches!(
        p.steps[0].op,
        Op::UpdateRule {
            reset_transforms: false,
            ..
        }
    ));
    assert_eq!(p.steps[0].changes.len(), 1);
    assert_eq!(p.steps[0].changes[0].path, "transforms.url_rewrite.replace");

    // Unchanged transforms: no step.
    let live = as_live(&desired);
    assert!(plan(&desired, &live).steps.is_empty());
}
