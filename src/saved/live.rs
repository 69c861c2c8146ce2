//! Live record set members that may hold a SecureString value, kept out of
//! a saved plan.
//!
//! A record set operation deletes live members as Route 53 holds them, so
//! it carries their values. Where the spec takes a value of that record set
//! from a SecureString, the live value it replaces is most likely the
//! previous secret (rotated); where a live value equals a declared
//! SecureString, it most likely is that secret, no longer used. Neither is
//! registered as a secret, so neither is found by text. Such members are
//! written as their set identifier and [`LIVE`] alone, and `apply PLAN`
//! puts back the member it reads live again: the fingerprints of the
//! plan's record sets prove that it is still the one that was planned.

use serde_json::{json, Value};

use crate::model::dns::RecordKey;
use crate::model::Model;
use crate::secrets::{as_text, is_declared};

/// What stands in the file for a live member left out.
pub(super) const LIVE: &str = "(sensitive: read again at apply)";

/// In the operation of a record set step, replace the members it deletes
/// by their identity: all of them when `secret_here` (the spec puts a
/// SecureString in this record set), else those with a value equal to a
/// declared SecureString.
pub(super) fn hide(op: &mut Value, secret_here: bool) {
    if op.get("op").and_then(Value::as_str) != Some("record_set") {
        return;
    }
    let Some(delete) = op.get_mut("delete").and_then(Value::as_array_mut) else {
        return;
    };
    for member in delete {
        if secret_here || holds_declared(member) {
            let id = member.get("set_identifier").cloned().unwrap_or(Value::Null);
            *member = json!({ "set_identifier": id, "live": LIVE });
        }
    }
}

/// Whether any scalar in `v` is the value of a declared SecureString.
fn holds_declared(v: &Value) -> bool {
    match v {
        Value::Object(map) => map.values().any(holds_declared),
        Value::Array(items) => items.iter().any(holds_declared),
        other => as_text(other).is_some_and(|t| is_declared(&t)),
    }
}

/// Put back, in the operation `op`, each member left out by [`hide`]: the
/// live member of the same record set and set identifier. `Err` names the
/// record set when live state has no such member.
pub(super) fn reveal(op: &mut Value, live: &Model) -> Result<(), String> {
    if op.get("op").and_then(Value::as_str) != Some("record_set") {
        return Ok(());
    }
    let zone = op["zone"].as_str().unwrap_or_default().to_string();
    let key: Option<RecordKey> = serde_json::from_value(op["key"].clone()).ok();
    let Some(delete) = op.get_mut("delete").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for member in delete.iter_mut().filter(|m| is_hidden(m)) {
        let id = member.get("set_identifier").and_then(Value::as_str);
        let found = key.as_ref().and_then(|k| {
            let zone = live
                .dns
                .zones
                .get(&zone)
                .or_else(|| live.dns.zones.values().find(|z| z.name == zone))?;
            let set = zone.record_sets.get(k)?;
            set.members
                .iter()
                .find(|r| r.set_identifier.as_deref() == id)
        });
        match found {
            Some(record) => *member = serde_json::to_value(record).expect("a record serialises"),
            None => {
                let name = key.as_ref().map(|k| k.to_string()).unwrap_or_default();
                return Err(format!("`{name}` (member `{}`)", id.unwrap_or("record")));
            }
        }
    }
    Ok(())
}

fn is_hidden(member: &Value) -> bool {
    member.get("live").and_then(Value::as_str) == Some(LIVE)
}
