//! The apply side of the lossless rule: a live resource carrying settings
//! lbctl cannot model ([`crate::model::unmanaged::Unmanaged`]) is reported
//! by `plan`, and a step that would modify or replace it is a [`Violation`]
//! (`--force` overrides it, and then the settings are lost: ModifyListener
//! and ModifyRule resend the whole action and condition lists, and a
//! replacement creates the resource again from the model).
//!
//! Deleting such a resource is allowed: the spec dropped it, so nothing the
//! user wants is lost. Pure: the plan and the live model in, notes and
//! violations out.

use super::{Limit, Violation};
use crate::model::Model;
use crate::plan::{rule_name, Kind, Op, Plan, Step, StepAction, UnmanagedResource};

/// One `plan` note per unmanaged live setting:
/// `web:443: unmanaged live setting: default_action has ... (lbctl cannot model it yet)`.
pub fn notes(resources: &[UnmanagedResource]) -> Vec<String> {
    resources
        .iter()
        .flat_map(|r| {
            r.settings.iter().map(move |s| {
                format!(
                    "{}: unmanaged live setting: {} has {} (lbctl cannot model it yet)",
                    r.name, s.path, s.what
                )
            })
        })
        .collect()
}

/// A violation for every step that would modify or replace a live resource
/// with unmanaged settings (or replace its parent), naming what would be lost.
pub fn check(plan: &Plan, live: &Model) -> Vec<Violation> {
    let mut out = Vec::new();
    for step in &plan.steps {
        for r in live.unmanaged.iter().filter(|r| affects(step, r)) {
            let lost: Vec<String> = r
                .settings
                .iter()
                .map(|s| format!("{} has {}", s.path, s.what))
                .collect();
            let how = match step.action {
                StepAction::Replace if r.kind != step.kind => {
                    format!("replaced with {} `{}`", step.kind.as_str(), step.name)
                }
                StepAction::Replace => "replaced".to_string(),
                _ => "modified".to_string(),
            };
            out.push(Violation {
                limit: Limit::Unmanaged,
                message: format!(
                    "{} `{}` would be {how}, and lbctl would drop what it cannot model: {}",
                    r.kind.as_str(),
                    r.name,
                    lost.join("; ")
                ),
            });
        }
    }
    out
}

/// Whether `step` sends `r` to AWS again (modify) or creates it anew
/// (replace of it or of its load balancer or listener).
fn affects(step: &Step, r: &UnmanagedResource) -> bool {
    if !matches!(step.action, StepAction::Update | StepAction::Replace) {
        return false;
    }
    if r.kind == step.kind && r.name == live_name(step) {
        return true;
    }
    step.action == StepAction::Replace
        && match step.kind {
            Kind::LoadBalancer => {
                matches!(r.kind, Kind::Listener | Kind::Rule)
                    && r.name.starts_with(&format!("{}:", step.name))
            }
            Kind::Listener => {
                r.kind == Kind::Rule && r.name.starts_with(&format!("{}/", step.name))
            }
            _ => false,
        }
}

/// The live resource a step changes: a moved rule by its old priority.
fn live_name(step: &Step) -> String {
    match &step.op {
        Op::UpdateRule {
            load_balancer,
            port,
            from_priority,
            ..
        } => rule_name(load_balancer, *port, *from_priority),
        _ => step.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::unmanaged::Unmanaged;

    fn live(kind: Kind, name: &str) -> Model {
        Model {
            unmanaged: vec![UnmanagedResource {
                kind,
                name: name.into(),
                settings: vec![Unmanaged {
                    path: "default_action".into(),
                    what: "an authenticate-oidc step before forward".into(),
                }],
            }],
            ..Model::default()
        }
    }

    /// A plan of one step; the check reads its action, kind and name (and
    /// the op only for a moved rule), so the op stands in.
    fn plan(action: StepAction, kind: Kind, name: &str) -> Plan {
        Plan {
            steps: vec![Step {
                action,
                kind,
                name: name.into(),
                changes: vec![],
                notes: vec![],
                op: Op::DeleteListener {
                    load_balancer: "web".into(),
                    port: 443,
                },
            }],
            ..Plan::default()
        }
    }

    #[test]
    fn a_modify_is_refused_naming_what_would_be_lost() {
        let v = check(
            &plan(StepAction::Update, Kind::Listener, "web:443"),
            &live(Kind::Listener, "web:443"),
        );
        assert_eq!(
            v[0].message,
            "listener `web:443` would be modified, and lbctl would drop what it cannot model: \
             default_action has an authenticate-oidc step before forward"
        );
        assert!(v[0].forceable());
    }

    #[test]
    fn a_delete_is_allowed() {
        let p = plan(StepAction::Delete, Kind::Listener, "web:443");
        assert!(check(&p, &live(Kind::Listener, "web:443")).is_empty());
    }

    #[test]
    fn replacing_a_load_balancer_is_refused_for_its_rules() {
        let p = plan(StepAction::Replace, Kind::LoadBalancer, "web");
        let v = check(&p, &live(Kind::Rule, "web:443/10"));
        assert!(v[0]
            .message
            .starts_with("rule `web:443/10` would be replaced with load_balancer `web`"));
        // Another load balancer's rule, or an update of the load balancer
        // (its listeners are left alone), is not.
        assert!(check(&p, &live(Kind::Rule, "webx:443/10")).is_empty());
        let p = plan(StepAction::Update, Kind::LoadBalancer, "web");
        assert!(check(&p, &live(Kind::Rule, "web:443/10")).is_empty());
    }

    #[test]
    fn notes_name_the_resource_and_the_setting() {
        assert_eq!(
            notes(&live(Kind::Listener, "web:443").unmanaged),
            [
                "web:443: unmanaged live setting: default_action has an authenticate-oidc step \
              before forward (lbctl cannot model it yet)"
            ]
        );
    }
}
