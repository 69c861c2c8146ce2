//! The plan as text a person can review in seconds: one block per resource
//! (`+` create, `~` update, `-/+` replace, `-` delete), attribute-level
//! `before -> after`, a summary line and a summary table.

use std::collections::BTreeMap;
use std::fmt::Write;

use comfy_table::{presets::UTF8_BORDERS_ONLY, Cell, ContentArrangement, Table};
use owo_colors::{OwoColorize, Style};
use serde_json::Value;

use crate::apply::Report;
use crate::plan::{Kind, Plan, Step, StepAction};

/// Whether to use colour.
#[derive(Debug, Clone, Copy)]
pub struct Styling {
    pub color: bool,
}

impl Styling {
    fn paint(&self, text: &str, style: Style) -> String {
        if self.color {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }
}

fn sigil(action: StepAction) -> (&'static str, Style) {
    match action {
        StepAction::Create => ("+", Style::new().green()),
        StepAction::Update => ("~", Style::new().yellow()),
        StepAction::Replace => ("-/+", Style::new().magenta()),
        StepAction::Delete => ("-", Style::new().red()),
    }
}

/// A value as shown in a plan: strings quoted, except numbers and
/// booleans AWS keeps as text (attributes: `30`, `true`) and `(sensitive)`; absent as `(none)`,
/// structures compact (`{ weight: 50, values: [192.0.2.1] }`).
pub fn value(v: &Value) -> String {
    match v {
        Value::Null => "(none)".to_string(),
        Value::Object(_) | Value::Array(_) => compact(v),
        Value::String(s) if s == crate::secrets::MASK || s == "true" || s == "false" => s.clone(),
        Value::String(s) if is_number(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `30`, `-1`, `0.5`: a number written as text.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.')
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(compact).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", compact(v)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
        other => other.to_string(),
    }
}

fn step(out: &mut String, s: &Step, st: Styling) {
    let (mark, style) = sigil(s.action);
    let head = format!("{mark} {} {}", s.kind.as_str(), s.name);
    let _ = writeln!(out, "{}", st.paint(&head, style.bold()));
    // Attribute lines take their block's colour, without the bold.
    for c in &s.changes {
        let line = match (s.action, &c.before, &c.after) {
            (StepAction::Create, Value::Null, after) => format!("{}: {}", c.path, value(after)),
            (StepAction::Delete, before, Value::Null) if s.kind != Kind::Targets => {
                format!("{}: {}", c.path, value(before))
            }
            (_, before, Value::Null) if s.kind == Kind::Targets => {
                format!("- {}", value(before))
            }
            (_, Value::Null, after) if s.kind == Kind::Targets => format!("+ {}", value(after)),
            // A secret lbctl cannot show either side of (an OIDC client
            // secret): only that it changes.
            (_, Value::String(b), Value::String(a))
                if b == crate::secrets::MASK && a == crate::secrets::MASK =>
            {
                format!("{}: {} changed", c.path, crate::secrets::MASK)
            }
            (_, before, after) => {
                format!("{}: {} -> {}", c.path, value(before), value(after))
            }
        };
        let _ = writeln!(out, "    {}", st.paint(&line, style));
    }
    for n in &s.notes {
        let _ = writeln!(
            out,
            "    {}",
            st.paint(&format!("note: {n}"), Style::new().dimmed())
        );
    }
}

/// The whole plan as text, secrets masked.
pub fn plan(plan: &Plan, st: Styling) -> String {
    let plan = &*super::redact::plan(plan);
    let out = plan_text(plan, st);
    crate::secrets::scrub(&out).into_owned()
}

fn plan_text(plan: &Plan, st: Styling) -> String {
    let mut out = String::new();
    for c in &plan.conflicts {
        let owner = match &c.owner {
            Some(o) => format!("stack `{o}`"),
            None => "no stack".to_string(),
        };
        let _ = writeln!(
            out,
            "{} {} `{}` exists but belongs to {owner}, not `{}`: it is left alone and apply will refuse",
            st.paint("!", Style::new().red().bold()),
            c.kind.as_str(),
            c.name,
            plan.stack
        );
        let _ = writeln!(
            out,
            "  hint: to take it over, run with --adopt (it then gets the tag lbctl:stack={})",
            plan.stack
        );
    }
    if !plan.conflicts.is_empty() {
        out.push('\n');
    }
    for w in &plan.warnings {
        let _ = writeln!(
            out,
            "{} {w}",
            st.paint("warning:", Style::new().yellow().bold())
        );
    }
    if !plan.warnings.is_empty() {
        out.push('\n');
    }
    if plan.is_empty() && plan.conflicts.is_empty() && !plan.unmanaged.is_empty() {
        let _ = writeln!(
            out,
            "No changes: stack `{}` matches the spec, apart from the live settings above that \
             lbctl cannot model yet.",
            plan.stack
        );
        return out;
    }
    if plan.is_empty() && plan.conflicts.is_empty() {
        let _ = writeln!(out, "No changes: stack `{}` matches the spec.", plan.stack);
        return out;
    }
    if plan.is_empty() {
        let _ = writeln!(
            out,
            "No changes planned, but stack `{}` does not match the spec: {} resource(s) above \
             belong to no stack or another one, and apply refuses while they do.",
            plan.stack,
            plan.conflicts.len()
        );
        return out;
    }
    for s in &plan.steps {
        step(&mut out, s, st);
        out.push('\n');
    }
    out.push_str(&table(plan));
    out.push('\n');
    let sum = plan.summary();
    let _ = writeln!(
        out,
        "Plan for stack `{}`: {} to create, {} to update, {} to replace, {} to delete.",
        plan.stack, sum.create, sum.update, sum.replace, sum.delete
    );
    if !plan.conflicts.is_empty() {
        let _ = writeln!(
            out,
            "Apply refuses while the {} conflict(s) above remain (plan with --adopt to take them over).",
            plan.conflicts.len()
        );
    }
    out
}

/// Counts by kind and action.
fn table(plan: &Plan) -> String {
    let mut counts: BTreeMap<Kind, [usize; 4]> = BTreeMap::new();
    for s in plan.steps.iter().filter(|s| !s.is_ownership_record()) {
        let i = match s.action {
            StepAction::Create => 0,
            StepAction::Update => 1,
            StepAction::Replace => 2,
            StepAction::Delete => 3,
        };
        counts.entry(s.kind).or_default()[i] += 1;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    // On a terminal, wrapped to its width.
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header(vec!["resource", "create", "update", "replace", "delete"]);
    for (kind, c) in counts {
        let cell = |n: usize| {
            Cell::new(if n == 0 {
                "-".to_string()
            } else {
                n.to_string()
            })
        };
        t.add_row(vec![
            Cell::new(kind.as_str()),
            cell(c[0]),
            cell(c[1]),
            cell(c[2]),
            cell(c[3]),
        ]);
    }
    t.to_string()
}

/// What an apply did, for stderr, secrets masked.
pub fn report(report: &Report) -> String {
    let out = report_text(report);
    crate::secrets::scrub(&out).into_owned()
}

fn report_text(report: &Report) -> String {
    let mut out = String::new();
    if report.succeeded() {
        let _ = writeln!(out, "Apply complete: {} step(s) done.", report.done.len());
        return out;
    }
    let _ = writeln!(out, "Apply stopped partway.");
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
    if !report.created.is_empty() {
        let _ = writeln!(
            out,
            "  created by failed steps, still in AWS ({}):",
            report.created.len()
        );
        for d in &report.created {
            let _ = writeln!(out, "    {d}");
        }
    }
    let _ = writeln!(
        out,
        "hint: fix the cause and run apply again; it plans from live state and picks up where this one stopped"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::{value, Styling};
    use crate::plan::{Change, Conflict, Kind, Op, Plan, Step, StepAction};
    use serde_json::json;

    #[test]
    fn a_plan_with_conflicts_never_says_the_stack_matches() {
        let mut plan = Plan {
            stack: "shop".into(),
            ..Plan::default()
        };
        let st = super::Styling { color: false };
        assert!(super::plan(&plan, st).contains("matches the spec"));
        plan.conflicts.push(Conflict {
            kind: Kind::LoadBalancer,
            name: "web".into(),
            owner: Some("other".into()),
        });
        let text = super::plan(&plan, st);
        assert!(!text.contains("matches the spec"), "{text}");
        assert!(text.contains("does not match the spec"), "{text}");
        assert!(text.contains("apply refuses"), "{text}");
    }

    #[test]
    fn attribute_lines_take_the_colour_of_their_block() {
        let plan = Plan {
            stack: "s".into(),
            steps: vec![Step {
                action: StepAction::Create,
                kind: Kind::TargetGroup,
                name: "web".into(),
                changes: vec![Change::new("port", json!(null), 80)],
                notes: vec![],
                op: Op::DeleteTargetGroup { name: "web".into() },
            }],
            ..Plan::default()
        };
        let text = super::plan(&plan, Styling { color: true });
        let line = text.lines().find(|l| l.contains("port: 80")).unwrap();
        assert!(line.contains("\u{1b}[32m"), "{line:?}");
        let plain = super::plan(&plan, Styling { color: false });
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
    }

    #[test]
    fn values_read_like_the_spec() {
        assert_eq!(value(&json!(null)), "(none)");
        assert_eq!(value(&json!("HTTP")), "\"HTTP\"");
        assert_eq!(value(&json!("30")), "30");
        assert_eq!(value(&json!("1.5")), "1.5");
        assert_eq!(value(&json!("true")), "true");
        assert_eq!(value(&json!("10.0.0.1")), "\"10.0.0.1\"");
        assert_eq!(value(&json!(crate::secrets::MASK)), "(sensitive)");
        assert_eq!(
            value(&json!({"weight": 50, "values": ["192.0.2.1"]})),
            "{ weight: 50, values: [192.0.2.1] }"
        );
    }
}
