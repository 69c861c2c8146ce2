//! Typing an entry so that every problem serde finds is reported, not
//! only the first.
//!
//! serde stops at the first unknown key or wrong value. After each error
//! the untyped value is repaired where the error is (an unknown key is
//! dropped; a wrong or missing value is replaced by the first stand-in
//! that the typed structs accept there) and typed again, until it types or
//! no repair helps. An entry with problems stays untyped, so stand-ins
//! never reach a loaded spec or AWS; the repaired entry is only validated
//! to report its other problems in the same run, and what a stand-in could
//! explain is dropped (see `super::repaired`).

use serde_yaml::{Mapping, Value};

use super::params::Seg;
use super::parse::{Fault, FaultKind};

/// At most this many problems are collected from one entry.
pub const MAX_PROBLEMS: usize = 64;

/// Values tried in place of a wrong one, in order: `null` leaves an
/// optional key out; the others stand in for a required key of each type.
fn stand_ins() -> [Value; 6] {
    [
        Value::Null,
        Value::String(String::new()),
        Value::Number(0.into()),
        Value::Bool(false),
        Value::Mapping(Mapping::new()),
        Value::Sequence(Vec::new()),
    ]
}

/// Repair `value` where `fault` is, so that typing can go on past it.
/// `fails_within(value, at)` types `value` and says whether it still fails
/// at `at` or inside it. False when nothing helps (then stop).
pub fn repair(
    value: &mut Value,
    fault: &Fault,
    fails_within: impl Fn(&Value, &[Seg]) -> bool,
) -> bool {
    let Some(at) = &fault.at else { return false };
    match &fault.kind {
        FaultKind::Unknown(key) => match locate(value, at) {
            Some(Value::Mapping(m)) => m.shift_remove(key.as_str()).is_some(),
            _ => false,
        },
        FaultKind::Missing(key) => {
            let mut target = at.clone();
            target.push(Seg::Key(Value::String(key.clone())));
            match locate(value, at) {
                Some(Value::Mapping(m)) => {
                    m.insert(Value::String(key.clone()), Value::Null);
                }
                _ => return false,
            }
            replace(value, &target, fails_within)
        }
        FaultKind::Wrong => replace(value, at, fails_within),
    }
}

/// Put the first stand-in that no longer fails at `at` there.
fn replace(value: &mut Value, at: &[Seg], fails_within: impl Fn(&Value, &[Seg]) -> bool) -> bool {
    for candidate in stand_ins() {
        match locate(value, at) {
            Some(slot) => *slot = candidate,
            None => return false,
        }
        if !fails_within(value, at) {
            return true;
        }
    }
    false
}

/// The value at `at` inside `value`.
pub fn locate<'v>(value: &'v mut Value, at: &[Seg]) -> Option<&'v mut Value> {
    let Some((first, rest)) = at.split_first() else {
        return Some(value);
    };
    // serde's paths do not step through tags; parameter places do.
    let (inner, rest) = match (first, value) {
        (Seg::Tagged, Value::Tagged(t)) => (&mut t.value, rest),
        (_, Value::Tagged(t)) => (&mut t.value, at),
        (Seg::Key(k), Value::Mapping(m)) => (m.get_mut(k)?, rest),
        (Seg::Index(i), Value::Sequence(s)) => (s.get_mut(*i)?, rest),
        _ => return None,
    };
    locate(inner, rest)
}

/// `path` is `outer` or inside it.
pub fn within(path: &[Seg], outer: &[Seg]) -> bool {
    path.starts_with(outer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(Value::String(k.into()))
    }

    #[test]
    fn unknown_keys_are_dropped_and_wrong_values_replaced() {
        let mut v: Value = serde_yaml::from_str("a: { x: 1, y: two }").unwrap();
        let unknown = Fault {
            at: Some(vec![key("a")]),
            kind: FaultKind::Unknown("x".into()),
        };
        assert!(repair(&mut v, &unknown, |_, _| true));
        assert_eq!(v, serde_yaml::from_str::<Value>("a: { y: two }").unwrap());

        // Only a number is accepted at `a.y`: four stand-ins are tried.
        let wrong = Fault {
            at: Some(vec![key("a"), key("y")]),
            kind: FaultKind::Wrong,
        };
        let ok = |v: &Value, at: &[Seg]| {
            let mut v = v.clone();
            !locate(&mut v, at).is_some_and(|s| s.is_number())
        };
        assert!(repair(&mut v, &wrong, ok));
        assert_eq!(v, serde_yaml::from_str::<Value>("a: { y: 0 }").unwrap());

        // Nothing helps: stop.
        assert!(!repair(&mut v, &wrong, |_, _| true));
        let nowhere = Fault {
            at: None,
            kind: FaultKind::Wrong,
        };
        assert!(!repair(&mut v, &nowhere, |_, _| false));
    }
}
