//! What `lbctl shift --output json` prints: one document with, per step,
//! its outcome (skipped, gate result, the plan that ran and the executor's
//! report), a roll-back if there was one, and the final weights. Weights
//! from SecureString parameters are masked, as in text.

use serde_json::{json, Value};

use crate::apply::Report;
use crate::plan::Plan;

use super::super::mutation;
use super::gate::Failed;
use super::steps::Weights;
use super::target::shown;

/// The document, built as the shift goes.
pub(super) struct Log {
    target: String,
    to: String,
    start: Value,
    steps: Vec<Value>,
    roll_back: Option<Value>,
}

impl Log {
    pub(super) fn new(target: &str, to: &str, start: &Weights) -> Log {
        Log {
            target: target.to_string(),
            to: to.to_string(),
            start: weights(start),
            steps: Vec::new(),
            roll_back: None,
        }
    }

    /// Step `n` (`share` percent) had nothing to do.
    pub(super) fn skipped(&mut self, n: usize, share: u32) {
        self.steps
            .push(json!({ "step": n, "share": share, "outcome": "skipped" }));
    }

    /// A gate failed before step `n`: nothing ran for it.
    pub(super) fn gate_failed(&mut self, n: usize, share: u32, failed: &Failed) {
        self.steps.push(json!({
            "step": n,
            "share": share,
            "outcome": "gate_failed",
            "gates": { "passed": [], "failed": { "gate": failed.gate, "why": failed.why } },
        }));
    }

    /// Step `n` ran `plan` after the gates in `passed`.
    pub(super) fn ran(
        &mut self,
        n: usize,
        share: u32,
        passed: &[String],
        plan: &Plan,
        report: &Report,
    ) {
        let outcome = if report.succeeded() {
            "done"
        } else if report.interrupted {
            "interrupted"
        } else {
            "failed"
        };
        let mut v = mutation::document(plan, report);
        v["step"] = json!(n);
        v["share"] = json!(share);
        v["outcome"] = json!(outcome);
        v["gates"] = json!({ "passed": passed });
        self.steps.push(v);
    }

    /// The starting weights were put back by `plan`.
    pub(super) fn rolled_back(&mut self, plan: &Plan, report: &Report) {
        self.roll_back = Some(mutation::document(plan, report));
    }

    /// The whole document; `last` are the live weights at the end.
    pub(super) fn finish(self, last: &Weights, interrupted: bool) -> Value {
        let mut v = json!({
            "target": self.target,
            "to": self.to,
            "start": self.start,
            "steps": self.steps,
            "final": { "weights": weights(last) },
            "interrupted": interrupted,
        });
        if let Some(r) = self.roll_back {
            v["roll_back"] = r;
        }
        crate::secrets::scrub_json(&mut v);
        v
    }
}

/// `[{"name": "blue", "weight": 90}, ...]`, secret weights masked.
fn weights(ws: &Weights) -> Value {
    Value::Array(
        ws.iter()
            .map(|(n, w)| json!({ "name": n, "weight": shown(*w) }))
            .collect(),
    )
}
