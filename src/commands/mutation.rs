//! Changes made outside of plan/apply (`targets register`, `targets
//! deregister`, each step of `shift`) are plans too: the command builds a
//! [`Plan`] and runs it with the one executor ([`crate::apply::run`]), so it
//! gets the executor's [`Report`], its Ctrl-C handling (no new step starts,
//! the one in flight finishes, exit 3) and a JSON form whose `plan` is
//! shaped like `lbctl plan --output json`.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{json, Value};

use crate::apply::{self, Progress, Report};
use crate::aws::{Aws, AwsError, Index};
use crate::error::Error;
use crate::plan::{Plan, Step, FORMAT_VERSION};

/// A plan of these steps, for no stack (these commands name resources
/// directly).
pub(super) fn plan(steps: Vec<Step>) -> Plan {
    Plan {
        format_version: FORMAT_VERSION,
        steps,
        ..Plan::default()
    }
}

/// Runs `plan` with the executor: ARNs looked up by name as the steps run,
/// Route 53 changes awaited until `INSYNC`, no progress lines (the command
/// says what it did).
pub(super) async fn execute(aws: &Aws, plan: &Plan) -> Report {
    let index = Index::default();
    let options = apply::Options {
        dns_wait: true,
        health_timeout: Duration::ZERO,
    };
    apply::run(aws, &index, plan, options, &Silent).await
}

/// `{"plan": <plan JSON>, "report": <report>}`, secrets masked.
pub(super) fn document(plan: &Plan, report: &Report) -> Value {
    json!({ "plan": crate::render::json::plan(plan), "report": report_json(report) })
}

/// The executor's report as JSON (`done`, `failed`, `not_started`,
/// `interrupted`, `succeeded`), secrets masked.
pub(super) fn report_json(report: &Report) -> Value {
    let failed: Vec<Value> = report
        .failed
        .iter()
        .map(|(step, error)| json!({ "step": step, "error": error }))
        .collect();
    let mut v = json!({
        "succeeded": report.succeeded(),
        "done": report.done,
        "failed": failed,
        "not_started": report.not_started,
        "interrupted": report.interrupted,
    });
    crate::secrets::scrub_json(&mut v);
    v
}

/// Prints one JSON document on stdout.
pub(super) fn print_json(v: &Value) -> Result<(), Error> {
    crate::output::print_lenient(&format!("{v:#}\n"))
}

/// The report as text, for a run that did not succeed; `hint` says how to
/// go on.
pub(super) fn report_text(report: &Report, hint: &str) -> String {
    let mut out = String::new();
    let head = if report.interrupted {
        "interrupted (Ctrl-C)"
    } else {
        "stopped"
    };
    let _ = writeln!(out, "{head}:");
    let _ = writeln!(out, "  done ({}):", report.done.len());
    for d in &report.done {
        let _ = writeln!(out, "    {d}");
    }
    let _ = writeln!(out, "  failed ({}):", report.failed.len());
    for (d, e) in &report.failed {
        let _ = writeln!(out, "    {d}: {e}");
    }
    let _ = writeln!(out, "  not started ({}):", report.not_started.len());
    for d in &report.not_started {
        let _ = writeln!(out, "    {d}");
    }
    let _ = writeln!(out, "hint: {hint}");
    crate::secrets::scrub(&out).into_owned()
}

/// The error of a run that did not succeed: exit 3 ([`Error::Partial`])
/// when it was interrupted or did part of its work; a failure before
/// anything changed is a plain error (exit 1), as an AWS error was before
/// these commands ran through the executor.
pub(super) fn failure(report: Report) -> Error {
    if report.interrupted || !report.done.is_empty() || report.failed.is_empty() {
        return Error::Partial(report);
    }
    let reasons: Vec<String> = report
        .failed
        .iter()
        .map(|(step, error)| format!("{step}: {error}"))
        .collect();
    Error::Other(format!("{}; nothing was changed", reasons.join("; ")))
}

/// No progress lines: the commands print their own.
struct Silent;

impl Progress for Silent {
    fn started(&self, _: &Step) {}
    fn finished(&self, _: &Step, _: &Result<(), AwsError>) {}
    fn waiting(&self, _: &Step, _: &str, _: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_before_any_change_is_exit_1_an_interruption_exit_3() {
        let failed = Report {
            failed: vec![("update targets web".into(), "boom".into())],
            ..Report::default()
        };
        let e = failure(failed);
        assert_eq!(e.exit_status(), crate::error::ExitStatus::Failure);
        assert!(e.to_string().contains("nothing was changed"), "{e}");
        let interrupted = Report {
            done: vec!["update listener shop:443".into()],
            interrupted: true,
            ..Report::default()
        };
        let v = report_json(&interrupted);
        assert_eq!(v["interrupted"], true);
        assert_eq!(v["succeeded"], false);
        let text = report_text(&interrupted, "run it again");
        assert!(text.contains("interrupted (Ctrl-C)") && text.contains("hint: run it again"));
        assert_eq!(
            failure(interrupted).exit_status(),
            crate::error::ExitStatus::Partial
        );
    }

    #[test]
    fn a_weight_step_renders_like_other_plans() {
        use crate::plan::{Change, Kind, Op, StepAction};
        let step = Step {
            action: StepAction::Update,
            kind: Kind::Listener,
            name: "shop:443".into(),
            changes: vec![Change::new(
                "default_action.forward.target_groups.shop-blue.weight",
                90,
                50,
            )],
            notes: Vec::new(),
            op: Op::SetForwardWeights {
                load_balancer: "shop".into(),
                port: 443,
                rule: None,
                weights: vec![("shop-blue".into(), 50), ("shop-green".into(), 50)],
            },
        };
        let plan = plan(vec![step]);
        let text = crate::render::text::plan(&plan, crate::render::text::Styling { color: false });
        assert!(text.contains("~ listener shop:443"), "{text}");
        assert!(
            text.contains("default_action.forward.target_groups.shop-blue.weight: 90 -> 50"),
            "{text}"
        );
        let doc = document(&plan, &Report::default());
        assert_eq!(doc["plan"]["steps"][0]["kind"], "listener");
        assert_eq!(doc["plan"]["summary"]["update"], 1);
        // A weight step waits on nothing and runs with the rules.
        assert_eq!(plan.steps[0].phase(), 4);
    }
}
