//! How a plan shows aliases to records of the same zone: as the spec
//! writes them, `alias: { record: NAME }`, instead of the zone's own hosted
//! zone ID (which tells a reader nothing and differs between accounts).
//! Pure rewriting of the shown changes; the steps' operations are untouched.

use serde_json::{json, Value};

use crate::plan::{Kind, Step};

/// Rewrites the aliases shown in the record set steps of one zone whose
/// target is a record of that zone (`zone_id`, a name inside `zone`).
pub(super) fn show_record_aliases(steps: &mut [Step], zone: &str, zone_id: Option<&str>) {
    let Some(zone_id) = zone_id else { return };
    for s in steps.iter_mut().filter(|s| s.kind == Kind::RecordSet) {
        for c in &mut s.changes {
            for side in [&mut c.before, &mut c.after] {
                if let Some(alias) = side.get_mut("alias") {
                    rewrite(alias, zone, zone_id);
                }
            }
        }
    }
}

fn rewrite(alias: &mut Value, zone: &str, zone_id: &str) {
    let (Some(name), Some(id)) = (
        alias.get("dns_name").and_then(Value::as_str),
        alias.get("hosted_zone_id").and_then(Value::as_str),
    ) else {
        return;
    };
    let inside = name == zone || name.ends_with(&format!(".{zone}"));
    if !inside || id.trim_start_matches("/hostedzone/") != zone_id {
        return;
    }
    let health = alias
        .get("evaluate_target_health")
        .cloned()
        .unwrap_or(json!(false));
    *alias = json!({ "record": name, "evaluate_target_health": health });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_to_the_zones_own_records_show_as_records() {
        let mut a = json!({ "dns_name": "www.example.com.", "hosted_zone_id": "Z1", "evaluate_target_health": true });
        rewrite(&mut a, "example.com.", "Z1");
        assert_eq!(
            a,
            json!({ "record": "www.example.com.", "evaluate_target_health": true })
        );
        let mut other = json!({ "dns_name": "www.example.com.", "hosted_zone_id": "Z2", "evaluate_target_health": false });
        let before = other.clone();
        rewrite(&mut other, "example.com.", "Z1");
        assert_eq!(other, before);
    }
}
