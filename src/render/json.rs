//! The JSON plan: one object, documented in `docs/plan-json.md`.

use serde_json::{json, Value};

use crate::plan::Plan;

/// The plan as the JSON object of the command-line contract, secrets
/// masked.
pub fn plan(plan: &Plan) -> Value {
    let plan = super::redact::plan(plan);
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .map(|s| {
            let mut v = json!({
                "action": s.action,
                "kind": s.kind,
                "name": s.name,
                "changes": s.changes,
            });
            if !s.notes.is_empty() {
                v["notes"] = json!(s.notes);
            }
            if !s.health_wait().is_empty() {
                v["health_wait"] = json!(s.health_wait());
            }
            v
        })
        .collect();
    let mut out = json!({
        "format_version": plan.format_version,
        "stack": plan.stack,
        "steps": steps,
        "summary": plan.summary(),
        "conflicts": plan.conflicts,
        "warnings": plan.warnings,
        "unmanaged": plan.unmanaged,
    });
    crate::secrets::scrub_json(&mut out);
    out
}
