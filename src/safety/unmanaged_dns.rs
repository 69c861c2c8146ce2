//! The safety check for Route 53 record sets that carry live settings the
//! spec cannot express (`RecordSet::unmanaged`, read by `aws::route53`):
//! any change to such a set that keeps it (an UPSERT, a DELETE and CREATE of
//! members) would rewrite it in the spec's vocabulary and drop them, so
//! it is a [`Violation`] of [`Limit::Unmanaged`], the same rail as for
//! load-balancing resources: apply stops unless `--force`. Deleting an owned set the spec dropped is
//! allowed: nothing the user still wants is lost (the plan says so).

use crate::model::dns::owned_key;
use crate::model::Model;
use crate::plan::{Op, Plan, StepAction};
use crate::safety::{Limit, Violation};

/// One record set a plan would rewrite, with what it would lose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// `mv.example.com. A`
    pub record_set: String,
    /// `` `a.multivalue`, `b.multivalue`: multivalue answer routing ``
    /// (`RecordSet::unmanaged_summary`).
    pub settings: String,
}

/// Every record set step of `plan` that rewrites a live set carrying
/// unmanaged settings. Pure.
pub fn losses(plan: &Plan, live: &Model) -> Vec<Loss> {
    plan.steps
        .iter()
        .filter(|s| s.action != StepAction::Delete)
        .filter_map(|s| match &s.op {
            Op::RecordSet { zone, key, .. } if owned_key(key).is_none() => {
                let set = live.dns.zones.get(zone)?.record_sets.get(key)?;
                (!set.unmanaged.is_empty()).then(|| Loss {
                    record_set: key.to_string(),
                    settings: set.unmanaged_summary(),
                })
            }
            _ => None,
        })
        .collect()
}

/// A [`Limit::Unmanaged`] violation for every record set `plan` would
/// rewrite although it carries live settings the spec cannot express: the
/// same rail as for load-balancing resources (`--force` overrides it, and
/// the settings are dropped).
pub fn check(plan: &Plan, live: &Model) -> Vec<Violation> {
    losses(plan, live)
        .into_iter()
        .map(|l| Violation {
            limit: Limit::Unmanaged,
            message: format!(
                "record set `{}` would lose {}: the plan rewrites it, and the spec cannot \
                 express that",
                l.record_set, l.settings
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dns::{Record, RecordKey, RecordSet, Routing, Zone};
    use crate::model::unmanaged::Unmanaged;
    use crate::plan::{Kind, Step};

    const ZONE: &str = "example.com.";

    fn key() -> RecordKey {
        RecordKey {
            name: "mv.example.com.".into(),
            rtype: "A".into(),
        }
    }

    fn live(unmanaged: Vec<Unmanaged>) -> Model {
        let mut zone = Zone {
            name: ZONE.into(),
            ..Zone::default()
        };
        let member = Record {
            set_identifier: Some("a".into()),
            routing: Routing::Multivalue,
            ttl: Some(60),
            values: vec!["198.51.100.1".into()],
            alias: None,
            health_check: None,
        };
        zone.record_sets.insert(
            key(),
            RecordSet {
                members: vec![member],
                unmanaged,
            },
        );
        let mut m = Model::default();
        m.dns.zones.insert(ZONE.into(), zone);
        m
    }

    fn plan(action: StepAction) -> Plan {
        Plan {
            steps: vec![Step {
                action,
                kind: Kind::RecordSet,
                name: key().to_string(),
                changes: vec![],
                notes: vec![],
                op: Op::RecordSet {
                    zone: ZONE.into(),
                    key: key(),
                    delete: vec![],
                    create: vec![],
                },
            }],
            ..Plan::default()
        }
    }

    fn refuse(plan: &Plan, live: &Model, force: bool) -> Result<(), crate::safety::Refusal> {
        crate::safety::refuse(&check(plan, live), force)
    }

    fn multivalue() -> Vec<Unmanaged> {
        vec![Unmanaged {
            path: "a.multivalue".into(),
            what: "multivalue answer routing (`MultiValueAnswer`)".into(),
        }]
    }

    #[test]
    fn a_rewrite_of_an_unmanaged_set_is_refused_unless_forced() {
        let live = live(multivalue());
        let err = refuse(&plan(StepAction::Update), &live, false).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("`mv.example.com. A` would lose `a.multivalue`"),
            "{text}"
        );
        assert!(text.contains("nothing was changed"), "{text}");
        assert!(refuse(&plan(StepAction::Update), &live, true).is_ok());
    }

    #[test]
    fn deleting_a_dropped_set_or_rewriting_a_plain_one_is_allowed() {
        assert!(refuse(&plan(StepAction::Delete), &live(multivalue()), false).is_ok());
        assert!(refuse(&plan(StepAction::Update), &live(vec![]), false).is_ok());
    }
}
