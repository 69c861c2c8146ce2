//! TTL practice for `apply --lower-ttl-first`: before a record set with a
//! long TTL changes, rewrite it with a short TTL, wait until resolvers have
//! dropped the old answer (the old TTL), then make the real change. Pure
//! plan transformation; the waiting is the command's.

use crate::model::dns::Record;
use crate::plan::{Change, Kind, Op, Plan, Step, StepAction};

/// The lowering steps, the main plan adjusted to delete the lowered records,
/// and how long to wait in between (the longest old TTL), if anything needs
/// lowering.
pub struct Lowering {
    pub first: Plan,
    pub then: Plan,
    pub wait_seconds: u32,
}

/// Split `plan` for `--lower-ttl-first`: every record that a step deletes
/// and whose TTL is above `low` is first rewritten with TTL `low`.
pub fn lower_first(plan: &Plan, low: u32) -> Option<Lowering> {
    let mut first = Plan {
        steps: vec![],
        ..plan.clone()
    };
    let mut then = plan.clone();
    let mut wait = 0;
    for step in &mut then.steps {
        let Op::RecordSet {
            zone, key, delete, ..
        } = &mut step.op
        else {
            continue;
        };
        let high: Vec<&Record> = delete
            .iter()
            .filter(|r| r.ttl.is_some_and(|t| t > low))
            .collect();
        if high.is_empty() {
            continue;
        }
        let old: Vec<Record> = high.iter().map(|r| (*r).clone()).collect();
        let lowered: Vec<Record> = old
            .iter()
            .map(|r| Record {
                ttl: Some(low),
                ..r.clone()
            })
            .collect();
        let max = old.iter().filter_map(|r| r.ttl).max().unwrap_or(0);
        wait = wait.max(max);
        first.steps.push(Step {
            action: StepAction::Update,
            kind: Kind::RecordSet,
            name: step.name.clone(),
            changes: vec![Change::new("ttl", max, low)],
            notes: vec![format!(
                "lower the TTL first; the change follows after {max} s"
            )],
            op: Op::RecordSet {
                zone: zone.clone(),
                key: key.clone(),
                delete: old.clone(),
                create: lowered.clone(),
            },
        });
        // The main step now deletes what the first step wrote.
        for r in delete.iter_mut() {
            if old.contains(r) {
                r.ttl = Some(low);
            }
        }
    }
    if first.steps.is_empty() {
        return None;
    }
    Some(Lowering {
        first,
        then,
        wait_seconds: wait,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dns::{RecordKey, Routing};

    fn rec(ttl: u32, value: &str) -> Record {
        Record {
            set_identifier: None,
            routing: Routing::Simple,
            ttl: Some(ttl),
            values: vec![value.into()],
            alias: None,
            health_check: None,
        }
    }

    fn plan(delete: Vec<Record>, create: Vec<Record>) -> Plan {
        Plan {
            steps: vec![Step {
                action: StepAction::Update,
                kind: Kind::RecordSet,
                name: "a.example.com. A".into(),
                changes: vec![],
                notes: vec![],
                op: Op::RecordSet {
                    zone: "example.com.".into(),
                    key: RecordKey {
                        name: "a.example.com.".into(),
                        rtype: "A".into(),
                    },
                    delete,
                    create,
                },
            }],
            ..Plan::default()
        }
    }

    #[test]
    fn long_ttls_are_lowered_first_and_the_change_deletes_the_lowered_record() {
        let p = plan(vec![rec(3600, "192.0.2.1")], vec![rec(3600, "192.0.2.2")]);
        let l = lower_first(&p, 60).expect("something to lower");
        assert_eq!(l.wait_seconds, 3600);
        match &l.first.steps[0].op {
            Op::RecordSet { delete, create, .. } => {
                assert_eq!(delete, &[rec(3600, "192.0.2.1")]);
                assert_eq!(create, &[rec(60, "192.0.2.1")]);
            }
            other => panic!("{other:?}"),
        }
        match &l.then.steps[0].op {
            Op::RecordSet { delete, create, .. } => {
                assert_eq!(delete, &[rec(60, "192.0.2.1")]);
                assert_eq!(create, &[rec(3600, "192.0.2.2")]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn short_ttls_and_new_records_need_no_lowering() {
        assert!(lower_first(&plan(vec![rec(30, "x")], vec![rec(30, "y")]), 60).is_none());
        assert!(lower_first(&plan(vec![], vec![rec(3600, "y")]), 60).is_none());
    }
}
