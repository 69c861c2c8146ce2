//! Ordering record set steps and packing them into change batches within
//! Route 53's limits. Pure: no API calls, no SDK types.
//!
//! Limits per ChangeResourceRecordSets request: 1,000 ResourceRecord values
//! (UPSERT counts twice; lbctl sends DELETE + CREATE, each counted once;
//! an alias counts as one) and 32,000 characters of values. A step's
//! changes always go in one batch, so each (name, type) switches
//! atomically.

use std::ops::Range;

use crate::model::dns::{AliasTarget, Record, RecordKey};

/// ResourceRecord values per request.
pub(crate) const MAX_VALUES: usize = 1_000;
/// Characters of values per request.
pub(crate) const MAX_CHARS: usize = 32_000;

/// What a group of changes counts against the limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Size {
    pub(crate) values: usize,
    pub(crate) chars: usize,
}

impl Size {
    fn add(self, other: Size) -> Size {
        Size {
            values: self.values + other.values,
            chars: self.chars + other.chars,
        }
    }

    fn fits(self) -> bool {
        self.values <= MAX_VALUES && self.chars <= MAX_CHARS
    }
}

/// The size of one DELETE or CREATE of `record`.
pub(crate) fn record_size(record: &Record) -> Size {
    if record.alias.is_some() {
        // An alias has no Value elements; AWS counts it as one record.
        return Size {
            values: 1,
            chars: 0,
        };
    }
    Size {
        values: record.values.len(),
        chars: record.values.iter().map(|v| v.chars().count()).sum(),
    }
}

/// The size of a step that deletes `delete` and creates `create`.
pub(crate) fn step_size(delete: &[Record], create: &[Record]) -> Size {
    delete
        .iter()
        .chain(create)
        .map(record_size)
        .fold(Size::default(), Size::add)
}

/// Where a step goes in a zone's changes: alias removals first (an alias
/// must go before the record it points at), plain records next, steps
/// creating aliases last (after the records they may point at). Steps of
/// one rank keep plan order.
pub(crate) fn rank(delete: &[Record], create: &[Record]) -> u8 {
    if create.iter().any(|r| r.alias.is_some()) {
        2
    } else if delete.iter().any(|r| r.alias.is_some()) {
        0
    } else {
        1
    }
}

/// The order of a zone's record set steps, given each step's (key,
/// deletes, creates): by [`rank`], then along alias chains to records of
/// the zone (`alias: { record }`): an alias is created after the alias it
/// points at, and deleted before the alias that points at it. Returns
/// indexes into `steps`; ties keep plan order.
pub(crate) fn order(steps: &[(&RecordKey, &[Record], &[Record])]) -> Vec<usize> {
    let targets = |records: &[Record], rtype: &str| -> Vec<usize> {
        records
            .iter()
            .filter_map(|r| match &r.alias.as_ref()?.target {
                AliasTarget::Target { dns_name, .. } => Some(dns_name.clone()),
                AliasTarget::LoadBalancer(_) => None,
            })
            .filter_map(|name| {
                steps
                    .iter()
                    .position(|(k, _, _)| k.name == name && k.rtype == rtype)
            })
            .collect()
    };
    // Edges to the steps whose records this step's aliases point at.
    let created: Vec<Vec<usize>> = steps.iter().map(|(k, _, c)| targets(c, &k.rtype)).collect();
    let deleted: Vec<Vec<usize>> = steps.iter().map(|(k, d, _)| targets(d, &k.rtype)).collect();
    // How many aliases deep a step's new records are (targets first).
    let depth = |i: usize| chain_len(i, &created, &mut vec![false; steps.len()]);
    // How many aliases point at what a step deletes, through other deleted
    // aliases (referrers first).
    let mut referrers: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (r, ts) in deleted.iter().enumerate() {
        for &t in ts {
            referrers[t].push(r);
        }
    }
    let pointed_at = |i: usize| chain_len(i, &referrers, &mut vec![false; steps.len()]);
    let mut idx: Vec<usize> = (0..steps.len()).collect();
    idx.sort_by_key(|&i| {
        let (_, d, c) = steps[i];
        match rank(d, c) {
            0 => (0, pointed_at(i)),
            r => (r, depth(i)),
        }
    });
    idx
}

/// The longest path from `i` along `edges` (0 with none); a cycle, which
/// validation refuses, is cut.
fn chain_len(i: usize, edges: &[Vec<usize>], visiting: &mut [bool]) -> usize {
    if visiting[i] {
        return 0;
    }
    visiting[i] = true;
    let n = edges[i]
        .iter()
        .filter(|j| **j != i)
        .map(|&j| 1 + chain_len(j, edges, visiting))
        .max()
        .unwrap_or(0);
    visiting[i] = false;
    n
}

/// Packs steps of the given sizes, in order, into as few batches as the
/// limits allow without splitting or reordering steps. `Err(i)` when step
/// `i` alone is over the limits.
pub(crate) fn pack(sizes: &[Size]) -> Result<Vec<Range<usize>>, usize> {
    let mut batches = Vec::new();
    let mut start = 0;
    let mut total = Size::default();
    for (i, &size) in sizes.iter().enumerate() {
        if !size.fits() {
            return Err(i);
        }
        let with = total.add(size);
        if with.fits() {
            total = with;
        } else {
            batches.push(start..i);
            start = i;
            total = size;
        }
    }
    if start < sizes.len() {
        batches.push(start..sizes.len());
    }
    Ok(batches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dns::{Alias, AliasTarget, Routing};

    fn record(values: &[&str]) -> Record {
        Record {
            set_identifier: None,
            routing: Routing::Simple,
            ttl: Some(60),
            values: values.iter().map(|v| v.to_string()).collect(),
            alias: None,
            health_check: None,
        }
    }

    fn alias() -> Record {
        Record {
            ttl: None,
            values: vec![],
            alias: Some(Alias {
                target: AliasTarget::LoadBalancer("web".into()),
                evaluate_target_health: false,
            }),
            ..record(&[])
        }
    }

    fn size(values: usize, chars: usize) -> Size {
        Size { values, chars }
    }

    fn to_record(name: &str) -> Record {
        Record {
            alias: Some(Alias {
                target: AliasTarget::Target {
                    dns_name: format!("{name}.example.com."),
                    hosted_zone_id: "Z1".into(),
                },
                evaluate_target_health: true,
            }),
            ..alias()
        }
    }

    fn key(name: &str) -> RecordKey {
        RecordKey {
            name: format!("{name}.example.com."),
            rtype: "A".into(),
        }
    }

    #[test]
    fn alias_chains_are_created_targets_first_and_deleted_referrers_first() {
        // top -> mid -> leaf, listed in the wrong order.
        let (top, mid, leaf) = (key("top"), key("mid"), key("leaf"));
        let (to_mid, to_leaf, plain) = (
            vec![to_record("mid")],
            vec![to_record("leaf")],
            vec![record(&["192.0.2.1"])],
        );
        let none: Vec<Record> = vec![];
        let create = [
            (&top, none.as_slice(), to_mid.as_slice()),
            (&mid, none.as_slice(), to_leaf.as_slice()),
            (&leaf, none.as_slice(), plain.as_slice()),
        ];
        assert_eq!(order(&create), [2, 1, 0]);
        let delete = [
            (&leaf, plain.as_slice(), none.as_slice()),
            (&mid, to_leaf.as_slice(), none.as_slice()),
            (&top, to_mid.as_slice(), none.as_slice()),
        ];
        assert_eq!(order(&delete), [2, 1, 0]);
    }

    #[test]
    fn sizes_count_each_value_of_each_change() {
        let old = record(&["192.0.2.1", "192.0.2.2"]);
        let new = record(&["192.0.2.3"]);
        assert_eq!(step_size(&[old], std::slice::from_ref(&new)), size(3, 27));
        assert_eq!(step_size(&[], &[alias(), new]), size(2, 9));
    }

    #[test]
    fn aliases_are_created_last_and_removed_first() {
        let plain = [record(&["x"])];
        let aliased = [alias()];
        assert_eq!(rank(&[], &aliased), 2);
        assert_eq!(rank(&aliased, &aliased), 2);
        assert_eq!(rank(&aliased, &plain), 0);
        assert_eq!(rank(&aliased, &[]), 0);
        assert_eq!(rank(&plain, &plain), 1);
    }

    #[test]
    fn packing_fills_batches_in_order_without_splitting_steps() {
        assert_eq!(pack(&[]), Ok(vec![]));
        assert_eq!(
            pack(&[size(600, 10), size(400, 10), size(1, 1)]),
            Ok(vec![0..2, 2..3])
        );
        assert_eq!(
            pack(&[size(1, 20_000), size(1, 12_000), size(1, 1)]),
            Ok(vec![0..2, 2..3])
        );
        assert_eq!(
            pack(&[size(999, 1), size(2, 1), size(998, 1)]),
            Ok(vec![0..1, 1..3])
        );
    }

    #[test]
    fn a_step_over_the_limits_is_an_error() {
        assert_eq!(pack(&[size(1, 1), size(1_001, 1)]), Err(1));
        assert_eq!(pack(&[size(1, 32_001)]), Err(0));
    }
}
