//! Ordering record set steps and packing them into change batches within
//! Route 53's limits. Pure: no API calls, no SDK types.
//!
//! Limits per ChangeResourceRecordSets request: 1,000 ResourceRecord values
//! (UPSERT counts twice; lbctl sends DELETE + CREATE, each counted once;
//! an alias counts as one) and 32,000 characters of values. A step's
//! changes always go in one batch, so each (name, type) switches
//! atomically.

use std::ops::Range;

use crate::model::dns::Record;

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
