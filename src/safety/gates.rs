//! Health gates that cannot pass, found at plan time.
//!
//! Before traffic moves to a target group the apply creates (a new group a
//! listener or rule switches to, or an in-use group being replaced through
//! its temporary group), apply waits until every target is healthy. A
//! target whose instance is stopped, or that AWS already reports `unused`
//! or `unhealthy` in the live group, will not get there: the apply would
//! stop after `--health-timeout` with the replacement half done. [`gated`]
//! finds the gates in a plan; [`warnings`] says which cannot pass, given
//! what AWS reported. Pure: the AWS reads are `Aws::gate_facts`.

use std::collections::BTreeMap;

use crate::model::health::{TargetHealth, TargetState};
use crate::model::{Model, Target};
use crate::plan::{Op, Plan};

/// One health gate of a plan: a target group whose targets must be healthy
/// before traffic moves to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub target_group: String,
    /// The spec's targets: what the new group will have.
    pub targets: Vec<Target>,
    /// The group exists live (an in-use replacement): its targets' live
    /// health tells how the new group will fare.
    pub live: bool,
}

/// What AWS says about the targets of the gates.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Instance ID -> state (`running`, `stopped`, ...); an instance AWS
    /// does not know is missing.
    pub instances: BTreeMap<String, String>,
    /// Target group -> health of its live targets (live gates only).
    pub health: BTreeMap<String, Vec<TargetHealth>>,
}

/// The health gates `plan` will go through, with the spec's targets. An
/// in-use replacement waits only where an application listener of `live`
/// uses the group (as the executor does).
pub fn gated(plan: &Plan, desired: &Model, live: &Model) -> Vec<Gate> {
    let mut out: Vec<Gate> = Vec::new();
    let mut add = |name: &str, live: bool| {
        let Some(tg) = desired.target_groups.get(name) else {
            return;
        };
        if tg.targets.list.is_empty() || out.iter().any(|g| g.target_group == name) {
            return;
        }
        out.push(Gate {
            target_group: name.to_string(),
            targets: tg.targets.list.iter().cloned().collect(),
            live,
        });
    };
    for step in &plan.steps {
        match &step.op {
            Op::ReplaceTargetGroup {
                target_group,
                in_use: true,
                ..
            } if used_by_application(live, &target_group.name) => add(&target_group.name, true),
            _ => {
                for name in step.health_wait() {
                    add(name, false);
                }
            }
        }
    }
    out
}

fn used_by_application(live: &Model, name: &str) -> bool {
    live.load_balancers
        .values()
        .filter(|lb| lb.lb_type == "application")
        .flat_map(|lb| lb.listeners.values())
        .any(|l| {
            l.default_action.target_groups().any(|t| t == name)
                || l.rules
                    .values()
                    .any(|r| r.action.target_groups().any(|t| t == name))
        })
}

/// Instance IDs among the gates' targets, to ask EC2 about.
pub fn instance_ids(gates: &[Gate]) -> Vec<String> {
    let mut ids: Vec<String> = gates
        .iter()
        .flat_map(|g| &g.targets)
        .filter(|t| t.id.starts_with("i-"))
        .map(|t| t.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A warning for each gate that cannot pass, naming its targets that will
/// not be healthy.
pub fn warnings(gates: &[Gate], facts: &Facts) -> Vec<String> {
    gates
        .iter()
        .filter_map(|g| {
            let blocked: Vec<String> = g
                .targets
                .iter()
                .filter_map(|t| blocker(g, t, facts).map(|why| format!("`{t}` {why}")))
                .collect();
            (!blocked.is_empty()).then(|| {
                format!(
                    "target group `{}`: the health gate before traffic moves to it cannot pass \
                     ({}); apply would stop after --health-timeout with the step half done \
                     (hint: start the instances or fix the targets, or take them out of the spec)",
                    g.target_group,
                    blocked.join(", ")
                )
            })
        })
        .collect()
}

/// Why `target` will not become healthy, if it will not.
fn blocker(gate: &Gate, target: &Target, facts: &Facts) -> Option<String> {
    if target.id.starts_with("i-") {
        match facts.instances.get(&target.id).map(String::as_str) {
            Some("running") | Some("pending") => {}
            Some(state) => return Some(format!("is {state}")),
            None => return Some("does not exist".into()),
        }
    }
    if !gate.live {
        return None;
    }
    let h = facts
        .health
        .get(&gate.target_group)?
        .iter()
        .find(|h| &h.target == target)?;
    matches!(h.state, TargetState::Unused | TargetState::Unhealthy).then(|| {
        let reason = h
            .reason
            .as_deref()
            .map_or(String::new(), |r| format!(" ({r})"));
        format!("is {} now{reason}", h.state.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str) -> Target {
        Target {
            id: id.into(),
            port: Some(80),
            availability_zone: None,
            quic_server_id: None,
        }
    }

    fn gate(live: bool) -> Gate {
        Gate {
            target_group: "web".into(),
            targets: vec![target("i-0a"), target("i-0b"), target("10.0.0.1")],
            live,
        }
    }

    #[test]
    fn a_stopped_or_missing_instance_blocks_the_gate() {
        let facts = Facts {
            instances: BTreeMap::from([
                ("i-0a".to_string(), "running".to_string()),
                ("i-0b".to_string(), "stopped".to_string()),
            ]),
            ..Facts::default()
        };
        let w = warnings(&[gate(false)], &facts);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("`i-0b:80` is stopped"), "{w:?}");
        assert!(!w[0].contains("i-0a"), "{w:?}");
        assert!(w[0].contains("cannot pass"), "{w:?}");
        assert_eq!(instance_ids(&[gate(false)]), ["i-0a", "i-0b"]);

        let none = Facts::default();
        assert!(warnings(&[gate(false)], &none)[0].contains("`i-0a:80` does not exist"));
    }

    #[test]
    fn unused_or_unhealthy_live_targets_block_a_replacement() {
        let health = |t: &str, state| TargetHealth {
            target: target(t),
            state,
            reason: Some("Target.InvalidState".into()),
            description: None,
        };
        let facts = Facts {
            instances: BTreeMap::from([
                ("i-0a".to_string(), "running".to_string()),
                ("i-0b".to_string(), "running".to_string()),
            ]),
            health: BTreeMap::from([(
                "web".to_string(),
                vec![
                    health("i-0a", TargetState::Healthy),
                    health("10.0.0.1", TargetState::Unused),
                ],
            )]),
        };
        let w = warnings(&[gate(true)], &facts);
        assert!(
            w[0].contains("`10.0.0.1:80` is unused now (Target.InvalidState)"),
            "{w:?}"
        );
        // A new group has no live health to go by.
        assert!(warnings(&[gate(false)], &facts).is_empty());
    }
}
