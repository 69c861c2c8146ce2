//! CIDR collections: each collection of `cidr_collections:` made to hold
//! exactly the spec's locations and blocks. Blocks to add go in one step
//! that runs before the record sets (creating the collection when it does
//! not exist), blocks to take away in one that runs after them, so a
//! location is never removed while a record still routes to it.
//!
//! Collections the spec does not list are left alone: Route 53 cannot tag
//! a CIDR collection, so lbctl cannot tell which ones a stack made.

use std::collections::BTreeSet;

use crate::model::dns::{CidrCollection, Dns};
use crate::plan::{Change, Kind, Op, Plan, StepAction};

use super::step;

/// (location, blocks), sorted.
type Blocks = Vec<(String, Vec<String>)>;

pub(super) fn collections(desired: &Dns, live: &Dns, plan: &mut Plan) {
    let empty = CidrCollection::default();
    for (name, want) in &desired.cidr_collections {
        let have = live.cidr_collections.get(name);
        let h = have.unwrap_or(&empty);
        let put = difference(want, h);
        let remove = difference(h, want);
        let version = have.and_then(|c| c.version);
        if have.is_none() || !put.is_empty() {
            let action = if have.is_none() {
                StepAction::Create
            } else {
                StepAction::Update
            };
            let changes = shown(h, &put, true);
            let op = Op::CidrCollection {
                name: name.clone(),
                put,
                remove: vec![],
                version,
            };
            plan.steps
                .push(step(action, Kind::CidrCollection, name, changes, op));
        }
        if !remove.is_empty() {
            let added = plan.steps.iter().any(|s| {
                matches!(&s.op, Op::CidrCollection { name: n, remove, .. } if n == name && remove.is_empty())
            });
            let changes = shown(h, &remove, false);
            let op = Op::CidrCollection {
                name: name.clone(),
                put: vec![],
                remove,
                // The step adding blocks changed the version already.
                version: if added { None } else { version },
            };
            let mut s = step(StepAction::Update, Kind::CidrCollection, name, changes, op);
            s.notes.push(
                "blocks are removed after the record sets are changed, so no record routes to a \
                 location that is gone"
                    .into(),
            );
            plan.steps.push(s);
        }
    }
}

/// Blocks of `a` not in `b`, by location.
fn difference(a: &CidrCollection, b: &CidrCollection) -> Blocks {
    a.locations
        .iter()
        .filter_map(|(loc, blocks)| {
            let other = b.locations.get(loc);
            let extra: Vec<String> = blocks
                .iter()
                .filter(|bl| other.is_none_or(|o| !o.contains(*bl)))
                .cloned()
                .collect();
            (!extra.is_empty()).then(|| (loc.clone(), extra))
        })
        .collect()
}

/// Each changed location's blocks before and after.
fn shown(have: &CidrCollection, changed: &Blocks, adding: bool) -> Vec<Change> {
    changed
        .iter()
        .map(|(loc, blocks)| {
            let before: BTreeSet<String> = have.locations.get(loc).cloned().unwrap_or_default();
            let mut after = before.clone();
            for b in blocks {
                if adding {
                    after.insert(b.clone());
                } else {
                    after.remove(b);
                }
            }
            let show = |s: &BTreeSet<String>| {
                (!s.is_empty()).then(|| s.iter().cloned().collect::<Vec<_>>())
            };
            Change::new(format!("locations.{loc}"), show(&before), show(&after))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(locations: &[(&str, &[&str])], version: Option<i64>) -> CidrCollection {
        CidrCollection {
            id: version.map(|_| "c-1".into()),
            version,
            locations: locations
                .iter()
                .map(|(l, bs)| (l.to_string(), bs.iter().map(|b| b.to_string()).collect()))
                .collect(),
        }
    }

    fn plan_for(want: CidrCollection, have: Option<CidrCollection>) -> Plan {
        let mut desired = Dns::default();
        desired.cidr_collections.insert("corp".into(), want);
        let mut live = Dns::default();
        if let Some(h) = have {
            live.cidr_collections.insert("corp".into(), h);
        }
        let mut plan = Plan::default();
        collections(&desired, &live, &mut plan);
        plan
    }

    #[test]
    fn a_new_collection_is_created_with_every_location() {
        let p = plan_for(
            collection(&[("hq", &["10.1.0.0/16"]), ("lab", &["10.9.0.0/16"])], None),
            None,
        );
        assert_eq!(p.steps.len(), 1);
        assert_eq!(p.steps[0].action, StepAction::Create);
        let Op::CidrCollection {
            put,
            remove,
            version,
            ..
        } = &p.steps[0].op
        else {
            panic!("{:?}", p.steps[0].op)
        };
        assert_eq!(put.len(), 2);
        assert!(remove.is_empty() && version.is_none());
    }

    #[test]
    fn blocks_are_added_before_and_removed_after_with_the_read_version_first() {
        let want = collection(&[("hq", &["10.1.0.0/16", "10.2.0.0/16"])], None);
        let have = collection(
            &[("hq", &["10.1.0.0/16"]), ("old", &["10.8.0.0/16"])],
            Some(4),
        );
        let p = plan_for(want, Some(have));
        let ops: Vec<_> = p.steps.iter().map(|s| (&s.op, s.phase())).collect();
        assert_eq!(ops.len(), 2);
        assert!(
            matches!(ops[0].0, Op::CidrCollection { put, version: Some(4), .. }
            if put == &[("hq".to_string(), vec!["10.2.0.0/16".to_string()])])
        );
        assert!(
            matches!(ops[1].0, Op::CidrCollection { remove, version: None, .. }
            if remove == &[("old".to_string(), vec!["10.8.0.0/16".to_string()])])
        );
        // Around the record sets (rank 6).
        assert!(ops[0].1 < 6 && ops[1].1 > 6);
        let same = plan_for(
            collection(&[("hq", &["10.1.0.0/16"])], None),
            Some(collection(&[("hq", &["10.1.0.0/16"])], Some(2))),
        );
        assert!(same.steps.is_empty());
    }
}
