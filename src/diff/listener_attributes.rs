//! Listener attributes: their own step, so that changing one header is one
//! ModifyListenerAttributes and nothing else.
//!
//! Like load balancer attributes, only the keys the desired listener sets
//! are compared: AWS's defaults for the others never show as changes.

use crate::model::{Attributes, Listener};
use crate::plan::{listener_name, Change, Kind, Op, Step, StepAction};
use crate::spec::aws_listener_attributes::spec_name;

use super::step;

/// `attributes.<spec name>` for an AWS key, as plans show it.
fn path(key: &str) -> String {
    format!("attributes.{}", spec_name(key))
}

/// The changes showing the attributes of a listener being created.
pub(super) fn created(attributes: &Attributes) -> Vec<Change> {
    attributes
        .iter()
        .map(|(k, v)| Change::new(path(k), serde_json::Value::Null, v))
        .collect()
}

/// The attributes `want` sets that differ from `have`, and their changes.
fn differing(want: &Attributes, have: &Attributes) -> (Attributes, Vec<Change>) {
    let mut set = Attributes::new();
    let mut changes = Vec::new();
    for (key, value) in want {
        let live = have.get(key);
        if live != Some(value) {
            set.insert(key.clone(), value.clone());
            changes.push(Change::new(path(key), live, value));
        }
    }
    (set, changes)
}

/// The step that sets the attributes of an existing listener, if any differ.
pub(super) fn update(lb: &str, want: &Listener, have: &Listener) -> Option<Step> {
    let (attributes, changes) = differing(&want.attributes, &have.attributes);
    if attributes.is_empty() {
        return None;
    }
    Some(step(
        StepAction::Update,
        Kind::Listener,
        &listener_name(lb, want.key()),
        changes,
        Op::SetListenerAttributes {
            load_balancer: lb.to_string(),
            port: want.key(),
            attributes,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Attributes {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_keys_the_spec_sets_are_compared() {
        let want = attrs(&[("routing.http.response.x_frame_options.header_value", "DENY")]);
        let have = attrs(&[
            ("routing.http.response.x_frame_options.header_value", "DENY"),
            ("routing.http.response.server.enabled", "true"),
        ]);
        assert!(differing(&want, &have).0.is_empty());
        let want = attrs(&[(
            "routing.http.response.x_frame_options.header_value",
            "SAMEORIGIN",
        )]);
        let (set, changes) = differing(&want, &have);
        assert_eq!(set, want);
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].path,
            "attributes.response_headers.x_frame_options"
        );
        assert_eq!(changes[0].before, "DENY");
    }

    #[test]
    fn one_changed_header_is_one_attributes_step_and_converges() {
        use crate::diff::tests::{alb, as_live, forward, http_listener, model, plan, simulate, tg};
        let key = "routing.http.response.x_frame_options.header_value";
        let mut l = http_listener(80, forward(&[("blue", 1)]));
        l.attributes = attrs(&[(key, "DENY")]);
        let desired = model(vec![tg("blue", 80)], vec![alb("web", vec![l])]);
        let mut live = as_live(&desired);
        // AWS reports its defaults for every key the spec leaves out.
        let live_l = live.load_balancers.get_mut("web").unwrap();
        let live_l = live_l.listeners.get_mut(&80).unwrap();
        live_l
            .attributes
            .insert("routing.http.response.server.enabled".into(), "true".into());
        assert!(plan(&desired, &live).steps.is_empty());

        let mut changed = desired.clone();
        let cl = changed.load_balancers.get_mut("web").unwrap();
        cl.listeners.get_mut(&80).unwrap().attributes = attrs(&[(key, "SAMEORIGIN")]);
        let p = plan(&changed, &live);
        assert_eq!(p.steps.len(), 1, "{:?}", p.steps);
        assert!(matches!(
            &p.steps[0].op,
            Op::SetListenerAttributes { port: 80, attributes, .. } if attributes.len() == 1
        ));
        let end = simulate(&live, &changed, &p);
        assert!(plan(&changed, &end).steps.is_empty());
    }

    #[test]
    fn raw_keys_are_shown_under_extra() {
        let c = created(&attrs(&[(
            "send_tcp_reset.on_idle_timeout.enabled",
            "true",
        )]));
        assert_eq!(
            c[0].path,
            "attributes.extra.send_tcp_reset.on_idle_timeout.enabled"
        );
    }
}
