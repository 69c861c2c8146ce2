//! Secrets out of plans before they are rendered (see `crate::secrets`).
//!
//! Every string of a plan that is shown (step names, changes, notes,
//! warnings, conflicts) is scrubbed. Where a change's new value holds a
//! secret, the old value at the same place is masked whole as well: it is
//! most likely the previous secret (rotated), which was never registered.
//! Values text search cannot find (numbers, short values) are masked by
//! place (`places`). The executor's operations (`Step::op`) are left
//! alone: they are what AWS must receive.

use std::borrow::Cow;

use serde_json::Value;

use crate::plan::{Change, Plan};
use crate::secrets::{self, MASK};

/// The plan with secrets masked; borrowed when no secret is registered.
pub fn plan(plan: &Plan) -> Cow<'_, Plan> {
    if secrets::nothing_to_hide() {
        return Cow::Borrowed(plan);
    }
    let mut p = plan.clone();
    p.stack = secrets::scrub(&p.stack).into_owned();
    for step in &mut p.steps {
        step.name = secrets::scrub(&step.name).into_owned();
        step.changes.iter_mut().for_each(change);
        for n in &mut step.notes {
            *n = secrets::scrub(n).into_owned();
        }
    }
    for w in &mut p.warnings {
        *w = secrets::scrub(w).into_owned();
    }
    for c in &mut p.conflicts {
        c.name = secrets::scrub(&c.name).into_owned();
    }
    super::places::mask(&mut p, &secrets::places());
    Cow::Owned(p)
}

fn change(c: &mut Change) {
    let after = c.after.clone();
    secrets::scrub_json(&mut c.after);
    if c.after != after {
        mask_alongside(&mut c.before, &after, &c.after);
    }
    secrets::scrub_json(&mut c.before);
}

/// Mask the strings of `before` that stand where `after` had a secret
/// (`after` as it was, `masked` as it is now).
fn mask_alongside(before: &mut Value, after: &Value, masked: &Value) {
    match (before, after, masked) {
        (Value::Object(b), Value::Object(a), Value::Object(m)) => {
            for (k, v) in b.iter_mut() {
                if let (Some(a), Some(m)) = (a.get(k), m.get(k)) {
                    mask_alongside(v, a, m);
                }
            }
        }
        (Value::Array(b), Value::Array(a), Value::Array(m)) => {
            for ((v, a), m) in b.iter_mut().zip(a).zip(m) {
                mask_alongside(v, a, m);
            }
        }
        (b @ Value::String(_), a, m) if a != m && b != a => *b = Value::String(MASK.into()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rotated_secret_hides_the_old_value_too() {
        secrets::register(["n3w-redact-secret"]);
        let mut c = Change {
            path: "default_action".into(),
            before: json!({ "fixed_response": { "body": "old-value", "status": 200 } }),
            after: json!({ "fixed_response": { "body": "n3w-redact-secret", "status": 200 } }),
        };
        change(&mut c);
        assert_eq!(c.after["fixed_response"]["body"], json!(MASK));
        assert_eq!(c.before["fixed_response"]["body"], json!(MASK));
        assert_eq!(c.before["fixed_response"]["status"], json!(200));

        let mut c = Change {
            path: "tags.team".into(),
            before: json!("web"),
            after: json!("ops"),
        };
        change(&mut c);
        assert_eq!((c.before, c.after), (json!("web"), json!("ops")));
    }
}
